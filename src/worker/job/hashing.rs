//! Step 4, in two phases. Reading: every new or changed file is read on every core (a small
//! one whole for its hash, a large one at its ends for a fingerprint), probed, named, checked
//! for a move, and sent to the writer, so the whole library is listed and named before any
//! large file is read whole. Hashing: large files are read whole for their content hash; a
//! canceled or killed scan leaves them pending, and the next scan resumes there.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use crate::catalog::CatalogError;
use crate::catalog::assets::{self, MoveCandidate};
use crate::identify::{Hint, Identification, identify};
use crate::model::AssetId;
use crate::model::MediaKind;
use crate::paths;
use crate::probe::{self, Probed};
use crate::scan::diff::{HashJob, Reason};
use crate::scan::hash::{
    ByFolder, Fingerprinted, HashError, Hashed, READ_WHOLE_BELOW, fingerprint_of, sha256_file,
    sha256_of,
};
use crate::scan::walk::{Found, name_issue};
use crate::worker::report::ErrorEntry;
use crate::worker::writer::{Facts, WriteMsg};

use super::*;

/// Assets that a new file may be a move of: those marked missing before, and those this
/// scan's walks no longer found, by full hash and by fingerprint. Each is claimed at most
/// once.
pub(super) struct MoveClaims {
    pub(super) by_hash: HashMap<String, VecDeque<MoveCandidate>>,
    pub(super) by_fingerprint: HashMap<String, VecDeque<MoveCandidate>>,
    pub(super) sizes: HashSet<i64>,
    /// Sizes of large candidates known only by their full hash (cataloged before
    /// fingerprints): a new file of such a size is read whole at once to be compared.
    pub(super) sizes_by_hash_only: HashSet<i64>,
    pub(super) claimed: HashSet<AssetId>,
}

impl MoveClaims {
    pub(super) fn load(
        reader: &crate::catalog::Db,
        walked: &[Walked],
    ) -> Result<Self, CatalogError> {
        let vanished: Vec<AssetId> = walked
            .iter()
            .flat_map(|w| {
                w.plan
                    .vanished
                    .iter()
                    .chain(&w.plan.gone_elsewhere)
                    .copied()
            })
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
            by_fingerprint: HashMap::new(),
            sizes: HashSet::new(),
            sizes_by_hash_only: HashSet::new(),
            claimed: HashSet::new(),
        };
        for c in all {
            me.sizes.insert(c.size);
            if c.fingerprint.is_none() && c.size as u64 > READ_WHOLE_BELOW {
                me.sizes_by_hash_only.insert(c.size);
            }
            if let Some(fp) = &c.fingerprint {
                me.by_fingerprint
                    .entry(fp.clone())
                    .or_default()
                    .push_back(c.clone());
            }
            if let Some(h) = &c.sha256 {
                me.by_hash.entry(h.clone()).or_default().push_back(c);
            }
        }
        Ok(me)
    }

    /// The candidate with this content, by full hash or by fingerprint, not claimed yet.
    pub(super) fn claim(&mut self, content: &Content) -> Option<MoveCandidate> {
        let q = match content {
            Content::Hash(h) => self.by_hash.get_mut(h)?,
            Content::Fingerprint(fp) => self.by_fingerprint.get_mut(fp)?,
        };
        while let Some(c) = q.pop_front() {
            if self.claimed.insert(c.id) {
                return Some(c);
            }
        }
        None
    }

    /// Is a new file of this size read whole at once (small, or maybe a move of a file
    /// known only by its full hash)?
    fn read_whole(&self, size: u64) -> bool {
        size <= READ_WHOLE_BELOW || self.sizes_by_hash_only.contains(&(size as i64))
    }
}

/// What a read found of a file's content.
pub(super) enum Content {
    Hash(String),
    Fingerprint(String),
}

/// A file read in the reading phase: whole (its hash) or at its ends (its fingerprint).
pub(super) enum Read {
    Whole(Hashed),
    Ends(Fingerprinted),
}

impl Read {
    fn size(&self) -> u64 {
        match self {
            Read::Whole(h) => h.size,
            Read::Ends(f) => f.size,
        }
    }
    fn mtime_ns(&self) -> i64 {
        match self {
            Read::Whole(h) => h.mtime_ns,
            Read::Ends(f) => f.mtime_ns,
        }
    }
}

/// How the pool reads one file, beside its job (`read_all`'s `jobs`, same index): the file's
/// path and facts are read from its walk's list (`Shared`), not copied into a list of
/// their own. That list was built on the one thread every reading thread waits for, and at
/// a million files its full paths and copied facts were ~120 MB of fresh memory: the first
/// scan peaked at 395 MB resident with it, 272 MB without (docs/benchmarks.md: on a host
/// that takes back memory left free, every fresh page past a few hundred MB costs more).
struct ToRead {
    /// Read whole for its hash (small, a photo, maybe a move of a file known only by its
    /// hash, or a dry run); else at its ends.
    whole: bool,
    /// For a video to name: how its collection leans (the name is read from its path
    /// within the collection on the reading thread).
    name: Option<Hint>,
}

/// What the reading threads share of the walks: each collection's root and files. The
/// collecting thread updates the walks' counts and plans meanwhile; the files do not change
/// once walked.
type Shared = Vec<(PathBuf, Arc<Vec<Found>>)>;

impl ToRead {
    fn new(req: &ScanRequest, w: &Walked, job: HashJob, claims: &MoveClaims) -> Self {
        let f = &w.files[job.file];
        // Photos are read whole at once: their hash finds duplicates across camera cards,
        // and the probe reads their EXIF from the pages the hash just read.
        let whole = req.dry_run || f.kind == MediaKind::Image || claims.read_whole(f.size);
        // A server's files are named by the server, not by their names; a name read before
        // at this path is not read again.
        let name = (f.kind == MediaKind::Video && w.server.is_none() && !job.named)
            .then(|| Hint::from(w.col.kind));
        ToRead { whole, name }
    }

    /// Reads `f` (whole, or its ends), probes it while its pages are cached, and reads its
    /// name on its own.
    fn read(
        &self,
        req: &ScanRequest,
        opts: &probe::ProbeOptions,
        (root, f): (&Path, &Found),
        (buf, folders): &mut (Vec<u8>, ByFolder),
    ) -> FileRead {
        // (Joined as it is read, and dropped after: a path held for every file on the list
        // was the memory the list no longer takes.)
        let path = root.join(paths::as_path(&f.rel));
        let path = path.as_path();
        let progress = &req.progress.bytes_hashed;
        let result = match folders.open(path) {
            Ok(file) if self.whole => sha256_of(file, buf, &req.cancel, progress).map(Read::Whole),
            Ok(file) => fingerprint_of(file, buf, progress).map(Read::Ends),
            Err(e) => Err(e.into()),
        };
        let probed = match &result {
            Ok(r) if !req.dry_run && r.size() > 0 => {
                // A whole read left the file's beginning in `buf`: the probe reads it there.
                let head = match r {
                    Read::Whole(h) => Some(probe::Head {
                        bytes: &buf[..h.head],
                        size: h.size,
                    }),
                    Read::Ends(_) => None,
                };
                probe::file(path, f.kind, f.mtime_ns, opts, head)
            }
            _ => None,
        };
        let named = self
            .name
            .map(|hint| identify(&String::from_utf8_lossy(&f.rel), hint));
        FileRead {
            result,
            probed,
            named,
        }
    }
}

/// About how many bytes the full hashes after reading will read (`full_hashes`): the large
/// files read at their ends now, and those an earlier scan left pending; none when this
/// scan stops at fingerprints. For the progress gauge's split between the phases.
fn full_hashes_after(
    req: &ScanRequest,
    walked: &[Walked],
    jobs: &[(usize, HashJob)],
    list: &[ToRead],
) -> u64 {
    if req.dry_run || req.config.scan.hash == crate::config::HashMode::Fingerprint {
        return 0;
    }
    let now: u64 = jobs
        .iter()
        .zip(list)
        .filter(|(_, r)| !r.whole)
        .map(|(&(wi, j), _)| walked[wi].files[j.file].size)
        .sum();
    let pending: u64 = walked
        .iter()
        .flat_map(|w| w.plan.hash_pending.iter().map(|&f| w.files[f].size))
        .sum();
    now + pending
}

/// Step 4, the reading phase: every planned file read (whole, or at its ends), probed and
/// named on a pool of threads; the results come back here in walk order (`on_threads`),
/// and go on to the writer.
pub(super) fn read_all(
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
    let list: Vec<ToRead> = jobs
        .iter()
        .map(|&(wi, j)| ToRead::new(req, &walked[wi], j, claims))
        .collect();
    let bytes = jobs
        .iter()
        .zip(&list)
        .map(|(&(wi, j), r)| {
            let size = walked[wi].files[j.file].size;
            if r.whole { size } else { READ_WHOLE_BELOW }
        })
        .sum();
    progress.begin_reading(
        list.len() as u64,
        bytes,
        full_hashes_after(req, walked, &jobs, &list),
    );
    let probe_opts = req.config.probe.options();
    let shared: Shared = walked
        .iter()
        .map(|w| (w.root.clone(), Arc::clone(&w.files)))
        .collect();
    let file = |i: usize| {
        let (wi, j) = jobs[i];
        let (root, files) = &shared[wi];
        (root.as_path(), &files[j.file])
    };
    on_every_core(
        req,
        list.len(),
        HANDFUL,
        |i, scratch: &mut (Vec<u8>, ByFolder)| list[i].read(req, &probe_opts, file(i), scratch),
        |i, read| {
            let (wi, job) = jobs[i];
            progress.files_hashed.fetch_add(1, Ordering::Relaxed);
            if i % 64 == 0 {
                let (root, f) = file(i);
                progress.set_current(paths::show(&root.join(paths::as_path(&f.rel))));
            }
            if matches!(read.probed, Some(Probed::NeedsFfprobe)) {
                *unprobed += 1;
            }
            handle_read(req, &mut walked[wi], job, read, claims, sink, errors);
            if sink.broken {
                req.cancel.store(true, Ordering::Relaxed);
            }
        },
    );
}

/// Runs `work` for every index below `n` on the scan's threads (one per core unless
/// `scan.hash_threads` says otherwise), each with its own scratch (`S::default()`: a read
/// buffer, an open folder), and hands the results to `each` on this thread in index order.
/// The threads send them up to `handful` at a time (1 when each result should be written
/// as soon as it and those before it are known: a large file's hash). Stops early when the
/// scan is canceled.
pub(super) fn on_every_core<T: Send, S: Default>(
    req: &ScanRequest,
    n: usize,
    handful: usize,
    work: impl Fn(usize, &mut S) -> T + Sync,
    each: impl FnMut(usize, T),
) {
    let threads = match req.config.scan.hash_threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    on_threads(req, threads, n, handful, work, each);
}

/// How many read files each reading thread may have waiting for this thread.
const READ_AHEAD: usize = 256;

/// The reading phase's results travel from a reading thread in handfuls: a channel
/// hand-off each (and, when this thread sleeps, a wake-up), not one per file; the
/// hand-offs and the collecting thread's wake-ups were a sixth of a 100,000-file first
/// scan's CPU outside the writer (1.56 → 1.49 s, five alternated runs, medians). A handful
/// goes when full, or when its first result has waited `HANDFUL_LINGER`.
const HANDFUL: usize = 32;
const HANDFUL_LINGER: Duration = Duration::from_millis(20);

/// `on_every_core` on `threads` threads (requests to a server wait on the network, not on
/// a core).
pub(super) fn on_threads<T: Send, S: Default>(
    req: &ScanRequest,
    threads: usize,
    n: usize,
    handful: usize,
    work: impl Fn(usize, &mut S) -> T + Sync,
    mut each: impl FnMut(usize, T),
) {
    if n == 0 {
        return;
    }
    let threads = threads.clamp(1, n);
    let next = AtomicUsize::new(0);
    // How many results `each` has had, in order: a thread does not start an index
    // `IN_ORDER_AHEAD` past it (its held results sent first, since one of them may be the
    // one awaited).
    let handed = AtomicUsize::new(0);
    // Bounded: when the catalog's writer is the slower side, the readers wait rather than
    // pile up every file's name and probe in memory (a million-file first scan peaked at
    // 922 MB with an unbounded queue).
    let handful = handful.max(1);
    let (tx, rx) = sync_channel::<Vec<(usize, T)>>(threads * READ_AHEAD / handful);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, handed, work, cancel) = (&next, &handed, &work, &req.cancel);
            s.spawn(move || {
                yield_to_the_writer();
                let mut buf = S::default();
                let mut held = Vec::with_capacity(handful);
                let mut since = Instant::now();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    if i >= handed.load(Ordering::Acquire) + IN_ORDER_AHEAD {
                        let early = std::mem::replace(&mut held, Vec::with_capacity(handful));
                        if !early.is_empty() && tx.send(early).is_err() {
                            return;
                        }
                        while i >= handed.load(Ordering::Acquire) + IN_ORDER_AHEAD
                            && !cancel.load(Ordering::Relaxed)
                        {
                            std::thread::sleep(Duration::from_millis(1));
                        }
                    }
                    if held.is_empty() {
                        since = Instant::now();
                    }
                    held.push((i, work(i, &mut buf)));
                    if held.len() >= handful || since.elapsed() >= HANDFUL_LINGER {
                        let full = std::mem::replace(&mut held, Vec::with_capacity(handful));
                        if tx.send(full).is_err() {
                            return;
                        }
                    }
                }
                if !held.is_empty() {
                    let _ = tx.send(held);
                }
            });
        }
        drop(tx);
        // Handed on in index order, whatever order the threads finish in: the catalog is
        // written in walk order, so a scan's result does not depend on which thread was
        // quicker (a name that two titles of different years fit is asked about only if
        // both are written before it).
        let mut early: BTreeMap<usize, T> = BTreeMap::new();
        for (i, t) in rx.into_iter().flatten() {
            early.insert(i, t);
            let mut at = handed.load(Ordering::Relaxed);
            while let Some(t) = early.remove(&at) {
                each(at, t);
                at += 1;
            }
            handed.store(at, Ordering::Release);
        }
        // Canceled: what was read before the stop, still in order.
        for (i, t) in early {
            each(i, t);
        }
    });
}

/// How far past the last result handed on a reading thread may start a file: bounds what
/// waits on the collecting thread while one file is slow to read.
const IN_ORDER_AHEAD: usize = 4096;

/// The pool's threads run this much nicer than the process (Linux gives each thread its own
/// nice value).
pub(super) const POOL_NICE: i32 = 10;

/// A scan goes at its writer's pace (one thread, the catalog's only), and the writer shares
/// the cores with the pool that feeds it. At equal priority, with two readers, the thread
/// collecting their results and the writer on two cores, the writer got ~75% of one and
/// the scan waited on it; with the pool's threads niced, the writer runs when it has work
/// and the pool takes the rest (a 100,000-file first scan, five alternated runs, medians:
/// 1.59 → 1.50 s; 3, 6 and 10 measured alike). Anything else on the machine (a media
/// server transcoding) goes before the pool too. Failing to lower its priority costs a scan
/// nothing but that.
fn yield_to_the_writer() {
    #[cfg(target_os = "linux")]
    // SAFETY: `getpriority`/`setpriority` on the calling thread's own id, no pointers.
    unsafe {
        let me = libc::gettid() as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS, me).clamp(-20, 19);
        libc::setpriority(libc::PRIO_PROCESS, me, (now + POOL_NICE).min(19));
    }
}

/// One file as the pool read it → catalog writes: its facts, problems, probe, name (refined
/// with its folder when not sure by itself) and, for a new file, the asset it was before a
/// move.
pub(super) fn handle_read(
    req: &ScanRequest,
    w: &mut Walked,
    job: HashJob,
    read: FileRead,
    claims: &mut MoveClaims,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) {
    let FileRead {
        result,
        probed,
        named,
    } = read;
    let f = &w.files[job.file];
    let mut facts = Facts {
        collection: w.col.id,
        rel_path: f.rel.clone(),
        size: f.size as i64,
        mtime_ns: f.mtime_ns,
        sha256: None,
        fingerprint: None,
        kind: f.kind.as_str(),
        error: None,
        ident: None,
        probe: None,
    };
    let problem = match result {
        Err(HashError::Canceled) => return,
        Err(HashError::Vanished) => {
            let why = HashError::Vanished.to_string();
            note_problem(req, w, job.file, &why, sink, errors);
            return;
        }
        Ok(read) => take_read(w, job.file, read, &mut facts),
        Err(e) => Some(format!("cannot read: {e}")),
    };
    if let Some(p) = &problem {
        note_problem(req, w, job.file, p, sink, errors);
        facts.error = problem;
    }
    count_unread(&mut w.counts, job.reason);
    if let Some(p) = probed {
        note_probe(req, w, job.file, sink, errors, &p);
        facts.probe = Some(Box::new(p));
    }
    // Every new video is named (a moved one too: its name is new), and a changed one whose
    // name the catalog never read (`HashJob::named`); the pool read the name on its own. A
    // person's decision stands whatever a name says.
    if let Some(s) = &w.server {
        let video = w.files[job.file].kind == MediaKind::Video;
        if let Some(id) = s.ident_of(job.file).filter(|_| video) {
            facts.ident = Some(Box::new(id));
            w.counts.identified += 1;
        }
    } else if let Some(id) = named {
        let threshold = req.config.identify.confidence_threshold;
        facts.ident = Some(Box::new(w.refine(job.file, id, threshold)));
        w.counts.identified += 1;
    }
    let msg = match job.reason {
        Reason::New => match content_of(&facts).and_then(|c| claims.claim(&c)) {
            Some(origin) => {
                w.counts.new -= 1;
                w.counts.moved += 1;
                tracing::info!(
                    from = %paths::display(&origin.rel_path),
                    to = %paths::display(&w.files[job.file].rel),
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

/// What a read found goes into the file's facts: its hash (counted as hashed) or its
/// fingerprint (its full hash is left for the hashing phase). Returns a problem with the
/// file itself: empty, or an odd name.
fn take_read(w: &mut Walked, file: usize, read: Read, facts: &mut Facts) -> Option<String> {
    facts.size = read.size() as i64;
    facts.mtime_ns = read.mtime_ns();
    match read {
        Read::Whole(h) => {
            w.counts.files_hashed += 1;
            w.counts.bytes_hashed += h.size;
            facts.sha256 = Some(h.sha256);
        }
        Read::Ends(fp) => {
            w.hash_later.push(file);
            facts.fingerprint = Some(fp.fingerprint);
        }
    }
    if facts.size == 0 {
        Some("file is empty (0 bytes)".to_string())
    } else {
        name_issue(&w.files[file].rel).map(str::to_owned)
    }
}

/// A problem with one file, counted and recorded.
fn note_problem(
    req: &ScanRequest,
    w: &mut Walked,
    file: usize,
    why: &str,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) {
    w.counts.errors += 1;
    req.progress.errors.fetch_add(1, Ordering::Relaxed);
    record_problem(sink, errors, &w.col, &w.root, &w.files[file].rel, why);
}

/// One file as the pool read it: its content (hash or fingerprint), what is inside, and
/// what its name says on its own (videos).
pub(super) struct FileRead {
    pub(super) result: Result<Read, HashError>,
    pub(super) probed: Option<Probed>,
    pub(super) named: Option<Identification>,
}

/// What the reading phase learned of a file's content, to find the asset it was before a
/// move.
fn content_of(f: &Facts) -> Option<Content> {
    match (&f.sha256, &f.fingerprint) {
        (Some(h), _) => Some(Content::Hash(h.clone())),
        (None, Some(fp)) => Some(Content::Fingerprint(fp.clone())),
        (None, None) => None,
    }
}

/// The hashing phase: every large file this scan cataloged by fingerprint, and every one an
/// earlier scan left pending, read whole on every core; each hash goes to the writer keyed
/// by path, recorded only if the file is still the one read. What a cancel leaves unread is
/// counted as pending, and the next scan reads it.
pub(super) fn full_hashes(
    req: &ScanRequest,
    walked: &mut [Walked],
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) {
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    for (wi, w) in walked.iter_mut().enumerate() {
        let mut files = std::mem::take(&mut w.hash_later);
        files.extend(std::mem::take(&mut w.plan.hash_pending));
        jobs.extend(files.into_iter().map(|f| (wi, f)));
    }
    // Largest first: the last file read is a small one, so no core idles at the end while
    // another reads a large file alone.
    jobs.sort_by_key(|&(wi, f)| std::cmp::Reverse(walked[wi].files[f].size));
    let size = |walked: &[Walked], (wi, f): (usize, usize)| walked[wi].files[f].size;
    if req.dry_run || req.config.scan.hash == crate::config::HashMode::Fingerprint {
        for &(wi, f) in &jobs {
            let w = &mut walked[wi];
            w.counts.hash_pending += 1;
            w.counts.hash_pending_bytes += w.files[f].size;
        }
        return;
    }
    let progress = &req.progress;
    let bytes = jobs.iter().map(|&j| size(walked, j)).sum();
    progress.begin(Phase::Hashing, jobs.len() as u64, bytes);
    let paths: Vec<PathBuf> = jobs
        .iter()
        .map(|&(wi, f)| {
            walked[wi]
                .root
                .join(paths::from_bytes(&walked[wi].files[f].rel))
        })
        .collect();
    let mut done = vec![false; jobs.len()];
    on_every_core(
        req,
        jobs.len(),
        1,
        |i, buf| sha256_file(&paths[i], buf, &req.cancel, &progress.bytes_hashed),
        |i, result| {
            let (wi, f) = jobs[i];
            progress.files_hashed.fetch_add(1, Ordering::Relaxed);
            if i % 16 == 0 {
                progress.set_current(paths::show(&paths[i]));
            }
            let w = &mut walked[wi];
            match result {
                Ok(h) => {
                    done[i] = true;
                    w.counts.files_hashed += 1;
                    w.counts.bytes_hashed += h.size;
                    sink.send(WriteMsg::Hash {
                        collection: w.col.id,
                        rel_path: w.files[f].rel.clone(),
                        sha256: h.sha256,
                        size: h.size as i64,
                        mtime_ns: h.mtime_ns,
                    });
                }
                Err(HashError::Canceled) => {}
                Err(e) => {
                    w.counts.errors += 1;
                    progress.errors.fetch_add(1, Ordering::Relaxed);
                    let rel = w.files[f].rel.clone();
                    record_problem(
                        sink,
                        errors,
                        &w.col,
                        &w.root,
                        &rel,
                        &format!("cannot read for its hash: {e}"),
                    );
                }
            }
            if sink.broken {
                req.cancel.store(true, Ordering::Relaxed);
            }
        },
    );
    for (i, &j) in jobs.iter().enumerate() {
        if !done[i] {
            let w = &mut walked[j.0];
            w.counts.hash_pending += 1;
            w.counts.hash_pending_bytes += w.files[j.1].size;
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn nice() -> i32 {
        // SAFETY: reads the calling thread's own nice value.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    /// Every index is worked once and handed on once, with its own result, whether the
    /// handfuls divide the work evenly or not.
    #[test]
    fn every_result_is_handed_on_once_by_handfuls() {
        let req = ScanRequest::new("unused.db".into(), Vec::new(), Default::default());
        let cases = [
            (2, 1000, HANDFUL),
            (3, 31, HANDFUL),
            (2, 7, 1),
            (1, 65, 64),
            (2, 3 * IN_ORDER_AHEAD, HANDFUL),
        ];
        for (threads, n, handful) in cases {
            let mut seen = Vec::with_capacity(n);
            on_threads(
                &req,
                threads,
                n,
                handful,
                // Some indices are slow, so threads finish out of order.
                |i, _: &mut ()| {
                    if i % 97 == 5 {
                        std::thread::sleep(Duration::from_millis(3));
                    }
                    i * 3
                },
                |i, r| {
                    assert_eq!(r, i * 3);
                    seen.push(i);
                },
            );
            // Each once, in index order (the catalog is written in walk order).
            assert_eq!(
                seen,
                (0..n).collect::<Vec<_>>(),
                "{threads} threads, {n}, by {handful}"
            );
        }
    }

    /// Every thread of the pool runs nicer than the thread that started it, which keeps its
    /// own priority (it collects the results for the writer).
    #[test]
    fn the_pool_yields_to_the_writer() {
        let req = ScanRequest::new("unused.db".into(), Vec::new(), Default::default());
        let before = nice();
        let mut seen = Vec::new();
        on_threads(
            &req,
            2,
            64,
            HANDFUL,
            |_, _: &mut ()| nice(),
            |_, n| seen.push(n),
        );
        assert_eq!(seen, vec![(before + POOL_NICE).min(19); 64]);
        assert_eq!(nice(), before);
    }
}
