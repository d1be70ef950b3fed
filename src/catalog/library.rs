//! Titles → seasons → episodes and the links from assets to them. Titles match by their
//! normalised name (case, punctuation, a leading "The", "&"/"and" folded) and year: the same
//! name with different years is two titles. A manual change records its history (so it can
//! be undone); a scan's links are `source = 'scan'` and may be replaced by the next scan, a
//! person's are `manual` and never are.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

use super::Result;
use super::history::{self, Entity, Entry};
use crate::identify::normalise_title;
use crate::model::TitleKind;
use crate::time;

/// Who is writing: a scan, or a person within a changeset whose history is kept; and, for
/// a scan's writer, what its transaction has already looked up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Author<'m> {
    pub changeset: i64,
    pub manual: bool,
    pub memo: Option<&'m Memo>,
}

/// What one of a scan's transactions has already found: the titles a name (as the scan
/// wrote it, of a kind) matches, and the seasons by title and number. A scan names
/// thousands of files of one show and season in a row, and each asked the catalog again:
/// the name's normal form and two indexed lookups, 11% of the writer's CPU in a first scan.
/// Only the scan writes inside its transaction: a title it creates or dates forgets the
/// titles found (any name may match it now), a season it creates is remembered. A person's
/// edits run between transactions, and each transaction starts a new memo.
///
/// A new season's new episodes and their first links are not written at once: they wait
/// here (with the ids SQLite would give them) and `flush` writes them many rows to a
/// statement, before anything else could read them (the writer flushes before every
/// message that is not a new file, and at each batch's end; the paths here that would read
/// or number episodes flush first).
#[derive(Debug)]
pub(crate) struct Memo {
    titles: RefCell<HashMap<(TitleKind, String), Vec<TitleRow>>>,
    seasons: RefCell<HashMap<(i64, u32), SeasonSeen>>,
    waiting: RefCell<Waiting>,
    /// The transaction's time, which the waiting episodes are written with (as its files
    /// are: one clock reading per transaction, not one per episode).
    now: String,
}

/// Rows a scan's transaction has decided on and not written yet.
#[derive(Debug, Default)]
struct Waiting {
    /// In id order: the first one past the largest written, then counting.
    episodes: Vec<NewEpisode>,
    links: Vec<NewLink>,
}

#[derive(Debug)]
struct NewEpisode {
    id: i64,
    title: i64,
    season: i64,
    number: u32,
    absolute: Option<u32>,
    name: Option<String>,
}

/// A link to a waiting episode: its first, so canonical.
#[derive(Debug)]
struct NewLink {
    episode: i64,
    asset: i64,
    confidence: f64,
    changeset: i64,
}

impl Memo {
    /// A transaction's memo, nothing found yet; `now` is its time.
    pub(crate) fn new(now: &str) -> Self {
        Self {
            titles: RefCell::default(),
            seasons: RefCell::default(),
            waiting: RefCell::default(),
            now: now.to_owned(),
        }
    }

    /// Writes the waiting episodes, then their links.
    pub(crate) fn flush(&self, conn: &Connection) -> Result<()> {
        let mut w = self.waiting.borrow_mut();
        if w.episodes.is_empty() && w.links.is_empty() {
            return Ok(());
        }
        super::insert_many(
            conn,
            // As `assets::insert_new`, without a statement journal: OR FAIL (any conflict
            // ends the transaction, which rolls back all of it) and the ids SQLite gives.
            "INSERT OR FAIL INTO episodes (title_id, season_id, number, absolute_number, name, created_at, updated_at)",
            "(?,?,?,?,?,?,?)",
            &w.episodes,
            |st, at, e| {
                st.raw_bind_parameter(at, e.title)?;
                st.raw_bind_parameter(at + 1, e.season)?;
                st.raw_bind_parameter(at + 2, e.number)?;
                st.raw_bind_parameter(at + 3, e.absolute)?;
                st.raw_bind_parameter(at + 4, e.name.as_deref())?;
                st.raw_bind_parameter(at + 5, self.now.as_str())?;
                st.raw_bind_parameter(at + 6, self.now.as_str())
            },
        )?;
        if let Some(last) = w.episodes.last() {
            super::numbered_as_counted(conn, "episodes", last.id)?;
        }
        super::insert_many(
            conn,
            "INSERT OR IGNORE INTO episode_assets (episode_id, asset_id, canonical, source, confidence, changeset_id)",
            "(?,?,1,'scan',?,?)",
            &w.links,
            |st, at, l| {
                st.raw_bind_parameter(at, l.episode)?;
                st.raw_bind_parameter(at + 1, l.asset)?;
                st.raw_bind_parameter(at + 2, l.confidence)?;
                st.raw_bind_parameter(at + 3, l.changeset)
            },
        )?;
        w.episodes.clear();
        w.links.clear();
        Ok(())
    }

    /// Whether a link of `asset` waits to be written.
    pub(crate) fn links_waiting(&self, asset: i64) -> bool {
        self.waiting
            .borrow()
            .links
            .iter()
            .rev()
            .any(|l| l.asset == asset)
    }

    /// Episode `number` of season `season` (id `season_id`) of `title`, a season this
    /// transaction created, left waiting: its id (none when the ids have run out, and then
    /// it is written at once).
    fn wait_episode(
        &self,
        conn: &Connection,
        title: i64,
        (season_id, season): (i64, u32),
        (number, absolute): (u32, Option<u32>),
        name: Option<&str>,
    ) -> Result<Option<i64>> {
        let last = self.waiting.borrow().episodes.last().map(|e| e.id);
        let top = match last {
            Some(id) => id,
            None => conn
                .prepare_cached("SELECT coalesce(max(id), 0) FROM episodes")?
                .query_row([], |r| r.get(0))?,
        };
        let Some(id) = top.checked_add(1) else {
            return Ok(None);
        };
        self.waiting.borrow_mut().episodes.push(NewEpisode {
            id,
            title,
            season: season_id,
            number,
            absolute,
            name: name.map(str::to_owned),
        });
        self.made(title, season, number, id);
        Ok(Some(id))
    }

    /// Episode `number` (id `id`) made by this transaction in season `season` of `title`:
    /// remembered when the transaction made the season too.
    fn made(&self, title: i64, season: u32, number: u32, id: i64) {
        if let Some(SeasonSeen {
            created: Some(eps), ..
        }) = self.seasons.borrow_mut().get_mut(&(title, season))
        {
            eps.insert(number, id);
        }
    }

    /// Whether an episode of `title` waits to be written.
    fn waits_for(&self, title: i64) -> bool {
        self.waiting
            .borrow()
            .episodes
            .iter()
            .any(|e| e.title == title)
    }

    fn episode_waits(&self, id: i64) -> bool {
        self.waiting
            .borrow()
            .episodes
            .iter()
            .rev()
            .any(|e| e.id == id)
    }
}

/// A season a transaction met.
#[derive(Debug)]
struct SeasonSeen {
    id: i64,
    /// When the transaction created it: the episodes it created in it, by number. A new
    /// season holds no other, so its episodes are not looked up (a first scan's every file).
    created: Option<HashMap<u32, i64>>,
}

impl<'m> Author<'m> {
    /// The scan created or dated a title: any name may match it now, so its transaction's
    /// memo forgets every name's titles.
    fn titles_changed(self) {
        if let Some(m) = self.memo {
            m.titles.borrow_mut().clear();
        }
    }

    /// Whether season `season` of `title` is one this transaction created, and then the
    /// episode it created there with this number, if any.
    fn in_new_season(self, title: i64, season: u32, number: u32) -> Option<Option<i64>> {
        let seasons = self.memo?.seasons.borrow();
        let created = seasons.get(&(title, season))?.created.as_ref()?;
        Some(created.get(&number).copied())
    }

    /// The memo a scan's rows may wait in (a person's edits are written at once).
    fn waiting_room(self) -> Option<&'m Memo> {
        self.memo.filter(|_| !self.manual)
    }

    /// Writes what waits, before a statement that could read it or number an episode.
    fn settle(self, conn: &Connection) -> Result<()> {
        match self.memo {
            Some(m) => m.flush(conn),
            None => Ok(()),
        }
    }

    fn source(self) -> &'static str {
        if self.manual { "manual" } else { "scan" }
    }

    fn record(self, conn: &Connection, e: Entry<'_>) -> Result<()> {
        if self.manual {
            history::record(conn, self.changeset, e)?;
        }
        Ok(())
    }

    /// Records a new row when a person made it; what the row holds is built only then (a
    /// scan inserts an episode and a link for most files it names, and keeps no history).
    fn record_insert(
        self,
        conn: &Connection,
        entity: Entity,
        id: i64,
        after: impl FnOnce() -> serde_json::Value,
    ) -> Result<()> {
        if self.manual {
            history::record(conn, self.changeset, Entry::insert(entity, id, &after()))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleRow {
    pub id: i64,
    pub kind: TitleKind,
    pub name: String,
    pub year: Option<u32>,
}

/// The names of every show in the catalog (for names that start with one).
pub(crate) fn show_names(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached("SELECT name FROM titles WHERE kind = 'show'")?;
    let rows = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How a name found its title.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TitleMatch {
    Found(i64),
    Created(i64),
    /// Several titles fit (the name without a year, and titles of several years exist).
    Ambiguous(Vec<TitleRow>),
}

/// A title's sort key: "The Office" sorts as "office".
fn sort_name(name: &str) -> String {
    let lower = name.to_lowercase();
    lower
        .strip_prefix("the ")
        .or_else(|| lower.strip_prefix("a "))
        .map(str::to_owned)
        .unwrap_or(lower)
}

/// The titles of `kind` whose normalised name is that of `name`, by year then age: from
/// the memo when the transaction has one and has looked before.
pub(crate) fn titles_named(
    conn: &Connection,
    memo: Option<&Memo>,
    kind: TitleKind,
    name: &str,
) -> Result<Vec<TitleRow>> {
    let key = (kind, name.to_owned());
    if let Some(found) = memo.and_then(|m| m.titles.borrow().get(&key).cloned()) {
        return Ok(found);
    }
    let found = titles_by_norm(conn, kind, &normalise_title(name))?;
    if let Some(m) = memo {
        m.titles.borrow_mut().insert(key, found.clone());
    }
    Ok(found)
}

fn titles_by_norm(conn: &Connection, kind: TitleKind, norm: &str) -> Result<Vec<TitleRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kind, name, year FROM titles WHERE norm_name = ?1 AND kind = ?2 ORDER BY year, id",
    )?;
    let rows = st.query_map(params![norm, kind.as_str()], |r| {
        Ok(TitleRow {
            id: r.get(0)?,
            kind: super::kind_at(r, 1)?,
            name: r.get(2)?,
            year: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn title(conn: &Connection, id: i64) -> Result<Option<TitleRow>> {
    Ok(conn
        .prepare_cached("SELECT id, kind, name, year FROM titles WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(TitleRow {
                id: r.get(0)?,
                kind: super::kind_at(r, 1)?,
                name: r.get(2)?,
                year: r.get(3)?,
            })
        })
        .optional()?)
}

/// Finds the title a name and year mean, creating it when none fits and `create` is set.
/// A year narrows: the title with that year, else one with no year yet (which then gets it).
/// No year: the only title of that name, else ambiguous.
pub(crate) fn resolve_title(
    conn: &Connection,
    w: Author<'_>,
    kind: TitleKind,
    name: &str,
    year: Option<u32>,
    create: bool,
) -> Result<TitleMatch> {
    let found = titles_named(conn, w.memo, kind, name)?;
    match year {
        Some(y) => {
            if let Some(t) = found.iter().find(|t| t.year == Some(y)) {
                return Ok(TitleMatch::Found(t.id));
            }
            let yearless: Vec<&TitleRow> = found.iter().filter(|t| t.year.is_none()).collect();
            if let [t] = yearless.as_slice()
                && found.len() == 1
            {
                let locked: bool =
                    conn.query_row("SELECT locked FROM titles WHERE id = ?1", [t.id], |r| {
                        r.get(0)
                    })?;
                if !locked {
                    w.titles_changed();
                    conn.execute(
                        "UPDATE titles SET year = ?2, updated_at = ?3 WHERE id = ?1",
                        params![t.id, y, time::now()],
                    )?;
                    w.record(
                        conn,
                        Entry::update(Entity::Title, t.id, "year", &json!(null), &json!(y)),
                    )?;
                }
                return Ok(TitleMatch::Found(t.id));
            }
        }
        None => match found.as_slice() {
            [t] => return Ok(TitleMatch::Found(t.id)),
            [] => {}
            many => return Ok(TitleMatch::Ambiguous(many.to_vec())),
        },
    }
    if !create {
        return Ok(TitleMatch::Ambiguous(found));
    }
    w.titles_changed();
    let norm = normalise_title(name);
    let now = time::now();
    conn.prepare_cached(
        "INSERT INTO titles (kind, name, norm_name, sort_name, year, locked, created_at, updated_at, created_changeset_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
    )?
    .execute(params![kind.as_str(), name, norm, sort_name(name), year, w.manual, now, w.changeset])?;
    let id = conn.last_insert_rowid();
    w.record_insert(
        conn,
        Entity::Title,
        id,
        || json!({"name": name, "year": year, "kind": kind}),
    )?;
    Ok(TitleMatch::Created(id))
}

/// The season row of a title, created when missing.
pub(crate) fn ensure_season(
    conn: &Connection,
    w: Author<'_>,
    title: i64,
    number: u32,
) -> Result<i64> {
    let remembered = |id: i64, created: bool| {
        if let Some(m) = w.memo {
            let created = created.then(HashMap::new);
            m.seasons
                .borrow_mut()
                .insert((title, number), SeasonSeen { id, created });
        }
        id
    };
    if let Some(id) = w
        .memo
        .and_then(|m| m.seasons.borrow().get(&(title, number)).map(|s| s.id))
    {
        return Ok(id);
    }
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM seasons WHERE title_id = ?1 AND number = ?2")?
        .query_row(params![title, number], |r| r.get(0))
        .optional()?
    {
        return Ok(remembered(id, false));
    }
    conn.prepare_cached("INSERT INTO seasons (title_id, number, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![title, number, time::now()])?;
    let id = remembered(conn.last_insert_rowid(), true);
    w.record_insert(
        conn,
        Entity::Season,
        id,
        || json!({"title_id": title, "number": number}),
    )?;
    Ok(id)
}

/// How an episode is found within its title.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum EpisodeKey<'a> {
    /// A season's episode; `absolute` its number in the whole show when the name says it
    /// too (`Show - S01E01 - 001 - Title`).
    Number {
        season: u32,
        number: u32,
        absolute: Option<u32>,
    },
    Date {
        date: &'a str,
    },
    Absolute {
        number: u32,
    },
}

/// The episode row, created when missing (`true` then). A name fills an empty name, never
/// replaces one.
pub(crate) fn ensure_episode(
    conn: &Connection,
    w: Author<'_>,
    title: i64,
    key: EpisodeKey<'_>,
    name: Option<&str>,
) -> Result<(i64, bool)> {
    let (existing, season_id): (Option<i64>, Option<i64>) = match key {
        EpisodeKey::Number {
            season,
            number,
            absolute,
        } => {
            let sid = ensure_season(conn, w, title, season)?;
            let id = match (w.in_new_season(title, season, number), w.waiting_room()) {
                // A second file of an episode this transaction made: what is linked to it
                // is asked next.
                (Some(Some(id)), _) => {
                    w.settle(conn)?;
                    Some(id)
                }
                (Some(None), Some(m)) => {
                    match adopt_seasonless(conn, w, title, (sid, season), number, absolute)? {
                        Some(id) => Some(id),
                        None => match m.wait_episode(
                            conn,
                            title,
                            (sid, season),
                            (number, absolute),
                            name,
                        )? {
                            Some(id) => return Ok((id, true)),
                            None => None,
                        },
                    }
                }
                (Some(None), None) => {
                    adopt_seasonless(conn, w, title, (sid, season), number, absolute)?
                }
                (None, _) => match conn
                    .prepare_cached("SELECT id FROM episodes WHERE season_id = ?1 AND number = ?2")?
                    .query_row(params![sid, number], |r| r.get(0))
                    .optional()?
                {
                    Some(id) => Some(id),
                    None => adopt_seasonless(conn, w, title, (sid, season), number, absolute)?,
                },
            };
            (id, Some(sid))
        }
        EpisodeKey::Date { date } => {
            // A daily show's season is its year.
            let year: u32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
            let sid = ensure_season(conn, w, title, year)?;
            let id = conn
                .prepare_cached("SELECT id FROM episodes WHERE title_id = ?1 AND number IS NULL AND air_date = ?2")?
                .query_row(params![title, date], |r| r.get(0))
                .optional()?;
            (id, Some(sid))
        }
        EpisodeKey::Absolute { number } => {
            // A seasonless episode of that number, else the season's episode a name gave
            // the same number (`[Grp] Show - 001` beside `Show - S01E01 - 001 - Title`).
            if w.waiting_room().is_some_and(|m| m.waits_for(title)) {
                w.settle(conn)?;
            }
            let id = conn
                .prepare_cached(
                    "SELECT id FROM episodes WHERE title_id = ?1 AND absolute_number = ?2
                     ORDER BY season_id IS NOT NULL, id LIMIT 1",
                )?
                .query_row(params![title, number], |r| r.get(0))
                .optional()?;
            (id, None)
        }
    };
    if let Some(id) = existing {
        if let Some(n) = name {
            conn.prepare_cached("UPDATE episodes SET name = ?2 WHERE id = ?1 AND name IS NULL")?
                .execute(params![id, n])?;
        }
        if let EpisodeKey::Number {
            absolute: Some(a), ..
        } = key
        {
            conn.prepare_cached(
                "UPDATE episodes SET absolute_number = ?2 WHERE id = ?1 AND absolute_number IS NULL",
            )?
            .execute(params![id, a])?;
        }
        return Ok((id, false));
    }
    let (number, date, abs) = match key {
        EpisodeKey::Number {
            number, absolute, ..
        } => (Some(number), None, absolute),
        EpisodeKey::Date { date } => (None, Some(date), None),
        EpisodeKey::Absolute { number } => (None, None, Some(number)),
    };
    // Numbered after the waiting ones.
    w.settle(conn)?;
    let now = time::now();
    conn.prepare_cached(
        "INSERT INTO episodes (title_id, season_id, number, absolute_number, name, air_date, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![title, season_id, number, abs, name, date, now])?;
    let id = conn.last_insert_rowid();
    if let (Some(m), EpisodeKey::Number { season, number, .. }) = (w.memo, key) {
        m.made(title, season, number, id);
    }
    w.record_insert(
        conn,
        Entity::Episode,
        id,
        || json!({"title_id": title, "number": number}),
    )?;
    Ok((id, true))
}

/// A scan's new numbered episode whose absolute number a seasonless episode of its title
/// already has (`[Grp] Show - 001` cataloged before `Show - S01E01 - 001 - Title`): that
/// episode is this one, and takes the season and number, its files with it. A person's
/// edits make a row of their own (their history records inserts, not this).
fn adopt_seasonless(
    conn: &Connection,
    w: Author<'_>,
    title: i64,
    (sid, season): (i64, u32),
    number: u32,
    absolute: Option<u32>,
) -> Result<Option<i64>> {
    let Some(a) = absolute.filter(|_| !w.manual) else {
        return Ok(None);
    };
    let Some(id) = conn
        .prepare_cached(
            "SELECT id FROM episodes WHERE title_id = ?1 AND season_id IS NULL AND number IS NULL
               AND air_date IS NULL AND absolute_number = ?2",
        )?
        .query_row(params![title, a], |r| r.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(None);
    };
    conn.prepare_cached(
        "UPDATE episodes SET season_id = ?2, number = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, sid, number, time::now()])?;
    if let Some(m) = w.memo {
        m.made(title, season, number, id);
    }
    Ok(Some(id))
}

/// Links an asset to an episode; the first version linked is the canonical one. `new`: the
/// episode was created just now, so no file is linked to it yet.
pub(crate) fn link_episode(
    conn: &Connection,
    w: Author<'_>,
    episode: i64,
    asset: i64,
    confidence: f64,
    new: bool,
) -> Result<()> {
    if let Some(m) = w.waiting_room().filter(|m| new && m.episode_waits(episode)) {
        m.waiting.borrow_mut().links.push(NewLink {
            episode,
            asset,
            confidence: confidence.clamp(0.0, 1.0),
            changeset: w.changeset,
        });
        return Ok(());
    }
    // Canonical when no other file of the episode is: asked inside the insert, unless the
    // episode is new (a first scan's every file: the lookup was 3% of its writer).
    let sql = if new {
        "INSERT OR IGNORE INTO episode_assets (episode_id, asset_id, canonical, source, confidence, changeset_id)
         VALUES (?1, ?2, 1, ?3, ?4, ?5)"
    } else {
        "INSERT OR IGNORE INTO episode_assets (episode_id, asset_id, canonical, source, confidence, changeset_id)
         VALUES (?1, ?2, NOT EXISTS(SELECT 1 FROM episode_assets
                                    WHERE episode_id = ?1 AND canonical = 1 AND asset_id != ?2),
                 ?3, ?4, ?5)"
    };
    let n = conn.prepare_cached(sql)?.execute(params![
        episode,
        asset,
        w.source(),
        confidence.clamp(0.0, 1.0),
        w.changeset
    ])?;
    if n > 0 {
        w.record_insert(
            conn,
            Entity::EpisodeAsset,
            asset,
            || json!({"episode_id": episode, "asset_id": asset}),
        )?;
    }
    Ok(())
}

/// Links an asset to a movie title directly.
pub(crate) fn link_title(
    conn: &Connection,
    w: Author<'_>,
    title: i64,
    asset: i64,
    part: Option<u32>,
    edition: Option<&str>,
    confidence: f64,
) -> Result<()> {
    // Canonical when no other file of the title is: asked inside the insert.
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO title_assets (title_id, asset_id, canonical, part, edition, source, confidence, changeset_id)
             VALUES (?1, ?2, NOT EXISTS(SELECT 1 FROM title_assets
                                        WHERE title_id = ?1 AND canonical = 1 AND asset_id != ?2),
                     ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![title, asset, part, edition, w.source(), confidence.clamp(0.0, 1.0), w.changeset])?;
    if n > 0 {
        w.record_insert(
            conn,
            Entity::TitleAsset,
            asset,
            || json!({"title_id": title, "asset_id": asset}),
        )?;
    }
    Ok(())
}

/// Remembers link rows about to be removed, each as it was, so undo can put it back.
fn record_removed(
    conn: &Connection,
    w: Author<'_>,
    entity: Entity,
    asset: i64,
    rows: &[serde_json::Value],
) -> Result<()> {
    for v in rows {
        w.record(conn, Entry::delete(entity, asset, v))?;
    }
    Ok(())
}

/// Removes an asset's links (only the scan's, or all of them for a person's decision),
/// remembering each in the history when a person does it.
pub(crate) fn unlink_asset(
    conn: &Connection,
    w: Author<'_>,
    asset: i64,
    scan_only: bool,
) -> Result<()> {
    let filter = if scan_only {
        " AND source = 'scan'"
    } else {
        ""
    };
    if w.manual {
        let mut st = conn.prepare(&format!(
            "SELECT episode_id, canonical, source, confidence, changeset_id FROM episode_assets WHERE asset_id = ?1{filter}"
        ))?;
        let rows: Vec<serde_json::Value> = st
            .query_map([asset], |r| {
                Ok(json!({"episode_id": r.get::<_, i64>(0)?, "asset_id": asset, "canonical": r.get::<_, bool>(1)?,
                          "source": r.get::<_, String>(2)?, "confidence": r.get::<_, f64>(3)?,
                          "changeset_id": r.get::<_, Option<i64>>(4)?}))
            })?
            .collect::<rusqlite::Result<_>>()?;
        record_removed(conn, w, Entity::EpisodeAsset, asset, &rows)?;
        let mut st = conn.prepare(&format!(
            "SELECT title_id, canonical, part, edition, source, confidence, changeset_id FROM title_assets WHERE asset_id = ?1{filter}"
        ))?;
        let rows: Vec<serde_json::Value> = st
            .query_map([asset], |r| {
                Ok(json!({"title_id": r.get::<_, i64>(0)?, "asset_id": asset, "canonical": r.get::<_, bool>(1)?,
                          "part": r.get::<_, Option<i64>>(2)?, "edition": r.get::<_, Option<String>>(3)?,
                          "source": r.get::<_, String>(4)?, "confidence": r.get::<_, f64>(5)?,
                          "changeset_id": r.get::<_, Option<i64>>(6)?}))
            })?
            .collect::<rusqlite::Result<_>>()?;
        record_removed(conn, w, Entity::TitleAsset, asset, &rows)?;
    }
    conn.execute(
        &format!("DELETE FROM episode_assets WHERE asset_id = ?1{filter}"),
        [asset],
    )?;
    conn.execute(
        &format!("DELETE FROM title_assets WHERE asset_id = ?1{filter}"),
        [asset],
    )?;
    Ok(())
}

/// Does a person's decision hold this asset (a decided review item, or a manual link)?
pub(crate) fn is_locked(conn: &Connection, asset: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM review_items WHERE asset_id = ?1 AND status != 'pending'
                              AND reason NOT IN ('duplicate_content', 'missing_date', 'too_short', 'probe_failed'))
                 OR EXISTS(SELECT 1 FROM episode_assets WHERE asset_id = ?1 AND source = 'manual')
                 OR EXISTS(SELECT 1 FROM title_assets WHERE asset_id = ?1 AND source = 'manual')",
        )?
        .query_row([asset], |r| r.get(0))?)
}

/// An episode as a person reads it: "Show Name S01E02", or the date or absolute number.
pub(crate) fn episode_label(conn: &Connection, id: i64) -> Result<String> {
    let label = conn
        .prepare_cached(
            "SELECT t.name, s.number, e.number, e.air_date, e.absolute_number
             FROM episodes e JOIN titles t ON t.id = e.title_id
             LEFT JOIN seasons s ON s.id = e.season_id WHERE e.id = ?1",
        )?
        .query_row([id], |r| {
            let name: String = r.get(0)?;
            let season: Option<u32> = r.get(1)?;
            let number: Option<u32> = r.get(2)?;
            let date: Option<String> = r.get(3)?;
            let absolute: Option<u32> = r.get(4)?;
            Ok(match (season, number, date, absolute) {
                (Some(s), Some(e), _, _) => format!("{name} S{s:02}E{e:02}"),
                (_, _, Some(d), _) => format!("{name} {d}"),
                (_, _, _, Some(a)) => format!("{name} episode {a}"),
                _ => format!("{name} (episode #{id})"),
            })
        })
        .optional()?;
    Ok(label.unwrap_or_else(|| format!("episode #{id}")))
}

/// What a file is linked to, as a person reads it: each episode's label, each movie's name
/// and year.
pub(crate) fn linked_labels(conn: &Connection, asset: i64) -> Result<Vec<String>> {
    let episodes: Vec<i64> = conn
        .prepare_cached(
            "SELECT episode_id FROM episode_assets WHERE asset_id = ?1 ORDER BY episode_id",
        )?
        .query_map([asset], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(episodes.len());
    for e in episodes {
        out.push(episode_label(conn, e)?);
    }
    let mut st = conn.prepare_cached(
        "SELECT t.name, t.year FROM title_assets ta JOIN titles t ON t.id = ta.title_id
         WHERE ta.asset_id = ?1 ORDER BY t.id",
    )?;
    let titles = st.query_map([asset], |r| {
        let name: String = r.get(0)?;
        let year: Option<u32> = r.get(1)?;
        Ok(match year {
            Some(y) => format!("{name} ({y})"),
            None => name,
        })
    })?;
    for t in titles {
        out.push(t?);
    }
    Ok(out)
}

/// An episode as a person picks it (for `review link`).
pub(crate) fn episode_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM episodes WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// A title as exported.
pub(crate) fn export_titles(conn: &Connection) -> Result<Vec<serde_json::Value>> {
    let mut st = conn.prepare(
        "SELECT t.id, t.kind, t.name, t.year, t.external_ids,
                (SELECT count(*) FROM seasons s WHERE s.title_id = t.id),
                (SELECT count(*) FROM episodes e WHERE e.title_id = t.id),
                (SELECT count(*) FROM title_assets ta WHERE ta.title_id = t.id)
                  + (SELECT count(*) FROM episode_assets ea JOIN episodes e ON e.id = ea.episode_id WHERE e.title_id = t.id)
         FROM titles t ORDER BY t.sort_name, t.year, t.id",
    )?;
    let rows = st.query_map([], |r| {
        let ids: Option<String> = r.get(4)?;
        Ok(json!({
            "id": r.get::<_, i64>(0)?, "kind": r.get::<_, String>(1)?, "title": r.get::<_, String>(2)?,
            "year": r.get::<_, Option<i64>>(3)?,
            "external_ids": ids.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()),
            "seasons": r.get::<_, i64>(5)?, "episodes": r.get::<_, i64>(6)?, "files": r.get::<_, i64>(7)?,
        }))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Episodes as exported, each with the paths of its files (canonical first).
pub(crate) fn export_episodes(conn: &Connection) -> Result<Vec<serde_json::Value>> {
    let mut st = conn.prepare(
        "SELECT e.id, t.name, t.year, s.number, e.number, e.absolute_number, e.name, e.air_date,
                e.external_ids
         FROM episodes e JOIN titles t ON t.id = e.title_id LEFT JOIN seasons s ON s.id = e.season_id
         ORDER BY t.sort_name, t.year, t.id, s.number, e.number, e.air_date, e.absolute_number",
    )?;
    let mut paths_st = conn.prepare(
        concat!("SELECT ", full_path_sql!(), "
         FROM episode_assets ea JOIN assets a ON a.id = ea.asset_id JOIN collections c ON c.id = a.collection_id
         WHERE ea.episode_id = ?1 ORDER BY ea.canonical DESC, a.id"),
    )?;
    let rows: Vec<(i64, serde_json::Value)> = st
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, json!({
                "id": r.get::<_, i64>(0)?, "title": r.get::<_, String>(1)?, "year": r.get::<_, Option<i64>>(2)?,
                "season": r.get::<_, Option<i64>>(3)?, "episode": r.get::<_, Option<i64>>(4)?,
                "absolute_episode": r.get::<_, Option<i64>>(5)?, "name": r.get::<_, Option<String>>(6)?,
                "air_date": r.get::<_, Option<String>>(7)?,
                "external_ids": r.get::<_, Option<String>>(8)?
                    .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()),
            })))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut v) in rows {
        let paths: Vec<String> = paths_st
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))?
            .map(|p| p.map(|p| crate::paths::export_form(&p).0))
            .collect::<rusqlite::Result<_>>()?;
        v["paths"] = json!(paths);
        out.push(v);
    }
    Ok(out)
}
