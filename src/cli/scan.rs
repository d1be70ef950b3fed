//! `shelf --scan` / `shelf scan`: resolve what to scan, run the worker with Ctrl-C and
//! SIGTERM wired to cancellation, show progress on stderr, print the summary on stdout.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;

use super::Ctx;
use crate::catalog::sources::{self, CollectionRow};
use crate::catalog::{self, Mode};
use crate::model::{CollectionId, CollectionKind};
use crate::paths;
use crate::scan::classify::guess_collection_kind;
use crate::scan::walk::{self, WalkOptions};
use crate::worker::{Phase, Progress, ScanError, ScanRequest, run_scan};

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Folders to scan; each is added as a source if it is new. None: every enabled collection.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Report what would change and write nothing (the catalog is opened read-only).
    #[arg(long)]
    pub dry_run: bool,
}

/// The absolute form of a path the user typed (symlinks resolved when it exists); the error
/// names the path.
pub fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    paths::absolute(p).with_context(|| format!("bad path {}", paths::show(p)))
}

/// A source name from a folder: its last component.
pub(crate) fn default_name(root: &Path) -> String {
    root.file_name()
        .map(|n| paths::display(paths::to_bytes(Path::new(n))))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "library".into())
}

/// Guesses the kind of a new source from a sample of its files.
pub(crate) fn guess_kind(root: &Path, ctx: &Ctx) -> CollectionKind {
    match WalkOptions::new(ctx.config.scan.follow_symlinks, &ctx.config.scan.ignore) {
        Ok(opts) => {
            let sample = walk::sample(root, &opts, 5000);
            guess_collection_kind(sample.iter().map(Vec::as_slice))
        }
        Err(_) => CollectionKind::Mixed,
    }
}

/// The catalog a scan's targets are resolved in: read-only (or an empty one in memory) for a
/// dry run; else read-write, closed without copying the WAL back, which the scan's writer
/// does while it waits for the walk.
fn open_for_targets(ctx: &Ctx, dry_run: bool) -> anyhow::Result<catalog::Db> {
    Ok(if !dry_run {
        let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
        catalog::no_checkpoint_at_close(&conn)?;
        conn
    } else if ctx.loc.db.exists() {
        catalog::open(&ctx.loc.db, Mode::ReadOnly)?
    } else {
        catalog::open_in_memory()?
    })
}

/// What a scan's PATHs name: collections, and for a PATH inside one, that folder of it
/// alone (relative to its root; `ScanRequest::within`).
struct Targets {
    collections: Vec<CollectionRow>,
    within: Vec<(CollectionId, Vec<u8>)>,
}

impl Targets {
    /// A collection scanned whole (whatever folder of it was named before).
    fn whole(&mut self, c: CollectionRow) {
        self.within.retain(|(id, _)| *id != c.id);
        if !self.collections.iter().any(|x| x.id == c.id) {
            self.collections.push(c);
        }
    }

    /// The folder `rel` of `c`; two folders of one collection make their common folder.
    fn folder(&mut self, c: CollectionRow, rel: Vec<u8>) {
        if self.collections.iter().any(|x| x.id == c.id) {
            if let Some((_, have)) = self.within.iter_mut().find(|(id, _)| *id == c.id) {
                *have = common_folder(have, &rel);
                if have.is_empty() {
                    self.whole(c);
                }
            }
            return;
        }
        self.within.push((c.id, rel));
        self.collections.push(c);
    }
}

/// The deepest folder both relative paths are in ("" for the root).
fn common_folder(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    for (x, y) in a.split(|&c| c == b'/').zip(b.split(|&c| c == b'/')) {
        if x != y {
            break;
        }
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(x);
    }
    out
}

fn resolve_targets(ctx: &Ctx, args: &ScanArgs) -> anyhow::Result<Targets> {
    let conn = open_for_targets(ctx, args.dry_run)?;
    if args.paths.is_empty() {
        let all: Vec<CollectionRow> = sources::list_to_scan(&conn)?
            .into_iter()
            .filter(|c| c.enabled)
            .collect();
        if all.is_empty() {
            bail!(
                "nothing to scan: no enabled sources in {}; add one with `shelf --scan PATH` or `shelf source add PATH`",
                paths::show(&ctx.loc.db)
            );
        }
        return Ok(Targets {
            collections: all,
            within: Vec::new(),
        });
    }
    let mut targets = Targets {
        collections: Vec::new(),
        within: Vec::new(),
    };
    let out = &mut targets;
    for (i, p) in args.paths.iter().enumerate() {
        let root = absolute(p)?;
        let root_bytes = paths::to_bytes(&root).to_vec();
        if let Some(c) = sources::by_root(&conn, &root_bytes)? {
            out.whole(c);
            continue;
        }
        // A folder inside a source: that folder of it, alone.
        if let Some(c) = sources::holding(&conn, &root_bytes)? {
            if !root.is_dir() {
                bail!(
                    "cannot scan {}: not a folder (or it does not exist); `shelf scan {}` scans the whole source",
                    paths::show(p),
                    c.source
                );
            }
            let top = paths::as_path(c.root.as_deref().unwrap_or_default());
            // `holding` found it below the root, so this holds; were it not to, the whole
            // source would be scanned, which is never wrong.
            let rel = paths::to_bytes(root.strip_prefix(top).unwrap_or(Path::new(""))).to_vec();
            let opts = WalkOptions::new(ctx.config.scan.follow_symlinks, &ctx.config.scan.ignore)?;
            if walk::passed_over(&opts, &rel) {
                bail!(
                    "cannot scan {}: a scan of the source {:?} passes over it (a hidden folder, or one `scan.ignore` leaves out)",
                    paths::show(p),
                    c.source
                );
            }
            out.folder(c, rel);
            continue;
        }
        if !root.is_dir() {
            bail!(
                "cannot scan {}: not a folder (or it does not exist), and it is not a known source",
                paths::show(p)
            );
        }
        if out
            .collections
            .iter()
            .any(|c| c.root.as_deref() == Some(&root_bytes))
        {
            continue;
        }
        let kind = guess_kind(&root, ctx);
        let name = sources::free_name(&conn, &default_name(&root))?;
        if args.dry_run {
            out.whole(CollectionRow {
                id: CollectionId(-(i as i64) - 1),
                name: name.clone(),
                source: name,
                source_kind: "filesystem".into(),
                root: Some(root_bytes),
                kind,
                enabled: true,
                ingestible: true,
                offline_reason: None,
                last_scan_at: None,
                last_scan_changeset: None,
                assets: 0,
                missing: 0,
                external_id: String::new(),
                remote_roots: Vec::new(),
                gone_at: None,
            });
        } else {
            let c = sources::add_filesystem(&conn, &name, &root_bytes, kind)?;
            eprintln!(
                "added source {:?} ({}, {})",
                c.name,
                paths::show(&root),
                c.kind
            );
            out.whole(c);
        }
    }
    Ok(targets)
}

/// The collections for `shelf PATH...`: each PATH added as a source when new.
pub(crate) fn resolve_for_ui(ctx: &Ctx, paths: &[PathBuf]) -> anyhow::Result<Vec<CollectionRow>> {
    // The UI scans a collection whole, a folder inside one included.
    resolve_targets(
        ctx,
        &ScanArgs {
            paths: paths.to_vec(),
            json: false,
            dry_run: false,
        },
    )
    .map(|t| t.collections)
}

pub(crate) fn run(ctx: &Ctx, args: ScanArgs) -> anyhow::Result<ExitCode> {
    let targets = resolve_targets(ctx, &args)?;
    let cancel = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(Progress::default());
    let req = ScanRequest {
        dry_run: args.dry_run,
        cancel: cancel.clone(),
        progress: progress.clone(),
        within: targets.within,
        ..ScanRequest::new(ctx.loc.db.clone(), targets.collections, ctx.config.clone())
    };
    let reporter = spawn_reporter(progress.clone());
    // The scan's thread, and the reading threads it starts (which inherit the name), show
    // as "shelf-scan" in `top -H` and profiles rather than as the runtime's.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("shelf-scan")
        .build()
        .context("cannot start the async runtime")?;
    let result = rt.block_on(async move {
        let job = tokio::task::spawn_blocking(move || run_scan(&req));
        tokio::pin!(job);
        let mut interrupts = 0;
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("cannot listen for SIGTERM")?;
        loop {
            tokio::select! {
                r = &mut job => return r.context("the scan task failed"),
                _ = tokio::signal::ctrl_c() => interrupts += 1,
                _ = term.recv() => interrupts += 1,
            }
            if interrupts == 1 {
                eprintln!("\nshelf: canceling the scan (what is written stays valid); press Ctrl-C again to quit at once");
                cancel.store(true, Ordering::Relaxed);
            } else {
                eprintln!("\nshelf: quitting; the next scan will finish the work");
                std::process::exit(130);
            }
        }
    });
    if let Some(r) = reporter {
        r.finish();
    }
    let report = match result? {
        Ok(r) => r,
        Err(ScanError::Lock(e)) => bail!("{e}"),
        Err(e) => return Err(e.into()),
    };
    if args.json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        say_raw!("{}", report.human());
    }
    Ok(ExitCode::from(report.exit_code()))
}

/// Progress on stderr: a bar on a terminal, a plain line every few seconds otherwise.
struct Reporter {
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<()>,
}

impl Reporter {
    fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        // Woken now rather than at its next tick, so the scan's end is not delayed.
        self.handle.thread().unpark();
        let _ = self.handle.join();
    }
}

fn spawn_reporter(progress: Arc<Progress>) -> Option<Reporter> {
    let stop = Arc::new(AtomicBool::new(false));
    let tty = std::io::stderr().is_terminal();
    let stop2 = stop.clone();
    let handle = std::thread::Builder::new()
        .name("shelf-progress".into())
        .spawn(move || {
            if tty {
                bar(&progress, &stop2)
            } else {
                plain(&progress, &stop2)
            }
        })
        .ok()?;
    Some(Reporter { stop, handle })
}

fn plain(progress: &Progress, stop: &AtomicBool) {
    let mut ticks = 0u32;
    while !stop.load(Ordering::Relaxed) {
        std::thread::park_timeout(Duration::from_millis(100));
        ticks += 1;
        if ticks.is_multiple_of(50) && progress.phase() != Phase::Done {
            eprintln!("shelf: {}", progress.snapshot().line());
        }
    }
}

fn bar(progress: &Progress, stop: &AtomicBool) {
    use indicatif::{ProgressBar, ProgressStyle};
    let pb = ProgressBar::new_spinner();
    pb.enable_steady_tick(Duration::from_millis(120));
    let mut hashing = false;
    while !stop.load(Ordering::Relaxed) {
        let s = progress.snapshot();
        if s.phase == Phase::Hashing && !hashing && s.bytes_to_hash > 0 {
            hashing = true;
            pb.set_length(s.bytes_to_hash);
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} hashing [{bar:30}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
        }
        if hashing {
            pb.set_position(s.bytes_hashed);
            pb.set_message(format!("{}/{} files", s.files_hashed, s.files_to_hash));
        } else {
            pb.set_message(s.line());
        }
        std::thread::park_timeout(Duration::from_millis(100));
    }
    pb.finish_and_clear();
}
