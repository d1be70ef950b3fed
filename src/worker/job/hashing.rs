//! Step 4: hash what is new or changed on every core, recognise moves, and send each
//! result (with its probe and identification) to the writer.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::channel;

use crate::catalog::CatalogError;
use crate::catalog::assets::{self, MoveCandidate};
use crate::model::AssetId;
use crate::model::MediaKind;
use crate::paths;
use crate::probe::{self, Probed};
use crate::scan::diff::{HashJob, Reason};
use crate::scan::hash::{HashError, Hashed, sha256_file};
use crate::scan::walk::name_issue;
use crate::worker::report::ErrorEntry;
use crate::worker::writer::{Facts, WriteMsg};

use super::*;

/// Hashes of assets that a new file may be a move of: those marked missing before, and those
/// this scan's walks no longer found. Each is claimed at most once.
pub(super) struct MoveClaims {
    pub(super) by_hash: HashMap<String, VecDeque<MoveCandidate>>,
    pub(super) sizes: HashSet<i64>,
    pub(super) claimed: HashSet<AssetId>,
}

impl MoveClaims {
    pub(super) fn load(
        reader: &crate::catalog::Db,
        walked: &[Walked],
    ) -> Result<Self, CatalogError> {
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

    pub(super) fn claim(&mut self, sha256: &str) -> Option<MoveCandidate> {
        let q = self.by_hash.get_mut(sha256)?;
        let c = q.pop_front()?;
        self.claimed.insert(c.id);
        Some(c)
    }
}

/// Step 4: hash every planned file on a pool of threads; the results come back here, in
/// whatever order they finish, and go on to the writer.
pub(super) fn hash_all(
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
pub(super) fn on_every_core<T: Send>(
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

/// One file's hash result → catalog writes. This is the seam where probing and
/// identification will join the pipeline.
#[expect(
    clippy::too_many_arguments,
    reason = "the seam every stage passes through"
)]
pub(super) fn handle_hashed(
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
