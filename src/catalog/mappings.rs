//! Path mappings as stored: rows of (collection, remote prefix, local prefix).

use rusqlite::{Connection, params};

use super::{CatalogError, Result};
use crate::mapping::{Rule, normalise};
use crate::time;

/// Every mapping, by collection then prefix.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Rule>> {
    let mut st = conn.prepare(
        "SELECT m.id, c.name, m.remote_prefix, m.local_prefix
         FROM path_mappings m JOIN collections c ON c.id = m.collection_id
         ORDER BY c.name, m.remote_prefix",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok(Rule {
                id: r.get(0)?,
                collection: r.get(1)?,
                remote_prefix: r.get(2)?,
                local_prefix: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Adds a mapping; the remote prefix is stored normalised. Refuses a duplicate.
pub(crate) fn add(conn: &Connection, collection: &str, remote: &str, local: &[u8]) -> Result<Rule> {
    let remote = normalise(remote);
    if remote.is_empty() {
        return Err(CatalogError::InvalidInput {
            field: "remote prefix",
            why: "it is empty".into(),
        });
    }
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM collections WHERE name = ?1",
            [collection],
            |r| r.get(0),
        )
        .ok();
    let Some(collection_id) = id else {
        return Err(CatalogError::NoSuchName {
            what: "collection",
            name: collection.to_owned(),
        });
    };
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM path_mappings WHERE collection_id = ?1 AND remote_prefix = ?2)",
        params![collection_id, remote],
        |r| r.get(0),
    )?;
    if exists {
        return Err(CatalogError::Conflict(format!(
            "{collection:?} already maps {remote:?}; remove it first to change it"
        )));
    }
    conn.execute(
        "INSERT INTO path_mappings (collection_id, remote_prefix, local_prefix, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![collection_id, remote, local, time::now()],
    )?;
    Ok(Rule {
        id: conn.last_insert_rowid(),
        collection: collection.to_owned(),
        remote_prefix: remote,
        local_prefix: local.to_vec(),
    })
}

/// Removes the mapping with this id; whether one was there.
pub(crate) fn remove_by_id(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM path_mappings WHERE id = ?1", [id])? > 0)
}

/// Removes the mapping of `collection` for `remote`; whether one was there.
pub fn remove(conn: &Connection, collection: &str, remote: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM path_mappings WHERE remote_prefix = ?2
             AND collection_id = (SELECT id FROM collections WHERE name = ?1)",
        params![collection, normalise(remote)],
    )? > 0)
}
