//! Media servers as sources (PRODUCT.md "Source"): a Plex or Jellyfin server's identity, its
//! library sections, and the items of a section with their files, names, ids, markers and
//! chapters. The answers are untrusted: every field is read leniently (Plex sends some
//! numbers as strings and some strings as numbers), and anything the model cannot hold is
//! a clear error for that collection, never a panic or a hang.
//!
//! A scan uses this through [`Client`]; the wire formats live in `plex` and `jellyfin`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::model::MarkerKind;

mod http;
pub(crate) mod jellyfin;
pub(crate) mod json;
pub(crate) mod plex;

pub(crate) use http::Http;

/// Which server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    Plex,
    Jellyfin,
}

impl ServerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::Plex => "plex",
            ServerKind::Jellyfin => "jellyfin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "plex" => Some(ServerKind::Plex),
            "jellyfin" => Some(ServerKind::Jellyfin),
            _ => None,
        }
    }

    /// The environment variable a token may come from.
    pub fn token_env(self) -> &'static str {
        match self {
            ServerKind::Plex => "SHELF_PLEX_TOKEN",
            ServerKind::Jellyfin => "SHELF_JELLYFIN_TOKEN",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ServerKind::Plex => "Plex",
            ServerKind::Jellyfin => "Jellyfin",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0}")]
    BadUrl(String),
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    #[error("{0} Unauthorized: the server refused the token")]
    Unauthorized(u16),
    #[error("the server answered {status} to {path}")]
    Status { status: u16, path: String },
    #[error("the server's answer makes no sense: {0}")]
    Bad(String),
    #[error("canceled")]
    Canceled,
}

/// Who answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub id: String,
    pub name: Option<String>,
    pub version: Option<String>,
}

/// What a section holds, as shelf catalogs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Shows,
    Movies,
    Photos,
    /// Movies and shows together (a Jellyfin library with no collection type).
    Mixed,
    /// Listed, never scanned: music, books, playlists.
    Other,
}

impl SectionKind {
    /// The collection kind it is cataloged as; `None` for what is not scanned.
    pub fn collection_kind(self) -> Option<crate::model::CollectionKind> {
        use crate::model::CollectionKind as K;
        match self {
            SectionKind::Shows => Some(K::Shows),
            SectionKind::Movies => Some(K::Movies),
            SectionKind::Photos => Some(K::Photos),
            SectionKind::Mixed => Some(K::Mixed),
            SectionKind::Other => None,
        }
    }
}

/// One library section (Plex) or library (Jellyfin).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The server's key for it: Plex's section key, Jellyfin's ItemId.
    pub key: String,
    pub title: String,
    pub kind: SectionKind,
    /// What the server calls the kind (`show`, `tvshows`, `artist`, …).
    pub server_type: String,
    /// The folders the server reads it from, as the server writes them.
    pub locations: Vec<String>,
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Movie,
    Episode,
    Photo,
    Video,
}

/// One file of an item: a version, or a part of a multi-part version.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// As the server reports it.
    pub path: String,
    pub size: Option<u64>,
    /// 1-based part of a version in several files.
    pub part: Option<u32>,
}

/// A time range the server knows on an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub start_ms: i64,
    pub end_ms: i64,
    pub label: Option<String>,
}

/// A show as its episodes refer to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Show {
    pub title: String,
    pub year: Option<u32>,
    pub ids: Vec<(&'static str, String)>,
}

/// One movie, episode or photo as the server lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    pub kind: ItemKind,
    /// Changes when the server's record of the item does (its metadata, its files).
    pub change: String,
    /// The movie's title, or the episode's show.
    pub title: Option<String>,
    pub year: Option<u32>,
    pub season: Option<u32>,
    /// The episode's numbers (several for a file that holds several).
    pub episodes: Vec<u32>,
    pub episode_title: Option<String>,
    pub air_date: Option<String>,
    /// The item's own ids (`imdb`, `tmdb`, `tvdb`).
    pub ids: Vec<(&'static str, String)>,
    /// An episode's show, with its ids.
    pub show: Option<Show>,
    pub parts: Vec<Part>,
    pub duration_ms: Option<i64>,
    /// Chapters, when the listing carries them (Jellyfin's do).
    pub chapters: Vec<Marker>,
    /// The item as the server sent it, kept in the catalog's provider refs.
    pub raw: Value,
}

/// An item as a listing gives it, before it is known whose its name is: a movie's title
/// and year are its own; an episode's are its show's, and its own name is the episode's.
pub(crate) struct Listed {
    pub key: String,
    pub kind: ItemKind,
    pub change: String,
    pub parts: Vec<Part>,
    /// Its own name and year (a movie's title, an episode's name).
    pub name: Option<String>,
    pub year: Option<u32>,
    pub season: Option<u32>,
    pub episodes: Vec<u32>,
    /// The show's key on the server, and the title to use when the shows' listing lacks it.
    pub show_key: Option<String>,
    pub show_title: Option<String>,
    pub air_date: Option<String>,
    pub ids: Vec<(&'static str, String)>,
    pub duration_ms: Option<i64>,
    pub chapters: Vec<Marker>,
    pub raw: Value,
}

impl Listed {
    /// The item, its show found among `shows`; an item with no file is an `Err` saying so.
    pub(crate) fn into_item(self, shows: &HashMap<String, Show>) -> Result<Item, String> {
        if self.parts.is_empty() {
            return Err(format!("item {}: no file", self.key));
        }
        let episode = self.kind == ItemKind::Episode;
        let show = episode.then(|| {
            self.show_key
                .as_ref()
                .and_then(|k| shows.get(k).cloned())
                .unwrap_or_else(|| Show {
                    title: self.show_title.clone().unwrap_or_default(),
                    ..Show::default()
                })
        });
        let (title, year, episode_title) = match &show {
            Some(s) => (
                Some(s.title.clone()).filter(|t| !t.is_empty()),
                s.year,
                self.name,
            ),
            None => (self.name, self.year, None),
        };
        Ok(Item {
            key: self.key,
            kind: self.kind,
            change: self.change,
            title,
            year,
            season: self.season.filter(|_| episode),
            episodes: if episode { self.episodes } else { Vec::new() },
            episode_title,
            air_date: self.air_date,
            ids: self.ids,
            show,
            parts: self.parts,
            duration_ms: self.duration_ms.filter(|d| *d >= 0),
            chapters: self.chapters,
            raw: self.raw,
        })
    }
}

/// A section's items, and what could not be read of them.
#[derive(Debug, Default)]
pub struct Listing {
    pub items: Vec<Item>,
    /// Items skipped, and why (no key, no file).
    pub problems: Vec<String>,
}

/// How many items a page asks for.
pub const PAGE_SIZE: usize = 200;
/// More items than any library holds: a total above it is an absurd answer.
pub const MAX_ITEMS: usize = 5_000_000;

/// A connection to one server.
pub struct Client {
    pub kind: ServerKind,
    http: Http,
}

impl Client {
    /// A client for the server at `url`, with its token, trusting `ca` (PEM) when given.
    pub fn new(
        kind: ServerKind,
        url: &str,
        token: Option<&str>,
        ca: Option<&str>,
    ) -> Result<Self, ServerError> {
        let auth = token.map(|t| match kind {
            ServerKind::Plex => ("X-Plex-Token", t.to_owned()),
            ServerKind::Jellyfin => ("Authorization", format!("MediaBrowser Token=\"{t}\"")),
        });
        Ok(Self {
            kind,
            http: Http::new(url, auth, ca)?,
        })
    }

    pub fn url(&self) -> &str {
        self.http.base()
    }

    /// Who the server is (needs no token).
    pub fn identity(&self) -> Result<Identity, ServerError> {
        match self.kind {
            ServerKind::Plex => plex::identity(&self.http),
            ServerKind::Jellyfin => jellyfin::identity(&self.http),
        }
    }

    /// The library sections (needs the token: a bad one is `Unauthorized`).
    pub fn sections(&self) -> Result<Vec<Section>, ServerError> {
        match self.kind {
            ServerKind::Plex => plex::sections(&self.http),
            ServerKind::Jellyfin => jellyfin::sections(&self.http),
        }
    }

    /// Every item of a section, page by page.
    pub fn items(
        &self,
        section: &SectionRef<'_>,
        cancel: &AtomicBool,
    ) -> Result<Listing, ServerError> {
        match self.kind {
            ServerKind::Plex => plex::items(&self.http, section, cancel),
            ServerKind::Jellyfin => jellyfin::items(&self.http, section, cancel),
        }
    }

    /// An item's markers (intro, credits, commercials) and chapters, fetched on their own.
    pub fn markers(&self, item: &Item) -> Result<Vec<Marker>, ServerError> {
        match self.kind {
            ServerKind::Plex => plex::markers(&self.http, &item.key),
            ServerKind::Jellyfin => {
                let mut m = jellyfin::segments(&self.http, &item.key)?;
                m.extend(item.chapters.iter().cloned());
                Ok(m)
            }
        }
    }
}

/// Every decoder of server answers, Plex's and Jellyfin's, on one body as it came off the
/// wire: each must return, never panic (the fuzz target). How many things it read.
pub fn decode_all(body: &[u8]) -> usize {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => plex::decode_any(&v) + jellyfin::decode_any(&v),
        Err(_) => 0,
    }
}

/// The section a scan lists: its key and what kind of items to ask for.
#[derive(Debug, Clone, Copy)]
pub struct SectionRef<'a> {
    pub key: &'a str,
    pub kind: crate::model::CollectionKind,
}

/// Pages through a listing: `fetch(start, size)` returns a page's items and the total when
/// the server says it. Advances by what was returned; stops on an empty page or at the
/// total; a server that repeats a page or claims an absurd total is an error, not a loop.
pub(crate) fn paged(
    cancel: &AtomicBool,
    mut fetch: impl FnMut(usize, usize) -> Result<(Vec<Value>, Option<usize>), ServerError>,
    mut each: impl FnMut(Value),
) -> Result<(), ServerError> {
    let mut start = 0usize;
    let mut last_first: Option<String> = None;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(ServerError::Canceled);
        }
        let (page, total) = fetch(start, PAGE_SIZE)?;
        if let Some(t) = total.filter(|t| *t > MAX_ITEMS) {
            return Err(ServerError::Bad(format!("it claims {t} items")));
        }
        let Some(first) = page.first() else { break };
        // A server that ignores the start would hand back the same page forever.
        let first = first.to_string();
        if last_first.as_deref() == Some(first.as_str()) {
            return Err(ServerError::Bad(format!(
                "it sent the same page again at item {start}"
            )));
        }
        last_first = Some(first);
        start += page.len();
        page.into_iter().for_each(&mut each);
        if total.is_some_and(|t| start >= t) || start >= MAX_ITEMS {
            break;
        }
    }
    Ok(())
}

/// `tt0133093`-style ids from a Plex Guid (`imdb://tt…`, `tmdb://…`, `tvdb://…`) or a legacy
/// agent URI (`com.plexapp.agents.imdb://tt…?lang=en`). Episode URIs of the legacy TVDB
/// agent (`thetvdb://show/season/episode`) name the show, not the episode: not taken.
pub(crate) fn provider_id(uri: &str) -> Option<(&'static str, String)> {
    let (scheme, rest) = uri.split_once("://")?;
    let scheme = scheme
        .rsplit('.')
        .next()
        .unwrap_or(scheme)
        .to_ascii_lowercase();
    let provider = match scheme.as_str() {
        "imdb" => "imdb",
        "tmdb" | "themoviedb" => "tmdb",
        "tvdb" | "thetvdb" => "tvdb",
        _ => return None,
    };
    let id = rest.split(['?', '#']).next().unwrap_or_default();
    if id.is_empty() || id.contains('/') || id.len() > 64 {
        return None;
    }
    Some((provider, id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pages(
        answer: impl Fn(usize, usize) -> (Vec<Value>, Option<usize>),
    ) -> Result<Vec<Value>, ServerError> {
        let mut got = Vec::new();
        let cancel = AtomicBool::new(false);
        paged(&cancel, |s, n| Ok(answer(s, n)), |v| got.push(v))?;
        Ok(got)
    }

    fn items(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({ "k": i })).collect()
    }

    #[test]
    fn paging_advances_by_what_came_back_under_a_server_cap() {
        let all = items(7);
        // The server hands back at most 3 whatever was asked.
        let got = pages(|s, n| {
            (
                all.iter().skip(s).take(n.min(3)).cloned().collect(),
                Some(7),
            )
        })
        .unwrap();
        assert_eq!(got, all);
    }

    #[test]
    fn paging_stops_on_an_empty_page_when_there_is_no_total() {
        let all = items(5);
        let got =
            pages(|s, n| (all.iter().skip(s).take(n.min(2)).cloned().collect(), None)).unwrap();
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn a_server_that_repeats_its_page_or_claims_absurd_totals_is_an_error_not_a_loop() {
        let all = items(3);
        let r = pages(|_, _| (all.clone(), None));
        assert!(matches!(r, Err(ServerError::Bad(m)) if m.contains("same page")));
        let r = pages(|_, _| (all.clone(), Some(MAX_ITEMS + 1)));
        assert!(matches!(r, Err(ServerError::Bad(_))));
        // A total larger than what the server ever returns ends at the empty page.
        let got = pages(|s, _| (all.iter().skip(s).cloned().collect(), Some(100))).unwrap();
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn provider_ids_from_guids_and_legacy_agents() {
        assert_eq!(
            provider_id("imdb://tt0133093"),
            Some(("imdb", "tt0133093".into()))
        );
        assert_eq!(provider_id("tmdb://603"), Some(("tmdb", "603".into())));
        assert_eq!(
            provider_id("com.plexapp.agents.imdb://tt0133093?lang=en"),
            Some(("imdb", "tt0133093".into()))
        );
        assert_eq!(
            provider_id("com.plexapp.agents.themoviedb://603?lang=en"),
            Some(("tmdb", "603".into()))
        );
        // A legacy episode URI names the show: not the episode's id.
        assert_eq!(
            provider_id("com.plexapp.agents.thetvdb://81189/1/1?lang=en"),
            None
        );
        assert_eq!(provider_id("plex://movie/5d7768"), None);
        assert_eq!(provider_id("local://12"), None);
    }

    #[test]
    fn numbers_as_strings_and_strings_as_numbers_read_alike() {
        use json::{int, small, text};
        let v = json!({"a": "42", "b": 42, "c": 42.0, "d": "x", "e": -1, "f": [1]});
        assert_eq!(int(v.get("a")), Some(42));
        assert_eq!(int(v.get("b")), Some(42));
        assert_eq!(int(v.get("c")), Some(42));
        assert_eq!(int(v.get("d")), None);
        assert_eq!(small(v.get("e")), None);
        assert_eq!(text(v.get("b")).as_deref(), Some("42"));
        assert_eq!(text(v.get("f")), None);
    }

    #[test]
    fn decoders_survive_wrong_shapes() {
        for body in [
            &b"null"[..],
            b"[]",
            b"{\"MediaContainer\": []}",
            b"{\"MediaContainer\": {\"Metadata\": {\"a\": 1}}}",
            b"{\"MediaContainer\": {\"Metadata\": [{\"ratingKey\": {}, \"Media\": 3}]}}",
            b"{\"Items\": [{\"Id\": 1, \"Type\": \"Episode\", \"MediaSources\": [{\"Path\": 5}], \"IndexNumber\": -3, \"IndexNumberEnd\": 99999}]}",
            b"{\"Items\": [{\"Type\": \"Intro\", \"StartTicks\": \"1\", \"EndTicks\": 1e300}]}",
        ] {
            decode_all(body);
        }
    }
}
