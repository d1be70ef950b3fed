//! The review queue: what identification, probing and duplicates could not settle, each with
//! a reason a person can read, listed and paged by impact. The decisions on it are in
//! `decide`.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use super::Result;
use super::paging::{Dir, Key, page_sql, run_page};
use crate::model::{ReviewReason, ReviewStatus};
use crate::time;

/// A review item to queue.
#[derive(Debug, Clone, Copy)]
pub struct Pending<'a> {
    pub reason: ReviewReason,
    pub text: &'a str,
    pub confidence: f64,
    pub proposal: &'a Value,
    pub priority: i64,
}

/// The proposal in a few words.
pub(crate) fn describe_proposal(p: &Option<Value>) -> String {
    let Some(p) = p else { return "-".into() };
    if let Some(c) = p["canonical_path"].as_str() {
        return format!("keep {c}");
    }
    let title = p["title"].as_str().unwrap_or("?");
    let year = p["year"]
        .as_u64()
        .map(|y| format!(" ({y})"))
        .unwrap_or_default();
    match p["type"].as_str() {
        Some("movie") => format!("movie {title}{year}"),
        Some("episode") => {
            let s: Vec<u64> = p["seasons"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default();
            let e: Vec<u64> = p["episodes"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default();
            let abs: Vec<u64> = p["absolute"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default();
            let at = if let Some(d) = p["air_date"].as_str() {
                d.to_string()
            } else if let [s] = s.as_slice() {
                let eps: String = e.iter().map(|e| format!("E{e:02}")).collect();
                format!("S{s:02}{}", if eps.is_empty() { "E??".into() } else { eps })
            } else if !abs.is_empty() {
                format!(
                    "#{}",
                    abs.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
                )
            } else {
                "?".into()
            };
            format!("{title}{year} {at}")
        }
        _ => "-".into(),
    }
}

/// Queues (or refreshes) the pending item of this reason for an asset.
pub(crate) fn queue(conn: &Connection, asset: i64, p: Pending<'_>, changeset: i64) -> Result<()> {
    let Pending {
        reason,
        text,
        confidence,
        proposal,
        priority,
    } = p;
    conn.prepare_cached(
        "INSERT INTO review_items (asset_id, reason, reason_text, confidence, proposal, priority, status,
                                   created_at, changeset_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)
         ON CONFLICT (asset_id, reason) WHERE status = 'pending' DO UPDATE SET
             reason_text = excluded.reason_text, confidence = excluded.confidence,
             proposal = excluded.proposal, priority = excluded.priority,
             changeset_id = excluded.changeset_id",
    )?
    .execute(params![asset, reason.as_str(), text, confidence.clamp(0.0, 1.0), proposal.to_string(), priority, time::now(), changeset])?;
    Ok(())
}

/// Drops an asset's pending identification items (a new identification replaces them).
pub(crate) fn drop_pending_ident(conn: &Connection, asset: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM review_items WHERE asset_id = ?1 AND status = 'pending'
           AND reason IN ('low_confidence', 'conflicting', 'ambiguous_title', 'no_match', 'possible_extra')",
    )?
    .execute([asset])?;
    Ok(())
}

/// One review item, as lists and exports show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub asset_id: i64,
    pub path: Vec<u8>,
    pub reason: ReviewReason,
    pub text: String,
    pub confidence: f64,
    pub status: ReviewStatus,
    pub proposal: Option<Value>,
    pub resolution: Option<Value>,
    pub note: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
    /// The queue's sort key (highest priority first).
    #[serde(skip)]
    pub neg_priority: i64,
    /// What the file is linked to now, as a person reads it ("Show S02E10", "Alien (1979)"):
    /// looked up for a page of the queue and for one item (`None` in a whole list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked: Option<Vec<String>>,
}

impl ReviewRow {
    pub fn key(&self) -> super::paging::Key {
        super::paging::Key::Review(self.neg_priority, self.confidence, self.id)
    }
}

/// Which items to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<ReviewStatus>,
    pub reason: Option<ReviewReason>,
    pub min_confidence: Option<f64>,
}

const ITEM_SELECT: &str = concat!(
    "
    SELECT r.id, r.asset_id, ",
    full_path_sql!(),
    ",
           r.reason, r.reason_text, r.confidence, r.status, r.proposal, r.resolution, r.note,
           r.created_at, r.resolved_at, -r.priority
    FROM review_items r JOIN assets a ON a.id = r.asset_id JOIN collections c ON c.id = a.collection_id"
);

/// Maps a row of `ITEM_SELECT`'s columns (the queue's pages select the same ones).
pub(crate) fn item(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReviewRow> {
    let p: Option<String> = r.get(7)?;
    let res: Option<String> = r.get(8)?;
    Ok(ReviewRow {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        path: r.get(2)?,
        reason: super::kind_at(r, 3)?,
        text: r.get(4)?,
        confidence: r.get(5)?,
        status: super::kind_at(r, 6)?,
        proposal: p.and_then(|s| serde_json::from_str(&s).ok()),
        resolution: res.and_then(|s| serde_json::from_str(&s).ok()),
        note: r.get(9)?,
        created_at: r.get(10)?,
        resolved_at: r.get(11)?,
        neg_priority: r.get(12)?,
        linked: None,
    })
}

/// Fills in what each item's file is linked to now.
fn with_links(conn: &Connection, mut rows: Vec<ReviewRow>) -> Result<Vec<ReviewRow>> {
    for it in rows.iter_mut() {
        it.linked = Some(super::library::linked_labels(conn, it.asset_id)?);
    }
    Ok(rows)
}

/// A page of the pending review queue, highest impact first.
pub(crate) fn page(
    conn: &Connection,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<ReviewRow>> {
    let base = concat!("SELECT r.id, r.asset_id, ", full_path_sql!(), ",
                       r.reason, r.reason_text, r.confidence, r.status, r.proposal, r.resolution, r.note,
                       r.created_at, r.resolved_at, -r.priority
                FROM review_items r INDEXED BY ix_review_queue
                JOIN assets a ON a.id = r.asset_id JOIN collections c ON c.id = a.collection_id
                WHERE r.status = 'pending'");
    let sql = page_sql(
        base,
        "-r.priority, r.confidence, r.id",
        dir,
        "-r.priority DESC, r.confidence DESC, r.id DESC",
    );
    let mut binds: Vec<rusqlite::types::Value> = Vec::new();
    if let (Dir::After | Dir::Before | Dir::From, Some(Key::Review(p, c, id))) = (dir, key) {
        binds.extend([(*p).into(), (*c).into(), (*id).into()]);
    }
    binds.push((limit as i64).into());
    with_links(conn, run_page(conn, &sql, binds, dir, item)?)
}

/// How many items wait in the queue.
pub(crate) fn count_pending(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(COUNT_PENDING)?
        .query_row([], |r| r.get(0))?)
}

/// Read from the queue's partial index, which holds the pending items only (migration 0021
/// dropped the index by status this once read).
const COUNT_PENDING: &str = "SELECT count(*) FROM review_items WHERE status = 'pending'";

/// Items, highest impact first (pending first, then priority, then least confident, then
/// oldest).
pub(crate) fn list(conn: &Connection, f: &Filter) -> Result<Vec<ReviewRow>> {
    let mut st = conn.prepare(&format!(
        "{ITEM_SELECT}
         WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.reason = ?2)
           AND (?3 IS NULL OR r.confidence >= ?3)
         ORDER BY r.status = 'pending' DESC, r.priority DESC, r.confidence, r.id"
    ))?;
    let status = f.status.map(ReviewStatus::as_str);
    let reason = f.reason.map(ReviewReason::as_str);
    let rows = st.query_map(params![status, reason, f.min_confidence], item)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Option<ReviewRow>> {
    let Some(mut it) = conn
        .query_row(&format!("{ITEM_SELECT} WHERE r.id = ?1"), [id], item)
        .optional()?
    else {
        return Ok(None);
    };
    it.linked = Some(super::library::linked_labels(conn, it.asset_id)?);
    Ok(Some(it))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pending count reads the queue's index of pending items, not every item.
    #[test]
    fn the_pending_count_reads_the_queue_index() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let plan = crate::catalog::paging::plan(&conn, COUNT_PENDING);
        assert!(plan.contains("ix_review_queue"), "{plan}");
    }

    /// Each index of review items serves a statement; one that served none cost every
    /// question written (migrations 0020, 0021).
    #[test]
    fn review_items_keeps_only_the_indexes_it_uses() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'review_items'
                 ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            names,
            [
                "ix_review_asset",
                "ix_review_changeset",
                "ix_review_queue",
                "ix_review_resolved_changeset",
                "ux_review_pending"
            ]
        );
    }
}
