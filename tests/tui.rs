//! The UI without a terminal: actions through the real `App`, answered by the real data
//! layer on a real catalog (the demo library, scanned); snapshots of every screen drawn to
//! ratatui's TestBackend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shelf::catalog::{self, Mode};
use shelf::tui::app::{App, Effect, InputKind, Level, LibFocus, Request, ScanEvent, Screen};
use shelf::tui::keymap::{Action, Keymap};
use shelf::tui::{data, demo, view};

thread_local! {
    /// This test's folder (removed when the test's thread ends), drawn as `~`.
    static HOME: std::cell::RefCell<Option<(tempfile::TempDir, &'static [u8])>> =
        const { std::cell::RefCell::new(None) };
}

/// A fresh folder for this test, private to it (tests run in parallel, and so may other
/// checkouts); the views draw it as `~`, so snapshots do not depend on where it is.
fn test_home() -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix("shelf-tui-")
        .tempdir()
        .unwrap();
    let path = dir.path().to_path_buf();
    let bytes: &'static [u8] = Box::leak(shelf::paths::to_bytes(&path).to_vec().into_boxed_slice());
    HOME.with(|h| *h.borrow_mut() = Some((dir, bytes)));
    path
}

/// A scanned demo catalog in this test's folder.
fn demo_catalog(name: &str) -> PathBuf {
    let dir = test_home().join(name);
    let lib = dir.join("library");
    demo::build(&lib).unwrap();
    let db = dir.join("catalog.db");
    let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
    use shelf::catalog::sources::{add_filesystem, list};
    use shelf::model::CollectionKind;
    for (n, k) in [
        ("TV", CollectionKind::Shows),
        ("Movies", CollectionKind::Movies),
        ("Photos", CollectionKind::Photos),
    ] {
        add_filesystem(&conn, n, shelf::paths::to_bytes(&lib.join(n)), k).unwrap();
    }
    scan(&db, list(&conn).unwrap());
    db
}

/// Scans these collections into the catalog, as the worker does.
fn scan(db: &Path, targets: Vec<shelf::catalog::sources::CollectionRow>) {
    // One hashing thread: rows are written in walk order, so ids (and snapshots) repeat.
    // No ffprobe, installed or not: the screens are the same on every machine.
    let mut config = demo::config(&shelf::config::Config::default());
    config.scan.hash_threads = 1;
    config.probe.ffprobe = String::new();
    shelf::worker::run_scan(&shelf::worker::ScanRequest {
        db: db.to_path_buf(),
        targets,
        config,
        dry_run: false,
        cancel: Default::default(),
        progress: Default::default(),
        after_walk: None,
        writer: None,
    })
    .unwrap();
}

/// Runs requests against the catalog, in the order asked as the data thread does, until
/// the App asks for nothing more. Writes go to a writer thread, as in the UI.
struct Driver {
    ro: rusqlite::Connection,
    writer: shelf::worker::writer::Writer,
}

impl Driver {
    fn new(db: &Path) -> Self {
        Driver {
            ro: catalog::open(db, Mode::ReadOnly).unwrap(),
            writer: shelf::worker::writer::Writer::open(db).unwrap(),
        }
    }

    /// Carries out the App's effects: requests are answered; the others (scans, the
    /// clipboard) are returned for the test to look at.
    fn run(&self, app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
        let w = self.writer.handle();
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        let mut others = Vec::new();
        let mut guard = 0;
        while let Some(e) = queue.pop_front() {
            guard += 1;
            assert!(guard < 1000, "request loop");
            match e {
                Effect::Ask(r) => {
                    if let Some(resp) = data::handle(&self.ro, Some(&w), r) {
                        queue.extend(app.on_response(resp));
                    }
                }
                other => others.push(other),
            }
        }
        others
    }

    fn act(&self, app: &mut App, a: Action) {
        let reqs = app.update(a);
        self.run(app, reqs);
    }
}

fn started(db: &Path) -> (App, Driver) {
    let d = Driver::new(db);
    let mut app = App::new(false);
    let reqs = app.start();
    d.run(&mut app, reqs);
    (app, d)
}

#[test]
fn navigating_the_library_drills_into_seasons_episodes_and_files() {
    let db = demo_catalog("nav");
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.total, Some(7));
    assert_eq!(app.library.titles.selected().unwrap().name, "1917");
    assert_eq!(app.library.files.len(), 1, "a movie shows its file at once");
    // Down to "Show Name" (the last title), into its seasons and episodes.
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.titles.selected().unwrap().name, "Show Name");
    let seasons: Vec<u32> = app.library.seasons.rows.iter().map(|s| s.number).collect();
    assert_eq!(seasons, vec![0, 1, 2]);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Seasons);
    d.act(&mut app, Action::Down);
    assert_eq!(app.library.seasons.selected().unwrap().number, 1);
    let eps: Vec<Option<u32>> = app.library.episodes.rows.iter().map(|e| e.number).collect();
    assert_eq!(eps, vec![Some(1), Some(2), Some(3), Some(4)]);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Episodes);
    assert_eq!(
        app.library.episodes.selected().unwrap().name.as_deref(),
        Some("Pilot")
    );
    assert_eq!(app.library.files.len(), 1);
    assert_eq!(app.lib_markers().len(), 3, "the file's chapters");
    // Episodes 3 and 4 are one file.
    d.act(&mut app, Action::Down);
    d.act(&mut app, Action::Down);
    assert!(shelf::paths::display(&app.library.files[0].rel_path).contains("S01E03E04"));
    d.act(&mut app, Action::DrillOut);
    d.act(&mut app, Action::DrillOut);
    assert_eq!(app.library.focus, LibFocus::Titles);
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.titles.cursor, 0);
    // Screens switch by number and Tab.
    d.act(&mut app, Action::NextScreen);
    assert_eq!(app.screen, Screen::Assets);
    d.act(&mut app, Action::PrevScreen);
    assert_eq!(app.screen, Screen::Library);
    d.act(&mut app, Action::Status);
    assert_eq!(app.screen, Screen::Status);
    assert!(app.status.changesets.iter().any(|c| c.kind == "scan"));
}

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
        .position(|i| i.reason == "conflicting")
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
    assert_eq!(app.input.as_ref().unwrap().0, InputKind::RejectNote(other));
    app.input.as_mut().unwrap().1 = "a sample clip".into();
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
    assert_eq!(app.input.as_ref().unwrap().0, InputKind::BulkAccept);
    app.input.as_mut().unwrap().1 = "lots".into();
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
        .position(|i| i.reason == "ambiguous_title")
        .unwrap();
    for _ in 0..pos {
        d.act(&mut app, Action::Down);
    }
    let id = app.review.items.selected().unwrap().id;
    d.act(&mut app, Action::Edit);
    let form = app.form.as_ref().unwrap();
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
        .form
        .as_ref()
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
    let form = app.form.as_ref().unwrap();
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
    app.form.as_mut().unwrap().focus = 3;
    let r = app.form_key(key(KeyCode::Char('x')));
    d.run(&mut app, r);
    let r = app.form_key(key(KeyCode::Enter));
    d.run(&mut app, r);
    assert!(
        app.form
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("not a number")
    );
    let r = app.form_key(key(KeyCode::Backspace));
    d.run(&mut app, r);
    let r = app.form_key(key(KeyCode::Enter));
    d.run(&mut app, r);
    assert!(app.form.is_none());
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
    assert!(app.form.is_none());
}

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
    d.act(&mut app, Action::Search);
    app.input.as_mut().unwrap().1 = "pilot".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.assets.list.total, Some(1));
    // Enter opens the file's markers; add an avail at a typed time, delete it, undo.
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Markers);
    assert_eq!(app.markers.list.rows.len(), 3);
    d.act(&mut app, Action::Add);
    app.input.as_mut().unwrap().1 = "00:00:01.500".into(); // no kind: an avail
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.markers.list.rows.len(), 4, "{:?}", app.message);
    assert!(
        app.markers
            .list
            .rows
            .iter()
            .any(|m| m.kind == "avail" && m.start_ms == 1500)
    );
    // Out of range: refused by the catalog, said on the message line.
    d.act(&mut app, Action::Add);
    app.input.as_mut().unwrap().1 = "avail 1:00:00".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(app.message.as_ref().unwrap().1.contains("past the end"));
    // A kind that does not exist, or no start: refused inline, the line stays open.
    d.act(&mut app, Action::Add);
    app.input.as_mut().unwrap().1 = "commercial 0:01".into();
    let r = app.submit();
    assert!(r.is_empty());
    assert!(app.message.as_ref().unwrap().1.contains("unknown kind"));
    assert_eq!(app.input.as_ref().unwrap().1, "commercial 0:01");
    app.input.as_mut().unwrap().1 = "intro".into();
    assert!(app.submit().is_empty());
    assert!(app.message.as_ref().unwrap().1.contains("start time"));
    // Any kind, with an end and a label.
    app.input.as_mut().unwrap().1 = "intro 0:00.250 0:01 Cold open".into();
    let r = app.submit();
    d.run(&mut app, r);
    let intro = app
        .markers
        .list
        .rows
        .iter()
        .find(|m| m.kind == "intro")
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
    assert_eq!(
        app.input.as_ref().unwrap(),
        &(
            InputKind::MarkerEdit(intro.id),
            "intro 0:00:00.250 0:00:01.000 Cold open".to_string()
        )
    );
    app.input.as_mut().unwrap().1 = "bumper 0:00.250 0:02 Cold open".into();
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
        .position(|m| m.kind == "avail")
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
    app.input.as_mut().unwrap().1 = "2".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(
        app.markers
            .list
            .rows
            .iter()
            .filter(|m| m.source == "generated")
            .count(),
        2
    );
}

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
        assert!(app.input.is_none(), "{a:?}");
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
        assert!(app.input.is_none(), "{a:?} opened a line in read-only mode");
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
    std::fs::create_dir_all(ep.parent().unwrap()).unwrap();
    std::fs::write(&ep, [doctor.as_slice(), b"new"].concat()).unwrap();
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

#[test]
fn lists_page_through_many_rows_by_key() {
    let db = demo_catalog("paging");
    {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        c.execute_batch("BEGIN").unwrap();
        let mut st = c
            .prepare("INSERT INTO titles (kind, name, norm_name, sort_name, created_at, updated_at) VALUES ('show', ?1, ?2, ?2, 'x', 'x')")
            .unwrap();
        for i in 0..5000 {
            let n = format!("Generated Show {i:05}");
            st.execute([&n, &n.to_lowercase()]).unwrap();
        }
        drop(st);
        c.execute_batch("COMMIT").unwrap();
    }
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.total, Some(5007));
    assert!(app.library.titles.rows.len() <= 2 * shelf::tui::app::PAGE);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.titles.cursor, 5006);
    assert_eq!(
        app.library.titles.selected().unwrap().name,
        "Show Name",
        "sorted without a leading The"
    );
    for _ in 0..300 {
        d.act(&mut app, Action::Up);
    }
    assert_eq!(app.library.titles.cursor, 4706);
    assert!(
        app.library.titles.rows.len() <= 2 * shelf::tui::app::PAGE,
        "never more than two pages held"
    );
    let name = app.library.titles.selected().unwrap().name.clone();
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.titles.selected().unwrap().name, "1917");
    for _ in 0..25 {
        d.act(&mut app, Action::PageDown);
    }
    assert_eq!(app.library.titles.cursor, 25 * app.viewport);
    let expected: String =
        d.ro.query_row(
            "SELECT name FROM titles ORDER BY sort_name, id LIMIT 1 OFFSET ?1",
            [app.library.titles.cursor as i64],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        app.library.titles.selected().unwrap().name,
        expected,
        "keyset pages land on the same row an offset would"
    );
    assert!(!name.is_empty());
}

#[test]
fn a_season_of_thousands_of_episodes_pages_by_key() {
    let db = demo_catalog("episodes");
    {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        c.execute_batch(
            "BEGIN;
             INSERT INTO titles (id, kind, name, norm_name, sort_name, created_at, updated_at)
                 VALUES (9000, 'show', 'Nightly News', 'nightly news', '0000 nightly news', 'x', 'x');
             INSERT INTO seasons (id, title_id, number, created_at) VALUES (9000, 9000, 1, 'x');",
        )
        .unwrap();
        let mut st = c
            .prepare("INSERT INTO episodes (title_id, season_id, number, name, created_at, updated_at) VALUES (9000, 9000, ?1, ?2, 'x', 'x')")
            .unwrap();
        // Inserted out of order: the list's order is the numbers', not the ids'.
        for i in (1..=1500).rev() {
            st.execute(rusqlite::params![i, format!("Episode {i}")])
                .unwrap();
        }
        drop(st);
        c.execute_batch("COMMIT").unwrap();
    }
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.selected().unwrap().name, "Nightly News");
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Episodes);
    assert_eq!(app.library.episodes.total, Some(1500));
    assert!(app.library.episodes.rows.len() <= shelf::tui::app::PAGE);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.episodes.selected().unwrap().number, Some(1500));
    for _ in 0..30 {
        d.act(&mut app, Action::PageUp);
    }
    let want = 1500 - 30 * app.viewport as u32;
    assert_eq!(app.library.episodes.selected().unwrap().number, Some(want));
    assert!(
        app.library.episodes.rows.len() <= 2 * shelf::tui::app::PAGE,
        "never more than two pages held"
    );
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.episodes.selected().unwrap().number, Some(1));
}

#[test]
fn a_title_with_hundreds_of_seasons_pages_them_and_their_episodes_follow() {
    let db = demo_catalog("seasons");
    {
        let c = catalog::open(&db, Mode::ReadWrite).unwrap();
        c.execute_batch(
            "BEGIN;
             INSERT INTO titles (id, kind, name, norm_name, sort_name, created_at, updated_at)
                 VALUES (9000, 'show', 'Long Runner', 'long runner', '0000 long runner', 'x', 'x');",
        )
        .unwrap();
        for n in (1..=450i64).rev() {
            c.execute(
                "INSERT INTO seasons (id, title_id, number, created_at) VALUES (?1, 9000, ?2, 'x')",
                [10_000 + n, n],
            )
            .unwrap();
            c.execute(
                "INSERT INTO episodes (title_id, season_id, number, name, created_at, updated_at)
                 VALUES (9000, ?1, 1, ?2, 'x', 'x')",
                rusqlite::params![10_000 + n, format!("Opener of season {n}")],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT").unwrap();
    }
    let (mut app, d) = started(&db);
    assert_eq!(app.library.titles.selected().unwrap().name, "Long Runner");
    assert_eq!(app.library.seasons.total, Some(450));
    assert!(app.library.seasons.rows.len() <= shelf::tui::app::PAGE);
    d.act(&mut app, Action::DrillIn);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.seasons.selected().unwrap().number, 450);
    assert!(app.library.seasons.rows.len() <= 2 * shelf::tui::app::PAGE);
    assert_eq!(
        app.library.episodes.selected().unwrap().name.as_deref(),
        Some("Opener of season 450"),
        "the episodes of the season under the cursor"
    );
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.seasons.selected().unwrap().number, 1);
    assert_eq!(
        app.library.episodes.selected().unwrap().name.as_deref(),
        Some("Opener of season 1")
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
    app.input.as_mut().unwrap().1 = "pilot".into();
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
    app.input.as_mut().unwrap().1 = "Return".into();
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
fn link_picks_an_episode_or_a_movie_on_the_library() {
    let db = demo_catalog("link");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Review);
    let total = app.review.items.total.unwrap();
    let item = app.review.items.selected().unwrap().clone();
    assert_eq!(item.reason, "no_match", "DSC_0042.MOV leads the queue");
    // L: pick on the Library. Esc gives up without touching anything.
    d.act(&mut app, Action::Link);
    assert_eq!(app.screen, Screen::Library);
    assert_eq!(app.library.pick.as_ref().unwrap().item, item.id);
    d.act(&mut app, Action::Dismiss);
    assert_eq!(
        (app.screen, app.library.pick.is_none()),
        (Screen::Review, true)
    );
    assert_eq!(app.review.items.total, Some(total));
    // Again, down to Show Name, season 1, episode 2.
    d.act(&mut app, Action::Link);
    d.act(&mut app, Action::Bottom);
    assert_eq!(app.library.titles.selected().unwrap().name, "Show Name");
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Seasons);
    d.act(&mut app, Action::Down);
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.library.focus, LibFocus::Episodes);
    d.act(&mut app, Action::Down);
    let episode = app.library.episodes.selected().unwrap().clone();
    assert_eq!(episode.number, Some(2));
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Review, "{:?}", app.message);
    assert!(app.library.pick.is_none());
    assert_eq!(app.review.items.total, Some(total - 1));
    assert_ne!(
        app.review.items.selected().unwrap().id,
        item.id,
        "on to the next"
    );
    let linked: i64 =
        d.ro.query_row(
            "SELECT count(*) FROM episode_assets WHERE episode_id = ?1 AND asset_id = ?2",
            [episode.id, item.asset_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 1);
    // A movie is picked at the title: "Some Film" is 1917 after all.
    let film = app
        .review
        .items
        .rows
        .iter()
        .position(|i| i.reason == "low_confidence")
        .unwrap();
    d.act(&mut app, Action::Top);
    for _ in 0..film {
        d.act(&mut app, Action::Down);
    }
    let film = app.review.items.selected().unwrap().clone();
    d.act(&mut app, Action::Link);
    d.act(&mut app, Action::Top);
    assert_eq!(app.library.titles.selected().unwrap().name, "1917");
    d.act(&mut app, Action::DrillIn);
    assert_eq!(app.screen, Screen::Review, "{:?}", app.message);
    let title: i64 =
        d.ro.query_row(
            "SELECT t.id FROM title_assets ta JOIN titles t ON t.id = ta.title_id
             WHERE ta.asset_id = ?1 AND t.name = '1917'",
            [film.asset_id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(title > 0);
    // Undo takes the link back, and the item is pending again.
    d.act(&mut app, Action::Undo);
    let status: String =
        d.ro.query_row(
            "SELECT status FROM review_items WHERE id = ?1",
            [film.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "pending");
    // Read-only: no pick at all.
    let mut ro = App::new(true);
    let r = ro.start();
    d.run(&mut ro, r);
    d.act(&mut ro, Action::Review);
    d.act(&mut ro, Action::Link);
    assert_eq!(
        (ro.screen, ro.library.pick.is_none()),
        (Screen::Review, true)
    );
}

#[test]
fn sources_toggle_collections_and_edit_mappings() {
    let db = demo_catalog("sources");
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Sources);
    assert_eq!(app.sources.collections.rows.len(), 3);
    let enabled = |name: &str| -> bool {
        d.ro.query_row(
            "SELECT enabled FROM collections WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    let first = app.sources.collections.selected().unwrap().name.clone();
    d.act(&mut app, Action::Toggle);
    assert!(!enabled(&first));
    assert!(
        !app.sources.collections.selected().unwrap().enabled,
        "shown at once"
    );
    d.act(&mut app, Action::Toggle);
    assert!(enabled(&first));
    // A mapping for the selected collection: REMOTE -> LOCAL.
    d.act(&mut app, Action::Add);
    assert_eq!(
        app.input.as_ref().unwrap().0,
        InputKind::MapAdd(first.clone())
    );
    app.input.as_mut().unwrap().1 = "just one path".into();
    assert!(app.submit().is_empty());
    assert!(app.message.as_ref().unwrap().1.contains("REMOTE -> LOCAL"));
    assert!(app.input.is_some(), "the line stays open to be fixed");
    app.input.as_mut().unwrap().1 = "//nas/media -> /nonexistent/shelf/media".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(
        app.message.as_ref().unwrap().1.contains("refused"),
        "{:?}",
        app.message
    );
    assert!(app.sources.mappings.is_empty());
    let local = db.parent().unwrap().join("library");
    d.act(&mut app, Action::Add);
    app.input.as_mut().unwrap().1 = format!("\\\\nas\\media -> {}", local.display());
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.sources.mappings.len(), 1, "{:?}", app.message);
    assert_eq!(
        app.sources.mappings[0].remote_prefix, "/nas/media",
        "separators folded"
    );
    // The live test uses it.
    d.act(&mut app, Action::Search);
    app.input.as_mut().unwrap().1 = "\\\\nas\\media\\Photos".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(
        app.sources.test.as_ref().unwrap().contains("(exists)"),
        "{:?}",
        app.sources.test
    );
    // The Library shows a mapped file's remote name under its path.
    d.act(&mut app, Action::Library);
    assert_eq!(
        app.library.files[0].remote.as_deref(),
        Some("/nas/media/Movies/1917 (2019)/1917 (2019).mp4")
    );
    let screen = draw(&mut app, 120, 40);
    assert!(screen.contains("→ …"), "{screen}");
    d.act(&mut app, Action::Sources);
    // Removing asks first; anything but y keeps it.
    d.act(&mut app, Action::DrillIn);
    assert!(app.lower);
    d.act(&mut app, Action::Delete);
    app.input.as_mut().unwrap().1 = "n".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.sources.mappings.len(), 1);
    d.act(&mut app, Action::Delete);
    app.input.as_mut().unwrap().1 = "y".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(app.sources.mappings.is_empty(), "{:?}", app.message);
}

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
    std::fs::write(lib.join("Photos/2024/new.jpg"), b"not really a photo").unwrap();
    let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
    scan(&db, shelf::catalog::sources::list(&conn).unwrap());
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Status);
    let newest = app
        .status
        .changesets
        .iter()
        .find(|c| c.kind == "scan")
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
    assert_eq!(app.library.seasons.selected().unwrap().number, 1);
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
    app.input = Some((InputKind::MarkerEdit(7), "intro 0:00 0:01 Cold open".into()));
    let text = |app: &App| app.input.as_ref().unwrap().1.clone();
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
    assert!(app.input.is_none());
}

/// Runs the App against the real data thread until `done` holds (or 30 s pass).
fn pump(
    app: &mut App,
    tx: &std::sync::mpsc::Sender<Request>,
    rx: &std::sync::mpsc::Receiver<shelf::tui::app::Response>,
    mut reqs: Vec<Effect>,
    done: impl Fn(&App) -> bool,
) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        for e in reqs.drain(..) {
            if let Effect::Ask(r) = e {
                tx.send(r).unwrap();
            }
        }
        if done(app) {
            return true;
        }
        if let Ok(resp) = rx.recv_timeout(std::time::Duration::from_millis(100)) {
            reqs = app.on_response(resp);
        }
    }
    done(app)
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
    std::fs::create_dir_all(ep.parent().unwrap()).unwrap();
    let mut bytes =
        std::fs::read(lib.join("Doctor Who (2005)/Season 1/Doctor Who (2005) - S01E01.mkv"))
            .unwrap();
    bytes.extend_from_slice(b"a new file");
    std::fs::write(&ep, bytes).unwrap();
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
                .filter(|c| c.kind == "scan")
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

// ---- snapshots ----

/// The clock the snapshots are drawn at.
fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z")
        .unwrap()
        .to_utc()
}

/// Draws a frame as the loop does (what it drew goes back to the App), as text.
fn draw(app: &mut App, w: u16, h: u16) -> String {
    let buf = draw_buffer(app, w, h, false);
    let mut s = String::new();
    for y in 0..h {
        for x in 0..w {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn draw_buffer(app: &mut App, w: u16, h: u16, color: bool) -> ratatui::buffer::Buffer {
    let keys = Keymap::from_table(&shelf::config::default_keys()).unwrap();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let ctx = view::Ctx {
        theme: view::Theme { color },
        now: fixed_now(),
        home: HOME.with(|h| h.borrow().as_ref().map(|x| x.1)),
    };
    let mut drawn = view::Drawn::default();
    t.draw(|f| drawn = view::draw(f, app, &keys, ctx)).unwrap();
    app.drawn(drawn);
    t.backend().buffer().clone()
}

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
        app.input.as_mut().unwrap().1 = "pilot".into();
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
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("evil\x1b]0;owned\x07\x1b[2J name.mkv"), b"x").unwrap();
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
