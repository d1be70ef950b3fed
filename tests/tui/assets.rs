//! Assets and Markers: filters, search, sorting by capture date, markers by the thousand.

use crate::harness::*;

#[test]
fn assets_filters_search_and_markers() {
    let db = demo_catalog("assets");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Assets);
    let all = app.assets.list.total.unwrap();
    assert_eq!(all, 19, "18 files and one duplicate");
    d.act(&mut app, Action::FilterDuplicates);
    assert_eq!(app.assets.list.total, Some(2));
    d.act(&mut app, Action::FilterDuplicates);
    d.act(&mut app, Action::FilterErrors);
    assert_eq!(app.assets.list.total, Some(1), "the broken download");
    d.act(&mut app, Action::FilterErrors);
    d.act(&mut app, Action::FilterKind); // video
    d.act(&mut app, Action::FilterKind); // audio
    d.act(&mut app, Action::FilterKind); // image
    assert_eq!(app.assets.list.total, Some(2));
    d.act(&mut app, Action::FilterKind);
    d.act(&mut app, Action::FilterKind);
    d.act(&mut app, Action::FilterKind); // all again
    assert_eq!(app.assets.list.total, Some(all));
    assert_eq!(app.assets.filter.kind, None);
    // The command line names a kind; one it does not know is refused, saying which it knows.
    for (line, want) in [
        ("filter image", Some(shelf::model::MediaKind::Image)),
        ("filter films", Some(shelf::model::MediaKind::Image)),
    ] {
        app.message = None;
        d.act(&mut app, Action::Palette);
        app.line_mut().unwrap().text = line.into();
        let r = app.submit();
        d.run(&mut app, r);
        assert_eq!(app.assets.filter.kind, want, "{line}");
    }
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .1
            .contains("expected video, audio"),
        "{:?}",
        app.message
    );
    app.assets.filter = Default::default();
    d.act(&mut app, Action::Refresh);
    d.act(&mut app, Action::Search);
    app.line_mut().unwrap().text = "pilot".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.assets.list.total, Some(1));
    // Enter opens the file's markers; add an avail at a typed time, delete it, undo.
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Markers);
    assert_eq!(app.markers.list.rows.len(), 3);
    d.act(&mut app, Action::Add);
    app.line_mut().unwrap().text = "00:00:01.500".into(); // no kind: an avail
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.markers.list.rows.len(), 4, "{:?}", app.message);
    assert!(
        app.markers
            .list
            .rows
            .iter()
            .any(|m| m.kind == shelf::model::MarkerKind::Avail && m.start_ms == 1500)
    );
    // Out of range: refused by the catalog, said on the message line.
    d.act(&mut app, Action::Add);
    app.line_mut().unwrap().text = "avail 1:00:00".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(app.message.as_ref().unwrap().1.contains("past the end"));
    // A kind that does not exist, or no start: refused inline, the line stays open.
    d.act(&mut app, Action::Add);
    app.line_mut().unwrap().text = "commercial 0:01".into();
    let r = app.submit();
    assert!(r.is_empty());
    assert!(app.message.as_ref().unwrap().1.contains("unknown kind"));
    assert_eq!(app.line().unwrap().text, "commercial 0:01");
    app.line_mut().unwrap().text = "intro".into();
    assert!(app.submit().is_empty());
    assert!(app.message.as_ref().unwrap().1.contains("start time"));
    // Any kind, with an end and a label.
    app.line_mut().unwrap().text = "intro 0:00.250 0:01 Cold open".into();
    let r = app.submit();
    d.run(&mut app, r);
    let intro = app
        .markers
        .list
        .rows
        .iter()
        .find(|m| m.kind == shelf::model::MarkerKind::Intro)
        .expect("the intro was added")
        .clone();
    assert_eq!(
        (intro.start_ms, intro.end_ms, intro.label.as_deref()),
        (250, 1000, Some("Cold open"))
    );
    // Edit: the line opens with the marker as it is; change its kind and end.
    let at = app
        .markers
        .list
        .rows
        .iter()
        .position(|m| m.id == intro.id)
        .unwrap();
    d.act(&mut app, Action::Top);
    for _ in 0..at {
        d.act(&mut app, Action::Down);
    }
    d.act(&mut app, Action::Edit);
    let line = app.line().unwrap();
    assert_eq!(line.kind, InputKind::MarkerEdit(intro.id));
    assert_eq!(line.text, "intro 0:00:00.250 0:00:01.000 Cold open");
    app.line_mut().unwrap().text = "bumper 0:00.250 0:02 Cold open".into();
    let r = app.submit();
    d.run(&mut app, r);
    let m = app
        .markers
        .list
        .rows
        .iter()
        .find(|m| m.id == intro.id)
        .unwrap();
    assert_eq!((m.kind.as_str(), m.end_ms), ("bumper", 2000));
    d.act(&mut app, Action::Undo);
    let m = app
        .markers
        .list
        .rows
        .iter()
        .find(|m| m.id == intro.id)
        .unwrap();
    assert_eq!(
        (m.kind.as_str(), m.end_ms),
        ("intro", 1000),
        "undo puts it back"
    );
    d.act(&mut app, Action::Undo);
    assert!(app.markers.list.rows.iter().all(|m| m.id != intro.id));
    let at = app
        .markers
        .list
        .rows
        .iter()
        .position(|m| m.kind == shelf::model::MarkerKind::Avail)
        .unwrap();
    for _ in 0..at {
        d.act(&mut app, Action::Down);
    }
    d.act(&mut app, Action::Top);
    for _ in 0..at {
        d.act(&mut app, Action::Down);
    }
    d.act(&mut app, Action::Delete);
    assert_eq!(app.markers.list.rows.len(), 3);
    d.act(&mut app, Action::Undo);
    assert_eq!(app.markers.list.rows.len(), 4);
    // Generate avails.
    d.act(&mut app, Action::GenerateAvails);
    app.line_mut().unwrap().text = "2".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(
        app.markers
            .list
            .rows
            .iter()
            .filter(|m| m.source == shelf::model::MarkerSource::Generated)
            .count(),
        2
    );
}

#[test]
fn a_file_with_thousands_of_markers_pages_and_another_file_starts_at_its_top() {
    let db = demo_catalog("markerpages");
    let pilot: i64 = {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        let id: i64 = c
            .query_row(
                "SELECT id FROM assets WHERE CAST(rel_path AS TEXT) LIKE '%Pilot.mkv'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        c.execute(
            "UPDATE assets SET duration_ms = 10000000 WHERE id = ?1",
            [id],
        )
        .unwrap();
        c.execute_batch("BEGIN").unwrap();
        for i in 0..2500i64 {
            c.execute(
                "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, confidence, created_at, updated_at)
                 VALUES (?1, 'avail', ?2, ?2, 'manual', 1, 'x', 'x')",
                rusqlite::params![id, 5000 + i * 1000],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT").unwrap();
        id
    };
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Assets);
    d.act(&mut app, Action::Search);
    app.line_mut().unwrap().text = "pilot".into();
    let r = app.submit();
    d.run(&mut app, r);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.markers.asset.as_ref().unwrap().id, pilot);
    assert_eq!(
        app.markers.list.total,
        Some(2503),
        "2,500 avails and the 3 chapters"
    );
    assert!(app.markers.list.rows.len() <= shelf::tui::app::PAGE);
    d.act(&mut app, Action::Bottom);
    assert_eq!(
        app.markers.list.selected().unwrap().start_ms,
        5000 + 2499 * 1000
    );
    for _ in 0..20 {
        d.act(&mut app, Action::PageUp);
    }
    assert!(app.markers.list.rows.len() <= 2 * shelf::tui::app::PAGE);
    let want = 5000 + (2502 - 3 - 20 * app.viewport as i64) * 1000;
    assert_eq!(app.markers.list.selected().unwrap().start_ms, want);
    // Another file: its markers, from its first.
    d.act(&mut app, Action::Assets);
    d.act(&mut app, Action::Search);
    app.line_mut().unwrap().text = "Return".into();
    let r = app.submit();
    d.run(&mut app, r);
    d.act(&mut app, Action::DrillIn);
    assert_ne!(app.markers.asset.as_ref().unwrap().id, pilot);
    assert_eq!(app.markers.list.total, Some(3));
    assert_eq!(app.markers.list.cursor, 0);
    let labels: Vec<_> = app
        .markers
        .list
        .rows
        .iter()
        .map(|m| m.label.clone().unwrap_or_default())
        .collect();
    assert_eq!(labels, vec!["Opening", "Act One", "Credits"]);
}

#[test]
fn photos_sort_by_capture_date() {
    let db = demo_catalog("photos");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Assets);
    d.act(&mut app, Action::Sort);
    assert!(app.assets.filter.by_captured);
    let names: Vec<String> = app
        .assets
        .list
        .rows
        .iter()
        .map(|a| shelf::paths::display(&a.rel_path))
        .collect();
    assert_eq!(
        names,
        vec!["2023/holiday.jpg", "2023/IMG_20231225_123456.jpg"],
        "by the date each has: the file's mtime (2023-08-14) before the EXIF date (2023-12-25)"
    );
    let screen = draw(&mut app, 120, 40);
    assert!(screen.contains("2023-12-25"), "{screen}");
    assert!(screen.contains("2023-08-14"), "{screen}");
    assert!(screen.contains("by capture date"), "{screen}");
    d.act(&mut app, Action::Sort);
    assert_eq!(app.assets.list.total, Some(19));
}
