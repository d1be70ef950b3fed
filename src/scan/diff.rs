//! Comparing a walk with the catalog's snapshot of the same collection, in memory. The
//! outcome decides all the work: what to hash, what is simply present again, what was not
//! found. Unchanged files (same size and mtime, already hashed) cost nothing more.

use std::collections::HashSet;

use super::walk::{Found, is_unverified};
use crate::model::{AssetId, Known, Snapshot};

/// Why a file needs reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Not in the catalog.
    New,
    /// In the catalog with another size or mtime.
    Changed(AssetId),
    /// Marked missing, now back (maybe changed).
    Returned(AssetId),
    /// Same size and mtime, but neither a hash nor a fingerprint (an earlier read failed or
    /// was cut short).
    Retry(AssetId),
}

/// A file to hash: its index in the walk's list and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HashJob {
    pub file: usize,
    pub reason: Reason,
    /// The catalog read this path's name already: a file changed in place has the same name,
    /// so its reading stands (and its links are not written again), as an unchanged file's
    /// does.
    pub named: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub to_hash: Vec<HashJob>,
    /// Missing assets found again with the same size and mtime: present again, no read.
    pub back_unchanged: Vec<AssetId>,
    pub unchanged: u64,
    /// Unchanged videos never identified (a catalog older than identification): (file, asset).
    pub to_identify: Vec<(usize, AssetId)>,
    /// Unchanged media never probed (a catalog older than probing, or ffprobe was missing):
    /// (file, asset, whether it waits for ffprobe).
    pub to_probe: Vec<(usize, AssetId, bool)>,
    /// Unchanged large files cataloged by fingerprint whose full hash is still to read (a
    /// scan canceled or killed while hashing, or one told to stop at fingerprints).
    pub hash_pending: Vec<usize>,
    /// Cataloged, present before, not found now, and not under an unverified folder.
    pub vanished: Vec<AssetId>,
    /// A scan of one folder: cataloged files outside it, gone from disk, each the size of
    /// a file new in it. A new file may be a move of one (a show's folder renamed, then
    /// scanned under its new name); never marked missing by this scan.
    pub gone_elsewhere: Vec<AssetId>,
}

/// Diffs `files` (sorted by path, as the walk gives them) against the catalog's `known`
/// files (sorted the same way): one pass over both, no lookups.
pub(crate) fn diff(files: &[Found], known: &Snapshot, unverified: &[Vec<u8>]) -> Plan {
    let mut plan = Plan::default();
    let unverified: HashSet<Vec<u8>> = unverified.iter().cloned().collect();
    let gone = |plan: &mut Plan, rel: &[u8], k: &Known| {
        if !k.missing && !is_unverified(&unverified, rel) {
            plan.vanished.push(k.id);
        }
    };
    let mut j = 0;
    for (i, f) in files.iter().enumerate() {
        // Cataloged paths before this one were not found.
        while j < known.len() && known.at(j).0 < f.rel.as_slice() {
            let (rel, k) = known.at(j);
            gone(&mut plan, rel, k);
            j += 1;
        }
        if j < known.len() && known.at(j).0 == f.rel.as_slice() {
            let k = *known.at(j).1;
            j += 1;
            compare(&mut plan, i, f, &k);
        } else {
            plan.to_hash.push(HashJob {
                file: i,
                reason: Reason::New,
                named: false,
            });
        }
    }
    for j in j..known.len() {
        let (rel, k) = known.at(j);
        gone(&mut plan, rel, k);
    }
    plan.vanished.sort();
    plan
}

/// A walked file that is cataloged: unchanged (maybe with work left: naming, probing, its
/// full hash), back after missing, or to be read again.
fn compare(plan: &mut Plan, i: usize, f: &Found, k: &Known) {
    let same = k.size == f.size as i64 && k.mtime_ns == f.mtime_ns;
    let settled = k.hashed || k.fingerprinted;
    let reason = match (same, k.missing, settled) {
        (true, false, true) => {
            if !k.hashed {
                plan.hash_pending.push(i);
            }
            plan.unchanged += 1;
            if !k.identified {
                plan.to_identify.push((i, k.id));
            }
            if !k.probed && k.size > 0 {
                plan.to_probe.push((i, k.id, k.needs_ffprobe));
            }
            return;
        }
        (true, true, true) => {
            if !k.hashed {
                plan.hash_pending.push(i);
            }
            plan.back_unchanged.push(k.id);
            return;
        }
        (_, true, _) => Reason::Returned(k.id),
        (false, false, _) => Reason::Changed(k.id),
        (true, false, false) => Reason::Retry(k.id),
    };
    plan.to_hash.push(HashJob {
        file: i,
        reason,
        named: k.identified,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MediaKind;

    fn found(rel: &str, size: u64, mtime: i64) -> Found {
        Found {
            rel: rel.as_bytes().to_vec(),
            size,
            mtime_ns: mtime,
            kind: MediaKind::Video,
        }
    }

    fn snap(rows: Vec<(Vec<u8>, Known)>) -> Snapshot {
        let mut s = Snapshot::default();
        for (p, k) in rows {
            s.push(&p, k);
        }
        s.seal()
    }

    fn known(id: i64, size: i64, mtime: i64, hashed: bool, missing: bool) -> Known {
        Known {
            id: AssetId(id),
            size,
            mtime_ns: mtime,
            hashed,
            has_errors: false,
            missing,
            identified: true,
            probed: true,
            needs_ffprobe: false,
            fingerprinted: false,
        }
    }

    #[test]
    fn sorts_every_file_into_exactly_one_bucket() {
        let files = vec![
            found("same.mkv", 10, 1),
            found("new.mkv", 5, 1),
            found("grown.mkv", 11, 1),
            found("touched.mkv", 10, 2),
            found("back.mkv", 10, 1),
            found("back-changed.mkv", 12, 1),
            found("unhashed.mkv", 10, 1),
        ];
        // As the walk gives them: by path.
        let mut files = files;
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let k = vec![
            (b"same.mkv".to_vec(), known(1, 10, 1, true, false)),
            (b"grown.mkv".to_vec(), known(2, 10, 1, true, false)),
            (b"touched.mkv".to_vec(), known(3, 10, 1, true, false)),
            (b"back.mkv".to_vec(), known(4, 10, 1, true, true)),
            (b"back-changed.mkv".to_vec(), known(5, 10, 1, true, true)),
            (b"unhashed.mkv".to_vec(), known(6, 10, 1, false, false)),
            (b"gone.mkv".to_vec(), known(7, 1, 1, true, false)),
            (b"long-gone.mkv".to_vec(), known(8, 1, 1, true, true)),
            (b"locked/inside.mkv".to_vec(), known(9, 1, 1, true, false)),
        ];
        let plan = diff(&files, &snap(k), &[b"locked".to_vec()]);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.back_unchanged, vec![AssetId(4)]);
        let reasons: Vec<Reason> = plan.to_hash.iter().map(|j| j.reason).collect();
        assert_eq!(
            reasons,
            vec![
                Reason::Returned(AssetId(5)),
                Reason::Changed(AssetId(2)),
                Reason::New,
                Reason::Changed(AssetId(3)),
                Reason::Retry(AssetId(6)),
            ]
        );
        // already missing stays as it is; under an unreadable folder is not taken for gone
        assert_eq!(plan.vanished, vec![AssetId(7)]);
    }

    #[test]
    fn a_fingerprinted_file_is_unchanged_with_its_hash_pending() {
        let mut fp = known(1, 10, 1, false, false);
        fp.fingerprinted = true;
        let k = vec![
            (b"big.mkv".to_vec(), fp),
            (b"failed.mkv".to_vec(), known(2, 10, 1, false, false)),
        ];
        let plan = diff(
            &[found("big.mkv", 10, 1), found("failed.mkv", 10, 1)],
            &snap(k),
            &[],
        );
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.hash_pending, vec![0]);
        assert_eq!(plan.to_hash.len(), 1);
        assert_eq!(plan.to_hash[0].reason, Reason::Retry(AssetId(2)));
    }

    #[test]
    fn unverified_root_protects_everything() {
        let k = vec![(b"a/b.mkv".to_vec(), known(1, 1, 1, true, false))];
        assert!(
            diff(&[], &snap(k.clone()), &[Vec::new()])
                .vanished
                .is_empty()
        );
        assert_eq!(
            diff(&[], &snap(k), &[b"a/b".to_vec()]).vanished,
            vec![AssetId(1)]
        );
    }
}
