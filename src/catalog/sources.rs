//! Sources and their collections. A filesystem source has one collection per root folder,
//! named like the source; a root added by hand is enabled at once.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::{CatalogError, Result, with_tx};
use crate::model::{CollectionId, CollectionKind};
use crate::paths::within;
use crate::time;

/// One collection with its source, as lists and scans need it.
#[derive(Debug, Clone, Serialize)]
pub struct CollectionRow {
    pub id: CollectionId,
    pub name: String,
    pub source: String,
    pub source_kind: String,
    #[serde(skip)]
    pub root: Option<Vec<u8>>,
    pub kind: CollectionKind,
    pub enabled: bool,
    pub ingestible: bool,
    pub offline_reason: Option<String>,
    pub last_scan_at: Option<String>,
    pub last_scan_changeset: Option<i64>,
    /// Files and missing files, from `list` and `by_source_or_name`; 0 from the lookups that
    /// do not count them (`list_to_scan`, `by_root`, `by_name`).
    pub assets: i64,
    pub missing: i64,
    /// A server collection: the section's key on its server.
    pub external_id: String,
    /// A server collection: the folders the server reads the section from.
    pub remote_roots: Vec<String>,
    /// A server collection the last refresh did not find (kept, not scanned).
    pub gone_at: Option<String>,
}

impl CollectionRow {
    /// Whether a media server is this collection's source.
    pub fn is_server(&self) -> bool {
        self.source_kind != "filesystem"
    }

    /// A server collection's state as of now: gone; not ingestible while a folder of its has
    /// no mapping to a readable folder here (looked at on disk); ingestible once mapped, until
    /// a scan finds it offline. Other collections are left as the last scan found them.
    pub fn with_mapped_state(&mut self, rules: &[crate::mapping::Rule]) {
        if !self.is_server() {
            return;
        }
        if self.gone_at.is_some() {
            self.ingestible = false;
            self.offline_reason = Some("gone from the server".into());
        } else if let Some(why) = crate::mapping::unmapped(&self.name, &self.remote_roots, rules)
            .into_iter()
            .next()
        {
            self.ingestible = false;
            self.offline_reason = Some(why);
        } else if self.last_scan_at.is_none() {
            self.ingestible = true;
            self.offline_reason = None;
        }
    }
}

macro_rules! select_collections {
    ($counts:literal) => {
        concat!(
            "SELECT c.id, c.name, s.name, s.kind, c.root, c.kind, c.enabled, c.ingestible,
                    c.offline_reason, c.last_scan_at, c.last_scan_changeset_id,
                    c.external_id, c.remote_roots, c.gone_at, ",
            $counts,
            " FROM collections c JOIN sources s ON s.id = c.source_id"
        )
    };
}

/// A collection with its file counts (present and missing).
const SELECT: &str = select_collections!(
    "(SELECT count(*) FROM assets a WHERE a.collection_id = c.id),
     (SELECT count(*) FROM assets a WHERE a.collection_id = c.id AND a.missing_since IS NOT NULL)"
);

/// A collection with its file counts left at 0, for lookups that do not show them: counting
/// reads every asset row of the collection (0.4 s at a million files, which `shelf --scan
/// PATH` paid before it started).
const SELECT_UNCOUNTED: &str = select_collections!("0, 0");

fn row(r: &Row<'_>) -> rusqlite::Result<CollectionRow> {
    let kind: String = r.get(5)?;
    Ok(CollectionRow {
        id: CollectionId(r.get(0)?),
        name: r.get(1)?,
        source: r.get(2)?,
        source_kind: r.get(3)?,
        root: r.get(4)?,
        kind: kind.parse().unwrap_or(CollectionKind::Mixed),
        enabled: r.get(6)?,
        ingestible: r.get(7)?,
        offline_reason: r.get(8)?,
        last_scan_at: r.get(9)?,
        last_scan_changeset: r.get(10)?,
        external_id: r.get(11)?,
        remote_roots: r
            .get::<_, Option<String>>(12)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        gone_at: r.get(13)?,
        assets: r.get(14)?,
        missing: r.get(15)?,
    })
}

/// Every collection, by name, for a scan to walk: the same rows as `list` but with the
/// file counts left at 0 (counting a million rows is most of a no-change rescan's start).
pub fn list_to_scan(conn: &Connection) -> Result<Vec<CollectionRow>> {
    let mut st = conn.prepare(&format!(
        "{SELECT_UNCOUNTED} WHERE c.gone_at IS NULL ORDER BY c.name"
    ))?;
    let rows = st.query_map([], row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Every collection, by name.
pub fn list(conn: &Connection) -> Result<Vec<CollectionRow>> {
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY c.name"))?;
    let rows = st.query_map([], row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The collection whose root is exactly `root` (its file counts left at 0).
pub fn by_root(conn: &Connection, root: &[u8]) -> Result<Option<CollectionRow>> {
    Ok(conn
        .query_row(
            &format!("{SELECT_UNCOUNTED} WHERE c.root = ?1"),
            [root],
            row,
        )
        .optional()?)
}

/// The folder sources whose roots overlap `root`: the one it is inside of, and the ones
/// inside it (their files would be cataloged twice, once by each). Media servers'
/// sections are not folder sources and do not count.
pub(crate) fn overlapping(conn: &Connection, root: &[u8]) -> Result<Vec<CollectionRow>> {
    let mut st = conn.prepare(&format!(
        "{SELECT_UNCOUNTED} WHERE s.kind = 'filesystem' AND c.root IS NOT NULL ORDER BY c.name"
    ))?;
    let all = st
        .query_map([], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all
        .into_iter()
        .filter(|c| {
            c.root
                .as_deref()
                .is_some_and(|r| within(root, r) || within(r, root))
        })
        .collect())
}

/// The folder source `path` is in (its root, or a folder below it), if any.
pub(crate) fn holding(conn: &Connection, path: &[u8]) -> Result<Option<CollectionRow>> {
    Ok(overlapping(conn, path)?
        .into_iter()
        .find(|c| c.root.as_deref().is_some_and(|r| within(path, r))))
}

/// The collection named `name` (its file counts left at 0).
pub(crate) fn by_name(conn: &Connection, name: &str) -> Result<Option<CollectionRow>> {
    Ok(conn
        .query_row(
            &format!("{SELECT_UNCOUNTED} WHERE c.name = ?1"),
            [name],
            row,
        )
        .optional()?)
}

/// Collections of the source named `name`, or the one collection named `name`.
pub(crate) fn by_source_or_name(conn: &Connection, name: &str) -> Result<Vec<CollectionRow>> {
    let mut st = conn.prepare(&format!(
        "{SELECT} WHERE s.name = ?1 OR c.name = ?1 ORDER BY c.name"
    ))?;
    let rows = st
        .query_map([name], row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A name no source or collection has yet: `base`, else `base-2`, `base-3`, ...
pub(crate) fn free_name(conn: &Connection, base: &str) -> Result<String> {
    let base = if base.is_empty() { "library" } else { base };
    let taken = |n: &str| -> Result<bool> {
        Ok(conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM sources WHERE name = ?1)
                 OR EXISTS(SELECT 1 FROM collections WHERE name = ?1)",
            [n],
            |r| r.get(0),
        )?)
    };
    if !taken(base)? {
        return Ok(base.to_owned());
    }
    for i in 2.. {
        let n = format!("{base}-{i}");
        if !taken(&n)? {
            return Ok(n);
        }
    }
    unreachable!("an unbounded range always yields a free name")
}

/// Adds a filesystem source named `name` with one enabled collection at `root`.
pub fn add_filesystem(
    conn: &Connection,
    name: &str,
    root: &[u8],
    kind: CollectionKind,
) -> Result<CollectionRow> {
    if let Some(existing) = by_root(conn, root)? {
        return Err(CatalogError::Conflict(format!(
            "{} is already the source {:?}",
            crate::paths::display(root),
            existing.source
        )));
    }
    if let Some(outer) = holding(conn, root)? {
        return Err(CatalogError::Conflict(format!(
            "{} is inside the source {:?} ({}), which catalogs it already: `shelf scan {}` scans \
             that folder alone",
            crate::paths::display(root),
            outer.source,
            crate::paths::display(outer.root.as_deref().unwrap_or_default()),
            crate::paths::display(root)
        )));
    }
    let over = overlapping(conn, root)?;
    if !over.is_empty() {
        let held: Vec<String> = over
            .iter()
            .map(|c| {
                format!(
                    "{:?} ({})",
                    c.source,
                    crate::paths::display(c.root.as_deref().unwrap_or_default())
                )
            })
            .collect();
        return Err(CatalogError::Conflict(format!(
            "{} holds the source(s) {}: their files would be cataloged twice. Scan them by \
             name, or remove them first (`shelf source remove NAME` forgets a source; its files \
             on disk are never touched)",
            crate::paths::display(root),
            held.join(", ")
        )));
    }
    if by_name(conn, name)?.is_some()
        || conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM sources WHERE name = ?1)",
            [name],
            |r| r.get::<_, bool>(0),
        )?
    {
        return Err(CatalogError::Conflict(format!(
            "a source named {name:?} exists already; choose another with --name"
        )));
    }
    let now = time::now();
    let id = with_tx(conn, |c| {
        c.execute(
            "INSERT INTO sources (name, kind, created_at, updated_at) VALUES (?1, 'filesystem', ?2, ?2)",
            params![name, now],
        )?;
        let source_id = c.last_insert_rowid();
        c.execute(
            "INSERT INTO collections (source_id, external_id, name, root, kind, enabled, ingestible,
                                      created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, 1, ?6, ?6)",
            params![
                source_id,
                crate::paths::hex(root),
                name,
                root,
                kind.as_str(),
                now
            ],
        )?;
        Ok(c.last_insert_rowid())
    })?;
    by_name(conn, name)?
        .filter(|c| c.id.0 == id)
        .ok_or_else(|| CatalogError::Corrupt("the new collection vanished".into()))
}

/// Enables or disables the collections of a source (or one collection); how many changed.
pub(crate) fn set_enabled(conn: &Connection, name: &str, enabled: bool) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE collections SET enabled = ?2, updated_at = ?3
         WHERE (name = ?1 OR source_id IN (SELECT id FROM sources WHERE name = ?1))",
        params![name, enabled, time::now()],
    )?)
}

/// Removes a source with its collections and their catalog rows (never any file).
/// Returns how many assets were forgotten, or `None` when no source has that name.
pub(crate) fn remove_source(conn: &Connection, name: &str) -> Result<Option<i64>> {
    with_tx(conn, |c| {
        let Some(id) = c
            .query_row("SELECT id FROM sources WHERE name = ?1", [name], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
        else {
            return Ok(None);
        };
        let assets: i64 = c.query_row(
            "SELECT count(*) FROM assets WHERE collection_id IN
                 (SELECT id FROM collections WHERE source_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        c.execute("DELETE FROM sources WHERE id = ?1", [id])?;
        Ok(Some(assets))
    })
}

/// Records whether a collection's root was reachable in this scan.
pub(crate) fn set_reachability(
    conn: &Connection,
    id: CollectionId,
    ingestible: bool,
    reason: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE collections SET ingestible = ?2, offline_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![id.0, ingestible, reason, time::now()],
    )?;
    Ok(())
}

/// Records that a scan walked the whole collection: everything not missing was seen `at`.
pub(crate) fn mark_scanned(
    conn: &Connection,
    id: CollectionId,
    at: &str,
    changeset: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE collections SET last_scan_at = ?2, last_scan_changeset_id = ?3, updated_at = ?2
         WHERE id = ?1",
        params![id.0, at, changeset],
    )?;
    Ok(())
}

/// A media server source as a scan or a refresh needs it. The token never leaves here but
/// to the server.
#[derive(Clone)]
pub struct ServerSource {
    pub id: i64,
    pub name: String,
    pub kind: crate::server::ServerKind,
    pub url: String,
    pub token: Option<String>,
    /// PEM certificates to trust for this server (its own, self-signed), from `--ca-file`.
    pub ca: Option<String>,
}

impl std::fmt::Debug for ServerSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSource")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "(set)"))
            .finish()
    }
}

/// The server source named `name` (a source's name, or one of its collections').
pub fn server_source(conn: &Connection, name: &str) -> Result<Option<ServerSource>> {
    let found = conn
        .query_row(
            "SELECT s.id, s.name, s.kind, json_extract(s.config, '$.url'), s.token,
                    json_extract(s.config, '$.ca') FROM sources s
             WHERE s.name = ?1 OR s.id IN (SELECT source_id FROM collections WHERE name = ?1)",
            [name],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            },
        )
        .optional()?;
    Ok(found.and_then(|(id, name, kind, url, token, ca)| {
        Some(ServerSource {
            id,
            name,
            kind: crate::server::ServerKind::parse(&kind)?,
            url: url?,
            token,
            ca,
        })
    }))
}

/// Whether any source keeps a token (the catalog then holds a secret).
pub fn holds_token(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sources WHERE token IS NOT NULL)",
        [],
        |r| r.get(0),
    )?)
}

/// What a server said of itself when it was added.
pub struct NewServer<'a> {
    pub kind: crate::server::ServerKind,
    pub name: &'a str,
    pub url: &'a str,
    pub token: Option<&'a str>,
    pub ca: Option<&'a str>,
    pub identity: &'a crate::server::Identity,
}

/// Adds a server source and one disabled collection per scannable section.
pub fn add_server(
    conn: &Connection,
    new: &NewServer<'_>,
    sections: &[crate::server::Section],
) -> Result<Vec<CollectionRow>> {
    let taken: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sources WHERE name = ?1)
             OR EXISTS(SELECT 1 FROM collections WHERE name = ?1)",
        [new.name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CatalogError::Conflict(format!(
            "a source named {:?} exists already; choose another with --name",
            new.name
        )));
    }
    let config = serde_json::json!({
        "url": new.url, "ca": new.ca, "server_id": new.identity.id,
        "server_name": new.identity.name, "version": new.identity.version,
    });
    let now = time::now();
    with_tx(conn, |c| {
        c.execute(
            "INSERT INTO sources (name, kind, config, token, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![
                new.name,
                new.kind.as_str(),
                config.to_string(),
                new.token,
                now
            ],
        )?;
        let source = c.last_insert_rowid();
        for s in sections {
            insert_section(c, source, new.name, s, &now)?;
        }
        Ok(())
    })?;
    server_collections(conn, new.name)
}

/// A section as a new, disabled collection named `SOURCE/SECTION`.
fn insert_section(
    c: &Connection,
    source: i64,
    source_name: &str,
    s: &crate::server::Section,
    now: &str,
) -> Result<()> {
    let Some(kind) = s.kind.collection_kind() else {
        return Ok(());
    };
    let name = free_name(c, &format!("{source_name}/{}", s.title))?;
    let roots = serde_json::to_string(&s.locations).unwrap_or_else(|_| "[]".into());
    c.execute(
        "INSERT INTO collections (source_id, external_id, name, root, kind, enabled, ingestible,
                                  offline_reason, remote_roots, created_at, updated_at)
         VALUES (?1, ?2, ?3, NULL, ?4, 0, 0, 'no path mapping yet', ?5, ?6, ?6)",
        params![source, s.key, name, kind.as_str(), roots, now],
    )?;
    Ok(())
}

/// The collections of a server source, by name.
pub fn server_collections(conn: &Connection, source: &str) -> Result<Vec<CollectionRow>> {
    let mut st = conn.prepare(&format!("{SELECT} WHERE s.name = ?1 ORDER BY c.name"))?;
    let rows = st
        .query_map([source], row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What a refresh changed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Refreshed {
    pub added: Vec<String>,
    pub gone: Vec<String>,
    pub back: Vec<String>,
}

/// Rediscovers a server's sections: new ones arrive disabled, existing ones keep their
/// settings (their folders are updated), vanished ones are marked gone, never deleted.
pub fn refresh_server(
    conn: &Connection,
    source: &ServerSource,
    sections: &[crate::server::Section],
) -> Result<Refreshed> {
    let now = time::now();
    let before = server_collections(conn, &source.name)?;
    with_tx(conn, |c| {
        let mut out = Refreshed::default();
        for s in sections {
            let Some(kind) = s.kind.collection_kind() else {
                continue;
            };
            let roots = serde_json::to_string(&s.locations).unwrap_or_else(|_| "[]".into());
            match before.iter().find(|b| b.external_id == s.key) {
                Some(b) => {
                    c.execute(
                        "UPDATE collections SET remote_roots = ?2, gone_at = NULL, updated_at = ?3
                         WHERE id = ?1",
                        params![b.id.0, roots, now],
                    )?;
                    if b.gone_at.is_some() {
                        out.back.push(b.name.clone());
                    }
                }
                None => {
                    insert_section(c, source.id, &source.name, s, &now)?;
                    out.added
                        .push(format!("{}/{} ({})", source.name, s.title, kind));
                }
            }
        }
        for b in &before {
            let listed = sections
                .iter()
                .any(|s| s.key == b.external_id && s.kind.collection_kind().is_some());
            if !listed && b.gone_at.is_none() {
                c.execute(
                    "UPDATE collections SET gone_at = ?2, updated_at = ?2 WHERE id = ?1",
                    params![b.id.0, now],
                )?;
                out.gone.push(b.name.clone());
            }
        }
        Ok(out)
    })
}

/// Replaces a server source's token.
pub fn set_token(conn: &Connection, source: i64, token: &str) -> Result<()> {
    conn.execute(
        "UPDATE sources SET token = ?2, updated_at = ?3 WHERE id = ?1",
        params![source, token, time::now()],
    )?;
    Ok(())
}
