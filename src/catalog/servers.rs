//! What a media server said, kept beside what is on disk: each item's change marker (so an
//! unchanged item is not fetched again), the path the server reports for a file, its ids
//! (provider refs, and `external_ids` on the titles and episodes the scan linked it to), and
//! the server's markers. A person's markers, links and locked titles are never touched.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use super::Result;
use crate::model::{CollectionId, MarkerKind};
use crate::time;

/// The change markers of a collection's items at its last scan, by item key.
pub fn item_changes(
    conn: &Connection,
    collection: CollectionId,
) -> Result<HashMap<String, String>> {
    let mut st = conn.prepare_cached(
        "SELECT item_key, change_marker FROM server_items WHERE collection_id = ?1",
    )?;
    let rows = st
        .query_map([collection.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Records the items read in full this scan; with `complete`, forgets the items the server
/// no longer lists.
pub(crate) fn record_items(
    conn: &Connection,
    collection: CollectionId,
    seen: &[(String, String)],
    complete: bool,
) -> Result<()> {
    let now = time::now();
    let mut up = conn.prepare_cached(
        "INSERT INTO server_items (collection_id, item_key, change_marker, seen_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (collection_id, item_key) DO UPDATE SET change_marker = excluded.change_marker,
                                                             seen_at = excluded.seen_at",
    )?;
    for (key, change) in seen {
        up.execute(params![collection.0, key, change, now])?;
    }
    if complete {
        conn.prepare_cached("DELETE FROM server_items WHERE collection_id = ?1 AND seen_at < ?2")?
            .execute(params![collection.0, now])?;
    }
    Ok(())
}

/// A marker as a server reports it, for the writer.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerMarker {
    pub kind: MarkerKind,
    pub start_ms: i64,
    pub end_ms: i64,
    pub label: Option<String>,
}

/// One episode as a server names it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeFacts {
    pub season: Option<u32>,
    pub number: Option<u32>,
    pub name: Option<String>,
    pub ids: Vec<(&'static str, String)>,
}

/// What a server says of one file.
#[derive(Debug, Clone)]
pub struct ServerFacts {
    pub collection: CollectionId,
    pub rel_path: Vec<u8>,
    /// `plex` or `jellyfin`: the provider of the item key and the markers' source.
    pub provider: &'static str,
    pub remote_path: String,
    pub item_key: String,
    /// The item (movie or episode)'s ids, and its show's.
    pub ids: Vec<(&'static str, String)>,
    pub show_ids: Vec<(&'static str, String)>,
    /// Each episode the file holds, as the server names it.
    pub episodes: Vec<EpisodeFacts>,
    pub raw: Option<String>,
    /// The server's markers and chapters; `None` leaves the ones recorded before.
    pub markers: Option<Vec<ServerMarker>>,
    pub duration_ms: Option<i64>,
}

/// Writes what a server says of a file: its remote path, its provider refs, ids on what the
/// scan linked it to, and the server's markers. Returns warnings (markers out of bounds).
pub(crate) fn apply_facts(
    conn: &Connection,
    f: &ServerFacts,
    changeset: i64,
) -> Result<Vec<String>> {
    let Some((asset, duration)) = conn
        .prepare_cached(
            "SELECT id, duration_ms FROM assets WHERE collection_id = ?1 AND rel_path = ?2",
        )?
        .query_row(params![f.collection.0, f.rel_path], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
        })
        .optional()?
    else {
        return Ok(Vec::new());
    };
    let now = time::now();
    conn.prepare_cached(
        "UPDATE assets SET remote_path = ?2 WHERE id = ?1 AND remote_path IS NOT ?2",
    )?
    .execute(params![asset, f.remote_path])?;
    conn.prepare_cached(
        "DELETE FROM provider_refs WHERE entity_type = 'asset' AND asset_id = ?1 AND provider = ?2",
    )?
    .execute(params![asset, f.provider])?;
    conn.prepare_cached(
        "INSERT INTO provider_refs (entity_type, asset_id, provider, provider_key, raw, created_at)
         VALUES ('asset', ?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![asset, f.provider, f.item_key, f.raw, now])?;
    link_ids(conn, asset, f, &now)?;
    match &f.markers {
        Some(m) => replace_markers(
            conn,
            asset,
            f.provider,
            m,
            duration.or(f.duration_ms),
            changeset,
        ),
        None => Ok(Vec::new()),
    }
}

/// The ids go to the titles and episodes the scan (not a person) linked the asset to, unless
/// a person locked them.
fn link_ids(conn: &Connection, asset: i64, f: &ServerFacts, now: &str) -> Result<()> {
    let titles: Vec<i64> = conn
        .prepare_cached(
            "SELECT ta.title_id FROM title_assets ta JOIN titles t ON t.id = ta.title_id
             WHERE ta.asset_id = ?1 AND ta.source = 'scan' AND t.locked = 0",
        )?
        .query_map([asset], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for t in titles {
        merge_ids(conn, "title", t, &f.ids, now)?;
    }
    let episodes: Vec<Linked> = conn
        .prepare_cached(
            "SELECT e.id, e.title_id, t.locked, s.number, e.number, e.name
             FROM episode_assets ea JOIN episodes e ON e.id = ea.episode_id
             JOIN titles t ON t.id = e.title_id LEFT JOIN seasons s ON s.id = e.season_id
             WHERE ea.asset_id = ?1 AND ea.source = 'scan' AND e.locked = 0",
        )?
        .query_map([asset], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let only = (f.episodes.len() == 1).then(|| &f.episodes[0]);
    for (e, t, title_locked, season, number, name) in episodes {
        let facts = f
            .episodes
            .iter()
            .find(|x| x.number.is_some() && x.season == season && x.number == number)
            .or(only);
        if let Some(x) = facts {
            merge_ids(conn, "episode", e, &x.ids, now)?;
            if x.name.is_some() && x.name != name {
                conn.prepare_cached(
                    "UPDATE episodes SET name = ?2, updated_at = ?3 WHERE id = ?1",
                )?
                .execute(params![e, x.name, now])?;
            }
        }
        if !title_locked {
            merge_ids(conn, "title", t, &f.show_ids, now)?;
        }
    }
    Ok(())
}

/// An episode the scan linked a file to: its id, its title's id, whether that title is
/// locked, its season and number, its name.
type Linked = (i64, i64, bool, Option<u32>, Option<u32>, Option<String>);

/// Adds ids to a title's or episode's `external_ids` (an id of the same provider is
/// replaced) and as provider refs.
fn merge_ids(
    conn: &Connection,
    entity: &str,
    id: i64,
    ids: &[(&'static str, String)],
    now: &str,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let table = if entity == "title" {
        "titles"
    } else {
        "episodes"
    };
    let old: Option<String> = conn
        .prepare_cached(&format!("SELECT external_ids FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))?;
    let mut map: Map<String, Value> = old
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let before = map.clone();
    for (p, k) in ids {
        map.insert((*p).to_owned(), Value::String(k.clone()));
    }
    if map != before {
        conn.prepare_cached(&format!(
            "UPDATE {table} SET external_ids = ?2, updated_at = ?3 WHERE id = ?1"
        ))?
        .execute(params![id, Value::Object(map).to_string(), now])?;
    }
    let column = if entity == "title" {
        "title_id"
    } else {
        "episode_id"
    };
    let mut ins = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO provider_refs (entity_type, {column}, provider, provider_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?;
    for (p, k) in ids {
        ins.execute(params![entity, id, p, k, now])?;
    }
    Ok(())
}

/// The server's markers on an asset replace the ones it gave before; a marker outside the
/// file, or with its end before its start, is skipped with a warning.
fn replace_markers(
    conn: &Connection,
    asset: i64,
    source: &str,
    markers: &[ServerMarker],
    duration: Option<i64>,
    changeset: i64,
) -> Result<Vec<String>> {
    conn.prepare_cached("DELETE FROM markers WHERE asset_id = ?1 AND source = ?2")?
        .execute(params![asset, source])?;
    let now = time::now();
    let mut ins = conn.prepare_cached(
        "INSERT INTO markers (asset_id, kind, start_ms, end_ms, label, source, confidence, changeset_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1.0, ?7, ?8, ?8)",
    )?;
    let mut warnings = Vec::new();
    let limit = duration.map(|d| d + 500);
    for m in markers {
        let bad = m.start_ms < 0
            || m.end_ms < m.start_ms
            || limit.is_some_and(|l| m.start_ms > l || m.end_ms > l);
        if bad {
            warnings.push(format!(
                "{source} {} marker {} ms to {} ms is outside the file ({} ms): skipped",
                m.kind,
                m.start_ms,
                m.end_ms,
                duration.map_or("unknown".into(), |d| d.to_string())
            ));
            continue;
        }
        let end = duration.map_or(m.end_ms, |d| m.end_ms.min(d.max(m.start_ms)));
        ins.execute(params![
            asset,
            m.kind.as_str(),
            m.start_ms,
            end,
            m.label,
            source,
            changeset,
            now
        ])?;
    }
    Ok(warnings)
}
