//! The messages between the UI and its data thread: requests (queries, a person's writes,
//! scans) and the answers, each carrying the generation of the request it answers.

use crate::catalog::changesets::ChangesetRow;
use crate::catalog::markers::MarkerRow;
use crate::catalog::review::ItemRow;
use crate::catalog::sources::CollectionRow;
use crate::catalog::status::ServiceRow;
use crate::catalog::views::{AssetFilter, AssetItem, Dir, EpisodeItem, Key, SeasonItem, TitleItem};
use crate::mapping::Rule;

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
    Seasons {
        generation: u64,
        title: i64,
    },
    Episodes {
        generation: u64,
        title: i64,
        season: Option<i64>,
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
    },
    Sources {
        generation: u64,
    },
    Status {
        generation: u64,
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
    },
    SetItem {
        item: i64,
        target: Box<crate::catalog::review::Target>,
    },
    BulkAccept {
        min_confidence: f64,
    },
    Undo,
    AddMarker {
        asset: i64,
        kind: String,
        start_ms: i64,
    },
    DeleteMarker {
        id: i64,
    },
    GenerateAvails {
        asset: i64,
        n: usize,
    },
    // Scans, handled by the loop's scan worker.
    Scan {
        collection: Option<String>,
    },
    CancelScan,
    CopyPath(Vec<u8>),
}

/// The data thread's answers.
#[derive(Debug, Clone)]
pub enum Response {
    Titles {
        generation: u64,
        dir: Dir,
        rows: Vec<TitleItem>,
    },
    TitleCount {
        generation: u64,
        n: i64,
    },
    Seasons {
        generation: u64,
        rows: Vec<SeasonItem>,
    },
    Episodes {
        generation: u64,
        rows: Vec<EpisodeItem>,
    },
    LibraryAssets {
        generation: u64,
        rows: Vec<AssetItem>,
    },
    Assets {
        generation: u64,
        dir: Dir,
        rows: Vec<AssetItem>,
    },
    AssetCount {
        generation: u64,
        n: i64,
    },
    Review {
        generation: u64,
        dir: Dir,
        rows: Vec<ItemRow>,
    },
    ReviewCount {
        generation: u64,
        n: i64,
    },
    Markers {
        generation: u64,
        rows: Vec<MarkerRow>,
    },
    Sources {
        generation: u64,
        collections: Vec<CollectionRow>,
        mappings: Vec<Rule>,
    },
    Status {
        generation: u64,
        services: Vec<ServiceRow>,
        changesets: Vec<ChangesetRow>,
    },
    MapTest {
        generation: u64,
        answer: String,
    },
    Completions {
        generation: u64,
        rows: Vec<TitleItem>,
    },
    /// A write finished; the message is shown and the panes reload.
    Done(String),
    Failed(String),
    /// Something else (another process, a scan) changed the catalog.
    Changed,
}
