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
    pub fn from_ident(id: &Identification) -> Self {
        Target {
            kind: id.media_type,
            title: id.full_title(),
            year: id.year,
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
    pub fn from_proposal(p: Option<&serde_json::Value>) -> Self {
        p.and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// Can this be linked at all?
    pub fn linkable(&self) -> bool {
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
pub fn link_target(
    conn: &Connection,
    w: Author,
    asset: i64,
    t: &Target,
    confidence: f64,
) -> Result<String> {
    let Some(kind) = t.kind.map(MediaType::title_kind) else {
        return Err(CatalogError::InvalidInput {
            field: "type",
            why: "nothing to link: the proposal names no episode or movie".into(),
        });
    };
    let title_id = match t.title_id {
        Some(id) => id,
        None => {
            let name = t
                .title
                .as_deref()
                .ok_or_else(|| CatalogError::InvalidInput {
                    field: "title",
                    why: "a title is needed".into(),
                })?;
            match library::resolve_title(conn, w, kind, name, t.year, true)? {
                TitleMatch::Found(id) | TitleMatch::Created(id) => id,
                TitleMatch::Ambiguous(c) => {
                    // A person chose the name: the one without a year, else the newest.
                    c.iter()
                        .find(|x| x.year.is_none())
                        .or(c.last())
                        .map(|x| x.id)
                        .ok_or_else(|| {
                            CatalogError::Conflict(format!("no title named {name:?} fits"))
                        })?
                }
            }
        }
    };
    let title = library::title(conn, title_id)?.ok_or_else(|| CatalogError::NotFound {
        what: "title",
        id: title_id,
    })?;
    let shown = match title.year {
        Some(y) => format!("{} ({y})", title.name),
        None => title.name.clone(),
    };
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
        return Ok(format!("movie {shown}"));
    }
    let name = t.episode_title.as_deref();
    let mut eps = Vec::new();
    if let Some(date) = &t.air_date {
        eps.push(library::ensure_episode(
            conn,
            w,
            title_id,
            EpisodeKey::Date { date },
            name,
        )?);
    } else if let ([season], false) = (t.seasons.as_slice(), t.episodes.is_empty()) {
        for &e in &t.episodes {
            let nm = if t.episodes.len() == 1 { name } else { None };
            eps.push(library::ensure_episode(
                conn,
                w,
                title_id,
                EpisodeKey::Number {
                    season: *season,
                    number: e,
                },
                nm,
            )?);
        }
    } else {
        for &a in &t.absolute {
            eps.push(library::ensure_episode(
                conn,
                w,
                title_id,
                EpisodeKey::Absolute { number: a },
                name,
            )?);
        }
    }
    if eps.is_empty() {
        return Err(CatalogError::InvalidInput {
            field: "episode",
            why: "an episode needs a season and episode number, an air date or an absolute number"
                .into(),
        });
    }
    for e in &eps {
        library::link_episode(conn, w, *e, asset, confidence)?;
    }
    let what = if let Some(d) = &t.air_date {
        d.clone()
    } else if let [s] = t.seasons.as_slice() {
        let e: Vec<String> = t.episodes.iter().map(|e| format!("E{e:02}")).collect();
        format!("S{s:02}{}", e.join(""))
    } else {
        format!(
            "#{}",
            t.absolute
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    Ok(format!("{shown} {what}"))
}

/// What a scan's identification did to one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Linked,
    Queued,
    Extra,
    /// A person decided this asset already: left alone.
    Locked,
}

/// Applies a scan's identification of a video: link at or above the threshold, queue a
/// review item below it (recording the best guess), never touch a person's decision.
///
/// `fresh`: the asset was inserted by this scan, so it has no links, decisions or pending
/// items yet, and the checks for them are skipped.
pub fn apply_identification(
    conn: &Connection,
    asset: i64,
    id: &Identification,
    threshold: f64,
    changeset: i64,
    fresh: bool,
) -> Result<Applied> {
    if !fresh && library::is_locked(conn, asset)? {
        return Ok(Applied::Locked);
    }
    let w = Author {
        changeset,
        manual: false,
    };
    if !fresh {
        library::unlink_asset(conn, w, asset, true)?;
        drop_pending_ident(conn, asset)?;
    }
    conn.prepare_cached("UPDATE assets SET extra = ?2, ident_confidence = ?3 WHERE id = ?1")?
        .execute(params![asset, id.extra, id.confidence.clamp(0.0, 1.0)])?;
    let mut target = Target::from_ident(id);
    let mut proposal = json!({
        "type": target.kind, "title": target.title, "year": target.year, "seasons": target.seasons,
        "episodes": target.episodes, "absolute": target.absolute, "air_date": target.air_date,
        "episode_title": target.episode_title, "part": target.part, "edition": target.edition,
        "extra": id.extra, "evidence": id.evidence,
    });
    let priority = |c: f64| ((1.0 - c) * 100.0) as i64;
    if let Some(x) = id.extra {
        if id.weak_extra {
            queue(
                conn,
                asset,
                Pending {
                    reason: ReviewReason::PossibleExtra,
                    text: &format!("{}: looks like a {x}", ReviewReason::PossibleExtra.text()),
                    confidence: id.confidence,
                    proposal: &proposal,
                    priority: 10,
                },
                changeset,
            )?;
            return Ok(Applied::Queued);
        }
        return Ok(Applied::Extra);
    }
    if let Some(c) = &id.conflict {
        queue(
            conn,
            asset,
            Pending {
                reason: ReviewReason::Conflicting,
                text: &format!("{}: {c}", ReviewReason::Conflicting.text()),
                confidence: id.confidence,
                proposal: &proposal,
                priority: 60,
            },
            changeset,
        )?;
        return Ok(Applied::Queued);
    }
    if !target.linkable() {
        let text = if id.media_type.is_none() {
            ReviewReason::NoMatch.text().to_string()
        } else {
            format!(
                "{}: an episode without a number",
                ReviewReason::LowConfidence.text()
            )
        };
        let reason = if id.media_type.is_none() {
            ReviewReason::NoMatch
        } else {
            ReviewReason::LowConfidence
        };
        queue(
            conn,
            asset,
            Pending {
                reason,
                text: &text,
                confidence: id.confidence,
                proposal: &proposal,
                priority: priority(id.confidence) + 20,
            },
            changeset,
        )?;
        return Ok(Applied::Queued);
    }
    // An ambiguous name is settled by a person, whatever the confidence.
    let kind = match target.kind {
        Some(MediaType::Movie) => TitleKind::Movie,
        _ => TitleKind::Show,
    };
    if let (Some(name), None) = (&target.title, target.year) {
        let found = library::titles_by_norm(conn, kind, &crate::identify::normalise_title(name))?;
        if found.len() > 1 {
            let best = found
                .iter()
                .find(|t| t.year.is_none())
                .or(found.last())
                .map(|t| t.id);
            target.title_id = best;
            proposal["title_id"] = json!(best);
            proposal["candidates"] = json!(found);
            let names: Vec<String> = found
                .iter()
                .map(|t| {
                    t.year
                        .map_or(t.name.clone(), |y| format!("{} ({y})", t.name))
                })
                .collect();
            queue(
                conn,
                asset,
                Pending {
                    reason: ReviewReason::AmbiguousTitle,
                    text: &format!(
                        "{}: {}",
                        ReviewReason::AmbiguousTitle.text(),
                        names.join(", ")
                    ),
                    confidence: id.confidence.min(0.6),
                    proposal: &proposal,
                    priority: 50,
                },
                changeset,
            )?;
            return Ok(Applied::Queued);
        }
    }
    if id.confidence < threshold {
        queue(
            conn,
            asset,
            Pending {
                reason: ReviewReason::LowConfidence,
                text: &format!(
                    "{} ({:.0}% sure: {})",
                    ReviewReason::LowConfidence.text(),
                    id.confidence * 100.0,
                    id.evidence.join(", ")
                ),
                confidence: id.confidence,
                proposal: &proposal,
                priority: priority(id.confidence),
            },
            changeset,
        )?;
        return Ok(Applied::Queued);
    }
    link_target(conn, w, asset, &target, id.confidence)?;
    Ok(Applied::Linked)
}

/// A person's decision on an item.
#[derive(Debug, Clone)]
pub enum Decision {
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
pub fn decide(
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
    };
    let (status, resolution, said) = match d {
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
            library::link_episode(conn, w, *ep, it.asset_id, 1.0)?;
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
    };
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

/// What accepting the whole queue above a confidence did.
#[derive(Debug, Default)]
pub struct AcceptedAll {
    /// Each accepted item and what it did.
    pub accepted: Vec<(i64, String)>,
    /// Items with no usable proposal, left for a person.
    pub skipped: usize,
}

/// Accepts every pending item at or above `min_confidence`, in changeset `changeset`; an
/// item with no usable proposal stays for a person.
pub fn accept_all(conn: &Connection, changeset: i64, min_confidence: f64) -> Result<AcceptedAll> {
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
