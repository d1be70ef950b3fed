//! Sources: collections switched on and off, path mappings.

use crate::harness::*;

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
    assert_eq!(app.line().unwrap().kind, InputKind::MapAdd(first.clone()));
    app.line_mut().unwrap().text = "just one path".into();
    assert!(app.submit().is_empty());
    assert!(app.message.as_ref().unwrap().1.contains("REMOTE -> LOCAL"));
    assert!(app.line().is_some(), "the line stays open to be fixed");
    app.line_mut().unwrap().text = "//nas/media -> /nonexistent/shelf/media".into();
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
    app.line_mut().unwrap().text = format!("\\\\nas\\media -> {}", local.display());
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.sources.mappings.len(), 1, "{:?}", app.message);
    assert_eq!(
        app.sources.mappings[0].remote_prefix, "/nas/media",
        "separators folded"
    );
    // The live test uses it.
    d.act(&mut app, Action::Search);
    app.line_mut().unwrap().text = "\\\\nas\\media\\Photos".into();
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
    app.line_mut().unwrap().text = "n".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert_eq!(app.sources.mappings.len(), 1);
    d.act(&mut app, Action::Delete);
    app.line_mut().unwrap().text = "y".into();
    let r = app.submit();
    d.run(&mut app, r);
    assert!(app.sources.mappings.is_empty(), "{:?}", app.message);
}

/// A Plex source's section on the Sources screen: why it cannot be scanned yet (and
/// enabling it is refused, as `shelf source enable` refuses), and `r` asks the server for
/// its sections again.
#[test]
fn a_server_collection_says_what_it_lacks_and_r_refreshes_its_sections() {
    use std::sync::{Arc, Mutex};
    let home = test_home().join("server-sources");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let db = home.join("catalog.db");
    let sections = Arc::new(Mutex::new(vec![serde_json::json!(
        {"key": "2", "type": "show", "title": "TV Shows", "Location": [{"path": "/data/tv"}]}
    )]));
    let s = sections.clone();
    let server = crate::common::fake::FakeServer::start(move |r| match r.path.as_str() {
        "/library/sections" => (
            200,
            serde_json::json!({"MediaContainer": {"Directory": *s.lock().unwrap()}}).to_string(),
        ),
        _ => (404, String::new()),
    });
    {
        let conn = catalog::open(&db, Mode::ReadWrite).unwrap();
        let client = shelf::server::Client::new(
            shelf::server::ServerKind::Plex,
            &server.url,
            Some("t"),
            None,
        )
        .unwrap();
        let identity = shelf::server::Identity {
            id: "m".into(),
            name: None,
            version: None,
        };
        let new = shelf::catalog::sources::NewServer {
            kind: shelf::server::ServerKind::Plex,
            name: "home",
            url: &server.url,
            token: Some("t"),
            ca: None,
            identity: &identity,
        };
        shelf::catalog::sources::add_server(&conn, &new, &client.sections().unwrap()).unwrap();
    }
    let (mut app, d) = started(&db);
    d.act(&mut app, Action::Sources);
    let c = app.sources.collections.selected().unwrap().clone();
    assert_eq!(c.name, "home/TV Shows");
    assert!(!c.ingestible);
    assert!(
        c.offline_reason.as_deref().unwrap().contains("/data/tv"),
        "{c:?}"
    );
    let screen = draw(&mut app, 120, 30);
    assert!(
        screen.contains("no mapping for the server folder /data/tv"),
        "{screen}"
    );
    d.act(&mut app, Action::Toggle);
    assert!(
        app.message.as_ref().unwrap().1.contains("shelf map add"),
        "{:?}",
        app.message
    );
    assert!(!app.sources.collections.selected().unwrap().enabled);

    sections.lock().unwrap().push(serde_json::json!(
        {"key": "5", "type": "movie", "title": "Films", "Location": [{"path": "/data/films"}]}
    ));
    d.act(&mut app, Action::Reject);
    assert!(
        app.message.as_ref().unwrap().1.contains("1 new"),
        "{:?}",
        app.message
    );
    let names: Vec<String> = app
        .sources
        .collections
        .rows
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(
        names,
        vec!["home/Films".to_owned(), "home/TV Shows".to_owned()]
    );
}
