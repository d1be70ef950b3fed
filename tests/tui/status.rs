//! Status: a scan's events by kind, paged; heartbeats coloured by age.

use crate::harness::*;

#[test]
fn status_lists_a_scans_events_by_kind() {
    let db = demo_catalog("events");
    let lib = db.parent().unwrap().join("library");
    // Between two scans: one file moves, one goes, one changes, one arrives.
    std::fs::create_dir_all(lib.join("Photos/2024")).unwrap();
    std::fs::rename(
        lib.join("Photos/2023/holiday.jpg"),
        lib.join("Photos/2024/holiday.jpg"),
    )
    .unwrap();
    std::fs::remove_file(lib.join("TV/incoming/Doctor.Who.S02E03.mkv")).unwrap();
    let film = lib.join("Movies/1917 (2019)/1917 (2019).mp4");
    let mut bytes = std::fs::read(&film).unwrap();
    bytes.extend_from_slice(b"changed");
    std::fs::write(&film, bytes).unwrap();
    put(&lib.join("Photos/2024/new.jpg"), b"not really a photo");
    let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
    scan(&db, shelf::catalog::sources::list(&conn).unwrap());
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Status);
    let newest = app
        .status
        .changesets
        .iter()
        .find(|c| c.kind == shelf::model::ChangesetKind::Scan)
        .unwrap()
        .id;
    assert_eq!(app.status.selected, Some(newest), "the newest scan opens");
    let (_, counts) = app.status.counts.unwrap();
    assert_eq!(&counts[..4], &[1, 1, 1, 1], "new, moved, changed, missing");
    let kinds: Vec<&str> = app
        .status
        .events
        .rows
        .iter()
        .map(|e| e.kind_name())
        .collect();
    assert_eq!(&kinds[..4], &["new", "moved", "changed", "missing"]);
    let moved = &app.status.events.rows[1];
    assert!(shelf::paths::display(&moved.path).ends_with("Photos/2024/holiday.jpg"));
    assert!(
        shelf::paths::display(moved.from.as_ref().unwrap()).ends_with("Photos/2023/holiday.jpg")
    );
    // f narrows to one kind at a time; m is missing alone.
    d.act(&mut app, Action::FilterKind);
    assert_eq!(app.status.kind, Some(0));
    assert!(
        app.status
            .events
            .rows
            .iter()
            .all(|e| e.kind_name() == "new")
    );
    d.act(&mut app, Action::FilterMissing);
    assert_eq!(app.status.events.total, Some(1));
    assert!(
        shelf::paths::display(&app.status.events.rows[0].path).ends_with("Doctor.Who.S02E03.mkv")
    );
    d.act(&mut app, Action::FilterMissing);
    assert_eq!(app.status.kind, None);
    // The first scan, one changeset down: all of the library was new.
    d.act(&mut app, Action::Down);
    assert_ne!(app.status.selected, Some(newest));
    assert!(app.status.chosen);
    let first = app.status.selected.unwrap();
    let (cs, counts) = app.status.counts.unwrap();
    assert_eq!((cs, counts[0]), (first, 19));
    // Into the events list; it pages like every list.
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::Bottom);
    assert_eq!(
        app.status.events.cursor,
        app.status.events.total.unwrap() - 1
    );
}

#[test]
fn event_log_pages_by_key_through_a_large_scan() {
    use shelf::catalog::events;
    use shelf::catalog::views::Dir;
    let db = demo_catalog("eventpages");
    let conn = catalog::open(&db, Mode::ReadOnly).unwrap();
    let scan = events::latest_scan(&conn).unwrap().unwrap();
    let all = events::page(&conn, scan, None, Dir::First, None, 1000).unwrap();
    let n = events::counts(&conn, scan).unwrap().iter().sum::<i64>() as usize;
    assert_eq!(all.len(), n);
    // Pages of three, forwards and backwards, give the same rows as one big page.
    let mut fwd = events::page(&conn, scan, None, Dir::First, None, 3).unwrap();
    loop {
        let key = fwd.last().unwrap().key();
        let more = events::page(&conn, scan, None, Dir::After, Some(&key), 3).unwrap();
        if more.is_empty() {
            break;
        }
        fwd.extend(more);
    }
    assert_eq!(fwd, all);
    let mut back = events::page(&conn, scan, None, Dir::Last, None, 3).unwrap();
    loop {
        let key = back.first().unwrap().key();
        let mut more = events::page(&conn, scan, None, Dir::Before, Some(&key), 3).unwrap();
        if more.is_empty() {
            break;
        }
        more.extend(back);
        back = more;
    }
    assert_eq!(back, all);
}

#[test]
fn heartbeat_colours_follow_their_age_at_a_fixed_clock() {
    let db = demo_catalog("heartbeats");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Status);
    // Three services beating every 60 s, last heard 30 s, 90 s and 10 min before the clock.
    let beat = |service: &str, ago: i64| shelf::catalog::status::ServiceRow {
        service: service.into(),
        status: "ok".into(),
        current_task: Some("idle".into()),
        last_error: None,
        last_error_at: None,
        last_heartbeat: (fixed_now() - chrono::Duration::seconds(ago))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        interval_secs: 60,
        pid: None,
    };
    app.status.services = vec![beat("fresh", 30), beat("late", 90), beat("silent", 600)];
    app.status.changesets.clear();
    let buf = draw_buffer(&mut app, 100, 30, true);
    let colour_of = |name: &str| {
        let y = (0..30)
            .find(|&y| {
                (0..100)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .contains(name)
            })
            .unwrap_or_else(|| panic!("{name} is not drawn"));
        let x = (0..100)
            .find(|&x| buf[(x, y)].symbol() == &name[..1])
            .unwrap();
        buf[(x, y)].fg
    };
    use ratatui::style::Color;
    assert_eq!(colour_of("fresh"), Color::Green);
    assert_eq!(colour_of("late"), Color::Yellow);
    assert_eq!(colour_of("silent"), Color::Red);
    let text = draw(&mut app, 100, 30);
    for age in ["30s", "1m 30s", "10m 00s"] {
        assert!(text.contains(age), "{age} not shown:\n{text}");
    }
    insta::assert_snapshot!("status_heartbeats_100x30", text);
}

/// Files whose full hash a scan left for later are counted on the Status screen.
#[test]
fn status_says_how_many_files_wait_for_their_full_hash() {
    let db = demo_catalog("pending");
    let lib = db.parent().unwrap().join("library");
    put(
        &lib.join("TV/Doctor Who (2005)/Season 1/Doctor Who (2005) - S01E09.mkv"),
        &(0..300_000u32)
            .map(|i| (i % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
    let report = scan_with(&db, shelf::catalog::sources::list(&conn).unwrap(), |c| {
        c.scan.hash = shelf::config::HashMode::Fingerprint;
    });
    assert_eq!(report.counts.hash_pending, 1);
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Status);
    assert_eq!(app.status.hash_pending, (1, 300_000));
    let screen = draw(&mut app, 120, 40);
    assert!(
        screen.contains("1 file(s) (300.0 KB) wait for their full hash"),
        "{screen}"
    );
    // The file itself says so where hashes show, on a wide Assets screen.
    d.act(&mut app, Action::Assets);
    let screen = draw(&mut app, 200, 40);
    let row = screen
        .lines()
        .find(|l| l.contains("S01E09"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("pending"), "{row}");
}
