//! Walking a collection root: regular files with their size and mtime, skipping hidden
//! entries and ignore globs, following symlinks only without loops, passing over FIFOs,
//! sockets and devices. Every problem is reported with its path and the walk goes on; a
//! folder that could not be read is "unverified", so nothing below it is taken for missing.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::classify::{MediaKind, classify};
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
    pub files: Vec<Found>,
    pub problems: Vec<Problem>,
    /// Relative paths (folders or files) whose contents could not be verified.
    pub unverified: Vec<Vec<u8>>,
    /// FIFOs, sockets, devices, symlink loops, and links not followed.
    pub skipped_special: u64,
    pub canceled: bool,
}

/// Why a root cannot be scanned now (the collection is offline for this run).
pub fn check_root(root: &Path) -> Result<(), String> {
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("root folder does not exist (disk unmounted or path moved?)".into());
        }
        Err(e) => return Err(format!("root folder cannot be reached: {e}")),
    };
    if !meta.is_dir() {
        return Err("root is not a folder".into());
    }
    match std::fs::read_dir(root) {
        Ok(_) => Ok(()),
        Err(e) => Err(format!("root folder cannot be read: {e}")),
    }
}

/// Is this name hidden (starts with a dot)?
fn hidden(name: &[u8]) -> bool {
    name.first() == Some(&b'.')
}

/// Walks `root`. `seen` counts files as they are found; `cancel` stops early.
pub fn walk(root: &Path, opts: &WalkOptions, cancel: &AtomicBool, seen: &AtomicU64) -> WalkOutput {
    let mut out = WalkOutput::default();
    let rel_of = |p: &Path| -> Vec<u8> {
        paths::to_bytes(p.strip_prefix(root).unwrap_or(p)).to_vec()
    };
    let it = walkdir::WalkDir::new(root)
        .follow_links(opts.follow_symlinks)
        .sort_by(|a, b| a.file_name().cmp(b.file_name()))
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if hidden(paths::to_bytes(Path::new(e.file_name()))) {
                return false;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            !opts.ignore.is_match(rel)
        });
    for entry in it {
        if cancel.load(Ordering::Relaxed) {
            out.canceled = true;
            break;
        }
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = err.path().map(rel_of).unwrap_or_default();
                if let Some(anc) = err.loop_ancestor() {
                    // A loop is not a lost subtree (its target was walked) nor a fault of a
                    // file: pass over it, quietly.
                    tracing::info!(path = %paths::display(&rel), back_to = %paths::show(anc), "symbolic link loop not followed");
                    out.skipped_special += 1;
                    continue;
                }
                let reason = {
                    match err.io_error() {
                        Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                            "permission denied: its contents were not scanned".to_string()
                        }
                        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
                            "vanished or broken link: not scanned".to_string()
                        }
                        Some(io) => format!("cannot read: {io}"),
                        None => err.to_string(),
                    }
                };
                out.unverified.push(rel.clone());
                out.problems.push(Problem { rel, reason });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if !ft.is_file() {
            // FIFO, socket, device, or a link we do not follow: nothing to catalog.
            if ft.is_fifo() || ft.is_socket() || ft.is_block_device() || ft.is_char_device() || ft.is_symlink() {
                out.skipped_special += 1;
            }
            continue;
        }
        let rel = rel_of(entry.path());
        match entry.metadata() {
            Ok(m) => {
                let kind = classify(&rel);
                out.files.push(Found {
                    size: m.len(),
                    mtime_ns: m.mtime().saturating_mul(1_000_000_000).saturating_add(m.mtime_nsec()),
                    kind,
                    rel,
                });
                seen.fetch_add(1, Ordering::Relaxed);
            }
            Err(err) => {
                out.unverified.push(rel.clone());
                out.problems.push(Problem {
                    rel,
                    reason: format!("cannot stat: {err}"),
                });
            }
        }
    }
    out
}

/// Is `rel` at or below one of the unverified paths?
pub fn is_unverified(unverified: &std::collections::HashSet<Vec<u8>>, rel: &[u8]) -> bool {
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
pub fn name_issue(rel: &[u8]) -> Option<&'static str> {
    match std::str::from_utf8(rel) {
        Err(_) => Some("file name is not valid UTF-8 (kept exactly; shown escaped; other programs may fail to open it)"),
        Ok(s) if s.chars().any(char::is_control) => {
            Some("file name contains control characters (kept exactly; shown escaped)")
        }
        Ok(_) => None,
    }
}

/// Up to `limit` relative file paths under `root` (hidden entries and ignore globs skipped),
/// for guessing a collection's kind without walking a whole library.
pub fn sample(root: &Path, opts: &WalkOptions, limit: usize) -> Vec<Vec<u8>> {
    walkdir::WalkDir::new(root)
        .follow_links(opts.follow_symlinks)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || (!hidden(paths::to_bytes(Path::new(e.file_name())))
                    && !opts
                        .ignore
                        .is_match(e.path().strip_prefix(root).unwrap_or(e.path())))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .take(limit)
        .map(|e| paths::to_bytes(e.path().strip_prefix(root).unwrap_or(e.path())).to_vec())
        .collect()
}
