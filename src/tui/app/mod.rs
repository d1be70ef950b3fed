//! The UI's state and its one mutator. `App::update(action)`, `App::on_response(answer)` and
//! `App::on_scan(event)` change state and return effects for the loop to carry out (requests
//! for the data thread, a scan to start or cancel, a path to copy); views only read `App`.
//! Each screen is a pane (its state here, its keys and answers in its own file); at most one
//! overlay (help, the input line, the editor) takes the keys. Every list
//! holds a window of at most two pages and asks for the next page by key when the cursor
//! leaves it, so a million rows cost the same as a hundred. Answers carry the generation of
//! the request; stale ones are dropped.

use crate::catalog::changesets::ChangesetRow;
use crate::catalog::events::Event;
use crate::catalog::markers::MarkerRow;
use crate::catalog::review::ReviewRow;
use crate::catalog::sources::CollectionRow;
use crate::catalog::status::ServiceRow;
use crate::catalog::views::{AssetFilter, AssetListRow, EpisodeRow, SeasonRow, TitleListRow};
use crate::mapping::Rule;

mod assets;
mod inbox;
mod input;
mod library;
mod markers;
mod nav;
mod review;
mod sources;
mod status;

pub(crate) use super::form::{EditForm, FORM_LABELS};
use super::keymap::Action;
pub(crate) use super::msg::MarkerInput;
pub use super::msg::{Effect, OrganiseEvent, Request, Response, ScanEvent};
pub use super::paged::PAGE;
pub(crate) use super::paged::Paged;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Assets,
    Review,
    Markers,
    Sources,
    Status,
    Inbox,
}

impl Screen {
    pub const ALL: [Screen; 7] = [
        Self::Library,
        Self::Assets,
        Self::Review,
        Self::Markers,
        Self::Sources,
        Self::Status,
        Self::Inbox,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Self::Library => "Library",
            Self::Assets => "Assets",
            Self::Review => "Review",
            Self::Markers => "Markers",
            Self::Sources => "Sources",
            Self::Status => "Status",
            Self::Inbox => "Inbox",
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
    /// What to organise: `SRC -> DEST`.
    OrganisePlan,
    /// "y" applies the plan shown.
    OrganiseApply,
    /// "y" puts this batch back.
    OrganiseUndo(i64),
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
    pub(crate) list: List,
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
    pub titles: Paged<TitleListRow>,
    pub seasons: Paged<SeasonRow>,
    pub episodes: Paged<EpisodeRow>,
    pub files: Vec<AssetListRow>,
    pub pick: Option<Pick>,
}

/// Assets: every file, filtered and searched.
#[derive(Default)]
pub struct Assets {
    pub filter: AssetFilter,
    pub list: Paged<AssetListRow>,
}

/// Review: the queue.
#[derive(Default)]
pub struct Review {
    pub items: Paged<ReviewRow>,
}

/// Markers of one file: the one selected last on the Library or Assets.
#[derive(Default)]
pub struct Markers {
    pub asset: Option<AssetListRow>,
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
    /// Files cataloged by fingerprint whose full hash is still to read, and their bytes.
    pub hash_pending: (i64, i64),
    /// The changeset whose events show, and whether the person chose it (else the newest
    /// scan is followed).
    pub selected: Option<i64>,
    pub chosen: bool,
    pub events: Paged<Event>,
    /// One kind of event, or all.
    pub kind: Option<usize>,
    pub counts: Option<(i64, crate::catalog::events::KindCounts)>,
}

/// The one-line input at the bottom: what it is for, the text, and where its cursor is (a
/// char index) when not at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputLine {
    pub kind: InputKind,
    pub text: String,
    pub cursor: Option<usize>,
}

/// What covers the screen and takes the keys, when something does: one at a time.
pub enum Overlay {
    /// The keys, scrolled this far.
    Help { scroll: usize },
    /// A search, the command line, a confidence, a marker, a mapping.
    Line(InputLine),
    /// The review editor.
    Editor(EditForm),
}

pub struct App {
    pub(crate) overlay: Option<Overlay>,
    pub screen: Screen,
    pub read_only: bool,
    pub quit: bool,
    /// How far the help could scroll when last drawn.
    pub help_max: usize,
    pub message: Option<(Level, String)>,
    pub generation: u64,
    pub viewport: u64,
    pub library: Library,
    pub assets: Assets,
    pub review: Review,
    pub markers: Markers,
    pub sources: Sources,
    pub status: Status,
    pub inbox: inbox::Inbox,
    pub scan: ScanView,
    /// Sources and Status have two lists; this says the lower one has the keys.
    pub lower: bool,
    /// Where the last frame drew each list, for the mouse.
    pub(crate) hits: Vec<Hit>,
}

impl App {
    pub fn new(read_only: bool) -> Self {
        App {
            overlay: None,
            screen: Screen::Library,
            read_only,
            quit: false,
            help_max: 0,
            message: None,
            generation: 0,
            viewport: 20,
            library: Library::default(),
            assets: Assets::default(),
            review: Review::default(),
            markers: Markers::default(),
            sources: Sources::default(),
            status: Status::default(),
            inbox: inbox::Inbox::default(),
            scan: ScanView::default(),
            lower: false,
            hits: Vec::new(),
        }
    }

    fn next_gen(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// The input line, when it is open.
    pub fn line(&self) -> Option<&InputLine> {
        match &self.overlay {
            Some(Overlay::Line(l)) => Some(l),
            _ => None,
        }
    }

    pub fn line_mut(&mut self) -> Option<&mut InputLine> {
        match &mut self.overlay {
            Some(Overlay::Line(l)) => Some(l),
            _ => None,
        }
    }

    /// Opens the input line for `kind`, with `text` typed already.
    pub fn open_line(&mut self, kind: InputKind, text: impl Into<String>) {
        self.overlay = Some(Overlay::Line(InputLine {
            kind,
            text: text.into(),
            cursor: None,
        }));
    }

    /// The review editor, when it is open.
    pub fn form(&self) -> Option<&EditForm> {
        match &self.overlay {
            Some(Overlay::Editor(f)) => Some(f),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut EditForm> {
        match &mut self.overlay {
            Some(Overlay::Editor(f)) => Some(f),
            _ => None,
        }
    }

    /// How far the help is scrolled, when it is open.
    pub fn help(&self) -> Option<usize> {
        match self.overlay {
            Some(Overlay::Help { scroll }) => Some(scroll),
            _ => None,
        }
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
        if self.help().is_none() {
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
                let (dir, key) = self.library.titles.reload_from(TitleListRow::key);
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
                let (dir, key) = self.review.items.reload_from(ReviewRow::key);
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
            Screen::Inbox => {
                self.inbox.generation = g;
                out.push(Request::OrganiseBatches { generation: g });
            }
        }
        out
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
        if self.help().is_some() {
            self.overlay = None;
        }
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

    /// What a key does to the state, and the data it needs: keys every screen shares
    /// here, the others on their screen's pane.
    fn act(&mut self, a: Action) -> Vec<Request> {
        if let Some(scroll) = self.help() {
            // The help screen scrolls; other keys wait until it is closed.
            let page = self.viewport.max(1) as usize;
            let scroll = match a {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => scroll + 1,
                Action::PageUp | Action::HalfPageUp => scroll.saturating_sub(page),
                Action::PageDown | Action::HalfPageDown => scroll + page,
                Action::Top => 0,
                Action::Bottom => usize::MAX,
                Action::Help | Action::Dismiss | Action::Quit => scroll,
                _ => return Vec::new(),
            };
            // No further than the last frame could scroll, so Up answers at once.
            self.overlay = Some(Overlay::Help {
                scroll: scroll.min(self.help_max),
            });
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
                self.overlay = match self.overlay {
                    Some(Overlay::Help { .. }) => None,
                    _ => Some(Overlay::Help { scroll: 0 }),
                };
                Vec::new()
            }
            Action::Dismiss
                if self.help().is_none()
                    && self.message.is_none()
                    && self.library.pick.is_some() =>
            {
                self.library.pick = None;
                self.message = Some((Level::Info, "link canceled".into()));
                self.switch(Screen::Review)
            }
            Action::Dismiss => {
                if self.help().is_some() {
                    self.overlay = None;
                }
                self.message = None;
                Vec::new()
            }
            Action::Palette => {
                self.open_line(InputKind::Palette, "");
                Vec::new()
            }
            Action::NextScreen => {
                self.switch(Screen::ALL[(self.screen.index() + 1) % Screen::ALL.len()])
            }
            Action::PrevScreen => self.switch(
                Screen::ALL[(self.screen.index() + Screen::ALL.len() - 1) % Screen::ALL.len()],
            ),
            Action::Library => self.switch(Screen::Library),
            Action::Assets => self.switch(Screen::Assets),
            Action::Review => self.switch(Screen::Review),
            Action::Markers => self.switch(Screen::Markers),
            Action::Sources => self.switch(Screen::Sources),
            Action::Status => self.switch(Screen::Status),
            Action::Inbox => self.switch(Screen::Inbox),
            Action::Up => self.motion(-1, None),
            Action::Down => self.motion(1, None),
            Action::PageUp => self.motion(-page, None),
            Action::PageDown => self.motion(page, None),
            Action::HalfPageUp => self.motion(-half, None),
            Action::HalfPageDown => self.motion(half, None),
            Action::Top => self.motion(0, Some(0)),
            Action::Bottom => self.motion(0, Some(i64::MAX / 2)),
            Action::Undo if self.screen == Screen::Inbox => self.act_inbox(a),
            Action::Undo => vec![Request::Undo],
            Action::Refresh => self.reload(),

            // Sources and Status have two lists: in and out move the keys between them.
            Action::DrillIn | Action::DrillOut
                if matches!(
                    self.screen,
                    Screen::Sources | Screen::Status | Screen::Inbox
                ) =>
            {
                self.lower = a == Action::DrillIn;
                Vec::new()
            }
            _ => match self.screen {
                Screen::Library => self.act_library(a),
                Screen::Assets => self.act_assets(a),
                Screen::Review => self.act_review(a),
                Screen::Markers => self.act_markers(a),
                Screen::Sources => self.act_sources(a),
                Screen::Status => self.act_status(a),
                Screen::Inbox => self.act_inbox(a),
            },
        }
    }

    /// The one mutator for answers.
    pub fn on_response(&mut self, r: Response) -> Vec<Effect> {
        asks(self.respond(r))
    }

    /// An answer: each pane takes its own; what every screen shares is here.
    fn respond(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Titles { .. }
            | Response::TitleFiles { .. }
            | Response::TitleCount { .. }
            | Response::Seasons { .. }
            | Response::Episodes { .. }
            | Response::LibraryAssets { .. } => return self.loaded_library(r),
            Response::Assets { .. } | Response::AssetCount { .. } => return self.loaded_assets(r),
            Response::Review { .. }
            | Response::ReviewCount { .. }
            | Response::Completions { .. } => return self.loaded_review(r),
            Response::Markers { .. } => return self.loaded_markers(r),
            Response::Sources { .. } | Response::MapTest { .. } => return self.loaded_sources(r),
            Response::OrganiseBatches { .. } => return self.loaded_inbox(r),
            Response::Status { .. } | Response::Events { .. } | Response::EventCounts { .. } => {
                return self.loaded_status(r);
            }
            Response::Done(msg) => {
                self.message = Some((Level::Info, msg));
                return self.reload();
            }
            Response::Failed(msg) => self.message = Some((Level::Error, msg)),
            Response::Changed => return self.reload(),
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
