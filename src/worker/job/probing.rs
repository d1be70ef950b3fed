//! Unchanged files no scan has read the contents of: probed now, on every core.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use crate::model::AssetId;
use crate::model::MediaKind;
use crate::paths;
use crate::probe::{self, Probed};
use crate::scan::diff::Reason;
use crate::worker::report::{Counts, ErrorEntry};
use crate::worker::writer::WriteMsg;

use super::*;

/// Probes the unchanged files no scan has read the contents of, in parallel.
pub(super) fn probe_unchanged(
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
        1,
        |i, _: &mut ()| {
            let (_, _, _, path, kind, mtime) = &jobs[i];
            probe::file(path, *kind, *mtime, &opts, None)
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
pub(super) fn note_probe(
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

pub(super) fn count_unread(c: &mut Counts, reason: Reason) {
    match reason {
        Reason::New => c.new += 1,
        Reason::Changed(_) => c.changed += 1,
        Reason::Returned(_) => c.returned += 1,
        Reason::Retry(_) => c.retried += 1,
    }
}
