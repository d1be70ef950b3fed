//! The organise journal: a batch and each of its files, written before every step the
//! batch takes on disk (PRODUCT.md "Organise"). What resume and undo read.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, with_tx};
use crate::time;

/// A file of a batch as the journal holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: i64,
    pub batch: i64,
    #[serde(skip)]
    pub src: Vec<u8>,
    #[serde(skip)]
    pub dest: Option<Vec<u8>>,
    #[serde(skip)]
    pub tmp: Option<Vec<u8>>,
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: Option<String>,
    pub action: String,
    pub state: String,
    pub captured_at: Option<String>,
    pub date_source: Option<String>,
    pub reason: Option<String>,
    pub primary_id: Option<i64>,
}

/// A new file for the journal.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub src: Vec<u8>,
    pub dest: Option<Vec<u8>>,
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: Option<String>,
    pub action: &'static str,
    /// `done` for what needs nothing done on disk (a duplicate left in place, a skip).
    pub state: &'static str,
    pub captured_at: Option<String>,
    pub date_source: Option<&'static str>,
    pub reason: Option<String>,
    /// Index, in the same list, of the item it travels with.
    pub primary: Option<usize>,
}

/// A batch with its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Batch {
    pub id: i64,
    #[serde(skip)]
    pub dest: Vec<u8>,
    pub template: String,
    pub mode: String,
    pub status: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub planned: i64,
    pub organised: i64,
    pub duplicates: i64,
    pub skipped: i64,
    pub failed: i64,
    pub pending: i64,
}

/// Starts a batch with its whole plan, in one transaction: nothing on disk has moved yet.
pub fn begin(
    conn: &Connection,
    dest: &[u8],
    template: &str,
    mode: &str,
    items: &[NewItem],
) -> Result<(i64, Vec<i64>)> {
    let now = time::now();
    with_tx(conn, |c| {
        c.execute(
            "INSERT INTO organise_batches (dest, template, mode, started_at, pid) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![dest, template, mode, now, std::process::id()],
        )?;
        let batch = c.last_insert_rowid();
        let mut ins = c.prepare(
            "INSERT INTO organise_items (batch_id, src, dest, size, mtime_ns, sha256, action, state,
                                         captured_at, date_source, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut ids = Vec::with_capacity(items.len());
        for it in items {
            ins.execute(params![
                batch,
                it.src,
                it.dest,
                it.size,
                it.mtime_ns,
                it.sha256,
                it.action,
                it.state,
                it.captured_at,
                it.date_source,
                it.reason
            ])?;
            ids.push(c.last_insert_rowid());
        }
        let mut link = c.prepare("UPDATE organise_items SET primary_id = ?2 WHERE id = ?1")?;
        for (i, it) in items.iter().enumerate() {
            if let Some(p) = it.primary.and_then(|p| ids.get(p)) {
                link.execute(params![ids[i], p])?;
            }
        }
        Ok((batch, ids))
    })
}

/// Records the next step of a file before it is taken (or that it was taken).
pub fn step(
    conn: &Connection,
    id: i64,
    state: &str,
    dest: Option<&[u8]>,
    tmp: Option<&[u8]>,
    reason: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE organise_items SET state = ?2, dest = coalesce(?3, dest), tmp = ?4,
                reason = coalesce(?5, reason),
                ingested_at = CASE WHEN ?2 = 'done' THEN ?6 ELSE ingested_at END
         WHERE id = ?1",
    )?
    .execute(params![id, state, dest, tmp, reason, time::now()])?;
    Ok(())
}

/// Ends a batch: done when every file is, partial when one failed or waits, undone.
pub fn finish(conn: &Connection, batch: i64, status: &str) -> Result<()> {
    conn.execute(
        "UPDATE organise_batches SET status = ?2, finished_at = ?3 WHERE id = ?1",
        params![batch, status, time::now()],
    )?;
    Ok(())
}

fn item_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        batch: r.get(1)?,
        src: r.get(2)?,
        dest: r.get(3)?,
        tmp: r.get(4)?,
        size: r.get(5)?,
        mtime_ns: r.get(6)?,
        sha256: r.get(7)?,
        action: r.get(8)?,
        state: r.get(9)?,
        captured_at: r.get(10)?,
        date_source: r.get(11)?,
        reason: r.get(12)?,
        primary_id: r.get(13)?,
    })
}

/// A batch's files, in the order they were planned.
pub fn items(conn: &Connection, batch: i64) -> Result<Vec<Item>> {
    let mut st = conn.prepare(
        "SELECT id, batch_id, src, dest, tmp, size, mtime_ns, sha256, action, state, captured_at,
                date_source, reason, primary_id
         FROM organise_items WHERE batch_id = ?1 ORDER BY id",
    )?;
    let rows = st
        .query_map([batch], item_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

const BATCH: &str = "
    SELECT b.id, b.dest, b.template, b.mode, b.status, b.started_at, b.finished_at,
           count(i.id),
           count(CASE WHEN i.action = 'place' AND i.state = 'done' THEN 1 END),
           count(CASE WHEN i.action = 'duplicate' THEN 1 END),
           count(CASE WHEN i.action = 'skip' THEN 1 END),
           count(CASE WHEN i.state = 'failed' THEN 1 END),
           count(CASE WHEN i.state IN ('planned', 'copying', 'placed') THEN 1 END)
    FROM organise_batches b LEFT JOIN organise_items i ON i.batch_id = b.id";

fn batch_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        dest: r.get(1)?,
        template: r.get(2)?,
        mode: r.get(3)?,
        status: r.get(4)?,
        started_at: r.get(5)?,
        finished_at: r.get(6)?,
        planned: r.get(7)?,
        organised: r.get(8)?,
        duplicates: r.get(9)?,
        skipped: r.get(10)?,
        failed: r.get(11)?,
        pending: r.get(12)?,
    })
}

/// Every batch, newest first.
pub fn batches(conn: &Connection) -> Result<Vec<Batch>> {
    let mut st = conn.prepare(&format!("{BATCH} GROUP BY b.id ORDER BY b.id DESC"))?;
    let rows = st
        .query_map([], batch_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One batch.
pub fn batch(conn: &Connection, id: i64) -> Result<Option<Batch>> {
    Ok(conn
        .query_row(
            &format!("{BATCH} WHERE b.id = ?1 GROUP BY b.id"),
            [id],
            batch_row,
        )
        .optional()?)
}

/// Batches a crash or kill left with files not yet done.
pub fn unfinished(conn: &Connection) -> Result<Vec<i64>> {
    let mut st = conn.prepare(
        "SELECT DISTINCT batch_id FROM organise_items
         WHERE state IN ('planned', 'copying', 'placed')
           AND batch_id IN (SELECT id FROM organise_batches WHERE status != 'undone')
         ORDER BY batch_id",
    )?;
    let rows = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
