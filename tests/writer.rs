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
