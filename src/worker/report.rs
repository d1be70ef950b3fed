//! What a scan did: counts overall and per collection, and every problem met. Serialises to
//! the `--json` summary.

use serde::Serialize;

pub(crate) use crate::model::Counts;

#[derive(Debug, Clone, Serialize)]
pub struct CollectionReport {
    pub name: String,
    pub root: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_hex: Option<String>,
    /// The one folder of it scanned (relative to its root), when not the whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    pub offline: bool,
    pub offline_reason: Option<String>,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorEntry {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    pub reason: String,
}

impl ErrorEntry {
    /// A problem of the file at `path`, its path in export form.
    pub(crate) fn at(path: &std::path::Path, reason: &str) -> Self {
        let (path, path_hex) = crate::paths::export_form(crate::paths::to_bytes(path));
        ErrorEntry {
            path,
            path_hex,
            reason: reason.to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// The changeset id; `null` for a dry run.
    pub changeset: Option<i64>,
    pub status: String,
    pub dry_run: bool,
    #[serde(flatten)]
    pub counts: Counts,
    pub duration_ms: u64,
    /// Earlier scans found dead (killed) and marked interrupted by this one.
    pub interrupted_changesets: Vec<i64>,
    pub errors: Vec<ErrorEntry>,
    /// Things worth knowing that are no file's fault (ffprobe missing, chapters skipped).
    pub warnings: Vec<String>,
    pub(crate) collections: Vec<CollectionReport>,
    /// How the scan read large files: what becomes of the hashes it left to read.
    #[serde(skip)]
    pub(crate) hash: crate::config::HashMode,
}

impl ScanReport {
    pub(crate) fn any_offline(&self) -> bool {
        self.collections.iter().any(|c| c.offline)
    }

    /// The process exit status: 0 clean; 1 finished with per-file errors or an offline
    /// collection; 130 canceled.
    pub fn exit_code(&self) -> u8 {
        if self.status == "canceled" {
            130
        } else if self.counts.errors > 0 || self.any_offline() {
            1
        } else {
            0
        }
    }

    /// The human summary printed on stdout.
    pub fn human(&self) -> String {
        use crate::worker::progress::human_bytes;
        let mut s = String::new();
        let head = match (self.dry_run, self.changeset) {
            (true, _) => "dry run (nothing written)".to_string(),
            (false, Some(id)) => format!("scan #{id} {}", self.status),
            (false, None) => format!("scan {}", self.status),
        };
        let c = &self.counts;
        s.push_str(&format!(
            "{head} in {:.1}s: {} files seen, {} new, {} changed, {} unchanged, {} moved, {} missing, {} back, {} hashed ({})\n",
            self.duration_ms as f64 / 1000.0,
            c.seen, c.new, c.changed, c.unchanged, c.moved, c.missing, c.returned,
            c.files_hashed, human_bytes(c.bytes_hashed)
        ));
        if c.hash_pending > 0 {
            s.push_str(&format!(
                "  {} large file(s) ({}) are cataloged and named; their full hash is still to read ({})\n",
                c.hash_pending,
                human_bytes(c.hash_pending_bytes),
                self.hash.pending_fate()
            ));
        }
        for col in &self.collections {
            if col.offline {
                s.push_str(&format!(
                    "  {} ({}): OFFLINE, {}; nothing under it was marked missing\n",
                    crate::paths::escape_str(&col.name),
                    crate::paths::escape_str(&col.root),
                    col.offline_reason.as_deref().unwrap_or("unreachable")
                ));
            } else {
                let k = &col.counts;
                let within = col
                    .within
                    .as_deref()
                    .map(|w| format!(", only {}", crate::paths::escape_str(w)))
                    .unwrap_or_default();
                s.push_str(&format!(
                    "  {} ({}{within}): {} seen, {} new, {} changed, {} moved, {} missing, {} errors\n",
                    crate::paths::escape_str(&col.name),
                    crate::paths::escape_str(&col.root),
                    k.seen,
                    k.new,
                    k.changed,
                    k.moved,
                    k.missing,
                    k.errors
                ));
            }
        }
        if !self.interrupted_changesets.is_empty() {
            s.push_str(&format!(
                "  earlier scan(s) {:?} had died and were marked interrupted; this scan completed their work\n",
                self.interrupted_changesets
            ));
        }
        for w in &self.warnings {
            s.push_str(&format!("warning: {}\n", crate::paths::escape_str(w)));
        }
        if !self.errors.is_empty() {
            s.push_str(&format!("{} problem(s):\n", self.errors.len()));
            for e in self.errors.iter().take(20) {
                s.push_str(&format!(
                    "  {}: {}\n",
                    crate::paths::escape_str(&e.path),
                    crate::paths::escape_str(&e.reason)
                ));
            }
            if self.errors.len() > 20 {
                s.push_str(&format!(
                    "  ... and {} more (see --json, or `shelf status`)\n",
                    self.errors.len() - 20
                ));
            }
        }
        s
    }
}
