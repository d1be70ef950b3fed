//! Duplicates: assets with identical content (same SHA-256, non-empty). One copy of each group
//! is canonical, by this rule, in order:
//!
//! 1. the copy a person chose (`shelf dupes canonical ASSET`), while it is present;
//! 2. else the copy seen first (oldest `first_seen`): the one that was there before;
//! 3. else the shorter path (fewer folders, a plainer name);
//! 4. else the lower asset id.
//!
//! Missing copies are never canonical while a present copy exists. A new non-canonical copy
//! queues a `duplicate_content` review item proposing the canonical one.

use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::json;

use super::history::{self, Entity, Entry};
use super::{CatalogError, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    #[serde(skip)]
    pub path: Vec<u8>,
    pub canonical: bool,
    pub chosen: bool,
    pub missing: bool,
    pub first_seen: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub sha256: String,
    pub size: i64,
    pub(crate) members: Vec<Member>,
}

/// A member's columns, read by `member`.
macro_rules! member_cols {
    () => {
        concat!(
            "a.id, ",
            full_path_sql!(),
            ", a.canonical, a.canonical_locked, a.missing_since IS NOT NULL, a.first_seen"
        )
    };
}

fn member(r: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        path: r.get(1)?,
        canonical: r.get(2)?,
        chosen: r.get(3)?,
        missing: r.get(4)?,
        first_seen: r.get(5)?,
    })
}

pub(crate) fn members(conn: &Connection, sha: &str) -> Result<Vec<Member>> {
    let mut st = conn.prepare_cached(concat!(
        "SELECT ",
        member_cols!(),
        " FROM assets a JOIN collections c ON c.id = a.collection_id
         WHERE a.content_key = ?2 AND a.sha256 = ?1 AND a.size > 0
         ORDER BY a.id"
    ))?;
    let rows = st.query_map(params![sha, super::content::key(Some(sha))], member)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The canonical member by the rule above.
pub(crate) fn pick(ms: &[Member]) -> Option<&Member> {
    let present: Vec<&Member> = ms.iter().filter(|m| !m.missing).collect();
    let pool = if present.is_empty() {
        ms.iter().collect()
    } else {
        present
    };
    if let Some(m) = pool.iter().find(|m| m.chosen) {
        return Some(m);
    }
    pool.into_iter().min_by(|a, b| {
        a.first_seen
            .cmp(&b.first_seen)
            .then(a.path.len().cmp(&b.path.len()))
            .then(a.id.cmp(&b.id))
    })
}

/// Names of one file (hard links, as a download client or `jdupes -L` makes them): for each
/// member, the member whose file it is another name of. Looked at in this order: the
/// canonical copy, then the others; each file's first name gets `None`, as do missing
/// members. This stats the members' paths (the group's paths are known only here), and is
/// asked only of groups of two or more.
pub(crate) fn hard_links(ms: &[Member], canonical: Option<i64>) -> Vec<Option<i64>> {
    let is_canonical = |i: &usize| Some(ms[*i].id) == canonical;
    let order = (0..ms.len())
        .filter(is_canonical)
        .chain((0..ms.len()).filter(|i| !is_canonical(i)));
    let mut files: Vec<usize> = Vec::new();
    let mut out = vec![None; ms.len()];
    for i in order.filter(|&i| !ms[i].missing) {
        match files
            .iter()
            .find(|&&f| crate::paths::same_file(&ms[f].path, &ms[i].path))
        {
            Some(&f) => out[i] = Some(ms[f].id),
            None => files.push(i),
        }
    }
    out
}

/// A person makes `asset` its group's canonical copy (history kept, so it can be undone).
pub(crate) fn set_canonical(conn: &Connection, changeset: i64, asset: i64) -> Result<usize> {
    let sha: Option<String> = conn
        .query_row("SELECT sha256 FROM assets WHERE id = ?1", [asset], |r| {
            r.get(0)
        })
        .map_err(|_| CatalogError::NotFound {
            what: "asset",
            id: asset,
        })?;
    let sha = sha
        .ok_or_else(|| CatalogError::Refused(format!("asset #{asset} has no content hash yet")))?;
    let ms = members(conn, &sha)?;
    for m in &ms {
        let (canonical, chosen) = (m.id == asset, m.id == asset);
        if m.canonical != canonical || m.chosen != chosen {
            history::record(
                conn,
                changeset,
                Entry::update(
                    Entity::Asset,
                    m.id,
                    "canonical",
                    &json!({"canonical": m.canonical, "canonical_locked": m.chosen}),
                    &json!({"canonical": canonical, "canonical_locked": chosen}),
                ),
            )?;
            conn.execute(
                "UPDATE assets SET canonical = ?2, canonical_locked = ?3 WHERE id = ?1",
                params![m.id, canonical, chosen],
            )?;
        }
    }
    Ok(ms.len())
}

/// Every group of two or more copies, largest files first.
pub fn groups(conn: &Connection) -> Result<Vec<Group>> {
    // The keys shared by two or more rows come from the key index alone; only their rows
    // are read, in one statement (without the index, while a first scan writes, that is
    // one read of the table, not one per group), and grouped by the whole hash.
    let mut st = conn.prepare(concat!(
        "SELECT ",
        member_cols!(),
        ", a.sha256, a.size FROM assets a JOIN collections c ON c.id = a.collection_id
         WHERE a.content_key IN (SELECT content_key FROM assets WHERE content_key IS NOT NULL
                                 GROUP BY content_key HAVING count(*) > 1)
           AND a.size > 0
         ORDER BY a.sha256, a.id"
    ))?;
    let mut rows = st.query([])?;
    let mut out: Vec<Group> = Vec::new();
    while let Some(r) = rows.next()? {
        let (sha, size): (String, i64) = (r.get(6)?, r.get(7)?);
        let m = member(r)?;
        match out.last_mut().filter(|g| g.sha256 == sha) {
            Some(g) => {
                g.size = g.size.max(size);
                g.members.push(m);
            }
            None => out.push(Group {
                sha256: sha,
                size,
                members: vec![m],
            }),
        }
    }
    // Keys are a hash's first 60 bits: copies share the whole hash, not just the key.
    out.retain(|g| g.members.len() > 1);
    out.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.sha256.cmp(&b.sha256)));
    Ok(out)
}

/// The content hash of an asset, if it has one.
pub(crate) fn sha_of(conn: &Connection, asset: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT sha256 FROM assets WHERE id = ?1 AND size > 0")?
        .query_row([asset], |r| r.get(0))
        .unwrap_or(None))
}
