//! Assets: one row per file, identified by its path within its collection. Scans read a
//! collection's rows in bulk (`snapshot`) and compare in memory; writes are row-at-a-time
//! statements run inside the writer's batched transactions.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::model::{AssetId, CollectionId, Known, Snapshot};

/// Every asset of a collection, by its relative path: one query, no per-file lookups.
pub fn snapshot(conn: &Connection, collection: CollectionId) -> Result<Snapshot> {
    // Sized first: growing a buffer for a million paths would hold two copies at once.
    let (n, bytes): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(length(rel_path)), 0) FROM assets WHERE collection_id = ?1",
        )?
        .query_row([collection.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut snap = Snapshot::with_capacity(n.max(0) as usize, bytes.max(0) as usize);
    let mut st = conn.prepare(
        "SELECT rel_path, id, size, mtime_ns, sha256 IS NOT NULL, has_errors, missing_since IS NOT NULL,
                kind != 'video' OR ident_confidence IS NOT NULL,
                kind NOT IN ('video', 'audio', 'image') OR probed_at IS NOT NULL,
                needs_ffprobe, fingerprint IS NOT NULL
         FROM assets WHERE collection_id = ?1",
    )?;
    let mut rows = st.query(params![collection.0])?;
    while let Some(r) = rows.next()? {
        let path = match r.get_ref(0)? {
            rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => b,
            _ => continue,
        };
        snap.push(
            path,
            Known {
                id: AssetId(r.get(1)?),
                size: r.get(2)?,
                mtime_ns: r.get(3)?,
                hashed: r.get(4)?,
                has_errors: r.get(5)?,
                missing: r.get(6)?,
                identified: r.get(7)?,
                probed: r.get(8)?,
                needs_ffprobe: r.get(9)?,
                fingerprinted: r.get(10)?,
            },
        );
    }
    Ok(snap.seal())
}

/// A cataloged file that could be the origin of a move: what is known of its content (a
/// full hash, a fingerprint, or both) and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MoveCandidate {
    pub id: AssetId,
    pub collection: CollectionId,
    pub rel_path: Vec<u8>,
    pub size: i64,
    pub sha256: Option<String>,
    pub fingerprint: Option<String>,
}

/// Assets already marked missing that have a hash or a fingerprint (a new file with the
/// same content is one of them, moved).
pub(crate) fn missing_candidates(conn: &Connection) -> Result<Vec<MoveCandidate>> {
    let mut st = conn.prepare(
        "SELECT id, collection_id, rel_path, size, sha256, fingerprint FROM assets
         WHERE missing_since IS NOT NULL AND (sha256 IS NOT NULL OR fingerprint IS NOT NULL)",
    )?;
    let rows = st
        .query_map([], candidate)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The move candidates among the given asset ids (those a walk no longer found).
pub(crate) fn candidates_by_id(conn: &Connection, ids: &[AssetId]) -> Result<Vec<MoveCandidate>> {
    let mut st = conn.prepare_cached(
        "SELECT id, collection_id, rel_path, size, sha256, fingerprint FROM assets
         WHERE id = ?1 AND (sha256 IS NOT NULL OR fingerprint IS NOT NULL)",
    )?;
    let mut out = Vec::new();
    for id in ids {
        let mut rows = st.query_map([id.0], candidate)?;
        if let Some(r) = rows.next() {
            out.push(r?);
        }
    }
    Ok(out)
}

fn candidate(r: &rusqlite::Row<'_>) -> rusqlite::Result<MoveCandidate> {
    Ok(MoveCandidate {
        id: AssetId(r.get(0)?),
        collection: CollectionId(r.get(1)?),
        rel_path: r.get(2)?,
        size: r.get(3)?,
        sha256: r.get(4)?,
        fingerprint: r.get(5)?,
    })
}

/// A file's facts as a scan found them.
#[derive(Debug, Clone)]
pub struct FileFacts<'a> {
    pub collection: CollectionId,
    pub rel_path: &'a [u8],
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: Option<&'a str>,
    /// A large file's fingerprint, when it was read for one (its full hash may be pending).
    pub fingerprint: Option<&'a str>,
    /// For a video: what its name said (its row carries the confidence and the extra).
    pub named: Option<Named<'a>>,
    pub kind: &'a str,
    /// A problem with the file (unreadable, empty, odd name); `None` clears an old one.
    pub error: Option<&'a str>,
    /// Its container is one only ffprobe reads, and ffprobe is not here (a new row is
    /// written so; a known row's probe result is applied after it).
    pub needs_ffprobe: bool,
}

/// The columns a new row is written with (after its id, when the writer gives it): the
/// 17 values `bind_new` binds. A file waiting for ffprobe is told by its flag alone (see
/// `catalog::probe_error_sql`).
macro_rules! new_columns {
    () => {
        "collection_id, rel_path, size, mtime_ns, sha256, kind, has_errors, error_message,
         first_seen, last_seen, created_changeset_id, updated_changeset_id, fingerprint,
         ident_confidence, extra, needs_ffprobe, content_key"
    };
}

/// A `?` for each of `new_columns!()`.
macro_rules! new_values {
    () => {
        "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
    };
}

/// How many values `bind_new` binds: one per column, which the build checks.
const NEW_WIDTH: usize = count_of(new_values!(), b'?');
const _: () = assert!(
    count_of(new_columns!(), b',') + 1 == NEW_WIDTH,
    "new_columns! and new_values! disagree"
);

/// How many times `b` is in `s` (for the checks above, at compile time).
const fn count_of(s: &str, b: u8) -> usize {
    let (bytes, mut i, mut n) = (s.as_bytes(), 0, 0);
    while i < bytes.len() {
        if bytes[i] == b {
            n += 1;
        }
        i += 1;
    }
    n
}

/// Binds a new row's `new_columns!()` values from parameter `at` on.
fn bind_new(
    st: &mut rusqlite::Statement<'_>,
    at: usize,
    f: &FileFacts<'_>,
    changeset: i64,
    now: &str,
) -> Result<()> {
    st.raw_bind_parameter(at, f.collection.0)?;
    st.raw_bind_parameter(at + 1, f.rel_path)?;
    st.raw_bind_parameter(at + 2, f.size)?;
    st.raw_bind_parameter(at + 3, f.mtime_ns)?;
    st.raw_bind_parameter(at + 4, f.sha256)?;
    st.raw_bind_parameter(at + 5, f.kind)?;
    st.raw_bind_parameter(at + 6, f.error.is_some())?;
    st.raw_bind_parameter(at + 7, f.error)?;
    st.raw_bind_parameter(at + 8, now)?;
    st.raw_bind_parameter(at + 9, now)?;
    st.raw_bind_parameter(at + 10, changeset)?;
    st.raw_bind_parameter(at + 11, changeset)?;
    st.raw_bind_parameter(at + 12, f.fingerprint)?;
    st.raw_bind_parameter(at + 13, f.named.map(|n| n.confidence))?;
    st.raw_bind_parameter(at + 14, f.named.and_then(|n| n.extra))?;
    st.raw_bind_parameter(at + 15, f.needs_ffprobe)?;
    st.raw_bind_parameter(at + 16, super::content::checked_key(f.sha256)?)?;
    Ok(())
}

/// Inserts new files' rows, many to a statement (`catalog::in_chunks`): a first scan's
/// every file is one. SQLite numbers each row one past the largest id, so the ids are
/// known without asking (and checked against the last one it gave). A piece meeting a path
/// already taken (a rerun meeting rows it wrote itself) stops there: the ids of the rows
/// written, in order, and the rest are for `upsert`.
///
/// A statement SQLite may have to undo halfway has it copy every page the statement
/// touches into a statement journal first: measured, a sixth of the writer's time in a
/// first scan. So `OR FAIL` (a statement stopped at a conflict keeps the rows it wrote
/// before it: the ids tell how many, where the default undoes them; any other error ends
/// the scan's transaction, which rolls back all of it), and no id in the statement (an id
/// given may be refused as not an integer, which is another halfway stop).
pub(crate) fn insert_new(
    conn: &Connection,
    files: &[FileFacts<'_>],
    changeset: i64,
    now: &str,
) -> Result<Vec<AssetId>> {
    let mut ids = Vec::with_capacity(files.len());
    let mut top = largest_id(conn)?;
    for chunk in super::in_chunks(files) {
        let Some(last) = top.checked_add(chunk.len() as i64) else {
            break;
        };
        let mut st = conn.prepare_cached(&super::many_rows(
            concat!("INSERT OR FAIL INTO assets (", new_columns!(), ")"),
            concat!("(", new_values!(), ")"),
            chunk.len(),
        ))?;
        for (i, f) in chunk.iter().enumerate() {
            bind_new(&mut st, 1 + i * NEW_WIDTH, f, changeset, now)?;
        }
        match st.raw_execute() {
            Ok(_) => {
                super::numbered_as_counted(conn, "files", last)?;
                ids.extend((top + 1..=last).map(AssetId));
                top = last;
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                ids.extend((top + 1..=largest_id(conn)?).map(AssetId));
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(ids)
}

/// The largest asset id (0 with none).
fn largest_id(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM assets")?
        .query_row([], |r| r.get(0))?)
}

/// Inserts a new file, or refreshes the row at the same path (a rerun after a crash may meet
/// rows it wrote itself). Clears `missing_since`. `true` with the id when the row is new
/// (nothing links to it, nothing about it is pending).
pub(crate) fn upsert(
    conn: &Connection,
    f: &FileFacts<'_>,
    changeset: i64,
    now: &str,
) -> Result<(AssetId, bool)> {
    // A plain INSERT, and the refresh only when the path is taken: an `ON CONFLICT DO
    // UPDATE` statement may write twice, so SQLite keeps a statement journal for it (a copy
    // of every page it touches, opened and closed per row): measured, a fifth of a first
    // scan's writing, for a conflict that almost never happens.
    let mut st = conn.prepare_cached(concat!(
        "INSERT INTO assets (",
        new_columns!(),
        ") VALUES (",
        new_values!(),
        ")"
    ))?;
    bind_new(&mut st, 1, f, changeset, now)?;
    let inserted = st.raw_execute();
    match inserted {
        Ok(_) => return Ok((AssetId(conn.last_insert_rowid()), true)),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {}
        Err(e) => return Err(e.into()),
    }
    // The path is taken: the row there is refreshed as a known file's is (its
    // identification and probe follow, as for any row that is not new).
    let id = AssetId(
        conn.prepare_cached("SELECT id FROM assets WHERE collection_id = ?1 AND rel_path = ?2")?
            .query_row(params![f.collection.0, f.rel_path], |r| r.get(0))?,
    );
    update(conn, id, f, changeset, now)?;
    Ok((id, false))
}

/// What identification said of a video, written with its row.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    /// 0 to 1.
    pub confidence: f64,
    /// The kind of extra (trailer, sample…) when it is one.
    pub extra: Option<&'a str>,
}

/// An asset's full path (exact bytes); empty when there is no such asset.
pub(crate) fn full_path(conn: &Connection, id: AssetId) -> Result<Vec<u8>> {
    Ok(conn
        .prepare_cached(concat!(
            "SELECT ",
            super::full_path_sql!(),
            " FROM assets a JOIN collections c ON c.id = a.collection_id WHERE a.id = ?1"
        ))?
        .query_row([id.0], |r| r.get(0))
        .unwrap_or_default())
}

/// The content hash an asset has now.
pub(crate) fn sha256_of(conn: &Connection, id: AssetId) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT sha256 FROM assets WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .unwrap_or(None))
}

/// Rewrites a known asset's facts (content changed, came back, or a retried read) and, for a
/// move, its place. Keeps its id and everything linked to it.
pub(crate) fn update(
    conn: &Connection,
    id: AssetId,
    f: &FileFacts<'_>,
    changeset: i64,
    now: &str,
) -> Result<()> {
    // A move keeps the asset; where it was is kept for the scan's event log.
    conn.prepare_cached(
        "INSERT INTO asset_moves (changeset_id, asset_id, from_collection_id, from_rel_path, moved_at)
         SELECT ?2, id, collection_id, rel_path, ?5 FROM assets
         WHERE id = ?1 AND (collection_id != ?3 OR rel_path != ?4)",
    )?
    .execute(params![id.0, changeset, f.collection.0, f.rel_path, now])?;
    conn.prepare_cached(
        "UPDATE assets SET collection_id = ?2, rel_path = ?3, size = ?4, mtime_ns = ?5,
                sha256 = ?6, kind = ?7, has_errors = ?8, error_message = ?9, last_seen = ?10,
                missing_since = NULL, updated_changeset_id = ?11, fingerprint = ?12,
                content_key = ?13
         WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        f.collection.0,
        f.rel_path,
        f.size,
        f.mtime_ns,
        f.sha256,
        f.kind,
        f.error.is_some(),
        f.error,
        now,
        changeset,
        f.fingerprint,
        super::content::checked_key(f.sha256)?,
    ])?;
    Ok(())
}

/// A pending full hash, read: recorded on the asset at that path when the file is still
/// what was hashed (same size and mtime). Returns the asset, or `None` when the row moved
/// on meanwhile (it will be read again).
pub(crate) fn set_hash(
    conn: &Connection,
    collection: CollectionId,
    rel_path: &[u8],
    h: &HashedFile<'_>,
    changeset: i64,
) -> Result<Option<AssetId>> {
    Ok(conn
        .prepare_cached(
            "UPDATE assets SET sha256 = ?5, updated_changeset_id = ?6, content_key = ?7
             WHERE collection_id = ?1 AND rel_path = ?2 AND size = ?3 AND mtime_ns = ?4
               AND sha256 IS NULL
             RETURNING id",
        )?
        .query_row(
            params![
                collection.0,
                rel_path,
                h.size,
                h.mtime_ns,
                h.sha256,
                changeset,
                super::content::checked_key(Some(h.sha256))?,
            ],
            |r| r.get(0),
        )
        .optional()?
        .map(AssetId))
}

/// A file's full hash and the size and mtime it had while being read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HashedFile<'a> {
    pub sha256: &'a str,
    pub size: i64,
    pub mtime_ns: i64,
}

/// Files cataloged with their full hash still to read: (files, bytes), all collections,
/// present files only.
pub fn hash_pending(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(size), 0) FROM assets
             WHERE sha256 IS NULL AND fingerprint IS NOT NULL AND missing_since IS NULL",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// A missing asset found again, unchanged: it is simply present again.
pub(crate) fn mark_present(
    conn: &Connection,
    id: AssetId,
    changeset: i64,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE assets SET missing_since = NULL, last_seen = ?2, updated_changeset_id = ?3
         WHERE id = ?1",
    )?
    .execute(params![id.0, now, changeset])?;
    Ok(())
}

/// Marks an asset missing since `now` (never deletes it). Its `last_seen` becomes the end of
/// the collection's previous full scan, the last time it was known to be there.
pub(crate) fn mark_missing(
    conn: &Connection,
    id: AssetId,
    changeset: i64,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE assets SET missing_since = ?2, updated_changeset_id = ?3,
                last_seen = max(last_seen, coalesce(
                    (SELECT c.last_scan_at FROM collections c WHERE c.id = assets.collection_id),
                    last_seen))
         WHERE id = ?1 AND missing_since IS NULL",
    )?
    .execute(params![id.0, now, changeset])?;
    Ok(())
}

/// One asset as exported.
#[derive(Debug, Clone)]
pub(crate) struct ExportRow {
    pub id: AssetId,
    pub collection: String,
    pub root: Option<Vec<u8>>,
    pub rel_path: Vec<u8>,
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: Option<String>,
    pub kind: String,
    pub first_seen: String,
    pub last_seen: String,
    pub missing_since: Option<String>,
    pub has_errors: bool,
    pub error_message: Option<String>,
    pub canonical: bool,
    pub extra: Option<String>,
    pub media: MediaColumns,
    /// What it is linked to: the title, the season, the episode numbers.
    pub title: Option<String>,
    pub season: Option<i64>,
    pub episodes: Vec<i64>,
    /// An anime's absolute episode numbers, a daily show's air date.
    pub absolute: Vec<i64>,
    pub air_date: Option<String>,
    /// A server's file: its path as the server reports it.
    pub remote_path: Option<String>,
    /// An organised file: where it came from, and when it landed.
    pub original_path: Option<Vec<u8>>,
    pub ingested_at: Option<String>,
}

/// What probing stored on an asset, as exported.
#[derive(Debug, Clone, Default)]
pub(crate) struct MediaColumns {
    pub captured_at: Option<String>,
    pub captured_at_source: Option<String>,
    pub gps_lat: Option<f64>,
    pub gps_lon: Option<f64>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub duration_ms: Option<i64>,
    pub container: Option<String>,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    pub chapters: i64,
    pub probe_failed: bool,
    pub probe_error: Option<String>,
}

/// Streams every asset, by collection and path, to `f` (rows are never all in memory).
/// `last_seen` of a present asset is the later of its own and its collection's last full scan.
/// The outer error is the catalog's; the inner one is `f`'s, which stops the stream.
pub(crate) fn for_each_export<E>(
    conn: &Connection,
    mut f: impl FnMut(ExportRow) -> std::result::Result<(), E>,
) -> Result<std::result::Result<u64, E>> {
    let mut st = conn.prepare(concat!(
        "SELECT a.id, c.name, c.root, a.rel_path, a.size, a.mtime_ns, a.sha256, a.kind,
                a.first_seen,
                CASE WHEN a.missing_since IS NULL THEN max(a.last_seen, coalesce(c.last_scan_at, a.last_seen))
                     ELSE a.last_seen END,
                a.missing_since, a.has_errors, a.error_message, a.canonical, a.extra,
                a.captured_at, a.captured_at_source, a.gps_lat, a.gps_lon, a.camera_make, a.camera_model,
                a.width, a.height, a.duration_ms, a.container, a.video_codec, a.audio_codec,
                (SELECT count(*) FROM markers m WHERE m.asset_id = a.id AND m.kind = 'chapter'),
                a.probe_failed, ",
        super::probe_error_sql!(),
        ",
                coalesce((SELECT t.name FROM episode_assets ea JOIN episodes e ON e.id = ea.episode_id
                            JOIN titles t ON t.id = e.title_id WHERE ea.asset_id = a.id LIMIT 1),
                         (SELECT t.name FROM title_assets ta JOIN titles t ON t.id = ta.title_id
                            WHERE ta.asset_id = a.id LIMIT 1)),
                (SELECT min(s.number) FROM episode_assets ea JOIN episodes e ON e.id = ea.episode_id
                   JOIN seasons s ON s.id = e.season_id WHERE ea.asset_id = a.id),
                (SELECT group_concat(n) FROM (SELECT e.number AS n FROM episode_assets ea
                   JOIN episodes e ON e.id = ea.episode_id WHERE ea.asset_id = a.id AND e.number IS NOT NULL
                   ORDER BY e.number)),
                a.remote_path, o.src, o.ingested_at,
                (SELECT group_concat(n) FROM (SELECT e.absolute_number AS n FROM episode_assets ea
                   JOIN episodes e ON e.id = ea.episode_id
                   WHERE ea.asset_id = a.id AND e.absolute_number IS NOT NULL ORDER BY e.absolute_number)),
                (SELECT min(e.air_date) FROM episode_assets ea JOIN episodes e ON e.id = ea.episode_id
                   WHERE ea.asset_id = a.id)
         FROM assets a JOIN collections c ON c.id = a.collection_id
         LEFT JOIN organise_items o ON o.id = (
             SELECT max(i.id) FROM organise_items i
             WHERE i.state = 'done' AND i.dest = CASE WHEN c.root IS NULL THEN a.rel_path
                                                 ELSE CAST(c.root || X'2f' || a.rel_path AS BLOB) END)
         WHERE 1
         ORDER BY c.name, a.rel_path"
    ))?;
    let mut rows = st.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let row = ExportRow {
            id: AssetId(r.get(0)?),
            collection: r.get(1)?,
            root: r.get(2)?,
            rel_path: r.get(3)?,
            size: r.get(4)?,
            mtime_ns: r.get(5)?,
            sha256: r.get(6)?,
            kind: r.get(7)?,
            first_seen: r.get(8)?,
            last_seen: r.get(9)?,
            missing_since: r.get(10)?,
            has_errors: r.get(11)?,
            error_message: r.get(12)?,
            canonical: r.get(13)?,
            extra: r.get(14)?,
            media: MediaColumns {
                captured_at: r.get(15)?,
                captured_at_source: r.get(16)?,
                gps_lat: r.get(17)?,
                gps_lon: r.get(18)?,
                camera_make: r.get(19)?,
                camera_model: r.get(20)?,
                width: r.get(21)?,
                height: r.get(22)?,
                duration_ms: r.get(23)?,
                container: r.get(24)?,
                video_codec: r.get(25)?,
                audio_codec: r.get(26)?,
                chapters: r.get(27)?,
                probe_failed: r.get(28)?,
                probe_error: r.get(29)?,
            },
            title: r.get(30)?,
            season: r.get(31)?,
            episodes: r
                .get::<_, Option<String>>(32)?
                .map(|g| g.split(',').filter_map(|n| n.parse().ok()).collect())
                .unwrap_or_default(),
            remote_path: r.get(33)?,
            original_path: r.get(34)?,
            ingested_at: r.get(35)?,
            absolute: r
                .get::<_, Option<String>>(36)?
                .map(|g| g.split(',').filter_map(|n| n.parse().ok()).collect())
                .unwrap_or_default(),
            air_date: r.get(37)?,
        };
        if let Err(e) = f(row) {
            return Ok(Err(e));
        }
        n += 1;
    }
    Ok(Ok(n))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::catalog::{CatalogError, changesets, sources};
    use crate::model::{ChangesetKind, CollectionKind};

    fn facts(collection: CollectionId, size: i64, kind: &str) -> FileFacts<'_> {
        FileFacts {
            collection,
            rel_path: b"Show/Show S01E01.mkv",
            size,
            mtime_ns: 1,
            sha256: None,
            fingerprint: None,
            named: None,
            kind,
            error: None,
            needs_ffprobe: size == 7,
        }
    }

    #[test]
    fn a_path_written_twice_is_one_row_refreshed_and_said_not_new() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let c = sources::add_filesystem(&conn, "tv", b"/tv", CollectionKind::Shows).unwrap();
        let cs = changesets::begin(&conn, ChangesetKind::Scan, "scan").unwrap();
        let (first, fresh) =
            upsert(&conn, &facts(c.id, 5, "video"), cs, "2026-01-01T00:00:00Z").unwrap();
        assert!(fresh);
        conn.execute("UPDATE assets SET missing_since = last_seen", [])
            .unwrap();
        let (again, fresh) =
            upsert(&conn, &facts(c.id, 7, "video"), cs, "2026-01-02T00:00:00Z").unwrap();
        assert_eq!((again, fresh), (first, false));
        let row: (i64, i64, Option<String>, bool) = conn
            .query_row(
                "SELECT count(*), max(size), max(missing_since), max(needs_ffprobe) FROM assets",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        // The refresh leaves "needs ffprobe" to the probe result applied after it.
        assert_eq!(row, (1, 7, None, false));
        // Another constraint is an error, not a refresh of the row at the path.
        assert!(
            upsert(
                &conn,
                &facts(c.id, 9, "sculpture"),
                cs,
                "2026-01-03T00:00:00Z"
            )
            .is_err()
        );
        let size: i64 = conn
            .query_row("SELECT size FROM assets", [], |r| r.get(0))
            .unwrap();
        assert_eq!(size, 7);
    }

    /// A hash is written only as 64 lowercase hex digits (the row checks only the length):
    /// each of the three writes of one refuses any other form and leaves the row as it was.
    #[test]
    fn a_hash_in_any_other_form_than_lowercase_hex_is_refused() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let c = sources::add_filesystem(&conn, "tv", b"/tv", CollectionKind::Shows).unwrap();
        let cs = changesets::begin(&conn, ChangesetKind::Scan, "scan").unwrap();
        let now = "2026-01-01T00:00:00Z";
        let good = "0123456789abcdef".repeat(4);
        let bad = [
            good.to_uppercase(),
            format!("{}g", &good[..63]),
            format!("{} ", &good[..63]),
            format!("{}é", &good[..62]),
            "abc".to_string(),
        ];
        for b in &bad {
            let f = FileFacts {
                sha256: Some(b),
                ..facts(c.id, 5, "video")
            };
            assert!(
                matches!(
                    upsert(&conn, &f, cs, now),
                    Err(CatalogError::InvalidInput {
                        field: "sha256",
                        ..
                    })
                ),
                "{b:?}"
            );
        }
        let count: i64 = conn
            .query_row("SELECT count(*) FROM assets", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 0);
        let (id, _) = upsert(&conn, &facts(c.id, 5, "video"), cs, now).unwrap();
        for b in &bad {
            let f = FileFacts {
                sha256: Some(b),
                ..facts(c.id, 6, "video")
            };
            assert!(update(&conn, id, &f, cs, now).is_err(), "{b:?}");
            let h = HashedFile {
                sha256: b,
                size: 5,
                mtime_ns: 1,
            };
            assert!(
                set_hash(&conn, c.id, b"Show/Show S01E01.mkv", &h, cs).is_err(),
                "{b:?}"
            );
        }
        let row: (i64, Option<String>) = conn
            .query_row("SELECT size, sha256 FROM assets", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(row, (5, None));
        let h = HashedFile {
            sha256: &good,
            size: 5,
            mtime_ns: 1,
        };
        assert_eq!(
            set_hash(&conn, c.id, b"Show/Show S01E01.mkv", &h, cs).unwrap(),
            Some(id)
        );
    }
}
