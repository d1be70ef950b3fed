//! A content group after a scan wrote to it: the rule picks its canonical copy, and every
//! other copy still present goes to review as a duplicate (once: a person's decision on it
//! stands). A use-case across duplicates and the review queue.

use rusqlite::{Connection, params};
use serde_json::json;

use super::dupes::{hard_links, members, pick};
use super::{Result, review};
use crate::model::ReviewReason;

/// A content hash's lookup key (`assets.content_key`, migration 0015): its first 15 hex
/// digits as an integer. The index holds the key, a fifth of the hash's size; a lookup asks
/// for both, the key to find the candidates and the hash to decide. `None` for no hash (or
/// one that is not hex, which the catalog refuses anyway).
pub(crate) fn key(sha: Option<&str>) -> Option<i64> {
    i64::from_str_radix(sha?.get(..15)?, 16).ok()
}

/// A content hash in the form the catalog keeps: 64 lowercase hex digits, as the hasher
/// writes them. The rule lives here, not in a CHECK on the row (migration 0018: that test
/// was a tenth of a scan's writing); `catalog::check` reports a row written otherwise.
pub(crate) fn well_formed(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A hash about to be written, refused unless well formed, and its lookup key: what each
/// of the catalog's writes of `assets.sha256` binds.
pub(crate) fn checked_key(sha: Option<&str>) -> Result<Option<i64>> {
    match sha {
        Some(s) if !well_formed(s) => Err(super::CatalogError::InvalidInput {
            field: "sha256",
            why: format!("{s:?} is not 64 lowercase hex digits"),
        }),
        _ => Ok(key(sha)),
    }
}

/// Re-applies the rule to one hash's group after a scan changed it; queues review items for
/// copies that are not canonical. Returns the group's size.
pub(crate) fn refresh(conn: &Connection, sha: &str, changeset: i64) -> Result<usize> {
    // Most content is one file: it is its group's canonical copy and no duplicate, which
    // two indexed statements settle (the whole group is read only when there are more).
    match first_two(conn, sha)?.as_slice() {
        [] => return Ok(0),
        [(id, canonical)] => {
            if !canonical {
                conn.prepare_cached("UPDATE assets SET canonical = 1 WHERE id = ?1")?
                    .execute([id])?;
            }
            drop_pending_duplicate(conn, *id)?;
            return Ok(1);
        }
        _ => {}
    }
    refresh_group(conn, sha, changeset)
}

/// `refresh` for a group known to hold more than one row (or none): the whole group read.
fn refresh_group(conn: &Connection, sha: &str, changeset: i64) -> Result<usize> {
    let ms = members(conn, sha)?;
    let Some(canon) = pick(&ms).map(|m| (m.id, m.path.clone())) else {
        return Ok(0);
    };
    let links = hard_links(&ms, Some(canon.0));
    for (m, link) in ms.iter().zip(&links) {
        let want = m.id == canon.0;
        if m.canonical != want {
            conn.prepare_cached("UPDATE assets SET canonical = ?2 WHERE id = ?1")?
                .execute(params![m.id, want])?;
        }
        // Another name of a file (a hard link) is no copy of its own: it takes no space,
        // and its file's one question (or none, for the canonical file) covers it. A
        // person's answer is asked for only where a question would go.
        let same = link.is_some();
        let ask = !want && !m.missing && ms.len() > 1 && !same;
        if ask
            && !conn
                .prepare_cached(DECIDED)?
                .query_row([m.id], |r| r.get::<_, bool>(0))?
        {
            let (canon_path, _) = crate::paths::export_form(&canon.1);
            let text = format!(
                "{}: {}",
                ReviewReason::DuplicateContent.text(),
                crate::paths::display(&canon.1)
            );
            let proposal = json!({"canonical_asset_id": canon.0, "canonical_path": canon_path});
            let item = review::Pending {
                reason: ReviewReason::DuplicateContent,
                text: &text,
                confidence: 1.0,
                proposal: &proposal,
                priority: 5,
            };
            review::queue(conn, m.id, item, changeset)?;
        } else if want || same {
            drop_pending_duplicate(conn, m.id)?;
        }
    }
    Ok(ms.len())
}

/// Whether a person answered the copy `?1`'s duplicate question: a seek by the asset. An
/// index by reason, which every copy's question shares, made this read every copy's
/// question (migration 0020; the plan is tested).
const DECIDED: &str = "SELECT EXISTS(SELECT 1 FROM review_items
                        WHERE asset_id = ?1 AND reason = 'duplicate_content' AND status != 'pending')";

/// The group the row `asset`, just inserted with `sha`, joined. Alone (most content), it is
/// canonical as inserted and nothing about it is pending: the key's index says so without
/// reading a row. Otherwise the group is refreshed.
pub(crate) fn joined(conn: &Connection, asset: i64, sha: &str, changeset: i64) -> Result<usize> {
    let others: bool = conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM assets WHERE content_key = ?1 AND id != ?2)")?
        .query_row(params![key(Some(sha)), asset], |r| r.get(0))?;
    if !others {
        return Ok(1);
    }
    refresh_group(conn, sha, changeset)
}

/// The content-key index (migration 0018) as SQLite builds it again after a first scan.
/// A first scan killed before its end leaves the catalog without it until the next scan:
/// a migration that touches it must allow for that (`DROP INDEX IF EXISTS`).
const INDEX_SQL: &str = "CREATE INDEX IF NOT EXISTS ix_assets_content ON assets(content_key)";

/// Whether the content-key index is there. A first scan works without it (`defer_index`);
/// the next scan after one was killed builds it (`build_index`).
pub(crate) fn indexed(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'ix_assets_content')",
        )?
        .query_row([], |r| r.get(0))?)
}

/// A scan starting on an empty catalog (a first scan, however large) drops the content-key
/// index and leaves every content group to its end (`build_index`). Content keys are
/// hashes: each new one lands at a random place in the index, so while the scan writes,
/// every commit rewrites most of the index and each lookup and insert misses the CPU's
/// caches. A first scan of a million files spent a third of its writer's time there; built
/// once at the end from the finished table (SQLite sorts, then writes each page once), the
/// index costs about a second. Later scans add few files to a large index and keep it.
/// Returns whether it dropped the index.
pub(crate) fn defer_index(conn: &Connection) -> Result<bool> {
    let empty: bool = conn
        .prepare_cached("SELECT NOT EXISTS(SELECT 1 FROM assets)")?
        .query_row([], |r| r.get(0))?;
    if empty {
        conn.execute_batch("DROP INDEX IF EXISTS ix_assets_content")?;
    }
    Ok(empty)
}

/// Builds the content-key index when it is missing and works out every group of two or
/// more copies (canonical copy, duplicates to review), in one transaction: a first scan's
/// end, or the next scan after one was killed. Returns the groups refreshed.
pub(crate) fn build_index(conn: &Connection, changeset: i64) -> Result<usize> {
    if indexed(conn)? {
        return Ok(0);
    }
    let was = Sorting::now(conn)?;
    // Changed there and back outside any transaction, which closes SQLite's temporary
    // database: the setting may then change inside the transaction.
    let closed = Sorting::IN_RUNS
        .set(conn)
        .and_then(|()| was.set(conn))
        .is_ok();
    let built = index_and_groups(conn, changeset, closed.then_some(was)).or_else(|e| {
        // No temporary file, say: the transaction rolled back; SQLite's sort in memory.
        tracing::warn!(error = %e, "the content-key index is built again, sorted in memory");
        index_and_groups(conn, changeset, None)
    });
    // Put back inside the transaction already, unless a step failed on the way.
    if let Err(e) = was.set(conn) {
        tracing::warn!(error = %e, "the sort's settings could not be put back");
    }
    built
}

/// How SQLite sorts for a connection: its temporary storage, its helper threads and its
/// page cache.
///
/// Under the catalog's `temp_store = MEMORY` (every connection's, for statement journals)
/// SQLite sorts every key as one list, whose merge passes miss the CPU's caches at every
/// step once the list outgrows them. With temporary files it sorts in runs instead (the
/// page cache's size, 4 MiB at least), each sorted by a helper thread while the next is
/// read, then merged. The content-key index of a million-file catalog, built in a scratch
/// harness: 0.95-1.15 s as one list (0.05-0.08 s at 100,000 files: some 16 times for 10
/// times the keys); in runs of 4 MiB, 0.28-0.43 s (0.03 s). The runs live in SQLite's
/// temporary files (the system's temp directory; some 30 MB at a million files, gone when
/// the statement ends). docs/benchmarks.md has the settings measured.
#[derive(Debug, Clone, Copy)]
struct Sorting {
    temp_store: i64,
    threads: i64,
    cache_size: i64,
}

impl Sorting {
    /// Files, one helper thread, SQLite's least run.
    const IN_RUNS: Self = Self {
        temp_store: 1,
        threads: 1,
        cache_size: -4096,
    };

    fn now(conn: &Connection) -> Result<Self> {
        let get = |p: &str| conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0));
        Ok(Self {
            temp_store: get("temp_store")?,
            threads: get("threads")?,
            cache_size: get("cache_size")?,
        })
    }

    /// SQLite changes temporary storage outside a transaction, or inside one while its
    /// temporary database is closed (each change of the setting closes it).
    fn set(self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(&format!(
            "PRAGMA temp_store = {}; PRAGMA threads = {}; PRAGMA cache_size = {}",
            self.temp_store, self.threads, self.cache_size
        ))
    }
}

/// `build_index`'s transaction; `runs`: the index sorted in runs (`Sorting`), with SQLite's
/// temporary database closed, and the settings to put back after the sort.
fn index_and_groups(conn: &Connection, changeset: i64, runs: Option<Sorting>) -> Result<usize> {
    // A transaction's statement journals stay where its start put them: in memory.
    let tx = super::Tx::immediate(conn)?;
    match runs {
        Some(was) if Sorting::IN_RUNS.set(conn).is_ok() => {
            let built = conn.execute_batch(INDEX_SQL);
            // The groups as before: the page cache its size, their sorts in memory (their
            // statement journals stay in memory, as the transaction began).
            was.set(conn)?;
            built?;
        }
        _ => conn.execute_batch(INDEX_SQL)?,
    }
    let mut shared: Vec<String> = Vec::new();
    let mut hashes =
        conn.prepare("SELECT DISTINCT sha256 FROM assets WHERE content_key = ?1 AND size > 0")?;
    for k in shared_keys(conn)? {
        for sha in hashes.query_map([k], |r| r.get(0))? {
            shared.push(sha?);
        }
    }
    for sha in &shared {
        refresh_group(conn, sha, changeset)?;
    }
    tx.commit()?;
    Ok(shared.len())
}

/// Every content key in order, read from the content-key index alone (no table, no sort).
const KEYS_IN_ORDER: &str =
    "SELECT content_key FROM assets WHERE content_key IS NOT NULL ORDER BY content_key";

/// The content keys two or more assets share: neighbours in the index's order, found here
/// as the keys stream past. SQLite's `GROUP BY content_key HAVING count(*) > 1` over the
/// same index took three times as long as reading the keys (a million, in the `sqlite3`
/// shell: 0.75 s against 0.23 s).
fn shared_keys(conn: &Connection) -> Result<Vec<i64>> {
    let mut st = conn.prepare(KEYS_IN_ORDER)?;
    let mut rows = st.query([])?;
    let (mut shared, mut last) = (Vec::new(), None);
    while let Some(r) = rows.next()? {
        let k: i64 = r.get(0)?;
        if last == Some(k) && shared.last() != Some(&k) {
            shared.push(k);
        }
        last = Some(k);
    }
    Ok(shared)
}

/// Up to two members of a content group, with their canonical flags.
fn first_two(conn: &Connection, sha: &str) -> Result<Vec<(i64, bool)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, canonical FROM assets WHERE content_key = ?2 AND sha256 = ?1 AND size > 0 LIMIT 2",
    )?;
    let few = st
        .query_map(params![sha, key(Some(sha))], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(few)
}

/// The canonical copy is nobody's duplicate: its pending question goes.
fn drop_pending_duplicate(conn: &Connection, asset: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM review_items WHERE asset_id = ?1 AND reason = 'duplicate_content' AND status = 'pending'",
    )?
    .execute([asset])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::paging::Dir;
    use crate::catalog::views::{self, AssetFilter};
    use crate::catalog::{changesets, dupes, sources};
    use crate::model::{ChangesetKind, CollectionKind};

    fn hash(c: char) -> String {
        c.to_string().repeat(64)
    }

    /// Files `name → content`, written as a scan writes them (hash and key, canonical).
    fn put(conn: &Connection, files: &[(&str, char)]) {
        for (name, c) in files {
            let sha = hash(*c);
            conn.execute(
                "INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen,
                                     last_seen, sha256, content_key)
                 VALUES (1, CAST(?1 AS BLOB), 10, 1, 'video', '2024', '2024', ?2, ?3)",
                params![name, sha, key(Some(&sha))],
            )
            .unwrap();
        }
    }

    fn listed(conn: &Connection) -> Vec<String> {
        let dup = AssetFilter {
            duplicates: true,
            ..AssetFilter::default()
        };
        let rows = views::assets(conn, &dup, Dir::First, None, 50).unwrap();
        assert_eq!(views::count_assets(conn, &dup).unwrap(), rows.len() as i64);
        rows.iter()
            .map(|r| String::from_utf8_lossy(&r.rel_path).into_owned())
            .collect()
    }

    fn pending(conn: &Connection) -> i64 {
        conn.query_row(
            "SELECT count(*) FROM review_items WHERE reason = 'duplicate_content' AND status = 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// A first scan writes without the content-key index and leaves its groups (the screens'
    /// duplicates filter shows none meanwhile; `shelf dupes` lists them, without canonical
    /// copies worked out); at its end the index is back,
    /// each group has one canonical copy and its other copies are in review. A later scan
    /// keeps the index.
    #[test]
    fn a_first_scan_groups_its_copies_at_its_end() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let c = sources::add_filesystem(&conn, "s", b"/m", CollectionKind::Mixed).unwrap();
        assert_eq!(c.id.0, 1, "the collection `put` writes to");
        let changeset = changesets::begin(&conn, ChangesetKind::Scan, "scan").unwrap();
        assert!(defer_index(&conn).unwrap(), "an empty catalog");
        assert!(!indexed(&conn).unwrap());
        put(
            &conn,
            &[("a", 'a'), ("b", 'a'), ("c", 'c'), ("d", 'a'), ("e", 'e')],
        );
        put(&conn, &[("f", 'e')]);
        let copies = ["a", "b", "d", "e", "f"];
        assert!(listed(&conn).is_empty(), "the filter waits for the end");
        let sizes: Vec<usize> = dupes::groups(&conn)
            .unwrap()
            .iter()
            .map(|g| g.members.len())
            .collect();
        assert_eq!(sizes, [3, 2]);
        assert_eq!(pending(&conn), 0, "groups wait for the end");

        let settings = |conn: &Connection| {
            ["temp_store", "threads", "cache_size"].map(|p| -> i64 {
                conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
                    .unwrap()
            })
        };
        conn.execute_batch("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8192")
            .unwrap();
        let before = settings(&conn);
        assert_eq!(build_index(&conn, changeset).unwrap(), 2);
        assert!(indexed(&conn).unwrap());
        assert_eq!(settings(&conn), before, "the sort's settings are put back");
        assert_eq!(listed(&conn), copies);
        assert_eq!(pending(&conn), 3);
        let canonical: Vec<String> = conn
            .prepare("SELECT CAST(rel_path AS TEXT) FROM assets WHERE canonical = 1 ORDER BY 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(canonical, ["a", "c", "e"]);
        let plan =
            crate::catalog::paging::plan(&conn, "SELECT id FROM assets WHERE content_key = 1");
        assert!(plan.contains("ix_assets_content"), "{plan}");
        let plan = crate::catalog::paging::plan(&conn, KEYS_IN_ORDER);
        assert!(
            plan.contains("COVERING INDEX ix_assets_content") && !plan.contains("TEMP B-TREE"),
            "the keys come from the index alone, in its order: {plan}"
        );

        assert_eq!(build_index(&conn, changeset).unwrap(), 0, "already there");
        assert!(
            !defer_index(&conn).unwrap(),
            "files cataloged: a later scan"
        );
        assert!(indexed(&conn).unwrap());
    }

    /// A copy whose duplicate question a person answered is not asked again when its group
    /// changes (a third copy found), nor when the group is worked out again.
    #[test]
    fn a_decided_copy_is_not_asked_again() {
        use crate::catalog::decide::{Decision, decide};
        let conn = crate::catalog::open_in_memory().unwrap();
        sources::add_filesystem(&conn, "s", b"/m", CollectionKind::Mixed).unwrap();
        let scan = changesets::begin(&conn, ChangesetKind::Scan, "scan").unwrap();
        put(&conn, &[("a", 'a'), ("b", 'a')]);
        assert_eq!(refresh(&conn, &hash('a'), scan).unwrap(), 2);
        assert_eq!(pending(&conn), 1, "b is a's copy");
        let item: i64 = conn
            .query_row(
                "SELECT id FROM review_items WHERE status = 'pending'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let review = changesets::begin(&conn, ChangesetKind::Review, "review").unwrap();
        decide(&conn, review, item, &Decision::Reject, Some("keep both")).unwrap();
        assert_eq!(pending(&conn), 0);

        put(&conn, &[("c", 'a')]);
        let c: i64 = conn
            .query_row("SELECT max(id) FROM assets", [], |r| r.get(0))
            .unwrap();
        assert_eq!(joined(&conn, c, &hash('a'), scan).unwrap(), 3);
        assert_eq!(refresh(&conn, &hash('a'), scan).unwrap(), 3);
        let asked: Vec<String> = conn
            .prepare(
                "SELECT CAST(a.rel_path AS TEXT) FROM review_items r JOIN assets a ON a.id = r.asset_id
                 WHERE r.status = 'pending' ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(asked, ["c"], "the new copy only; b's answer stands");
    }

    /// Each copy's question is looked up by its asset, not among every copy's question.
    #[test]
    fn a_copys_answer_is_read_by_its_asset() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let plan = crate::catalog::paging::plan(&conn, DECIDED);
        assert!(plan.contains("ix_review_asset (asset_id=?)"), "{plan}");
    }
}
