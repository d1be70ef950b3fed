//! Drawing: reads `App`, never changes it, never queries, never reads the clock (the
//! context brings the time); it returns what it drew that the App needs (`Drawn`). Every string from the file system
//! or a file's metadata goes through `paths::display`/`escape_str` first, so a hostile name
//! cannot drive the terminal. Colours are left out when NO_COLOR is set.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, TableState};

mod files;
mod inbox;
mod library;
mod review;
mod sources;
mod status;

use super::app::{App, Hit, InputKind, InputLine, Level, List, Overlay, Paged, Screen};
use super::keymap::{Action, Keymap};
use crate::paths::escape_str;
use files::{assets, markers};
use inbox::inbox;
use library::library;
use review::{editor, review};
use sources::sources;
use status::status;

/// Colours, or none (NO_COLOR).
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub(crate) fn from_env() -> Self {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn selected(self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
}

pub(super) fn ms(d: Option<i64>) -> String {
    d.map(|d| {
        format!(
            "{}:{:02}:{:02}",
            d / 3_600_000,
            (d / 60_000) % 60,
            (d / 1000) % 60
        )
    })
    .unwrap_or_default()
}

/// What a frame is drawn with besides the App: colours and the clock (a test fixes both).
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub theme: Theme,
    pub now: chrono::DateTime<chrono::Utc>,
    /// The home folder: paths under it are shown as `~/…`, which leaves room for what tells
    /// files apart.
    pub home: Option<&'static [u8]>,
}

impl Ctx {
    /// The terminal's: colours unless NO_COLOR, and the real clock.
    pub fn live() -> Self {
        static HOME: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
        let home = HOME.get_or_init(|| {
            std::env::var_os("HOME")
                .filter(|h| h.len() > 1)
                .map(|h| crate::paths::to_bytes(std::path::Path::new(&h)).to_vec())
        });
        Ctx {
            theme: Theme::from_env(),
            now: chrono::Utc::now(),
            home: home.as_deref(),
        }
    }
}

/// What a frame drew that the App needs back: where each list is (for the mouse) and how
/// far the help could scroll.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    pub(crate) hits: Vec<Hit>,
    pub help_max: usize,
}

/// One frame's drawing: the App (read only), the context, and what was drawn so far.
pub(super) struct View<'a> {
    pub(super) app: &'a App,
    pub(super) theme: Theme,
    pub(super) now: chrono::DateTime<chrono::Utc>,
    home: Option<&'a [u8]>,
    drawn: std::cell::RefCell<Drawn>,
}

impl View<'_> {
    /// A full path as shown: `~/…` under the home folder, escaped like every shown path.
    pub(super) fn path(&self, p: &[u8]) -> String {
        match self.home {
            Some(h) if p.len() > h.len() && p.starts_with(h) && p[h.len()] == b'/' => {
                format!("~{}", crate::paths::display(&p[h.len()..]))
            }
            _ => crate::paths::display(p),
        }
    }
}

/// Draws the App; returns where its lists went, for `App::drawn`.
pub fn draw(f: &mut Frame<'_>, app: &App, keys: &Keymap, ctx: Ctx) -> Drawn {
    let cx = &View {
        app,
        theme: ctx.theme,
        now: ctx.now,
        home: ctx.home,
        drawn: Default::default(),
    };
    let area = f.area();
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    header(f, rows[0], cx);
    match app.screen {
        Screen::Library => library(f, rows[1], cx),
        Screen::Assets => assets(f, rows[1], cx),
        Screen::Review => review(f, rows[1], cx),
        Screen::Markers => markers(f, rows[1], cx),
        Screen::Sources => sources(f, rows[1], cx),
        Screen::Status => status(f, rows[1], cx),
        Screen::Inbox => inbox(f, rows[1], cx),
    }
    bottom(f, rows[2], cx);
    hints(f, rows[3], cx, keys);
    match &app.overlay {
        Some(Overlay::Editor(form)) => editor(f, area, form, cx.theme),
        Some(Overlay::Help { scroll }) => help(f, area, keys, cx, *scroll),
        Some(Overlay::Line(_)) | None => {}
    }
    cx.drawn.take()
}

fn header(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let mut spans = vec![Span::styled(
        " shelf ",
        theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
    )];
    // What follows the tabs, so narrow terminals still see it: the tabs of other screens
    // shrink to their number first.
    let extra = if app.read_only { 11 } else { 0 } + if app.scan.running { 15 } else { 0 };
    let full: usize = 7 + Screen::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| format!(" {} {} ", i + 1, s.title()).chars().count())
        .sum::<usize>();
    let compact = full + extra > area.width as usize;
    for (i, s) in Screen::ALL.iter().enumerate() {
        let label = if compact && *s != app.screen {
            format!(" {} ", i + 1)
        } else {
            format!(" {} {} ", i + 1, s.title())
        };
        spans.push(if *s == app.screen {
            Span::styled(label, theme.selected())
        } else {
            Span::raw(label)
        });
    }
    if app.read_only {
        spans.push(Span::styled(
            " READ-ONLY ",
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ));
    }
    if app.scan.running {
        spans.push(Span::styled(
            format!(" scanning {:.0}% ", app.scan.fraction * 100.0),
            theme.fg(Color::Green),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A window of a paged list as table rows, the cursor's row selected.
pub(super) fn window<T: Clone>(p: &Paged<T>, height: usize) -> (usize, usize, Option<usize>) {
    // Rows of `p.rows` to draw (start..end) and the selected one within them.
    let len = p.rows.len();
    if len == 0 {
        return (0, 0, None);
    }
    let cur = p.cursor.saturating_sub(p.first) as usize;
    let cur = cur.min(len - 1);
    let start = cur
        .saturating_sub(height.saturating_sub(1) / 2)
        .min(len.saturating_sub(height));
    let end = (start + height).min(len);
    (start, end, Some(cur - start))
}

/// The end of a long text, which for a path is the part that tells files apart.
pub(super) fn tail(s: String, width: usize) -> String {
    let n = s.chars().count();
    if n <= width || width == 0 {
        return s;
    }
    let keep: String = s.chars().skip(n - (width - 1)).collect();
    format!("…{keep}")
}

pub(super) fn count_title<T: Clone>(name: &str, p: &Paged<T>) -> String {
    match p.total {
        Some(t) if t > 0 => format!(" {name} {}/{t} ", p.cursor + 1),
        Some(_) => format!(" {name} (none) "),
        None if p.loading => format!(" {name} (loading…) "),
        None => format!(" {name} "),
    }
}

/// Notes where a list was drawn, for the mouse: `first` is the index of its top row.
pub(super) fn hit(cx: &View<'_>, list: List, area: Rect, first: u64) {
    cx.drawn.borrow_mut().hits.push(Hit { list, area, first });
}

/// A paged list drawn as a table: the rows around its cursor that fit in the area (each
/// made by the `draw` call's `row`), with where they went for the mouse.
pub(super) struct PagedTable<'p, T> {
    pub(super) list: List,
    pub(super) paged: &'p Paged<T>,
    pub(super) widths: Vec<Constraint>,
    pub(super) title: String,
    pub(super) focused: bool,
}

impl<T: Clone> PagedTable<'_, T> {
    pub(super) fn draw(
        self,
        f: &mut Frame<'_>,
        area: Rect,
        cx: &View<'_>,
        row: impl FnMut(&T) -> Row<'static>,
    ) {
        // Two borders and the header row.
        let height = area.height.saturating_sub(3) as usize;
        let (s, e, selected) = window(self.paged, height);
        let off = ListTable {
            rows: self.paged.rows[s..e].iter().map(row).collect(),
            widths: self.widths,
            title: self.title,
            focused: self.focused,
            selected,
        }
        .draw(f, area, cx.theme);
        hit(cx, self.list, area, self.paged.first + (s + off) as u64);
    }
}

/// A list drawn as a table: its rows, column widths, title, whether it has the keys, and
/// the selected row.
pub(super) struct ListTable<'a> {
    pub(super) rows: Vec<Row<'a>>,
    pub(super) widths: Vec<Constraint>,
    pub(super) title: String,
    pub(super) focused: bool,
    pub(super) selected: Option<usize>,
}

impl ListTable<'_> {
    /// Draws it; returns how many rows it scrolled past to keep the selection in view.
    pub(super) fn draw(self, f: &mut Frame<'_>, area: Rect, theme: Theme) -> usize {
        let ListTable {
            rows,
            widths,
            title,
            focused,
            selected,
        } = self;
        let border = if focused {
            theme.fg(Color::Cyan)
        } else {
            Style::default()
        };
        let t = Table::new(rows, widths)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(border)
                    .title(title),
            )
            .row_highlight_style(if focused {
                theme.selected()
            } else {
                Style::default().add_modifier(Modifier::BOLD)
            });
        let mut state = TableState::default();
        state.select(selected);
        f.render_stateful_widget(t, area, &mut state);
        state.offset()
    }
}

pub(super) fn empty(f: &mut Frame<'_>, area: Rect, title: &str, text: &str) {
    f.render_widget(
        Paragraph::new(text.to_string()).block(
            Block::default()
                .borders(Borders::ALL)
                .title(title.to_string()),
        ),
        area,
    );
}

fn bottom(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    if let Some(InputLine { kind, text, cursor }) = app.line() {
        let prompt = match kind {
            InputKind::Search => "/".into(),
            InputKind::Palette => ":".into(),
            InputKind::BulkAccept => "accept all at or above confidence: ".into(),
            InputKind::RejectNote(id) => format!("reject #{id}; note (optional, enter rejects): "),
            InputKind::MarkerNew => {
                "new marker, [chapter|avail|bumper|intro|outro] START [END] [LABEL]: ".into()
            }
            InputKind::MarkerEdit(id) => format!("marker #{id} (KIND START [END] [LABEL]): "),
            InputKind::AvailCount => "how many avails: ".into(),
            InputKind::MapTest => "test remote path: ".into(),
            InputKind::MapAdd(c) => format!("map for {} (REMOTE -> LOCAL): ", escape_str(c)),
            InputKind::MapRemove(id) => format!("remove mapping #{id}? (y/n) "),
            InputKind::OrganisePlan => "organise (SRC -> DEST): ".into(),
            InputKind::OrganiseApply => "apply the plan? (y/n) ".into(),
            InputKind::OrganiseUndo(b) => format!("put batch #{b} back? (y/n) "),
        };
        // The cursor shows as a reversed character (a block past the end).
        let at = cursor.unwrap_or(usize::MAX);
        let before: String = text.chars().take(at).collect();
        let under: Option<char> = text.chars().nth(at);
        let after: String = text.chars().skip(at.saturating_add(1)).collect();
        let line = Line::from(vec![
            Span::raw(format!("{prompt}{}", escape_str(&before))),
            match under {
                Some(c) => Span::styled(
                    escape_str(&c.to_string()),
                    Style::default().add_modifier(Modifier::REVERSED),
                ),
                None => Span::raw("█"),
            },
            Span::raw(escape_str(&after)),
        ]);
        f.render_widget(Paragraph::new(line), area);
    } else if let Some((level, msg)) = &app.message {
        let style = match level {
            Level::Info => theme.fg(Color::Green),
            Level::Error => theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        };
        f.render_widget(
            Paragraph::new(format!("{}  (esc)", escape_str(msg))).style(style),
            area,
        );
    } else if let Some(p) = &app.library.pick {
        f.render_widget(
            Paragraph::new(format!(
                "link {}: pick its episode (or movie), enter links, esc cancels",
                crate::paths::display(p.path.rsplit(|b| *b == b'/').next().unwrap_or(&p.path))
            ))
            .style(theme.fg(Color::Yellow).add_modifier(Modifier::BOLD)),
            area,
        );
    } else if app.scan.running {
        f.render_widget(
            Paragraph::new(escape_str(&app.scan.line)).style(theme.fg(Color::DarkGray)),
            area,
        );
    }
}

fn hints(f: &mut Frame<'_>, area: Rect, cx: &View<'_>, keys: &Keymap) {
    let (app, theme) = (cx.app, cx.theme);
    // While typing, a refusal shows beside the line being typed, which stays open.
    if let (Some(_), Some((Level::Error, msg))) = (app.line(), &app.message) {
        f.render_widget(
            Paragraph::new(format!(" {}", escape_str(msg)))
                .style(theme.fg(Color::Red).add_modifier(Modifier::BOLD)),
            area,
        );
        return;
    }
    let k = |a: Action| keys.key_for(a);
    let specific = match app.screen {
        Screen::Library => format!("{} open  {} back", k(Action::DrillIn), k(Action::DrillOut)),
        Screen::Assets => format!(
            "{} search  {} kind  {} missing  {} dupes  {} errors  {} unident.  {} by date  {} copy",
            k(Action::Search),
            k(Action::FilterKind),
            k(Action::FilterMissing),
            k(Action::FilterDuplicates),
            k(Action::FilterErrors),
            k(Action::FilterUnidentified),
            k(Action::Sort),
            k(Action::CopyPath)
        ),
        Screen::Review => format!(
            "{} accept  {} reject  {} edit  {} link  {} bulk  {} undo",
            k(Action::Accept),
            k(Action::Reject),
            k(Action::Edit),
            k(Action::Link),
            k(Action::BulkAccept),
            k(Action::Undo)
        ),
        Screen::Markers => format!(
            "{} add  {} edit  {} delete  {} generate  {} undo",
            k(Action::Add),
            k(Action::Edit),
            k(Action::Delete),
            k(Action::GenerateAvails),
            k(Action::Undo)
        ),
        Screen::Inbox if app.lower => format!(
            "{} put a batch back  {} plan",
            k(Action::Undo),
            k(Action::DrillOut)
        ),
        Screen::Inbox => format!(
            "{} plan SRC -> DEST  {} copy/move  {} apply  {} batches",
            k(Action::Add),
            k(Action::Toggle),
            k(Action::Accept),
            k(Action::DrillIn)
        ),
        Screen::Sources if app.lower => format!(
            "{} add mapping  {} remove  {} test path  {} collections",
            k(Action::Add),
            k(Action::Delete),
            k(Action::Search),
            k(Action::DrillOut)
        ),
        Screen::Sources => format!(
            "{} scan  {} all  {} cancel  {} on/off  {} map  {} test  {} mappings",
            k(Action::ScanSelected),
            k(Action::ScanAll),
            k(Action::CancelScan),
            k(Action::Toggle),
            k(Action::Add),
            k(Action::Search),
            k(Action::DrillIn)
        ),
        Screen::Status => format!(
            "{} events  {} changesets  {} filter  {} scan all  {} cancel",
            k(Action::DrillIn),
            k(Action::DrillOut),
            k(Action::FilterKind),
            k(Action::ScanAll),
            k(Action::CancelScan)
        ),
    };
    let line = format!(
        " {specific}  │ {} help  {} cmd  {} quit",
        k(Action::Help),
        k(Action::Palette),
        k(Action::Quit)
    );
    f.render_widget(Paragraph::new(line).style(theme.fg(Color::DarkGray)), area);
}

fn help(f: &mut Frame<'_>, area: Rect, keys: &Keymap, cx: &View<'_>, scroll: usize) {
    let theme = cx.theme;
    let items = keys.help();
    let r = Rect {
        x: area.x,
        y: area.y + 1,
        width: area.width,
        height: area.height.saturating_sub(2),
    };
    let inner = Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    };
    // Columns only as many as fit whole lines; what does not fit scrolls.
    let key_w = items
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let line_w = key_w
        + 2
        + items
            .iter()
            .map(|(_, d)| d.chars().count())
            .max()
            .unwrap_or(0);
    let per = (inner.height as usize).max(1);
    let fit = (inner.width as usize / line_w.max(1)).max(1);
    let cols = items.len().div_ceil(per).clamp(1, fit);
    let rows = items.len().div_ceil(cols);
    cx.drawn.borrow_mut().help_max = rows.saturating_sub(per);
    let scroll = scroll.min(rows.saturating_sub(per));
    let more = rows > per;
    f.render_widget(Clear, r);
    f.render_widget(
        Block::default().borders(Borders::ALL).title(if more {
            format!(
                " Keys {}–{} of {rows} (j/k scroll, esc closes) ",
                scroll + 1,
                (scroll + per).min(rows)
            )
        } else {
            " Keys (esc closes) ".to_string()
        }),
        r,
    );
    let parts = Layout::default()
        .direction(Direction::Horizontal)
        .constraints(vec![Constraint::Ratio(1, cols as u32); cols])
        .split(inner);
    for (c, chunk) in items.chunks(rows).enumerate() {
        let lines: Vec<Line<'_>> = chunk
            .iter()
            .skip(scroll)
            .map(|(k, d)| {
                Line::from(vec![
                    Span::styled(format!("{k:>key_w$}  "), theme.fg(Color::Cyan)),
                    Span::raw(*d),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), parts[c]);
    }
}
