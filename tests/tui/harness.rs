//! The one harness: a scanned demo catalog in a private folder, the request driver, frames.

pub use std::path::{Path, PathBuf};

pub use crate::common::put;
pub use ratatui::Terminal;
pub use ratatui::backend::TestBackend;
pub use shelf::catalog::{self, Mode};
pub use shelf::tui::app::{App, Effect, InputKind, Level, LibFocus, Request, ScanEvent, Screen};
pub use shelf::tui::keymap::{Action, Keymap};
pub use shelf::tui::{data, demo, view};

thread_local! {
    /// This test's folder (removed when the test's thread ends), drawn as `~`.
    static HOME: std::cell::RefCell<Option<(tempfile::TempDir, &'static [u8])>> =
        const { std::cell::RefCell::new(None) };
}

/// A fresh folder for this test, private to it (tests run in parallel, and so may other
/// checkouts); the views draw it as `~`, so snapshots do not depend on where it is.
pub fn test_home() -> PathBuf {
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
pub fn demo_catalog(name: &str) -> PathBuf {
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

/// A catalog beside `tv` holding it as a shows source, scanned.
pub fn scanned_shows(tv: &Path) -> PathBuf {
    let db = tv.with_file_name("catalog.db");
    let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
    use shelf::catalog::sources::{add_filesystem, list};
    add_filesystem(
        &conn,
        "TV",
        shelf::paths::to_bytes(tv),
        shelf::model::CollectionKind::Shows,
    )
    .unwrap();
    scan(&db, list(&conn).unwrap());
    db
}

/// Scans these collections into the catalog, as the worker does.
pub fn scan(db: &Path, targets: Vec<shelf::catalog::sources::CollectionRow>) {
    scan_with(db, targets, |_| {});
}

/// The same, with the test's own changes to the configuration; returns the report.
pub fn scan_with(
    db: &Path,
    targets: Vec<shelf::catalog::sources::CollectionRow>,
    change: impl FnOnce(&mut shelf::config::Config),
) -> shelf::worker::ScanReport {
    // One hashing thread: rows are written in walk order, so ids (and snapshots) repeat.
    // No ffprobe, installed or not: the screens are the same on every machine.
    let mut config = demo::config(&shelf::config::Config::default());
    config.scan.hash_threads = 1;
    config.probe.ffprobe = String::new();
    change(&mut config);
    shelf::worker::run_scan(&shelf::worker::ScanRequest::new(
        db.to_path_buf(),
        targets,
        config,
    ))
    .unwrap()
}

/// Runs requests against the catalog, in the order asked as the data thread does, until
/// the App asks for nothing more. Writes go to a writer thread, as in the UI.
pub struct Driver {
    pub ro: rusqlite::Connection,
    pub writer: shelf::worker::writer::Writer,
}

impl Driver {
    pub fn new(db: &Path) -> Self {
        Driver {
            ro: catalog::open(db, Mode::ReadOnly).unwrap(),
            writer: shelf::worker::writer::Writer::open(db).unwrap(),
        }
    }

    /// Carries out the App's effects: requests are answered; the others (scans, the
    /// clipboard) are returned for the test to look at.
    pub fn run(&self, app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
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

    pub fn act(&self, app: &mut App, a: Action) {
        let reqs = app.update(a);
        self.run(app, reqs);
    }
}

pub fn started(db: &Path) -> (App, Driver) {
    let d = Driver::new(db);
    let mut app = App::new(false);
    let reqs = app.start();
    d.run(&mut app, reqs);
    (app, d)
}

/// Runs the App against the real data thread until `done` holds (or 30 s pass).
pub fn pump(
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

/// The clock the snapshots are drawn at.
pub fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z")
        .unwrap()
        .to_utc()
}

/// Draws a frame as the loop does (what it drew goes back to the App), as text.
pub fn draw(app: &mut App, w: u16, h: u16) -> String {
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

pub fn draw_buffer(app: &mut App, w: u16, h: u16, color: bool) -> ratatui::buffer::Buffer {
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
