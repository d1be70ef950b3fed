//! A person's decisions and the scan's identifications, written into the catalog: a
//! review item accepted, rejected, linked or set; an identification linked at once or
//! queued for review. A use-case across the library, the review queue, duplicates and the
//! change journal.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::history::{self, Entity, Entry, Op};
use super::library::{self, Author, EpisodeKey, TitleMatch};
use super::review::{self, Pending, drop_pending_ident, get, queue};
use super::{CatalogError, Result};
use crate::identify::{Identification, MediaType};
use crate::model::{ReviewReason, ReviewStatus, TitleKind};
use crate::time;

/// What to link an asset to: the proposal of a review item, or what a person typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Target {
    #[serde(rename = "type")]
    pub kind: Option<MediaType>,
    pub title: Option<String>,
    pub year: Option<u32>,
    #[serde(default)]
    pub seasons: Vec<u32>,
    #[serde(default)]
    pub episodes: Vec<u32>,
    #[serde(default)]
    pub absolute: Vec<u32>,
    pub air_date: Option<String>,
    pub episode_title: Option<String>,
    pub part: Option<u32>,
    pub edition: Option<String>,
    /// A specific existing title (the best candidate of an ambiguous name).
    pub title_id: Option<i64>,
}

impl Target {
    pub(crate) fn from_ident(id: &Identification) -> Self {
        // `Quiz Night/Season 2024/Quiz Night - S2024E01`: a season numbered by its year says
        // that year, not the show's (whose title it would split into one a year).
        let seasons_year = id.media_type == Some(MediaType::Episode)
            && id.year.is_some_and(|y| id.seasons.contains(&y));
        Target {
            kind: id.media_type,
            title: id.full_title(),
            year: id.year.filter(|_| !seasons_year),
            seasons: id.seasons.clone(),
            episodes: id.episodes.clone(),
            absolute: id.absolute.clone(),
            air_date: id.air_date.clone(),
            episode_title: id.episode_title.clone(),
            part: id.part,
            edition: id.edition.map(str::to_owned),
            title_id: None,
        }
    }

    /// What a review item proposes (its proposal as stored); nothing when it has none or
    /// when the stored form is not a target.
    pub(crate) fn from_proposal(p: Option<&serde_json::Value>) -> Self {
        p.and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// Can this be linked at all?
    pub(crate) fn linkable(&self) -> bool {
        let has_title = self.title.is_some() || self.title_id.is_some();
        match self.kind {
            Some(MediaType::Movie) => has_title,
            Some(MediaType::Episode) => {
                has_title
                    && (self.seasons.len() == 1 && !self.episodes.is_empty()
                        || self.air_date.is_some()
                        || !self.absolute.is_empty())
            }
            None => false,
        }
    }
}

/// Links an asset as `t` says. Returns a person-readable description.
pub(crate) fn link_target(
    conn: &Connection,
    w: Author<'_>,
    asset: i64,
    t: &Target,
    confidence: f64,
) -> Result<String> {
    let title_id = link(conn, w, asset, t, confidence)?;
    let title = library::title(conn, title_id)?.ok_or_else(|| CatalogError::NotFound {
        what: "title",
        id: title_id,
    })?;
    let shown = match title.year {
        Some(y) => format!("{} ({y})", title.name),
        None => title.name.clone(),
    };
    Ok(match t.kind {
        Some(MediaType::Movie) => format!("movie {shown}"),
        _ => format!("{shown} {}", episode_words(t)),
    })
}

/// Links an asset as `t` says (a scan's link: nobody reads a description of it). Returns
/// the title linked.
fn link(conn: &Connection, w: Author<'_>, asset: i64, t: &Target, confidence: f64) -> Result<i64> {
    let Some(kind) = t.kind.map(MediaType::title_kind) else {
        return Err(CatalogError::InvalidInput {
            field: "type",
            why: "nothing to link: the proposal names no episode or movie".into(),
        });
    };
    let title_id = target_title(conn, w, kind, t)?;
    if kind == TitleKind::Movie {
        library::link_title(
            conn,
            w,
            title_id,
            asset,
            t.part,
            t.edition.as_deref(),
            confidence,
        )?;
        return Ok(title_id);
    }
    let eps = target_episodes(conn, w, title_id, t)?;
    if eps.is_empty() {
        return Err(CatalogError::InvalidInput {
            field: "episode",
            why: "an episode needs a season and episode number, an air date or an absolute number"
                .into(),
        });
    }
    for &(e, new) in &eps {
        library::link_episode(conn, w, e, asset, confidence, new)?;
    }
    Ok(title_id)
}

/// The title a target names: its id, or the title of that name (and year), created when
/// there is none. Of several, a person's choice is the one without a year, else the newest.
fn target_title(conn: &Connection, w: Author<'_>, kind: TitleKind, t: &Target) -> Result<i64> {
    if let Some(id) = t.title_id {
        return Ok(id);
    }
    let name = t
        .title
        .as_deref()
        .ok_or_else(|| CatalogError::InvalidInput {
            field: "title",
            why: "a title is needed".into(),
        })?;
    match library::resolve_title(conn, w, kind, name, t.year, true)? {
        TitleMatch::Found(id) | TitleMatch::Created(id) => Ok(id),
        TitleMatch::Ambiguous(c) => c
            .iter()
            .find(|x| x.year.is_none())
            .or(c.last())
            .map(|x| x.id)
            .ok_or_else(|| CatalogError::Conflict(format!("no title named {name:?} fits"))),
    }
}

/// The episodes of `title` a target names, created where missing (`true`): by air date, by
/// season and episode numbers, or by absolute numbers. The episode title goes to a single
/// episode.
fn target_episodes(
    conn: &Connection,
    w: Author<'_>,
    title: i64,
    t: &Target,
) -> Result<Vec<(i64, bool)>> {
    let name = t.episode_title.as_deref();
    let keys: Vec<(EpisodeKey<'_>, Option<&str>)> = if let Some(date) = &t.air_date {
        vec![(EpisodeKey::Date { date }, name)]
    } else if let ([season], false) = (t.seasons.as_slice(), t.episodes.is_empty()) {
        let single = t.episodes.len() == 1;
        // Each episode's absolute number when the name gave one for each.
        let counted = t.absolute.len() == t.episodes.len();
        t.episodes
            .iter()
            .enumerate()
            .map(|(i, &number)| {
                let key = EpisodeKey::Number {
                    season: *season,
                    number,
                    absolute: t.absolute.get(i).copied().filter(|_| counted),
                };
                (key, if single { name } else { None })
            })
            .collect()
    } else {
        t.absolute
            .iter()
            .map(|&number| (EpisodeKey::Absolute { number }, name))
            .collect()
    };
    keys.into_iter()
        .map(|(key, nm)| library::ensure_episode(conn, w, title, key, nm))
        .collect()
}

/// `S01E02E03`, an air date, or `#12,13`: the episodes a target names, in words.
fn episode_words(t: &Target) -> String {
    if let Some(d) = &t.air_date {
        d.clone()
    } else if let [s] = t.seasons.as_slice() {
        let e: Vec<String> = t.episodes.iter().map(|e| format!("E{e:02}")).collect();
        format!("S{s:02}{}", e.join(""))
    } else {
        let a: Vec<String> = t.absolute.iter().map(u32::to_string).collect();
        format!("#{}", a.join(","))
    }
}

/// What a scan's identification did to one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applied {
    Linked,
    Queued,
    Extra,
    /// A person decided this asset already: left alone.
    Locked,
}

/// Applies a scan's identification of a video: link at or above the threshold, queue a
/// review item below it (recording the best guess), never touch a person's decision.
///
/// `fresh`: the asset was inserted by this scan with this identification's confidence and
/// extra (`assets::upsert`), so it has no links, decisions or pending items yet, and the
/// checks for them are skipped. `memo`: what the scan's transaction has already looked up
/// (`library::Memo`).
pub(crate) fn apply_identification(
    conn: &Connection,
    asset: i64,
    id: &Identification,
    threshold: f64,
    changeset: i64,
    fresh: bool,
    memo: Option<&library::Memo>,
) -> Result<Applied> {
    if !fresh && library::is_locked(conn, asset)? {
        return Ok(Applied::Locked);
    }
    let w = Author {
        changeset,
        manual: false,
        memo,
    };
    if !fresh {
        library::unlink_asset(conn, w, asset, true)?;
        drop_pending_ident(conn, asset)?;
        // A fresh row was written with them.
        conn.prepare_cached("UPDATE assets SET extra = ?2, ident_confidence = ?3 WHERE id = ?1")?
            .execute(params![asset, id.extra, id.confidence.clamp(0.0, 1.0)])?;
    }
    if id.extra.is_some() && !id.weak_extra {
        return Ok(Applied::Extra);
    }
    let mut target = Target::from_ident(id);
    if id.authority.is_some() && target.linkable() {
        link(conn, w, asset, &target, id.confidence)?;
        return Ok(Applied::Linked);
    }
    let why = match why_asked(id, &target) {
        Some(q) => Some(q),
        None => ambiguous(conn, w.memo, id, &mut target)?.or_else(|| low_confidence(id, threshold)),
    };
    if let Some(q) = why {
        // The proposal is built only for what a person is asked about.
        let mut proposal = json!({
            "type": target.kind, "title": target.title, "year": target.year, "seasons": target.seasons,
            "episodes": target.episodes, "absolute": target.absolute, "air_date": target.air_date,
            "episode_title": target.episode_title, "part": target.part, "edition": target.edition,
            "extra": id.extra, "evidence": id.evidence,
        });
        if !q.candidates.is_empty() {
            proposal["title_id"] = json!(target.title_id);
            proposal["candidates"] = json!(q.candidates);
        }
        let pending = Pending {
            reason: q.reason,
            text: &q.text,
            confidence: q.confidence,
            proposal: &proposal,
            priority: q.priority,
        };
        queue(conn, asset, pending, changeset)?;
        return Ok(Applied::Queued);
    }
    link(conn, w, asset, &target, id.confidence)?;
    Ok(Applied::Linked)
}

/// Why an identification goes to a person rather than being linked.
struct Ask {
    reason: ReviewReason,
    text: String,
    confidence: f64,
    /// Lower comes first in the queue.
    priority: i64,
    /// The titles an ambiguous name could mean.
    candidates: Vec<library::TitleRow>,
}

/// The reason to ask a person that the identification alone gives: a possible extra, a
/// conflict, or nothing to link. (Then an ambiguous name, then a low confidence.)
fn why_asked(id: &Identification, target: &Target) -> Option<Ask> {
    let priority = ((1.0 - id.confidence) * 100.0) as i64;
    let ask = |reason: ReviewReason, text: String, priority| {
        Some(Ask {
            reason,
            text,
            confidence: id.confidence,
            priority,
            candidates: Vec::new(),
        })
    };
    if let Some(x) = id.extra {
        let text = format!("{}: looks like a {x}", ReviewReason::PossibleExtra.text());
        return ask(ReviewReason::PossibleExtra, text, 10);
    }
    if let Some(c) = &id.conflict {
        let text = format!("{}: {c}", ReviewReason::Conflicting.text());
        return ask(ReviewReason::Conflicting, text, 60);
    }
    if !target.linkable() {
        return match id.media_type {
            None => ask(
                ReviewReason::NoMatch,
                ReviewReason::NoMatch.text().to_string(),
                priority + 20,
            ),
            Some(_) => ask(
                ReviewReason::LowConfidence,
                format!(
                    "{}: an episode without a number",
                    ReviewReason::LowConfidence.text()
                ),
                priority + 20,
            ),
        };
    }
    None
}

/// Asks when the confidence is below the threshold, naming the evidence.
fn low_confidence(id: &Identification, threshold: f64) -> Option<Ask> {
    (id.confidence < threshold).then(|| Ask {
        reason: ReviewReason::LowConfidence,
        text: format!(
            "{} ({:.0}% sure: {})",
            ReviewReason::LowConfidence.text(),
            id.confidence * 100.0,
            id.evidence.join(", ")
        ),
        confidence: id.confidence,
        priority: ((1.0 - id.confidence) * 100.0) as i64,
        candidates: Vec::new(),
    })
}

/// A name without a year that several titles share is settled by a person, whatever the
/// confidence: the proposal gets the likeliest (the one without a year, else the newest)
/// and the candidates.
fn ambiguous(
    conn: &Connection,
    memo: Option<&library::Memo>,
    id: &Identification,
    target: &mut Target,
) -> Result<Option<Ask>> {
    let kind = match target.kind {
        Some(MediaType::Movie) => TitleKind::Movie,
        _ => TitleKind::Show,
    };
    let (Some(name), None) = (&target.title, target.year) else {
        return Ok(None);
    };
    let found = library::titles_named(conn, memo, kind, name)?;
    if found.len() <= 1 {
        // The one title of that name is the one a link finds: it need not look again.
        target.title_id = found.first().map(|t| t.id);
        return Ok(None);
    }
    let best = found
        .iter()
        .find(|t| t.year.is_none())
        .or(found.last())
        .map(|t| t.id);
    target.title_id = best;
    let names: Vec<String> = found
        .iter()
        .map(|t| {
            t.year
                .map_or(t.name.clone(), |y| format!("{} ({y})", t.name))
        })
        .collect();
    Ok(Some(Ask {
        reason: ReviewReason::AmbiguousTitle,
        text: format!(
            "{}: {}",
            ReviewReason::AmbiguousTitle.text(),
            names.join(", ")
        ),
        confidence: id.confidence.min(0.6),
        priority: 50,
        candidates: found,
    }))
}

/// A person's decision on an item.
#[derive(Debug, Clone)]
pub(crate) enum Decision {
    /// Apply the proposal as it stands.
    Accept,
    /// Apply what the person typed.
    Set(Box<Target>),
    /// Link to an existing episode.
    Link(i64),
    /// Link to an existing movie title.
    LinkTitle(i64),
    /// Not media, or leave it be.
    Reject,
}

/// Applies a decision within `changeset` (a `review` changeset the caller opened and closes).
/// Returns what happened, in words.
pub(crate) fn decide(
    conn: &Connection,
    changeset: i64,
    item_id: i64,
    d: &Decision,
    note: Option<&str>,
) -> Result<String> {
    let it = get(conn, item_id)?.ok_or_else(|| CatalogError::NotFound {
        what: "review item",
        id: item_id,
    })?;
    if it.status != ReviewStatus::Pending {
        return Err(CatalogError::AlreadyDecided {
            item: item_id,
            status: it.status,
        });
    }
    let w = Author {
        changeset,
        manual: true,
        memo: None,
    };
    let (status, resolution, said) = resolve(conn, w, &it, d)?;
    let before = json!({"status": it.status, "resolution": null, "note": it.note, "resolved_at": null, "resolved_changeset_id": null});
    let now = time::now();
    conn.execute(
        "UPDATE review_items SET status = ?2, resolution = ?3, note = ?4, resolved_at = ?5, resolved_changeset_id = ?6
         WHERE id = ?1",
        params![item_id, status, resolution.to_string(), note, now, changeset],
    )?;
    history::record(
        conn,
        changeset,
        Entry {
            entity: Entity::ReviewItem,
            id: item_id,
            op: Op::Update,
            field: None,
            before: Some(&before),
            after: Some(&json!({"status": status})),
        },
    )?;
    Ok(said)
}

/// What a decision does to the item's asset, as (new status, resolution, words).
fn resolve(
    conn: &Connection,
    w: Author<'_>,
    it: &review::ReviewRow,
    d: &Decision,
) -> Result<(&'static str, serde_json::Value, String)> {
    let item_id = it.id;
    let changeset = w.changeset;
    Ok(match d {
        Decision::Reject => (
            "rejected",
            json!({"decision": "reject"}),
            "rejected".to_string(),
        ),
        Decision::Accept if it.reason == ReviewReason::DuplicateContent => {
            // Keep the proposed canonical copy, by hand from now on.
            let canon = it
                .proposal
                .as_ref()
                .and_then(|p| p["canonical_asset_id"].as_i64());
            if let Some(c) = canon {
                super::dupes::set_canonical(conn, changeset, c)?;
            }
            (
                "resolved",
                json!({"decision": "accept", "canonical_asset_id": canon}),
                format!("kept asset #{} as the canonical copy", canon.unwrap_or(0)),
            )
        }
        Decision::Accept => {
            let t = Target::from_proposal(it.proposal.as_ref());
            if !t.linkable() {
                return Err(CatalogError::NoProposal { item: item_id });
            }
            library::unlink_asset(conn, w, it.asset_id, false)?;
            let s = link_target(conn, w, it.asset_id, &t, 1.0)?;
            (
                "resolved",
                json!({"decision": "accept", "target": t}),
                format!("linked as {s}"),
            )
        }
        Decision::Set(t) => {
            if !t.linkable() {
                return Err(CatalogError::InvalidInput {
                    field: "target",
                    why: "give a title, and for an episode a season and episode number(s)".into(),
                });
            }
            library::unlink_asset(conn, w, it.asset_id, false)?;
            let s = link_target(conn, w, it.asset_id, t, 1.0)?;
            (
                "resolved",
                json!({"decision": "set", "target": t}),
                format!("linked as {s}"),
            )
        }
        Decision::Link(ep) => {
            if !library::episode_exists(conn, *ep)? {
                return Err(CatalogError::NotFound {
                    what: "episode",
                    id: *ep,
                });
            }
            library::unlink_asset(conn, w, it.asset_id, false)?;
            library::link_episode(conn, w, *ep, it.asset_id, 1.0, false)?;
            (
                "resolved",
                json!({"decision": "link", "episode_id": ep}),
                format!("linked to {}", library::episode_label(conn, *ep)?),
            )
        }
        Decision::LinkTitle(title) => {
            let t = library::title(conn, *title)?.ok_or_else(|| CatalogError::NotFound {
                what: "title",
                id: *title,
            })?;
            if t.kind != TitleKind::Movie {
                return Err(CatalogError::Refused(format!(
                    "{} is a show: link the file to one of its episodes",
                    t.name
                )));
            }
            library::unlink_asset(conn, w, it.asset_id, false)?;
            library::link_title(conn, w, *title, it.asset_id, None, None, 1.0)?;
            (
                "resolved",
                json!({"decision": "link", "title_id": title}),
                format!("linked to {}", t.name),
            )
        }
    })
}

/// What accepting the whole queue above a confidence did.
#[derive(Debug, Default)]
pub(crate) struct AcceptedAll {
    /// Each accepted item and what it did.
    pub accepted: Vec<(i64, String)>,
    /// Items with no usable proposal, left for a person.
    pub skipped: usize,
}

/// Accepts every pending item at or above `min_confidence`, in changeset `changeset`; an
/// item with no usable proposal stays for a person.
pub(crate) fn accept_all(
    conn: &Connection,
    changeset: i64,
    min_confidence: f64,
) -> Result<AcceptedAll> {
    let items = review::list(
        conn,
        &review::Filter {
            status: Some(ReviewStatus::Pending),
            reason: None,
            min_confidence: Some(min_confidence),
        },
    )?;
    let mut out = AcceptedAll::default();
    for it in &items {
        match decide(conn, changeset, it.id, &Decision::Accept, None) {
            Ok(s) => out.accepted.push((it.id, s)),
            Err(CatalogError::NoProposal { .. }) => out.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
