//! What every screen shares: read-only, refused writes, the scan's life, the mouse, the input line, changes from another process.

use crate::harness::*;

#[test]
fn read_only_refuses_every_write() {
    let db = demo_catalog("ro");
    let d = Driver::new(&db);
    let mut app = App::new(true);
    let r = app.start();
    d.run(&mut app, r);
    d.act(&mut app, Action::Review);
    d.act(&mut app, Action::Accept);
    assert!(app.message.as_ref().unwrap().1.contains("read-only"));
    let resolved: i64 =
        d.ro.query_row(
            "SELECT count(*) FROM review_items WHERE status != 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(resolved, 0);
    assert!(app.update(Action::ScanAll).is_empty());
    // Nor a collection switched off, a mapping added, a marker added or edited.
    d.act(&mut app, Action::Sources);
    for a in [Action::Toggle, Action::Add] {
        app.message = None;
        d.act(&mut app, a);
        assert!(
            app.message.as_ref().unwrap().1.contains("read-only"),
            "{a:?}"
        );
        assert!(app.line().is_none(), "{a:?}");
    }
    let enabled: i64 =
        d.ro.query_row(
            "SELECT count(*) FROM collections WHERE enabled = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(enabled, 3);
    d.act(&mut app, Action::Assets);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Markers);
    for a in [Action::Add, Action::Edit, Action::GenerateAvails] {
        app.message = None;
        d.act(&mut app, a);
        assert!(
            app.line().is_none(),
            "{a:?} opened a line in read-only mode"
        );
        assert!(
            app.message.as_ref().unwrap().1.contains("read-only"),
            "{a:?}"
        );
    }
}

#[test]
fn a_write_the_catalog_refuses_is_shown_and_changes_nothing() {
    let db = demo_catalog("refused");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Review);
    let total = app.review.items.total.unwrap();
    // The catalog stops taking writes under the UI (as a disk remounted read-only would).
    d.writer
        .handle()
        .call(|c| Ok(c.pragma_update(None, "query_only", true)?))
        .unwrap();
    app.message = None;
    d.act(&mut app, Action::Accept);
    let (level, text) = app.message.clone().expect("the failed write says so");
    assert_eq!(level, shelf::tui::app::Level::Error, "{text}");
    assert!(text.contains("readonly"), "{text}");
    assert_eq!(app.review.items.total, Some(total), "nothing was decided");
    let pending: i64 =
        d.ro.query_row(
            "SELECT count(*) FROM review_items WHERE status = 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending as u64, total);
}

#[test]
fn a_scan_lives_its_whole_life_through_update() {
    let db = demo_catalog("lifecycle");
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.total, Some(7));
    // `S` asks the loop to scan everything enabled; on Sources `s` the selected collection.
    assert_eq!(
        app.update(Action::ScanAll),
        vec![Effect::Scan { collection: None }]
    );
    d.act(&mut app, Action::Sources);
    let name = app.sources.collections.selected().unwrap().name.clone();
    assert_eq!(
        app.update(Action::ScanSelected),
        vec![Effect::Scan {
            collection: Some(name)
        }]
    );
    // The loop started it: the Status screen shows it running, and its progress, which
    // never goes backwards.
    d.act(&mut app, Action::Status);
    assert!(app.on_scan(ScanEvent::Started).is_empty());
    assert!(app.scan.running);
    assert_eq!(app.message, Some((Level::Info, "scan started".into())));
    app.on_scan(ScanEvent::Progress {
        line: "hashing 3/10 files".into(),
        fraction: 0.5,
    });
    app.on_scan(ScanEvent::Progress {
        line: "hashing 4/10 files".into(),
        fraction: 0.3,
    });
    assert_eq!(app.scan.line, "hashing 4/10 files");
    assert_eq!(app.scan.fraction, 0.5);
    assert!(draw(&mut app, 80, 24).contains("hashing 4/10 files"));
    // A second scan is refused by the loop; a cancel is passed on.
    app.on_scan(ScanEvent::Refused("a scan is already running".into()));
    assert_eq!(app.message.as_ref().unwrap().0, Level::Error);
    assert_eq!(app.update(Action::CancelScan), vec![Effect::CancelScan]);
    app.on_scan(ScanEvent::Canceling);
    assert!(app.message.as_ref().unwrap().1.contains("canceling"));

    // Meanwhile the scan really ran and found a new show; when it ends, what the screen
    // shows is asked for again.
    let tv = db.parent().unwrap().join("library/TV");
    let doctor =
        std::fs::read(tv.join("Doctor Who (2005)/Season 1/Doctor Who (2005) - S01E01.mkv"))
            .unwrap();
    let ep = tv.join("New Show (2024)/Season 1/New Show (2024) - S01E01.mkv");
    put(&ep, &[doctor.as_slice(), b"new"].concat());
    let conn = catalog::open(&db, Mode::ReadOnly).unwrap();
    scan(&db, shelf::catalog::sources::list(&conn).unwrap());
    let reload = app.on_scan(ScanEvent::Finished {
        summary: "scan completed: 1 new".into(),
        problems: false,
    });
    assert!(!app.scan.running);
    assert_eq!(app.scan.last.as_deref(), Some("scan completed: 1 new"));
    assert_eq!(app.message.as_ref().unwrap().0, Level::Info);
    assert!(
        reload
            .iter()
            .any(|e| matches!(e, Effect::Ask(Request::Status { .. }))),
        "{reload:?}"
    );
    d.run(&mut app, reload);
    d.act(&mut app, Action::Library);
    assert_eq!(app.library.titles.total, Some(8), "the new show is listed");
    // A scan that fails says so, and stops showing as running.
    app.on_scan(ScanEvent::Started);
    app.on_scan(ScanEvent::Failed("the catalog is locked".into()));
    assert!(!app.scan.running);
    assert_eq!(
        app.message,
        Some((Level::Error, "scan: the catalog is locked".into()))
    );
    // Read-only: no scan is asked for, and the reason is shown.
    let mut ro = App::new(true);
    assert!(ro.update(Action::ScanAll).is_empty());
    assert!(ro.message.as_ref().unwrap().1.contains("read-only"));
}

#[test]
fn the_mouse_selects_what_it_clicks_and_scrolls_what_it_is_over() {
    let db = demo_catalog("mouse");
    let (mut app, d) = started(&db);
    // Where a text is on the drawn screen.
    let find = |screen: &str, text: &str| -> (u16, u16) {
        for (y, line) in screen.lines().enumerate() {
            if let Some(i) = line.find(text) {
                return (line[..i].chars().count() as u16, y as u16);
            }
        }
        panic!("{text:?} is not on the screen:\n{screen}");
    };
    let screen = draw(&mut app, 120, 40);
    let (x, y) = find(&screen, "Heat ");
    let r = app.click(x, y);
    d.run(&mut app, r);
    assert_eq!(app.library.titles.selected().unwrap().name, "Heat");
    assert_eq!(app.library.files.len(), 2, "its files follow the click");
    // A click on a season moves the keys there; the wheel over the titles scrolls them.
    let (x, y) = find(&draw(&mut app, 120, 40), "Show Name  ");
    let r = app.click(x, y);
    d.run(&mut app, r);
    let (x, y) = find(&draw(&mut app, 120, 40), "Season 1");
    let r = app.click(x, y);
    d.run(&mut app, r);
    assert_eq!(app.library.focus, LibFocus::Seasons);
    assert_eq!(app.library.seasons.selected().unwrap().number, Some(1));
    let (x, y) = find(&draw(&mut app, 120, 40), "1917");
    let r = app.scroll(x, y, 3);
    d.run(&mut app, r);
    assert_eq!(app.library.focus, LibFocus::Titles);
    // Borders and empty space select nothing.
    let before = app.library.titles.cursor;
    assert!(app.click(0, 0).is_empty());
    assert_eq!(app.library.titles.cursor, before);
    // Status: a click on the events list gives it the keys.
    d.act(&mut app, Action::Status);
    let (x, y) = find(&draw(&mut app, 120, 40), "Heat (1995).mkv");
    let r = app.click(x, y);
    d.run(&mut app, r);
    assert!(app.lower);
    assert!(
        shelf::paths::display(&app.status.events.selected().unwrap().path)
            .ends_with("Heat (1995).mkv")
    );
}

#[test]
fn the_input_line_edits_in_place() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let ctrl = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let mut app = App::new(false);
    app.screen = Screen::Markers;
    app.open_line(InputKind::MarkerEdit(7), "intro 0:00 0:01 Cold open");
    let text = |app: &App| app.line().unwrap().text.clone();
    // Home, over the kind, and change it.
    app.input_key(key(KeyCode::Home));
    for _ in 0..5 {
        app.input_key(key(KeyCode::Delete));
    }
    for c in "outro".chars() {
        app.input_key(key(KeyCode::Char(c)));
    }
    assert_eq!(text(&app), "outro 0:00 0:01 Cold open");
    // End, a word back out, and a new label.
    app.input_key(key(KeyCode::End));
    app.input_key(ctrl('w'));
    assert_eq!(text(&app), "outro 0:00 0:01 Cold ");
    app.input_key(key(KeyCode::Backspace));
    app.input_key(key(KeyCode::Left));
    app.input_key(key(KeyCode::Char('!')));
    assert_eq!(text(&app), "outro 0:00 0:01 Col!d");
    let screen = draw(&mut app, 80, 24);
    assert!(screen.contains("0:01 Col!d"), "{screen}");
    app.input_key(ctrl('u'));
    assert_eq!(text(&app), "d");
    app.input_key(key(KeyCode::Esc));
    assert!(app.line().is_none());
}

#[test]
fn a_scan_from_another_process_shows_up_while_the_ui_is_open() {
    let db = demo_catalog("other");
    let dir = db.parent().unwrap().to_path_buf();
    let (tx, req_rx) = std::sync::mpsc::channel();
    let (resp_tx, rx) = std::sync::mpsc::channel();
    let writer = shelf::worker::writer::Writer::open(&db).unwrap();
    data::spawn(db.clone(), Some(writer.handle()), req_rx, resp_tx).unwrap();
    let mut app = App::new(false);
    let r = app.start();
    assert!(pump(&mut app, &tx, &rx, r, |a| a.library.titles.total == Some(7)));
    // A new show arrives, and `shelf --scan` runs in another process, as from cron.
    let lib = dir.join("library/TV");
    let ep = lib.join("New Show (2024)/Season 1/New Show (2024) - S01E01.mkv");
    let mut bytes =
        std::fs::read(lib.join("Doctor Who (2005)/Season 1/Doctor Who (2005) - S01E01.mkv"))
            .unwrap();
    bytes.extend_from_slice(b"a new file");
    put(&ep, &bytes);
    let config = dir.join("config.toml");
    std::fs::write(&config, "[probe]\nffprobe = \"\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shelf"))
        .arg("--db")
        .arg(&db)
        .arg("--config")
        .arg(&config)
        .arg("--scan")
        .env("HOME", &dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing is asked of the UI: the data thread sees the catalog change and the panes
    // reload, the new title and the other scan's changeset included.
    let seen = pump(&mut app, &tx, &rx, Vec::new(), |a| {
        a.library.titles.total == Some(8)
            && a.library.titles.rows.iter().any(|t| t.name == "New Show")
            && a.status
                .changesets
                .iter()
                .filter(|c| c.kind == shelf::model::ChangesetKind::Scan)
                .count()
                == 2
    });
    assert!(
        seen,
        "titles {:?}, changesets {}",
        app.library.titles.total,
        app.status.changesets.len()
    );
    assert!(app.status.services.iter().any(|s| s.service == "scanner"));
}
