//! One scan, start to finish: PRODUCT.md "What a scan does", steps 1–4, 7 and 8.
//!
//! 1. Each root is checked; a missing, unreadable or suddenly empty root makes its collection
//!    offline for this run and nothing under it is touched.
//! 2. Each reachable root is walked while the catalog's snapshot of it loads (two threads).
//! 3. The walk is diffed against the snapshot in memory; unchanged files cost nothing more.
//! 4. New and changed files are hashed on every core; a new file whose hash is that of an
//!    asset no longer found is that asset, moved (it keeps its id).
//! 7. What a complete walk did not find is marked missing; never deleted.
//! 8. Every write goes to the single writer; the scan is one changeset. Cancel stops
//!    between files and what was written stays valid; a killed scan is marked interrupted by
//!    the next one, which converges because every write is keyed by path and idempotent.
//!
//! The seams for later stages (probe, identify) are the hash results: each new or changed
//! file passes through `handle_hashed` on its way to the writer.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use crate::catalog::assets::{self, AssetId, MoveCandidate};
use crate::catalog::sources::CollectionRow;
use crate::catalog::status::Health;
use crate::catalog::{self, CatalogError, Mode, changesets};
use crate::config::Config;
use crate::identify::context::{self as ident_context, KnownTitles, Siblings};
use crate::identify::{Hint, Identification, identify};
use crate::paths;
use crate::probe::{self, Probed};
use crate::scan::MediaKind;
use crate::scan::diff::{self, HashJob, Plan, Reason};
use crate::scan::hash::{HashError, Hashed, sha256_file};
use crate::scan::walk::{self, Found, WalkOptions, name_issue};
use crate::worker::lock::{LockError, ScanLock};
use crate::worker::progress::{Phase, Progress};
use crate::worker::report::{CollectionReport, Counts, ErrorEntry, ScanReport};
use crate::worker::writer::{Batch, Facts, WriteMsg, Writer, WriterHandle};

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
    /// The process's writer, when it has one (the UI's); otherwise the scan opens its own.
    pub writer: Option<WriterHandle>,
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
}

/// One collection's walk and plan.
struct Walked {
    col: CollectionRow,
    root: PathBuf,
    files: Vec<Found>,
    plan: Plan,
    counts: Counts,
    offline: Option<String>,
    /// The catalog's show titles, for names that start with one (`the.100.109`).
    known: Arc<KnownTitles>,
    /// Videos by folder, built the first time a name needs its siblings.
    folders: Option<HashMap<Vec<u8>, Vec<usize>>>,
    siblings: HashMap<Vec<u8>, Siblings>,
}

impl Walked {
    /// Names a video: on its own, then, when that is not sure enough, with the other
    /// videos of its folder and the catalog's titles.
    fn name_video(&mut self, file: usize, threshold: f64) -> Identification {
        let rel = String::from_utf8_lossy(&self.files[file].rel).into_owned();
        let hint = Hint::from_kind(self.col.kind.as_str());
        let id = identify(&rel, hint);
        if id.confidence >= threshold {
            return id;
        }
        let folder = ident_context::folder_of(&rel).as_bytes().to_vec();
        let siblings = self.siblings_of(&folder, hint);
        ident_context::refine(&rel, id, siblings.as_ref(), Some(&self.known))
    }

    fn siblings_of(&mut self, folder: &[u8], hint: Hint) -> Option<Siblings> {
        if let Some(s) = self.siblings.get(folder) {
            return Some(s.clone());
        }
        let files = &self.files;
        let index = self.folders.get_or_insert_with(|| {
            let mut m: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
            for (i, f) in files.iter().enumerate() {
                if f.kind == MediaKind::Video {
                    let rel = String::from_utf8_lossy(&f.rel);
                    m.entry(ident_context::folder_of(&rel).as_bytes().to_vec())
                        .or_default()
                        .push(i);
                }
            }
            m
        });
        let members = index.get(folder)?;
        if members.len() < 2 {
            return None;
        }
        let names: Vec<String> = members
            .iter()
            .map(|&i| String::from_utf8_lossy(&files[i].rel).into_owned())
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let s = Siblings::of(&refs, hint);
        self.siblings.insert(folder.to_vec(), s.clone());
        Some(s)
    }
}

/// Where writes go: the writer thread, or nowhere (dry run). Messages are gathered into
/// batches, sent when full or when the oldest has waited `SINK_LINGER`.
struct Sink {
    tx: Option<WriterHandle>,
    buf: Batch,
    since: Instant,
    broken: bool,
}

const SINK_BATCH: usize = 256;
const SINK_LINGER: Duration = Duration::from_millis(250);

impl Sink {
    fn new(tx: Option<WriterHandle>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(SINK_BATCH),
            since: Instant::now(),
            broken: false,
        }
    }

    fn send(&mut self, m: WriteMsg) {
        if self.tx.is_none() {
            return;
        }
        if self.buf.is_empty() {
            self.since = Instant::now();
        }
        self.buf.push(m);
        if self.buf.len() >= SINK_BATCH || self.since.elapsed() >= SINK_LINGER {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(tx) = &self.tx
            && !self.buf.is_empty()
        {
            let batch = std::mem::replace(&mut self.buf, Vec::with_capacity(SINK_BATCH));
            if !tx.send(batch) {
                // A write failed (or the writer is gone); ending the session reports it.
                self.broken = true;
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Runs a scan to the end (or to cancellation) and reports what it did.
pub fn run_scan(req: &ScanRequest) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    let opts = WalkOptions::new(req.config.scan.follow_symlinks, &req.config.scan.ignore)?;
    let progress = &req.progress;

    // The writer (the only read-write connection: the process's, or one of the scan's own)
    // and a reader for snapshots.
    let mut lock = None;
    let mut interrupted = Vec::new();
    let mut own_writer = None;
    let (reader, writer, changeset) = if req.dry_run {
        let reader = if req.db.exists() {
            catalog::open(&req.db, Mode::ReadOnly)?
        } else {
            catalog::open_in_memory()?
        };
        (reader, None, None)
    } else {
        let mut l = ScanLock::acquire(&req.db)?;
        let w = match &req.writer {
            Some(h) => h.clone(),
            None => {
                let own = Writer::open(&req.db)?;
                let h = own.handle();
                own_writer = Some(own);
                h
            }
        };
        let names: Vec<&str> = req.targets.iter().map(|c| c.name.as_str()).collect();
        let message = format!("scan of {}", names.join(", "));
        let retention = req.config.status.retention_days;
        let (found, id) = w.call(move |conn| {
            let found = changesets::mark_interrupted_scans(conn)?;
            catalog::status::prune_history(conn, retention)?;
            Ok((found, changesets::begin(conn, "scan", &message)?))
        })?;
        interrupted = found;
        l.describe(&format!(
            "pid {}, changeset #{id}, started {}",
            std::process::id(),
            crate::time::now()
        ));
        lock = Some(l);
        let reader = catalog::open(&req.db, Mode::ReadOnly)?;
        w.begin(
            id,
            req.config.scan.batch_size,
            crate::worker::writer::Rules::from_config(&req.config),
        )?;
        (reader, Some(w), Some(id))
    };
    let mut sink = Sink::new(writer.clone());
    let heartbeat_secs = req.config.status.heartbeat_secs;
    let beat = |sink: &mut Sink, health: Health, task: String, error: Option<String>| {
        sink.send(WriteMsg::Heartbeat {
            health,
            task,
            error,
            interval_secs: heartbeat_secs,
        })
    };
    beat(&mut sink, Health::Ok, "scan starting".into(), None);

    let done = AtomicBool::new(false);
    let mut errors: Vec<ErrorEntry> = Vec::new();
    let mut walked: Vec<Walked> = Vec::new();
    let mut canceled = false;
    let mut unprobed = 0u64;

    std::thread::scope(|s| -> Result<(), ScanError> {
        // Heartbeats while the scan runs, at least every `heartbeat_secs`.
        if let Some(tx) = sink.tx.clone() {
            let done = &done;
            let progress = progress.clone();
            s.spawn(move || {
                let mut last = Instant::now();
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if last.elapsed() >= Duration::from_secs(heartbeat_secs) {
                        last = Instant::now();
                        let msg = WriteMsg::Heartbeat {
                            health: Health::Ok,
                            task: progress.snapshot().line(),
                            error: None,
                            interval_secs: heartbeat_secs,
                        };
                        if !tx.send(vec![msg]) {
                            break;
                        }
                    }
                }
            });
        }

        // The catalog's show titles, for names that only make sense with them.
        let known = Arc::new(KnownTitles::new(
            catalog::library::show_names(&reader).unwrap_or_default(),
        ));
        // Steps 1–3: check, walk and diff each collection.
        progress.set_phase(Phase::Walking);
        for col in &req.targets {
            let mut w = walk_one(col, &opts, &reader, req, &mut sink, &mut errors)?;
            w.known = known.clone();
            canceled |= req.cancel.load(Ordering::Relaxed);
            walked.push(w);
            if canceled {
                break;
            }
        }

        if let Some(hook) = &req.after_walk {
            hook();
        }
        crate::worker::fault("scan.after_walk");

        // Step 4: hash what is new or changed; recognise moves.
        if !canceled {
            progress.set_phase(Phase::Hashing);
            let mut claims = MoveClaims::load(&reader, &walked)?;
            hash_all(
                req,
                &mut walked,
                &mut claims,
                &mut sink,
                &mut errors,
                &mut unprobed,
            );
            canceled = req.cancel.load(Ordering::Relaxed);

            // Unchanged videos never identified (a catalog from before identification).
            let threshold = req.config.identify.confidence_threshold;
            for w in &mut walked {
                for (file, id) in std::mem::take(&mut w.plan.to_identify) {
                    w.counts.identified += 1;
                    let named = w.name_video(file, threshold);
                    sink.send(WriteMsg::Identify(id, Box::new(named)));
                }
            }

            // Unchanged files never probed (a catalog from before probing, or from a scan
            // without ffprobe): read now, on every core.
            if !req.dry_run && !canceled {
                probe_unchanged(req, &mut walked, &mut sink, &mut errors, &mut unprobed);
                canceled = req.cancel.load(Ordering::Relaxed);
            }

            // Missing assets found again unchanged.
            for w in &mut walked {
                for id in std::mem::take(&mut w.plan.back_unchanged) {
                    w.counts.returned += 1;
                    sink.send(WriteMsg::Present(id));
                }
            }

            // Step 7: only a complete, uncanceled walk may say a file is gone.
            if !canceled {
                progress.set_phase(Phase::Finishing);
                for w in &mut walked {
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
        }
        done.store(true, Ordering::Relaxed);
        Ok(())
    })?;

    let mut total = Counts::default();
    let collections: Vec<CollectionReport> = walked
        .iter()
        .map(|w| {
            total.add(&w.counts);
            let root = w.col.root.clone().unwrap_or_default();
            let (root, root_hex) = paths::export_form(&root);
            CollectionReport {
                name: w.col.name.clone(),
                root,
                root_hex,
                offline: w.offline.is_some(),
                offline_reason: w.offline.clone(),
                counts: w.counts.clone(),
            }
        })
        .collect();
    let any_offline = collections.iter().any(|c| c.offline);
    let status = if canceled {
        changesets::Status::Canceled
    } else if any_offline {
        changesets::Status::Partial
    } else {
        changesets::Status::Completed
    };
    let mut warnings = Vec::new();
    if unprobed > 0 {
        let w = format!(
            "ffprobe is not installed (or `probe.ffprobe` does not run): {unprobed} file(s) in containers shelf does not read itself (AVI, MPEG-TS, WMV, FLV, OGG, audio) were not probed"
        );
        sink.send(WriteMsg::Warning { message: w.clone() });
        warnings.push(w);
    }
    let mut report = ScanReport {
        changeset,
        status: status.as_str().to_owned(),
        dry_run: req.dry_run,
        counts: total,
        duration_ms: 0,
        interrupted_changesets: interrupted,
        errors,
        warnings,
        collections,
    };
    let (health, last_error) = if report.counts.errors > 0 {
        (
            Health::Warning,
            report
                .errors
                .last()
                .map(|e| format!("{}: {}", e.path, e.reason)),
        )
    } else if any_offline {
        (
            Health::Warning,
            Some("a collection was offline; see `shelf source list`".to_string()),
        )
    } else {
        (Health::Ok, None)
    };
    beat(
        &mut sink,
        health,
        format!("idle; last scan {}", status.as_str()),
        last_error,
    );
    drop(sink);
    progress.set_phase(Phase::Done);
    report.duration_ms = started.elapsed().as_millis() as u64;

    if let (Some(w), Some(id)) = (writer, changeset) {
        let ms = report.duration_ms as i64;
        match w.end() {
            Ok(()) => {
                let stats = serde_json::to_value(&report)
                    .map(|mut v| {
                        // The full error list lives in changeset_errors; keep stats small.
                        if let Some(o) = v.as_object_mut() {
                            o.remove("errors");
                        }
                        v
                    })
                    .unwrap_or_default();
                w.call(move |c| changesets::finish(c, id, status, &stats, ms))?;
            }
            Err(e) => {
                // Record the failure if the catalog still takes writes.
                let msg = serde_json::json!({ "error": e.to_string() });
                let _ =
                    w.call(move |c| changesets::finish(c, id, changesets::Status::Error, &msg, ms));
                return Err(e.into());
            }
        }
    }
    if let Some(own) = own_writer {
        own.close()?;
    }
    drop(lock);
    Ok(report)
}

/// Steps 1–3 for one collection.
fn walk_one(
    col: &CollectionRow,
    opts: &WalkOptions,
    reader: &rusqlite::Connection,
    req: &ScanRequest,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) -> Result<Walked, ScanError> {
    let root = col.root.as_deref().map(paths::from_bytes);
    let mut w = Walked {
        col: col.clone(),
        root: root.clone().unwrap_or_default(),
        files: Vec::new(),
        plan: Plan::default(),
        counts: Counts::default(),
        offline: None,
        known: Arc::default(),
        folders: None,
        siblings: HashMap::new(),
    };
    let Some(root) = root else {
        w.offline = Some("no local folder (add a path mapping)".into());
        return Ok(w);
    };
    req.progress.set_current(col.name.clone());
    if let Err(reason) = walk::check_root(&root) {
        w.offline = Some(reason);
    } else {
        let (out, known) = std::thread::scope(|s| {
            let walker = s.spawn(|| walk::walk(&root, opts, &req.cancel, &req.progress.files_seen));
            let known = assets::snapshot(reader, col.id);
            (walker.join(), known)
        });
        let known = known?;
        let out = out.map_err(|_| {
            ScanError::Catalog(CatalogError::Invalid(format!(
                "the walk of {} panicked",
                paths::show(&root)
            )))
        })?;
        let cataloged_present = known.values().filter(|k| !k.missing).count();
        if let Err(reason) = walk::check_root(&root) {
            w.offline = Some(format!("{reason} (during the walk)"));
        } else if out.files.is_empty() && out.problems.is_empty() && cataloged_present > 0 {
            w.offline = Some(format!(
                "root folder is empty but the catalog has {cataloged_present} files under it (disk not mounted?)"
            ));
        }
        if w.offline.is_none() {
            for p in &out.problems {
                w.counts.errors += 1;
                record_problem(sink, errors, col, &root, &p.rel, &p.reason);
            }
            w.counts.seen = out.files.len() as u64;
            w.counts.skipped = out.skipped_special;
            w.plan = diff::diff(&out.files, known, &out.unverified);
            w.counts.unchanged = w.plan.unchanged;
            w.files = out.files;
            if out.canceled {
                // An incomplete walk must not mark anything missing.
                w.plan.vanished.clear();
            }
        }
    }
    sink.send(WriteMsg::Reachability {
        collection: col.id,
        ingestible: w.offline.is_none(),
        reason: w.offline.clone(),
    });
    if let Some(reason) = &w.offline {
        tracing::warn!(collection = %col.name, %reason, "collection offline for this scan");
    }
    Ok(w)
}

fn record_problem(
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
    col: &CollectionRow,
    root: &Path,
    rel: &[u8],
    reason: &str,
) {
    let full = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(paths::from_bytes(rel))
    };
    let (path, path_hex) = paths::export_form(paths::to_bytes(&full));
    tracing::warn!(path = %paths::show(&full), %reason, "scan problem");
    errors.push(ErrorEntry {
        path,
        path_hex,
        reason: reason.to_owned(),
    });
    sink.send(WriteMsg::Problem {
        collection: (col.id.0 > 0).then_some(col.id),
        path: paths::to_bytes(&full).to_vec(),
        reason: reason.to_owned(),
    });
}

/// Hashes of assets that a new file may be a move of: those marked missing before, and those
/// this scan's walks no longer found. Each is claimed at most once.
struct MoveClaims {
    by_hash: HashMap<String, VecDeque<MoveCandidate>>,
    sizes: HashSet<i64>,
    claimed: HashSet<AssetId>,
}

impl MoveClaims {
    fn load(reader: &rusqlite::Connection, walked: &[Walked]) -> Result<Self, CatalogError> {
        let vanished: Vec<AssetId> = walked
            .iter()
            .flat_map(|w| w.plan.vanished.iter().copied())
            .collect();
        let mut all = assets::candidates_by_id(reader, &vanished)?;
        let new_files = walked
            .iter()
            .any(|w| w.plan.to_hash.iter().any(|j| j.reason == Reason::New));
        if new_files {
            all.extend(assets::missing_candidates(reader)?);
        }
        let mut me = Self {
            by_hash: HashMap::new(),
            sizes: HashSet::new(),
            claimed: HashSet::new(),
        };
        for c in all {
            me.sizes.insert(c.size);
            me.by_hash.entry(c.sha256.clone()).or_default().push_back(c);
        }
        Ok(me)
    }

    fn claim(&mut self, sha256: &str) -> Option<MoveCandidate> {
        let q = self.by_hash.get_mut(sha256)?;
        let c = q.pop_front()?;
        self.claimed.insert(c.id);
        Some(c)
    }
}

/// Step 4: hash every planned file on a pool of threads; the results come back here, in
/// whatever order they finish, and go on to the writer.
fn hash_all(
    req: &ScanRequest,
    walked: &mut [Walked],
    claims: &mut MoveClaims,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
    unprobed: &mut u64,
) {
    // (collection index, job). A dry run reads only what could be a move.
    let mut jobs: Vec<(usize, HashJob)> = Vec::new();
    for (wi, w) in walked.iter_mut().enumerate() {
        for j in std::mem::take(&mut w.plan.to_hash) {
            let f = &w.files[j.file];
            if req.dry_run && !(j.reason == Reason::New && claims.sizes.contains(&(f.size as i64)))
            {
                count_unread(&mut w.counts, j.reason);
                continue;
            }
            jobs.push((wi, j));
        }
    }
    let progress = &req.progress;
    progress
        .files_to_hash
        .store(jobs.len() as u64, Ordering::Relaxed);
    progress.bytes_to_hash.store(
        jobs.iter()
            .map(|(wi, j)| walked[*wi].files[j.file].size)
            .sum(),
        Ordering::Relaxed,
    );
    if jobs.is_empty() {
        return;
    }
    let paths: Vec<PathBuf> = jobs
        .iter()
        .map(|(wi, j)| {
            walked[*wi]
                .root
                .join(paths::from_bytes(&walked[*wi].files[j.file].rel))
        })
        .collect();
    let probe_opts = req.config.probe.options();
    let kinds: Vec<MediaKind> = jobs
        .iter()
        .map(|(wi, j)| walked[*wi].files[j.file].kind)
        .collect();
    let mtimes: Vec<i64> = jobs
        .iter()
        .map(|(wi, j)| walked[*wi].files[j.file].mtime_ns)
        .collect();
    let dry = req.dry_run;
    on_every_core(
        req,
        paths.len(),
        |i, buf| {
            let r = sha256_file(&paths[i], buf, &req.cancel, &progress.bytes_hashed);
            // Probe now, while the file is in the page cache.
            let probed = match &r {
                Ok(h) if !dry && h.size > 0 => {
                    probe::file(&paths[i], kinds[i], mtimes[i], &probe_opts)
                }
                _ => None,
            };
            (r, probed)
        },
        |i, (result, probed)| {
            let (wi, job) = jobs[i];
            progress.files_hashed.fetch_add(1, Ordering::Relaxed);
            if i % 64 == 0 {
                progress.set_current(paths::show(&paths[i]));
            }
            if matches!(probed, Some(Probed::NeedsFfprobe)) {
                *unprobed += 1;
            }
            handle_hashed(
                req,
                &mut walked[wi],
                job,
                result,
                probed,
                claims,
                sink,
                errors,
            );
            if sink.broken {
                req.cancel.store(true, Ordering::Relaxed);
            }
        },
    );
}

/// Runs `work` for every index below `n` on the scan's threads (one per core unless
/// `scan.hash_threads` says otherwise), each with its own scratch buffer, and hands each
/// result to `each` on this thread as it comes. Stops early when the scan is canceled.
fn on_every_core<T: Send>(
    req: &ScanRequest,
    n: usize,
    work: impl Fn(usize, &mut Vec<u8>) -> T + Sync,
    mut each: impl FnMut(usize, T),
) {
    if n == 0 {
        return;
    }
    let threads = match req.config.scan.hash_threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
    .min(n);
    let next = AtomicUsize::new(0);
    let (tx, rx) = channel::<(usize, T)>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, work, cancel) = (&next, &work, &req.cancel);
            s.spawn(move || {
                let mut buf = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    if tx.send((i, work(i, &mut buf))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, t) in rx {
            each(i, t);
        }
    });
}

/// Probes the unchanged files no scan has read the contents of, in parallel.
fn probe_unchanged(
    req: &ScanRequest,
    walked: &mut [Walked],
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
    unprobed: &mut u64,
) {
    let opts = req.config.probe.options();
    // (collection, file, asset, path, kind, mtime)
    let mut jobs: Vec<(usize, usize, AssetId, PathBuf, MediaKind, i64)> = Vec::new();
    for (wi, w) in walked.iter_mut().enumerate() {
        for (file, id, needs_ffprobe) in std::mem::take(&mut w.plan.to_probe) {
            // Known to need ffprobe, and still none: nothing to gain from opening it.
            if needs_ffprobe && opts.ffprobe.is_none() {
                continue;
            }
            let f = &w.files[file];
            let path = w.root.join(paths::from_bytes(&f.rel));
            jobs.push((wi, file, id, path, f.kind, f.mtime_ns));
        }
    }
    if jobs.is_empty() {
        return;
    }
    req.progress.set_current(format!(
        "probing {} unchanged file(s) never read",
        jobs.len()
    ));
    on_every_core(
        req,
        jobs.len(),
        |i, _| {
            let (_, _, _, path, kind, mtime) = &jobs[i];
            probe::file(path, *kind, *mtime, &opts)
        },
        |i, probed| {
            let (wi, file, id, _, kind, _) = &jobs[i];
            let Some(p) = probed else { return };
            if matches!(p, Probed::NeedsFfprobe) {
                *unprobed += 1;
            }
            note_probe(req, &mut walked[*wi], *file, sink, errors, &p);
            sink.send(WriteMsg::Probe(*id, Box::new(p), *kind == MediaKind::Video));
        },
    );
}

/// What a probe result adds to the scan's counts and problems, wherever it was read: a
/// file that cannot be read as what it claims is a per-file problem.
fn note_probe(
    req: &ScanRequest,
    w: &mut Walked,
    file: usize,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
    p: &Probed,
) {
    if let Probed::Failed(why) = p {
        w.counts.errors += 1;
        req.progress.errors.fetch_add(1, Ordering::Relaxed);
        let why = format!("cannot probe: {why}");
        record_problem(sink, errors, &w.col, &w.root, &w.files[file].rel, &why);
    }
    if !matches!(p, Probed::NeedsFfprobe) {
        w.counts.probed += 1;
    }
}

fn count_unread(c: &mut Counts, reason: Reason) {
    match reason {
        Reason::New => c.new += 1,
        Reason::Changed(_) => c.changed += 1,
        Reason::Returned(_) => c.returned += 1,
        Reason::Retry(_) => c.retried += 1,
    }
}

/// One file's hash result → catalog writes. This is the seam where probing and
/// identification will join the pipeline.
#[allow(clippy::too_many_arguments)] // the seam every stage passes through
fn handle_hashed(
    req: &ScanRequest,
    w: &mut Walked,
    job: HashJob,
    result: Result<Hashed, HashError>,
    probed: Option<Probed>,
    claims: &mut MoveClaims,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) {
    let f = &w.files[job.file];
    let mut facts = Facts {
        collection: w.col.id,
        rel_path: f.rel.clone(),
        size: f.size as i64,
        mtime_ns: f.mtime_ns,
        sha256: None,
        kind: f.kind.as_str(),
        error: None,
        ident: None,
        probe: None,
    };
    let problem = match result {
        Err(HashError::Canceled) => return,
        Err(HashError::Vanished) => {
            w.counts.errors += 1;
            req.progress.errors.fetch_add(1, Ordering::Relaxed);
            record_problem(
                sink,
                errors,
                &w.col,
                &w.root,
                &f.rel,
                &HashError::Vanished.to_string(),
            );
            return;
        }
        Ok(h) => {
            w.counts.files_hashed += 1;
            w.counts.bytes_hashed += h.size;
            facts.size = h.size as i64;
            facts.mtime_ns = h.mtime_ns;
            facts.sha256 = Some(h.sha256);
            if h.size == 0 {
                Some("file is empty (0 bytes)".to_string())
            } else {
                name_issue(&f.rel).map(str::to_owned)
            }
        }
        Err(e) => Some(format!("cannot read: {e}")),
    };
    if let Some(p) = &problem {
        w.counts.errors += 1;
        req.progress.errors.fetch_add(1, Ordering::Relaxed);
        record_problem(sink, errors, &w.col, &w.root, &f.rel, p);
        facts.error = problem;
    }
    count_unread(&mut w.counts, job.reason);
    // Probing joins here.
    if let Some(p) = probed {
        note_probe(req, w, job.file, sink, errors, &p);
        facts.probe = Some(Box::new(p));
    }
    // Identification joins here: every new or changed video is named (a move keeps its
    // identity, links and decisions, so it is not named again).
    if w.files[job.file].kind == MediaKind::Video {
        facts.ident = Some(Box::new(
            w.name_video(job.file, req.config.identify.confidence_threshold),
        ));
        w.counts.identified += 1;
    }
    let f = &w.files[job.file];
    let msg = match job.reason {
        Reason::New => match facts.sha256.as_deref().and_then(|h| claims.claim(h)) {
            Some(origin) => {
                w.counts.new -= 1;
                w.counts.moved += 1;
                tracing::info!(
                    from = %paths::display(&origin.rel_path),
                    to = %paths::display(&f.rel),
                    "moved"
                );
                WriteMsg::Update(origin.id, facts)
            }
            None => WriteMsg::Upsert(facts),
        },
        Reason::Changed(id) | Reason::Returned(id) | Reason::Retry(id) => {
            WriteMsg::Update(id, facts)
        }
    };
    sink.send(msg);
}
