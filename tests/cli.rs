//! The CLI end to end: sources, path mappings, config, export formats, exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, library, put, text};
use serde_json::Value;

#[test]
fn sources_add_list_enable_disable_remove() {
    let env = Env::new();
    let shows = env.path("TV");
    put(&shows.join("Show/Season 1/Show.S01E01.mkv"), b"a");
    put(&shows.join("Show/Season 1/Show.S01E02.mkv"), b"b");
    let photos = env.path("Camera");
    put(&photos.join("2023/IMG_0001.jpg"), b"c");
    put(&photos.join("2023/IMG_0002.heic"), b"d");

    let out = env
        .shelf()
        .args(["source", "add"])
        .arg(&shows)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("shows, guessed"),
        "{}",
        text(&out.stdout)
    );
    let out = env
        .shelf()
        .args(["source", "add", "--name", "pics", "--kind", "photos"])
        .arg(&photos)
        .output()
        .unwrap();
    assert!(out.status.success());
    // The same folder twice, a taken name, a bad kind, a missing folder: refused, clearly.
    let out = env
        .shelf()
        .args(["source", "add"])
        .arg(&shows)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("already the source"));
    std::fs::create_dir_all(env.path("Elsewhere")).unwrap();
    let out = env
        .shelf()
        .args(["source", "add", "--name", "pics"])
        .arg(env.path("Elsewhere"))
        .output()
        .unwrap();
    assert!(
        text(&out.stderr).contains("exists already"),
        "{}",
        text(&out.stderr)
    );
    let out = env
        .shelf()
        .args(["source", "add", "--kind", "cartoons"])
        .arg(&shows)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("shows, movies, photos or mixed"));
    let out = env
        .shelf()
        .args(["source", "add"])
        .arg(env.path("nope"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = env
        .shelf()
        .args(["source", "list", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let tv = list.iter().find(|c| c["name"] == "TV").unwrap();
    assert_eq!(tv["kind"], "shows");
    assert_eq!(
        tv["enabled"], true,
        "a root added by hand is enabled at once"
    );
    assert_eq!(tv["root"], shows.to_str().unwrap());
    let pics = list.iter().find(|c| c["name"] == "pics").unwrap();
    assert_eq!(pics["kind"], "photos");

    // Disabled collections are left out of a scan of everything.
    let out = env
        .shelf()
        .args(["source", "disable", "pics"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["collections"].as_array().unwrap().len(), 1);
    assert_eq!(v["collections"][0]["name"], "TV");
    let out = env
        .shelf()
        .args(["source", "enable", "pics"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["collections"].as_array().unwrap().len(), 2);
    let out = env
        .shelf()
        .args(["source", "enable", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Remove is destructive for the catalog: without a terminal it needs --yes.
    let out = env
        .shelf()
        .args(["source", "remove", "TV"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--yes"));
    let out = env
        .shelf()
        .args(["source", "remove", "TV", "--dry-run"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("would forget"));
    assert_eq!(env.count("SELECT count(*) FROM assets"), 4);
    let out = env
        .shelf()
        .args(["source", "remove", "TV", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(env.count("SELECT count(*) FROM assets"), 2);
    assert!(
        shows.join("Show/Season 1/Show.S01E01.mkv").exists(),
        "files on disk are never touched"
    );
}

#[test]
fn a_scan_path_becomes_a_source_once() {
    let env = Env::new();
    let lib = env.path("Movies");
    put(&lib.join("Heat (1995)/Heat (1995).mkv"), b"m");
    put(&lib.join("Alien (1979)/Alien (1979).mkv"), b"n");
    env.scan_json(&[&lib]);
    env.scan_json(&[&lib]);
    let out = env
        .shelf()
        .args(["source", "list", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["kind"], "movies");
    assert_eq!(v[0]["enabled"], true);
}

#[test]
fn path_mappings_longest_prefix_and_the_three_answers() {
    let env = Env::new();
    let lib = env.path("media");
    library(&lib);
    let out = env
        .shelf()
        .args(["source", "add", "--name", "media"])
        .arg(&lib)
        .output()
        .unwrap();
    assert!(out.status.success());
    let tv = lib.join("Show Name");
    let add = |remote: &str, local: &std::path::Path| {
        env.shelf()
            .args(["map", "add", "media", remote])
            .arg(local)
            .output()
            .unwrap()
    };
    assert!(add(r"D:\Media", &lib).status.success());
    assert!(add("D:/Media/TV", &tv).status.success());
    // The local side must exist and be a readable folder.
    let out = add("/remote/x", &env.path("not-here"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("refused"),
        "{}",
        text(&out.stderr)
    );
    let out = add("/remote/y", &lib.join("notes.txt"));
    assert!(text(&out.stderr).contains("not a folder"));
    let out = env
        .shelf()
        .args(["map", "add", "nope", "/r"])
        .arg(&lib)
        .output()
        .unwrap();
    assert!(text(&out.stderr).contains("no collection"));

    let test = |p: &str| {
        let out = env
            .shelf()
            .args(["map", "test", "--json", p])
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_str::<Value>(&text(&out.stdout)).unwrap(),
        )
    };
    let (code, v) = test(r"D:\Media\TV\Season 1\Show.Name.S01E01.mkv");
    assert_eq!(code, 0);
    assert_eq!(
        v["rule"]["remote_prefix"], "D:/Media/TV",
        "the longest prefix wins"
    );
    assert_eq!(
        v["local"],
        tv.join("Season 1/Show.Name.S01E01.mkv").to_str().unwrap()
    );
    assert_eq!(v["exists"], true);
    let (code, v) = test("D:/Media/Movies/Heat (1995)/Heat (1995).mkv");
    assert_eq!((code, v["exists"].as_bool()), (0, Some(true)));
    let (code, v) = test("D:/Media/TVShows/x.mkv");
    assert_eq!(
        v["rule"]["remote_prefix"], "D:/Media",
        "only at a component boundary"
    );
    assert_eq!(
        (code, v["exists"].as_bool()),
        (1, Some(false)),
        "mapped but missing"
    );
    let (code, v) = test("/elsewhere/x.mkv");
    assert_eq!(
        (code, v["matched"].as_bool()),
        (3, Some(false)),
        "no mapping matched"
    );
    let out = env
        .shelf()
        .args(["map", "test", "/elsewhere/x.mkv"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("no mapping matched"));
    let out = env
        .shelf()
        .args(["map", "test", "D:/Media/gone.mkv"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("mapped but missing"));

    let out = env
        .shelf()
        .args(["map", "list", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let id = v[1]["id"].as_i64().unwrap();
    let out = env
        .shelf()
        .args(["map", "remove", &id.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = env
        .shelf()
        .args(["map", "remove", "media", r"D:\Media\"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = env
        .shelf()
        .args(["map", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout).trim(), "[]");
    let out = env.shelf().args(["map", "remove", "999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_default_path_and_broken_files() {
    let env = Env::new();
    let out = env.shelf().args(["config", "default"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), shelf::config::DEFAULT_TOML);
    let out = env
        .shelf()
        .args(["config", "path", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["db"], env.db.to_str().unwrap());
    assert_eq!(v["config"], env.config.to_str().unwrap());

    std::fs::write(&env.config, "[scan]\nbatch_size = \"many\"\n").unwrap();
    let out = env.shelf().args(["source", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(env.config.to_str().unwrap())
            && err.contains("batch_size")
            && err.contains("many"),
        "the error names the file, key and value: {err}"
    );
    std::fs::write(&env.config, "[scan]\nignroe = []\n").unwrap();
    let out = env.shelf().args(["source", "list"]).output().unwrap();
    assert!(
        text(&out.stderr).contains("ignroe"),
        "{}",
        text(&out.stderr)
    );
    // A key binding the UI cannot read fails every command, naming the file and the binding.
    for (bad, named) in [("fly = [\"z\"]", "fly"), ("quit = [\"ctrl-\"]", "ctrl-")] {
        std::fs::write(&env.config, format!("[keys]\n{bad}\n")).unwrap();
        let out = env.shelf().args(["source", "list"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(
            err.contains(named) && err.contains(env.config.to_str().unwrap()),
            "{err}"
        );
    }
    // A config file named explicitly must exist.
    let out = assert_cmd::Command::cargo_bin("shelf")
        .unwrap()
        .arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(env.path("missing.toml"))
        .args(["source", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.toml"));
}

#[test]
fn ignore_globs_from_the_config_apply() {
    let env = Env::new();
    let lib = env.path("lib");
    put(&lib.join("keep.mkv"), b"k");
    put(&lib.join("samples/sample.mkv"), b"s");
    put(&lib.join("x.nfo"), b"n");
    std::fs::write(
        &env.config,
        "[scan]\nignore = [\"**/samples\", \"**/*.nfo\"]\n",
    )
    .unwrap();
    let (code, v) = env.scan_json(&[&lib]);
    assert_ne!(code, 2, "{v}");
    assert_eq!(
        v["seen"], 1,
        "only keep.mkv: the folder and the extension are ignored"
    );
}

#[test]
fn export_has_every_key_in_every_format() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);
    let keys = [
        "path",
        "collection",
        "size",
        "mtime",
        "sha256",
        "kind",
        "first_seen",
        "last_seen",
        "missing_since",
        "has_errors",
        "error_message",
    ];
    let out = env
        .shelf()
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    for k in keys {
        assert!(rows[0].get(k).is_some(), "json lacks {k}");
    }
    let heat = rows
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("Heat (1995).mkv"))
        .unwrap();
    assert_eq!(
        heat["path"],
        lib.join("Movies/Heat (1995)/Heat (1995).mkv")
            .to_str()
            .unwrap()
    );
    assert_eq!(heat["collection"], "lib");
    assert_eq!(heat["size"], 5000);
    for t in ["mtime", "first_seen", "last_seen"] {
        let s = heat[t].as_str().unwrap();
        assert!(
            s.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            "{t} = {s}"
        );
    }
    let out = env
        .shelf()
        .args(["export", "--format", "jsonl", "--what", "assets"])
        .output()
        .unwrap();
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(lines, *rows);
    let out = env
        .shelf()
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    let csv = text(&out.stdout);
    let mut it = csv.lines();
    let header: Vec<&str> = it.next().unwrap().split(',').collect();
    for k in keys {
        assert!(header.contains(&k), "csv lacks {k}");
    }
    assert_eq!(it.count(), 8);
    // A closed pipe is not an error.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{:?} --db {:?} --config {:?} export --format jsonl | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin("shelf"),
            env.db,
            env.config
        ))
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout).trim(), "0", "{}", text(&out.stderr));
}

#[test]
fn bare_shelf_says_what_to_do() {
    let env = Env::new();
    let out = env.shelf().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("shelf --scan"));
    let out = env.shelf().arg("--help").output().unwrap();
    assert!(text(&out.stdout).contains("--scan"));
}

#[test]
fn completions_and_man_pages_describe_every_command() {
    let env = Env::new();
    for (shell, mark) in [
        ("bash", "_shelf()"),
        ("zsh", "#compdef shelf"),
        ("fish", "complete -c shelf"),
    ] {
        let out = env.shelf().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains(mark), "{shell}: {script}");
        assert!(
            script.contains("review") && script.contains("min-confidence"),
            "{shell}"
        );
    }
    let out = env.shelf().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );

    let out = env.shelf().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH shelf 1"),
        "{page}"
    );
    assert!(page.contains("Examples:"), "the page shows the examples");
    let dir = env.path("man");
    let out = env
        .shelf()
        .arg("man")
        .arg("--dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let set = std::fs::read_to_string(dir.join("shelf-review-set.1")).unwrap();
    assert!(
        set.contains("Example:") && set.contains("\\-\\-episode"),
        "{set}"
    );
    // Neither needs a config or a catalog: they describe the binary.
    assert!(!env.db.exists());

    let out = env
        .shelf()
        .args(["review", "accept", "--help"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("Example:\n  shelf review accept 12"));
}

/// A reader that goes away early (`shelf status | head`) ends a command quietly with
/// success, not with a panic about a broken pipe.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);
    for args in [
        "status",
        "status --json",
        "source list",
        "review list",
        "map list",
        "dupes",
    ] {
        // `true` reads nothing and is gone before shelf has opened its catalog.
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "{:?} --db {:?} --config {:?} {args} | true; echo ${{PIPESTATUS[0]}}",
                assert_cmd::cargo::cargo_bin("shelf"),
                env.db,
                env.config
            ))
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(text(&out.stdout).trim(), "0", "{args}: {err}");
        assert!(!err.contains("panicked"), "{args}: {err}");
    }
}
