//! The Library screen: titles, seasons, episodes, and the selection's files and markers.

use crate::model::TitleKind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Color;
use ratatui::widgets::{Paragraph, Row};

use super::files::{AssetCols, asset_row};
use super::{ListTable, PagedTable, View, count_title, empty, ms};
use crate::paths::escape_str;
use crate::tui::app::{LibFocus, List};

pub(super) fn library(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Percentage(55),
            Constraint::Min(4),
        ])
        .split(area);
    breadcrumb(f, v[0], cx);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Percentage(44),
            Constraint::Percentage(20),
            Constraint::Percentage(36),
        ])
        .split(v[1]);
    titles(f, cols[0], cx);
    seasons(f, cols[1], cx);
    episodes(f, cols[2], cx);
    files_and_markers(f, v[2], cx);
}

/// Where the cursor is: Library › title › season › episode.
fn breadcrumb(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let mut crumb = vec!["Library".to_string()];
    if let Some(t) = app.library.titles.selected() {
        crumb.push(escape_str(&t.name));
        if app.library.focus != LibFocus::Titles
            && let Some(s) = app.library.seasons.selected()
        {
            crumb.push(season_label(s.number));
        }
        if app.library.focus == LibFocus::Episodes
            && let Some(e) = app.library.episodes.selected()
        {
            crumb.push(
                e.number
                    .map(|n| format!("Episode {n}"))
                    .or(e.air_date.clone())
                    .or(e.absolute.map(|a| format!("Episode #{a}")))
                    .unwrap_or_default(),
            );
        }
    }
    f.render_widget(
        Paragraph::new(format!(" {}", crumb.join(" › "))).style(theme.fg(Color::DarkGray)),
        area,
    );
}

/// The titles column (`h` rows tall inside its borders).
fn titles(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    if app.library.titles.rows.is_empty() && !app.library.titles.loading {
        empty(
            f,
            area,
            " Titles ",
            "nothing identified yet: scan a folder (5 Sources, S) or run shelf PATH",
        );
    } else {
        PagedTable {
            list: List::Titles,
            paged: &app.library.titles,
            widths: vec![
                Constraint::Min(10),
                Constraint::Length(4),
                Constraint::Length(5),
                Constraint::Length(5),
            ],
            title: count_title("Titles", &app.library.titles),
            focused: app.library.focus == LibFocus::Titles,
        }
        .draw(f, area, cx, |t| {
            Row::new(vec![
                escape_str(&t.name),
                t.year.map(|y| y.to_string()).unwrap_or_default(),
                if t.kind == TitleKind::Movie {
                    "movie".into()
                } else if t.seasons == 0 && t.unseasoned {
                    // Numbered from the first episode on, without seasons.
                    "abs".into()
                } else {
                    format!("{} s", t.seasons)
                },
                t.files.map(|n| n.to_string()).unwrap_or_default(),
            ])
        });
    }
}

/// The selected title's seasons.
fn seasons(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    PagedTable {
        list: List::Seasons,
        paged: &app.library.seasons,
        widths: vec![Constraint::Min(8), Constraint::Length(6)],
        title: " Seasons ".into(),
        focused: app.library.focus == LibFocus::Seasons,
    }
    .draw(f, area, cx, |x| {
        Row::new(vec![season_label(x.number), format!("{} ep", x.episodes)])
    });
}

/// A season as the list and the breadcrumb name it.
fn season_label(number: Option<u32>) -> String {
    match number {
        Some(0) => "Specials".into(),
        Some(n) => format!("Season {n}"),
        None => "No season".into(),
    }
}

/// The selected season's episodes.
fn episodes(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    PagedTable {
        list: List::Episodes,
        paged: &app.library.episodes,
        widths: vec![
            Constraint::Length(10),
            Constraint::Min(6),
            Constraint::Length(3),
        ],
        title: " Episodes ".into(),
        focused: app.library.focus == LibFocus::Episodes,
    }
    .draw(f, area, cx, |x| {
        // A season's episode shows the show-wide number its file gave too (`E01 #1089`).
        let n = match (x.number, x.absolute) {
            (Some(n), Some(a)) => Some(format!("E{n:02} #{a}")),
            (Some(n), None) => Some(format!("E{n:02}")),
            _ => None,
        }
        .or(x.air_date.clone())
        .or(x.absolute.map(|a| format!("#{a}")))
        .unwrap_or_default();
        Row::new(vec![
            n,
            escape_str(x.name.as_deref().unwrap_or("")),
            x.files.to_string(),
        ])
    });
}

/// The files of the selection, then the first file's markers.
fn files_and_markers(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let lower = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(65), Constraint::Percentage(35)])
        .split(area);
    let cols = AssetCols::new(lower[0].width);
    let rows = app
        .library
        .files
        .iter()
        .map(|a| asset_row(a, theme, cols))
        .collect();
    ListTable {
        rows,
        widths: cols.widths(),
        title: if app.library.files.len() >= crate::catalog::views::FILES_SHOWN {
            format!(" Files (the first {}) ", app.library.files.len())
        } else {
            format!(" Files ({}) ", app.library.files.len())
        },
        focused: false,
        selected: None,
    }
    .draw(f, lower[0], theme);
    let rows = app
        .lib_markers()
        .iter()
        .map(|m| {
            Row::new(vec![
                m.kind.to_string(),
                ms(Some(m.start_ms)),
                escape_str(m.label.as_deref().unwrap_or("")),
            ])
        })
        .collect();
    ListTable {
        rows,
        widths: vec![
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Min(4),
        ],
        title: " Markers ".into(),
        focused: false,
        selected: None,
    }
    .draw(f, lower[1], theme);
}
