//! Jellyfin, over its HTTP API: `/System/Info/Public`, `/Library/VirtualFolders`, a
//! library's items from `/Items?ParentId=…&Recursive=true` paged with `StartIndex`/`Limit`,
//! and an item's media segments from `/MediaSegments/{id}`. Times are ticks of 100 ns.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use super::json::{date, int, list, small, text, year};
use super::plex::enc;
use super::{
    Http, Identity, Item, ItemKind, Listed, Listing, Marker, Part, Section, SectionKind,
    SectionRef, ServerError, Show, paged,
};
use crate::model::{CollectionKind, MarkerKind};

const TICKS_PER_MS: i64 = 10_000;

pub(crate) fn identity(http: &Http) -> Result<Identity, ServerError> {
    identity_in(&http.get_json("/System/Info/Public")?)
}

fn identity_in(v: &Value) -> Result<Identity, ServerError> {
    let id = text(v.get("Id")).ok_or_else(|| {
        ServerError::Bad("/System/Info/Public has no Id: is this a Jellyfin server?".into())
    })?;
    Ok(Identity {
        id,
        name: text(v.get("ServerName")),
        version: text(v.get("Version")),
    })
}

pub(crate) fn sections(http: &Http) -> Result<Vec<Section>, ServerError> {
    let v = http.get_json("/Library/VirtualFolders")?;
    let Some(folders) = v.as_array() else {
        return Err(ServerError::Bad(
            "/Library/VirtualFolders is not a list".into(),
        ));
    };
    Ok(folders.iter().filter_map(section).collect())
}

fn section(f: &Value) -> Option<Section> {
    let key = text(f.get("ItemId"))?;
    let server_type = text(f.get("CollectionType")).unwrap_or_default();
    let kind = match server_type.to_ascii_lowercase().as_str() {
        "tvshows" => SectionKind::Shows,
        "movies" => SectionKind::Movies,
        "homevideos" | "photos" => SectionKind::Photos,
        "" | "mixed" => SectionKind::Mixed,
        _ => SectionKind::Other,
    };
    Some(Section {
        title: text(f.get("Name")).unwrap_or_else(|| format!("library {key}")),
        key,
        kind,
        server_type,
        locations: list(f, "Locations")
            .iter()
            .filter_map(|l| text(Some(l)))
            .collect(),
    })
}

fn all_of(
    http: &Http,
    parent: &str,
    types: &str,
    fields: &str,
    cancel: &AtomicBool,
    each: impl FnMut(Value),
) -> Result<(), ServerError> {
    paged(
        cancel,
        |start, size| {
            let q = format!(
                "/Items?ParentId={}&Recursive=true&IncludeItemTypes={types}&Fields={fields}&StartIndex={start}&Limit={size}&EnableTotalRecordCount=true",
                enc(parent)
            );
            let v = http.get_json(&q)?;
            if !v.is_object() {
                return Err(ServerError::Bad("/Items is not an object".into()));
            }
            let total = int(v.get("TotalRecordCount")).and_then(|t| usize::try_from(t).ok());
            Ok((list(&v, "Items").to_vec(), total))
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
    let types = match section.kind {
        CollectionKind::Shows => "Episode",
        CollectionKind::Movies => "Movie",
        CollectionKind::Photos => "Photo,Video",
        CollectionKind::Mixed => "Episode,Movie",
    };
    let mut shows: HashMap<String, Show> = HashMap::new();
    if types.contains("Episode") {
        all_of(http, section.key, "Series", "ProviderIds", cancel, |s| {
            if let Some(k) = text(s.get("Id")) {
                shows.insert(
                    k,
                    Show {
                        title: text(s.get("Name")).unwrap_or_default(),
                        year: year(s.get("ProductionYear")),
                        ids: provider_ids(&s),
                    },
                );
            }
        })?;
    }
    let fields = "Path,MediaSources,ProviderIds,Chapters,Etag,DateLastSaved";
    all_of(http, section.key, types, fields, cancel, |m| {
        match item(&m, &shows) {
            Ok(i) => out.items.push(i),
            Err(why) => out.problems.push(why),
        }
    })?;
    Ok(out)
}

/// `ProviderIds` (`{"Imdb": "tt…", "Tmdb": "…", "Tvdb": "…"}`, any case) as shelf's ids.
fn provider_ids(m: &Value) -> Vec<(&'static str, String)> {
    let Some(map) = m.get("ProviderIds").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    for (k, v) in map {
        let provider = match k.to_ascii_lowercase().as_str() {
            "imdb" => "imdb",
            "tmdb" => "tmdb",
            "tvdb" => "tvdb",
            _ => continue,
        };
        if let Some(id) = text(Some(v)).filter(|s| s.len() <= 64) {
            ids.push((provider, id));
        }
    }
    ids.sort();
    ids
}

fn ms(ticks: Option<i64>) -> Option<i64> {
    ticks.map(|t| t / TICKS_PER_MS)
}

fn item(m: &Value, shows: &HashMap<String, Show>) -> Result<Item, String> {
    let key = text(m.get("Id")).ok_or("an item without an Id")?;
    let kind = match text(m.get("Type")).as_deref() {
        Some("Movie") => ItemKind::Movie,
        Some("Episode") => ItemKind::Episode,
        Some("Photo") => ItemKind::Photo,
        Some("Video") => ItemKind::Video,
        other => {
            return Err(format!(
                "item {key}: type {other:?} is not a movie, episode or photo"
            ));
        }
    };
    let mut change = format!(
        "{}|{}",
        text(m.get("Etag")).unwrap_or_default(),
        text(m.get("DateLastSaved")).unwrap_or_default()
    );
    let mut parts = Vec::new();
    for s in list(m, "MediaSources") {
        let Some(path) = text(s.get("Path")) else {
            continue;
        };
        let size = int(s.get("Size")).and_then(|s| u64::try_from(s).ok());
        change.push_str(&format!("|{path}:{}", size.unwrap_or(0)));
        parts.push(Part {
            path,
            size,
            part: None,
        });
    }
    if parts.is_empty() {
        // A photo (or an item listed without its sources) has only its own path.
        if let Some(path) = text(m.get("Path")) {
            change.push_str(&format!("|{path}"));
            parts.push(Part {
                path,
                size: None,
                part: None,
            });
        }
    }
    let duration_ms = ms(int(m.get("RunTimeTicks")));
    let mut episodes: Vec<u32> = Vec::new();
    if let Some(first) = small(m.get("IndexNumber")) {
        let last = small(m.get("IndexNumberEnd"))
            .filter(|e| *e >= first && *e - first < 50)
            .unwrap_or(first);
        episodes.extend(first..=last);
    }
    Listed {
        key,
        kind,
        change,
        parts,
        name: text(m.get("Name")),
        year: year(m.get("ProductionYear")),
        season: small(m.get("ParentIndexNumber")),
        episodes,
        show_key: text(m.get("SeriesId")),
        show_title: text(m.get("SeriesName")),
        air_date: date(m.get("PremiereDate")),
        ids: provider_ids(m),
        duration_ms,
        chapters: chapters(m, duration_ms),
        raw: m.clone(),
    }
    .into_item(shows)
}

/// `Chapters[]` (a start and a name each): each ends where the next starts, the last at
/// the end of the item.
fn chapters(m: &Value, duration_ms: Option<i64>) -> Vec<Marker> {
    let mut starts: Vec<(i64, Option<String>)> = list(m, "Chapters")
        .iter()
        .filter_map(|c| Some((ms(int(c.get("StartPositionTicks")))?, text(c.get("Name")))))
        .collect();
    starts.sort_by_key(|(s, _)| *s);
    let ends: Vec<i64> = starts
        .iter()
        .skip(1)
        .map(|(s, _)| *s)
        .chain(duration_ms)
        .collect();
    starts
        .into_iter()
        .enumerate()
        .map(|(i, (start_ms, label))| Marker {
            kind: MarkerKind::Chapter,
            start_ms,
            end_ms: ends.get(i).copied().unwrap_or(start_ms).max(start_ms),
            label,
        })
        .collect()
}

/// An item's media segments: Intro → intro, Outro → outro, Commercial → avail. A server
/// without the segments API (404) has none.
pub(crate) fn segments(http: &Http, key: &str) -> Result<Vec<Marker>, ServerError> {
    let v = match http.get_json(&format!("/MediaSegments/{}", enc(key))) {
        Ok(v) => v,
        Err(ServerError::Status { status: 404, .. }) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(segments_in(&v))
}

fn segments_in(v: &Value) -> Vec<Marker> {
    let mut out = Vec::new();
    for s in list(v, "Items") {
        let kind = match text(s.get("Type")).as_deref() {
            Some("Intro") => MarkerKind::Intro,
            Some("Outro") => MarkerKind::Outro,
            Some("Commercial") => MarkerKind::Avail,
            _ => continue,
        };
        let (Some(start_ms), Some(end_ms)) =
            (ms(int(s.get("StartTicks"))), ms(int(s.get("EndTicks"))))
        else {
            continue;
        };
        out.push(Marker {
            kind,
            start_ms,
            end_ms,
            label: None,
        });
    }
    out
}

/// Every decoder on one answer, as if it answered each request (for the fuzz target).
pub(crate) fn decode_any(v: &Value) -> usize {
    let sections = v
        .as_array()
        .map_or(0, |a| a.iter().filter_map(section).count());
    let shows: HashMap<String, Show> = HashMap::new();
    let items = list(v, "Items")
        .iter()
        .filter_map(|m| item(m, &shows).ok())
        .count();
    sections + items + segments_in(v).len() + identity_in(v).map_or(0, |_| 1)
}
