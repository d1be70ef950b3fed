//! The Inbox screen: what to organise and where, the plan (source → destination, the date
//! and where it came from; duplicates, skips and why), and the batches, any of which can be
//! put back.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Paragraph, Row};

use super::{ListTable, View, tail};
use crate::paths::escape_str;

pub(super) fn inbox(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(2),
            Constraint::Percentage(65),
            Constraint::Min(4),
        ])
        .split(area);
    let i = &app.inbox;
    let what = match (&i.src, &i.dest) {
        (Some(s), Some(d)) => format!(
            " {} → {}  ({})",
            escape_str(s),
            escape_str(d),
            if i.moving { "move" } else { "copy" }
        ),
        _ => format!(
            " n: an inbox to organise, SRC -> DEST  ({})",
            if i.moving { "move" } else { "copy" }
        ),
    };
    let status = if i.running {
        " working…".to_string()
    } else {
        i.summary
            .as_deref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default()
    };
    f.render_widget(
        Paragraph::new(format!("{what}\n{}", escape_str(&status))),
        v[0],
    );
    plan(f, v[1], cx);
    batches(f, v[2], cx);
}

/// The plan, a line per file.
fn plan(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let half = (area.width as usize).saturating_sub(2 + 10 + 18 + 6) / 2;
    let rows = app
        .inbox
        .plan
        .iter()
        .map(|l| {
            let date = match (&l.captured_at, &l.date_source) {
                (Some(d), Some(s)) => format!("{} {s}", d.get(..10).unwrap_or(d)),
                _ => String::new(),
            };
            let (to, style) = match l.action.as_str() {
                "place" => (l.dest.clone().unwrap_or_default(), Style::default()),
                "duplicate" => (
                    format!("duplicate: {}", l.reason.as_deref().unwrap_or("")),
                    theme.fg(Color::Yellow),
                ),
                _ => (
                    format!("skipped: {}", l.reason.as_deref().unwrap_or("")),
                    theme.fg(Color::DarkGray),
                ),
            };
            let style = if l.state == "failed" {
                theme.fg(Color::Red)
            } else {
                style
            };
            Row::new(vec![
                l.state.clone(),
                tail(escape_str(&l.src), half),
                tail(escape_str(&to), half),
                date,
            ])
            .style(style)
        })
        .collect();
    ListTable {
        rows,
        widths: vec![
            Constraint::Length(9),
            Constraint::Percentage(40),
            Constraint::Percentage(40),
            Constraint::Min(16),
        ],
        title: format!(" Plan ({} files) ", app.inbox.plan.len()),
        focused: !app.lower,
        selected: (!app.inbox.plan.is_empty())
            .then(|| app.inbox.cursor.min(app.inbox.plan.len() - 1)),
    }
    .draw(f, area, theme);
}

/// The batches, newest first.
fn batches(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let (app, theme) = (cx.app, cx.theme);
    let rows = app
        .inbox
        .batches
        .iter()
        .map(|b| {
            Row::new(vec![
                format!("#{}", b.id),
                b.started_at
                    .get(..16)
                    .unwrap_or(&b.started_at)
                    .replace('T', " "),
                b.status.clone(),
                b.mode.clone(),
                format!(
                    "{} placed, {} dupes, {} skipped, {} failed, {} pending",
                    b.organised, b.duplicates, b.skipped, b.failed, b.pending
                ),
                cx.path(&b.dest),
            ])
        })
        .collect();
    ListTable {
        rows,
        widths: vec![
            Constraint::Length(5),
            Constraint::Length(16),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Length(54),
            Constraint::Min(8),
        ],
        title: " Batches ".into(),
        focused: app.lower,
        selected: (!app.inbox.batches.is_empty())
            .then(|| app.inbox.batch_cursor.min(app.inbox.batches.len() - 1)),
    }
    .draw(f, area, theme);
}
