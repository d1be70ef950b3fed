//! The process's one writer: a scan and a person's edits share it, so both land and nothing
//! waits on SQLite's lock; a write that cannot be made is answered, never dropped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::ffi::OsStrExt;
use std::sync::{Arc, Mutex};

use common::{Env, bytes, put};
use shelf::catalog::{self, Mode};
use shelf::tui::app::{Request, Response};
use shelf::tui::data;
use shelf::worker::writer::Writer;

#[test]
fn an_edit_while_a_scan_writes_lands_with_it() {
    let env = Env::new();
    let lib = env.path("lib");
    for i in 0..300 {
        put(
            &lib.join(format!("Show/Season 1/Show - S01E{i:03}.mkv")),
            &bytes(i, 4096),
        );
    }
    let other = env.path("other");
    put(&other.join("Film (2001).mkv"), &bytes(999, 100));

    let writer = Writer::open(&env.db).unwrap();
    let (col, other_col) = {
        let w = writer.handle();
        let (lib_b, other_b) = (
            lib.as_os_str().as_bytes().to_vec(),
            other.as_os_str().as_bytes().to_vec(),
        );
        w.call(move |c| {
            use shelf::catalog::sources::add_filesystem;
            use shelf::model::CollectionKind;
            Ok((
                add_filesystem(c, "lib", &lib_b, CollectionKind::Shows)?,
                add_filesystem(c, "other", &other_b, CollectionKind::Movies)?,
            ))
        })
        .unwrap()
    };
    assert_eq!(other_col.name, "other");

    // Right after the walk, while the scan's session is open on the writer, a person
    // disables the other collection through the UI's data path.
    let answer: Arc<Mutex<Option<Response>>> = Arc::default();
    let (db, w, seen) = (env.db.clone(), writer.handle(), answer.clone());
    let mut req = env.scan_request(vec![col]);
    req.writer = Some(writer.handle());
    req.after_walk = Some(Box::new(move || {
        let ro = catalog::open(&db, Mode::ReadOnly).unwrap();
        let r = data::handle(
            &ro,
            Some(&w),
            Request::SetEnabled {
                collection: "other".into(),
                enabled: false,
            },
        );
        *seen.lock().unwrap() = r;
    }));
    let report = shelf::worker::run_scan(&req).unwrap();

    assert_eq!(report.status, "completed", "{:?}", report.errors);
    assert_eq!(report.counts.new, 300);
    match answer.lock().unwrap().take() {
        Some(Response::Done(msg)) => assert!(msg.contains("disabled"), "{msg}"),
        other => panic!("the edit was not made: {other:?}"),
    }
    assert_eq!(env.count("SELECT count(*) FROM assets"), 300);
    assert_eq!(
        env.count("SELECT count(*) FROM collections WHERE name = 'other' AND enabled = 0"),
        1
    );
    assert_eq!(
        env.count("SELECT count(*) FROM changesets WHERE kind = 'scan' AND status = 'completed'"),
        1
    );
}

#[test]
fn a_write_with_no_writer_left_is_answered_with_why() {
    let env = Env::new();
    let writer = Writer::open(&env.db).unwrap();
    let w = writer.handle();
    let ro = catalog::open(&env.db, Mode::ReadOnly).unwrap();
    // The writer thread dies (here: a write that panics).
    let died = w.call(|_| -> catalog::Result<()> { panic!("a write that panics") });
    assert!(died.is_err());
    for req in [
        Request::Undo,
        Request::SetEnabled {
            collection: "x".into(),
            enabled: true,
        },
        Request::DeleteMarker { id: 1 },
    ] {
        match data::handle(&ro, Some(&w), req) {
            Some(Response::Failed(why)) => assert!(why.contains("writer has stopped"), "{why}"),
            other => panic!("no answer that says why: {other:?}"),
        }
    }
    // Read-only: every write is refused with a reason too.
    match data::handle(&ro, None, Request::Undo) {
        Some(Response::Failed(why)) => assert!(why.contains("read-only"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// Rows `sql` counts in the catalog file alone, without its WAL (SQLite's `immutable`):
/// what checkpoints have copied back. None: the table is not there yet.
fn in_file_alone(env: &Env, sql: &str) -> Option<i64> {
    let uri = format!("file:{}?immutable=1", env.db.display());
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let c = rusqlite::Connection::open_with_flags(uri, flags).unwrap();
    c.query_row(sql, [], |r| r.get(0)).ok()
}

/// A scan from the command line ends without waiting for its WAL to be copied into the
/// catalog file (two fsyncs, a sixth of a first scan); nothing is lost, the next writer
/// copies it once idle, and a person's edit after a scan is copied back at close as before.
#[test]
fn a_scan_leaves_its_wal_for_the_next_idle_writer_and_an_edit_does_not() {
    let env = Env::new();
    let lib = env.path("lib");
    for i in 0..40 {
        put(
            &lib.join(format!("Show/Season 1/Show - S01E{i:02}.mkv")),
            &bytes(i, 2048),
        );
    }
    let (_, v) = env.scan_json(&[&lib]);
    assert_eq!(v["new"], 40, "{v}");
    let assets = "SELECT count(*) FROM assets";
    // What was there before the scan's rows (the schema, the source) may have been copied
    // while the scan walked, when the writer sat idle for its `IDLE` (a loaded machine's
    // walk of 40 files can take that long); the scan's rows wait in the WAL.
    let before = in_file_alone(&env, assets);
    assert!(
        matches!(before, None | Some(0)),
        "the scan waited for a copy: {before:?} rows in the file alone"
    );
    let ro = catalog::open(&env.db, Mode::ReadOnly).unwrap();
    let n: i64 = ro.query_row(assets, [], |r| r.get(0)).unwrap();
    assert_eq!(n, 40, "what waits in the WAL is the catalog's");
    drop(ro);

    // The next writer copies it while it has nothing to do.
    let writer = Writer::open(&env.db).unwrap();
    let start = std::time::Instant::now();
    while in_file_alone(&env, assets) != Some(40) {
        assert!(
            start.elapsed().as_secs() < 30,
            "an idle writer never copied the WAL"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // A scan through this writer, then a person's edit, then the writer closes at once.
    let other = env.path("other");
    put(&other.join("Film (2001).mkv"), &bytes(999, 100));
    let b = other.as_os_str().as_bytes().to_vec();
    let col = writer
        .handle()
        .call(move |c| {
            let kind = shelf::model::CollectionKind::Movies;
            catalog::sources::add_filesystem(c, "other", &b, kind)
        })
        .unwrap();
    let mut req = env.scan_request(vec![col]);
    req.writer = Some(writer.handle());
    let report = shelf::worker::run_scan(&req).unwrap();
    assert_eq!(report.counts.new, 1);
    drop(req);
    let ro = catalog::open(&env.db, Mode::ReadOnly).unwrap();
    let edit = Request::SetEnabled {
        collection: "other".into(),
        enabled: false,
    };
    let w = writer.handle();
    assert!(matches!(
        data::handle(&ro, Some(&w), edit),
        Some(Response::Done(_))
    ));
    drop((ro, w));
    writer.close().unwrap();
    let disabled = "SELECT count(*) FROM collections WHERE name = 'other' AND enabled = 0";
    assert_eq!(
        in_file_alone(&env, disabled),
        Some(1),
        "an edit is copied back at close"
    );
    assert_eq!(in_file_alone(&env, assets), Some(41));
}
