//! The headless commands. Each submodule parses nothing itself (clap does, here) and holds
//! no SQL (the catalog does): it resolves arguments, calls the library and prints.

/// `println!` for a command's output: when the reader has gone away (`shelf status | head
/// -3`), the command ends quietly with success, as `export` always did, instead of a panic.
macro_rules! say {
    () => {
        $crate::cli::out(format_args!("\n"))
    };
    ($($t:tt)*) => {
        $crate::cli::out(format_args!("{}\n", format_args!($($t)*)))
    };
}

/// `print!` likewise.
macro_rules! say_raw {
    ($($t:tt)*) => {
        $crate::cli::out(format_args!($($t)*))
    };
}

pub(crate) mod config_cmd;
pub(crate) mod db_cmd;
pub mod dupes;
pub mod export;
pub mod help;
pub(crate) mod identify_cmd;
pub mod map;
pub mod markers;
pub(crate) mod organise_cmd;
pub(crate) mod probe_cmd;
pub mod review;
pub mod scan;
pub(crate) mod servers;
pub mod source;
pub mod status;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, Locations};
use crate::model::CollectionKind;

/// shelf: a terminal media librarian. Catalogs what is really on disk: shows, seasons,
/// episodes, movies, photos, the files behind them, duplicates and missing files.
#[derive(Debug, Parser)]
#[command(name = "shelf", version)]
pub struct Cli {
    /// The catalog database [default: the platform data dir, see `shelf config path`]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The config file [default: the platform config dir, see `shelf config path`]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Scan headless (no UI): the PATHs given, or every enabled collection. Same as `shelf scan`.
    #[arg(long)]
    pub scan: bool,
    /// With --scan: print the summary as one JSON object.
    #[arg(long, requires = "scan")]
    pub json: bool,
    /// With --scan: report what would change and write nothing.
    #[arg(long, requires = "scan")]
    pub dry_run: bool,
    /// Open the catalog read-only: no scans, no edits.
    #[arg(long, conflicts_with = "scan")]
    pub read_only: bool,
    /// A sample library in a temporary folder, scanned into a temporary catalog, in the UI.
    #[arg(long, conflicts_with_all = ["scan", "paths"])]
    pub demo: bool,
    /// Folders to scan (each becomes a source if it is new).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan headless: the PATHs given (added as sources when new), or every enabled collection.
    Scan(scan::ScanArgs),
    /// Manage sources (folders shelf catalogs).
    #[command(subcommand)]
    Source(source::SourceCmd),
    /// Manage path mappings (paths reported by another host → paths here).
    #[command(subcommand)]
    Map(map::MapCmd),
    /// Identify names: one path per line on stdin, one JSON object per line out.
    Identify(identify_cmd::IdentifyArgs),
    /// Chapter, avail, bumper, intro and outro markers on a file.
    #[command(subcommand)]
    Markers(markers::MarkersCmd),
    /// Read files' metadata (EXIF, container facts, chapters) without touching the catalog.
    Probe(probe_cmd::ProbeArgs),
    /// The review queue: what identification could not settle.
    #[command(subcommand)]
    Review(review::ReviewCmd),
    /// Files with identical content, the canonical copy marked.
    Dupes(dupes::DupesArgs),
    /// Empty a camera inbox into DEST/YYYY/YYYY-MM-DD/: planned, verified, resumable, undoable.
    Organise(organise_cmd::OrganiseArgs),
    /// Background services' health and the last changesets.
    Status(status::StatusArgs),
    /// Export the catalog as JSON, JSON lines or CSV.
    Export(export::ExportArgs),
    /// Show the default configuration or where shelf keeps its files.
    #[command(subcommand)]
    Config(config_cmd::ConfigCmd),
    /// Inspect or check the catalog database.
    #[command(subcommand)]
    Db(db_cmd::DbCmd),
    /// Print a shell completion script (see the README for where each shell wants it).
    Completions {
        #[arg(value_enum)]
        shell: help::Shell,
    },
    /// Print the man page (roff); with --dir, write one page per command into a folder.
    Man {
        /// Write shelf.1 and a page per command (shelf-review-set.1, …) here.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// What every command gets: where files live and the configuration.
pub struct Ctx {
    pub loc: Locations,
    pub config: Config,
}

/// Parses a collection kind for clap.
pub(crate) fn parse_kind(s: &str) -> Result<CollectionKind, crate::model::UnknownKind> {
    s.parse()
}

/// Asks a yes/no question on the terminal; `false` when there is no terminal to ask.
pub(crate) fn confirm(question: &str) -> bool {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!("{question} [y/N] ");
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes")
}

/// Runs the parsed command line.
pub fn run(cli: Cli, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Scan(a)) => scan::run(ctx, a),
        Some(Command::Source(c)) => source::run(ctx, c),
        Some(Command::Map(c)) => map::run(ctx, c),
        Some(Command::Status(a)) => status::run(ctx, a),
        Some(Command::Identify(a)) => identify_cmd::run(a),
        Some(Command::Review(c)) => review::run(ctx, c),
        Some(Command::Probe(a)) => probe_cmd::run(ctx, a),
        Some(Command::Markers(c)) => markers::run(ctx, c),
        Some(Command::Dupes(a)) => dupes::run(ctx, a),
        Some(Command::Organise(a)) => organise_cmd::run(ctx, a),
        Some(Command::Export(a)) => export::run(ctx, a),
        Some(Command::Config(c)) => config_cmd::run(ctx, c),
        Some(Command::Db(c)) => db_cmd::run(ctx, c),
        Some(Command::Completions { shell }) => {
            help::completions(shell).map(|()| ExitCode::SUCCESS)
        }
        Some(Command::Man { dir }) => help::man(dir.as_deref()).map(|()| ExitCode::SUCCESS),
        None if cli.scan => scan::run(
            ctx,
            scan::ScanArgs {
                paths: cli.paths,
                json: cli.json,
                dry_run: cli.dry_run,
            },
        ),
        None => tui_cmd(cli, ctx),
    }
}

/// `shelf [PATH...]`, `shelf --demo`, `shelf --read-only`: the terminal UI.
fn tui_cmd(cli: Cli, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the UI needs a terminal; for cron and scripts use `shelf --scan` (see `shelf --help`)"
        );
    }
    if cli.demo {
        let dir = std::env::temp_dir().join(format!("shelf-demo-{}", std::process::id()));
        let lib = dir.join("library");
        crate::tui::demo::build(&lib)?;
        let db = dir.join("catalog.db");
        let result = (|| {
            // Set up, scan, and close every connection of the setup before the UI opens the
            // process's one writer.
            let conn = crate::catalog::open(&db, crate::catalog::Mode::ReadWrite)?;
            for (name, kind) in [
                ("TV", crate::model::CollectionKind::Shows),
                ("Movies", crate::model::CollectionKind::Movies),
                ("Photos", crate::model::CollectionKind::Photos),
            ] {
                let root = lib.join(name);
                crate::catalog::sources::add_filesystem(
                    &conn,
                    name,
                    crate::paths::to_bytes(&root),
                    kind,
                )?;
            }
            let targets = crate::catalog::sources::list(&conn)?;
            crate::worker::run_scan(&crate::worker::ScanRequest::new(
                db.clone(),
                targets,
                crate::tui::demo::config(&ctx.config),
            ))?;
            drop(conn);
            crate::tui::run(crate::tui::Options {
                db: db.clone(),
                config: ctx.config.clone(),
                read_only: false,
                scan: Vec::new(),
            })
        })();
        // What the demo made goes with it.
        let _ = std::fs::remove_dir_all(&dir);
        return result;
    }
    let mut scan = Vec::new();
    if !cli.paths.is_empty() {
        if cli.read_only {
            anyhow::bail!("--read-only cannot add or scan folders");
        }
        scan = scan::resolve_for_ui(ctx, &cli.paths)?;
    }
    crate::tui::run(crate::tui::Options {
        db: ctx.loc.db.clone(),
        config: ctx.config.clone(),
        read_only: cli.read_only,
        scan,
    })
}

/// Writes a command's output to stdout. A closed pipe ends the process with success (what
/// was asked for was read, as far as the reader wanted); any other failure to write is
/// said on stderr.
pub(crate) fn out(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match o.write_fmt(args) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => eprintln!("shelf: cannot write the output: {e}"),
    }
}
