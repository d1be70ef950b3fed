//! The rows the terminal UI's Library and Assets show, a page at a time, by key (`paging`):
//! scrolling costs the same at row 10 and at row 1,000,000.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Result;
pub use super::paging::Dir;
pub(crate) use super::paging::Key;
use super::paging::{page_sql, run_page};
use crate::model::{MediaKind, TitleKind};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleListRow {
    pub id: i64,
    pub kind: TitleKind,
    pub name: String,
    pub year: Option<u32>,
    pub sort: String,
    pub seasons: i64,
    /// It has episodes numbered without a season (absolute numbers only).
    pub unseasoned: bool,
    /// How many files the title has; counted apart (`title_files`), `None` until then.
    pub files: Option<i64>,
}

impl TitleListRow {
    pub fn key(&self) -> Key {
        Key::Title(self.sort.clone(), self.id)
    }
}

/// Whether episode `e` has no season. Only an absolute-numbered episode has none
/// (`library::ensure_episode`), and saying so lets the query read `ix_episodes_absolute`
/// (title, absolute number): a show without one costs a lookup, not a walk of its episodes.
macro_rules! unseasoned {
    () => {
        "e.absolute_number IS NOT NULL AND e.season_id IS NULL"
    };
}

/// A title row's columns (of `titles t`), in `title_item`'s order: id, kind, name, year,
/// sort name, seasons, whether it has episodes without a season.
const TITLE_COLS: &str = concat!(
    "t.id, t.kind, t.name, t.year, t.sort_name,
     (SELECT count(*) FROM seasons s WHERE s.title_id = t.id),
     EXISTS (SELECT 1 FROM episodes e WHERE e.title_id = t.id AND ",
    unseasoned!(),
    ")"
);

/// A title row, from `TITLE_COLS`.
fn title_item(r: &rusqlite::Row<'_>) -> rusqlite::Result<TitleListRow> {
    Ok(TitleListRow {
        id: r.get(0)?,
        kind: super::kind_at(r, 1)?,
        name: r.get(2)?,
        year: r.get(3)?,
        sort: r.get(4)?,
        seasons: r.get(5)?,
        unseasoned: r.get(6)?,
        files: None,
    })
}

/// A page of titles in sort order.
pub(crate) fn titles(
    conn: &Connection,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<TitleListRow>> {
    // Without the file counts: a long-running show has thousands of files, and counting
    // them for a whole page would hold up the rows (`title_files` counts them apart).
    let base = format!("SELECT {TITLE_COLS} FROM titles t WHERE 1");
    let sql = page_sql(
        &base,
        "t.sort_name, t.id",
        dir,
        "t.sort_name DESC, t.id DESC",
    );
    let mut binds: Vec<rusqlite::types::Value> = Vec::new();
    if let (Dir::After | Dir::Before | Dir::From, Some(Key::Title(s, id))) = (dir, key) {
        binds.extend([s.clone().into(), (*id).into()]);
    }
    binds.push((limit as i64).into());
    run_page(conn, &sql, binds, dir, title_item)
}

/// How many files each of these titles has (its own and its episodes').
pub(crate) fn title_files(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT (SELECT count(*) FROM title_assets ta WHERE ta.title_id = ?1)
              + (SELECT count(*) FROM episodes e JOIN episode_assets ea ON ea.episode_id = e.id
                 WHERE e.title_id = ?1)",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push((*id, st.query_row([id], |r| r.get(0))?));
    }
    Ok(out)
}

/// How many titles the catalog has.
pub(crate) fn count_titles(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM titles")?
        .query_row([], |r| r.get(0))?)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeasonRow {
    /// `None`: the title's episodes numbered without a season (an anime's absolute
    /// numbers, `[Group] Show - 12`), listed as one group after the seasons.
    pub id: Option<i64>,
    /// `None` for that group.
    pub number: Option<u32>,
    pub episodes: i64,
}

/// The season-less group's place among a title's seasons: after every numbered one.
const NO_SEASON: i64 = u32::MAX as i64 + 1;

impl SeasonRow {
    pub fn key(&self) -> Key {
        Key::Season(self.number.map_or(NO_SEASON, i64::from))
    }
}

/// A page of a title's seasons in number order (a daily show has one per year), then its
/// episodes that have no season, as one row, when it has any.
pub(crate) fn seasons(
    conn: &Connection,
    title: i64,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<SeasonRow>> {
    let base = format!(
        "SELECT id, k, n FROM (
           SELECT s.id AS id, s.number AS k,
                  (SELECT count(*) FROM episodes e WHERE e.season_id = s.id) AS n
             FROM seasons s WHERE s.title_id = ?1
           UNION ALL
           SELECT NULL, {NO_SEASON}, count(*) FROM episodes e
            WHERE e.title_id = ?1 AND {} HAVING count(*) > 0)
         WHERE 1",
        unseasoned!()
    );
    let sql = page_sql(&base, "k", dir, "k DESC");
    let mut binds: Vec<rusqlite::types::Value> = vec![title.into()];
    if let (Dir::After | Dir::Before | Dir::From, Some(Key::Season(n))) = (dir, key) {
        binds.push((*n).into());
    }
    binds.push((limit as i64).into());
    run_page(conn, &sql, binds, dir, |r| {
        let id: Option<i64> = r.get(0)?;
        Ok(SeasonRow {
            id,
            number: match id {
                Some(_) => Some(r.get(1)?),
                None => None,
            },
            episodes: r.get(2)?,
        })
    })
}

/// How many rows a title's seasons list has: its seasons, and the season-less group.
pub(crate) fn count_seasons(conn: &Connection, title: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(concat!(
            "SELECT (SELECT count(*) FROM seasons WHERE title_id = ?1)
                      + EXISTS (SELECT 1 FROM episodes e WHERE e.title_id = ?1 AND ",
            unseasoned!(),
            ")"
        ))?
        .query_row([title], |r| r.get(0))?)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpisodeRow {
    pub id: i64,
    pub number: Option<u32>,
    pub absolute: Option<u32>,
    pub name: Option<String>,
    pub air_date: Option<String>,
    pub files: i64,
}

impl EpisodeRow {
    pub(crate) fn key(&self) -> Key {
        Key::Episode(
            self.number.map_or(-1, i64::from),
            self.air_date.clone().unwrap_or_default(),
            self.absolute.map_or(-1, i64::from),
            self.id,
        )
    }
}

/// The episodes of a season (or, with `season` None, a title's episodes without one), in
/// (number, air date, absolute number) order.
const EPISODES: &str = "SELECT e.id, e.number, e.absolute_number, e.name, e.air_date,
                (SELECT count(*) FROM episode_assets ea WHERE ea.episode_id = e.id)
         FROM episodes e WHERE e.title_id = ?1 AND (e.season_id = ?2 OR (?2 IS NULL AND e.season_id IS NULL))";

/// A page of a season's episodes: a daily show's season can hold thousands.
pub(crate) fn episodes(
    conn: &Connection,
    title: i64,
    season: Option<i64>,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<EpisodeRow>> {
    let order =
        "coalesce(e.number, -1), coalesce(e.air_date, ''), coalesce(e.absolute_number, -1), e.id";
    let desc = "coalesce(e.number, -1) DESC, coalesce(e.air_date, '') DESC, coalesce(e.absolute_number, -1) DESC, e.id DESC";
    let sql = page_sql(EPISODES, order, dir, desc);
    let mut binds: Vec<rusqlite::types::Value> = vec![title.into(), season.into()];
    match (dir, key) {
        (Dir::After | Dir::Before | Dir::From, Some(Key::Episode(n, d, a, id))) => {
            binds.extend([(*n).into(), d.clone().into(), (*a).into(), (*id).into()]);
        }
        (Dir::After | Dir::Before | Dir::From, _) => {
            return episodes(conn, title, season, Dir::First, None, limit);
        }
        _ => {}
    }
    binds.push((limit as i64).into());
    run_page(conn, &sql, binds, dir, |r| {
        Ok(EpisodeRow {
            id: r.get(0)?,
            number: r.get(1)?,
            absolute: r.get(2)?,
            name: r.get(3)?,
            air_date: r.get(4)?,
            files: r.get(5)?,
        })
    })
}

/// How many episodes `episodes` pages through.
pub(crate) fn count_episodes(conn: &Connection, title: i64, season: Option<i64>) -> Result<i64> {
    Ok(conn
        .prepare_cached(&format!("SELECT count(*) FROM ({EPISODES})"))?
        .query_row(params![title, season], |r| r.get(0))?)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetListRow {
    pub id: i64,
    pub collection_id: i64,
    pub rel_path: Vec<u8>,
    pub path: Vec<u8>,
    pub kind: String,
    pub size: i64,
    pub duration_ms: Option<i64>,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub sha256: Option<String>,
    /// Cataloged by fingerprint; its full hash is read by a later phase or scan.
    pub hash_pending: bool,
    pub canonical: bool,
    pub missing: bool,
    pub has_errors: bool,
    pub error: Option<String>,
    pub probe_failed: bool,
    pub captured_at: Option<String>,
    pub extra: Option<String>,
    /// The name the host behind a path mapping knows it by: as a media server reported it,
    /// else through the mappings (filled by the UI's data thread).
    pub remote: Option<String>,
}

impl AssetListRow {
    /// Its place in the Assets pane, which sorts by path or (photos) by capture date.
    pub fn key(&self, f: &AssetFilter) -> Key {
        if f.by_captured {
            Key::Captured(self.captured_at.clone().unwrap_or_default(), self.id)
        } else {
            Key::Asset(self.collection_id, self.rel_path.clone())
        }
    }
}

const ASSET_COLS: &str = concat!(
    "a.id, a.collection_id, a.rel_path,
    ",
    full_path_sql!(),
    ",
    a.kind, a.size, a.duration_ms, a.video_codec, a.audio_codec, a.width, a.height, a.sha256, a.canonical,
    a.missing_since IS NOT NULL, a.has_errors, coalesce(a.error_message, ",
    probe_error_sql!(),
    "), a.probe_failed,
    a.captured_at, a.extra, a.sha256 IS NULL AND a.fingerprint IS NOT NULL, a.remote_path"
);

fn asset_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AssetListRow> {
    Ok(AssetListRow {
        id: r.get(0)?,
        collection_id: r.get(1)?,
        rel_path: r.get(2)?,
        path: r.get(3)?,
        kind: r.get(4)?,
        size: r.get(5)?,
        duration_ms: r.get(6)?,
        video_codec: r.get(7)?,
        audio_codec: r.get(8)?,
        width: r.get(9)?,
        height: r.get(10)?,
        sha256: r.get(11)?,
        canonical: r.get(12)?,
        missing: r.get(13)?,
        has_errors: r.get(14)?,
        error: r.get(15)?,
        probe_failed: r.get(16)?,
        captured_at: r.get(17)?,
        extra: r.get(18)?,
        hash_pending: r.get(19)?,
        remote: r.get(20)?,
    })
}

/// Which assets the Assets pane shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssetFilter {
    pub search: String,
    pub kind: Option<MediaKind>,
    pub missing: bool,
    pub duplicates: bool,
    pub errors: bool,
    pub unidentified: bool,
    /// Photos only, oldest capture first (undated ones lead).
    pub by_captured: bool,
}

impl AssetFilter {
    fn sql(&self) -> String {
        let mut w = String::from(" WHERE 1");
        if !self.search.is_empty() {
            w.push_str(" AND instr(lower(CAST(a.rel_path AS TEXT)), lower(?)) > 0");
        }
        if self.by_captured {
            // Served by ix_assets_photos_captured, which holds photos only: SQLite uses a
            // partial index only when the query's text implies its condition, so the kind is
            // written here, not bound.
            w.push_str(&format!(" AND a.kind = '{}'", MediaKind::Image.as_str()));
        } else if self.kind.is_some() {
            // Served by ix_assets_kind_path: the kind's rows, already in list order.
            w.push_str(" AND a.kind = ?");
        }
        if self.missing {
            w.push_str(" AND a.missing_since IS NOT NULL");
        }
        if self.errors {
            w.push_str(" AND (a.has_errors = 1 OR a.probe_failed = 1)");
        }
        if self.duplicates {
            w.push_str(" AND a.size > 0 AND EXISTS(SELECT 1 FROM assets d WHERE d.content_key = a.content_key AND d.sha256 = a.sha256 AND d.id != a.id)");
        }
        if self.unidentified {
            w.push_str(
                " AND a.kind = 'video' AND a.extra IS NULL
                         AND NOT EXISTS(SELECT 1 FROM episode_assets ea WHERE ea.asset_id = a.id)
                         AND NOT EXISTS(SELECT 1 FROM title_assets ta WHERE ta.asset_id = a.id)",
            );
        }
        w
    }

    fn binds(&self) -> Vec<rusqlite::types::Value> {
        let mut v: Vec<rusqlite::types::Value> = Vec::new();
        if !self.search.is_empty() {
            v.push(self.search.clone().into());
        }
        if let Some(k) = self.kind.filter(|_| !self.by_captured) {
            v.push(k.as_str().to_owned().into());
        }
        v
    }
}

/// While a first scan writes, its copies are not grouped yet (`content::defer_index`): the
/// duplicates filter shows none until its end, rather than every copy as canonical, found
/// by sorting the whole table at each refresh of the screen (a million-file first scan with
/// the filter on took 77 s, against 46 s with the index and 22 s without the screen).
fn duplicates_pending(conn: &Connection, f: &AssetFilter) -> Result<bool> {
    Ok(f.duplicates && !super::content::indexed(conn)?)
}

/// A page of assets in (collection, path) order.
pub(crate) fn assets(
    conn: &Connection,
    f: &AssetFilter,
    dir: Dir,
    key: Option<&Key>,
    limit: usize,
) -> Result<Vec<AssetListRow>> {
    if duplicates_pending(conn, f)? {
        return Ok(Vec::new());
    }
    let sql = assets_page_sql(f, dir);
    let mut binds = f.binds();
    match (dir, key) {
        (Dir::After | Dir::Before | Dir::From, Some(Key::Asset(c, p))) if !f.by_captured => {
            binds.push((*c).into());
            binds.push(p.clone().into());
        }
        (Dir::After | Dir::Before | Dir::From, Some(Key::Captured(at, id))) if f.by_captured => {
            binds.push(at.clone().into());
            binds.push((*id).into());
        }
        // An anchor from the other order: start over at the top.
        (Dir::After | Dir::Before | Dir::From, _) => {
            return assets(conn, f, Dir::First, None, limit);
        }
        _ => {}
    }
    binds.push((limit as i64).into());
    run_page(conn, &sql, binds, dir, asset_row)
}

/// A page of assets' statement: by capture time for the photo timeline, else by place.
fn assets_page_sql(f: &AssetFilter, dir: Dir) -> String {
    let base = format!(
        "SELECT {ASSET_COLS} FROM assets a JOIN collections c ON c.id = a.collection_id{}",
        f.sql()
    );
    if f.by_captured {
        page_sql(
            &base,
            "coalesce(a.captured_at, ''), a.id",
            dir,
            "coalesce(a.captured_at, '') DESC, a.id DESC",
        )
    } else {
        page_sql(
            &base,
            "a.collection_id, a.rel_path",
            dir,
            "a.collection_id DESC, a.rel_path DESC",
        )
    }
}

/// How many assets a filter shows (the pane's length; counted apart from paging).
pub(crate) fn count_assets(conn: &Connection, f: &AssetFilter) -> Result<i64> {
    if duplicates_pending(conn, f)? {
        return Ok(0);
    }
    let sql = format!("SELECT count(*) FROM assets a{}", f.sql());
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(f.binds()), |r| r.get(0))?)
}

/// At most this many files of one episode or movie are listed beside it.
pub(crate) const FILES_SHOWN: usize = 200;

/// The files behind an episode, or a movie title's own files (the canonical first; at most
/// `FILES_SHOWN`).
pub(crate) fn assets_of(
    conn: &Connection,
    episode: Option<i64>,
    movie: Option<i64>,
) -> Result<Vec<AssetListRow>> {
    let sql = format!(
        "SELECT {ASSET_COLS} FROM assets a JOIN collections c ON c.id = a.collection_id
         WHERE a.id IN (SELECT asset_id FROM episode_assets WHERE episode_id = ?1
                        UNION SELECT asset_id FROM title_assets WHERE title_id = ?2)
         ORDER BY a.canonical DESC, a.rel_path LIMIT {FILES_SHOWN}"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(params![episode, movie], asset_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Titles whose name starts like `prefix` (normalised), for completion in the editor.
pub(crate) fn title_completions(
    conn: &Connection,
    prefix: &str,
    limit: usize,
) -> Result<Vec<TitleListRow>> {
    let norm = crate::identify::normalise_title(prefix);
    if norm.is_empty() {
        return Ok(Vec::new());
    }
    let mut st = conn.prepare_cached(&format!(
        "SELECT {TITLE_COLS} FROM titles t
         WHERE t.norm_name >= ?1 AND t.norm_name < ?1 || X'ff' ORDER BY t.norm_name, t.year LIMIT ?2"
    ))?;
    let rows = st.query_map(params![norm, limit as i64], title_item)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::paging::plan;

    /// The Assets screen says why a file waiting for ffprobe was not read, from its flag
    /// (no row stores the sentence, migration 0019); a file's own error comes first.
    #[test]
    fn a_file_waiting_for_ffprobe_is_said_to_from_its_flag() {
        let conn = crate::catalog::open_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO sources (name, kind, created_at, updated_at) VALUES ('s', 'filesystem', 'now', 'now');
             INSERT INTO collections (source_id, external_id, name, root, created_at, updated_at)
                 VALUES (1, 'x', 's', X'2f6d', 'now', 'now');
             INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen,
                                 needs_ffprobe, has_errors, error_message)
             VALUES (1, X'612e6d6b76', 1, 1, 'video', '2024', '2024', 1, 0, NULL),
                    (1, X'622e6d6b76', 1, 1, 'video', '2024', '2024', 0, 0, NULL),
                    (1, X'632e6d6b76', 1, 1, 'video', '2024', '2024', 1, 1, 'unreadable');",
        )
        .unwrap();
        let rows = assets(&conn, &AssetFilter::default(), Dir::First, None, 10).unwrap();
        let said: Vec<Option<&str>> = rows.iter().map(|r| r.error.as_deref()).collect();
        assert_eq!(
            said,
            vec![
                Some(crate::catalog::needs_ffprobe_text!()),
                None,
                Some("unreadable")
            ]
        );
    }

    /// The photo timeline reads the index that holds photos only (migration 0017), in
    /// order, in every direction; a listing of one kind reads the kind's index. A plan
    /// without them would read every asset and sort it: at a million files, a second or more
    /// a page.
    #[test]
    fn asset_pages_read_their_index_in_order() {
        let conn = crate::catalog::open_in_memory().unwrap();
        let timeline = AssetFilter {
            by_captured: true,
            ..AssetFilter::default()
        };
        let videos = AssetFilter {
            kind: Some(MediaKind::Video),
            ..AssetFilter::default()
        };
        for (f, index) in [
            (timeline, "ix_assets_photos_captured"),
            (videos, "ix_assets_kind_path"),
        ] {
            for dir in Dir::ALL {
                let p = plan(&conn, &assets_page_sql(&f, dir));
                assert!(p.contains(index), "{dir:?}: {p}");
                assert!(!p.contains("TEMP B-TREE"), "{dir:?}: {p}");
            }
        }
    }

    /// Episodes numbered without a season (an anime's `[Group] Show - 12`) are one row
    /// after the seasons, reached from every direction a page is read in; a title with
    /// none has no such row.
    #[test]
    fn season_less_episodes_are_one_row_after_the_seasons() {
        let conn = crate::catalog::open_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO titles (id, kind, name, norm_name, sort_name, created_at, updated_at)
                 VALUES (1, 'show', 'Mixed', 'mixed', 'mixed', 'x', 'x'),
                        (2, 'show', 'Plain', 'plain', 'plain', 'x', 'x');
             INSERT INTO seasons (id, title_id, number, created_at)
                 VALUES (10, 1, 1, 'x'), (11, 1, 2, 'x'), (20, 2, 1, 'x');
             INSERT INTO episodes (title_id, season_id, number, absolute_number, created_at, updated_at)
                 VALUES (1, 10, 1, NULL, 'x', 'x'), (1, 11, 1, NULL, 'x', 'x'),
                        (1, NULL, NULL, 25, 'x', 'x'), (1, NULL, NULL, 26, 'x', 'x'),
                        (2, 20, 1, NULL, 'x', 'x');",
        )
        .unwrap();
        let numbers = |rows: Vec<SeasonRow>| -> Vec<(Option<u32>, i64)> {
            rows.into_iter().map(|r| (r.number, r.episodes)).collect()
        };
        let all = vec![(Some(1), 1), (Some(2), 1), (None, 2)];
        let page =
            |dir, key: Option<Key>, n| numbers(seasons(&conn, 1, dir, key.as_ref(), n).unwrap());
        assert_eq!(page(Dir::First, None, 10), all);
        assert_eq!(page(Dir::Last, None, 1), vec![(None, 2)]);
        assert_eq!(page(Dir::After, Some(Key::Season(2)), 10), vec![(None, 2)]);
        let group = seasons(&conn, 1, Dir::Last, None, 1).unwrap().remove(0);
        assert_eq!(group.id, None);
        assert_eq!(page(Dir::Before, Some(group.key()), 10), all[..2].to_vec());
        assert_eq!(page(Dir::From, Some(group.key()), 10), vec![(None, 2)]);
        assert_eq!(count_seasons(&conn, 1).unwrap(), 3);
        // Its episodes are the ones without a season.
        let eps = episodes(&conn, 1, None, Dir::First, None, 10).unwrap();
        let abs: Vec<Option<u32>> = eps.iter().map(|e| e.absolute).collect();
        assert_eq!(abs, vec![Some(25), Some(26)]);
        // A title whose episodes all have seasons.
        assert_eq!(
            numbers(seasons(&conn, 2, Dir::First, None, 10).unwrap()),
            vec![(Some(1), 1)]
        );
        assert_eq!(count_seasons(&conn, 2).unwrap(), 1);
        let listed = titles(&conn, Dir::First, None, 10).unwrap();
        let marks: Vec<(i64, bool)> = listed.iter().map(|t| (t.seasons, t.unseasoned)).collect();
        assert_eq!(marks, vec![(2, true), (1, false)]);
        // Asked of every title on a page: answered from the index, a show's other episodes
        // not read.
        let p = plan(&conn, &format!("SELECT {TITLE_COLS} FROM titles t"));
        assert!(
            p.contains("ix_episodes_absolute (title_id=? AND absolute_number>?)"),
            "{p}"
        );
    }
}
