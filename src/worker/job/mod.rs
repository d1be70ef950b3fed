//! One scan, start to finish: PRODUCT.md "What a scan does", steps 1–4, 7 and 8.
//!
//! 1. Each root is checked; a missing, unreadable or suddenly empty root makes its collection
//!    offline for this run and nothing under it is touched.
//! 2. Each reachable root is walked while the catalog's snapshot of it loads (two threads).
//! 3. The walk is diffed against the snapshot in memory; unchanged files cost nothing more.
//! 4. New and changed files are read on every core: small ones whole for their hash, large
//!    ones at their ends for a fingerprint; each is probed and named and written. A new file
//!    whose hash or fingerprint is that of an asset no longer found is that asset, moved (it
//!    keeps its id). Then large files are read whole for their hash, the phase a canceled
//!    or killed scan leaves for the next to resume.
//! 7. What a complete walk did not find is marked missing; never deleted.
//! 8. Every write goes to the single writer; the scan is one changeset. Cancel stops
//!    between files and what was written stays valid; a killed scan is marked interrupted by
//!    the next one, which converges because every write is keyed by path and idempotent.
//!
//! Every new or changed file passes through `handle_read` (its read, probe and name, from
//! the pool) on its way to the writer; `full_hashes` is the phase after.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::catalog::sources::CollectionRow;
use crate::catalog::status::Health;
use crate::catalog::{self, CatalogError, Mode, changesets, content};
use crate::config::Config;
use crate::identify::context::KnownTitles;
use crate::paths;
use crate::scan::walk::WalkOptions;
use crate::worker::lock::{LockError, ScanLock};
use crate::worker::progress::{Phase, Progress};
use crate::worker::report::{CollectionReport, Counts, ErrorEntry, ScanReport};
use crate::worker::writer::{Lease, WriteMsg, WriterHandle};

mod hashing;
mod probing;
mod server;
mod sink;
mod walked;

use hashing::*;
use probing::*;
use sink::*;
use walked::*;

/// What to scan and how.
pub struct ScanRequest {
    pub db: PathBuf,
    /// The collections to scan (a dry run may pass ones not yet in the catalog, id < 0).
    pub targets: Vec<CollectionRow>,
    pub config: Config,
    pub dry_run: bool,
    pub cancel: Arc<AtomicBool>,
    pub progress: Arc<Progress>,
    /// Called once every walk is done, before any file is read. The file system may change
    /// right there (a file deleted between walk and hash); tests use this to make it so.
    pub after_walk: Option<Box<dyn Fn() + Send + Sync>>,
    /// Called once every file is listed, named and probed, before large files are read
    /// whole for their hash (tests cancel or kill the scan right there).
    pub before_hashing: Option<Box<dyn Fn() + Send + Sync>>,
    /// The process's writer, when it has one (the UI's); otherwise the scan opens its own.
    pub writer: Option<WriterHandle>,
    /// Files shelf itself just took out of these roots (an organise undo put them back
    /// where they came from). A root left empty is taken for an unmounted disk and nothing
    /// under it is marked missing, unless what the catalog had there is exactly these.
    pub taken: Vec<PathBuf>,
    /// A folder of a target collection to scan alone (relative to its root): only files
    /// under it are read, and only files under it can be marked missing. Collections not
    /// named here are scanned whole.
    pub within: Vec<(crate::model::CollectionId, Vec<u8>)>,
}

impl ScanRequest {
    /// A scan of `targets` that writes (not dry), with no hooks, nothing canceled, its own
    /// progress and its own writer: callers change what they need.
    pub fn new(db: PathBuf, targets: Vec<CollectionRow>, config: Config) -> Self {
        ScanRequest {
            db,
            targets,
            config,
            dry_run: false,
            cancel: Arc::default(),
            progress: Arc::default(),
            after_walk: None,
            before_hashing: None,
            writer: None,
            taken: Vec::new(),
            within: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("bad ignore pattern in the config: {0}")]
    Config(#[from] globset::Error),
    #[error("cannot start a scan thread: {0}")]
    Thread(std::io::Error),
    /// A stage's thread panicked (a bug): what it was doing.
    #[error("{0} panicked")]
    Panicked(String),
}

/// The scan's hold on the catalog: the lock (one scan per catalog), its changeset, and its
/// session on the writer (the process's, or one of its own).
struct Session {
    lock: ScanLock,
    writer: WriterHandle,
    lease: Lease,
    changeset: i64,
    interrupted: Vec<i64>,
    /// A first scan: content groups are worked out at its end (`content::defer_index`).
    groups_at_end: bool,
}

impl Session {
    /// Takes the lock, marks what a killed scan left as interrupted, and begins the changeset.
    fn open(req: &ScanRequest) -> Result<Self, ScanError> {
        let mut lock = ScanLock::acquire(&req.db)?;
        // Named at once: what comes before the changeset (a killed first scan's content
        // index rebuilt) may take a while, and a second scan meanwhile says who runs.
        let started = crate::time::now();
        lock.describe(&format!(
            "pid {}, starting since {started}",
            std::process::id()
        ));
        let lease = Lease::new(&req.db, req.writer.as_ref())?;
        let writer = lease.handle.clone();
        let names: Vec<&str> = req.targets.iter().map(|c| c.name.as_str()).collect();
        let message = format!("scan of {}", names.join(", "));
        let retention = req.config.status.retention_days;
        let (interrupted, changeset, groups_at_end) = writer.call(move |conn| {
            let found = changesets::mark_interrupted_scans(conn)?;
            catalog::status::prune_history(conn, retention)?;
            let changeset = changesets::begin(conn, crate::model::ChangesetKind::Scan, &message)?;
            // A first scan killed before its end left its content groups to this one.
            content::build_index(conn, changeset)?;
            Ok((found, changeset, content::defer_index(conn)?))
        })?;
        lock.describe(&format!(
            "pid {}, changeset #{changeset}, started {started}",
            std::process::id()
        ));
        writer.begin(
            changeset,
            req.config.scan.batch_size,
            crate::worker::writer::Rules::from_config(&req.config),
            groups_at_end,
        )?;
        Ok(Self {
            lock,
            writer,
            lease,
            changeset,
            interrupted,
            groups_at_end,
        })
    }

    /// Waits for every write, then finishes the changeset with the report (or the error).
    fn close(
        self,
        report: &ScanReport,
        status: crate::model::ChangesetStatus,
    ) -> Result<(), ScanError> {
        let (w, id, ms) = (&self.writer, self.changeset, report.duration_ms as i64);
        let stats = serde_json::to_value(report)
            .map(|mut v| {
                // The full error list lives in changeset_errors; keep stats small.
                if let Some(o) = v.as_object_mut() {
                    o.remove("errors");
                }
                v
            })
            .unwrap_or_default();
        let groups_at_end = self.groups_at_end;
        // The changeset is finished as the session's last write. A first scan's content
        // groups come just before, once every row is in (also after an error: what the
        // scan wrote stands).
        w.end_with(move |c, session| {
            let grouped = if groups_at_end {
                content::build_index(c, id).map(drop)
            } else {
                Ok(())
            };
            match session.and(grouped) {
                Ok(()) => changesets::finish(c, id, status, &stats, ms),
                Err(e) => {
                    // Record the failure if the catalog still takes writes.
                    let msg = serde_json::json!({ "error": e.to_string() });
                    let _ =
                        changesets::finish(c, id, crate::model::ChangesetStatus::Error, &msg, ms);
                    Err(e)
                }
            }
        })?;
        drop(self.writer);
        self.lease.close()?;
        drop(self.lock);
        Ok(())
    }
}

/// What the stages gather as they go.
#[derive(Default)]
struct Outcome {
    walked: Vec<Walked>,
    errors: Vec<ErrorEntry>,
    canceled: bool,
    /// Files in containers only ffprobe reads, not read because it is missing.
    unprobed: u64,
}

/// Runs a scan to the end (or to cancellation) and reports what it did.
pub fn run_scan(req: &ScanRequest) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    let opts = WalkOptions::new(req.config.scan.follow_symlinks, &req.config.scan.ignore)?;
    let session = if req.dry_run {
        None
    } else {
        Some(Session::open(req)?)
    };
    // Snapshots are read on a connection of their own.
    let reader = if req.dry_run && !req.db.exists() {
        catalog::open_in_memory()?
    } else {
        catalog::open(&req.db, Mode::ReadOnly)?
    };
    let mut sink = Sink::new(session.as_ref().map(|s| s.writer.clone()));
    let heartbeat_secs = req.config.status.heartbeat_secs;
    sink.send(beat(
        Health::Ok,
        "scan starting".into(),
        None,
        heartbeat_secs,
    ));

    let done = AtomicBool::new(false);
    let mut out = Outcome::default();
    std::thread::scope(|s| -> Result<(), ScanError> {
        let beating = sink.tx.clone().map(|tx| {
            let (done, progress) = (&done, req.progress.clone());
            s.spawn(move || heartbeats(&tx, done, &progress, heartbeat_secs))
        });
        let r = stages(req, &opts, &reader, &mut sink, &mut out);
        done.store(true, Ordering::Relaxed);
        // Woken now, not at its next look: a scan ends when its work does.
        if let Some(h) = beating {
            h.thread().unpark();
        }
        r
    })?;

    let (mut report, status) = report(
        req,
        out,
        session
            .as_ref()
            .map(|s| (s.changeset, s.interrupted.clone())),
    );
    for w in &report.warnings {
        sink.send(WriteMsg::Warning { message: w.clone() });
    }
    let (health, last_error) = health_of(&report);
    let idle = format!("idle; last scan {}", status.as_str());
    sink.send(beat(health, idle, last_error, heartbeat_secs));
    drop(sink);
    req.progress.set_phase(Phase::Done);
    report.duration_ms = started.elapsed().as_millis() as u64;
    if let Some(session) = session {
        session.close(&report, status)?;
    }
    Ok(report)
}

/// The scanner's heartbeat, as a write.
fn beat(health: Health, task: String, error: Option<String>, interval_secs: u64) -> WriteMsg {
    WriteMsg::Heartbeat {
        health,
        task,
        error,
        interval_secs,
    }
}

/// Heartbeats while the scan runs, at least every `secs`, saying where it is. Parked
/// between beats; the scan unparks it when `done`.
fn heartbeats(tx: &WriterHandle, done: &AtomicBool, progress: &Progress, secs: u64) {
    let every = Duration::from_secs(secs);
    let mut last = Instant::now();
    while !done.load(Ordering::Relaxed) {
        std::thread::park_timeout(every.saturating_sub(last.elapsed()));
        if done.load(Ordering::Relaxed) {
            break;
        }
        if last.elapsed() >= every {
            last = Instant::now();
            let task = progress.snapshot().line();
            if !tx.send(vec![beat(Health::Ok, task, None, secs)]) {
                break;
            }
        }
    }
}

/// Steps 1–4 and 7: walk and diff each collection, hash what is new or changed, name and
/// probe what never was, and mark what a complete walk did not find.
fn stages(
    req: &ScanRequest,
    opts: &WalkOptions,
    reader: &catalog::Db,
    sink: &mut Sink,
    out: &mut Outcome,
) -> Result<(), ScanError> {
    let progress = &req.progress;
    // The catalog's show titles, for names that only make sense with them.
    let known = Arc::new(KnownTitles::new(
        catalog::library::show_names(reader).unwrap_or_default(),
    ));
    progress.set_phase(Phase::Walking);
    for col in &req.targets {
        let mut w = walk_one(col, opts, reader, req, sink, &mut out.errors)?;
        w.known = known.clone();
        out.canceled |= req.cancel.load(Ordering::Relaxed);
        out.walked.push(w);
        if out.canceled {
            break;
        }
    }
    if let Some(hook) = &req.after_walk {
        hook();
    }
    crate::worker::fault("scan.after_walk");
    if out.canceled {
        return Ok(());
    }

    let mut claims = MoveClaims::load(reader, &out.walked)?;
    read_all(
        req,
        &mut out.walked,
        &mut claims,
        sink,
        &mut out.errors,
        &mut out.unprobed,
    );
    out.canceled = req.cancel.load(Ordering::Relaxed);

    // Unchanged videos never identified (a catalog from before identification).
    let threshold = req.config.identify.confidence_threshold;
    for w in &mut out.walked {
        for (file, id) in std::mem::take(&mut w.plan.to_identify) {
            if let Some(named) = w.name_video(file, threshold) {
                w.counts.identified += 1;
                sink.send(WriteMsg::Identify(id, Box::new(named)));
            }
        }
    }
    // What media servers say of their files, after the files' own rows.
    server::server_facts(req, &mut out.walked, sink, &mut out.errors);
    // Unchanged files never probed (a catalog from before probing, or from a scan without
    // ffprobe): read now, on every core.
    if !req.dry_run && !out.canceled {
        probe_unchanged(
            req,
            &mut out.walked,
            sink,
            &mut out.errors,
            &mut out.unprobed,
        );
        out.canceled = req.cancel.load(Ordering::Relaxed);
    }
    // Missing assets found again unchanged.
    for w in &mut out.walked {
        for id in std::mem::take(&mut w.plan.back_unchanged) {
            w.counts.returned += 1;
            sink.send(WriteMsg::Present(id));
        }
    }
    // Everything is listed and named, and sent on to the catalog now (the screens fill
    // while large files are read whole for their hash).
    sink.flush();
    if let Some(hook) = &req.before_hashing {
        hook();
    }
    crate::worker::fault("scan.before_hashing");
    out.canceled |= req.cancel.load(Ordering::Relaxed);
    full_hashes(req, &mut out.walked, sink, &mut out.errors);
    out.canceled |= req.cancel.load(Ordering::Relaxed);
    // Step 7: only a complete, uncanceled walk may say a file is gone.
    if !out.canceled {
        progress.set_phase(Phase::Finishing);
        for w in &mut out.walked {
            if w.offline.is_some() {
                continue;
            }
            for id in &w.plan.vanished {
                if !claims.claimed.contains(id) {
                    w.counts.missing += 1;
                    sink.send(WriteMsg::Missing(*id));
                }
            }
            sink.send(WriteMsg::Scanned(w.col.id));
        }
    }
    Ok(())
}

/// The report of what the stages did, and the changeset's status.
fn report(
    req: &ScanRequest,
    out: Outcome,
    session: Option<(i64, Vec<i64>)>,
) -> (ScanReport, crate::model::ChangesetStatus) {
    let mut total = Counts::default();
    let collections: Vec<CollectionReport> = out
        .walked
        .iter()
        .map(|w| {
            total.add(&w.counts);
            let root = w.col.root.clone().unwrap_or_default();
            let (mut root, root_hex) = paths::export_form(&root);
            if w.col.is_server() {
                // No folder of its own: the server's, as it names them.
                root = format!("{} {}", w.col.source_kind, w.col.remote_roots.join(", "));
            }
            CollectionReport {
                name: w.col.name.clone(),
                root,
                root_hex,
                within: w.within.as_deref().map(paths::display),
                offline: w.offline.is_some(),
                offline_reason: w.offline.clone(),
                counts: w.counts.clone(),
            }
        })
        .collect();
    let status = if out.canceled {
        crate::model::ChangesetStatus::Canceled
    } else if collections.iter().any(|c| c.offline) {
        crate::model::ChangesetStatus::Partial
    } else {
        crate::model::ChangesetStatus::Completed
    };
    let mut warnings = Vec::new();
    if out.unprobed > 0 {
        warnings.push(format!(
            "ffprobe is not installed (or `probe.ffprobe` does not run): {} file(s) not probed; shelf reads Matroska and MP4/MOV itself, and these are neither (AVI, MPEG-TS, WMV, FLV, OGG, audio, or not media at all)",
            out.unprobed
        ));
    }
    let (changeset, interrupted) = match session {
        Some((id, found)) => (Some(id), found),
        None => (None, Vec::new()),
    };
    let report = ScanReport {
        changeset,
        status: status.as_str().to_owned(),
        dry_run: req.dry_run,
        counts: total,
        duration_ms: 0,
        interrupted_changesets: interrupted,
        errors: out.errors,
        warnings,
        collections,
        hash: req.config.scan.hash,
    };
    (report, status)
}

/// The scanner's health after a scan: a warning when a file had a problem or a collection
/// was offline.
fn health_of(report: &ScanReport) -> (Health, Option<String>) {
    if report.counts.errors > 0 {
        let last = report
            .errors
            .last()
            .map(|e| format!("{}: {}", e.path, e.reason));
        (Health::Warning, last)
    } else if report.collections.iter().any(|c| c.offline) {
        let why = "a collection was offline; see `shelf source list`".to_string();
        (Health::Warning, Some(why))
    } else {
        (Health::Ok, None)
    }
}
