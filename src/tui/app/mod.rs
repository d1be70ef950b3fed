//! The UI's state and its one mutator. `App::update(action)` and `App::on_response(answer)`
//! change state and return requests for the data thread; views only read `App`. Every list
//! holds a window of at most two pages and asks for the next page by key when the cursor
//! leaves it, so a million rows cost the same as a hundred. Answers carry the generation of
//! the request; stale ones are dropped.

use std::collections::HashMap;

use crate::catalog::changesets::ChangesetRow;
use crate::catalog::events::Event;
use crate::catalog::markers::MarkerRow;
use crate::catalog::review::ItemRow;
use crate::catalog::sources::CollectionRow;
use crate::catalog::status::ServiceRow;
use crate::catalog::views::{AssetFilter, AssetItem, Dir, EpisodeItem, SeasonItem, TitleItem};
use crate::mapping::Rule;

pub use super::form::{EditForm, FORM_LABELS};
use super::keymap::Action;
pub use super::msg::{Effect, MarkerInput, Request, Response, ScanEvent};
pub use super::paged::{PAGE, Paged};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Assets,
    Review,
    Markers,
    Sources,
    Status,
}

impl Screen {
    pub const ALL: [Screen; 6] = [
        Self::Library,
        Self::Assets,
        Self::Review,
        Self::Markers,
        Self::Sources,
        Self::Status,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Self::Library => "Library",
            Self::Assets => "Assets",
            Self::Review => "Review",
            Self::Markers => "Markers",
            Self::Sources => "Sources",
            Self::Status => "Status",
        }
    }
    fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Which column of the Library has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LibFocus {
    #[default]
    Titles,
    Seasons,
    Episodes,
}

/// A one-line input at the bottom (search, command line, a confidence, a time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    Search,
    Palette,
    BulkAccept,
    /// An optional note for rejecting this review item.
    RejectNote(i64),
    MarkerNew,
    MarkerEdit(i64),
    AvailCount,
    MapTest,
    /// A new mapping for this collection: `REMOTE -> LOCAL`.
    MapAdd(String),
    /// "y" removes this mapping.
    MapRemove(i64),
}

/// A list on screen, for the mouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Titles,
    Seasons,
    Episodes,
    Assets,
    Review,
    Markers,
    Collections,
    Mappings,
    Changesets,
    Events,
}

/// Where the last frame drew a list (its bordered area) and the index of its first row.
/// The view returns these; the mouse reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub list: List,
    pub area: ratatui::layout::Rect,
    pub first: u64,
}

/// Linking a review item's file: the person picks the episode (or movie) on the Library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub item: i64,
    pub path: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The scan this UI runs, as its worker reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanView {
    pub running: bool,
    pub line: String,
    pub fraction: f64,
    pub last: Option<String>,
}

/// The Library: titles, a title's seasons, a season's episodes, and the files of what is
/// selected; and a link in progress (a review item's file waiting for its episode).
#[derive(Default)]
pub struct Library {
    pub focus: LibFocus,
    pub titles: Paged<TitleItem>,
    pub seasons: Paged<SeasonItem>,
    pub episodes: Paged<EpisodeItem>,
    pub files: Vec<AssetItem>,
    pub pick: Option<Pick>,
}

/// Assets: every file, filtered and searched.
#[derive(Default)]
pub struct Assets {
    pub filter: AssetFilter,
    pub list: Paged<AssetItem>,
}

/// Review: the queue.
#[derive(Default)]
pub struct Review {
    pub items: Paged<ItemRow>,
}

/// Markers of one file: the one selected last on the Library or Assets.
#[derive(Default)]
pub struct Markers {
    pub asset: Option<AssetItem>,
    /// The asset `list` holds the markers of.
    pub of: Option<i64>,
    pub list: Paged<MarkerRow>,
}

/// Sources: collections, path mappings (with the cursor on them), a path tested.
#[derive(Default)]
pub struct Sources {
    pub collections: Paged<CollectionRow>,
    pub mappings: Vec<Rule>,
    pub cursor: usize,
    pub test: Option<String>,
}

/// Status: services, recent changesets, and one changeset's events.
#[derive(Default)]
pub struct Status {
    pub services: Vec<ServiceRow>,
    pub changesets: Vec<ChangesetRow>,
    /// The changeset whose events show, and whether the person chose it (else the newest
    /// scan is followed).
    pub selected: Option<i64>,
    pub chosen: bool,
    pub events: Paged<Event>,
    /// One kind of event, or all.
    pub kind: Option<usize>,
    pub counts: Option<(i64, crate::catalog::events::KindCounts)>,
}

pub struct App {
    pub form: Option<EditForm>,
    pub screen: Screen,
    pub read_only: bool,
    pub quit: bool,
    pub help: bool,
    pub help_scroll: usize,
    /// How far the help could scroll when last drawn.
    pub help_max: usize,
    pub message: Option<(Level, String)>,
    pub input: Option<(InputKind, String)>,
    /// Where the input line's cursor is (a char index), when not at the end.
    pub input_cursor: Option<usize>,
    pub generation: u64,
    pub viewport: u64,
    pub library: Library,
    pub assets: Assets,
    pub review: Review,
    pub markers: Markers,
    pub sources: Sources,
    pub status: Status,
    pub scan: ScanView,
    /// Sources and Status have two lists; this says the lower one has the keys.
    pub lower: bool,
    /// Where the last frame drew each list, for the mouse.
    pub hits: Vec<Hit>,
}

const KINDS: [Option<&str>; 6] = [
    None,
    Some("video"),
    Some("audio"),
    Some("image"),
    Some("subtitle"),
    Some("other"),
];

impl App {
    pub fn new(read_only: bool) -> Self {
        App {
            form: None,
            screen: Screen::Library,
            read_only,
            quit: false,
            help: false,
            help_scroll: 0,
            help_max: 0,
            message: None,
            input: None,
            input_cursor: None,
            generation: 0,
            viewport: 20,
            library: Library::default(),
            assets: Assets::default(),
            review: Review::default(),
            markers: Markers::default(),
            sources: Sources::default(),
            status: Status::default(),
            scan: ScanView::default(),
            lower: false,
            hits: Vec::new(),
        }
    }

    fn next_gen(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// What the last frame drew that keys and the mouse depend on.
    pub fn drawn(&mut self, d: super::view::Drawn) {
        self.hits = d.hits;
        self.help_max = d.help_max;
    }

    /// What the first frame needs.
    pub fn start(&mut self) -> Vec<Effect> {
        asks(self.reload())
    }

    /// The one mutator for keys. A write is refused here, once, in read-only mode; scans
    /// and the clipboard come back as effects for the loop.
    pub fn update(&mut self, a: Action) -> Vec<Effect> {
        if !self.help {
            if a.is_write() && self.read_only {
                return asks(self.refuse_read_only());
            }
            match a {
                Action::ScanAll => return vec![Effect::Scan { collection: None }],
                Action::ScanSelected if self.screen == Screen::Sources => {
                    let collection = self.sources.collections.selected().map(|c| c.name.clone());
                    return vec![Effect::Scan { collection }];
                }
                Action::CancelScan => return vec![Effect::CancelScan],
                Action::CopyPath => return self.copy_path(),
                _ => {}
            }
        }
        asks(self.act(a))
    }

    /// The selected file's path, for the clipboard.
    fn copy_path(&mut self) -> Vec<Effect> {
        let p = match self.screen {
            Screen::Assets => self.assets.list.selected().map(|a| a.path.clone()),
            Screen::Review => self.review.items.selected().map(|i| i.path.clone()),
            Screen::Library => self.library.files.first().map(|a| a.path.clone()),
            Screen::Markers => self.markers.asset.as_ref().map(|a| a.path.clone()),
            _ => None,
        };
        let Some(p) = p else {
            return Vec::new();
        };
        self.message = Some((Level::Info, format!("copied {}", crate::paths::display(&p))));
        vec![Effect::Copy(p)]
    }

    /// What the loop says of a scan this UI asked for.
    pub fn on_scan(&mut self, e: ScanEvent) -> Vec<Effect> {
        match e {
            ScanEvent::Started => {
                self.scan.running = true;
                self.scan.fraction = 0.0;
                self.message = Some((Level::Info, "scan started".into()));
            }
            ScanEvent::Refused(why) => self.message = Some((Level::Error, why)),
            ScanEvent::Canceling => {
                self.message = Some((Level::Info, "canceling the scan…".into()))
            }
            ScanEvent::Progress { line, fraction } => {
                self.scan.line = line;
                // Progress never moves backwards on screen.
                self.scan.fraction = self.scan.fraction.max(fraction);
            }
            ScanEvent::Finished { summary, problems } => {
                self.scan.running = false;
                self.scan.fraction = 1.0;
                self.scan.last = Some(summary.clone());
                let level = if problems { Level::Error } else { Level::Info };
                self.message = Some((level, summary));
                return asks(self.reload());
            }
            ScanEvent::Failed(why) => {
                self.scan.running = false;
                self.message = Some((Level::Error, format!("scan: {why}")));
                return asks(self.reload());
            }
        }
        Vec::new()
    }

    /// Reloads what the current screen shows (after a write or an outside change).
    pub fn reload(&mut self) -> Vec<Request> {
        let g = self.next_gen();
        let mut out = vec![Request::Status { generation: g }];
        match self.screen {
            Screen::Library => {
                self.library.titles.asking(g);
                let (dir, key) = self.library.titles.reload_from(TitleItem::key);
                // The page first: the data thread answers in order, and rows matter more
                // than the count (which on a big catalog takes longer).
                out.push(Request::Titles {
                    generation: g,
                    dir,
                    key,
                });
                out.push(Request::TitleCount { generation: g });
                out.extend(self.refresh_selection(g));
            }
            Screen::Assets => {
                self.assets.list.asking(g);
                let (dir, key) = self.assets.list.reload_from(|a| a.key(&self.assets.filter));
                out.push(Request::Assets {
                    generation: g,
                    filter: self.assets.filter.clone(),
                    dir,
                    key,
                });
                out.push(Request::AssetCount {
                    generation: g,
                    filter: self.assets.filter.clone(),
                });
            }
            Screen::Review => {
                self.review.items.asking(g);
                let (dir, key) = self.review.items.reload_from(ItemRow::key);
                out.push(Request::Review {
                    generation: g,
                    dir,
                    key,
                });
                out.push(Request::ReviewCount { generation: g });
            }
            Screen::Markers => {
                if let Some(a) = &self.markers.asset {
                    if self.markers.of != Some(a.id) {
                        // Another file: its markers from the start.
                        self.markers.list = Paged::default();
                        self.markers.of = Some(a.id);
                    }
                    self.markers.list.generation = g;
                    let (dir, key) = self.markers.list.reload_from(MarkerRow::key);
                    out.push(Request::Markers {
                        generation: g,
                        asset: a.id,
                        dir,
                        key,
                    });
                }
            }
            Screen::Sources => {
                self.sources.collections.generation = g;
                out.push(Request::Sources { generation: g });
            }
            Screen::Status => {
                let (dir, key) = self.status.events.reload_from(Event::key);
                out.extend(self.event_requests(dir, key));
            }
        }
        out
    }

    /// Asks again for what hangs off the Library's selection (its seasons, episodes, files),
    /// keeping the cursors where they are: after a write or a scan they may have changed.
    fn refresh_selection(&mut self, g: u64) -> Vec<Request> {
        let Some(t) = self.library.titles.selected().cloned() else {
            return Vec::new();
        };
        if t.kind == "movie" {
            return vec![Request::LibraryAssets {
                generation: g,
                episode: None,
                movie: Some(t.id),
            }];
        }
        // The seasons from where they are; from Titles their answer asks for the episodes,
        // which answer with their files.
        self.library.seasons.generation = g;
        let (dir, key) = self.library.seasons.reload_from(SeasonItem::key);
        let mut out = vec![Request::Seasons {
            generation: g,
            title: t.id,
            dir,
            key,
        }];
        match (self.library.focus, self.library.seasons.selected()) {
            (LibFocus::Titles, _) => {}
            (_, Some(s)) => {
                self.library.episodes.generation = g;
                let (dir, key) = self.library.episodes.reload_from(EpisodeItem::key);
                out.push(Request::Episodes {
                    generation: g,
                    title: t.id,
                    season: Some(s.id),
                    dir,
                    key,
                });
            }
            _ => {}
        }
        out
    }

    /// The selected scan's events (from `key` on, to keep the place) and their counts.
    fn event_requests(
        &mut self,
        dir: Dir,
        key: Option<crate::catalog::views::Key>,
    ) -> Vec<Request> {
        let g = self.next_gen();
        let Some(page) = self.events_page(g, dir, key) else {
            return Vec::new();
        };
        let changeset = self.status.selected.unwrap_or_default();
        vec![
            page,
            Request::EventCounts {
                generation: g,
                changeset,
            },
        ]
    }

    /// A page of the selected scan's events, under generation `g`.
    fn events_page(
        &mut self,
        g: u64,
        dir: Dir,
        key: Option<crate::catalog::views::Key>,
    ) -> Option<Request> {
        let changeset = self.status.selected?;
        self.status.events.asking(g);
        Some(Request::Events {
            generation: g,
            changeset,
            kind: self.status.kind,
            dir,
            key,
        })
    }

    /// The Status changeset under the cursor changed: its events start from the top.
    fn select_changeset(&mut self, id: Option<i64>) -> Vec<Request> {
        if id == self.status.selected {
            return Vec::new();
        }
        self.status.selected = id;
        self.status.events = Paged::default();
        self.status.counts = None;
        self.event_requests(Dir::First, None)
    }

    fn page_request(&mut self, dir: Dir) -> Vec<Request> {
        let g = self.next_gen();
        match self.screen {
            Screen::Library if self.library.focus == LibFocus::Titles => {
                let key = self.library.titles.anchor(dir, TitleItem::key);
                self.library.titles.asking(g);
                vec![Request::Titles {
                    generation: g,
                    dir,
                    key,
                }]
            }
            Screen::Library if self.library.focus == LibFocus::Seasons => {
                let Some(title) = self.library.titles.selected().map(|t| t.id) else {
                    return Vec::new();
                };
                let key = self.library.seasons.anchor(dir, SeasonItem::key);
                self.library.seasons.asking(g);
                vec![Request::Seasons {
                    generation: g,
                    title,
                    dir,
                    key,
                }]
            }
            Screen::Library if self.library.focus == LibFocus::Episodes => {
                let (Some(t), Some(s)) = (
                    self.library.titles.selected(),
                    self.library.seasons.selected(),
                ) else {
                    return Vec::new();
                };
                let (title, season) = (t.id, s.id);
                let key = self.library.episodes.anchor(dir, EpisodeItem::key);
                self.library.episodes.asking(g);
                vec![Request::Episodes {
                    generation: g,
                    title,
                    season: Some(season),
                    dir,
                    key,
                }]
            }
            Screen::Assets => {
                let key = self.assets.list.anchor(dir, |a| a.key(&self.assets.filter));
                self.assets.list.asking(g);
                vec![Request::Assets {
                    generation: g,
                    filter: self.assets.filter.clone(),
                    dir,
                    key,
                }]
            }
            Screen::Review => {
                let key = self.review.items.anchor(dir, ItemRow::key);
                self.review.items.asking(g);
                vec![Request::Review {
                    generation: g,
                    dir,
                    key,
                }]
            }
            Screen::Markers => {
                let Some(asset) = self.markers.asset.as_ref().map(|a| a.id) else {
                    return Vec::new();
                };
                let key = self.markers.list.anchor(dir, MarkerRow::key);
                self.markers.list.asking(g);
                vec![Request::Markers {
                    generation: g,
                    asset,
                    dir,
                    key,
                }]
            }
            Screen::Status => {
                let key = self.status.events.anchor(dir, Event::key);
                self.events_page(g, dir, key).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Moves the focused list by `delta` rows (or to an absolute row with `to`).
    fn motion(&mut self, delta: i64, to: Option<i64>) -> Vec<Request> {
        let dir = match (self.screen, self.library.focus) {
            (Screen::Library, LibFocus::Titles) => self.library.titles.step(delta, to),
            (Screen::Library, LibFocus::Seasons) => self.library.seasons.step(delta, to),
            (Screen::Library, LibFocus::Episodes) => self.library.episodes.step(delta, to),
            (Screen::Assets, _) => self.assets.list.step(delta, to),
            (Screen::Review, _) => self.review.items.step(delta, to),
            (Screen::Markers, _) => self.markers.list.step(delta, to),
            (Screen::Sources, _) if self.lower => {
                let t = to.unwrap_or(self.sources.cursor as i64 + delta);
                self.sources.cursor = clamp_index(t, self.sources.mappings.len());
                None
            }
            (Screen::Sources, _) => self.sources.collections.step(delta, to),
            (Screen::Status, _) if self.lower => self.status.events.step(delta, to),
            (Screen::Status, _) => {
                let cur = self
                    .status
                    .changesets
                    .iter()
                    .position(|c| Some(c.id) == self.status.selected)
                    .unwrap_or(0);
                let t = to.unwrap_or(cur as i64 + delta);
                let id = self
                    .status
                    .changesets
                    .get(clamp_index(t, self.status.changesets.len()))
                    .map(|c| c.id);
                self.status.chosen = true;
                return self.select_changeset(id);
            }
        };
        let mut out = match dir {
            Some(d)
                if matches!(
                    self.screen,
                    Screen::Library
                        | Screen::Assets
                        | Screen::Review
                        | Screen::Markers
                        | Screen::Status
                ) =>
            {
                self.page_request(d)
            }
            _ => Vec::new(),
        };
        out.extend(self.follow_selection());
        out
    }

    /// What depends on the selection: a title's seasons, a season's episodes, files, markers.
    fn follow_selection(&mut self) -> Vec<Request> {
        if self.screen != Screen::Library {
            if self.screen == Screen::Assets {
                self.markers.asset = self.assets.list.selected().cloned();
            }
            return Vec::new();
        }
        let g = self.next_gen();
        match self.library.focus {
            LibFocus::Titles => {
                let Some(t) = self.library.titles.selected().cloned() else {
                    return Vec::new();
                };
                self.library.seasons = Paged {
                    generation: g,
                    loading: true,
                    ..Paged::default()
                };
                self.library.episodes = Paged::default();
                if t.kind == "movie" {
                    vec![Request::LibraryAssets {
                        generation: g,
                        episode: None,
                        movie: Some(t.id),
                    }]
                } else {
                    self.library.files.clear();
                    vec![Request::Seasons {
                        generation: g,
                        title: t.id,
                        dir: Dir::First,
                        key: None,
                    }]
                }
            }
            LibFocus::Seasons => {
                let (Some(t), Some(s)) = (
                    self.library.titles.selected().cloned(),
                    self.library.seasons.selected().cloned(),
                ) else {
                    return Vec::new();
                };
                self.library.episodes = Paged {
                    generation: g,
                    loading: true,
                    ..Paged::default()
                };
                self.library.files.clear();
                vec![Request::Episodes {
                    generation: g,
                    title: t.id,
                    season: Some(s.id),
                    dir: Dir::First,
                    key: None,
                }]
            }
            LibFocus::Episodes => {
                let Some(e) = self.library.episodes.selected().cloned() else {
                    return Vec::new();
                };
                vec![Request::LibraryAssets {
                    generation: g,
                    episode: Some(e.id),
                    movie: None,
                }]
            }
        }
    }

    fn switch(&mut self, s: Screen) -> Vec<Request> {
        if s != Screen::Library {
            // Leaving the Library ends a pick.
            self.library.pick = None;
        }
        if s != self.screen {
            self.lower = false;
        }
        self.screen = s;
        self.help = false;
        if s == Screen::Library
            && let Some(a) = self.library.files.first()
        {
            self.markers.asset = Some(a.clone());
        }
        self.reload()
    }

    /// Says why nothing can be written, and asks for nothing.
    fn refuse_read_only(&mut self) -> Vec<Request> {
        self.message = Some((
            Level::Error,
            "read-only: this catalog was opened with --read-only".into(),
        ));
        Vec::new()
    }

    /// Enter on the Library while linking: an episode (or a movie title) under the cursor
    /// is the pick; anything else drills in as usual.
    fn pick_here(&mut self) -> Vec<Request> {
        let Some(pick) = self.library.pick.clone() else {
            return Vec::new();
        };
        let (episode, title) = match self.library.focus {
            LibFocus::Episodes => match self.library.episodes.selected() {
                Some(e) => (Some(e.id), None),
                None => return Vec::new(),
            },
            LibFocus::Titles => match self.library.titles.selected() {
                Some(t) if t.kind == "movie" => (None, Some(t.id)),
                _ => {
                    self.library.focus = LibFocus::Seasons;
                    return self.follow_selection();
                }
            },
            LibFocus::Seasons => {
                self.library.focus = LibFocus::Episodes;
                return self.follow_selection();
            }
        };
        // The link first, then the queue: the data thread answers in order, so the
        // reloaded queue no longer holds the item and the cursor is on the next one.
        let mut out = vec![Request::Link {
            item: pick.item,
            episode,
            title,
        }];
        out.extend(self.switch(Screen::Review));
        out
    }

    /// The markers the Library shows: those held for its (first) file, if they are its.
    pub fn lib_markers(&self) -> &[MarkerRow] {
        match self.library.files.first() {
            Some(a) if self.markers.of == Some(a.id) => &self.markers.list.rows,
            _ => &[],
        }
    }

    /// Gives the keys to the list under (x, y); its row there, if it is on a row.
    fn aim(&mut self, x: u16, y: u16) -> Option<u64> {
        let hit = self
            .hits
            .iter()
            .rev()
            .find(|h| h.area.contains(ratatui::layout::Position { x, y }))
            .copied()?;
        match hit.list {
            List::Titles => self.library.focus = LibFocus::Titles,
            List::Seasons => self.library.focus = LibFocus::Seasons,
            List::Episodes => self.library.focus = LibFocus::Episodes,
            List::Collections | List::Changesets => self.lower = false,
            List::Mappings | List::Events => self.lower = true,
            List::Assets | List::Review | List::Markers => {}
        }
        // Inside the borders: the rows start one line down.
        let top = hit.area.y + 1;
        (y >= top && y + 1 < hit.area.y + hit.area.height).then(|| hit.first + (y - top) as u64)
    }

    /// A click: the row under it is selected (in the list under it).
    pub fn click(&mut self, x: u16, y: u16) -> Vec<Effect> {
        if self.form.is_some() || self.help || self.input.is_some() {
            return Vec::new();
        }
        match self.aim(x, y) {
            Some(row) => asks(self.motion(0, Some(row as i64))),
            None => Vec::new(),
        }
    }

    /// The wheel: the list under the pointer moves by `delta` rows.
    pub fn scroll(&mut self, x: u16, y: u16, delta: i64) -> Vec<Effect> {
        if self.form.is_some() || self.help || self.input.is_some() {
            return Vec::new();
        }
        self.aim(x, y);
        asks(self.motion(delta, None))
    }

    /// What a key does to the state, and the data it needs.
    fn act(&mut self, a: Action) -> Vec<Request> {
        if self.help {
            // The help screen scrolls; other keys wait until it is closed.
            let page = self.viewport.max(1) as usize;
            match a {
                Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                Action::Down => self.help_scroll += 1,
                Action::PageUp | Action::HalfPageUp => {
                    self.help_scroll = self.help_scroll.saturating_sub(page)
                }
                Action::PageDown | Action::HalfPageDown => self.help_scroll += page,
                Action::Top => self.help_scroll = 0,
                Action::Bottom => self.help_scroll = usize::MAX,
                Action::Help | Action::Dismiss | Action::Quit => {}
                _ => return Vec::new(),
            }
            // No further than the last frame could scroll, so Up answers at once.
            self.help_scroll = self.help_scroll.min(self.help_max);
            if !matches!(a, Action::Help | Action::Dismiss | Action::Quit) {
                return Vec::new();
            }
        }
        let half = (self.viewport / 2).max(1) as i64;
        let page = self.viewport.max(1) as i64;
        match a {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::Help => {
                self.help = !self.help;
                self.help_scroll = 0;
                Vec::new()
            }
            Action::Dismiss
                if !self.help && self.message.is_none() && self.library.pick.is_some() =>
            {
                self.library.pick = None;
                self.message = Some((Level::Info, "link canceled".into()));
                self.switch(Screen::Review)
            }
            Action::Dismiss => {
                self.help = false;
                self.message = None;
                Vec::new()
            }
            Action::Palette => {
                self.input = Some((InputKind::Palette, String::new()));
                Vec::new()
            }
            Action::NextScreen => self.switch(Screen::ALL[(self.screen.index() + 1) % 6]),
            Action::PrevScreen => self.switch(Screen::ALL[(self.screen.index() + 5) % 6]),
            Action::Library => self.switch(Screen::Library),
            Action::Assets => self.switch(Screen::Assets),
            Action::Review => self.switch(Screen::Review),
            Action::Markers => self.switch(Screen::Markers),
            Action::Sources => self.switch(Screen::Sources),
            Action::Status => self.switch(Screen::Status),
            Action::Up => self.motion(-1, None),
            Action::Down => self.motion(1, None),
            Action::PageUp => self.motion(-page, None),
            Action::PageDown => self.motion(page, None),
            Action::HalfPageUp => self.motion(-half, None),
            Action::HalfPageDown => self.motion(half, None),
            Action::Top => self.motion(0, Some(0)),
            Action::Bottom => self.motion(0, Some(i64::MAX / 2)),
            Action::DrillIn if self.screen == Screen::Library && self.library.pick.is_some() => {
                self.pick_here()
            }
            Action::DrillIn if matches!(self.screen, Screen::Sources | Screen::Status) => {
                self.lower = true;
                Vec::new()
            }
            Action::DrillOut if matches!(self.screen, Screen::Sources | Screen::Status) => {
                self.lower = false;
                Vec::new()
            }
            Action::DrillIn if self.screen == Screen::Library => {
                self.library.focus = match self.library.focus {
                    LibFocus::Titles if !self.library.seasons.rows.is_empty() => LibFocus::Seasons,
                    LibFocus::Seasons if !self.library.seasons.rows.is_empty() => {
                        LibFocus::Episodes
                    }
                    f => f,
                };
                self.follow_selection()
            }
            Action::DrillOut if self.screen == Screen::Library => {
                self.library.focus = match self.library.focus {
                    LibFocus::Episodes => LibFocus::Seasons,
                    _ => LibFocus::Titles,
                };
                Vec::new()
            }
            Action::DrillIn if self.screen == Screen::Assets => {
                self.markers.asset = self.assets.list.selected().cloned();
                self.switch(Screen::Markers)
            }
            Action::Search if self.screen == Screen::Assets => {
                self.input = Some((InputKind::Search, self.assets.filter.search.clone()));
                Vec::new()
            }
            Action::Search if self.screen == Screen::Sources => {
                self.input = Some((InputKind::MapTest, String::new()));
                Vec::new()
            }
            Action::FilterKind | Action::FilterMissing | Action::FilterErrors
                if self.screen == Screen::Status =>
            {
                self.status.kind = match a {
                    Action::FilterMissing => {
                        let k = crate::catalog::events::MISSING;
                        (self.status.kind != Some(k)).then_some(k)
                    }
                    Action::FilterErrors => {
                        let k = crate::catalog::events::ERROR;
                        (self.status.kind != Some(k)).then_some(k)
                    }
                    // all → new → moved → changed → missing → error → warning → all
                    _ => match self.status.kind {
                        None => Some(0),
                        Some(k) if k + 1 < crate::catalog::events::KINDS.len() => Some(k + 1),
                        Some(_) => None,
                    },
                };
                self.status.events = Paged::default();
                self.event_requests(Dir::First, None)
            }
            Action::Sort if self.screen == Screen::Assets => {
                self.assets.filter.by_captured = !self.assets.filter.by_captured;
                self.assets.list = Paged::default();
                self.reload()
            }
            Action::FilterKind
            | Action::FilterMissing
            | Action::FilterDuplicates
            | Action::FilterErrors
            | Action::FilterUnidentified
                if self.screen == Screen::Assets =>
            {
                match a {
                    Action::FilterKind => {
                        let i = KINDS
                            .iter()
                            .position(|k| k.map(str::to_string) == self.assets.filter.kind)
                            .unwrap_or(0);
                        self.assets.filter.kind = KINDS[(i + 1) % KINDS.len()].map(str::to_string);
                    }
                    Action::FilterMissing => {
                        self.assets.filter.missing = !self.assets.filter.missing
                    }
                    Action::FilterDuplicates => {
                        self.assets.filter.duplicates = !self.assets.filter.duplicates
                    }
                    Action::FilterErrors => self.assets.filter.errors = !self.assets.filter.errors,
                    _ => self.assets.filter.unidentified = !self.assets.filter.unidentified,
                }
                self.assets.list = Paged::default();
                self.reload()
            }
            Action::Accept if self.screen == Screen::Review => {
                let Some(it) = self.review.items.selected() else {
                    return Vec::new();
                };
                let r = Request::Decide {
                    item: it.id,
                    accept: true,
                    note: None,
                };
                vec![r]
            }
            Action::Reject if self.screen == Screen::Review => {
                if let Some(it) = self.review.items.selected() {
                    self.input = Some((InputKind::RejectNote(it.id), String::new()));
                }
                Vec::new()
            }
            Action::Link if self.screen == Screen::Review => {
                let Some(it) = self.review.items.selected() else {
                    return Vec::new();
                };
                let pick = Pick {
                    item: it.id,
                    path: it.path.clone(),
                };
                self.switch(Screen::Library);
                self.library.pick = Some(pick);
                self.library.focus = LibFocus::Titles;
                self.reload()
            }
            Action::Edit if self.screen == Screen::Markers => {
                if let Some(m) = self.markers.list.selected() {
                    let text = MarkerInput::text(&m.kind, m.start_ms, m.end_ms, m.label.as_deref());
                    self.input = Some((InputKind::MarkerEdit(m.id), text));
                }
                Vec::new()
            }
            Action::Edit if self.screen == Screen::Review => {
                let Some(it) = self.review.items.selected() else {
                    return Vec::new();
                };
                let p = it.proposal.clone().unwrap_or_default();
                let mut form = EditForm {
                    item: it.id,
                    fields: (0..4)
                        .map(|_| ratatui_textarea::TextArea::default())
                        .collect(),
                    focus: 0,
                    movie: p["type"].as_str() == Some("movie"),
                    completions: Vec::new(),
                    generation: 0,
                    error: None,
                };
                let nums = |v: &serde_json::Value| -> String {
                    v.as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_u64())
                                .map(|x| x.to_string())
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_default()
                };
                form.set(0, p["title"].as_str().unwrap_or(""));
                form.set(
                    1,
                    &p["year"]
                        .as_u64()
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                );
                form.set(2, &nums(&p["seasons"]));
                form.set(3, &nums(&p["episodes"]));
                self.form = Some(form);
                Vec::new()
            }
            Action::BulkAccept if self.screen == Screen::Review => {
                self.input = Some((InputKind::BulkAccept, "0.7".into()));
                Vec::new()
            }
            Action::Undo => vec![Request::Undo],
            Action::Add if self.screen == Screen::Markers && self.markers.asset.is_some() => {
                self.input = Some((InputKind::MarkerNew, String::new()));
                Vec::new()
            }
            Action::Add if self.screen == Screen::Sources => {
                if let Some(c) = self.sources.collections.selected() {
                    self.input = Some((InputKind::MapAdd(c.name.clone()), String::new()));
                }
                Vec::new()
            }
            Action::Delete if self.screen == Screen::Sources && self.lower => {
                if let Some(m) = self.sources.mappings.get(self.sources.cursor) {
                    self.input = Some((InputKind::MapRemove(m.id), String::new()));
                }
                Vec::new()
            }
            Action::Toggle if self.screen == Screen::Sources => {
                let Some(c) = self.sources.collections.selected() else {
                    return Vec::new();
                };
                let r = Request::SetEnabled {
                    collection: c.name.clone(),
                    enabled: !c.enabled,
                };
                vec![r]
            }
            Action::Delete if self.screen == Screen::Markers => {
                let Some(m) = self.markers.list.selected() else {
                    return Vec::new();
                };
                let r = Request::DeleteMarker { id: m.id };
                vec![r]
            }
            Action::GenerateAvails
                if self.screen == Screen::Markers && self.markers.asset.is_some() =>
            {
                self.input = Some((InputKind::AvailCount, "3".into()));
                Vec::new()
            }
            Action::Refresh => self.reload(),
            _ => Vec::new(),
        }
    }

    /// A key while the editor is open: Esc closes, Enter decides, Tab completes the title
    /// or moves on, Up/Down/BackTab move between fields, ctrl-t switches episode/movie.
    pub fn form_key(&mut self, k: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        match k.code {
            KeyCode::Esc => {
                self.form = None;
                return Vec::new();
            }
            KeyCode::Enter => {
                return match form.target() {
                    Ok(t) => {
                        let item = form.item;
                        self.form = None;
                        vec![Effect::Ask(Request::SetItem {
                            item,
                            target: Box::new(t),
                        })]
                    }
                    Err(e) => {
                        form.error = Some(e);
                        Vec::new()
                    }
                };
            }
            KeyCode::Tab if form.focus == 0 && !form.completions.is_empty() => {
                let c = form.completions.remove(0);
                form.set(0, &c.name);
                if let Some(y) = c.year {
                    form.set(1, &y.to_string());
                }
                form.movie = c.kind == "movie";
                form.completions.clear();
                form.focus = 1;
                return Vec::new();
            }
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % 4,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + 3) % 4,
            KeyCode::Char('t') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                form.movie = !form.movie
            }
            _ => {
                let before = form.text(form.focus);
                form.fields[form.focus].input(k);
                form.error = None;
                if form.focus == 0 && form.text(0) != before {
                    self.generation += 1;
                    let g = self.generation;
                    if let Some(f) = self.form.as_mut() {
                        f.generation = g;
                        return vec![Effect::Ask(Request::Completions {
                            generation: g,
                            prefix: f.text(0),
                        })];
                    }
                }
            }
        }
        Vec::new()
    }

    /// A key while the input line is open: Enter submits, Esc closes, Backspace erases.
    pub fn input_key(&mut self, k: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Some((_, text)) = self.input.as_mut() else {
            return Vec::new();
        };
        // The cursor, as a char index; past the end unless moved.
        let len = text.chars().count();
        let at = self.input_cursor.unwrap_or(len).min(len);
        let byte = |t: &str, i: usize| t.char_indices().nth(i).map_or(t.len(), |(b, _)| b);
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let mut to = at;
        match k.code {
            KeyCode::Enter => {
                self.input_cursor = None;
                return self.submit();
            }
            KeyCode::Esc => {
                self.input = None;
                self.input_cursor = None;
                self.message = None;
                return Vec::new();
            }
            KeyCode::Backspace if at > 0 => {
                text.remove(byte(text, at - 1));
                to = at - 1;
            }
            KeyCode::Delete if at < len => {
                text.remove(byte(text, at));
            }
            KeyCode::Left => to = at.saturating_sub(1),
            KeyCode::Right => to = (at + 1).min(len),
            KeyCode::Home => to = 0,
            KeyCode::End => to = len,
            KeyCode::Char('a') if ctrl => to = 0,
            KeyCode::Char('e') if ctrl => to = len,
            KeyCode::Char('u') if ctrl => {
                text.replace_range(..byte(text, at), "");
                to = 0;
            }
            KeyCode::Char('w') if ctrl => {
                // The word before the cursor, and the spaces after it.
                let chars: Vec<char> = text.chars().collect();
                let mut i = at;
                while i > 0 && chars[i - 1] == ' ' {
                    i -= 1;
                }
                while i > 0 && chars[i - 1] != ' ' {
                    i -= 1;
                }
                let (a, b) = (byte(text, i), byte(text, at));
                text.replace_range(a..b, "");
                to = i;
            }
            KeyCode::Char(c) if !ctrl => {
                text.insert(byte(text, at), c);
                to = at + 1;
            }
            _ => {}
        }
        let len = text.chars().count();
        self.input_cursor = (to < len).then_some(to);
        Vec::new()
    }

    /// The input line was submitted.
    pub fn submit(&mut self) -> Vec<Effect> {
        self.input_cursor = None;
        let Some((kind, text)) = self.input.take() else {
            return Vec::new();
        };
        let text = text.trim().to_string();
        if kind == InputKind::Palette {
            return self.command(&text);
        }
        asks(self.submit_input(kind, text))
    }

    /// What the input line of `kind` asks for, with `text` typed.
    fn submit_input(&mut self, kind: InputKind, text: String) -> Vec<Request> {
        match kind {
            InputKind::Search => {
                self.assets.filter.search = text;
                self.assets.list = Paged::default();
                self.reload()
            }
            InputKind::MapTest => {
                let g = self.next_gen();
                vec![Request::MapTest {
                    generation: g,
                    path: text,
                }]
            }
            InputKind::BulkAccept => match text.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => {
                    vec![Request::BulkAccept { min_confidence: x }]
                }
                _ => {
                    self.message = Some((
                        Level::Error,
                        format!("{text:?} is not a confidence between 0 and 1"),
                    ));
                    Vec::new()
                }
            },
            InputKind::RejectNote(item) => vec![Request::Decide {
                item,
                accept: false,
                note: (!text.is_empty()).then_some(text),
            }],
            InputKind::MarkerNew | InputKind::MarkerEdit(_) => match MarkerInput::parse(&text) {
                Ok(marker) => {
                    let r = match kind {
                        InputKind::MarkerEdit(id) => Request::EditMarker { id, marker },
                        _ => {
                            let Some(a) = &self.markers.asset else {
                                return Vec::new();
                            };
                            Request::AddMarker {
                                asset: a.id,
                                marker,
                            }
                        }
                    };
                    vec![r]
                }
                Err(e) => {
                    // Inline: the line stays open with what was typed, the reason beside it.
                    self.message = Some((Level::Error, e));
                    self.input = Some((kind, text));
                    Vec::new()
                }
            },
            InputKind::MapAdd(collection) => {
                let parts = ["->", "=>", "→"]
                    .iter()
                    .find_map(|sep| text.split_once(sep));
                match parts {
                    Some((remote, local))
                        if !remote.trim().is_empty() && !local.trim().is_empty() =>
                    {
                        vec![Request::AddMapping {
                            collection,
                            remote: remote.trim().to_string(),
                            local: local.trim().to_string(),
                        }]
                    }
                    _ => {
                        self.message = Some((
                            Level::Error,
                            "type REMOTE -> LOCAL, e.g. /data/tv -> /mnt/media/tv".into(),
                        ));
                        self.input = Some((InputKind::MapAdd(collection), text));
                        Vec::new()
                    }
                }
            }
            InputKind::MapRemove(id) => {
                if text.eq_ignore_ascii_case("y") || text.eq_ignore_ascii_case("yes") {
                    vec![Request::RemoveMapping { id }]
                } else {
                    self.message = Some((Level::Info, format!("mapping #{id} kept")));
                    Vec::new()
                }
            }
            InputKind::AvailCount => match text.parse::<usize>() {
                Ok(n) if n > 0 => {
                    let Some(a) = &self.markers.asset else {
                        return Vec::new();
                    };
                    let r = Request::GenerateAvails { asset: a.id, n };
                    vec![r]
                }
                _ => {
                    self.message =
                        Some((Level::Error, format!("{text:?} is not a number of avails")));
                    Vec::new()
                }
            },
            InputKind::Palette => Vec::new(),
        }
    }

    /// The `:` command line.
    fn command(&mut self, line: &str) -> Vec<Effect> {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("q" | "quit"), _) => self.update(Action::Quit),
            (Some("scan"), name) if !self.read_only => vec![Effect::Scan {
                collection: name.map(str::to_string),
            }],
            (Some("scan"), _) => asks(self.refuse_read_only()),
            (Some("cancel"), _) => vec![Effect::CancelScan],
            (Some("undo"), _) => self.update(Action::Undo),
            (Some("help"), _) => self.update(Action::Help),
            (Some("goto" | "go"), Some(n)) | (Some(n), None)
                if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() =>
            {
                match n.parse::<usize>() {
                    Ok(i @ 1..=6) => asks(self.switch(Screen::ALL[i - 1])),
                    _ => {
                        self.message = Some((Level::Error, format!("no screen {n}: 1 to 6")));
                        Vec::new()
                    }
                }
            }
            (Some("filter"), Some(f)) => {
                self.screen = Screen::Assets;
                self.assets.filter = AssetFilter::default();
                match f {
                    "missing" => self.assets.filter.missing = true,
                    "duplicates" | "dupes" => self.assets.filter.duplicates = true,
                    "errors" => self.assets.filter.errors = true,
                    "unidentified" => self.assets.filter.unidentified = true,
                    "none" | "all" => {}
                    kind => self.assets.filter.kind = Some(kind.to_string()),
                }
                self.assets.list = Paged::default();
                asks(self.reload())
            }
            (None, _) => Vec::new(),
            (Some(other), _) => {
                self.message = Some((
                    Level::Error,
                    format!(
                        "unknown command {other:?}: scan [NAME], cancel, undo, help, quit, goto 1-6, filter missing|duplicates|errors|unidentified|KIND|none"
                    ),
                ));
                Vec::new()
            }
        }
    }

    /// The one mutator for answers.
    pub fn on_response(&mut self, r: Response) -> Vec<Effect> {
        asks(self.respond(r))
    }

    fn respond(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Titles {
                generation,
                dir,
                rows,
            } if generation >= self.library.titles.generation => {
                // Counts already known stay on screen until the fresh ones come.
                let known: HashMap<i64, Option<i64>> = self
                    .library
                    .titles
                    .rows
                    .iter()
                    .map(|t| (t.id, t.files))
                    .collect();
                let mut rows = rows;
                for t in rows.iter_mut() {
                    t.files = known.get(&t.id).copied().flatten();
                }
                let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
                self.library.titles.take(dir, rows);
                let mut out = vec![Request::TitleFiles { ids }];
                if self.library.focus == LibFocus::Titles
                    && self.library.seasons.rows.is_empty()
                    && self.library.files.is_empty()
                {
                    out.extend(self.follow_selection());
                }
                return out;
            }
            Response::TitleFiles { counts } => {
                let counts: HashMap<i64, i64> = counts.into_iter().collect();
                for t in self.library.titles.rows.iter_mut() {
                    if let Some(n) = counts.get(&t.id) {
                        t.files = Some(*n);
                    }
                }
            }
            Response::TitleCount { generation, n }
                if generation >= self.library.titles.generation =>
            {
                self.library.titles.total = Some(n as u64)
            }
            Response::Seasons {
                generation,
                dir,
                rows,
                total,
            } if generation >= self.library.seasons.generation => {
                self.library.seasons.total = Some(total.max(0) as u64);
                self.library.seasons.take(dir, rows);
                if self.library.focus == LibFocus::Seasons && dir != Dir::From {
                    // A page of seasons came in under the cursor: its episodes follow.
                    return self.follow_selection();
                }
                if self.library.focus == LibFocus::Titles {
                    // Show the first season's episodes beside it.
                    if let (Some(t), Some(s)) = (
                        self.library.titles.selected().cloned(),
                        self.library.seasons.selected().cloned(),
                    ) {
                        let g = self.next_gen();
                        self.library.episodes.generation = g;
                        return vec![Request::Episodes {
                            generation: g,
                            title: t.id,
                            season: Some(s.id),
                            dir: Dir::First,
                            key: None,
                        }];
                    }
                }
            }
            Response::Episodes {
                generation,
                dir,
                rows,
                total,
            } if generation >= self.library.episodes.generation => {
                self.library.episodes.total = Some(total.max(0) as u64);
                self.library.episodes.take(dir, rows);
                if let Some(e) = self.library.episodes.selected().cloned() {
                    let g = self.next_gen();
                    return vec![Request::LibraryAssets {
                        generation: g,
                        episode: Some(e.id),
                        movie: None,
                    }];
                }
            }
            Response::LibraryAssets { rows, .. } => {
                self.library.files = rows;
                if let Some(a) = self.library.files.first().cloned() {
                    let id = a.id;
                    self.markers.asset = Some(a);
                    let g = self.next_gen();
                    self.markers.list = Paged {
                        generation: g,
                        ..Paged::default()
                    };
                    self.markers.of = Some(id);
                    return vec![Request::Markers {
                        generation: g,
                        asset: id,
                        dir: Dir::First,
                        key: None,
                    }];
                }
            }
            Response::Assets {
                generation,
                dir,
                rows,
            } if generation >= self.assets.list.generation => {
                self.assets.list.take(dir, rows);
                self.markers.asset = self
                    .assets
                    .list
                    .selected()
                    .cloned()
                    .or(self.markers.asset.take());
            }
            Response::AssetCount { generation, n } if generation >= self.assets.list.generation => {
                self.assets.list.total = Some(n as u64)
            }
            Response::Review {
                generation,
                dir,
                rows,
            } if generation >= self.review.items.generation => self.review.items.take(dir, rows),
            Response::ReviewCount { generation, n }
                if generation >= self.review.items.generation =>
            {
                self.review.items.total = Some(n as u64)
            }
            Response::Markers {
                generation,
                dir,
                rows,
                total,
            } if generation >= self.markers.list.generation => {
                self.markers.list.total = Some(total.max(0) as u64);
                self.markers.list.take(dir, rows);
            }
            Response::Sources {
                generation,
                collections,
                mappings,
            } if generation >= self.sources.collections.generation => {
                self.sources.collections.total = Some(collections.len() as u64);
                self.sources.collections.take(Dir::First, collections);
                self.sources.mappings = mappings;
            }
            Response::Status {
                services,
                changesets,
                ..
            } => {
                self.status.services = services;
                self.status.changesets = changesets;
                // Follow the newest scan until the person picks a changeset.
                let known = self
                    .status
                    .changesets
                    .iter()
                    .any(|c| Some(c.id) == self.status.selected);
                if !self.status.chosen || !known {
                    let newest = self
                        .status
                        .changesets
                        .iter()
                        .find(|c| c.kind == "scan")
                        .or(self.status.changesets.first())
                        .map(|c| c.id);
                    return self.select_changeset(newest);
                }
            }
            Response::Events {
                generation,
                dir,
                rows,
            } if generation >= self.status.events.generation => {
                self.status.events.take(dir, rows);
            }
            Response::EventCounts {
                generation,
                changeset,
                counts,
            } if generation >= self.status.events.generation => {
                let n: i64 = match self.status.kind {
                    Some(k) => counts.get(k).copied().unwrap_or(0),
                    None => counts.iter().sum(),
                };
                self.status.events.total = Some(n.max(0) as u64);
                self.status.counts = Some((changeset, counts));
            }
            Response::MapTest { answer, .. } => self.sources.test = Some(answer),
            Response::Completions { generation, rows } => {
                if let Some(f) = self.form.as_mut()
                    && generation >= f.generation
                {
                    // Only what adds something to what is typed.
                    let typed = f.text(0).to_lowercase();
                    f.completions = rows
                        .into_iter()
                        .filter(|t| t.name.to_lowercase() != typed)
                        .collect();
                }
            }
            Response::Done(msg) => {
                self.message = Some((Level::Info, msg));
                return self.reload();
            }
            Response::Failed(msg) => self.message = Some((Level::Error, msg)),
            Response::Changed => return self.reload(),
            _ => {}
        }
        Vec::new()
    }
}

/// Requests for the data thread, as effects.
fn asks(r: Vec<Request>) -> Vec<Effect> {
    r.into_iter().map(Effect::Ask).collect()
}

/// An index within a list of `len` rows.
fn clamp_index(i: i64, len: usize) -> usize {
    i.clamp(0, len.saturating_sub(1) as i64) as usize
}
