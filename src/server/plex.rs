//! Plex Media Server, over its HTTP API with `Accept: application/json`: `/identity`,
//! `/library/sections`, a section's items from `/library/sections/{key}/all` (type 1 movies,
//! 2 shows, 4 episodes, 13 photos; `includeGuids=1` for ids), paged with
//! `X-Plex-Container-Start`/`-Size`, and an item's `Marker[]` and `Chapter[]` from
//! `/library/metadata/{key}?includeMarkers=1&includeChapters=1`. Offsets are milliseconds.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use super::json::{date, int, list, small, text, year};
use super::{
    Http, Identity, Item, ItemKind, Listed, Listing, Marker, Part, Section, SectionKind,
    SectionRef, ServerError, Show, paged, provider_id,
};
use crate::model::{CollectionKind, MarkerKind};

/// The `MediaContainer` every answer is wrapped in.
fn container(v: &Value, what: &str) -> Result<Value, ServerError> {
    match v.get("MediaContainer") {
        Some(c) if c.is_object() => Ok(c.clone()),
        _ => Err(ServerError::Bad(format!(
            "{what}: no MediaContainer in the answer"
        ))),
    }
}

pub(crate) fn identity(http: &Http) -> Result<Identity, ServerError> {
    let c = container(&http.get_json("/identity")?, "/identity")?;
    let id = text(c.get("machineIdentifier")).ok_or_else(|| {
        ServerError::Bad("/identity has no machineIdentifier: is this a Plex server?".into())
    })?;
    Ok(Identity {
        id,
        name: text(c.get("friendlyName")),
        version: text(c.get("version")),
    })
}

pub(crate) fn sections(http: &Http) -> Result<Vec<Section>, ServerError> {
    let c = container(&http.get_json("/library/sections")?, "/library/sections")?;
    Ok(list(&c, "Directory").iter().filter_map(section).collect())
}

fn section(d: &Value) -> Option<Section> {
    let key = text(d.get("key"))?;
    let server_type = text(d.get("type")).unwrap_or_default();
    let kind = match server_type.as_str() {
        "show" => SectionKind::Shows,
        "movie" => SectionKind::Movies,
        "photo" => SectionKind::Photos,
        _ => SectionKind::Other,
    };
    Some(Section {
        title: text(d.get("title")).unwrap_or_else(|| format!("section {key}")),
        key,
        kind,
        server_type,
        locations: list(d, "Location")
            .iter()
            .filter_map(|l| text(l.get("path")))
            .collect(),
    })
}

/// Percent-encodes a key for a path segment.
pub(crate) fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One typed listing of a section, every page.
fn all_of(
    http: &Http,
    key: &str,
    ty: u32,
    cancel: &AtomicBool,
    each: impl FnMut(Value),
) -> Result<(), ServerError> {
    let path = format!("/library/sections/{}/all", enc(key));
    paged(
        cancel,
        |start, size| {
            let q = format!(
                "{path}?type={ty}&includeGuids=1&X-Plex-Container-Start={start}&X-Plex-Container-Size={size}"
            );
            let c = container(&http.get_json(&q)?, &path)?;
            let total = int(c.get("totalSize")).and_then(|t| usize::try_from(t).ok());
            Ok((list(&c, "Metadata").to_vec(), total))
        },
        each,
    )
}

pub(crate) fn items(
    http: &Http,
    section: &SectionRef<'_>,
    cancel: &AtomicBool,
) -> Result<Listing, ServerError> {
    let mut out = Listing::default();
    let types: &[u32] = match section.kind {
        CollectionKind::Shows => &[4],
        CollectionKind::Movies => &[1],
        CollectionKind::Photos => &[13],
        CollectionKind::Mixed => &[1, 4],
    };
    let mut shows: HashMap<String, Show> = HashMap::new();
    if types.contains(&4) {
        all_of(http, section.key, 2, cancel, |m| {
            if let Some(k) = text(m.get("ratingKey")) {
                shows.insert(k, show(&m));
            }
        })?;
    }
    for &ty in types {
        all_of(http, section.key, ty, cancel, |m| match item(&m, &shows) {
            Ok(i) => out.items.push(i),
            Err(why) => out.problems.push(why),
        })?;
    }
    Ok(out)
}

fn guids(m: &Value) -> Vec<(&'static str, String)> {
    let mut ids: Vec<(&'static str, String)> = list(m, "Guid")
        .iter()
        .filter_map(|g| text(g.get("id")))
        .filter_map(|g| provider_id(&g))
        .collect();
    if let Some(legacy) = text(m.get("guid")).and_then(|g| provider_id(&g))
        && !ids.iter().any(|(p, _)| *p == legacy.0)
    {
        ids.push(legacy);
    }
    ids
}

fn show(m: &Value) -> Show {
    Show {
        title: text(m.get("title")).unwrap_or_default(),
        year: year(m.get("year")),
        ids: guids(m),
    }
}

/// One listed item; an item shelf cannot use is an `Err` saying why.
fn item(m: &Value, shows: &HashMap<String, Show>) -> Result<Item, String> {
    let key = text(m.get("ratingKey")).ok_or("an item without a ratingKey")?;
    let kind = match text(m.get("type")).as_deref() {
        Some("movie") => ItemKind::Movie,
        Some("episode") => ItemKind::Episode,
        Some("photo") => ItemKind::Photo,
        Some("clip") => ItemKind::Video,
        other => {
            return Err(format!(
                "item {key}: type {other:?} is not a movie, episode or photo"
            ));
        }
    };
    let mut change = text(m.get("updatedAt")).unwrap_or_default();
    let mut parts = Vec::new();
    for media in list(m, "Media") {
        let ps = list(media, "Part");
        change.push_str(&format!("|m{}", text(media.get("id")).unwrap_or_default()));
        for (i, p) in ps.iter().enumerate() {
            let Some(path) = text(p.get("file")) else {
                continue;
            };
            let size = int(p.get("size")).and_then(|s| u64::try_from(s).ok());
            change.push_str(&format!(
                "|p{}:{path}:{}",
                text(p.get("id")).unwrap_or_default(),
                size.unwrap_or(0)
            ));
            parts.push(Part {
                path,
                size,
                part: (ps.len() > 1).then_some(i as u32 + 1),
            });
        }
    }
    Listed {
        key,
        kind,
        change,
        parts,
        name: text(m.get("title")),
        year: year(m.get("year")),
        season: small(m.get("parentIndex")),
        episodes: small(m.get("index")).into_iter().collect(),
        show_key: text(m.get("grandparentRatingKey")),
        show_title: text(m.get("grandparentTitle")),
        air_date: date(m.get("originallyAvailableAt")),
        ids: guids(m),
        duration_ms: int(m.get("duration")),
        chapters: Vec::new(),
        raw: m.clone(),
    }
    .into_item(shows)
}

/// An item's intro/credits/commercial markers and its chapters.
pub(crate) fn markers(http: &Http, key: &str) -> Result<Vec<Marker>, ServerError> {
    let path = format!("/library/metadata/{}", enc(key));
    let v = http.get_json(&format!("{path}?includeMarkers=1&includeChapters=1"))?;
    Ok(markers_in(&container(&v, &path)?))
}

/// The markers and chapters of the first item of a metadata answer's container.
fn markers_in(c: &Value) -> Vec<Marker> {
    let Some(m) = list(c, "Metadata").first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for mk in list(m, "Marker") {
        let kind = match text(mk.get("type")).as_deref() {
            Some("intro") => MarkerKind::Intro,
            Some("credits" | "credit") => MarkerKind::Outro,
            Some("commercial") => MarkerKind::Avail,
            _ => continue,
        };
        if let Some(m) = range(mk, kind, None) {
            out.push(m);
        }
    }
    for ch in list(m, "Chapter") {
        if let Some(m) = range(ch, MarkerKind::Chapter, text(ch.get("tag"))) {
            out.push(m);
        }
    }
    out
}

/// Every decoder on one answer, as if it answered each request (for the fuzz target).
pub(crate) fn decode_any(v: &Value) -> usize {
    let Ok(c) = container(v, "fuzz") else {
        return 0;
    };
    let shows: HashMap<String, Show> = list(&c, "Metadata")
        .iter()
        .filter_map(|m| Some((text(m.get("ratingKey"))?, show(m))))
        .collect();
    let items = list(&c, "Metadata")
        .iter()
        .filter_map(|m| item(m, &shows).ok())
        .count();
    let sections = list(&c, "Directory").iter().filter_map(section).count();
    items + sections + markers_in(&c).len()
}

fn range(v: &Value, kind: MarkerKind, label: Option<String>) -> Option<Marker> {
    let start_ms = int(v.get("startTimeOffset"))?;
    let end_ms = int(v.get("endTimeOffset")).unwrap_or(start_ms);
    Some(Marker {
        kind,
        start_ms,
        end_ms,
        label,
    })
}
