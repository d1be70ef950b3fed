//! The SQLite catalog: the only module that speaks SQL. `open()` is the one way to get a
//! connection (WAL, foreign keys, busy timeout, synchronous=NORMAL) and applies the embedded,
//! append-only migrations in one transaction, tracking the version in `PRAGMA user_version`.
//! In layers, with no cycles: the bottom (this module: open, migrations, `Tx`; `paging`;
//! `changesets`; `history`, the change journal), aggregates that import only the bottom
//! (`assets`, `sources`, `mappings`, `status`, `events`, `markers`, `library`, `dupes`,
//! `review`, and `views`, the UI's read models), and use-cases across aggregates above
//! them (`decide`, `content`, `media`, `undo`). None of them touches the terminal or the
//! file system beyond the database file.

/// The SQL for an asset's full path (root + `/` + path within the collection, as bytes),
/// for queries that join `assets a` with `collections c`. A macro so `concat!` can put it
/// into the `const` query strings.
macro_rules! full_path_sql {
    () => {
        "CASE WHEN c.root IS NULL THEN a.rel_path ELSE CAST(c.root || X'2f' || a.rel_path AS BLOB) END"
    };
}
pub(crate) use full_path_sql;

/// The sentence a person reads of a file waiting for ffprobe (`assets.needs_ffprobe`). A
/// macro so `concat!` can put it into `probe_error_sql!()`.
macro_rules! needs_ffprobe_text {
    () => {
        "not read yet: its container needs ffprobe, which is not installed"
    };
}
pub(crate) use needs_ffprobe_text;

/// The SQL for what a person reads of why an asset `a` was not probed: its own error, or
/// the sentence for a file waiting for ffprobe. That sentence is not stored in each such
/// row (migration 0019): without ffprobe it is every video's, an eighth of the catalog.
macro_rules! probe_error_sql {
    () => {
        concat!(
            "coalesce(a.probe_error, CASE WHEN a.needs_ffprobe = 1 THEN '",
            $crate::catalog::needs_ffprobe_text!(),
            "' END)"
        )
    };
}
pub(crate) use probe_error_sql;

pub mod assets;
pub mod changesets;
pub mod content;
pub(crate) mod decide;
pub mod dupes;
pub mod events;
pub mod history;
pub mod library;
pub mod mappings;
pub mod markers;
pub mod media;
pub mod organise;
pub mod paging;
pub mod review;
pub mod servers;
pub mod sources;
pub mod status;
pub mod undo;
pub mod views;

use std::os::raw::c_int;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use rusqlite::Connection as Db;

/// The schema migrations, in order; index + 1 is the version each one leads to.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_catalog.sql"),
    include_str!("../../migrations/0002_identification.sql"),
    include_str!("../../migrations/0003_probe.sql"),
    include_str!("../../migrations/0004_pane_indexes.sql"),
    include_str!("../../migrations/0005_events.sql"),
    include_str!("../../migrations/0006_warnings.sql"),
    include_str!("../../migrations/0007_needs_ffprobe.sql"),
    include_str!("../../migrations/0008_fewer_asset_indexes.sql"),
    include_str!("../../migrations/0009_fingerprints.sql"),
    include_str!("../../migrations/0010_media_servers.sql"),
    include_str!("../../migrations/0011_organise.sql"),
    include_str!("../../migrations/0012_capture_sources.sql"),
    include_str!("../../migrations/0013_hex_check.sql"),
    include_str!("../../migrations/0014_episode_indexes.sql"),
    include_str!("../../migrations/0015_content_key.sql"),
    include_str!("../../migrations/0016_cheap_checks.sql"),
    include_str!("../../migrations/0017_indexes_a_scan_wrote_for_nothing.sql"),
    include_str!("../../migrations/0018_hash_form_kept_by_shelf.sql"),
    include_str!("../../migrations/0019_ffprobe_sentence_not_stored.sql"),
    include_str!("../../migrations/0020_review_reason_index_dropped.sql"),
    include_str!("../../migrations/0021_review_unused_indexes_dropped.sql"),
    include_str!("../../migrations/0022_title_names_fold_accents.sql"),
];

/// The migration after which every title's `norm_name` is recomputed by
/// `identify::normalise_title` (which SQL cannot do): its accents folded.
const NORM_NAMES_REFOLDED: usize = 22;

/// The schema version this binary writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another's write lock before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "catalog {path} has schema version {found}, newer than this shelf understands ({supported}); \
         use a newer shelf, or point --db at another catalog"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "catalog {path} has schema version {found}, older than this shelf ({supported}); open it once read-write to upgrade it"
    )]
    TooOldReadOnly {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot create the folder for catalog {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot {what} {path}: {source}")]
    File {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A row asked for by id is not there.
    #[error("no {what} #{id}")]
    NotFound { what: &'static str, id: i64 },
    /// A row asked for by name is not there.
    #[error("no {what} named {name:?}")]
    NoSuchName { what: &'static str, name: String },
    /// A review item a person (or an earlier run) has decided already.
    #[error("review item #{item} is already {status}")]
    AlreadyDecided {
        item: i64,
        status: crate::model::ReviewStatus,
    },
    /// A review item with nothing an accept could link.
    #[error("review item #{item} has no usable proposal; use `review set` or `review link`")]
    NoProposal { item: i64 },
    /// What was asked would clash with what is there (a name taken, a prefix mapped).
    #[error("{0}")]
    Conflict(String),
    /// What was typed or proposed cannot be written: which part, and why.
    #[error("{field}: {why}")]
    InvalidInput { field: &'static str, why: String },
    /// The catalog's rules refuse it (a show linked as a movie, markers on a photo).
    #[error("{0}")]
    Refused(String),
    /// Nothing is left to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// A thread the catalog needs could not start.
    #[error("cannot start a thread: {0}")]
    Thread(std::io::Error),
    /// The process's writer thread has stopped.
    #[error("the catalog writer has stopped")]
    WriterGone,
    /// The catalog holds something it should not (a journal entry without its ids).
    #[error("the catalog is inconsistent: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Query(#[from] rusqlite::Error),
}

pub type Result<T, E = CatalogError> = std::result::Result<T, E>;

/// How a connection is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read-write, creating the file and its folder if needed, migrating to the latest schema.
    ReadWrite,
    /// Read-only; the catalog must exist and be at this binary's schema version.
    ReadOnly,
    /// For copying the WAL back (`checkpoint`) beside the writer, on a thread of its own
    /// (`worker::writer`'s copier): read-write, since the copy writes the catalog file, but
    /// it writes no row (the writer's connection created and migrated the catalog and stays
    /// the one that changes it); the catalog must exist at this binary's schema version, and
    /// its close never copies (the writer's rule decides when).
    CopyBack,
}

/// Opens the catalog at `path`: the only way shelf gets a connection.
pub fn open(path: &Path, mode: Mode) -> Result<Connection> {
    let wrap = |source| CatalogError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let flags = match mode {
        Mode::ReadWrite => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| CatalogError::CreateDir {
                    path: path.to_owned(),
                    source,
                })?;
            }
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        }
        Mode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        Mode::CopyBack => OpenFlags::SQLITE_OPEN_READ_WRITE,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    if mode == Mode::ReadWrite {
        create_private(path).map_err(|source| CatalogError::File {
            what: "create the catalog",
            path: path.to_owned(),
            source,
        })?;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(wrap)?;
    configure(&conn, mode).map_err(wrap)?;
    match mode {
        Mode::ReadWrite => migrate(&conn, path)?,
        Mode::ReadOnly => check_version(&conn, path)?,
        Mode::CopyBack => {
            check_version(&conn, path)?;
            no_checkpoint_at_close(&conn)?;
        }
    }
    Ok(conn)
}

/// A new catalog file is created readable by its owner only: it may come to hold a media
/// server's token. SQLite gives its `-wal` and `-shm` files the database file's mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes the catalog and its `-wal`/`-shm` files readable by their owner only (when it
/// first stores a token).
pub fn secure(path: &Path) -> Result<()> {
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if let Ok(m) = std::fs::metadata(&p)
            && m.permissions().mode() & 0o077 != 0
        {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).map_err(
                |source| CatalogError::File {
                    what: "make private",
                    path: p.clone(),
                    source,
                },
            )?;
        }
    }
    Ok(())
}

/// Whether others than the owner may read the catalog file.
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// An empty, fully migrated catalog in memory (for dry runs on a catalog that does not exist
/// yet, and for tests).
pub(crate) fn open_in_memory() -> Result<Connection> {
    let path = PathBuf::from(":memory:");
    let conn = Connection::open_in_memory().map_err(|source| CatalogError::Sqlite {
        path: path.clone(),
        source,
    })?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    migrate(&conn, &path)?;
    Ok(conn)
}

fn configure(conn: &Connection, mode: Mode) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The writer's loop uses a few dozen statements; the default cache of 16 made it
    // re-plan them on every file (measured: most of a first scan's CPU time).
    conn.set_prepared_statement_cache_capacity(128);
    // Plans that do not depend on bound values: without this guarantee, SQLite 3.54 plans
    // `col = ?` by the value bound and expires the statement at every new value, so a cached
    // statement was parsed and planned again on every execution (measured: 7.3 µs against
    // 1.0 µs per lookup, a third of a first scan's writer time).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    if mode == Mode::ReadWrite {
        // A new catalog's pages are 16 KiB (page_size is fixed once the file has a page; on
        // an existing catalog this does nothing). With 4 KiB a million-file catalog was
        // 136,000 pages, each a system call in every commit and every copy of the WAL back:
        // the writer of a million-file first scan spent 11.8 / 11.8 / 10.8 core-seconds
        // against 9.9 / 10.3 / 9.6 with 16 KiB (three alternated pairs); rescans the same.
        conn.execute_batch("PRAGMA page_size = 16384;")?;
        // journal_mode is persistent in the file; a read-only connection inherits it.
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    }
    // Statement journals in memory: on disk they cost a pwrite per touched page of every
    // upsert (measured: most of a first scan's time).
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
    )?;
    if mode == Mode::ReadWrite {
        // 64 MiB of page cache, so batches of upserts across a dozen indexes do not spill.
        conn.execute_batch("PRAGMA cache_size = -65536;")?;
    }
    Ok(())
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

fn check_version(conn: &Connection, path: &Path) -> Result<()> {
    let found = user_version(conn).map_err(|source| CatalogError::Sqlite {
        path: path.to_owned(),
        source,
    })?;
    if found > SCHEMA_VERSION {
        return Err(CatalogError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        return Err(CatalogError::TooOldReadOnly {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Brings the schema up to `SCHEMA_VERSION` in one IMMEDIATE transaction, so two processes
/// opening a fresh catalog at once cannot both migrate it.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let wrap = |source| CatalogError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let found = user_version(conn).map_err(wrap)?;
    if found > SCHEMA_VERSION {
        return Err(CatalogError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    if found > 0 {
        // Some migrations rewrite every asset (on a million files, 0015 takes 13 s and 0016
        // 10 s); said first, on stderr (before any screen is drawn), so a long first start
        // is not a silent one.
        eprintln!(
            "shelf: updating the catalog {} from schema {found} to {SCHEMA_VERSION} (a large catalog takes a while)",
            crate::paths::display(path.as_os_str().as_encoded_bytes())
        );
        tracing::info!(from = found, to = SCHEMA_VERSION, "migrating the catalog");
    }
    // Foreign keys off while the schema changes (they cannot change inside a transaction):
    // a migration that rebuilds a table to widen a CHECK drops the old one, and with them on
    // that drop would delete every child row. They are checked before the commit instead.
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .map_err(wrap)?;
    let r = migrate_locked(conn).map_err(wrap);
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .map_err(wrap)?;
    r
}

/// Every title's normalised name as `normalise_title` writes it now (titles are few: a
/// library's shows and films, not its files).
fn refold_title_names(conn: &Connection) -> rusqlite::Result<()> {
    let titles: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, name, norm_name FROM titles")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare("UPDATE titles SET norm_name = ?2 WHERE id = ?1")?;
    for (id, name, norm) in titles {
        let now = crate::identify::normalise_title(&name);
        if now != norm {
            update.execute(rusqlite::params![id, now])?;
        }
    }
    Ok(())
}

fn migrate_locked(conn: &Connection) -> rusqlite::Result<()> {
    let tx = Tx::immediate(conn)?;
    // Re-read under the lock: another process may have migrated meanwhile.
    let current = user_version(conn)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        conn.execute_batch(sql)?;
        if i + 1 == NORM_NAMES_REFOLDED {
            refold_title_names(conn)?;
        }
        conn.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!("the migration left {broken} broken foreign key(s)")),
        ));
    }
    tx.commit()
}

/// A column holding one of the domain's kinds (`show`, `movie`, …), read as its type: text
/// the type does not know is a conversion error, not a string passed on.
pub(crate) fn kind_at<T: std::str::FromStr<Err = crate::model::UnknownKind>>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    text.parse::<T>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// An IMMEDIATE transaction (it takes the write lock at once): `commit` ends it; dropped
/// without a commit, it rolls back. The only BEGIN, COMMIT and ROLLBACK in shelf.
pub(crate) struct Tx<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Tx<'c> {
    pub(crate) fn immediate(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Self { conn, open: true })
    }

    pub(crate) fn commit(mut self) -> rusqlite::Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// While it lives, SQLite does not test the rows its connection writes against the tables'
/// CHECK rules (`PRAGMA ignore_check_constraints`) nor look up the rows their foreign keys
/// name (`PRAGMA foreign_keys`); dropped, it tests both again. For a scan's transactions
/// only: their rows are built from typed facts (kinds and flags from enums and booleans,
/// the hash refused unless well formed, probe values filtered where they are read) and
/// refer only to rows the writer made or looked up in the same transaction, or to the
/// scan's collections and their files, which nothing deletes while the scan holds its lock
/// (`source remove` takes it); testing every rule and key on every row was a sixth of the
/// writer a first scan waits on (docs/benchmarks.md). A scan deletes no row another refers
/// to (review items, markers, links and server items only), so no foreign key's ON DELETE
/// action is skipped. The rules still hold everything else a
/// person or a command writes, and `db check` (SQLite's `integrity_check`, which tests
/// every CHECK, and `foreign_key_check`) reports a row a scan wrote against one.
///
/// SQLite changes `foreign_keys` only outside a transaction: made inside one, it refuses;
/// it must outlive the transaction it guards, and a transaction still open when it is
/// dropped is rolled back, so nothing it let through is committed after it.
pub(crate) struct Unchecked<'c>(&'c Connection);

impl<'c> Unchecked<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Self> {
        if !conn.is_autocommit() {
            return Err(CatalogError::InvalidInput {
                field: "transaction",
                why: "rules can be set aside only before a transaction begins".into(),
            });
        }
        conn.execute_batch("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF")?;
        Ok(Self(conn))
    }
}

impl Drop for Unchecked<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("ROLLBACK");
        }
        // Setting flags of the connection: nothing on disk, nothing that can be busy.
        let _ = self
            .0
            .execute_batch("PRAGMA ignore_check_constraints = OFF; PRAGMA foreign_keys = ON");
    }
}

/// Runs `f` inside one IMMEDIATE transaction; rolls back on error.
pub(crate) fn with_tx<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = Tx::immediate(conn)?;
    let v = f(conn)?;
    tx.commit()?;
    Ok(v)
}

/// Rows inserted without their ids were numbered as the writer counted (one past the
/// largest, then on: SQLite's rule while the largest is below its limit), so the ids it
/// handed on name them: the last one SQLite gave is `want`.
pub(crate) fn numbered_as_counted(conn: &Connection, what: &str, want: i64) -> Result<()> {
    let got = conn.last_insert_rowid();
    if got != want {
        return Err(CatalogError::Corrupt(format!(
            "new {what} were numbered up to {got}, not {want} as counted"
        )));
    }
    Ok(())
}

/// The most rows one `INSERT` writes (see `in_chunks`).
const MANY: usize = 32;

/// `items` in the pieces a many-row `INSERT` writes them in: runs of 32, then what is left
/// in powers of two. A statement per row spent a fifth of a first scan's writing opening
/// cursors, binding and finding the statement again; sizes that are powers of two keep
/// six texts per table in the statement cache rather than one for every length.
pub(crate) fn in_chunks<T>(mut items: &[T]) -> impl Iterator<Item = &[T]> {
    std::iter::from_fn(move || {
        if items.is_empty() {
            return None;
        }
        let n = MANY.min(1 << items.len().ilog2());
        let (chunk, rest) = items.split_at(n);
        items = rest;
        Some(chunk)
    })
}

/// `head VALUES row, row, …`: an `INSERT` of `n` rows, each written as `row` (its values as
/// `?`, bound in order).
pub(crate) fn many_rows(head: &str, row: &str, n: usize) -> String {
    let mut sql = String::with_capacity(head.len() + 8 + n * (row.len() + 1));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for i in 0..n {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(row);
    }
    sql
}

/// Writes `items` many rows to a statement (`in_chunks`): `head VALUES row, row, …`, with
/// `bind` binding one item's values (as many as `row` has `?`) from the index it is given.
pub(crate) fn insert_many<T>(
    conn: &Connection,
    head: &str,
    row: &str,
    items: &[T],
    mut bind: impl FnMut(&mut rusqlite::Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<()> {
    let width = row.matches('?').count();
    for chunk in in_chunks(items) {
        let mut st = conn.prepare_cached(&many_rows(head, row, chunk.len()))?;
        for (i, item) in chunk.iter().enumerate() {
            bind(&mut st, 1 + i * width, item)?;
        }
        st.raw_execute()?;
    }
    Ok(())
}

/// Counts the WAL after every commit on `conn`: the length in pages SQLite reports, stored
/// in the returned cell. It replaces SQLite's own rule (`wal_autocheckpoint`, a checkpoint
/// inside any commit that leaves the WAL past 1,000 pages): the caller checkpoints instead
/// (`checkpoint`).
pub(crate) fn count_wal(conn: &mut Connection) -> Result<Arc<AtomicI32>> {
    let pages = Arc::new(AtomicI32::new(0));
    let seen = pages.clone();
    conn.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, n: c_int| {
        seen.store(n, Ordering::Relaxed);
        Ok(())
    }))?;
    Ok(pages)
}

/// The catalog's page size in bytes.
pub(crate) fn page_size(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA page_size", [], |r| r.get(0))?)
}

/// Copies the WAL back into the catalog file as far as no reader still needs it (PASSIVE:
/// waits for no one).
pub(crate) fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    Ok(())
}

/// Closing `conn` will not copy the WAL back into the catalog file (SQLite does at the last
/// connection's close): for a scan's writer after the scan ends, and for a connection
/// closed just before a scan opens its writer, which copies what is left while it waits for
/// the walk (see `worker::writer`).
pub(crate) fn no_checkpoint_at_close(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    Ok(())
}

/// The catalog's schema version and row counts per table.
pub struct Info {
    pub schema_version: i64,
    pub counts: Vec<(String, i64)>,
}

/// A number that changes whenever another connection commits to the catalog (SQLite's
/// `data_version`): how the UI notices a scan in another process.
pub(crate) fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

pub fn info(conn: &Connection) -> Result<Info> {
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = Vec::new();
    for t in tables {
        // Table names come from sqlite_master, not from input; quoted all the same.
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\"")),
            [],
            |r| r.get(0),
        )?;
        counts.push((t, n));
    }
    Ok(Info {
        schema_version: user_version(conn)?,
        counts,
    })
}

/// SQLite's integrity and foreign-key checks, and each content key against its hash; an
/// empty list means all is well.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut st = conn.prepare("PRAGMA integrity_check")?;
    for r in st.query_map([], |r| r.get::<_, String>(0))? {
        let r = r?;
        if r != "ok" {
            out.push(format!("integrity: {r}"));
        }
    }
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = st.query_map([], |r| {
        Ok(format!(
            "foreign key: {} row {} → {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(-1),
            r.get::<_, String>(2)?
        ))
    })?;
    for r in rows {
        out.push(r?);
    }
    // Duplicates are found by `content_key`, which shelf writes with the hash: a row written
    // by other means with one and not the other would hide from its group. A hash is
    // lowercase hex (shelf's writes refuse any other form; the row checks only its length).
    let mut st = conn.prepare(
        "SELECT id, sha256, content_key FROM assets WHERE sha256 IS NOT NULL OR content_key IS NOT NULL",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let sha: Option<String> = r.get(1)?;
        let key: Option<i64> = r.get(2)?;
        if let Some(s) = sha.as_deref().filter(|s| !content::well_formed(s)) {
            out.push(format!(
                "content hash: asset {} has {s:?}, not 64 lowercase hex digits",
                r.get::<_, i64>(0)?
            ));
        }
        if content::key(sha.as_deref()) != key {
            out.push(format!(
                "content key: asset {} has key {key:?} for hash {sha:?}",
                r.get::<_, i64>(0)?
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_in_pieces_of_at_most_32_in_powers_of_two_and_in_order() {
        for n in [0usize, 1, 2, 3, 31, 32, 33, 100, 256, 257] {
            let items: Vec<usize> = (0..n).collect();
            let pieces: Vec<&[usize]> = in_chunks(&items).collect();
            let sizes: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
            assert!(
                sizes.iter().all(|s| s.is_power_of_two() && *s <= MANY),
                "{sizes:?}"
            );
            assert_eq!(pieces.concat(), items);
        }
        let sizes: Vec<usize> = in_chunks(&[0; 71]).map(<[i32]>::len).collect();
        assert_eq!(sizes, [32, 32, 4, 2, 1]);
        assert_eq!(
            many_rows("INSERT INTO t (a, b)", "(?,?)", 3),
            "INSERT INTO t (a, b) VALUES (?,?),(?,?),(?,?)"
        );
    }

    /// A scan's transaction writes a row against a CHECK rule and one naming a row that
    /// does not exist; the same writes outside one are refused, and `db check` names both.
    #[test]
    fn rules_and_keys_are_skipped_only_while_unchecked_lives_and_db_check_names_a_breach() {
        let conn = open_in_memory().unwrap();
        // Cached statements, as the writer's are: made while the rules were skipped, they
        // are made again when they hold.
        let title = |name: &str| {
            conn.prepare_cached(
                "INSERT INTO titles (kind, name, norm_name, sort_name, year, created_at, updated_at)
                 VALUES ('show', ?1, ?1, ?1, 3000, 't', 't')",
            )?
            .execute([name])
        };
        let orphan = |number: i64| {
            conn.prepare_cached(
                "INSERT INTO seasons (title_id, number, created_at) VALUES (999, ?1, 't')",
            )?
            .execute([number])
        };
        assert!(title("before").is_err(), "the rule holds by default");
        assert!(orphan(1).is_err(), "the key holds by default");
        {
            let _unchecked = Unchecked::new(&conn).unwrap();
            let tx = Tx::immediate(&conn).unwrap();
            title("during").unwrap();
            orphan(2).unwrap();
            tx.commit().unwrap();
        }
        assert!(title("after").is_err(), "the rule holds again");
        assert!(orphan(3).is_err(), "the key holds again");
        let problems = check(&conn).unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("CHECK constraint failed in titles")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("foreign key: seasons")),
            "{problems:?}"
        );
    }

    /// Keys can be set aside only before a transaction (SQLite ignores the setting inside
    /// one), and a transaction left open when the guard goes is rolled back, not kept.
    #[test]
    fn unchecked_is_refused_inside_a_transaction_and_rolls_back_one_left_open() {
        let conn = open_in_memory().unwrap();
        let tx = Tx::immediate(&conn).unwrap();
        assert!(Unchecked::new(&conn).is_err());
        drop(tx);
        {
            let _unchecked = Unchecked::new(&conn).unwrap();
            conn.execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO seasons (title_id, number, created_at) VALUES (999, 1, 't')",
            )
            .unwrap();
        }
        assert!(conn.is_autocommit());
        let seasons: i64 = conn
            .query_row("SELECT count(*) FROM seasons", [], |r| r.get(0))
            .unwrap();
        assert_eq!(seasons, 0, "nothing written unchecked outlives the guard");
        let keys: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(keys, 1);
    }

    /// Ids counted by the writer are handed on only when SQLite gave the same.
    #[test]
    fn rows_numbered_otherwise_than_counted_are_refused() {
        let conn = open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO titles (id, kind, name, norm_name, sort_name, created_at, updated_at)
             VALUES (7, 'show', 'a', 'a', 'a', 't', 't')",
            [],
        )
        .unwrap();
        numbered_as_counted(&conn, "titles", 7).unwrap();
        assert!(matches!(
            numbered_as_counted(&conn, "titles", 6),
            Err(CatalogError::Corrupt(_))
        ));
    }

    /// `.cargo/config.toml` compiles SQLite without its allocation statistics and shared
    /// cache, a twentieth of a first scan; a build that lost the setting would be slower
    /// with nothing else to say so.
    #[test]
    fn sqlite_is_built_without_memory_statistics_or_shared_cache() {
        let conn = open_in_memory().unwrap();
        let options: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for want in ["DEFAULT_MEMSTATUS=0", "OMIT_SHARED_CACHE"] {
            assert!(
                options.iter().any(|o| o == want),
                "{want} not in {options:?}"
            );
        }
    }

    /// A new catalog gets 16 KiB pages; one made with 4 KiB pages by an earlier shelf keeps
    /// them (WAL mode cannot change a page size) and opens, migrates and writes as before.
    #[test]
    fn new_catalogs_have_16_kib_pages_and_older_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.db");
        let conn = open(&new, Mode::ReadWrite).unwrap();
        assert_eq!(page_size(&conn).unwrap(), 16384);
        drop(conn);
        assert_eq!(
            page_size(&open(&new, Mode::ReadOnly).unwrap()).unwrap(),
            16384
        );

        let old = dir.path().join("old.db");
        let raw = Connection::open(&old).unwrap();
        raw.execute_batch(
            "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE before (x);",
        )
        .unwrap();
        drop(raw);
        let conn = open(&old, Mode::ReadWrite).unwrap();
        assert_eq!(page_size(&conn).unwrap(), 4096);
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        conn.execute("INSERT INTO before VALUES (1)", []).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM before", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}
