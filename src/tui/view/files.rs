//! The Assets and Markers screens, and the file rows they share with the Library.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, Borders, Paragraph, Row};

use super::{PagedTable, Theme, View, count_title, empty, ms, tail};
use crate::paths::{display, escape_str};
use crate::tui::app::List;
use crate::worker::progress::human_bytes;

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
    a: &crate::catalog::views::AssetListRow,
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
        cells.push(match a.sha256.as_deref() {
            Some(s) => s[..8.min(s.len())].to_string(),
            None if a.hash_pending => "pending".into(),
            None => String::new(),
        });
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
        let none = if fl.duplicates {
            "no duplicates (a first scan works them out at its end)"
        } else {
            "no files match"
        };
        empty(f, v[1], " Assets ", none);
        return;
    }
    let cols = AssetCols::new(v[1].width);
    PagedTable {
        list: List::Assets,
        paged: &app.assets.list,
        widths: cols.widths(),
        title: count_title("Assets", &app.assets.list),
        focused: true,
    }
    .draw(f, v[1], cx, |a| asset_row(a, theme, cols));
}

pub(super) fn markers(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
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
        cx.path(&a.path),
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
    PagedTable {
        list: List::Markers,
        paged: &app.markers.list,
        widths: vec![
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Min(4),
        ],
        title: count_title("Markers", &app.markers.list),
        focused: true,
    }
    .draw(f, v[1], cx, |m| {
        Row::new(vec![
            m.kind.to_string(),
            ms(Some(m.start_ms)),
            ms(Some(m.end_ms)),
            m.source.to_string(),
            escape_str(m.label.as_deref().unwrap_or("")),
        ])
    });
}
