//! Changesets: one per scan and per batch of manual edits, with status and statistics, and
//! the per-path problems a scan met.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Result;
use crate::model::{ChangesetKind, ChangesetStatus as Status};
use crate::time;

#[derive(Debug, Clone, Serialize)]
pub struct ChangesetRow {
    pub id: i64,
    pub kind: ChangesetKind,
    pub message: Option<String>,
    pub status: Status,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: Option<i64>,
    pub stats: Option<serde_json::Value>,
}

impl ChangesetRow {
    /// A scan's counts, from its stats; none for an edit, or a scan that did not finish.
    pub(crate) fn scan_counts(&self) -> Option<crate::model::Counts> {
        (self.kind == ChangesetKind::Scan)
            .then(|| self.stats.clone())
            .flatten()
            .and_then(|v| serde_json::from_value(v).ok())
    }
}

/// Starts a changeset; returns its id.
pub(crate) fn begin(conn: &Connection, kind: ChangesetKind, message: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO changesets (kind, message, status, started_at, pid)
         VALUES (?1, ?2, 'in_progress', ?3, ?4)",
        params![kind.as_str(), message, time::now(), std::process::id()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Ends a changeset with its status and statistics.
pub(crate) fn finish(
    conn: &Connection,
    id: i64,
    status: Status,
    stats: &serde_json::Value,
    duration_ms: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE changesets SET status = ?2, stats = ?3, finished_at = ?4, duration_ms = ?5
         WHERE id = ?1",
        params![
            id,
            status.as_str(),
            stats.to_string(),
            time::now(),
            duration_ms.max(0)
        ],
    )?;
    Ok(())
}

/// Runs a person's edit as one changeset of `kind`, in one transaction: committed, or with
/// `dry_run` rolled back after it ran, so its answer says what would have happened.
pub(crate) fn record_edit<T>(
    conn: &Connection,
    kind: ChangesetKind,
    message: &str,
    dry_run: bool,
    f: impl FnOnce(&Connection, i64) -> Result<T>,
) -> Result<T> {
    let started = std::time::Instant::now();
    let tx = super::Tx::immediate(conn)?;
    let cs = begin(conn, kind, message)?;
    let v = f(conn, cs)?;
    let stats = serde_json::json!({ "edit": message });
    finish(
        conn,
        cs,
        Status::Completed,
        &stats,
        started.elapsed().as_millis() as i64,
    )?;
    if !dry_run {
        tx.commit()?;
    }
    Ok(v)
}

/// Marks scans still `in_progress` as `interrupted`. Only call this while holding the scan
/// lock: then no live scan can own them. Returns their ids.
pub(crate) fn mark_interrupted_scans(conn: &Connection) -> Result<Vec<i64>> {
    let mut st = conn.prepare(
        "UPDATE changesets SET status = 'interrupted', finished_at = max(started_at, ?1)
         WHERE kind = 'scan' AND status = 'in_progress' RETURNING id",
    )?;
    let ids = st
        .query_map([time::now()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Records a problem with one path.
pub(crate) fn add_error(
    conn: &Connection,
    changeset: i64,
    collection: Option<i64>,
    path: &[u8],
    reason: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO changeset_errors (changeset_id, collection_id, path, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![changeset, collection, path, reason, time::now()])?;
    Ok(())
}

/// Records a warning: worth telling, nobody's file's fault, not an error. `path` is empty
/// when it is about the whole scan.
pub(crate) fn add_warning(
    conn: &Connection,
    changeset: i64,
    collection: Option<i64>,
    path: &[u8],
    message: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO changeset_warnings (changeset_id, collection_id, path, message, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![changeset, collection, path, message, time::now()])?;
    Ok(())
}

/// The warnings a changeset recorded, as (path bytes, message); the path is empty for a
/// warning about the whole scan.
pub fn warnings(conn: &Connection, changeset: i64) -> Result<Vec<(Vec<u8>, String)>> {
    path_notes(
        conn,
        "SELECT path, message FROM changeset_warnings WHERE changeset_id = ?1 ORDER BY id",
        changeset,
    )
}

/// The problems a changeset recorded, as (path bytes, reason).
pub fn errors(conn: &Connection, changeset: i64) -> Result<Vec<(Vec<u8>, String)>> {
    path_notes(
        conn,
        "SELECT path, reason FROM changeset_errors WHERE changeset_id = ?1 ORDER BY id",
        changeset,
    )
}

/// (path, text) rows of one changeset, in the order they were recorded.
fn path_notes(conn: &Connection, sql: &str, changeset: i64) -> Result<Vec<(Vec<u8>, String)>> {
    let mut st = conn.prepare(sql)?;
    let rows = st
        .query_map([changeset], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The newest changesets first.
pub(crate) fn recent(conn: &Connection, limit: usize) -> Result<Vec<ChangesetRow>> {
    let mut st = conn.prepare(
        "SELECT id, kind, message, status, started_at, finished_at, duration_ms, stats
         FROM changesets ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = st
        .query_map([limit as i64], |r| {
            let stats: Option<String> = r.get(7)?;
            Ok(ChangesetRow {
                id: r.get(0)?,
                kind: super::kind_at(r, 1)?,
                message: r.get(2)?,
                status: super::kind_at(r, 3)?,
                started_at: r.get(4)?,
                finished_at: r.get(5)?,
                duration_ms: r.get(6)?,
                stats: stats.and_then(|s| serde_json::from_str(&s).ok()),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
