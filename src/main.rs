//! The `shelf` binary: parse the command line, set up logging, run, map the outcome to an
//! exit status (0 done, 1 done with problems, 2 could not run, 130 canceled).

use std::process::ExitCode;

use clap::FromArgMatches;
use shelf::cli::{self, Cli, Command, Ctx};
use shelf::config::{Config, Locations};

fn main() -> ExitCode {
    // Through cli::help::command(), so every --help carries its example.
    let cli = match Cli::from_arg_matches(&cli::help::command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // These describe the binary: no config or catalog is needed, or read.
    match cli.command {
        Some(Command::Completions { shell }) => return done(cli::help::completions(shell)),
        Some(Command::Man { dir }) => return done(cli::help::man(dir.as_deref())),
        _ => {}
    }
    // The UI owns the terminal: its logs go to the file only.
    let ui = cli.command.is_none() && !cli.scan;
    match setup(&cli).and_then(|ctx| {
        let _guard = init_logging(&ctx, ui);
        cli::run(cli, &ctx)
    }) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shelf: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn done(r: anyhow::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shelf: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn setup(cli: &Cli) -> anyhow::Result<Ctx> {
    let loc = Locations::resolve(cli.config.clone(), cli.db.clone())?;
    let config = Config::load(&loc.config, loc.config_explicit)?;
    // The `[keys]` table is the UI's; a bad binding is an error for every command all the
    // same, so a mistake is found when the file is written, not when the UI is next opened.
    shelf::tui::keymap::Keymap::from_table(&config.keys)
        .map_err(|e| anyhow::anyhow!("config {}: {e}", shelf::paths::show(&loc.config)))?;
    Ok(Ctx { loc, config })
}

/// Logs go to a daily file in the state dir (info and up) and to stderr (warnings and up,
/// or what `SHELF_LOG` says). A log dir that cannot be made costs the file log only.
fn init_logging(ctx: &Ctx, ui: bool) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::prelude::*;
    use tracing_subscriber::{EnvFilter, fmt};
    let stderr_filter = if ui {
        EnvFilter::new("off")
    } else {
        EnvFilter::try_from_env("SHELF_LOG").unwrap_or_else(|_| EnvFilter::new("error"))
    };
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_filter(stderr_filter);
    let (file, guard) = match std::fs::create_dir_all(&ctx.loc.log_dir) {
        Ok(()) => {
            let appender = tracing_appender::rolling::daily(&ctx.loc.log_dir, "shelf.log");
            let (w, g) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_writer(w)
                .with_ansi(false)
                .with_filter(EnvFilter::new("info"));
            (Some(layer), Some(g))
        }
        Err(_) => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
    guard
}
