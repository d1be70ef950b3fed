//! Undo: a manual changeset's recorded changes reversed, newest first, as a changeset of
//! its own. A use-case across the catalog: it puts back links, review decisions, titles
//! and markers, reading the journal that `history` keeps.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::history::{Change, Entity, Op, changes, last_undoable};
use super::{CatalogError, Result};

/// Undoes a changeset's recorded changes, newest first, inside the caller's transaction.
/// Rows a decision created are removed only when nothing else uses them now.
pub fn undo(conn: &Connection, changeset: i64, undo_changeset: i64) -> Result<usize> {
    let changes = changes(conn, changeset)?;
    let n = changes.len();
    for c in changes {
        let (entity, op) = (c.entity, c.op);
        if !reverse_link(conn, &c)? && !reverse_row(conn, c)? {
            return Err(CatalogError::Corrupt(format!(
                "cannot undo a {op:?} of {} (changeset #{changeset})",
                entity.as_str()
            )));
        }
    }
    conn.execute(
        "UPDATE changesets SET undone_by = ?2 WHERE id = ?1",
        params![changeset, undo_changeset],
    )?;
    Ok(n)
}

/// Reverses a change to a link between a file and an episode or a title; false when the
/// change is not one.
fn reverse_link(conn: &Connection, c: &Change) -> Result<bool> {
    match (c.entity, c.op) {
        (Entity::EpisodeAsset, Op::Insert) => {
            let (e, a) = link_ids(&c.after, "episode_id")?;
            conn.execute(
                "DELETE FROM episode_assets WHERE episode_id = ?1 AND asset_id = ?2",
                params![e, a],
            )?;
        }
        (Entity::TitleAsset, Op::Insert) => {
            let (t, a) = link_ids(&c.after, "title_id")?;
            conn.execute(
                "DELETE FROM title_assets WHERE title_id = ?1 AND asset_id = ?2",
                params![t, a],
            )?;
        }
        (Entity::EpisodeAsset, Op::Delete) => {
            let v = c.before.clone().unwrap_or_default();
            conn.execute(
                "INSERT OR IGNORE INTO episode_assets (episode_id, asset_id, canonical, source, confidence, changeset_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![v["episode_id"].as_i64(), v["asset_id"].as_i64(), v["canonical"].as_bool().unwrap_or(false),
                        v["source"].as_str().unwrap_or("scan"), v["confidence"].as_f64().unwrap_or(1.0), v["changeset_id"].as_i64()],
            )?;
        }
        (Entity::TitleAsset, Op::Delete) => {
            let v = c.before.clone().unwrap_or_default();
            conn.execute(
                "INSERT OR IGNORE INTO title_assets (title_id, asset_id, canonical, part, edition, source, confidence, changeset_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![v["title_id"].as_i64(), v["asset_id"].as_i64(), v["canonical"].as_bool().unwrap_or(false),
                        v["part"].as_i64(), v["edition"].as_str(), v["source"].as_str().unwrap_or("scan"),
                        v["confidence"].as_f64().unwrap_or(1.0), v["changeset_id"].as_i64()],
            )?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Reverses a change to a row: one a decision created (removed when nothing uses it now),
/// a review item's decision, a marker, a canonical copy, a title's year. False when the
/// change is none of these.
fn reverse_row(conn: &Connection, c: Change) -> Result<bool> {
    match (c.entity, c.op) {
        (Entity::Episode, Op::Insert) => {
            conn.execute(
                "DELETE FROM episodes WHERE id = ?1
                   AND NOT EXISTS (SELECT 1 FROM episode_assets WHERE episode_id = ?1)",
                [c.entity_id],
            )?;
        }
        (Entity::Season, Op::Insert) => {
            conn.execute(
                "DELETE FROM seasons WHERE id = ?1
                   AND NOT EXISTS (SELECT 1 FROM episodes WHERE season_id = ?1)",
                [c.entity_id],
            )?;
        }
        (Entity::Title, Op::Insert) => {
            conn.execute(
                "DELETE FROM titles WHERE id = ?1
                   AND NOT EXISTS (SELECT 1 FROM episodes WHERE title_id = ?1)
                   AND NOT EXISTS (SELECT 1 FROM seasons WHERE title_id = ?1)
                   AND NOT EXISTS (SELECT 1 FROM title_assets WHERE title_id = ?1)",
                [c.entity_id],
            )?;
        }
        (Entity::ReviewItem, Op::Update) => {
            let v = c.before.unwrap_or_default();
            conn.execute(
                "UPDATE review_items SET status = ?2, resolution = ?3, note = ?4, resolved_at = ?5,
                        resolved_changeset_id = ?6
                 WHERE id = ?1",
                params![
                    c.entity_id,
                    v["status"].as_str().unwrap_or("pending"),
                    v["resolution"].as_str(),
                    v["note"].as_str(),
                    v["resolved_at"].as_str(),
                    v["resolved_changeset_id"].as_i64()
                ],
            )?;
        }
        (Entity::Marker, Op::Insert) => {
            conn.execute("DELETE FROM markers WHERE id = ?1", [c.entity_id])?;
        }
        (Entity::Marker, Op::Update | Op::Delete) => {
            let v = c.before.unwrap_or_default();
            super::markers::restore(conn, &v)?;
        }
        (Entity::Asset, Op::Update) if c.field.as_deref() == Some("canonical") => {
            let v = c.before.unwrap_or_default();
            conn.execute(
                "UPDATE assets SET canonical = ?2, canonical_locked = ?3 WHERE id = ?1",
                params![
                    c.entity_id,
                    v["canonical"].as_bool().unwrap_or(true),
                    v["canonical_locked"].as_bool().unwrap_or(false)
                ],
            )?;
        }
        (Entity::Title, Op::Update) if c.field.as_deref() == Some("year") => {
            conn.execute(
                "UPDATE titles SET year = ?2 WHERE id = ?1",
                params![c.entity_id, c.before.as_ref().and_then(Value::as_i64)],
            )?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn link_ids(v: &Option<Value>, owner: &str) -> Result<(i64, i64)> {
    let v = v
        .as_ref()
        .ok_or_else(|| CatalogError::Corrupt("a link change without its row".into()))?;
    match (v[owner].as_i64(), v["asset_id"].as_i64()) {
        (Some(o), Some(a)) => Ok((o, a)),
        _ => Err(CatalogError::Corrupt(
            "a link change without its ids".into(),
        )),
    }
}

/// What `undo_last` reverted.
#[derive(Debug, Clone)]
pub(crate) struct Undone {
    pub changeset: i64,
    pub kind: String,
    pub message: Option<String>,
    pub changes: usize,
}

/// Reverts the newest manual changeset in one transaction, recorded as an `undo`
/// changeset. `None` when there is nothing to undo. With `dry_run` it rolls back.
pub(crate) fn undo_last(conn: &Connection, dry_run: bool) -> Result<Option<Undone>> {
    let Some((cs, kind, message)) = last_undoable(conn)? else {
        return Ok(None);
    };
    let changes = super::changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Undo,
        &format!("undo #{cs}"),
        dry_run,
        |c, undo_cs| undo(c, cs, undo_cs),
    )?;
    Ok(Some(Undone {
        changeset: cs,
        kind,
        message,
        changes,
    }))
}
