//! Steps 1–3 for one collection: check its root, walk it beside the catalog's snapshot,
//! diff the two; and naming the videos found (their folder's siblings, the catalog's titles).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::assets::{self};
use crate::catalog::sources::CollectionRow;
use crate::identify::context::{self as ident_context, KnownTitles, Siblings};
use crate::identify::{Hint, Identification, identify};
use crate::model::MediaKind;
use crate::paths;
use crate::scan::diff::{self, Plan};
use crate::scan::walk::{self, Found, WalkOptions};
use crate::worker::report::{Counts, ErrorEntry};
use crate::worker::writer::WriteMsg;

use super::*;

/// One collection's walk and plan.
pub(super) struct Walked {
    pub(super) col: CollectionRow,
    pub(super) root: PathBuf,
    /// Shared with the reading threads, which read each file's path and facts from it
    /// while this thread updates the rest.
    pub(super) files: Arc<Vec<Found>>,
    pub(super) plan: Plan,
    pub(super) counts: Counts,
    pub(super) offline: Option<String>,
    /// The catalog's show titles, for names that start with one (`the.100.109`).
    pub(super) known: Arc<KnownTitles>,
    /// Videos by folder, built the first time a name needs its siblings.
    pub(super) folders: Option<HashMap<Vec<u8>, Vec<usize>>>,
    pub(super) siblings: HashMap<Vec<u8>, Siblings>,
    /// Large files this scan cataloged by fingerprint: their full hash is read last.
    pub(super) hash_later: Vec<usize>,
    /// A media server's collection: its listing, which names the files.
    pub(super) server: Option<super::server::ServerWalk>,
    /// The one folder of the collection scanned, when not the whole (`ScanRequest::within`).
    pub(super) within: Option<Vec<u8>>,
}

impl Walked {
    /// Nothing walked yet.
    pub(super) fn new(col: &CollectionRow, root: PathBuf) -> Self {
        Walked {
            col: col.clone(),
            root,
            files: Arc::default(),
            plan: Plan::default(),
            counts: Counts::default(),
            offline: None,
            known: Arc::default(),
            folders: None,
            siblings: HashMap::new(),
            hash_later: Vec::new(),
            server: None,
            within: None,
        }
    }

    /// Names a video: on its own, then, when that is not sure enough, with the other
    /// videos of its folder and the catalog's titles.
    pub(super) fn name_video(&mut self, file: usize, threshold: f64) -> Option<Identification> {
        if let Some(s) = &self.server {
            return s.ident_of(file);
        }
        let rel = String::from_utf8_lossy(&self.files[file].rel);
        let id = identify(&rel, Hint::from(self.col.kind));
        Some(self.refine(file, id, threshold))
    }

    /// A name read on its own (`identify`, on any thread), made sure with the other videos
    /// of its folder and the catalog's titles when it is not sure enough by itself.
    pub(super) fn refine(
        &mut self,
        file: usize,
        id: Identification,
        threshold: f64,
    ) -> Identification {
        let rel = String::from_utf8_lossy(&self.files[file].rel).into_owned();
        let hint = Hint::from(self.col.kind);
        if id.confidence >= threshold {
            return id;
        }
        let folder = ident_context::folder_of(&rel).as_bytes().to_vec();
        let siblings = self.siblings_of(&folder, hint);
        ident_context::refine(&rel, id, siblings.as_ref(), Some(&self.known))
    }

    pub(super) fn siblings_of(&mut self, folder: &[u8], hint: Hint) -> Option<Siblings> {
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

/// Steps 1–3 for one collection.
pub(super) fn walk_one(
    col: &CollectionRow,
    opts: &WalkOptions,
    reader: &crate::catalog::Db,
    req: &ScanRequest,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) -> Result<Walked, ScanError> {
    if col.is_server() {
        return super::server::walk_server(col, reader, req, sink, errors);
    }
    let root = col.root.as_deref().map(paths::from_bytes);
    let mut w = Walked::new(col, root.clone().unwrap_or_default());
    let Some(root) = root else {
        w.offline = Some("no local folder (add a path mapping)".into());
        return Ok(w);
    };
    req.progress.set_current(col.name.clone());
    w.within = req
        .within
        .iter()
        .find(|(id, _)| *id == col.id)
        .map(|(_, rel)| rel.clone());
    if let Err(reason) = walk::check_root(&root) {
        w.offline = Some(reason.to_string());
    } else {
        let under = w.within.as_deref().unwrap_or_default();
        let (out, known) = std::thread::scope(|s| {
            let seen = &req.progress.files_seen;
            let walker = s.spawn(|| walk::walk_under(&root, under, opts, &req.cancel, seen));
            let known = assets::snapshot(reader, col.id);
            (walker.join(), known)
        });
        let whole = known?;
        let part = (!under.is_empty()).then(|| whole.under(under));
        let known = part.as_ref().unwrap_or(&whole);
        let out =
            out.map_err(|_| ScanError::Panicked(format!("the walk of {}", paths::show(&root))))?;
        let cataloged_present = known.iter().filter(|(_, k)| !k.missing).count();
        if let Err(reason) = walk::check_root(&root) {
            w.offline = Some(format!("{reason} (during the walk)"));
        } else if out.files.is_empty()
            && out.problems.is_empty()
            && cataloged_present > 0
            && !all_taken(&req.taken, &root, known)
            // A folder emptied inside a root that is there is what a scan of the whole
            // root finds too: its files are gone, not its disk.
            && part.is_none()
        {
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
            w.files = Arc::new(out.files);
            if out.canceled {
                // An incomplete walk must not mark anything missing.
                w.plan.vanished.clear();
            }
            if part.is_some() {
                w.plan.gone_elsewhere = gone_elsewhere(&root, under, &whole, &w);
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

/// A scan of the folder `under` alone: the cataloged files outside it that a file new in
/// it may be a move of (`Plan::gone_elsewhere`): present in the catalog, of a new file's
/// size, and gone from disk.
fn gone_elsewhere(
    root: &Path,
    under: &[u8],
    whole: &crate::model::Snapshot,
    w: &Walked,
) -> Vec<crate::model::AssetId> {
    let sizes: std::collections::HashSet<i64> = w
        .plan
        .to_hash
        .iter()
        .filter(|j| j.reason == crate::scan::diff::Reason::New)
        .map(|j| w.files[j.file].size as i64)
        .collect();
    if sizes.is_empty() {
        return Vec::new();
    }
    whole
        .iter()
        .filter(|(rel, k)| {
            !k.missing
                && sizes.contains(&k.size)
                && !paths::within(rel, under)
                && std::fs::symlink_metadata(root.join(paths::from_bytes(rel)))
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        })
        .map(|(_, k)| k.id)
        .collect()
}

/// Whether every file the catalog has present under `root` is one shelf just took away.
fn all_taken(taken: &[PathBuf], root: &Path, known: &crate::model::Snapshot) -> bool {
    if taken.is_empty() {
        return false;
    }
    let taken: std::collections::HashSet<&Path> = taken.iter().map(PathBuf::as_path).collect();
    known
        .iter()
        .filter(|(_, k)| !k.missing)
        .all(|(rel, _)| taken.contains(root.join(paths::from_bytes(rel)).as_path()))
}

pub(super) fn record_problem(
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
    tracing::warn!(path = %paths::show(&full), %reason, "scan problem");
    errors.push(ErrorEntry::at(&full, reason));
    sink.send(WriteMsg::Problem {
        collection: (col.id.0 > 0).then_some(col.id),
        path: paths::to_bytes(&full).to_vec(),
        reason: reason.to_owned(),
    });
}
