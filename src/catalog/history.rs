//! Change history: every manual edit, row by row, so that its changeset can be undone.
//! Inserts remember the new row, deletes the old row, updates the field before and after.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::Result;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Self::Insert => "insert",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

crate::model::text_kind! {
    /// What kind of row a change is to. The text is what the journal stores.
    Entity, "journal entity" {
        Asset => "asset",
        Title => "title",
        Season => "season",
        Episode => "episode",
        EpisodeAsset => "episode_asset",
        TitleAsset => "title_asset",
        ReviewItem => "review_item",
        Marker => "marker",
    }
}

/// One change to record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub entity: Entity,
    pub id: i64,
    pub op: Op,
    pub field: Option<&'a str>,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

impl<'a> Entry<'a> {
    /// A row was added: what it holds.
    pub(crate) fn insert(entity: Entity, id: i64, after: &'a Value) -> Self {
        Self {
            entity,
            id,
            op: Op::Insert,
            field: None,
            before: None,
            after: Some(after),
        }
    }

    /// One field of a row changed.
    pub fn update(
        entity: Entity,
        id: i64,
        field: &'a str,
        before: &'a Value,
        after: &'a Value,
    ) -> Self {
        Self {
            entity,
            id,
            op: Op::Update,
            field: Some(field),
            before: Some(before),
            after: Some(after),
        }
    }

    /// A row was removed: what it held.
    pub fn delete(entity: Entity, id: i64, before: &'a Value) -> Self {
        Self {
            entity,
            id,
            op: Op::Delete,
            field: None,
            before: Some(before),
            after: None,
        }
    }
}

/// Records one change.
pub(crate) fn record(conn: &Connection, changeset: i64, e: Entry<'_>) -> Result<()> {
    let Entry {
        entity,
        id: entity_id,
        op,
        field,
        before,
        after,
    } = e;
    conn.prepare_cached(
        "INSERT INTO change_history (changeset_id, entity, entity_id, op, field, before, after, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        changeset,
        entity.as_str(),
        entity_id,
        op.as_str(),
        field,
        before.map(Value::to_string),
        after.map(Value::to_string),
        time::now()
    ])?;
    Ok(())
}

/// One recorded change, as undo reads it.
#[derive(Debug, Clone)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: i64,
    pub(crate) op: Op,
    pub field: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The changes of a changeset, newest first (the order to undo them in).
pub(crate) fn changes(conn: &Connection, changeset: i64) -> Result<Vec<Change>> {
    let mut st = conn.prepare(
        "SELECT entity, entity_id, op, field, before, after FROM change_history
         WHERE changeset_id = ?1 ORDER BY id DESC",
    )?;
    let rows = st.query_map([changeset], |r| {
        let op: String = r.get(2)?;
        let before: Option<String> = r.get(4)?;
        let after: Option<String> = r.get(5)?;
        Ok(Change {
            entity: super::kind_at(r, 0)?,
            entity_id: r.get(1)?,
            op: match op.as_str() {
                "insert" => Op::Insert,
                "delete" => Op::Delete,
                _ => Op::Update,
            },
            field: r.get(3)?,
            before: before.and_then(|s| serde_json::from_str(&s).ok()),
            after: after.and_then(|s| serde_json::from_str(&s).ok()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest manual changeset (review decisions, edits) not undone yet.
pub(crate) fn last_undoable(conn: &Connection) -> Result<Option<(i64, String, Option<String>)>> {
    let mut st = conn.prepare(
        "SELECT id, kind, message FROM changesets
         WHERE kind IN ('review', 'edit', 'markers') AND undone_by IS NULL AND status = 'completed'
         ORDER BY id DESC LIMIT 1",
    )?;
    let mut rows = st.query([])?;
    Ok(match rows.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
        None => None,
    })
}
