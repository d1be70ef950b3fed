//! The review queue: decisions, undo, and the editor.

use crate::harness::*;

#[test]
fn review_decisions_move_on_and_undo_puts_them_back() {
    let db = demo_catalog("review");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Review);
    let total = app.review.items.total.unwrap();
    assert!(total >= 5);
    // Find the conflicting item and accept it.
    let pos = app
        .review
        .items
        .rows
        .iter()
        .position(|i| i.reason == shelf::model::ReviewReason::Conflicting)
        .unwrap();
    for _ in 0..pos {
        d.act(&mut app, Action::Down);
    }
    let id = app.review.items.selected().unwrap().id;
    d.act(&mut app, Action::Accept);
    assert_eq!(app.review.items.total, Some(total - 1));
    assert_ne!(
        app.review.items.selected().unwrap().id,
        id,
        "the cursor is on the next item"
    );
    assert_eq!(app.review.items.cursor as usize, pos);
    let status: String =
        d.ro.query_row("SELECT status FROM review_items WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "resolved");
    assert!(app.message.as_ref().unwrap().1.contains("linked as"));
    // Reject another, with a note, then undo both.
    let other = app.review.items.selected().unwrap().id;
    d.act(&mut app, Action::Reject);
    assert_eq!(app.line().unwrap().kind, InputKind::RejectNote(other));
    app.line_mut().unwrap().text = "a sample clip".into();
    let r = app.submit();
    d.run(&mut app, r);
    let note: String =
        d.ro.query_row(
            "SELECT note FROM review_items WHERE id = ?1",
            [other],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note, "a sample clip");
    let status: String =
        d.ro.query_row(
            "SELECT status FROM review_items WHERE id = ?1",
            [other],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "rejected");
    d.act(&mut app, Action::Undo);
    d.act(&mut app, Action::Undo);
    assert_eq!(app.review.items.total, Some(total));
    let pending: i64 =
        d.ro.query_row(
            "SELECT count(*) FROM review_items WHERE id IN (?1, ?2) AND status = 'pending'",
            [id, other],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 2);
    // Bulk accept asks for a confidence first; a bad one is refused with a message.
    d.act(&mut app, Action::BulkAccept);
    assert_eq!(app.line().unwrap().kind, InputKind::BulkAccept);
    app.line_mut().unwrap().text = "lots".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(app.message.as_ref().unwrap().1.contains("not a confidence"));
}

#[test]
fn the_review_editor_completes_titles_validates_and_decides() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let db = demo_catalog("editor");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Review);
    let pos = app
        .review
        .items
        .rows
        .iter()
        .position(|i| i.reason == shelf::model::ReviewReason::AmbiguousTitle)
        .unwrap();
    for _ in 0..pos {
        d.act(&mut app, Action::Down);
    }
    let id = app.review.items.selected().unwrap().id;
    d.act(&mut app, Action::Edit);
    let form = app.form().unwrap();
    assert_eq!(
        form.fields[0].lines()[0],
        "Doctor Who",
        "prefilled from the proposal"
    );
    assert_eq!(
        (
            form.fields[2].lines()[0].as_str(),
            form.fields[3].lines()[0].as_str()
        ),
        ("2", "3")
    );
    // Clear the title, type a prefix: existing titles are offered.
    for _ in 0..10 {
        let r = app.form_key(key(KeyCode::Backspace));
        d.run(&mut app, r);
    }
    for c in "doc".chars() {
        let r = app.form_key(key(KeyCode::Char(c)));
        d.run(&mut app, r);
    }
    let names: Vec<(String, Option<u32>)> = app
        .form()
        .unwrap()
        .completions
        .iter()
        .map(|t| (t.name.clone(), t.year))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Doctor Who".into(), Some(1963)),
            ("Doctor Who".into(), Some(2005))
        ]
    );
    insta::assert_snapshot!("review_editor_80x24", draw(&mut app, 80, 24));
    // Tab takes the first; the year comes with it. Take the other year by typing it.
    let r = app.form_key(key(KeyCode::Tab));
    d.run(&mut app, r);
    let form = app.form().unwrap();
    assert_eq!(
        (
            form.fields[0].lines()[0].as_str(),
            form.fields[1].lines()[0].as_str(),
            form.focus
        ),
        ("Doctor Who", "1963", 1)
    );
    for k in [
        KeyCode::Backspace,
        KeyCode::Backspace,
        KeyCode::Backspace,
        KeyCode::Backspace,
        KeyCode::Char('2'),
        KeyCode::Char('0'),
        KeyCode::Char('0'),
        KeyCode::Char('5'),
    ] {
        let r = app.form_key(key(k));
        d.run(&mut app, r);
    }
    // A bad episode is refused in the form, which stays open.
    app.form_mut().unwrap().focus = 3;
    let r = app.form_key(key(KeyCode::Char('x')));
    d.run(&mut app, r);
    let r = app.form_key(key(KeyCode::Enter));
    d.run(&mut app, r);
    let error = app.form().unwrap().error.clone().unwrap();
    assert!(
        matches!(
            &error,
            shelf::tui::form::FormError::NotANumber {
                field: "episode",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("not a number"), "{error}");
    let r = app.form_key(key(KeyCode::Backspace));
    d.run(&mut app, r);
    let r = app.form_key(key(KeyCode::Enter));
    d.run(&mut app, r);
    assert!(app.form().is_none());
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .1
            .contains("Doctor Who (2005) S02E03"),
        "{:?}",
        app.message
    );
    let (status, title_year): (String, i64) = d
        .ro
        .query_row(
            "SELECT r.status, t.year FROM review_items r JOIN episode_assets ea ON ea.asset_id = r.asset_id
             JOIN episodes e ON e.id = ea.episode_id JOIN titles t ON t.id = e.title_id WHERE r.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), title_year), ("resolved", 2005));
    // Esc closes without deciding.
    d.act(&mut app, Action::Edit);
    let r = app.form_key(key(KeyCode::Esc));
    d.run(&mut app, r);
    assert!(app.form().is_none());
}

/// The Why pane says what the selected item's file is linked to now, when it is linked.
#[test]
fn the_why_pane_names_what_the_file_is_linked_to() {
    let db = demo_catalog("why");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Review);
    let rows = &app.review.items.rows;
    assert!(
        rows.iter().all(|i| i.linked.is_some()),
        "looked up for every row"
    );
    let pos = rows
        .iter()
        .position(|i| i.linked.as_ref().is_some_and(|l| !l.is_empty()))
        .expect("a pending item whose file is linked");
    let label = rows[pos].linked.as_ref().unwrap()[0].clone();
    for _ in 0..pos {
        d.act(&mut app, Action::Down);
    }
    let frame = draw(&mut app, 120, 40);
    assert!(frame.contains(&format!("linked to {label}")), "{frame}");
}
