//! The Sources screen: collections, path mappings, a path tested.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, Borders, Paragraph, Row};

use super::{ListTable, PagedTable, View, hit, tail};
use crate::paths::escape_str;
use crate::tui::app::List;

pub(super) fn sources(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Percentage(60),
            Constraint::Min(4),
            Constraint::Length(3),
        ])
        .split(area);
    let top = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(3), Constraint::Length(1)])
        .split(v[0]);
    collections(f, top[0], cx);
    detail(f, top[1], cx);
    mappings(f, v[1], cx);
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

/// The collections, an offline one in red with its reason.
fn collections(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    PagedTable {
        list: List::Collections,
        paged: &app.sources.collections,
        widths: vec![
            Constraint::Length(14),
            Constraint::Length(6),
            Constraint::Length(3),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(16),
            Constraint::Min(8),
        ],
        title: " Collections ".into(),
        focused: !app.lower,
    }
    .draw(f, area, cx, |c| {
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
                if c.is_server() {
                    escape_str(&format!("{} {}", c.source_kind, c.remote_roots.join(", ")))
                } else {
                    cx.path(c.root.as_deref().unwrap_or_default())
                },
                (area.width as usize).saturating_sub(2 + 14 + 6 + 3 + 10 + 7 + 16 + 6),
            ),
        ])
        .style(if c.ingestible {
            Style::default()
        } else {
            theme.fg(Color::Red)
        })
    });
}

/// The selected collection in a line: where its files come from and, when it cannot be
/// scanned, why (a server folder with no mapping, an unmounted disk).
fn detail(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let Some(c) = cx.app.sources.collections.selected() else {
        return;
    };
    let from = if c.is_server() {
        format!(
            "{} source {:?}, server folders {}",
            c.source_kind,
            c.source,
            c.remote_roots.join(", ")
        )
    } else {
        cx.path(c.root.as_deref().unwrap_or_default())
    };
    let (text, style) = match (&c.offline_reason, c.ingestible) {
        (Some(why), false) => (
            format!(" {}: {from} · {why}", c.name),
            cx.theme.fg(Color::Red),
        ),
        _ => (format!(" {}: {from}", c.name), Style::default()),
    };
    f.render_widget(Paragraph::new(escape_str(&text)).style(style), area);
}

/// The path mappings.
fn mappings(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let rows = app
        .sources
        .mappings
        .iter()
        .map(|m| {
            Row::new(vec![
                format!("#{}", m.id),
                escape_str(&m.collection),
                escape_str(&m.remote_prefix),
                cx.path(&m.local_prefix),
            ])
        })
        .collect();
    let off = ListTable {
        rows,
        widths: vec![
            Constraint::Length(5),
            Constraint::Length(14),
            Constraint::Percentage(40),
            Constraint::Min(8),
        ],
        title: " Path mappings ".into(),
        focused: app.lower,
        selected: (!app.sources.mappings.is_empty())
            .then(|| app.sources.cursor.min(app.sources.mappings.len() - 1)),
    }
    .draw(f, area, theme);
    hit(cx, List::Mappings, area, off as u64);
}
