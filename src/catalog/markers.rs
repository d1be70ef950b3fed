//! Markers: time ranges on an asset (chapter, avail, bumper, intro, outro). Chapters come
//! from the file (`source = 'file'`, replaced when the file changes); a person's markers
//! (`manual`) and generated ones (`generated`) are edited in changesets with history, so
//! they can be undone. A scan never touches a marker that is not the file's.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use super::history::{self, Entity, Entry, Op};
use super::paging::{Dir, Key};
use super::{CatalogError, Result};
use crate::model::{MarkerKind, MarkerSource};
use crate::probe::Chapter;
use crate::time;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkerRow {
    pub id: i64,
    pub asset_id: i64,
    #[serde(skip)]
    pub path: Vec<u8>,
    pub kind: MarkerKind,
    pub start_ms: i64,
    pub end_ms: i64,
    pub label: Option<String>,
    pub source: MarkerSource,
    pub confidence: f64,
}

impl MarkerRow {
    fn to_json(&self) -> Value {
        json!({"id": self.id, "asset_id": self.asset_id, "kind": self.kind, "start_ms": self.start_ms,
               "end_ms": self.end_ms, "label": self.label, "source": self.source, "confidence": self.confidence})
    }
}

const SELECT: &str = concat!(
    "
    SELECT m.id, m.asset_id, ",
    full_path_sql!(),
    ",
           m.kind, m.start_ms, m.end_ms, m.label, m.source, m.confidence
    FROM markers m JOIN assets a ON a.id = m.asset_id JOIN collections c ON c.id = a.collection_id"
);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MarkerRow> {
    Ok(MarkerRow {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        path: r.get(2)?,
        kind: super::kind_at(r, 3)?,
        start_ms: r.get(4)?,
        end_ms: r.get(5)?,
        label: r.get(6)?,
        source: super::kind_at(r, 7)?,
        confidence: r.get(8)?,
    })
}

/// Markers of one asset (or all), in time order.
pub(crate) fn list(conn: &Connection, asset: Option<i64>) -> Result<Vec<MarkerRow>> {
    let mut st = conn.prepare(&format!(
        "{SELECT} WHERE (?1 IS NULL OR m.asset_id = ?1) ORDER BY m.asset_id, m.start_ms, m.id"
    ))?;
    let rows = st.query_map([asset], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl MarkerRow {
    pub fn key(&self) -> Key {
        Key::Marker(self.start_ms, self.id)
    }
}

/// A page of one asset's markers in time order (the Markers pane pages like every list).
pub(crate) fn page(
    conn: &Connection,
    asset: i64,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<MarkerRow>> {
    let base = format!("{SELECT} WHERE m.asset_id = ?1");
    let sql = super::paging::page_sql(&base, "m.start_ms, m.id", dir, "m.start_ms DESC, m.id DESC");
    let mut binds: Vec<rusqlite::types::Value> = vec![asset.into()];
    match (dir, key) {
        (Dir::After | Dir::Before | Dir::From, Some(Key::Marker(start, id))) => {
            binds.push((*start).into());
            binds.push((*id).into());
        }
        (Dir::After | Dir::Before | Dir::From, _) => {
            return page(conn, asset, Dir::First, None, limit);
        }
        _ => {}
    }
    binds.push((limit as i64).into());
    super::paging::run_page(conn, &sql, binds, dir, row)
}

/// How many markers an asset has.
pub fn count(conn: &Connection, asset: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM markers WHERE asset_id = ?1")?
        .query_row([asset], |r| r.get(0))?)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Option<MarkerRow>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE m.id = ?1"), [id], row)
        .optional()?)
}

/// An asset named by id or by path (absolute, or relative to its collection): (id, duration),
/// refused when it is not a video or audio file.
pub(crate) fn resolve_asset(conn: &Connection, spec: &str) -> Result<Option<(i64, Option<i64>)>> {
    let Some((id, duration, kind)) = find_asset(conn, spec)? else {
        return Ok(None);
    };
    if kind != "video" && kind != "audio" {
        return Err(CatalogError::Refused(format!(
            "asset #{id} is {kind}, not video or audio: markers are times in a recording"
        )));
    }
    Ok(Some((id, duration)))
}

fn find_asset(conn: &Connection, spec: &str) -> Result<Option<(i64, Option<i64>, String)>> {
    let q = "SELECT a.id, a.duration_ms, a.kind FROM assets a JOIN collections c ON c.id = a.collection_id WHERE ";
    if let Ok(id) = spec.parse::<i64>()
        && let Some(hit) = conn
            .query_row(&format!("{q}a.id = ?1"), [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?
    {
        return Ok(Some(hit));
    }
    let bytes = spec.as_bytes();
    Ok(conn
        .query_row(
            &format!("{q}{} = ?1 OR a.rel_path = ?1 LIMIT 1", full_path_sql!()),
            [bytes],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// A marker to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMarker<'a> {
    pub kind: MarkerKind,
    pub start_ms: i64,
    pub end_ms: i64,
    pub label: Option<&'a str>,
    pub source: MarkerSource,
    pub confidence: f64,
}

/// What is wrong with a marker for its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MarkerProblem {
    #[error("the start cannot be negative")]
    NegativeStart,
    #[error("the end ({end} ms) is before the start ({start} ms)")]
    EndBeforeStart { start: i64, end: i64 },
    #[error("the {which} ({at} ms) is past the end of the file ({duration} ms)")]
    PastTheEnd {
        which: &'static str,
        at: i64,
        duration: i64,
    },
}

/// Checks a marker against its asset's duration.
fn validate(m: &NewMarker<'_>, duration: Option<i64>) -> std::result::Result<(), MarkerProblem> {
    if m.start_ms < 0 {
        return Err(MarkerProblem::NegativeStart);
    }
    if m.end_ms < m.start_ms {
        return Err(MarkerProblem::EndBeforeStart {
            start: m.start_ms,
            end: m.end_ms,
        });
    }
    if let Some(duration) = duration {
        for (which, at) in [("start", m.start_ms), ("end", m.end_ms)] {
            if at > duration {
                return Err(MarkerProblem::PastTheEnd {
                    which,
                    at,
                    duration,
                });
            }
        }
    }
    Ok(())
}

/// Refuses a marker that does not fit its asset, saying why.
fn check(conn: &Connection, asset: i64, m: &NewMarker<'_>) -> Result<()> {
    let duration: Option<i64> = conn
        .prepare_cached("SELECT duration_ms FROM assets WHERE id = ?1")?
        .query_row([asset], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CatalogError::NotFound {
            what: "asset",
            id: asset,
        })?;
    validate(m, duration).map_err(|why| CatalogError::InvalidInput {
        field: "marker",
        why: why.to_string(),
    })
}

/// Adds a marker in a person's changeset; refused with a reason when it does not fit.
pub(crate) fn add(conn: &Connection, changeset: i64, asset: i64, m: &NewMarker<'_>) -> Result<i64> {
    check(conn, asset, m)?;
    let now = time::now();
    conn.execute(
        "INSERT INTO markers (asset_id, kind, start_ms, end_ms, label, source, confidence, changeset_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![asset, m.kind.as_str(), m.start_ms, m.end_ms, m.label, m.source.as_str(), m.confidence, changeset, now],
    )?;
    let id = conn.last_insert_rowid();
    let after = get(conn, id)?.map(|r| r.to_json());
    history::record(
        conn,
        changeset,
        Entry {
            entity: Entity::Marker,
            id,
            op: Op::Insert,
            field: None,
            before: None,
            after: after.as_ref(),
        },
    )?;
    Ok(id)
}

/// Rewrites a marker (all its editable fields) in a person's changeset. An edited marker is
/// the person's from then on (`manual`): a chapter read from the file would otherwise be
/// replaced, edit and all, the next time the file changes.
pub(crate) fn edit(conn: &Connection, changeset: i64, id: i64, m: &NewMarker<'_>) -> Result<()> {
    let before = get(conn, id)?.ok_or_else(|| CatalogError::NotFound { what: "marker", id })?;
    check(conn, before.asset_id, m)?;
    conn.execute(
        "UPDATE markers SET kind = ?2, start_ms = ?3, end_ms = ?4, label = ?5, changeset_id = ?6, updated_at = ?7,
                source = 'manual', confidence = 1.0
         WHERE id = ?1",
        params![id, m.kind.as_str(), m.start_ms, m.end_ms, m.label, changeset, time::now()],
    )?;
    let after = get(conn, id)?.map(|r| r.to_json());
    history::record(
        conn,
        changeset,
        Entry {
            entity: Entity::Marker,
            id,
            op: Op::Update,
            field: None,
            before: Some(&before.to_json()),
            after: after.as_ref(),
        },
    )?;
    Ok(())
}

/// Removes a marker in a person's changeset (it can be undone).
pub(crate) fn remove(conn: &Connection, changeset: i64, id: i64) -> Result<MarkerRow> {
    let before = get(conn, id)?.ok_or_else(|| CatalogError::NotFound { what: "marker", id })?;
    conn.execute("DELETE FROM markers WHERE id = ?1", [id])?;
    history::record(
        conn,
        changeset,
        Entry::delete(Entity::Marker, id, &before.to_json()),
    )?;
    Ok(before)
}

/// Puts a marker back exactly as it was (undo).
pub(crate) fn restore(conn: &Connection, v: &Value) -> Result<()> {
    let now = time::now();
    conn.execute(
        "INSERT OR REPLACE INTO markers (id, asset_id, kind, start_ms, end_ms, label, source, confidence, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![v["id"].as_i64(), v["asset_id"].as_i64(), v["kind"].as_str(), v["start_ms"].as_i64(), v["end_ms"].as_i64(),
                v["label"].as_str(), v["source"].as_str(), v["confidence"].as_f64().unwrap_or(1.0), now],
    )?;
    Ok(())
}

/// A scan's chapters for a (new or changed) file: the file's old chapters go, the new ones
/// come, bounds-checked against the duration. Manual and generated markers stay. Returns
/// a warning for each chapter skipped.
pub fn replace_file_chapters(
    conn: &Connection,
    asset: i64,
    chapters: &[Chapter],
    duration: Option<i64>,
    changeset: i64,
) -> Result<Vec<String>> {
    conn.prepare_cached("DELETE FROM markers WHERE asset_id = ?1 AND source = 'file'")?
        .execute([asset])?;
    let mut warnings = Vec::new();
    let now = time::now();
    let mut ins = conn.prepare_cached(
        "INSERT INTO markers (asset_id, kind, start_ms, end_ms, label, source, confidence, changeset_id, created_at, updated_at)
         VALUES (?1, 'chapter', ?2, ?3, ?4, 'file', 1.0, ?5, ?6, ?6)",
    )?;
    for (i, c) in chapters.iter().enumerate() {
        let end = c.end_ms.unwrap_or(c.start_ms);
        // Containers round their durations: allow a few frames past the stated end.
        let limit = duration.map(|d| d + 500);
        let out_of_range =
            c.start_ms < 0 || end < c.start_ms || limit.is_some_and(|l| c.start_ms > l || end > l);
        if out_of_range {
            warnings.push(format!(
                "chapter {} ({} ms to {} ms) is outside the file ({} ms): skipped",
                i + 1,
                c.start_ms,
                end,
                duration.map_or("unknown".into(), |d| d.to_string())
            ));
            continue;
        }
        let end = duration.map_or(end, |d| end.min(d.max(c.start_ms)));
        ins.execute(params![asset, c.start_ms, end, c.title, changeset, now])?;
    }
    Ok(warnings)
}

/// Positions of generated avails: interior chapter boundaries when there are chapters (at
/// most `n`, spread evenly over them), else `n` evenly spaced points.
fn avail_positions(chapter_starts: &[i64], duration: i64, n: usize) -> Vec<i64> {
    let inner: Vec<i64> = chapter_starts
        .iter()
        .copied()
        .filter(|s| *s > 0 && *s < duration)
        .collect();
    if !inner.is_empty() {
        if inner.len() <= n {
            return inner;
        }
        return (0..n).map(|i| inner[i * inner.len() / n]).collect();
    }
    (1..=n as i64)
        .map(|i| duration * i / (n as i64 + 1))
        .collect()
}

/// Generated avails: where they went, and whether chapters placed them.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub at: Vec<i64>,
    pub from_chapters: bool,
}

/// Generates `n` avails on an asset in a person's changeset: at chapter boundaries when the
/// file has chapters (confidence 0.7), else evenly spaced (0.4). Avails generated before are
/// replaced; manual markers are never touched.
pub(crate) fn generate_avails(
    conn: &Connection,
    changeset: i64,
    asset: i64,
    duration: i64,
    n: usize,
) -> Result<Generated> {
    let existing = list(conn, Some(asset))?;
    let starts: Vec<i64> = existing
        .iter()
        .filter(|m| m.kind == MarkerKind::Chapter)
        .map(|m| m.start_ms)
        .collect();
    let at = avail_positions(&starts, duration, n);
    let from_chapters = starts.iter().any(|s| *s > 0 && *s < duration);
    for m in existing
        .iter()
        .filter(|m| m.source == MarkerSource::Generated && m.kind == MarkerKind::Avail)
    {
        remove(conn, changeset, m.id)?;
    }
    for (i, t) in at.iter().enumerate() {
        let label = format!("Avail {}", i + 1);
        add(
            conn,
            changeset,
            asset,
            &NewMarker {
                kind: MarkerKind::Avail,
                start_ms: *t,
                end_ms: *t,
                label: Some(&label),
                source: MarkerSource::Generated,
                confidence: if from_chapters { 0.7 } else { 0.4 },
            },
        )?;
    }
    Ok(Generated { at, from_chapters })
}
