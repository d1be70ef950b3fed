//! Plex and Jellyfin servers as sources, end to end: the real binary against fake servers
//! on 127.0.0.1 (responses written here from the servers' API documentation), real files
//! in a temp dir reached through path mappings, a real catalog.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::fake::{Answer, FakeServer, Request};
use common::{Env, bytes, put};
use serde_json::{Value, json};

const TOKEN: &str = "s3cret-T0KEN-xyz";

/// How the fake server misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Fine,
    Fail500,
    Garbage,
}

/// A Plex server's state: sections, shows, items by section, markers by item.
struct Plex {
    token: String,
    mode: Mode,
    /// The most items a page holds, whatever was asked (a server-side cap).
    page_cap: usize,
    sections: Vec<Value>,
    shows: Vec<Value>,
    items: HashMap<String, Vec<Value>>,
    markers: HashMap<String, Value>,
}

fn unauthorized() -> Answer {
    (401, "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>".into())
}

fn plex_answer(p: &Plex, r: &Request) -> Answer {
    if r.path == "/identity" {
        return (200, json!({"MediaContainer": {"size": 0, "claimed": true, "machineIdentifier": "fake-plex-1", "version": "1.40.0.7998"}}).to_string());
    }
    if r.header("x-plex-token") != Some(p.token.as_str()) {
        return unauthorized();
    }
    match p.mode {
        Mode::Fail500 => return (500, "<html>oops</html>".into()),
        Mode::Garbage => return (200, "{\"MediaContainer\": [1, 2".into()),
        Mode::Fine => {}
    }
    if r.path == "/library/sections" {
        return (
            200,
            json!({"MediaContainer": {"size": p.sections.len(), "Directory": p.sections}})
                .to_string(),
        );
    }
    if let Some(rest) = r.path.strip_prefix("/library/sections/") {
        let key = rest.trim_end_matches("/all");
        let ty = r.q("type").unwrap_or("");
        let all: Vec<Value> = if ty == "2" {
            p.shows.clone()
        } else {
            let want = match ty {
                "1" => "movie",
                "4" => "episode",
                _ => "photo",
            };
            p.items
                .get(key)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|i| i["type"] == want)
                .collect()
        };
        let start = r.num("X-Plex-Container-Start").unwrap_or(0);
        let size = r.num("X-Plex-Container-Size").unwrap_or(50).min(p.page_cap);
        let page: Vec<Value> = all.iter().skip(start).take(size).cloned().collect();
        return (200, json!({"MediaContainer": {"size": page.len(), "totalSize": all.len(), "offset": start, "Metadata": page}}).to_string());
    }
    if let Some(key) = r.path.strip_prefix("/library/metadata/") {
        let mut m = p.markers.get(key).cloned().unwrap_or_else(|| json!({}));
        m["ratingKey"] = json!(key);
        return (
            200,
            json!({"MediaContainer": {"size": 1, "Metadata": [m]}}).to_string(),
        );
    }
    (404, "<html>not found</html>".into())
}

fn episode(
    key: &str,
    season: u32,
    ep: u32,
    name: &str,
    file: &str,
    size: u64,
    updated: u64,
) -> Value {
    json!({
        "ratingKey": key, "key": format!("/library/metadata/{key}"), "type": "episode", "title": name,
        "grandparentRatingKey": "100", "grandparentTitle": "The Expanse", "parentIndex": season, "index": ep,
        "guid": format!("plex://episode/{key}"), "Guid": [{"id": format!("imdb://tt90{key}")}],
        "updatedAt": updated, "duration": 2_700_000,
        // Plex sends some numbers as strings: the size of this part is one.
        "Media": [{"id": key.parse::<u64>().unwrap() * 10, "Part": [{"id": key.parse::<u64>().unwrap() * 100, "file": file, "size": size.to_string()}]}]
    })
}

fn plex_library(env: &Env) -> Plex {
    let tv = env.path("mnt/tv");
    let movies = env.path("mnt/movies");
    // File names that say nothing: the names come from the server.
    put(&tv.join("x/a1.mkv"), &bytes(1, 3000));
    put(&tv.join("x/a2.mkv"), &bytes(2, 3100));
    put(&tv.join("x/a34.mkv"), &bytes(3, 3200));
    put(&movies.join("m/v1.mkv"), &bytes(4, 4000));
    put(&movies.join("m/v2.mkv"), &bytes(5, 4100));
    // Beside them, a file the server does not list: not this collection's.
    put(&tv.join("x/stray.mkv"), &bytes(6, 900));
    let episodes = vec![
        episode("101", 1, 1, "Dulcinea", "/data/tv/x/a1.mkv", 3000, 1000),
        episode(
            "102",
            1,
            2,
            "The Big Empty",
            "/data/tv/x/a2.mkv",
            3100,
            1000,
        ),
        episode(
            "103",
            1,
            3,
            "Remember the Cant",
            "/data/tv/x/a34.mkv",
            3200,
            1000,
        ),
        episode("104", 1, 4, "CQB", "/data/tv/x/a34.mkv", 3200, 1000),
        episode(
            "105",
            1,
            5,
            "Back to the Butcher",
            "/data/tv/x/gone.mkv",
            10,
            1000,
        ),
        episode("106", 1, 6, "Rock Bottom", "/elsewhere/a6.mkv", 10, 1000),
    ];
    let movie = json!({
        "ratingKey": "200", "type": "movie", "title": "Heat", "year": 1995, "updatedAt": 500,
        "guid": "plex://movie/5d776", "Guid": [{"id": "imdb://tt0113277"}, {"id": "tmdb://949"}],
        "Media": [
            {"id": 2001, "Part": [{"id": 20011, "file": "D:\\Media\\Movies\\m\\v1.mkv", "size": 4000}]},
            {"id": 2002, "Part": [{"id": 20021, "file": "D:\\Media\\Movies\\m\\v2.mkv", "size": 4100}]}
        ]
    });
    let mut markers = HashMap::new();
    markers.insert(
        "101".to_owned(),
        json!({
            "Marker": [
                {"id": 1, "type": "intro", "startTimeOffset": 1000, "endTimeOffset": 30000, "final": true},
                {"id": 2, "type": "credits", "startTimeOffset": 2_600_000, "endTimeOffset": 2_700_000},
                {"id": 3, "type": "intro", "startTimeOffset": 9000, "endTimeOffset": 100}
            ],
            "Chapter": [
                {"id": 7, "tag": "Opening", "index": 1, "startTimeOffset": 0, "endTimeOffset": 60000},
                {"id": 8, "tag": "Act One", "index": 2, "startTimeOffset": 60000, "endTimeOffset": 900000}
            ]
        }),
    );
    Plex {
        token: TOKEN.into(),
        mode: Mode::Fine,
        page_cap: 2,
        sections: vec![
            json!({"key": "1", "type": "movie", "title": "Movies", "Location": [{"id": 1, "path": "D:\\Media\\Movies"}]}),
            json!({"key": "2", "type": "show", "title": "TV Shows", "Location": [{"id": 2, "path": "/data/tv"}]}),
            json!({"key": "3", "type": "artist", "title": "Music", "Location": [{"id": 3, "path": "/data/music"}]}),
        ],
        shows: vec![json!({
            "ratingKey": "100", "type": "show", "title": "The Expanse", "year": 2015,
            "Guid": [{"id": "tvdb://280619"}, {"id": "imdb://tt3230854"}]
        })],
        items: HashMap::from([("2".to_owned(), episodes), ("1".to_owned(), vec![movie])]),
        markers,
    }
}

fn start_plex(state: Arc<Mutex<Plex>>) -> FakeServer {
    FakeServer::start(move |r| plex_answer(&state.lock().unwrap(), r))
}

/// Runs shelf; returns (exit code, stdout, stderr), keeping every output to check for the
/// token later.
fn run(env: &Env, seen: &mut String, args: &[&str]) -> (i32, String, String) {
    let out = env
        .shelf()
        .args(args)
        .env("SHELF_PLEX_TOKEN", TOKEN)
        .env("SHELF_JELLYFIN_TOKEN", TOKEN)
        .output()
        .unwrap();
    let (o, e) = (common::text(&out.stdout), common::text(&out.stderr));
    seen.push_str(&o);
    seen.push_str(&e);
    (out.status.code().unwrap_or(-1), o, e)
}

fn ok(env: &Env, seen: &mut String, args: &[&str]) -> String {
    let (code, o, e) = run(env, seen, args);
    assert_eq!(code, 0, "{args:?}\nstdout:\n{o}\nstderr:\n{e}");
    o
}

fn js(env: &Env, seen: &mut String, args: &[&str]) -> Value {
    let o = ok(env, seen, args);
    serde_json::from_str(&o).unwrap_or_else(|e| panic!("{args:?}: {e}: {o}"))
}

/// Maps the fake Plex's TV folder to the test's.
fn map_tv(env: &Env, seen: &mut String) {
    let tv = env.path("mnt/tv");
    ok(
        env,
        seen,
        &[
            "map",
            "add",
            "home/TV Shows",
            "/data/tv",
            tv.to_str().unwrap(),
        ],
    );
}

/// Adds the fake Plex, maps and enables its two sections.
fn plex_ready(env: &Env, seen: &mut String, url: &str) {
    ok(env, seen, &["source", "add", "plex", url, "--name", "home"]);
    let movies = env.path("mnt/movies");
    map_tv(env, seen);
    ok(
        env,
        seen,
        &[
            "map",
            "add",
            "home/Movies",
            "D:\\Media\\Movies",
            movies.to_str().unwrap(),
        ],
    );
    ok(env, seen, &["source", "enable", "home/TV Shows"]);
    ok(env, seen, &["source", "enable", "home/Movies"]);
}

/// The element of a JSON list whose `field` is `want`.
fn row<'a>(list: &'a Value, field: &str, want: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[field] == want)
        .unwrap_or_else(|| panic!("no {field} = {want:?} in {list}"))
}

fn collection<'a>(list: &'a Value, name: &str) -> &'a Value {
    row(list, "name", name)
}

#[test]
fn plex_sections_are_discovered_disabled_and_enable_waits_for_a_mapping() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(plex_library(&env)));
    let server = start_plex(state.clone());
    let mut seen = String::new();
    // A catalog from before, readable by others: storing a token makes it private.
    ok(&env, &mut seen, &["db", "info"]);
    let private = |db: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(db).unwrap().permissions().mode() & 0o077 == 0
    };
    let open_up = |db: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o644)).unwrap();
    };
    open_up(&env.db);
    let out = ok(
        &env,
        &mut seen,
        &["source", "add", "plex", &server.url, "--name", "home"],
    );
    assert!(private(&env.db), "the catalog holding a token is private");
    open_up(&env.db);
    let (_, _, err) = run(&env, &mut seen, &["db", "check"]);
    assert!(err.contains("token") && err.contains("chmod 600"), "{err}");
    assert!(
        out.contains("home/TV Shows") && out.contains("home/Movies"),
        "{out}"
    );
    assert!(out.contains("map add"), "the next steps are printed: {out}");
    assert!(
        out.contains("Music") && out.contains("not scanned"),
        "{out}"
    );
    let list = js(&env, &mut seen, &["source", "list", "--json"]);
    let tv = collection(&list, "home/TV Shows");
    assert_eq!(tv["source_kind"], "plex");
    assert_eq!(tv["enabled"], false);
    assert_eq!(tv["ingestible"], false);
    assert_eq!(tv["kind"], "shows");
    assert_eq!(tv["remote_roots"][0]["remote"], "/data/tv");
    assert_eq!(tv["token_set"], true);
    assert_eq!(collection(&list, "home/Movies")["kind"], "movies");
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "home/Music"),
        "music is not a collection"
    );

    // Enabling before the mapping is refused, with the exact command to run.
    let (code, _, err) = run(&env, &mut seen, &["source", "enable", "home/TV Shows"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("shelf map add \"home/TV Shows\" \"/data/tv\""),
        "{err}"
    );
    let text = ok(&env, &mut seen, &["source", "list"]);
    assert!(
        text.contains("no mapping for the server folder /data/tv"),
        "{text}"
    );
    let tv_local = env.path("mnt/tv");
    map_tv(&env, &mut seen);
    ok(&env, &mut seen, &["source", "enable", "home/TV Shows"]);
    let list = js(&env, &mut seen, &["source", "list", "--json"]);
    let tv = collection(&list, "home/TV Shows");
    assert_eq!(tv["enabled"], true);
    assert_eq!(tv["ingestible"], true);
    assert_eq!(tv["remote_roots"][0]["local"], tv_local.to_str().unwrap());
    let text = ok(&env, &mut seen, &["source", "list"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("home/TV Shows"))
        .unwrap();
    assert!(line.contains("online"), "mapped, not yet scanned: {text}");

    // A bad token is a clear error naming 401, exit 2, and adds nothing.
    let bad = env.path("bad-token");
    std::fs::write(&bad, "wrong\n").unwrap();
    let (code, _, err) = run(
        &env,
        &mut seen,
        &[
            "source",
            "add",
            "plex",
            &server.url,
            "--name",
            "other",
            "--token-file",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("401"), "{err}");
    let list = js(&env, &mut seen, &["source", "list", "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["source"] != "other")
    );

    // Refresh: a new section arrives disabled, a vanished one is gone (kept), settings stay.
    {
        let mut p = state.lock().unwrap();
        p.sections.remove(0);
        p.sections.push(json!({"key": "9", "type": "show", "title": "Anime", "Location": [{"path": "/data/anime"}]}));
    }
    let out = ok(&env, &mut seen, &["source", "refresh", "home"]);
    assert!(out.contains("1 new, 1 gone"), "{out}");
    let list = js(&env, &mut seen, &["source", "list", "--json"]);
    assert_eq!(collection(&list, "home/Anime")["enabled"], false);
    assert_eq!(collection(&list, "home/Movies")["gone"], true);
    assert_eq!(collection(&list, "home/TV Shows")["enabled"], true);
    assert!(!seen.contains(TOKEN), "the token was printed");
}

#[test]
fn a_plex_scan_names_files_from_the_server_with_ids_versions_and_markers() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(plex_library(&env)));
    let server = start_plex(state.clone());
    let mut seen = String::new();
    plex_ready(&env, &mut seen, &server.url);
    let (code, out, err) = run(&env, &mut seen, &["--scan", "--json"]);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    // Two parts are problems of their own: one no mapping matched, one mapped but missing.
    assert_eq!(code, 1, "{out}");
    let errors = report["errors"].to_string();
    assert!(
        errors.contains("/elsewhere/a6.mkv") && errors.contains("no mapping matched"),
        "{errors}"
    );
    assert!(
        errors.contains("/data/tv/x/gone.mkv") && errors.contains("mapped but missing"),
        "{errors}"
    );
    assert_eq!(
        report["collections"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["offline"] == true)
            .count(),
        0
    );
    // Paging went past the server's cap of 2 items a page.
    assert!(
        server.count("/library/sections/2/all") >= 4,
        "{}",
        server.count("/library/sections/2/all")
    );

    let assets = js(&env, &mut seen, &["export", "--what", "assets"]);
    let paths: Vec<&str> = assets
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths.len(),
        5,
        "exactly the server's files, not the stray one: {paths:?}"
    );
    assert!(!paths.iter().any(|p| p.ends_with("stray.mkv")));
    let a1 = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("a1.mkv"))
        .unwrap();
    assert_eq!(a1["remote_path"], "/data/tv/x/a1.mkv");
    assert_eq!(a1["title"], "The Expanse");

    let titles = js(&env, &mut seen, &["export", "--what", "titles"]);
    let show = row(&titles, "title", "The Expanse");
    assert_eq!(show["year"], 2015);
    assert_eq!(
        show["external_ids"],
        json!({"tvdb": "280619", "imdb": "tt3230854"})
    );
    let heat = row(&titles, "title", "Heat");
    assert_eq!(heat["year"], 1995);
    assert_eq!(
        heat["external_ids"],
        json!({"imdb": "tt0113277", "tmdb": "949"})
    );
    assert_eq!(heat["files"], 2, "both versions linked: {heat}");
    assert_eq!(
        env.count(
            "SELECT count(*) FROM title_assets ta JOIN titles t ON t.id = ta.title_id
             WHERE t.name = 'Heat' AND ta.canonical = 1"
        ),
        1,
        "one version is the canonical one"
    );
    // The item as the server sent it is kept with its key.
    assert_eq!(
        env.count("SELECT count(*) FROM provider_refs WHERE provider = 'plex' AND provider_key = '200' AND json_extract(raw, '$.title') = 'Heat'"),
        2
    );

    let eps = js(&env, &mut seen, &["export", "--what", "episodes"]);
    let ep = |n: u64| {
        eps.as_array()
            .unwrap()
            .iter()
            .find(|e| e["episode"] == n)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(ep(1)["name"], "Dulcinea");
    assert_eq!(ep(1)["external_ids"], json!({"imdb": "tt90101"}));
    assert_eq!(ep(1)["season"], 1);
    // One file, two episodes.
    assert!(ep(3)["paths"][0].as_str().unwrap().ends_with("a34.mkv"));
    assert!(ep(4)["paths"][0].as_str().unwrap().ends_with("a34.mkv"));
    assert_eq!(ep(3)["name"], "Remember the Cant");
    assert_eq!(ep(4)["name"], "CQB");
    assert_eq!(ep(4)["external_ids"], json!({"imdb": "tt90104"}));

    let review = js(&env, &mut seen, &["review", "list", "--json"]);
    assert_eq!(
        review.as_array().map_or(0, Vec::len),
        0,
        "nothing asked about: {review}"
    );

    let a1_path = a1["path"].as_str().unwrap();
    let markers = js(&env, &mut seen, &["markers", "list", a1_path, "--json"]);
    let kinds: Vec<(String, i64, String)> = markers
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["start_ms"].as_i64().unwrap(),
                m["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("intro".into(), 1000, "plex".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("outro".into(), 2_600_000, "plex".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("chapter".into(), 60000, "plex".into())),
        "{kinds:?}"
    );
    assert!(
        !kinds.iter().any(|k| k.1 == 9000),
        "the backwards marker is skipped: {kinds:?}"
    );
    // A person's marker survives the server's.
    ok(
        &env,
        &mut seen,
        &[
            "markers", "add", a1_path, "--kind", "avail", "--start", "500000",
        ],
    );
    state.lock().unwrap().items.get_mut("2").unwrap()[0]["updatedAt"] = json!(2000);
    run(&env, &mut seen, &["--scan"]);
    let markers = js(&env, &mut seen, &["markers", "list", a1_path, "--json"]);
    let sources: Vec<&str> = markers
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources.iter().filter(|s| **s == "manual").count(),
        1,
        "{sources:?}"
    );
    assert_eq!(
        sources.iter().filter(|s| **s == "plex").count(),
        4,
        "replaced, not added again: {sources:?}"
    );
    assert!(!seen.contains(TOKEN), "the token was printed");
}

#[test]
fn an_unchanged_plex_item_costs_only_its_listing_and_a_removed_one_goes_missing() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(plex_library(&env)));
    let server = start_plex(state.clone());
    let mut seen = String::new();
    plex_ready(&env, &mut seen, &server.url);
    run(&env, &mut seen, &["--scan"]);
    assert!(server.count("/library/metadata/") >= 4);

    server.clear();
    run(&env, &mut seen, &["--scan"]);
    assert_eq!(
        server.count("/library/metadata/"),
        0,
        "nothing refetched when nothing changed"
    );

    // One item changed on the server: only it is fetched again, and its new name lands.
    {
        let mut p = state.lock().unwrap();
        let e = &mut p.items.get_mut("2").unwrap()[1];
        e["updatedAt"] = json!(5000);
        e["title"] = json!("The Big Empty (Director's Cut)");
    }
    server.clear();
    run(&env, &mut seen, &["--scan"]);
    let fetched: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/library/metadata/"))
        .map(|r| r.path)
        .collect();
    assert_eq!(fetched, vec!["/library/metadata/102".to_owned()]);
    let eps = js(&env, &mut seen, &["export", "--what", "episodes"]);
    assert!(
        eps.to_string().contains("The Big Empty (Director's Cut)"),
        "{eps}"
    );

    // The server no longer lists item 102: its file is missing, not deleted.
    state.lock().unwrap().items.get_mut("2").unwrap().remove(1);
    run(&env, &mut seen, &["--scan"]);
    let missing = env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL AND CAST(rel_path AS TEXT) LIKE '%a2.mkv'");
    assert_eq!(missing, 1);
    assert!(env.path("mnt/tv/x/a2.mkv").exists());
    assert!(!seen.contains(TOKEN));
}

#[test]
fn a_plex_server_that_fails_makes_its_collections_offline_and_nothing_missing() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(plex_library(&env)));
    let server = start_plex(state.clone());
    let mut seen = String::new();
    plex_ready(&env, &mut seen, &server.url);
    run(&env, &mut seen, &["--scan"]);
    let present = env.count("SELECT count(*) FROM assets WHERE missing_since IS NULL");
    assert_eq!(present, 5);

    let check = |seen: &mut String, want: &str| {
        let (code, out, err) = run(&env, seen, &["--scan", "--json"]);
        assert_eq!(code, 1, "{out}{err}");
        let report: Value = serde_json::from_str(&out).unwrap();
        for c in report["collections"].as_array().unwrap() {
            assert_eq!(c["offline"], true, "{c}");
            assert!(c["offline_reason"].as_str().unwrap().contains(want), "{c}");
        }
        assert_eq!(
            env.count("SELECT count(*) FROM assets WHERE missing_since IS NULL"),
            5,
            "nothing went missing"
        );
        let status = js(&env, seen, &["status", "--json"]).to_string();
        assert!(
            status.contains("plex:home"),
            "the server is a service: {status}"
        );
    };
    // A mapped folder that is not mounted: offline, not every file missing.
    let (mnt, away) = (env.path("mnt"), env.path("mnt-away"));
    std::fs::rename(&mnt, &away).unwrap();
    check(&mut seen, "maps to");
    std::fs::rename(&away, &mnt).unwrap();
    state.lock().unwrap().token = "rotated".into();
    check(&mut seen, "401");
    state.lock().unwrap().token = TOKEN.into();
    state.lock().unwrap().mode = Mode::Fail500;
    check(&mut seen, "500");
    state.lock().unwrap().mode = Mode::Garbage;
    check(&mut seen, "not JSON");
    drop(server);
    check(&mut seen, "cannot reach");
    assert!(!seen.contains(TOKEN));
    // Nor in the logs.
    for entry in walk(env.dir.path()) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains(".log") || name.ends_with(".jsonl") {
            let text = std::fs::read(&entry).unwrap_or_default();
            assert!(
                !String::from_utf8_lossy(&text).contains(TOKEN),
                "{}",
                entry.display()
            );
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A Jellyfin server's state.
struct Jellyfin {
    token: String,
    page_cap: usize,
    folders: Value,
    series: Vec<Value>,
    items: HashMap<String, Vec<Value>>,
    segments: HashMap<String, Value>,
}

fn jellyfin_answer(j: &Jellyfin, r: &Request) -> Answer {
    if r.path == "/System/Info/Public" {
        return (200, json!({"Id": "0123456789abcdef0123456789abcdef", "ServerName": "attic", "Version": "10.10.3", "ProductName": "Jellyfin Server"}).to_string());
    }
    if r.header("authorization") != Some(format!("MediaBrowser Token=\"{}\"", j.token).as_str()) {
        return (401, String::new());
    }
    match r.path.as_str() {
        "/Library/VirtualFolders" => (200, j.folders.to_string()),
        "/Items" => {
            let parent = r.q("ParentId").unwrap_or("");
            let types = r.q("IncludeItemTypes").unwrap_or("");
            let all: Vec<Value> = if types == "Series" {
                j.series.clone()
            } else {
                j.items.get(parent).cloned().unwrap_or_default()
            };
            let start = r.num("StartIndex").unwrap_or(0);
            let limit = r.num("Limit").unwrap_or(100).min(j.page_cap);
            let page: Vec<Value> = all.iter().skip(start).take(limit).cloned().collect();
            (
                200,
                json!({"Items": page, "TotalRecordCount": all.len(), "StartIndex": start})
                    .to_string(),
            )
        }
        p if p.starts_with("/MediaSegments/") => {
            let id = p.trim_start_matches("/MediaSegments/");
            let items = j.segments.get(id).cloned().unwrap_or_else(|| json!([]));
            (200, json!({"Items": items, "TotalRecordCount": items.as_array().map_or(0, Vec::len), "StartIndex": 0}).to_string())
        }
        _ => (404, String::new()),
    }
}

const TICKS: i64 = 10_000;

fn jellyfin_library(env: &Env) -> Jellyfin {
    let shows = env.path("jf/shows");
    let films = env.path("jf/films");
    put(&shows.join("bb/f1.mkv"), &bytes(11, 2000));
    put(&shows.join("bb/f3.mkv"), &bytes(12, 2100));
    put(&films.join("a/x.mkv"), &bytes(13, 2200));
    let ep = |id: &str, s: u32, e: u32, end: Option<u32>, name: &str, path: &str| {
        json!({
            "Id": id, "Type": "Episode", "Name": name, "SeriesName": "Breaking Bad",
            "SeriesId": "5eb1e5", "ParentIndexNumber": s, "IndexNumber": e, "IndexNumberEnd": end,
            "Etag": format!("etag-{id}"), "RunTimeTicks": 3000 * 1000 * TICKS, "Path": path,
            "ProviderIds": {"Imdb": format!("tt77{id}"), "Tvdb": format!("99{e}")},
            "MediaSources": [{"Id": id, "Path": path, "Container": "mkv", "Size": 2000}],
            "Chapters": [
                {"StartPositionTicks": 0, "Name": "Cold Open"},
                {"StartPositionTicks": 600 * 1000 * TICKS, "Name": "Part 2"}
            ]
        })
    };
    Jellyfin {
        token: TOKEN.into(),
        page_cap: 1,
        folders: json!([
            {"Name": "Shows", "Locations": ["/srv/shows"], "CollectionType": "tvshows", "ItemId": "f1f1"},
            {"Name": "Films", "Locations": ["/srv/films"], "CollectionType": "movies", "ItemId": "f2f2"},
            {"Name": "Music", "Locations": ["/srv/music"], "CollectionType": "music", "ItemId": "f3f3"}
        ]),
        series: vec![
            json!({"Id": "5eb1e5", "Type": "Series", "Name": "Breaking Bad", "ProductionYear": 2008,
                            "ProviderIds": {"Tvdb": "81189", "Imdb": "tt0903747"}}),
        ],
        items: HashMap::from([
            (
                "f1f1".to_owned(),
                vec![
                    ep("aa01", 1, 1, Some(2), "Pilot", "/srv/shows/bb/f1.mkv"),
                    ep(
                        "aa03",
                        1,
                        3,
                        None,
                        "...And the Bag's in the River",
                        "/srv/shows/bb/f3.mkv",
                    ),
                ],
            ),
            (
                "f2f2".to_owned(),
                vec![json!({
                    "Id": "bb01", "Type": "Movie", "Name": "Arrival", "ProductionYear": 2016, "Etag": "m1",
                    "ProviderIds": {"Tmdb": "329865", "Imdb": "tt2543164"},
                    "MediaSources": [{"Path": "/srv/films/a/x.mkv", "Size": 2200}]
                })],
            ),
        ]),
        segments: HashMap::from([(
            "aa01".to_owned(),
            json!([
                {"Id": "s1", "ItemId": "aa01", "Type": "Intro", "StartTicks": 5000 * TICKS, "EndTicks": 65000 * TICKS},
                {"Id": "s2", "ItemId": "aa01", "Type": "Commercial", "StartTicks": 900_000 * TICKS, "EndTicks": 960_000 * TICKS},
                {"Id": "s3", "ItemId": "aa01", "Type": "Recap", "StartTicks": 0, "EndTicks": 1000 * TICKS}
            ]),
        )]),
    }
}

#[test]
fn a_jellyfin_library_is_scanned_with_its_names_ids_segments_and_chapters() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(jellyfin_library(&env)));
    let st = state.clone();
    let server = FakeServer::start(move |r| jellyfin_answer(&st.lock().unwrap(), r));
    let mut seen = String::new();
    let out = ok(
        &env,
        &mut seen,
        &["source", "add", "jellyfin", &server.url, "--name", "attic"],
    );
    assert!(
        out.contains("attic/Shows") && out.contains("attic/Films"),
        "{out}"
    );
    let (shows, films) = (env.path("jf/shows"), env.path("jf/films"));
    ok(
        &env,
        &mut seen,
        &[
            "map",
            "add",
            "attic/Shows",
            "/srv/shows",
            shows.to_str().unwrap(),
        ],
    );
    ok(
        &env,
        &mut seen,
        &[
            "map",
            "add",
            "attic/Films",
            "/srv/films",
            films.to_str().unwrap(),
        ],
    );
    ok(&env, &mut seen, &["source", "enable", "attic"]);
    let list = js(&env, &mut seen, &["source", "list", "--json"]);
    assert_eq!(collection(&list, "attic/Shows")["source_kind"], "jellyfin");
    let (code, out, err) = run(&env, &mut seen, &["--scan", "--json"]);
    assert_eq!(code, 0, "{out}{err}");

    let titles = js(&env, &mut seen, &["export", "--what", "titles"]);
    let bb = row(&titles, "title", "Breaking Bad");
    assert_eq!(bb["year"], 2008);
    assert_eq!(
        bb["external_ids"],
        json!({"tvdb": "81189", "imdb": "tt0903747"})
    );
    let arrival = row(&titles, "title", "Arrival");
    assert_eq!(
        arrival["external_ids"],
        json!({"tmdb": "329865", "imdb": "tt2543164"})
    );
    let eps = js(&env, &mut seen, &["export", "--what", "episodes"]);
    let numbers: Vec<(i64, String)> = eps
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["episode"].as_i64().unwrap(),
                e["paths"][0]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        numbers,
        vec![
            (1, "f1.mkv".into()),
            (2, "f1.mkv".into()),
            (3, "f3.mkv".into())
        ]
    );

    let f1 = shows.join("bb/f1.mkv");
    let markers = js(
        &env,
        &mut seen,
        &["markers", "list", f1.to_str().unwrap(), "--json"],
    );
    let got: Vec<(String, i64, i64, String)> = markers
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().into(),
                m["start_ms"].as_i64().unwrap(),
                m["end_ms"].as_i64().unwrap(),
                m["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        got.contains(&("intro".into(), 5000, 65000, "jellyfin".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("avail".into(), 900_000, 960_000, "jellyfin".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("chapter".into(), 0, 600_000, "jellyfin".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("chapter".into(), 600_000, 3_000_000, "jellyfin".into())),
        "{got:?}"
    );
    assert_eq!(got.len(), 4, "a recap is not a marker shelf keeps: {got:?}");

    // Nothing changed: only the listings.
    server.clear();
    assert_eq!(run(&env, &mut seen, &["--scan"]).0, 0);
    assert_eq!(server.count("/MediaSegments/"), 0);
    assert!(server.count("/Items") >= 3);

    // A refused API key: offline, nothing missing.
    state.lock().unwrap().token = "revoked".into();
    let (code, out, _) = run(&env, &mut seen, &["--scan", "--json"]);
    assert_eq!(code, 1);
    assert!(out.contains("401"), "{out}");
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        0
    );
    assert!(!seen.contains(TOKEN));
}

/// An https server with a certificate of its own: refused until shelf is told to trust it
/// (`--ca-file`), then added and scanned over TLS.
#[test]
fn an_https_server_with_its_own_certificate_is_trusted_only_when_told() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(plex_library(&env)));
    let st = state.clone();
    let (server, pem) = FakeServer::start_tls(move |r| plex_answer(&st.lock().unwrap(), r));
    assert!(server.url.starts_with("https://"));
    let mut seen = String::new();
    let (code, _, err) = run(
        &env,
        &mut seen,
        &["source", "add", "plex", &server.url, "--name", "home"],
    );
    assert_eq!(code, 2, "an unknown certificate is refused");
    assert!(
        err.to_lowercase().contains("certificate") || err.contains("cannot add"),
        "{err}"
    );
    let ca = env.path("home-ca.pem");
    std::fs::write(&ca, &pem).unwrap();
    ok(
        &env,
        &mut seen,
        &[
            "source",
            "add",
            "plex",
            &server.url,
            "--name",
            "home",
            "--ca-file",
            ca.to_str().unwrap(),
        ],
    );
    map_tv(&env, &mut seen);
    ok(&env, &mut seen, &["source", "enable", "home/TV Shows"]);
    let (_, out, _) = run(&env, &mut seen, &["--scan", "--json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["collections"][0]["offline"], false, "{report}");
    let titles = js(&env, &mut seen, &["export", "--what", "titles"]);
    assert!(titles.to_string().contains("The Expanse"), "{titles}");
    assert!(!seen.contains(TOKEN));
}

/// A person's decision wins over the server's name: a file a person linked by hand keeps
/// its link and its episode keeps its name when the server renames the item.
#[test]
fn a_persons_link_survives_the_servers_rename() {
    let env = Env::new();
    let state = Arc::new(Mutex::new(plex_library(&env)));
    let server = start_plex(state.clone());
    let mut seen = String::new();
    plex_ready(&env, &mut seen, &server.url);
    run(&env, &mut seen, &["--scan"]);
    // As the Library's link does it: the link is the person's.
    let linked = env
        .conn()
        .execute(
            "UPDATE episode_assets SET source = 'manual'
             WHERE asset_id = (SELECT id FROM assets WHERE CAST(rel_path AS TEXT) LIKE '%/a1.mkv')",
            [],
        )
        .unwrap();
    assert_eq!(linked, 1);
    {
        let mut p = state.lock().unwrap();
        let e = &mut p.items.get_mut("2").unwrap()[0];
        e["updatedAt"] = json!(9000);
        e["title"] = json!("Renamed by the server");
        e["index"] = json!(7);
    }
    run(&env, &mut seen, &["--scan"]);
    let eps = js(&env, &mut seen, &["export", "--what", "episodes"]);
    let e1 = row(&eps, "name", "Dulcinea");
    assert!(
        e1["paths"][0].as_str().unwrap().ends_with("a1.mkv"),
        "{eps}"
    );
    assert!(!eps.to_string().contains("Renamed by the server"), "{eps}");
}
