//! Pages by key, never by offset: a page after (or before) the last row seen, in the list's
//! index order, so scrolling costs the same at row 10 and at row 1,000,000. Every list the
//! catalog pages (titles, assets, the review queue, markers, events) builds on these.

use rusqlite::Connection;

use super::Result;

/// Which way a page goes from its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// The first rows (no anchor).
    First,
    /// The last rows (no anchor).
    Last,
    /// Rows after the anchor.
    After,
    /// Rows before the anchor (returned in list order).
    Before,
    /// Rows from the anchor on (a reload that keeps its place).
    From,
}

impl Dir {
    /// Every direction, for tests that page each way.
    #[cfg(test)]
    pub(crate) const ALL: [Dir; 5] = [Dir::First, Dir::Last, Dir::After, Dir::Before, Dir::From];

    /// Read backwards (a page before the anchor, and the last page), then given in list order.
    pub(crate) fn backwards(self) -> bool {
        matches!(self, Dir::Before | Dir::Last)
    }
}

/// A position in a list: the sort key of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Title(String, i64),
    Asset(i64, Vec<u8>),
    Review(i64, f64, i64),
    /// A photo by capture date (empty when unknown), then id.
    Captured(String, i64),
    /// A scan event: its kind's place in `events::KINDS`, then its id.
    Event(usize, i64),
    /// An episode: number, air date, absolute number (-1 / "" when unknown), id.
    Episode(i64, String, i64, i64),
    /// A marker: its start, then its id.
    Marker(i64, i64),
    /// A season: its number (unique within its title).
    Season(i64),
}

pub(crate) fn page_sql(base: &str, key_cols: &str, dir: Dir, desc_cols: &str) -> String {
    // `key_cols` ascending is list order; `desc_cols` is the same order reversed.
    match dir {
        Dir::First => format!("{base} ORDER BY {key_cols} LIMIT ?"),
        Dir::Last => format!("{base} ORDER BY {desc_cols} LIMIT ?"),
        Dir::After => format!(
            "{base} AND ({key_cols}) > ({}) ORDER BY {key_cols} LIMIT ?",
            placeholders(key_cols)
        ),
        Dir::Before => format!(
            "{base} AND ({key_cols}) < ({}) ORDER BY {desc_cols} LIMIT ?",
            placeholders(key_cols)
        ),
        Dir::From => format!(
            "{base} AND ({key_cols}) >= ({}) ORDER BY {key_cols} LIMIT ?",
            placeholders(key_cols)
        ),
    }
}

/// Runs a page's query and gives its rows in list order (a page before the anchor, and the
/// last page, are read backwards).
pub(crate) fn run_page<T>(
    conn: &Connection,
    sql: &str,
    binds: Vec<rusqlite::types::Value>,
    dir: Dir,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut st = conn.prepare_cached(sql)?;
    let mut rows: Vec<T> = st
        .query_map(rusqlite::params_from_iter(binds), map)?
        .collect::<rusqlite::Result<_>>()?;
    if dir.backwards() {
        rows.reverse();
    }
    Ok(rows)
}

/// One `?` per key column (commas inside a call such as `coalesce(x, '')` do not count).
fn placeholders(cols: &str) -> String {
    let mut depth = 0i32;
    let mut n = 1;
    for b in cols.bytes() {
        match b {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth == 0 => n += 1,
            _ => {}
        }
    }
    vec!["?"; n].join(", ")
}

/// How SQLite would run `sql` (its parameters unbound): the plan's lines joined, for tests
/// that a list is read from its index, in order.
#[cfg(test)]
pub(crate) fn plan(conn: &Connection, sql: &str) -> String {
    let mut st = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("a statement");
    let unbound = vec![rusqlite::types::Value::Null; st.parameter_count()];
    let lines: Vec<String> = st
        .query_map(rusqlite::params_from_iter(unbound), |r| r.get(3))
        .expect("a plan")
        .collect::<rusqlite::Result<_>>()
        .expect("its lines");
    lines.join("; ")
}
