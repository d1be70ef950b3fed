//! The single writer: one thread owns the scan's read-write connection and applies write
//! messages in batched IMMEDIATE transactions (as many as are queued, up to the batch size).
//! Readers use their own connections; WAL lets them read meanwhile.

use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;

use crate::catalog::assets::{self, AssetId, FileFacts};
use crate::catalog::sources::{self, CollectionId};
use crate::catalog::status::{self, Beat, Health};
use crate::catalog::{CatalogError, changesets};
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
    Problem {
        collection: Option<CollectionId>,
        path: Vec<u8>,
        reason: String,
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

/// The writer's handle: send messages, then `finish()` to get the connection back.
pub struct Writer {
    tx: SyncSender<WriteMsg>,
    handle: JoinHandle<Result<Connection, CatalogError>>,
}

impl Writer {
    pub fn spawn(conn: Connection, changeset: i64, batch_size: usize) -> std::io::Result<Self> {
        let (tx, rx) = sync_channel(batch_size.max(64) * 2);
        let handle = std::thread::Builder::new()
            .name("shelf-writer".into())
            .spawn(move || run(conn, rx, changeset, batch_size.max(1)))?;
        Ok(Self { tx, handle })
    }

    pub fn sender(&self) -> SyncSender<WriteMsg> {
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

fn run(
    conn: Connection,
    rx: Receiver<WriteMsg>,
    changeset: i64,
    batch: usize,
) -> Result<Connection, CatalogError> {
    while let Ok(first) = rx.recv() {
        let now = time::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut result = apply(&conn, first, changeset, &now);
        let mut n = 1;
        while result.is_ok() && n < batch {
            match rx.try_recv() {
                Ok(m) => {
                    result = apply(&conn, m, changeset, &now);
                    n += 1;
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
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
    Ok(conn)
}

fn apply(conn: &Connection, m: WriteMsg, changeset: i64, now: &str) -> Result<(), CatalogError> {
    match m {
        WriteMsg::Upsert(f) => {
            assets::upsert(conn, &f.borrow(), changeset, now)?;
        }
        WriteMsg::Update(id, f) => assets::update(conn, id, &f.borrow(), changeset, now)?,
        WriteMsg::Present(id) => assets::mark_present(conn, id, changeset, now)?,
        WriteMsg::Missing(id) => assets::mark_missing(conn, id, changeset, now)?,
        WriteMsg::Problem {
            collection,
            path,
            reason,
        } => changesets::add_error(conn, changeset, collection.map(|c| c.0), &path, &reason)?,
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
