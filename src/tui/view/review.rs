//! The Review screen and its editor.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row};

use super::{PagedTable, Theme, View, count_title, empty, tail};
use crate::paths::escape_str;
use crate::tui::app::List;

pub(super) fn review(f: &mut Frame<'_>, area: Rect, cx: &View<'_>) {
    let app = cx.app;
    if app.review.items.rows.is_empty() && !app.review.items.loading {
        empty(f, area, " Review ", "nothing to review");
        return;
    }
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(3), Constraint::Length(6)])
        .split(area);
    PagedTable {
        list: List::Review,
        paged: &app.review.items,
        widths: vec![
            Constraint::Length(17),
            Constraint::Length(5),
            Constraint::Length(30),
            Constraint::Min(10),
        ],
        title: count_title("Review", &app.review.items),
        focused: true,
    }
    .draw(f, v[0], cx, |i| {
        Row::new(vec![
            i.reason.to_string(),
            format!("{:.0}%", i.confidence * 100.0),
            // A duplicate's proposal is a path: shown like every path.
            match i
                .proposal
                .as_ref()
                .and_then(|p| p["canonical_path"].as_str())
            {
                Some(c) => format!("keep {}", cx.path(c.as_bytes())),
                None => escape_str(&crate::catalog::review::describe_proposal(&i.proposal)),
            },
            tail(
                cx.path(&i.path),
                (v[0].width as usize).saturating_sub(2 + 17 + 5 + 30 + 3),
            ),
        ])
    });
    let detail = app
        .review
        .items
        .selected()
        .map(|i| {
            let linked = match i.linked.as_deref() {
                Some([]) | None => String::new(),
                Some(l) => format!("linked to {}\n", escape_str(&l.join("; "))),
            };
            format!("{}\n{linked}{}", escape_str(&i.text), cx.path(&i.path))
        })
        .unwrap_or_default();
    f.render_widget(
        Paragraph::new(detail)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Why ")),
        v[1],
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
    let foot = form.error.as_ref().map_or_else(
        || "enter decides · esc cancels · tab/↑↓ move".into(),
        ToString::to_string,
    );
    let style = if form.error.is_some() {
        theme.fg(Color::Red)
    } else {
        theme.fg(Color::DarkGray)
    };
    f.render_widget(Paragraph::new(escape_str(&foot)).style(style), parts[5]);
}
