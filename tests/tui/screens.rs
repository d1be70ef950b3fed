//! Every screen drawn at 80x24 and 120x40, empty states, errors and help, as snapshots.

use crate::harness::*;

#[test]
fn every_screen_at_80x24_and_120x40() {
    let db = demo_catalog("snap");
    let (mut app, d) = started(&db);
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        for (a, name) in [
            (Action::Library, "library"),
            (Action::Assets, "assets"),
            (Action::Review, "review"),
        ] {
            d.act(&mut app, a);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(&mut app, w, h));
        }
        // Markers of the Pilot.
        d.act(&mut app, Action::Assets);
        d.act(&mut app, Action::Search);
        app.line_mut().unwrap().text = "pilot".into();
        let r = app.submit();
        d.run(&mut app, r);
        d.act(&mut app, Action::DrillIn);
        insta::assert_snapshot!(format!("markers_{w}x{h}"), draw(&mut app, w, h));
        app.assets.filter = Default::default();
        // Sources and Status with their clock times fixed (the rows are the catalog's).
        let at = "2026-01-02T03:04:05Z";
        d.act(&mut app, Action::Sources);
        for c in app.sources.collections.rows.iter_mut() {
            c.last_scan_at = Some(at.into());
        }
        insta::assert_snapshot!(format!("sources_{w}x{h}"), draw(&mut app, w, h));
        d.act(&mut app, Action::Status);
        app.status.services.clear();
        for c in app.status.changesets.iter_mut() {
            c.started_at = at.into();
        }
        insta::assert_snapshot!(format!("status_{w}x{h}"), draw(&mut app, w, h));
    }
}

#[test]
fn empty_states_errors_help_hostile_names_and_a_running_scan() {
    // An empty catalog.
    let dir = test_home().join("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("c.db");
    catalog::open(&db, Mode::ReadWrite).unwrap();
    let (mut app, d) = started(&db);
    insta::assert_snapshot!("empty_library_80x24", draw(&mut app, 80, 24));
    d.act(&mut app, Action::Review);
    insta::assert_snapshot!("empty_review_80x24", draw(&mut app, 80, 24));
    d.act(&mut app, Action::Markers);
    insta::assert_snapshot!("empty_markers_80x24", draw(&mut app, 80, 24));
    // A hostile file name cannot reach the terminal raw.
    let lib = dir.join("lib");
    put(&lib.join("evil\x1b]0;owned\x07\x1b[2J name.mkv"), b"x");
    let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
    let col = shelf::catalog::sources::add_filesystem(
        &conn,
        "lib",
        shelf::paths::to_bytes(&lib),
        shelf::model::CollectionKind::Mixed,
    )
    .unwrap();
    scan(&db, vec![col]);
    d.act(&mut app, Action::Assets);
    let wide = draw(&mut app, 120, 40);
    assert!(wide.contains("evil\\e]0;owned\\u{7}"), "{wide}");
    let screen = draw(&mut app, 80, 24);
    assert!(
        !screen.contains('\x1b') && !screen.contains('\x07'),
        "{screen}"
    );
    assert!(screen.contains("\\e[2J name.mkv"), "{screen}");
    insta::assert_snapshot!("hostile_name_80x24", screen);
    // An error message, the help screen, a running scan.
    app.message = Some((
        shelf::tui::app::Level::Error,
        "catalog: database is on fire".into(),
    ));
    insta::assert_snapshot!("error_message_80x24", draw(&mut app, 80, 24));
    app.message = None;
    d.act(&mut app, Action::Help);
    insta::assert_snapshot!("help_120x40", draw(&mut app, 120, 40));
    // At 80x24 the keys do not all fit: whole lines, scrolled with the usual keys.
    let top = draw(&mut app, 80, 24);
    assert!(top.contains("Keys 1–20 of"), "{top}");
    d.act(&mut app, Action::Bottom);
    let end = draw(&mut app, 80, 24);
    assert!(!end.contains("Keys 1–20 of"), "{end}");
    d.act(&mut app, Action::Up);
    assert!(
        draw(&mut app, 80, 24) != end,
        "Up answers at once at the end"
    );
    assert_eq!(
        app.screen,
        Screen::Assets,
        "keys scroll the help, nothing else"
    );
    insta::assert_snapshot!("help_80x24_scrolled", draw(&mut app, 80, 24));
    d.act(&mut app, Action::Dismiss);
    app.on_scan(ScanEvent::Started);
    app.on_scan(ScanEvent::Progress {
        line: "hashing 420/1000 files, 4.2 GB/10.0 GB (310.0 MB/s, ETA 19s)".into(),
        fraction: 0.42,
    });
    app.message = None;
    app.status.services.clear();
    app.status.changesets.clear();
    d.act(&mut app, Action::Status);
    app.status.services.clear();
    app.status.changesets.clear();
    insta::assert_snapshot!("running_scan_80x24", draw(&mut app, 80, 24));
}
