//! Identification into the catalog and the review queue, through the real binary on real
//! trees: shows and movies, title matching, versions, extras, duplicates, every review
//! command with undo, the lock surviving rescans and moves, exports, `shelf identify`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{Env, bytes, put};
use serde_json::Value;

fn pending(env: &Env) -> Vec<Value> {
    env.json(&["review", "list", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn item_for<'a>(items: &'a [Value], path_end: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with(path_end))
        .unwrap_or_else(|| panic!("no review item for {path_end} in {items:#?}"))
}

/// `shelf ARGS` with `input` on stdin: its JSON lines.
fn identify_lines(env: &Env, args: &[&str], input: &str) -> Vec<Value> {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("shelf"))
        .arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(&env.config)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Writes each path under `lib`, each file's bytes its own.
fn put_files(lib: &std::path::Path, rels: &[&str]) {
    for (i, rel) in rels.iter().enumerate() {
        put(&lib.join(rel), &bytes(i as u64 + 1, 300));
    }
}

/// The year of every title, as exported.
fn title_years(env: &Env) -> Vec<Option<i64>> {
    let titles = env.json(&["export", "--what", "titles", "--format", "json"]);
    titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["year"].as_i64())
        .collect()
}

/// (title, year, season, episode, paths) of one episode.
type EpisodeRow = (String, Option<i64>, Option<i64>, Option<i64>, Vec<String>);

/// Every episode with the paths of its files.
fn episodes(env: &Env) -> Vec<EpisodeRow> {
    let out = env
        .shelf()
        .args(["export", "--what", "episodes", "--format", "jsonl"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["title"].as_str().unwrap().to_string(),
                v["year"].as_i64(),
                v["season"].as_i64(),
                v["episode"].as_i64(),
                v["paths"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn scene_names_and_show_folders_land_on_one_show() {
    let env = Env::new();
    let lib = env.path("tv");
    // First a bare release name with no year...
    put(
        &lib.join("incoming/Show.Name.S01E01.720p.HDTV.x264-GRP.mkv"),
        &bytes(1, 300),
    );
    env.scan_json(&[&lib]);
    // ...then the show's own folder with its year: the same show, now with a year.
    put(
        &lib.join("Show Name (2019)/Season 1/Show Name (2019) - S01E02 - Second.mkv"),
        &bytes(2, 300),
    );
    put(
        &lib.join("Show Name (2019)/Season 1/S01E03.mkv"),
        &bytes(3, 300),
    );
    put(
        &lib.join("Show Name (2019)/Season 2/Show.Name.S02E01E02.mkv"),
        &bytes(4, 300),
    );
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    let titles = env.json(&["export", "--what", "titles", "--format", "json"]);
    let titles = titles.as_array().unwrap();
    assert_eq!(titles.len(), 1, "{titles:#?}");
    assert_eq!(titles[0]["title"], "Show Name");
    assert_eq!(titles[0]["year"], 2019);
    assert_eq!(titles[0]["kind"], "show");
    let eps = episodes(&env);
    let key: Vec<(Option<i64>, Option<i64>)> = eps.iter().map(|e| (e.2, e.3)).collect();
    assert_eq!(
        key,
        vec![
            (Some(1), Some(1)),
            (Some(1), Some(2)),
            (Some(1), Some(3)),
            (Some(2), Some(1)),
            (Some(2), Some(2))
        ]
    );
    // The multi-episode file stands behind both of its episodes.
    assert!(
        eps[3].4[0].ends_with("Show.Name.S02E01E02.mkv")
            && eps[4].4[0].ends_with("Show.Name.S02E01E02.mkv")
    );
    let e2 = eps
        .iter()
        .find(|e| e.3 == Some(2) && e.2 == Some(1))
        .unwrap();
    let row = env.json(&["export", "--what", "episodes", "--format", "json"]);
    let named = row
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["season"] == 1 && r["episode"] == 2)
        .unwrap();
    assert_eq!(named["name"], "Second");
    assert_eq!(e2.0, "Show Name");
    assert!(pending(&env).is_empty(), "{:#?}", pending(&env));
    // The asset export knows what each file is.
    let assets = env.json(&["export", "--format", "json"]);
    let a = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("S02E01E02.mkv"))
        .unwrap();
    assert_eq!(
        (a["title"].as_str(), a["season"].as_i64()),
        (Some("Show Name"), Some(2))
    );
    assert_eq!(a["episode"], serde_json::json!([1, 2]));
}

/// One scan writes many files in one transaction, and its writer remembers the titles a
/// name found: a title the scan creates midway is seen by the next file of that name (the
/// yearless one here is ambiguous between the two years, not linked to the first).
#[test]
fn titles_a_scan_creates_are_seen_by_its_next_files() {
    let env = Env::new();
    let lib = env.path("tv");
    put_files(
        &lib,
        &[
            "Lost Harbor (1999)/Season 1/Lost Harbor (1999) - S01E01.mkv",
            "Lost Harbor (1999)/Season 1/Lost Harbor (1999) - S01E02.mkv",
            "Lost Harbor (2005)/Season 1/Lost Harbor (2005) - S01E01.mkv",
            "Lost Harbor/Season 2/Lost Harbor - S02E03.mkv",
        ],
    );
    env.scan_json(&[&lib]);
    assert_eq!(title_years(&env), [Some(1999), Some(2005)]);
    let eps = episodes(&env);
    let of_1999: Vec<_> = eps.iter().filter(|e| e.1 == Some(1999)).collect();
    assert_eq!(of_1999.len(), 2, "{eps:#?}");
    assert!(
        eps.iter()
            .all(|e| e.4.iter().all(|p| !p.ends_with("Lost Harbor - S02E03.mkv"))),
        "the yearless file is linked: {eps:#?}"
    );
    let items = pending(&env);
    let it = item_for(&items, "Lost Harbor - S02E03.mkv");
    assert_eq!(it["reason"], "ambiguous_title");
    assert_eq!(it["proposal"]["candidates"].as_array().unwrap().len(), 2);
}

/// A show whose seasons are numbered by their years (`Season 2024/Show - S2024E01`) is one
/// show: a season's year is not the show's. A show folder's own year stays the show's.
#[test]
fn seasons_numbered_by_their_years_are_one_show() {
    let env = Env::new();
    let lib = env.path("tv");
    put_files(
        &lib,
        &[
            "Quiz Night/Season 2023/Quiz Night - S2023E05.mkv",
            "Quiz Night/Season 2024/Quiz Night - S2024E01.mkv",
            "Quiz Night/Season 2024/Quiz.Night.S2024E02.720p.HDTV.x264-GRP.mkv",
            "Harbor Talk (1999)/Season 2024/Harbor Talk (1999) - S2024E03.mkv",
        ],
    );
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(title_years(&env), [Some(1999), None]);
    let eps = episodes(&env);
    let key: Vec<(&str, Option<i64>, Option<i64>)> =
        eps.iter().map(|e| (e.0.as_str(), e.2, e.3)).collect();
    assert_eq!(
        key,
        [
            ("Harbor Talk", Some(2024), Some(3)),
            ("Quiz Night", Some(2023), Some(5)),
            ("Quiz Night", Some(2024), Some(1)),
            ("Quiz Night", Some(2024), Some(2)),
        ]
    );
}

/// A name written with its accents and one written without (a scene release drops them)
/// are one film.
#[test]
fn a_title_with_and_without_its_accents_is_one_title() {
    let env = Env::new();
    let lib = env.path("films");
    put(&lib.join("Amélie (2001)/Amélie (2001).mkv"), &bytes(1, 300));
    put(
        &lib.join("downloads/Amelie.2001.1080p.BluRay.x264-GRP.mkv"),
        &bytes(2, 300),
    );
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    let titles = env.json(&["export", "--what", "titles", "--format", "json"]);
    let titles = titles.as_array().unwrap();
    assert_eq!(titles.len(), 1, "{titles:#?}");
    assert_eq!(titles[0]["year"], 2001);
}

/// A season an earlier scan made is looked in for its episodes: a new version of an episode
/// it holds joins that episode, and the new episode beside it is made once.
#[test]
fn a_later_scan_finds_the_episodes_of_a_season_it_did_not_create() {
    let env = Env::new();
    let lib = env.path("tv");
    let season = lib.join("Lost Harbor/Season 1");
    put(&season.join("Lost Harbor - S01E01.mkv"), &bytes(1, 300));
    env.scan_json(&[&lib]);
    put(
        &season.join("Lost Harbor - S01E01 - 1080p.mkv"),
        &bytes(2, 300),
    );
    put(&season.join("Lost Harbor - S01E02.mkv"), &bytes(3, 300));
    let (code, report) = env.scan_json(&[]);
    assert_eq!(code, 0, "{report}");
    let mut eps: Vec<(Option<i64>, usize)> =
        episodes(&env).iter().map(|e| (e.3, e.4.len())).collect();
    eps.sort();
    assert_eq!(eps, [(Some(1), 2), (Some(2), 1)]);
}

#[test]
fn same_name_different_years_stay_apart_and_a_yearless_name_is_ambiguous() {
    let env = Env::new();
    let lib = env.path("tv");
    put(
        &lib.join("Doctor Who (1963)/Season 1/Doctor Who (1963) - S01E01.mkv"),
        &bytes(1, 300),
    );
    put(
        &lib.join("Doctor Who (2005)/Season 1/Doctor Who (2005) - S01E01.mkv"),
        &bytes(2, 300),
    );
    env.scan_json(&[&lib]);
    assert_eq!(title_years(&env), [Some(1963), Some(2005)]);
    put(&lib.join("incoming/Doctor.Who.S02E03.mkv"), &bytes(3, 300));
    env.scan_json(&[]);
    let items = pending(&env);
    let it = item_for(&items, "Doctor.Who.S02E03.mkv");
    assert_eq!(it["reason"], "ambiguous_title");
    assert!(
        it["text"].as_str().unwrap().contains("Doctor Who (1963)"),
        "{it}"
    );
    assert_eq!(it["proposal"]["candidates"].as_array().unwrap().len(), 2);
    // The person says which.
    let id = it["id"].as_i64().unwrap().to_string();
    env.ok(&[
        "review",
        "set",
        &id,
        "--title",
        "Doctor Who",
        "--year",
        "2005",
        "--season",
        "2",
        "--episode",
        "3",
    ]);
    let eps = episodes(&env);
    assert!(
        eps.iter()
            .any(|e| e.1 == Some(2005) && e.2 == Some(2) && e.3 == Some(3)),
        "{eps:#?}"
    );
    assert_eq!(
        env.json(&["export", "--what", "titles", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn movies_versions_extras_and_duplicates() {
    let env = Env::new();
    let lib = env.path("movies");
    put(&lib.join("Heat (1995)/Heat (1995).mkv"), &bytes(1, 900));
    put(
        &lib.join("Heat (1995)/Heat (1995)-trailer.mkv"),
        &bytes(2, 100),
    );
    put(
        &lib.join("Heat (1995)/Featurettes/Making Of.mkv"),
        &bytes(3, 100),
    );
    put(&lib.join("1917 (2019)/1917 (2019).mkv"), &bytes(4, 900));
    put(
        &lib.join("Show/Season 1/Show - S01E01 - 720p.mkv"),
        &bytes(5, 900),
    );
    put(
        &lib.join("Show/Season 1/Show - S01E01 - 1080p.mkv"),
        &bytes(6, 900),
    );
    env.scan_json(&[&lib]);
    let titles = env.json(&["export", "--what", "titles", "--format", "json"]);
    let names: Vec<(String, String, i64)> = titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap().into(),
                t["kind"].as_str().unwrap().into(),
                t["files"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        names.contains(&("Heat".into(), "movie".into(), 1)),
        "extras are not the movie: {names:?}"
    );
    assert!(
        names.contains(&("1917".into(), "movie".into(), 1)),
        "{names:?}"
    );
    let assets = env.json(&["export", "--format", "json"]);
    let extra = |end: &str| {
        assets
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"].as_str().unwrap().ends_with(end))
            .unwrap()["extra"]
            .clone()
    };
    assert_eq!(extra("Heat (1995)-trailer.mkv"), "trailer");
    assert_eq!(extra("Making Of.mkv"), "featurette");
    // Two versions of one episode: both linked, one canonical.
    let eps = episodes(&env);
    let e = eps.iter().find(|e| e.0 == "Show").unwrap();
    assert_eq!(e.4.len(), 2, "{eps:#?}");
    let c = env.conn();
    let canon: i64 = c
        .query_row(
            "SELECT count(*) FROM episode_assets WHERE canonical = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(canon, 1);

    // A copy of Heat turns up later: duplicate content, the first copy stays canonical.
    std::fs::copy(
        lib.join("Heat (1995)/Heat (1995).mkv"),
        lib.join("Heat.1995.1080p.BluRay.x264-GRP.mkv"),
    )
    .unwrap();
    env.scan_json(&[]);
    let d = env.json(&["dupes", "--json"]);
    let g = &d.as_array().unwrap()[0];
    let copies = g["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 2);
    let canon = copies.iter().find(|m| m["canonical"] == true).unwrap();
    assert!(
        canon["path"]
            .as_str()
            .unwrap()
            .ends_with("Heat (1995)/Heat (1995).mkv"),
        "first seen wins: {g}"
    );
    // Both files of the film are linked to it; the first stays its canonical file.
    let links: (i64, i64) = env
        .conn()
        .query_row(
            "SELECT count(*), sum(ta.canonical) FROM title_assets ta JOIN titles t ON t.id = ta.title_id
             WHERE t.name = 'Heat'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(links, (2, 1));
    let items = pending(&env);
    let it = item_for(&items, "Heat.1995.1080p.BluRay.x264-GRP.mkv");
    assert_eq!(it["reason"], "duplicate_content");
    assert_eq!(it["proposal"]["canonical_asset_id"], canon["asset_id"]);
    // By hand the other copy becomes canonical; undo puts it back.
    let other = copies.iter().find(|m| m["canonical"] == false).unwrap()["asset_id"]
        .as_i64()
        .unwrap();
    let said = env.ok(&["dupes", "canonical", &other.to_string(), "--dry-run"]);
    assert!(said.contains("dry run"), "{said}");
    let d = env.json(&["dupes", "--json"]);
    let still = d[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["canonical"] == true)
        .unwrap()
        .clone();
    assert_eq!(
        still["asset_id"], canon["asset_id"],
        "a dry run changes nothing"
    );
    env.ok(&["dupes", "canonical", &other.to_string()]);
    let d = env.json(&["dupes", "--json"]);
    let now = d[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["canonical"] == true)
        .unwrap()
        .clone();
    assert_eq!(now["asset_id"].as_i64(), Some(other));
    assert_eq!(now["chosen_by_hand"], true);
    // A rescan keeps a person's choice.
    env.scan_json(&[]);
    let d = env.json(&["dupes", "--json"]);
    assert_eq!(
        d[0]["copies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["canonical"] == true)
            .unwrap()["asset_id"]
            .as_i64(),
        Some(other)
    );
    let said = env.ok(&["review", "undo"]);
    assert!(said.contains("undid"), "{said}");
    let d = env.json(&["dupes", "--json"]);
    assert_eq!(
        d[0]["copies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["canonical"] == true)
            .unwrap()["asset_id"],
        canon["asset_id"]
    );
    let human = env.ok(&["dupes"]);
    assert!(
        human.contains("canonical") && human.contains("1 group"),
        "{human}"
    );
}

#[test]
fn every_review_command_undo_and_the_lock() {
    let env = Env::new();
    let lib = env.path("lib");
    put(
        &lib.join("Show Name/Season 3/Show.Name.S02E05.mkv"),
        &bytes(1, 300),
    ); // conflicting
    put(&lib.join("dl/DSC_0001.MOV"), &bytes(2, 300)); // no_match
    put(&lib.join("dl/Some Film.mkv"), &bytes(3, 300)); // low_confidence movie
    put(&lib.join("dl/Another Film.mkv"), &bytes(4, 300)); // low_confidence movie
    put(
        &lib.join("Show Name/Season 1/Show Name - S01E01.mkv"),
        &bytes(5, 300),
    ); // linked
    put(&lib.join("dl/Show.Name.Unnumbered.mkv"), &bytes(6, 300));
    env.scan_json(&[&lib]);
    let items = pending(&env);
    for k in [
        "id",
        "path",
        "reason",
        "text",
        "confidence",
        "status",
        "proposal",
    ] {
        assert!(items[0].get(k).is_some(), "review row lacks {k}");
    }
    let conflict = item_for(&items, "Show.Name.S02E05.mkv");
    assert_eq!(conflict["reason"], "conflicting");
    assert!(conflict["text"].as_str().unwrap().contains("season 3"));
    assert_eq!(item_for(&items, "DSC_0001.MOV")["reason"], "no_match");
    let low = item_for(&items, "Some Film.mkv");
    assert_eq!(low["reason"], "low_confidence");
    assert_eq!(low["proposal"]["title"], "Some Film");
    // Filters.
    let only = env.json(&["review", "list", "--json", "--reason", "no_match"]);
    assert_eq!(only.as_array().unwrap().len(), 1);
    let confident = env.json(&["review", "list", "--json", "--min-confidence", "0.5"]);
    assert!(
        confident
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["confidence"].as_f64().unwrap() >= 0.5)
    );
    let shown = env.ok(&["review", "show", &conflict["id"].to_string()]);
    assert!(
        shown.contains("Show.Name.S02E05.mkv") && shown.contains("evidence"),
        "{shown}"
    );

    // accept: the conflicting file is S02E05 as its name says.
    let cid = conflict["id"].as_i64().unwrap().to_string();
    env.ok(&["review", "accept", &cid]);
    assert!(
        episodes(&env)
            .iter()
            .any(|e| e.0 == "Show Name" && e.2 == Some(2) && e.3 == Some(5))
    );
    // reject with a note
    let nid = item_for(&items, "DSC_0001.MOV")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    env.ok(&["review", "reject", &nid, "--note", "camera clip"]);
    // link to an existing episode
    let ep_id: i64 = env
        .conn()
        .query_row("SELECT e.id FROM episodes e JOIN seasons s ON s.id = e.season_id WHERE s.number = 1 AND e.number = 1", [], |r| r.get(0))
        .unwrap();
    let uid = item_for(&items, "Show.Name.Unnumbered.mkv")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let said = env.ok(&["review", "link", &uid, "--episode", &ep_id.to_string()]);
    assert!(said.contains("linked to Show Name S01E01"), "{said}");
    // --title links to a movie title; a show's title is refused with the reason.
    let films = pending(&env);
    let (p1, p2) = (
        films[0]["id"].as_i64().unwrap().to_string(),
        films[1]["id"].as_i64().unwrap().to_string(),
    );
    env.ok(&["review", "set", &p1, "--title", "Linked Film", "--movie"]);
    let movie: i64 = env
        .conn()
        .query_row(
            "SELECT id FROM titles WHERE name = 'Linked Film'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let show: i64 = env
        .conn()
        .query_row(
            "SELECT id FROM titles WHERE kind = 'show' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let out = env
        .shelf()
        .args(["review", "link", &p2, "--title", &show.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a show"));
    let said = env.ok(&["review", "link", &p2, "--title", &movie.to_string()]);
    assert!(said.contains("linked to Linked Film"), "{said}");
    let linked: i64 = env
        .conn()
        .query_row(
            "SELECT count(*) FROM title_assets WHERE title_id = ?1",
            [movie],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 2);
    env.ok(&["review", "undo"]);
    env.ok(&["review", "undo"]);
    assert_eq!(pending(&env).len(), films.len(), "both undone");
    let e1 = episodes(&env)
        .into_iter()
        .find(|e| e.2 == Some(1) && e.3 == Some(1))
        .unwrap();
    assert_eq!(e1.4.len(), 2, "two versions of S01E01 now: {e1:?}");
    // A decided item cannot be decided again; a missing one is a clear error.
    let out = env
        .shelf()
        .args(["review", "accept", &cid])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already resolved"));
    let out = env
        .shelf()
        .args(["review", "accept", "9999"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no review item"));

    // bulk accept: a dry run changes nothing; then the real one takes both films.
    let before = pending(&env).len();
    let said = env.ok(&[
        "review",
        "accept",
        "--all",
        "--min-confidence",
        "0.5",
        "--dry-run",
    ]);
    assert!(said.contains("dry run"), "{said}");
    assert_eq!(pending(&env).len(), before);
    let said = env.ok(&["review", "accept", "--all", "--min-confidence", "0.5"]);
    assert!(said.contains("accepted 2"), "{said}");
    let titles = env.json(&["export", "--what", "titles", "--format", "json"]);
    assert!(
        titles
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["title"] == "Some Film")
    );

    // undo reverts the newest decision, whatever it was: first the bulk accept...
    env.ok(&["review", "undo"]);
    let titles = env.json(&["export", "--what", "titles", "--format", "json"]);
    assert!(
        !titles
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["title"] == "Some Film"),
        "titles the bulk created are gone"
    );
    assert_eq!(pending(&env).len(), before);
    // ...then the link.
    env.ok(&["review", "undo"]);
    let e1 = episodes(&env)
        .into_iter()
        .find(|e| e.2 == Some(1) && e.3 == Some(1))
        .unwrap();
    assert_eq!(e1.4.len(), 1);
    assert!(pending(&env).iter().any(|i| {
        i["path"]
            .as_str()
            .unwrap()
            .ends_with("Show.Name.Unnumbered.mkv")
    }));

    // The lock: a changed file and a moved file keep a person's decision.
    std::fs::write(
        lib.join("Show Name/Season 3/Show.Name.S02E05.mkv"),
        bytes(7, 400),
    )
    .unwrap();
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["changed"], 1);
    assert!(
        episodes(&env)
            .iter()
            .any(|e| e.2 == Some(2) && e.3 == Some(5)),
        "accepted link survives a rescan"
    );
    assert!(
        !pending(&env)
            .iter()
            .any(|i| i["path"].as_str().unwrap().ends_with("S02E05.mkv")),
        "and is not asked again"
    );
    std::fs::rename(lib.join("dl/DSC_0001.MOV"), lib.join("dl/clip.MOV")).unwrap();
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["moved"], 1);
    assert!(
        !pending(&env)
            .iter()
            .any(|i| i["path"].as_str().unwrap().ends_with("clip.MOV")),
        "a rejected file stays rejected when moved"
    );
    let all = env.json(&["review", "list", "--json", "--status", "all"]);
    let rejected = all
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "rejected")
        .unwrap();
    assert!(rejected["path"].as_str().unwrap().ends_with("clip.MOV"));
    assert_eq!(rejected["note"], "camera clip");
    // The review export has the same rows.
    let exported = env.json(&["export", "--what", "review", "--format", "json"]);
    assert_eq!(
        exported.as_array().unwrap().len(),
        all.as_array().unwrap().len()
    );
}

#[test]
fn the_threshold_decides_between_linking_and_asking() {
    let env = Env::new();
    let lib = env.path("lib");
    put(&lib.join("Some Film.mkv"), &bytes(1, 300));
    env.scan_json(&[&lib]);
    assert_eq!(pending(&env).len(), 1);
    let env2 = Env::new();
    std::fs::write(
        &env2.config,
        "[identify]\nconfidence_threshold = 0.5\n[probe]\nffprobe = \"\"\n",
    )
    .unwrap();
    env2.scan_json(&[&lib]);
    assert!(pending(&env2).is_empty());
    assert_eq!(
        &env2.json(&["export", "--what", "titles", "--format", "json"])[0]["title"],
        "Some Film"
    );
}

#[test]
fn an_episode_shorter_than_min_episode_secs_is_asked_about() {
    // A real three-second Matroska file, named as a proper episode.
    let clip = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/chapters.mkv"),
    )
    .unwrap();
    let lib_of = |env: &Env| {
        let lib = env.path("lib");
        put(
            &lib.join("Show Name/Season 1/Show Name - S01E01.mkv"),
            &clip,
        );
        lib
    };
    let reasons = |env: &Env| -> Vec<String> {
        pending(env)
            .iter()
            .map(|i| i["reason"].as_str().unwrap().to_string())
            .collect()
    };
    let env = Env::new();
    let lib = lib_of(&env);
    env.scan_json(&[&lib]);
    assert_eq!(reasons(&env), vec!["too_short"], "the default is a minute");
    // The item says which episode the clip stands for, to decide on it.
    let id = pending(&env)[0]["id"].to_string();
    let shown = env.ok(&["review", "show", &id]);
    assert!(shown.contains("linked to:  Show Name S01E01"), "{shown}");
    let shown = env.json(&["review", "show", &id, "--json"]);
    assert_eq!(shown["linked"], serde_json::json!(["Show Name S01E01"]));

    let env = Env::new();
    std::fs::write(
        &env.config,
        "[identify]\nmin_episode_secs = 0\n[probe]\nffprobe = \"\"\n",
    )
    .unwrap();
    let lib = lib_of(&env);
    env.scan_json(&[&lib]);
    assert!(reasons(&env).is_empty(), "0 turns the check off");
    assert_eq!(episodes(&env).len(), 1, "and the episode is linked");
}

#[test]
fn siblings_and_known_titles_move_files_from_review_to_linked() {
    // Each of these goes to review when named alone; the scan names them with their folder
    // and the catalog's titles.
    let env = Env::new();
    let lib = env.path("lib");
    // A long series' numbers with only tags after them (a zero-padded or dashed number
    // would be sure alone).
    for n in 1089..=1092 {
        put(
            &lib.join(format!("Anime/Show.Name.{n}.1080p.WEB.mkv")),
            &bytes(n, 500),
        );
    }
    put(&lib.join("Later/Later S01E02.mkv"), &bytes(7, 500));
    put(&lib.join("Later/Later S01E03.mkv"), &bytes(8, 500));
    put(&lib.join("Later/101.mkv"), &bytes(9, 500));
    put(
        &lib.join("The 100/Season 1/The 100 - S01E01.mkv"),
        &bytes(10, 500),
    );
    let alone: Vec<f64> = [
        "Anime/Show.Name.1089.1080p.WEB.mkv",
        "Later/101.mkv",
        "incoming/the.100.109.mkv",
    ]
    .iter()
    .map(|p| shelf::identify::identify(p, shelf::identify::Hint::Mixed).confidence)
    .collect();
    assert!(
        alone.iter().all(|c| *c < 0.8),
        "named alone they need a person: {alone:?}"
    );

    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    assert!(pending(&env).is_empty(), "{:#?}", pending(&env));
    let eps = episodes(&env);
    let find = |title: &str, s: Option<i64>, e: i64| {
        eps.iter()
            .find(|x| x.0 == title && x.2 == s && x.3 == Some(e))
            .unwrap_or_else(|| panic!("no {title} {s:?}x{e} in {eps:#?}"))
    };
    // Numbered absolutely: one show, an episode per number.
    let anime = env.json(&["export", "--what", "episodes", "--format", "json"]);
    for n in 1089..=1092 {
        let row = anime
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["title"] == "Show Name" && r["absolute_episode"] == n)
            .unwrap_or_else(|| panic!("no Show Name #{n} in {anime:#}"));
        assert!(
            row["paths"][0]
                .as_str()
                .unwrap()
                .ends_with(&format!("Show.Name.{n}.1080p.WEB.mkv"))
        );
    }
    assert!(find("Later", Some(1), 1).4[0].ends_with("Later/101.mkv"));

    // A new file whose name only makes sense with a title the catalog has.
    put(&lib.join("incoming/the.100.109.mkv"), &bytes(11, 500));
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert!(pending(&env).is_empty(), "{:#?}", pending(&env));
    let eps = episodes(&env);
    let e9 = eps
        .iter()
        .find(|x| x.0 == "The 100" && x.2 == Some(1) && x.3 == Some(9))
        .unwrap_or_else(|| panic!("the.100.109 is not The 100 S01E09: {eps:#?}"));
    assert!(e9.4[0].ends_with("incoming/the.100.109.mkv"));
}

#[test]
fn older_catalogs_get_their_videos_identified_without_rereading() {
    let env = Env::new();
    let lib = env.path("lib");
    put(&lib.join("Heat (1995)/Heat (1995).mkv"), &bytes(1, 300));
    env.scan_json(&[&lib]);
    // As a catalog from before identification: no links, never identified.
    let c = env.conn();
    c.execute_batch(
        "DELETE FROM title_assets; DELETE FROM titles; UPDATE assets SET ident_confidence = NULL;",
    )
    .unwrap();
    let (_, v) = env.scan_json(&[]);
    assert_eq!(
        (
            v["unchanged"].as_u64(),
            v["bytes_hashed"].as_u64(),
            v["identified"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(
        env.json(&["export", "--what", "titles", "--format", "json"])[0]["title"],
        "Heat"
    );
}

#[test]
fn identify_reads_stdin_and_writes_exact_json_lines() {
    let env = Env::new();
    let input = "Show.Name.S01E01E02.720p.mkv\n[Group] Anime - 012 [1080p][ABCD1234].mkv\nDaily/2024-01-31.mkv\nMovies/Heat (1995)/Heat (1995)-trailer.mkv\nShow Name/Season 1/01.mkv\nSeries.S01-S03.Complete.mkv\n";
    let rows = identify_lines(&env, &["identify", "--kind", "shows"], input);
    assert_eq!(rows.len(), 6, "one line out per line in");
    let keys = [
        "input",
        "type",
        "title",
        "year",
        "season",
        "episode",
        "absolute_episode",
        "episode_title",
        "air_date",
        "extra",
        "confidence",
    ];
    for r in &rows {
        let o = r.as_object().unwrap();
        assert_eq!(o.len(), keys.len(), "exactly these keys: {r}");
        for k in keys {
            assert!(o.contains_key(k), "{k} missing in {r}");
        }
    }
    assert_eq!(rows[0]["input"], "Show.Name.S01E01E02.720p.mkv");
    assert_eq!(
        rows[0]["episode"],
        serde_json::json!([1, 2]),
        "a list for multi-episode files"
    );
    assert_eq!(rows[0]["season"], 1);
    assert_eq!(rows[1]["absolute_episode"], 12);
    assert_eq!(rows[2]["air_date"], "2024-01-31");
    assert_eq!(rows[3]["extra"], "trailer");
    assert_eq!(rows[3]["type"], Value::Null);
    assert_eq!(
        (rows[4]["title"].as_str(), rows[4]["episode"].as_i64()),
        (Some("Show Name"), Some(1))
    );
    assert_eq!(
        rows[5]["season"],
        serde_json::json!([1, 2, 3]),
        "a list for multi-season packs"
    );
    drop(env);
}

#[test]
fn identify_context_names_lines_of_one_folder_together() {
    let env = Env::new();
    let input = "Later/Later S01E02.mkv\nLater/101.mkv\nElsewhere/101.mkv\n";
    let run = |args: &[&str]| identify_lines(&env, args, input);
    let alone = run(&["identify"]);
    let together = run(&["identify", "--context"]);
    assert_eq!(together.len(), 3);
    // Alone, `101` is a guess (season 1 episode 1, or the 101st); beside an S01E02 it is
    // sure.
    let sure = |r: &Value| r["confidence"].as_f64().unwrap_or(0.0) >= 0.8;
    assert!(!sure(&alone[1]), "{:?}", alone[1]);
    assert!(sure(&together[1]), "{:?}", together[1]);
    assert_eq!(
        (
            &together[1]["season"],
            &together[1]["episode"],
            &together[1]["title"]
        ),
        (&Value::from(1), &Value::from(1), &Value::from("Later")),
        "{:?}",
        together[1]
    );
    // Another folder's 101.mkv is not named by these siblings, and the order is kept.
    assert_eq!(together[2]["input"], "Elsewhere/101.mkv");
    assert_eq!(together[2]["episode"], alone[2]["episode"]);
}

/// A duplicate whose content changes is a group of one again: canonical, and no longer
/// asked about; its twin stays canonical too.
#[test]
fn a_duplicate_that_changes_is_canonical_and_asked_about_no_more() {
    let env = Env::new();
    let lib = env.path("movies");
    put(&lib.join("Heat (1995)/Heat (1995).mkv"), &bytes(1, 900));
    env.scan_json(&[&lib]);
    std::fs::copy(
        lib.join("Heat (1995)/Heat (1995).mkv"),
        lib.join("Heat.1995.1080p.BluRay.x264-GRP.mkv"),
    )
    .unwrap();
    env.scan_json(&[]);
    let c = env.conn();
    let state = || -> (i64, i64) {
        let canonical: i64 = c
            .query_row(
                "SELECT sum(canonical) FROM assets WHERE size > 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let asked: i64 = c
            .query_row(
                "SELECT count(*) FROM review_items WHERE reason = 'duplicate_content' AND status = 'pending'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (canonical, asked)
    };
    assert_eq!(
        state(),
        (1, 1),
        "two copies: one canonical, one asked about"
    );
    // The copy becomes other content (a new mtime, so the scan reads it again).
    put(
        &lib.join("Heat.1995.1080p.BluRay.x264-GRP.mkv"),
        &bytes(9, 901),
    );
    env.scan_json(&[]);
    assert_eq!(state(), (2, 0), "two contents, each its own canonical copy");
}

/// Hard links are one file under two names (a download client links what it finished into
/// the library; `jdupes -L` turns copies into links): listed with the group but not counted
/// as extra copies, and never a question. Replacing a copy with a link settles its question.
#[test]
fn hard_links_are_one_file_not_duplicates() {
    let env = Env::new();
    let downloads = env.path("downloads");
    let media = env.path("media");
    let film = bytes(7, 5000);
    put(&downloads.join("Film.2001.mkv"), &film);
    std::fs::create_dir_all(&media).unwrap();
    std::fs::hard_link(
        downloads.join("Film.2001.mkv"),
        media.join("Film (2001).mkv"),
    )
    .unwrap();
    put(&media.join("Film (2001) copy.mkv"), &film);
    env.scan_json(&[&downloads, &media]);
    let dupes = |env: &Env| -> Vec<i64> {
        pending(env)
            .iter()
            .filter(|i| i["reason"] == "duplicate_content")
            .map(|i| i["asset_id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        dupes(&env).len(),
        1,
        "one question for the one extra file: {:?}",
        pending(&env)
    );
    let d = env.json(&["dupes", "--json"]);
    let copies = d[0]["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 3);
    let linked: Vec<&Value> = copies
        .iter()
        .filter(|c| !c["hard_link_of"].is_null())
        .collect();
    assert_eq!(linked.len(), 1, "{d}");
    assert!(
        linked[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("Film (2001).mkv")
            || linked[0]["path"]
                .as_str()
                .unwrap()
                .ends_with("Film.2001.mkv")
    );
    let human = env.ok(&["dupes"]);
    assert!(human.contains("hard link of #"), "{human}");
    assert!(human.contains("5.0 KB in extra copies"), "{human}");

    // The copy replaced by a link: nothing extra, nothing to ask.
    std::fs::remove_file(media.join("Film (2001) copy.mkv")).unwrap();
    std::fs::hard_link(
        downloads.join("Film.2001.mkv"),
        media.join("Film (2001) copy.mkv"),
    )
    .unwrap();
    env.scan_json(&[]);
    assert!(dupes(&env).is_empty(), "{:?}", pending(&env));
    let human = env.ok(&["dupes"]);
    assert!(human.contains("0 B in extra copies"), "{human}");
}

/// The assets export says which episode a file is when it has no season and episode
/// number: an anime's absolute number, a daily show's air date.
#[test]
fn the_assets_export_names_absolute_and_dated_episodes() {
    let env = Env::new();
    let tv = env.path("tv");
    put(
        &tv.join("Frieren/[Group] Frieren - 12 (1080p).mkv"),
        &bytes(1, 900),
    );
    put(
        &tv.join("The Daily Show/The.Daily.Show.2024.03.14.720p.mkv"),
        &bytes(2, 900),
    );
    // Guessed as shows from names alone (no SxxEyy in them), so both are linked.
    let added = env.ok(&["source", "add", tv.to_str().unwrap()]);
    assert!(added.contains("shows, guessed"), "{added}");
    env.scan_json(&[]);
    let rows = env.json(&["export", "--format", "json"]);
    let row = |end: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(end))
            .unwrap()
            .clone()
    };
    let anime = row("Frieren - 12 (1080p).mkv");
    assert_eq!(
        (&anime["title"], &anime["absolute_episode"]),
        (&serde_json::json!("Frieren"), &serde_json::json!(12)),
        "{anime}"
    );
    let daily = row("2024.03.14.720p.mkv");
    assert_eq!(daily["air_date"], "2024-03-14", "{daily}");
    let csv = env.ok(&["export", "--format", "csv"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains(",absolute_episode,air_date,")
    );
}

#[test]
fn an_episode_named_by_season_and_by_absolute_number_is_one_episode() {
    // Anime libraries name files `Show - S01E01 - 001 - Title`: the episode keeps its
    // absolute number, and a fansub's copy that gives only that number (in the same scan or
    // a later one) is a second file of the same episode, not a seasonless episode of its own.
    let env = Env::new();
    let lib = env.path("lib");
    let season = lib.join("Long Anime/Season 01");
    put(
        &season.join("Long Anime - S01E01 - 001 - Homecoming.mkv"),
        &bytes(1, 600),
    );
    put(
        &season.join("Long Anime - S01E02 - 002 - The Road.mkv"),
        &bytes(2, 600),
    );
    put(
        &lib.join("Long Anime/[Grp] Long Anime - 001 [1080p].mkv"),
        &bytes(3, 700),
    );
    // The other way round: the fansub's copy is cataloged first, a seasonless episode.
    put(
        &lib.join("Long Anime/[Grp] Long Anime - 003 [1080p].mkv"),
        &bytes(5, 700),
    );
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    put(
        &lib.join("Long Anime/[Grp] Long Anime - 002 [1080p].mkv"),
        &bytes(4, 700),
    );
    put(
        &season.join("Long Anime - S01E03 - 003 - The Sea.mkv"),
        &bytes(6, 600),
    );
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    assert!(pending(&env).is_empty(), "{:#?}", pending(&env));

    let eps = env.json(&["export", "--what", "episodes", "--format", "json"]);
    let rows = eps.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{eps:#}");
    for n in [1, 2, 3] {
        let row = rows
            .iter()
            .find(|r| r["season"] == 1 && r["episode"] == n)
            .unwrap_or_else(|| panic!("no S01E0{n} in {eps:#}"));
        assert_eq!(row["absolute_episode"], n, "{row:#}");
        let paths: Vec<&str> = row["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(paths.len(), 2, "{row:#}");
        assert!(
            paths
                .iter()
                .any(|p| p.ends_with(&format!("[Grp] Long Anime - 00{n} [1080p].mkv"))),
            "{row:#}"
        );
    }
}
