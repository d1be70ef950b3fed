//! A scan's event log: what one scan found new, moved, changed, missing, the problems it
//! met and its warnings. Read from what the scan left in the catalog (the assets' changeset
//! columns, `asset_moves`, `changeset_errors`, `changeset_warnings`), so a scan run from cron
//! or another terminal has the same log as one run from the UI. Paged by key like every
//! long list: (kind, id).

use rusqlite::{Connection, params};

use super::Result;
use super::paging::{Dir, Key};

/// The kinds of event, in the order the log lists them.
pub(crate) const KINDS: [&str; 6] = ["new", "moved", "changed", "missing", "error", "warning"];

/// The index of missing files in `KINDS`.
pub(crate) const MISSING: usize = 3;
/// The index of errors in `KINDS`.
pub(crate) const ERROR: usize = 4;
/// The index of warnings in `KINDS`.
pub(crate) const WARNING: usize = 5;

/// Events per kind, in `KINDS` order.
pub(crate) type KindCounts = [i64; KINDS.len()];

/// One thing a scan saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Index into `KINDS`.
    pub kind: usize,
    /// The asset's id, or for a move or a problem the row that recorded it.
    pub id: i64,
    /// The file as it is now (for a problem, the path the problem is about).
    pub path: Vec<u8>,
    /// Where a moved file was before.
    pub from: Option<Vec<u8>>,
    /// What went wrong, for a problem.
    pub reason: Option<String>,
}

impl Event {
    pub fn kind_name(&self) -> &'static str {
        KINDS.get(self.kind).copied().unwrap_or("?")
    }
    pub fn key(&self) -> Key {
        Key::Event(self.kind, self.id)
    }
}

/// The rows of one kind: (id, path, from, reason), filtered by changeset `?1`.
fn kind_sql(kind: usize) -> &'static str {
    match kind {
        0 => concat!(
            "SELECT a.id, ",
            full_path_sql!(),
            ", NULL, NULL FROM assets a JOIN collections c ON c.id = a.collection_id
             WHERE a.created_changeset_id = ?1"
        ),
        1 => concat!(
            "SELECT m.id, ",
            full_path_sql!(),
            ", CASE WHEN fc.root IS NULL THEN m.from_rel_path
                    ELSE CAST(fc.root || X'2f' || m.from_rel_path AS BLOB) END, NULL
             FROM asset_moves m JOIN assets a ON a.id = m.asset_id
             JOIN collections c ON c.id = a.collection_id
             LEFT JOIN collections fc ON fc.id = m.from_collection_id
             WHERE m.changeset_id = ?1"
        ),
        // Changed in place, or back after being missing (a move is its own event). "Updated
        // by a scan that did not create it" is said in the form of ix_assets_updated_changeset's
        // condition (migration 0017), which SQLite must find in the query to read that index.
        2 => concat!(
            "SELECT a.id, ",
            full_path_sql!(),
            ", NULL, NULL FROM assets a JOIN collections c ON c.id = a.collection_id
             WHERE a.updated_changeset_id = ?1 AND a.updated_changeset_id IS NOT a.created_changeset_id
               AND a.missing_since IS NULL
               AND NOT EXISTS (SELECT 1 FROM asset_moves m
                               WHERE m.changeset_id = ?1 AND m.asset_id = a.id)"
        ),
        // A file a scan marks missing was in the catalog before that scan (it was in its
        // snapshot), so it was created by another: the same index as "changed".
        3 => concat!(
            "SELECT a.id, ",
            full_path_sql!(),
            ", NULL, NULL FROM assets a JOIN collections c ON c.id = a.collection_id
             WHERE a.updated_changeset_id = ?1 AND a.updated_changeset_id IS NOT a.created_changeset_id
               AND a.missing_since IS NOT NULL"
        ),
        ERROR => {
            "SELECT e.id, e.path, NULL, e.reason FROM changeset_errors e
             WHERE e.changeset_id = ?1"
        }
        // WARNING
        _ => {
            "SELECT w.id, w.path, NULL, w.message FROM changeset_warnings w
             WHERE w.changeset_id = ?1"
        }
    }
}

fn id_col(kind: usize) -> &'static str {
    match kind {
        1 => "m.id",
        ERROR => "e.id",
        WARNING => "w.id",
        _ => "a.id",
    }
}

/// A page of a scan's events, `only` one kind or all of them, in (kind, id) order.
pub fn page(
    conn: &Connection,
    changeset: i64,
    only: Option<usize>,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<Event>> {
    let kinds: Vec<usize> = match only {
        Some(k) => vec![k.min(KINDS.len() - 1)],
        None => (0..KINDS.len()).collect(),
    };
    let anchor = match (dir, key) {
        (Dir::After | Dir::Before | Dir::From, Some(Key::Event(k, id))) => Some((*k, *id)),
        _ => None,
    };
    let backwards = dir.backwards();
    let order: Vec<usize> = if backwards {
        kinds.into_iter().rev().collect()
    } else {
        kinds
    };
    let mut out = Vec::new();
    for kind in order {
        if out.len() >= limit {
            break;
        }
        // Kinds wholly on the far side of the anchor are skipped; the anchor's own kind
        // starts after (or before) its id.
        let bound = match anchor {
            Some((k, _)) if !backwards && kind < k => continue,
            Some((k, _)) if backwards && kind > k => continue,
            Some((k, id)) if k == kind => Some(id),
            _ => None,
        };
        let sql = kind_page_sql(kind, bound.is_some(), dir);
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(params![changeset, bound, (limit - out.len()) as i64], |r| {
            Ok(Event {
                kind,
                id: r.get(0)?,
                path: r.get(1)?,
                from: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        for r in rows {
            out.push(r?);
        }
    }
    if backwards {
        out.reverse();
    }
    Ok(out)
}

/// A page of one kind's events: `?1` the changeset, `?2` the anchor's id when `bounded`,
/// `?3` how many.
fn kind_page_sql(kind: usize, bounded: bool, dir: Dir) -> String {
    let col = id_col(kind);
    let cmp = match dir {
        Dir::After => ">",
        Dir::Before => "<",
        _ => ">=",
    };
    // Two statements rather than an OR, so the bound is a range on the index.
    let range = if bounded {
        format!("{col} {cmp} ?2")
    } else {
        "?2 IS NULL".to_string()
    };
    format!(
        "{} AND {range} ORDER BY {col} {} LIMIT ?3",
        kind_sql(kind),
        if dir.backwards() { "DESC" } else { "ASC" }
    )
}

/// How many events of each kind a scan has, in `KINDS` order.
pub fn counts(conn: &Connection, changeset: i64) -> Result<KindCounts> {
    let mut n = [0; KINDS.len()];
    for (kind, slot) in n.iter_mut().enumerate() {
        let sql = format!("SELECT count(*) FROM ({})", kind_sql(kind));
        *slot = conn
            .prepare_cached(&sql)?
            .query_row([changeset], |r| r.get(0))?;
    }
    Ok(n)
}

/// The newest scan, the one the log opens on.
pub fn latest_scan(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(id) FROM changesets WHERE kind = 'scan'")?
        .query_row([], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::paging::plan;

    /// The new, changed and missing files of a scan are read from the index of their
    /// changeset column, in id order, whichever way the log pages: the changed and missing
    /// ones from the partial index that holds only files changed after the scan that created
    /// them (migration 0017), which SQLite reads only when the query states its condition.
    #[test]
    fn a_scan_s_file_events_read_their_changeset_index() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let want = [
            (0, "ix_assets_created_changeset"),
            (2, "ix_assets_updated_changeset"),
            (MISSING, "ix_assets_updated_changeset"),
        ];
        for (kind, index) in want {
            for dir in Dir::ALL {
                for bounded in [false, true] {
                    let p = plan(&conn, &kind_page_sql(kind, bounded, dir));
                    let what = format!("{} {dir:?} bounded {bounded}: {p}", KINDS[kind]);
                    assert!(p.contains(index), "{what}");
                    assert!(!p.contains("TEMP B-TREE"), "{what}");
                }
            }
        }
    }
}
