//! The single writer: one thread owns the scan's read-write connection and applies write
//! messages in batched IMMEDIATE transactions (as many as are queued, up to the batch size).
//! Readers use their own connections; WAL lets them read meanwhile.

use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::catalog::assets::{self, AssetId, FileFacts};
use crate::catalog::sources::{self, CollectionId};
use crate::catalog::status::{self, Beat, Health};
use crate::catalog::{CatalogError, changesets, dupes, media, review};
use crate::identify::Identification;
use crate::probe::Probed;
use crate::time;

/// A file's facts, owned, for the trip to the writer.
#[derive(Debug, Clone)]
pub struct Facts {
    pub collection: CollectionId,
    pub rel_path: Vec<u8>,
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: Option<String>,
    pub kind: &'static str,
    pub error: Option<String>,
    /// What the name says, for videos (identification joins the catalog with the row).
    pub ident: Option<Box<Identification>>,
    /// What is inside, for videos, audio and photos.
    pub probe: Option<Box<Probed>>,
}

impl Facts {
    fn borrow(&self) -> FileFacts<'_> {
        FileFacts {
            collection: self.collection,
            rel_path: &self.rel_path,
            size: self.size,
            mtime_ns: self.mtime_ns,
            sha256: self.sha256.as_deref(),
            kind: self.kind,
            error: self.error.as_deref(),
        }
    }
}

#[derive(Debug)]
pub enum WriteMsg {
    /// A new file (or a re-run over a row a crashed scan wrote).
    Upsert(Facts),
    /// A known asset's new facts; also a move when the place differs.
    Update(AssetId, Facts),
    /// A missing asset found again, unchanged.
    Present(AssetId),
    Missing(AssetId),
    /// Identify an unchanged asset that never was.
    Identify(AssetId, Box<Identification>),
    /// What is inside an unchanged asset that was never probed; `true` for a video.
    Probe(AssetId, Box<Probed>, bool),
    Problem {
        collection: Option<CollectionId>,
        path: Vec<u8>,
        reason: String,
    },
    /// Worth telling, but no file's fault (not counted as an error).
    Warning {
        message: String,
    },
    Reachability {
        collection: CollectionId,
        ingestible: bool,
        reason: Option<String>,
    },
    /// The whole collection was walked: what is not missing was seen now.
    Scanned(CollectionId),
    Heartbeat {
        health: Health,
        task: String,
        error: Option<String>,
        interval_secs: u64,
    },
}

/// Messages travel in small batches: one channel hand-off (and one thread wake-up) per
/// batch instead of per file.
pub type Batch = Vec<WriteMsg>;

/// The writer's handle: send batches, then `finish()` to get the connection back.
pub struct Writer {
    tx: SyncSender<Batch>,
    handle: JoinHandle<Result<Connection, CatalogError>>,
}

impl Writer {
    pub fn spawn(
        conn: Connection,
        changeset: i64,
        batch_size: usize,
        rules: Rules,
    ) -> std::io::Result<Self> {
        let (tx, rx) = sync_channel(16);
        let handle = std::thread::Builder::new()
            .name("shelf-writer".into())
            .spawn(move || run(conn, rx, changeset, batch_size.max(1), rules))?;
        Ok(Self { tx, handle })
    }

    pub fn sender(&self) -> SyncSender<Batch> {
        self.tx.clone()
    }

    /// Waits for every queued message to be written; returns the connection or the first
    /// write error (after which nothing more was written).
    pub fn finish(self) -> Result<Connection, CatalogError> {
        drop(self.tx);
        self.handle
            .join()
            .map_err(|_| CatalogError::Invalid("the catalog writer thread panicked".into()))?
    }
}

/// How long one transaction may stay open gathering more batches. Bounds what a crash can
/// lose (it is redone by the next scan) and how stale readers' view gets.
const TX_LINGER: Duration = Duration::from_millis(250);

/// Gathers what arrives (up to `batch` messages or `TX_LINGER`) into one transaction: each
/// commit rewrites every index page it touched, so fewer, larger commits are much cheaper.
fn run(
    conn: Connection,
    rx: Receiver<Batch>,
    changeset: i64,
    batch: usize,
    rules: Rules,
) -> Result<Connection, CatalogError> {
    let cx = Cx { changeset, rules };
    // Checkpoint less often while a scan writes in bulk (the default is every 1000 pages).
    conn.execute_batch("PRAGMA wal_autocheckpoint = 8000")?;
    while let Ok(first) = rx.recv() {
        let now = time::now();
        let opened = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut n = first.len();
        let mut result = first
            .into_iter()
            .try_for_each(|m| apply(&conn, m, cx, &now));
        while result.is_ok() && n < batch {
            let left = TX_LINGER.saturating_sub(opened.elapsed());
            match rx.recv_timeout(left) {
                Ok(more) => {
                    n += more.len();
                    result = more.into_iter().try_for_each(|m| apply(&conn, m, cx, &now));
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        match result {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                // Returning drops the receiver: senders see the writer is gone and stop.
                return Err(e);
            }
        }
    }
    let _ = conn.execute_batch("PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(PASSIVE);");
    Ok(conn)
}

/// The configured rules the writer applies to what it writes.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Identifications at or above it are linked; below, they go to review.
    pub threshold: f64,
    /// An episode shorter than this goes to review as `too_short` (0: never).
    pub min_episode_ms: i64,
}

impl Rules {
    pub fn from_config(c: &crate::config::Config) -> Self {
        Self {
            threshold: c.identify.confidence_threshold,
            min_episode_ms: c.identify.min_episode_secs.saturating_mul(1000) as i64,
        }
    }
}

#[derive(Clone, Copy)]
struct Cx {
    changeset: i64,
    rules: Rules,
}

/// After a row is written: its duplicate group and its identification follow.
fn after_write(
    conn: &Connection,
    id: AssetId,
    f: &Facts,
    old_sha: Option<String>,
    cx: Cx,
    fresh: bool,
) -> Result<(), CatalogError> {
    if let Some(old) = old_sha.filter(|o| Some(o) != f.sha256.as_ref()) {
        dupes::refresh(conn, &old, cx.changeset)?;
    }
    if let Some(sha) = f.sha256.as_deref().filter(|_| f.size > 0) {
        dupes::refresh(conn, sha, cx.changeset)?;
    }
    if let Some(p) = &f.probe {
        media::apply(conn, id.0, p, cx.changeset)?;
    }
    if let Some(ident) = &f.ident {
        review::apply_identification(conn, id.0, ident, cx.rules.threshold, cx.changeset, fresh)?;
    }
    if matches!(f.probe.as_deref(), Some(Probed::Media(_))) && f.kind == "video" {
        media::check_too_short(conn, id.0, cx.rules.min_episode_ms, cx.changeset)?;
    }
    Ok(())
}

fn apply(conn: &Connection, m: WriteMsg, cx: Cx, now: &str) -> Result<(), CatalogError> {
    let changeset = cx.changeset;
    match m {
        WriteMsg::Upsert(f) => {
            let id = assets::upsert(conn, &f.borrow(), changeset, now)?;
            after_write(conn, id, &f, None, cx, true)?;
        }
        WriteMsg::Update(id, f) => {
            let old = assets::sha256_of(conn, id)?;
            assets::update(conn, id, &f.borrow(), changeset, now)?;
            after_write(conn, id, &f, old, cx, false)?;
        }
        WriteMsg::Present(id) => assets::mark_present(conn, id, changeset, now)?,
        WriteMsg::Missing(id) => {
            assets::mark_missing(conn, id, changeset, now)?;
            if let Some(sha) = dupes::sha_of(conn, id.0)? {
                dupes::refresh(conn, &sha, changeset)?;
            }
        }
        WriteMsg::Identify(id, ident) => {
            review::apply_identification(conn, id.0, &ident, cx.rules.threshold, changeset, false)?;
        }
        WriteMsg::Probe(id, probed, video) => {
            media::apply(conn, id.0, &probed, changeset)?;
            if video && matches!(*probed, Probed::Media(_)) {
                media::check_too_short(conn, id.0, cx.rules.min_episode_ms, changeset)?;
            }
        }
        WriteMsg::Problem {
            collection,
            path,
            reason,
        } => changesets::add_error(conn, changeset, collection.map(|c| c.0), &path, &reason)?,
        WriteMsg::Warning { message } => {
            changesets::add_warning(conn, changeset, None, &[], &message)?
        }
        WriteMsg::Reachability {
            collection,
            ingestible,
            reason,
        } => sources::set_reachability(conn, collection, ingestible, reason.as_deref())?,
        WriteMsg::Scanned(c) => sources::mark_scanned(conn, c, now, changeset)?,
        WriteMsg::Heartbeat {
            health,
            task,
            error,
            interval_secs,
        } => status::heartbeat(
            conn,
            &Beat {
                service: "scanner",
                health,
                task: Some(&task),
                error: error.as_deref(),
                interval_secs,
            },
        )?,
    }
    Ok(())
}
