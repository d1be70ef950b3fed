//! The Status screen: services, the scan, changesets and their events.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Color;
use ratatui::widgets::{Block, Borders, Gauge, Row};

use super::{ListTable, PagedTable, View, empty, hit, tail};
use crate::catalog::status::{Freshness, freshness};
use crate::paths::escape_str;
use crate::tui::app::List;

pub(super) fn status(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(5),
            Constraint::Length(3),
            Constraint::Length((app.status.changesets.len() as u16 + 2).clamp(3, 7)),
            Constraint::Min(5),
        ])
        .split(area);
    services(f, v[0], cx);
    scan_gauge(f, v[1], cx);
    let off = changesets(f, v[2], cx);
    hit(cx, List::Changesets, v[2], off as u64);
    events(f, v[3], cx);
}

/// The services and their heartbeats, coloured by freshness at the view's clock.
fn services(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
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
    ListTable {
        rows,
        widths: vec![
            Constraint::Length(9),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Percentage(45),
            Constraint::Min(8),
        ],
        title: " Services ".into(),
        focused: false,
        selected: None,
    }
    .draw(f, area, theme);
}

/// The scan running here, or what the last one said.
fn scan_gauge(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let label = if app.scan.running {
        escape_str(&app.scan.line)
    } else {
        app.scan
            .last
            .clone()
            .map(|s| escape_str(&s))
            .unwrap_or_else(|| "no scan running here (S scans everything)".into())
    };
    let label = match app.status.hash_pending {
        (0, _) => label,
        (files, bytes) => format!(
            "{label}; {files} file(s) ({}) wait for their full hash",
            crate::worker::progress::human_bytes(bytes.max(0) as u64)
        ),
    };
    f.render_widget(
        Gauge::default()
            .block(Block::default().borders(Borders::ALL).title(" Scan "))
            .gauge_style(theme.fg(Color::Green))
            .ratio(app.scan.fraction.clamp(0.0, 1.0))
            .label(label),
        area,
    );
}

/// The recent changesets; returns the list's scroll offset.
fn changesets(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) -> usize {
    let (app, theme) = (cx.app, cx.theme);
    let rows = app
        .status
        .changesets
        .iter()
        .map(|c| {
            let what = if let Some(n) = c.scan_counts() {
                format!(
                    "{} seen, {} new, {} moved, {} missing, {} errors",
                    n.seen, n.new, n.moved, n.missing, n.errors
                )
            } else {
                escape_str(c.message.as_deref().unwrap_or(""))
            };
            Row::new(vec![
                format!("#{}", c.id),
                c.kind.to_string(),
                c.status.as_str().to_owned(),
                c.started_at.get(..19).unwrap_or("").replace('T', " "),
                what,
            ])
        })
        .collect();
    ListTable {
        rows,
        widths: vec![
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(11),
            Constraint::Length(19),
            Constraint::Min(10),
        ],
        title: " Changesets ".into(),
        focused: !app.lower,
        selected: app
            .status
            .changesets
            .iter()
            .position(|c| Some(c.id) == app.status.selected),
    }
    .draw(f, area, theme)
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
            .map(|c| c.kind)
            .unwrap_or(crate::model::ChangesetKind::Scan);
        let text = if kind == crate::model::ChangesetKind::Scan {
            format!("no {filter} events in this scan")
        } else {
            format!("#{cs} is a {kind} changeset: events are kept for scans")
        };
        empty(f, area, &title, &text);
        return;
    }
    // The path gets what the kind and a short detail leave.
    let path_width = (area.width as usize).saturating_sub(2 + 8 + 2) * 3 / 5;
    let table = PagedTable {
        list: List::Events,
        paged: &app.status.events,
        widths: vec![
            Constraint::Length(8),
            Constraint::Length(path_width as u16),
            Constraint::Min(10),
        ],
        title,
        focused: app.lower,
    };
    table.draw(f, area, cx, |ev| {
        let detail = match (&ev.from, &ev.reason) {
            (Some(from), _) => format!("from {}", cx.path(from)),
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
            tail(cx.path(&ev.path), path_width),
            detail,
        ])
        .style(theme.fg(colour))
    });
}
