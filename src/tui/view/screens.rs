//! The six screens and the review editor, drawn from `App`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Row};

use super::{Theme, View, count_title, empty, hit, ms, table, tail, window};
use crate::catalog::status::{Freshness, freshness};
use crate::paths::{display, escape_str};
use crate::tui::app::{LibFocus, List};
use crate::worker::progress::human_bytes;

pub(super) fn library(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Percentage(55),
            Constraint::Min(4),
        ])
        .split(area);
    // Breadcrumb.
    let mut crumb = vec!["Library".to_string()];
    if let Some(t) = app.library.titles.selected() {
        crumb.push(escape_str(&t.name));
        if app.library.focus != LibFocus::Titles
            && let Some(s) = app.library.seasons.selected()
        {
            crumb.push(if s.number == 0 {
                "Specials".into()
            } else {
                format!("Season {}", s.number)
            });
        }
        if app.library.focus == LibFocus::Episodes
            && let Some(e) = app.library.episodes.selected()
        {
            crumb.push(e.number.map_or_else(
                || e.air_date.clone().unwrap_or_default(),
                |n| format!("Episode {n}"),
            ));
        }
    }
    f.render_widget(
        Paragraph::new(format!(" {}", crumb.join(" › "))).style(theme.fg(Color::DarkGray)),
        v[0],
    );
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Percentage(44),
            Constraint::Percentage(20),
            Constraint::Percentage(36),
        ])
        .split(v[1]);
    let h = cols[0].height.saturating_sub(3) as usize;
    if app.library.titles.rows.is_empty() && !app.library.titles.loading {
        empty(
            f,
            cols[0],
            " Titles ",
            "nothing identified yet: scan a folder (5 Sources, S) or run shelf PATH",
        );
    } else {
        let (s, e, sel) = window(&app.library.titles, h);
        let rows = app.library.titles.rows[s..e]
            .iter()
            .map(|t| {
                Row::new(vec![
                    escape_str(&t.name),
                    t.year.map(|y| y.to_string()).unwrap_or_default(),
                    if t.kind == "movie" {
                        "movie".into()
                    } else {
                        format!("{} s", t.seasons)
                    },
                    t.files.map(|n| n.to_string()).unwrap_or_default(),
                ])
            })
            .collect();
        let off = table(
            rows,
            vec![
                Constraint::Min(10),
                Constraint::Length(4),
                Constraint::Length(5),
                Constraint::Length(5),
            ],
            count_title("Titles", &app.library.titles),
            app.library.focus == LibFocus::Titles,
            sel,
            f,
            cols[0],
            theme,
        );
        hit(
            cx,
            List::Titles,
            cols[0],
            app.library.titles.first + (s + off) as u64,
        );
    }
    let (s, e, sel) = window(&app.library.seasons, h);
    let rows = app.library.seasons.rows[s..e]
        .iter()
        .map(|x| {
            Row::new(vec![
                if x.number == 0 {
                    "Specials".into()
                } else {
                    format!("Season {}", x.number)
                },
                format!("{} ep", x.episodes),
            ])
        })
        .collect();
    let off = table(
        rows,
        vec![Constraint::Min(8), Constraint::Length(6)],
        " Seasons ".into(),
        app.library.focus == LibFocus::Seasons,
        sel,
        f,
        cols[1],
        theme,
    );
    hit(
        cx,
        List::Seasons,
        cols[1],
        app.library.seasons.first + (s + off) as u64,
    );
    let (s, e, sel) = window(&app.library.episodes, h);
    let rows = app.library.episodes.rows[s..e]
        .iter()
        .map(|x| {
            let n = x
                .number
                .map(|n| format!("E{n:02}"))
                .or(x.air_date.clone())
                .or(x.absolute.map(|a| format!("#{a}")))
                .unwrap_or_default();
            Row::new(vec![
                n,
                escape_str(x.name.as_deref().unwrap_or("")),
                x.files.to_string(),
            ])
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(10),
            Constraint::Min(6),
            Constraint::Length(3),
        ],
        " Episodes ".into(),
        app.library.focus == LibFocus::Episodes,
        sel,
        f,
        cols[2],
        theme,
    );
    hit(
        cx,
        List::Episodes,
        cols[2],
        app.library.episodes.first + (s + off) as u64,
    );
    // Files of the selection, then their markers.
    let lower = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(65), Constraint::Percentage(35)])
        .split(v[2]);
    let cols = AssetCols::new(lower[0].width);
    let rows = app
        .library
        .files
        .iter()
        .map(|a| asset_row(a, theme, cols))
        .collect();
    table(
        rows,
        cols.widths(),
        if app.library.files.len() >= crate::catalog::views::FILES_SHOWN {
            format!(" Files (the first {}) ", app.library.files.len())
        } else {
            format!(" Files ({}) ", app.library.files.len())
        },
        false,
        None,
        f,
        lower[0],
        theme,
    );
    let rows = app
        .lib_markers()
        .iter()
        .map(|m| {
            Row::new(vec![
                m.kind.clone(),
                ms(Some(m.start_ms)),
                escape_str(m.label.as_deref().unwrap_or("")),
            ])
        })
        .collect();
    table(
        rows,
        vec![
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Min(4),
        ],
        " Markers ".into(),
        false,
        None,
        f,
        lower[1],
        theme,
    );
}

/// How an asset table fits its width: the hash prefix only when there is room for it, and
/// the path cut from the left (the file name is what tells rows apart).
#[derive(Clone, Copy)]
pub(super) struct AssetCols {
    /// Codecs and resolution (from 70 columns).
    media: bool,
    /// The hash prefix (from 100 columns).
    hash: bool,
    path: usize,
}

impl AssetCols {
    pub(super) fn new(width: u16) -> Self {
        let media = width >= 70;
        let hash = width >= 100;
        // Borders, the fixed columns and the spaces between them.
        let mut fixed = 2 + 9 + 10 + 11 + 3;
        if media {
            fixed += 11 + 9 + 2;
        }
        if hash {
            fixed += 9;
        }
        AssetCols {
            media,
            hash,
            path: (width as usize).saturating_sub(fixed).max(12),
        }
    }

    pub(super) fn widths(self) -> Vec<Constraint> {
        let mut w = vec![
            Constraint::Min(12),
            Constraint::Length(9),
            Constraint::Length(10),
        ];
        if self.media {
            w.push(Constraint::Length(11));
            w.push(Constraint::Length(9));
        }
        if self.hash {
            w.push(Constraint::Length(8));
        }
        w.push(Constraint::Length(11));
        w
    }
}

pub(super) fn asset_row(
    a: &crate::catalog::views::AssetItem,
    theme: Theme,
    cols: AssetCols,
) -> Row<'static> {
    let mut badges = Vec::new();
    if a.canonical && a.sha256.is_some() {
        badges.push("canon");
    }
    if a.missing {
        badges.push("MISSING");
    }
    if a.has_errors || a.probe_failed {
        badges.push("ERROR");
    }
    let codecs = match (&a.video_codec, &a.audio_codec) {
        (Some(v), Some(au)) => format!("{v}/{au}"),
        (Some(v), None) => v.clone(),
        (None, Some(au)) => au.clone(),
        _ => a.kind.clone(),
    };
    let res = match (a.width, a.height) {
        (Some(w), Some(h)) => format!("{w}x{h}"),
        _ => String::new(),
    };
    let style = if a.missing || a.has_errors || a.probe_failed {
        theme.fg(Color::Red)
    } else {
        Style::default()
    };
    // A mapped file shows, under its path here, the name the other host knows it by.
    let path = match &a.remote {
        Some(r) => format!(
            "{}\n→ {}",
            tail(display(&a.rel_path), cols.path),
            tail(escape_str(r), cols.path.saturating_sub(2))
        ),
        None => tail(display(&a.rel_path), cols.path),
    };
    let height = if a.remote.is_some() { 2 } else { 1 };
    let mut cells = vec![
        path,
        human_bytes(a.size.max(0) as u64),
        // How long it runs; for a photo, the day it was taken.
        match (&a.duration_ms, &a.captured_at) {
            (None, Some(at)) => escape_str(at.get(..10).unwrap_or(at)),
            _ => ms(a.duration_ms),
        },
    ];
    if cols.media {
        cells.push(escape_str(&codecs));
        cells.push(res);
    }
    if cols.hash {
        cells.push(
            a.sha256
                .as_deref()
                .map(|s| s[..8.min(s.len())].to_string())
                .unwrap_or_default(),
        );
    }
    cells.push(badges.join(" "));
    Row::new(cells).style(style).height(height)
}

pub(super) fn assets(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(1), Constraint::Min(3)])
        .split(area);
    let fl = &app.assets.filter;
    let mut on = Vec::new();
    if !fl.search.is_empty() {
        on.push(format!("search {:?}", escape_str(&fl.search)));
    }
    if let Some(k) = &fl.kind {
        on.push(format!("kind {k}"));
    }
    for (b, n) in [
        (fl.missing, "missing"),
        (fl.duplicates, "duplicates"),
        (fl.errors, "errors"),
        (fl.unidentified, "unidentified"),
    ] {
        if b {
            on.push(n.to_string());
        }
    }
    let mut line = if on.is_empty() {
        " all files".to_string()
    } else {
        format!(" filter: {}", on.join(", "))
    };
    line.push_str(if fl.by_captured {
        " · photos by capture date"
    } else {
        " · by path"
    });
    f.render_widget(Paragraph::new(line).style(theme.fg(Color::DarkGray)), v[0]);
    if app.assets.list.rows.is_empty() && !app.assets.list.loading {
        empty(f, v[1], " Assets ", "no files match");
        return;
    }
    let h = v[1].height.saturating_sub(3) as usize;
    let (s, e, sel) = window(&app.assets.list, h);
    let cols = AssetCols::new(v[1].width);
    let rows = app.assets.list.rows[s..e]
        .iter()
        .map(|a| asset_row(a, theme, cols))
        .collect();
    let off = table(
        rows,
        cols.widths(),
        count_title("Assets", &app.assets.list),
        true,
        sel,
        f,
        v[1],
        theme,
    );
    hit(
        cx,
        List::Assets,
        v[1],
        app.assets.list.first + (s + off) as u64,
    );
}

pub(super) fn review(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    if app.review.items.rows.is_empty() && !app.review.items.loading {
        empty(f, area, " Review ", "nothing to review");
        return;
    }
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(3), Constraint::Length(5)])
        .split(area);
    let h = v[0].height.saturating_sub(3) as usize;
    let (s, e, sel) = window(&app.review.items, h);
    let rows = app.review.items.rows[s..e]
        .iter()
        .map(|i| {
            Row::new(vec![
                i.reason.clone(),
                format!("{:.0}%", i.confidence * 100.0),
                escape_str(&crate::catalog::review::describe_proposal(&i.proposal)),
                tail(
                    display(&i.path),
                    (v[0].width as usize).saturating_sub(2 + 17 + 5 + 30 + 3),
                ),
            ])
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(17),
            Constraint::Length(5),
            Constraint::Length(30),
            Constraint::Min(10),
        ],
        count_title("Review", &app.review.items),
        true,
        sel,
        f,
        v[0],
        theme,
    );
    hit(
        cx,
        List::Review,
        v[0],
        app.review.items.first + (s + off) as u64,
    );
    let detail = app
        .review
        .items
        .selected()
        .map(|i| format!("{}\n{}", escape_str(&i.text), display(&i.path)))
        .unwrap_or_default();
    f.render_widget(
        Paragraph::new(detail)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Why ")),
        v[1],
    );
}

pub(super) fn markers(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let Some(a) = &app.markers.asset else {
        empty(
            f,
            area,
            " Markers ",
            "select a file on 1 Library or 2 Assets (enter) to see its markers",
        );
        return;
    };
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(4), Constraint::Min(3)])
        .split(area);
    // Timeline: one character per slice of the duration, markers where they fall.
    let width = v[0].width.saturating_sub(2) as usize;
    let mut bar: Vec<char> = vec!['─'; width];
    if let Some(d) = a.duration_ms.filter(|d| *d > 0) {
        for m in &app.markers.list.rows {
            let at = (m.start_ms as f64 / d as f64 * width as f64) as usize;
            let c = match m.kind.as_str() {
                "chapter" => '|',
                "avail" => 'A',
                "bumper" => 'B',
                "intro" => 'I',
                _ => 'O',
            };
            if let Some(slot) = bar.get_mut(at.min(width.saturating_sub(1))) {
                *slot = c;
            }
        }
    }
    let text = format!(
        "{}\n{}",
        display(&a.path),
        bar.into_iter().collect::<String>()
    );
    f.render_widget(
        Paragraph::new(text).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", ms(a.duration_ms))),
        ),
        v[0],
    );
    let h = v[1].height.saturating_sub(3) as usize;
    let (s, e, sel) = window(&app.markers.list, h);
    let rows = app.markers.list.rows[s..e]
        .iter()
        .map(|m| {
            Row::new(vec![
                m.kind.clone(),
                ms(Some(m.start_ms)),
                ms(Some(m.end_ms)),
                m.source.clone(),
                escape_str(m.label.as_deref().unwrap_or("")),
            ])
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Min(4),
        ],
        count_title("Markers", &app.markers.list),
        true,
        sel,
        f,
        v[1],
        theme,
    );
    hit(
        cx,
        List::Markers,
        v[1],
        app.markers.list.first + (s + off) as u64,
    );
}

pub(super) fn sources(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Percentage(60),
            Constraint::Min(4),
            Constraint::Length(3),
        ])
        .split(area);
    let h = v[0].height.saturating_sub(3) as usize;
    let (s, e, sel) = window(&app.sources.collections, h);
    let rows = app.sources.collections.rows[s..e]
        .iter()
        .map(|c| {
            let state = if c.ingestible {
                "online".to_string()
            } else {
                format!("OFFLINE {}", c.offline_reason.as_deref().unwrap_or(""))
            };
            Row::new(vec![
                escape_str(&c.name),
                c.kind.to_string(),
                if c.enabled { "on".into() } else { "off".into() },
                escape_str(&state),
                c.assets.to_string(),
                c.last_scan_at
                    .as_deref()
                    .map(|t| t.get(..16).unwrap_or(t).replace('T', " "))
                    .unwrap_or_else(|| "never".into()),
                tail(
                    display(c.root.as_deref().unwrap_or_default()),
                    (v[0].width as usize).saturating_sub(2 + 14 + 6 + 3 + 10 + 7 + 16 + 6),
                ),
            ])
            .style(if c.ingestible {
                Style::default()
            } else {
                theme.fg(Color::Red)
            })
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(14),
            Constraint::Length(6),
            Constraint::Length(3),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(16),
            Constraint::Min(8),
        ],
        " Collections ".into(),
        !app.lower,
        sel,
        f,
        v[0],
        theme,
    );
    hit(
        cx,
        List::Collections,
        v[0],
        app.sources.collections.first + (s + off) as u64,
    );
    let rows = app
        .sources
        .mappings
        .iter()
        .map(|m| {
            Row::new(vec![
                format!("#{}", m.id),
                escape_str(&m.collection),
                escape_str(&m.remote_prefix),
                display(&m.local_prefix),
            ])
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(5),
            Constraint::Length(14),
            Constraint::Percentage(40),
            Constraint::Min(8),
        ],
        " Path mappings ".into(),
        app.lower,
        (!app.sources.mappings.is_empty())
            .then(|| app.sources.cursor.min(app.sources.mappings.len() - 1)),
        f,
        v[1],
        theme,
    );
    hit(cx, List::Mappings, v[1], off as u64);
    let t = app
        .sources
        .test
        .clone()
        .unwrap_or_else(|| "press / and type a remote path to test the mappings".into());
    f.render_widget(
        Paragraph::new(escape_str(&t)).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Test a path "),
        ),
        v[2],
    );
}

pub(super) fn status(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(5),
            Constraint::Length(3),
            Constraint::Length((app.status.changesets.len() as u16 + 2).clamp(3, 7)),
            Constraint::Min(5),
        ])
        .split(area);
    let rows = app
        .status
        .services
        .iter()
        .map(|s| {
            let age = crate::time::age_secs_at(&s.last_heartbeat, cx.now);
            let fresh = freshness(age.unwrap_or(i64::MAX), s.interval_secs);
            let colour = match fresh {
                Freshness::Green => Color::Green,
                Freshness::Yellow => Color::Yellow,
                Freshness::Red => Color::Red,
            };
            Row::new(vec![
                s.service.clone(),
                s.status.clone(),
                age.map(crate::time::human_secs).unwrap_or_default(),
                escape_str(s.current_task.as_deref().unwrap_or("")),
                escape_str(s.last_error.as_deref().unwrap_or("")),
            ])
            .style(theme.fg(colour))
        })
        .collect();
    table(
        rows,
        vec![
            Constraint::Length(9),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Percentage(45),
            Constraint::Min(8),
        ],
        " Services ".into(),
        false,
        None,
        f,
        v[0],
        theme,
    );
    let label = if app.scan.running {
        escape_str(&app.scan.line)
    } else {
        app.scan
            .last
            .clone()
            .map(|s| escape_str(&s))
            .unwrap_or_else(|| "no scan running here (S scans everything)".into())
    };
    f.render_widget(
        Gauge::default()
            .block(Block::default().borders(Borders::ALL).title(" Scan "))
            .gauge_style(theme.fg(Color::Green))
            .ratio(app.scan.fraction.clamp(0.0, 1.0))
            .label(label),
        v[1],
    );
    let rows = app
        .status
        .changesets
        .iter()
        .map(|c| {
            let g = |k: &str| {
                c.stats
                    .as_ref()
                    .and_then(|s| s.get(k))
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0)
            };
            let what = if c.kind == "scan" {
                format!(
                    "{} seen, {} new, {} moved, {} missing, {} errors",
                    g("seen"),
                    g("new"),
                    g("moved"),
                    g("missing"),
                    g("error_count")
                )
            } else {
                escape_str(c.message.as_deref().unwrap_or(""))
            };
            Row::new(vec![
                format!("#{}", c.id),
                c.kind.clone(),
                c.status.clone(),
                c.started_at.get(..19).unwrap_or("").replace('T', " "),
                what,
            ])
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(11),
            Constraint::Length(19),
            Constraint::Min(10),
        ],
        " Changesets ".into(),
        !app.lower,
        app.status
            .changesets
            .iter()
            .position(|c| Some(c.id) == app.status.selected),
        f,
        v[2],
        theme,
    );
    hit(cx, List::Changesets, v[2], off as u64);
    events(f, v[3], cx);
}

/// The selected scan's event log, filtered by kind.
fn events(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    use crate::catalog::events::KINDS;
    let Some(cs) = app.status.selected else {
        empty(
            f,
            area,
            " Events ",
            "no scan yet: S scans every enabled collection",
        );
        return;
    };
    let counts = match app.status.counts {
        // Only the kinds this scan has: the title must fit 80 columns.
        Some((id, n)) if id == cs => {
            let some: Vec<String> = KINDS
                .iter()
                .zip(n)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            if some.is_empty() {
                "nothing".into()
            } else {
                some.join(" · ")
            }
        }
        _ => "…".into(),
    };
    let filter = app.status.kind.and_then(|k| KINDS.get(k)).unwrap_or(&"all");
    let title = format!(" Events #{cs}: {counts} │ {filter} ");
    if app.status.events.rows.is_empty() && !app.status.events.loading {
        let kind = app
            .status
            .changesets
            .iter()
            .find(|c| c.id == cs)
            .map(|c| c.kind.as_str())
            .unwrap_or("scan");
        let text = if kind == "scan" {
            format!("no {filter} events in this scan")
        } else {
            format!("#{cs} is a {kind} changeset: events are kept for scans")
        };
        empty(f, area, &title, &text);
        return;
    }
    let h = area.height.saturating_sub(3) as usize;
    let (s, e, sel) = window(&app.status.events, h);
    // The path gets what the kind and a short detail leave.
    let path_width = (area.width as usize).saturating_sub(2 + 8 + 2) * 3 / 5;
    let rows = app.status.events.rows[s..e]
        .iter()
        .map(|ev| {
            let detail = match (&ev.from, &ev.reason) {
                (Some(from), _) => format!("from {}", display(from)),
                (_, Some(r)) => escape_str(r),
                _ => String::new(),
            };
            let colour = match ev.kind_name() {
                "new" => Color::Green,
                "missing" | "error" => Color::Red,
                "warning" => Color::Magenta,
                "moved" => Color::Cyan,
                _ => Color::Yellow,
            };
            Row::new(vec![
                ev.kind_name().to_string(),
                tail(display(&ev.path), path_width),
                detail,
            ])
            .style(theme.fg(colour))
        })
        .collect();
    let off = table(
        rows,
        vec![
            Constraint::Length(8),
            Constraint::Length(path_width as u16),
            Constraint::Min(10),
        ],
        title,
        app.lower,
        sel,
        f,
        area,
        theme,
    );
    hit(
        cx,
        List::Events,
        area,
        app.status.events.first + (s + off) as u64,
    );
}

pub(super) fn editor(
    f: &mut Frame<'_>,
    area: Rect,
    form: &crate::tui::app::EditForm,
    theme: Theme,
) {
    let w = area.width.min(70);
    let h = (4 * 3 + 5 + form.completions.len() as u16).min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, r);
    let what = if form.movie { "a movie" } else { "an episode" };
    f.render_widget(
        Block::default()
            .borders(Borders::ALL)
            .title(format!(" Review #{}: {what} (ctrl-t switches) ", form.item)),
        r,
    );
    let inner = Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    };
    let mut rows: Vec<Constraint> = vec![Constraint::Length(3); 4];
    rows.push(Constraint::Length(form.completions.len() as u16));
    rows.push(Constraint::Length(1));
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints(rows)
        .split(inner);
    for (i, label) in crate::tui::app::FORM_LABELS.iter().enumerate() {
        let mut ta = form.fields[i].clone();
        let off = form.movie && i >= 2;
        let border = if i == form.focus {
            theme.fg(Color::Cyan)
        } else {
            Style::default()
        };
        ta.set_block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(border)
                .title(if off {
                    format!(" {label} (not for a movie) ")
                } else {
                    format!(" {label} ")
                }),
        );
        ta.set_cursor_line_style(Style::default());
        if i != form.focus {
            ta.set_cursor_style(Style::default());
        }
        f.render_widget(&ta, parts[i]);
    }
    let comp: Vec<Line<'_>> = form
        .completions
        .iter()
        .map(|t| {
            Line::from(format!(
                "  tab → {}{} ({})",
                escape_str(&t.name),
                t.year.map(|y| format!(" ({y})")).unwrap_or_default(),
                t.kind
            ))
        })
        .collect();
    f.render_widget(
        Paragraph::new(comp).style(theme.fg(Color::DarkGray)),
        parts[4],
    );
    let foot = form
        .error
        .clone()
        .unwrap_or_else(|| "enter decides · esc cancels · tab/↑↓ move".into());
    let style = if form.error.is_some() {
        theme.fg(Color::Red)
    } else {
        theme.fg(Color::DarkGray)
    };
    f.render_widget(Paragraph::new(escape_str(&foot)).style(style), parts[5]);
}
