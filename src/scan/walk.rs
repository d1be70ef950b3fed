//! Walking a collection root: regular files with their size and mtime, skipping hidden
//! entries and ignore globs, following symlinks only without loops, passing over FIFOs,
//! sockets and devices. Every problem is reported with its path and the walk goes on; a
//! folder that could not be read is "unverified", so nothing below it is taken for missing.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::classify::classify;
use crate::model::MediaKind;
use crate::paths;

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub follow_symlinks: bool,
    pub ignore: GlobSet,
}

impl WalkOptions {
    /// Builds the ignore set from glob patterns (matched against `/`-separated relative paths).
    pub fn new(follow_symlinks: bool, patterns: &[String]) -> Result<Self, globset::Error> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(GlobBuilder::new(p).literal_separator(true).build()?);
        }
        Ok(Self {
            follow_symlinks,
            ignore: b.build()?,
        })
    }
}

/// A regular file the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Path relative to the root, exact bytes.
    pub rel: Vec<u8>,
    pub size: u64,
    pub mtime_ns: i64,
    pub kind: MediaKind,
}

/// A path the walk could not handle, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rel: Vec<u8>,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct WalkOutput {
    pub(crate) files: Vec<Found>,
    pub(crate) problems: Vec<Problem>,
    /// Relative paths (folders or files) whose contents could not be verified.
    pub unverified: Vec<Vec<u8>>,
    /// FIFOs, sockets, devices, symlink loops, and links not followed.
    pub skipped_special: u64,
    pub canceled: bool,
}

impl WalkOutput {
    fn found(&mut self, rel: Vec<u8>, m: &std::fs::Metadata) {
        self.files.push(Found {
            kind: classify(&rel),
            rel,
            size: m.len(),
            mtime_ns: mtime_ns(m),
        });
    }

    /// A problem whose path (and what is below it) could not be verified.
    fn lost(&mut self, rel: Vec<u8>, reason: String) {
        self.unverified.push(rel.clone());
        self.problems.push(Problem { rel, reason });
    }
}

/// Why a root cannot be scanned now (the collection is offline for this run).
#[derive(Debug, thiserror::Error)]
pub(crate) enum RootError {
    #[error("root folder does not exist (disk unmounted or path moved?)")]
    Missing,
    #[error("root folder cannot be reached: {0}")]
    Unreachable(std::io::Error),
    #[error("root is not a folder")]
    NotAFolder,
    #[error("root folder cannot be read: {0}")]
    Unreadable(std::io::Error),
}

/// Whether a root can be scanned now.
pub(crate) fn check_root(root: &Path) -> Result<(), RootError> {
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RootError::Missing),
        Err(e) => return Err(RootError::Unreachable(e)),
    };
    if !meta.is_dir() {
        return Err(RootError::NotAFolder);
    }
    std::fs::read_dir(root)
        .map(drop)
        .map_err(RootError::Unreadable)
}

/// Is this name hidden (starts with a dot)?
fn hidden(name: &[u8]) -> bool {
    name.first() == Some(&b'.')
}

/// A folder on the current descent, for symlink-loop detection: a followed link whose
/// target is one of its own ancestors is a loop.
struct Node {
    dev: u64,
    ino: u64,
    parent: Option<Arc<Node>>,
}

impl Node {
    fn has_ancestor(self: &Arc<Self>, dev: u64, ino: u64) -> bool {
        let mut n = Some(self);
        while let Some(x) = n {
            if x.dev == dev && x.ino == ino {
                return true;
            }
            n = x.parent.as_ref();
        }
        false
    }
}

struct DirJob {
    rel: Vec<u8>,
    node: Arc<Node>,
}

/// The shared queue of folders still to read; `busy` counts folders being read, so the
/// walk ends when the queue is empty and nobody can add to it.
struct Queue {
    state: Mutex<(Vec<DirJob>, usize)>,
    wake: Condvar,
}

impl Queue {
    fn pop(&self) -> Option<DirJob> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(j) = st.0.pop() {
                st.1 += 1;
                return Some(j);
            }
            if st.1 == 0 {
                self.wake.notify_all();
                return None;
            }
            st = self.wake.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn done(&self, more: Vec<DirJob>) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.0.extend(more);
        st.1 -= 1;
        self.wake.notify_all();
    }
}

pub(crate) fn mtime_ns(m: &std::fs::Metadata) -> i64 {
    m.mtime()
        .saturating_mul(1_000_000_000)
        .saturating_add(m.mtime_nsec())
}

fn join_rel(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(dir.len() + 1 + name.len());
    if !dir.is_empty() {
        v.extend_from_slice(dir);
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

/// Walks `root` on all cores. `seen` counts files as they are found; `cancel` stops early.
/// Files come back sorted by relative path, so everything after the walk is deterministic.
pub(crate) fn walk(
    root: &Path,
    opts: &WalkOptions,
    cancel: &AtomicBool,
    seen: &AtomicU64,
) -> WalkOutput {
    walk_limited(root, b"", opts, cancel, seen, usize::MAX)
}

/// Walks only the folder `under` of `root` (relative to it): what a walk of the whole root
/// would find there, with the same relative paths.
pub(crate) fn walk_under(
    root: &Path,
    under: &[u8],
    opts: &WalkOptions,
    cancel: &AtomicBool,
    seen: &AtomicU64,
) -> WalkOutput {
    walk_limited(root, under, opts, cancel, seen, usize::MAX)
}

/// Whether a walk of the whole root passes over the folder at `rel`: it, or a folder
/// above it, is hidden or ignored.
pub(crate) fn passed_over(opts: &WalkOptions, rel: &[u8]) -> bool {
    paths::as_path(rel).ancestors().any(|dir| {
        dir.file_name()
            .is_some_and(|name| hidden(name.as_bytes()) || opts.ignore.is_match(dir))
    })
}

fn walk_limited(
    root: &Path,
    start: &[u8],
    opts: &WalkOptions,
    cancel: &AtomicBool,
    seen: &AtomicU64,
    limit: usize,
) -> WalkOutput {
    let mut out = WalkOutput::default();
    let top = if start.is_empty() {
        root.to_path_buf()
    } else {
        root.join(paths::from_bytes(start))
    };
    let root_meta = match std::fs::metadata(&top) {
        Ok(m) => m,
        Err(e) => {
            out.unverified.push(start.to_vec());
            out.problems.push(Problem {
                rel: start.to_vec(),
                reason: format!(
                    "cannot read the {} folder: {e}",
                    if start.is_empty() { "root" } else { "scanned" }
                ),
            });
            return out;
        }
    };
    let queue = Queue {
        state: Mutex::new((
            vec![DirJob {
                rel: start.to_vec(),
                node: Arc::new(Node {
                    dev: root_meta.dev(),
                    ino: root_meta.ino(),
                    parent: None,
                }),
            }],
            0,
        )),
        wake: Condvar::new(),
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let parts: Vec<WalkOutput> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let queue = &queue;
                s.spawn(move || {
                    let mut part = WalkOutput::default();
                    while let Some(job) = queue.pop() {
                        let stop = cancel.load(Ordering::Relaxed)
                            || seen.load(Ordering::Relaxed) as usize >= limit;
                        let more = if stop {
                            part.canceled = true;
                            Vec::new()
                        } else {
                            read_one_dir(root, opts, job, &mut part, seen)
                        };
                        queue.done(more);
                    }
                    part
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    // Sized first: growing a list of a million files would hold it twice meanwhile.
    out.files
        .reserve_exact(parts.iter().map(|p| p.files.len()).sum());
    for p in parts {
        out.files.extend(p.files);
        out.problems.extend(p.problems);
        out.unverified.extend(p.unverified);
        out.skipped_special += p.skipped_special;
        out.canceled |= p.canceled;
    }
    out.canceled &= cancel.load(Ordering::Relaxed);
    out.files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    out.problems.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Reads one folder: files into `part`, sub-folders returned for the queue.
fn read_one_dir(
    root: &Path,
    opts: &WalkOptions,
    job: DirJob,
    part: &mut WalkOutput,
    seen: &AtomicU64,
) -> Vec<DirJob> {
    let dir_path = if job.rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(paths::from_bytes(&job.rel))
    };
    let mut subdirs = Vec::new();
    let entries = match std::fs::read_dir(&dir_path) {
        Ok(e) => e,
        Err(e) => {
            let reason = match e.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied: its contents were not scanned".to_string()
                }
                std::io::ErrorKind::NotFound => "folder vanished during the scan".to_string(),
                _ => format!("cannot read folder: {e}"),
            };
            part.lost(job.rel, reason);
            return subdirs;
        }
    };
    let mut found = 0u64;
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                part.lost(
                    job.rel.clone(),
                    format!("cannot list folder completely: {e}"),
                );
                break;
            }
        };
        let name = entry.file_name();
        let name = name.as_bytes();
        if hidden(name) {
            continue;
        }
        let rel = join_rel(&job.rel, name);
        if opts.ignore.is_match(paths::from_bytes(&rel)) {
            continue;
        }
        match one_entry(&dir_path, opts, &job, &entry, rel, part) {
            Seen::File => found += 1,
            Seen::Dir(d) => subdirs.push(d),
            Seen::Nothing => {}
        }
    }
    seen.fetch_add(found, Ordering::Relaxed);
    subdirs
}

/// What one folder entry turned out to be, once recorded.
enum Seen {
    /// A file, recorded as found.
    File,
    /// A folder to walk.
    Dir(DirJob),
    /// Skipped (special file, link loop) or recorded as a problem.
    Nothing,
}

/// Looks at one entry of the folder at `dir_path`: a file is recorded in `part`, a folder
/// (or, when following links, a link to one) comes back to be walked, and what cannot be
/// read is recorded as a problem.
fn one_entry(
    dir_path: &Path,
    opts: &WalkOptions,
    job: &DirJob,
    entry: &std::fs::DirEntry,
    rel: Vec<u8>,
    part: &mut WalkOutput,
) -> Seen {
    // The type comes from the directory listing itself: no system call.
    let Ok(ft) = entry.file_type() else {
        part.lost(rel, "cannot tell what it is (vanished?)".into());
        return Seen::Nothing;
    };
    if ft.is_symlink() && opts.follow_symlinks {
        return follow_link(dir_path.join(entry.file_name()), job, rel, part);
    }
    if !ft.is_dir() && !ft.is_file() {
        // fifos, sockets, devices, and links not followed
        part.skipped_special += 1;
        return Seen::Nothing;
    }
    // Stat relative to the open folder (fstatat), not by full path.
    match entry.metadata() {
        Ok(m) if ft.is_dir() => Seen::Dir(job.child(rel, &m)),
        Ok(m) => {
            part.found(rel, &m);
            Seen::File
        }
        Err(e) if ft.is_dir() => {
            part.lost(rel, format!("cannot stat folder: {e}"));
            Seen::Nothing
        }
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "vanished during the scan".into()
            } else {
                format!("cannot stat: {e}")
            };
            part.lost(rel, why);
            Seen::Nothing
        }
    }
}

/// A symbolic link, followed: a folder (unless it loops back to one being walked) or a
/// file. A broken link is a problem, never a file taken for gone: its target may be on a
/// disk that is offline.
fn follow_link(
    path: std::path::PathBuf,
    job: &DirJob,
    rel: Vec<u8>,
    part: &mut WalkOutput,
) -> Seen {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            if job.node.has_ancestor(m.dev(), m.ino()) {
                // A loop is neither a lost subtree (its target is being walked) nor a
                // fault of a file: pass over it.
                tracing::info!(path = %paths::display(&rel), "symbolic link loop not followed");
                part.skipped_special += 1;
                Seen::Nothing
            } else {
                Seen::Dir(job.child(rel, &m))
            }
        }
        Ok(m) if m.is_file() => {
            part.found(rel, &m);
            Seen::File
        }
        Ok(_) => {
            part.skipped_special += 1;
            Seen::Nothing
        }
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "broken symbolic link (its target does not exist)".into()
            } else {
                format!("cannot follow symbolic link: {e}")
            };
            part.lost(rel, why);
            Seen::Nothing
        }
    }
}

impl DirJob {
    /// The job for sub-folder `rel` of this one, whose metadata is `m`.
    fn child(&self, rel: Vec<u8>, m: &std::fs::Metadata) -> DirJob {
        DirJob {
            rel,
            node: Arc::new(Node {
                dev: m.dev(),
                ino: m.ino(),
                parent: Some(self.node.clone()),
            }),
        }
    }
}

/// Is `rel` at or below one of the unverified paths?
pub(crate) fn is_unverified(unverified: &std::collections::HashSet<Vec<u8>>, rel: &[u8]) -> bool {
    if unverified.is_empty() {
        return false;
    }
    if unverified.contains(rel) {
        return true;
    }
    rel.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'/')
        .any(|(i, _)| unverified.contains(&rel[..i]))
        || unverified.contains(&Vec::new())
}

/// Problems worth flagging on a file because of its name alone.
pub(crate) fn name_issue(rel: &[u8]) -> Option<&'static str> {
    match std::str::from_utf8(rel) {
        Err(_) => Some(
            "file name is not valid UTF-8 (kept exactly; shown escaped; other programs may fail to open it)",
        ),
        Ok(s) if s.chars().any(char::is_control) => {
            Some("file name contains control characters (kept exactly; shown escaped)")
        }
        Ok(_) => None,
    }
}

/// Up to about `limit` relative file paths under `root` (hidden entries and ignore globs
/// skipped), for guessing a collection's kind without walking a whole library.
pub(crate) fn sample(root: &Path, opts: &WalkOptions, limit: usize) -> Vec<Vec<u8>> {
    let out = walk_limited(
        root,
        b"",
        opts,
        &AtomicBool::new(false),
        &AtomicU64::new(0),
        limit,
    );
    out.files.into_iter().take(limit).map(|f| f.rel).collect()
}
