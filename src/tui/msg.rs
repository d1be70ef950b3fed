//! The messages: requests for the data thread (queries, and a person's writes it hands to
//! the writer) and its answers, each carrying the generation of the request it answers;
//! the effects the App asks of the loop, and what the loop says of a scan.

use crate::catalog::changesets::ChangesetRow;
use crate::catalog::events::Event;
use crate::catalog::markers::MarkerRow;
use crate::catalog::review::ReviewRow;
use crate::catalog::sources::CollectionRow;
use crate::catalog::status::ServiceRow;
use crate::catalog::views::{
    AssetFilter, AssetListRow, Dir, EpisodeRow, Key, SeasonRow, TitleListRow,
};
use crate::mapping::Rule;
use crate::model::MarkerKind;

/// What the data thread is asked for. `generation` ties an answer to its question.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Titles {
        generation: u64,
        dir: Dir,
        key: Option<Key>,
    },
    TitleCount {
        generation: u64,
    },
    /// File counts of these titles (answered apart from the page).
    TitleFiles {
        ids: Vec<i64>,
    },
    Seasons {
        generation: u64,
        title: i64,
        dir: Dir,
        key: Option<Key>,
    },
    Episodes {
        generation: u64,
        title: i64,
        season: Option<i64>,
        dir: Dir,
        key: Option<Key>,
    },
    LibraryAssets {
        generation: u64,
        episode: Option<i64>,
        movie: Option<i64>,
    },
    Assets {
        generation: u64,
        filter: AssetFilter,
        dir: Dir,
        key: Option<Key>,
    },
    AssetCount {
        generation: u64,
        filter: AssetFilter,
    },
    Review {
        generation: u64,
        dir: Dir,
        key: Option<Key>,
    },
    ReviewCount {
        generation: u64,
    },
    Markers {
        generation: u64,
        asset: i64,
        dir: Dir,
        key: Option<Key>,
    },
    Sources {
        generation: u64,
    },
    /// The organise batches, newest first.
    OrganiseBatches {
        generation: u64,
    },
    Status {
        generation: u64,
    },
    /// A page of one scan's event log, one kind or all.
    Events {
        generation: u64,
        changeset: i64,
        kind: Option<usize>,
        dir: Dir,
        key: Option<Key>,
    },
    EventCounts {
        generation: u64,
        changeset: i64,
    },
    MapTest {
        generation: u64,
        path: String,
    },
    Completions {
        generation: u64,
        prefix: String,
    },
    // Writes (answered with Done or Failed).
    Decide {
        item: i64,
        accept: bool,
        note: Option<String>,
    },
    /// Link a review item's file to an existing episode, or to a movie title.
    Link {
        item: i64,
        episode: Option<i64>,
        title: Option<i64>,
    },
    SetItem {
        item: i64,
        target: Box<crate::catalog::decide::Target>,
    },
    BulkAccept {
        min_confidence: f64,
    },
    Undo,
    AddMarker {
        asset: i64,
        marker: MarkerInput,
    },
    EditMarker {
        id: i64,
        marker: MarkerInput,
    },
    DeleteMarker {
        id: i64,
    },
    GenerateAvails {
        asset: i64,
        n: usize,
    },
    SetEnabled {
        collection: String,
        enabled: bool,
    },
    /// Ask a media server for its sections again.
    RefreshServer {
        source: String,
    },
    AddMapping {
        collection: String,
        remote: String,
        local: String,
    },
    RemoveMapping {
        id: i64,
    },
}

/// What the App asks the loop to do: the loop carries it out and tells the App what came
/// of it (`on_response`, `on_scan`). The App itself touches nothing outside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A query or a write, for the data thread.
    Ask(Request),
    /// Scan one collection, or every enabled one.
    Scan {
        collection: Option<String>,
    },
    CancelScan,
    /// Put this path on the terminal's clipboard (OSC 52).
    Copy(Vec<u8>),
    /// Plan (dry) or apply `shelf organise SRC --into DEST`, on a thread of its own.
    Organise {
        src: String,
        dest: String,
        moving: bool,
        dry_run: bool,
    },
    /// Put an organise batch back.
    OrganiseUndo {
        batch: i64,
    },
}

/// What an organise job the UI started came to.
#[derive(Debug, Clone)]
pub enum OrganiseEvent {
    Planned(Box<crate::worker::organise::OrganiseReport>),
    Done(Box<crate::worker::organise::OrganiseReport>),
    Undone(Box<crate::worker::organise::OrganiseReport>),
    /// One is running already.
    Refused(String),
    Failed(String),
}

impl From<Request> for Effect {
    fn from(r: Request) -> Self {
        Effect::Ask(r)
    }
}

/// What became of a scan the App asked for, as the loop sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanEvent {
    Started,
    /// It could not start (one is running; nothing to scan), or there was none to cancel.
    Refused(String),
    Canceling,
    Progress {
        line: String,
        fraction: f64,
    },
    /// It ended: the first line of its report, and whether any file had a problem.
    Finished {
        summary: String,
        problems: bool,
    },
    /// It stopped on an error of its own (the catalog, the lock).
    Failed(String),
}

impl Request {
    /// Counts, which on a big catalog take longer than a page: they are answered on a
    /// thread of their own, so they never hold up the rows of the next key.
    pub fn is_count(&self) -> bool {
        matches!(
            self,
            Request::TitleCount { .. }
                | Request::TitleFiles { .. }
                | Request::AssetCount { .. }
                | Request::ReviewCount { .. }
                | Request::EventCounts { .. }
        )
    }
}

/// A marker as typed: `KIND START [END] [LABEL]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerInput {
    pub kind: MarkerKind,
    pub start_ms: i64,
    pub end_ms: i64,
    pub label: Option<String>,
}

impl MarkerInput {
    /// Reads `[KIND] START [END] [LABEL…]`; times as HH:MM:SS(.mmm), MM:SS(.mmm) or ms. Without
    /// a kind it is an avail, without an end a point.
    pub(crate) fn parse(text: &str) -> Result<MarkerInput, MarkerInputError> {
        let first = text
            .split_whitespace()
            .next()
            .ok_or(MarkerInputError::Empty)?;
        // Without a kind, a time first means an avail (the common case: an ad break).
        let text = if crate::time::parse_offset(first).is_ok() {
            format!("avail {text}")
        } else {
            text.to_string()
        };
        let mut words = text.split_whitespace();
        let kind: MarkerKind = words
            .next()
            .ok_or(MarkerInputError::Empty)?
            .to_lowercase()
            .parse()?;
        let start = words.next().ok_or(MarkerInputError::NoStart)?;
        let start_ms = crate::time::parse_offset(start)?;
        let mut rest: Vec<&str> = words.collect();
        let end_ms = match rest.first().map(|w| crate::time::parse_offset(w)) {
            Some(Ok(end)) => {
                rest.remove(0);
                end
            }
            _ => start_ms,
        };
        let label = (!rest.is_empty()).then(|| rest.join(" "));
        Ok(MarkerInput {
            kind,
            start_ms,
            end_ms,
            label,
        })
    }

    /// The text `parse` reads back to the same marker.
    pub fn text(kind: MarkerKind, start_ms: i64, end_ms: i64, label: Option<&str>) -> String {
        let t = crate::time::fmt_offset;
        let mut s = format!("{kind} {} {}", t(start_ms), t(end_ms));
        if let Some(l) = label.filter(|l| !l.trim().is_empty()) {
            s.push(' ');
            s.push_str(l);
        }
        s
    }
}

/// Why a typed marker cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerInputError {
    #[error("type: [KIND] START [END] [LABEL], e.g. intro 0:00 1:30 Opening")]
    Empty,
    #[error(
        "a start time is needed; type: [KIND] START [END] [LABEL], e.g. intro 0:00 1:30 Opening"
    )]
    NoStart,
    #[error(transparent)]
    Kind(#[from] crate::model::UnknownKind),
    #[error(transparent)]
    Time(#[from] crate::time::BadOffset),
}

/// The data thread's answers.
#[derive(Debug, Clone)]
pub enum Response {
    Titles {
        generation: u64,
        dir: Dir,
        rows: Vec<TitleListRow>,
    },
    TitleCount {
        generation: u64,
        n: i64,
    },
    TitleFiles {
        counts: Vec<(i64, i64)>,
    },
    Seasons {
        generation: u64,
        dir: Dir,
        rows: Vec<SeasonRow>,
        total: i64,
    },
    Episodes {
        generation: u64,
        dir: Dir,
        rows: Vec<EpisodeRow>,
        total: i64,
    },
    LibraryAssets {
        generation: u64,
        rows: Vec<AssetListRow>,
    },
    Assets {
        generation: u64,
        dir: Dir,
        rows: Vec<AssetListRow>,
    },
    AssetCount {
        generation: u64,
        n: i64,
    },
    Review {
        generation: u64,
        dir: Dir,
        rows: Vec<ReviewRow>,
    },
    ReviewCount {
        generation: u64,
        n: i64,
    },
    Markers {
        generation: u64,
        dir: Dir,
        rows: Vec<MarkerRow>,
        total: i64,
    },
    Sources {
        generation: u64,
        collections: Vec<CollectionRow>,
        mappings: Vec<Rule>,
    },
    OrganiseBatches {
        generation: u64,
        rows: Vec<crate::catalog::organise::Batch>,
    },
    Status {
        generation: u64,
        services: Vec<ServiceRow>,
        changesets: Vec<ChangesetRow>,
        hash_pending: (i64, i64),
    },
    Events {
        generation: u64,
        dir: Dir,
        rows: Vec<Event>,
    },
    EventCounts {
        generation: u64,
        changeset: i64,
        counts: crate::catalog::events::KindCounts,
    },
    MapTest {
        generation: u64,
        answer: String,
    },
    Completions {
        generation: u64,
        rows: Vec<TitleListRow>,
    },
    /// A write finished; the message is shown and the panes reload.
    Done(String),
    Failed(String),
    /// Something else (another process, a scan) changed the catalog.
    Changed,
}
