//! Scanning real temp-dir trees through the real binary and the library: counts, moves,
//! missing and back, offline roots, nasty names, unreadable files, dry runs, heartbeats.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Env, bytes, library, put};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn sha(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Runs shelf with `args` then `path`, which it must refuse (exit 2); its stderr.
fn refused(env: &Env, args: &[&str], path: &Path) -> String {
    let out = env.shelf().args(args).arg(path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?} {path:?}: {err}");
    err
}

fn n(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("no {k} in {v}"))
}

#[test]
fn first_scan_catalogs_every_file_and_the_summary_has_every_key() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    for k in [
        "changeset",
        "status",
        "seen",
        "new",
        "changed",
        "unchanged",
        "moved",
        "missing",
        "bytes_hashed",
        "duration_ms",
        "errors",
        "collections",
    ] {
        assert!(v.get(k).is_some(), "summary lacks {k}: {v}");
    }
    assert_eq!(v["status"], "completed");
    assert_eq!((n(&v, "seen"), n(&v, "new")), (8, 8));
    assert!(v["errors"].as_array().unwrap().is_empty());
    let col = &v["collections"][0];
    for k in [
        "name",
        "root",
        "offline",
        "seen",
        "new",
        "changed",
        "unchanged",
        "moved",
        "missing",
    ] {
        assert!(col.get(k).is_some(), "collection lacks {k}: {col}");
    }
    assert_eq!(col["root"], lib.to_str().unwrap());
    assert_eq!(col["offline"], false);

    let c = env.conn();
    let kinds: Vec<(String, String, String)> = c
        .prepare("SELECT CAST(rel_path AS TEXT), kind, sha256 FROM assets ORDER BY rel_path")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kind_of = |p: &str| kinds.iter().find(|k| k.0 == p).unwrap().1.clone();
    assert_eq!(kind_of("Show Name/Season 1/Show.Name.S01E01.mkv"), "video");
    assert_eq!(kind_of("Movies/Heat (1995)/Heat (1995).en.srt"), "subtitle");
    assert_eq!(kind_of("Photos/IMG_20231225_123456.jpg"), "image");
    assert_eq!(kind_of("Music/song.flac"), "audio");
    assert_eq!(kind_of("notes.txt"), "other");
    let heat = kinds
        .iter()
        .find(|k| k.0.ends_with("Heat (1995).mkv"))
        .unwrap();
    assert_eq!(heat.2, sha(&bytes(4, 5000)));
    // The scan is a changeset with its statistics.
    let (status, stats): (String, String) = c
        .query_row(
            "SELECT status, stats FROM changesets WHERE id = ?1",
            [n(&v, "changeset") as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(status, "completed");
    let stats: Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["new"], 8);
    // Rows written by a scan (without SQLite testing them) keep every table's CHECK rules.
    env.ok(&["db", "check"]);
}

#[test]
fn a_second_scan_changes_nothing() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);
    type Row = (i64, Vec<u8>, i64, i64, Option<String>, Option<i64>, String);
    let rows = |env: &Env| -> Vec<Row> {
        let c = env.conn();
        let mut st = c
            .prepare(
                "SELECT id, rel_path, size, mtime_ns, sha256, updated_changeset_id, first_seen
                 FROM assets ORDER BY id",
            )
            .unwrap();
        st.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let before = rows(&env);
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(n(&v, "unchanged"), 8);
    for k in ["new", "changed", "moved", "missing", "bytes_hashed"] {
        assert_eq!(n(&v, k), 0, "{k} in {v}");
    }
    assert_eq!(
        rows(&env),
        before,
        "an unchanged tree must leave every row as it was"
    );
}

/// A video whose content changed in place keeps its name, so the catalog's reading of it
/// stands: it is hashed and probed again, not named again, and its link is not rewritten.
#[test]
fn a_video_changed_in_place_is_not_named_again() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);
    let link = |env: &Env| -> (i64, i64, i64, String) {
        env.conn()
            .query_row(
                "SELECT ea.episode_id, ea.changeset_id, a.updated_changeset_id, a.sha256
                 FROM episode_assets ea JOIN assets a ON a.id = ea.asset_id
                 WHERE a.rel_path = CAST('Show Name/Season 1/Show.Name.S01E01.mkv' AS BLOB)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    };
    let before = link(&env);
    put(
        &lib.join("Show Name/Season 1/Show.Name.S01E01.mkv"),
        &bytes(77, 333),
    );

    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(n(&v, "changed"), 1, "{v}");
    assert_eq!(n(&v, "identified"), 0, "{v}");
    let after = link(&env);
    assert_eq!(
        (after.0, after.1),
        (before.0, before.1),
        "the link stands as written"
    );
    assert!(
        after.2 > before.2,
        "the row itself was rewritten: {after:?}"
    );
    assert_ne!(after.3, before.3, "with the new content's hash");
}

#[test]
fn changed_files_are_rehashed_and_moves_keep_their_identity() {
    let env = Env::new();
    let lib = env.path("lib");
    let other = env.path("other");
    library(&lib);
    put(&other.join("keep.mkv"), &bytes(9, 100));
    env.scan_json(&[&lib, &other]);
    let id_of = |env: &Env, rel: &str| -> i64 {
        env.conn()
            .query_row(
                "SELECT id FROM assets WHERE rel_path = CAST(?1 AS BLOB)",
                [rel],
                |r| r.get(0),
            )
            .unwrap()
    };
    let heat = id_of(&env, "Movies/Heat (1995)/Heat (1995).mkv");
    let e1 = id_of(&env, "Show Name/Season 1/Show.Name.S01E01.mkv");
    // A person's data hangs off the asset id: it must survive the move.
    env.conn()
        .execute(
            "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
             VALUES (?1, 'avail', 1000, 2000, 'manual', 'x', 'x')",
            [heat],
        )
        .unwrap();

    // Rename within the collection, move to another collection, change one file.
    std::fs::rename(
        lib.join("Movies/Heat (1995)/Heat (1995).mkv"),
        lib.join("Movies/Heat (1995)/Heat.1995.1080p.mkv"),
    )
    .unwrap();
    std::fs::rename(
        lib.join("Show Name/Season 1/Show.Name.S01E01.mkv"),
        other.join("S01E01.mkv"),
    )
    .unwrap();
    std::fs::write(lib.join("notes.txt"), b"longer notes now").unwrap();

    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(n(&v, "moved"), 2, "{v}");
    assert_eq!(n(&v, "changed"), 1);
    assert_eq!(n(&v, "new"), 0);
    assert_eq!(n(&v, "missing"), 0);
    assert_eq!(id_of(&env, "Movies/Heat (1995)/Heat.1995.1080p.mkv"), heat);
    assert_eq!(id_of(&env, "S01E01.mkv"), e1);
    let (col,): (String,) = env
        .conn()
        .query_row(
            "SELECT c.name FROM assets a JOIN collections c ON c.id = a.collection_id WHERE a.id = ?1",
            [e1],
            |r| Ok((r.get(0)?,)),
        )
        .unwrap();
    assert_eq!(col, "other");
    assert_eq!(env.count("SELECT count(*) FROM markers WHERE asset_id = (SELECT id FROM assets WHERE rel_path = CAST('Movies/Heat (1995)/Heat.1995.1080p.mkv' AS BLOB))"), 1);
    assert_eq!(env.count("SELECT count(*) FROM assets"), 9);
    let notes: String = env
        .conn()
        .query_row(
            "SELECT sha256 FROM assets WHERE rel_path = CAST('notes.txt' AS BLOB)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notes, sha(b"longer notes now"));
}

#[test]
fn gone_files_are_marked_missing_never_deleted_and_clear_when_back() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);
    let song = lib.join("Music/song.flac");
    let saved = std::fs::read(&song).unwrap();
    std::fs::remove_file(&song).unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(n(&v, "missing"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM assets"),
        8,
        "nothing is deleted"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL AND rel_path = CAST('Music/song.flac' AS BLOB)"),
        1
    );
    // A rescan does not count it again.
    let (_, v) = env.scan_json(&[]);
    assert_eq!(n(&v, "missing"), 0);
    // Back (same content, new mtime): present again, same row.
    std::fs::write(&song, &saved).unwrap();
    let (_, v) = env.scan_json(&[]);
    assert_eq!(n(&v, "returned"), 1, "{v}");
    assert_eq!(n(&v, "new"), 0);
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        0
    );
    assert_eq!(env.count("SELECT count(*) FROM assets"), 8);
}

#[test]
fn an_offline_root_marks_nothing_missing() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);

    // The disk is gone: the root folder no longer exists.
    let away = env.path("lib-away");
    std::fs::rename(&lib, &away).unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(
        code, 1,
        "an offline collection is worth a non-zero exit: {v}"
    );
    assert_eq!(v["status"], "partial");
    assert_eq!(v["collections"][0]["offline"], true);
    assert!(
        v["collections"][0]["offline_reason"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
    assert_eq!(n(&v, "missing"), 0);
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        0
    );
    let out = env.shelf().args(["source", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("OFFLINE"));

    // The mount point is there but empty (disk not mounted).
    std::fs::create_dir(&lib).unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(v["collections"][0]["offline"], true);
    assert!(
        v["collections"][0]["offline_reason"]
            .as_str()
            .unwrap()
            .contains("empty"),
        "{v}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        0
    );

    // Back online: nothing missing, nothing new, and the state says online.
    std::fs::remove_dir(&lib).unwrap();
    std::fs::rename(&away, &lib).unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["collections"][0]["offline"], false);
    assert_eq!(
        (n(&v, "unchanged"), n(&v, "new"), n(&v, "missing")),
        (8, 0, 0)
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM collections WHERE ingestible = 1 AND offline_reason IS NULL"
        ),
        1
    );
}

#[test]
fn a_nasty_tree_is_cataloged_exactly_and_every_problem_is_named() {
    let env = Env::new();
    let lib = env.path("lib");
    put(&lib.join("ok.mkv"), &bytes(1, 100));
    let bad_name = lib.join(std::ffi::OsStr::from_bytes(b"caf\xe9 \xff.mkv"));
    put(&bad_name, &bytes(2, 50));
    let ctl_name = lib.join(std::ffi::OsStr::from_bytes(
        b"evil\x1b]0;pwned\x07\x1b[2J.mkv",
    ));
    put(&ctl_name, &bytes(3, 50));
    put(&lib.join("empty.mkv"), b"");
    put(&lib.join(".hidden/secret.mkv"), b"x");
    put(&lib.join(".DS_Store"), b"x");
    put(&lib.join("@eaDir/thumb.jpg"), b"x");
    put(&lib.join("partial.mkv.part"), b"x");
    put(&lib.join("will-vanish.mkv"), &bytes(4, 70));
    std::os::unix::fs::symlink(".", lib.join("loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.mkv", lib.join("broken.mkv")).unwrap();
    std::os::unix::fs::symlink("ok.mkv", lib.join("alias.mkv")).unwrap();
    let fifo = lib.join("a.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );

    // Run through the library so the file can vanish exactly between walk and hash.
    let col = env.add_collection("lib", &lib, shelf::model::CollectionKind::Mixed);
    let vanish = lib.join("will-vanish.mkv");
    // Pinned without ffprobe, installed or not, so the warning below is the same everywhere.
    let mut req = env.scan_request(vec![col]);
    req.after_walk = Some(Box::new(move || std::fs::remove_file(&vanish).unwrap()));
    let report = shelf::worker::run_scan(&req).unwrap();
    assert_eq!(report.status, "completed");
    assert_eq!(report.exit_code(), 1, "per-file problems make exit 1");
    let reasons: Vec<(String, String)> = report
        .errors
        .iter()
        .map(|e| (e.path.clone(), e.reason.clone()))
        .collect();
    let has = |frag: &str, why: &str| {
        assert!(
            reasons
                .iter()
                .any(|(p, r)| p.contains(frag) && r.contains(why)),
            "no problem {why:?} for {frag:?} in {reasons:#?}"
        )
    };
    has("will-vanish.mkv", "vanished");
    has("broken.mkv", "broken symbolic link");
    has("empty.mkv", "empty");
    has("caf", "not valid UTF-8");
    has("evil", "control characters");
    assert_eq!(
        report.counts.skipped, 2,
        "the FIFO and the loop are passed over"
    );

    let assets = env.assets();
    let names: Vec<Vec<u8>> = assets.iter().map(|a| a.0.clone()).collect();
    let want: Vec<Vec<u8>> = vec![
        b"alias.mkv".to_vec(),
        b"caf\xe9 \xff.mkv".to_vec(),
        b"empty.mkv".to_vec(),
        b"evil\x1b]0;pwned\x07\x1b[2J.mkv".to_vec(),
        b"ok.mkv".to_vec(),
    ];
    assert_eq!(
        names, want,
        "exact bytes, nothing hidden, ignored, special or looped"
    );
    let flagged = env.count("SELECT count(*) FROM assets WHERE has_errors = 1");
    assert_eq!(flagged, 3, "bad name, control characters, empty");
    assert_eq!(
        env.count("SELECT count(*) FROM changeset_errors"),
        reasons.len() as i64,
        "every per-file problem, and nothing that is no file's fault"
    );
    // ffprobe missing is a warning of the scan, not a problem of a file.
    assert!(
        report.warnings.iter().any(|w| w.contains("ffprobe")),
        "{:?}",
        report.warnings
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM changeset_warnings WHERE message LIKE '%ffprobe%' AND path = X''"
        ),
        1
    );

    // The export keeps the non-UTF-8 path exactly (hex) and escapes control characters.
    let out = env
        .shelf()
        .args(["export", "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "raw escape in export");
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let bad = rows.iter().find(|r| !r["path_hex"].is_null()).unwrap();
    let exact = shelf::paths::decode_hex(bad["path_hex"].as_str().unwrap()).unwrap();
    assert_eq!(exact, bad_name.as_os_str().as_bytes());
    // The human summary never prints a raw control character either.
    let out = env.shelf().arg("--scan").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\x1b'));
    // Rows written by scans (without SQLite testing them) keep every table's CHECK rules.
    env.ok(&["db", "check"]);
}

#[test]
fn unreadable_files_and_folders_are_recorded_and_protected() {
    let env = Env::new();
    let lib = env.path("lib");
    put(&lib.join("open.mkv"), &bytes(1, 100));
    put(&lib.join("locked/inside.mkv"), &bytes(2, 100));
    put(&lib.join("secret.mkv"), &bytes(3, 100));
    // Everything must be reachable by the unprivileged user the binary may run as.
    for p in [env.dir.path(), &lib, &lib.join("locked")] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let run = |env: &Env| -> (i32, Value) {
        let mut c = env.shelf();
        if common::is_root() {
            // Root reads through permission bits: run as `nobody` so they bite.
            let prog = c.get_program().to_owned();
            let args: Vec<_> = c.get_args().map(|a| a.to_owned()).collect();
            c = assert_cmd::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(prog)
                .args(args);
            c.env("HOME", env.dir.path())
                .env("XDG_STATE_HOME", env.dir.path().join("state"));
        }
        let out = c.args(["--scan", "--json"]).arg(&lib).output().unwrap();
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!("no JSON; stderr: {}", String::from_utf8_lossy(&out.stderr))
        });
        (out.status.code().unwrap(), v)
    };
    if common::is_root() {
        // The catalog and its folder must be writable by that user too.
        let (code, _) = run(&env);
        assert_eq!(code, 0);
        std::process::Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(env.dir.path())
            .status()
            .unwrap();
    } else {
        run(&env);
    }
    std::fs::set_permissions(
        lib.join("secret.mkv"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::set_permissions(lib.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // Changing the file's mtime forces a re-read, which now fails.
    std::fs::write(lib.join("secret.mkv"), bytes(4, 100)).unwrap();

    let (code, v) = run(&env);
    std::fs::set_permissions(lib.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1, "{v}");
    let errs = v["errors"].as_array().unwrap();
    assert!(
        errs.iter()
            .any(|e| e["path"].as_str().unwrap().ends_with("/locked")
                && e["reason"].as_str().unwrap().contains("permission denied")),
        "{v}"
    );
    assert!(
        errs.iter()
            .any(|e| e["path"].as_str().unwrap().ends_with("secret.mkv")
                && e["reason"].as_str().unwrap().contains("permission denied")),
        "{v}"
    );
    assert_eq!(
        n(&v, "missing"),
        0,
        "an unreadable folder is not a deleted one"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        0
    );
    let (errs, sha): (i64, Option<String>) = env
        .conn()
        .query_row(
            "SELECT has_errors, sha256 FROM assets WHERE rel_path = CAST('secret.mkv' AS BLOB)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((errs, sha), (1, None));
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    // No catalog yet: a dry run must not create one.
    let out = env
        .shelf()
        .args(["--scan", "--json", "--dry-run"])
        .arg(&lib)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            n(&v, "new"),
            v["dry_run"].as_bool(),
            v["changeset"].is_null()
        ),
        (8, Some(true), true)
    );
    assert!(!env.db.exists(), "dry run created the catalog");

    env.scan_json(&[&lib]);
    let before = env.assets();
    let changesets = env.count("SELECT count(*) FROM changesets");
    std::fs::rename(lib.join("Music/song.flac"), lib.join("song-moved.flac")).unwrap();
    std::fs::remove_file(lib.join("notes.txt")).unwrap();
    put(&lib.join("new.mkv"), &bytes(77, 10));
    let out = env
        .shelf()
        .args(["--scan", "--json", "--dry-run"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (n(&v, "new"), n(&v, "moved"), n(&v, "missing")),
        (1, 1, 1),
        "{v}"
    );
    assert_eq!(env.assets(), before);
    assert_eq!(env.count("SELECT count(*) FROM changesets"), changesets);
}

#[test]
fn scans_write_heartbeats_and_prune_old_history() {
    let env = Env::new();
    let lib = env.path("lib");
    library(&lib);
    env.scan_json(&[&lib]);
    env.conn()
        .execute(
            "INSERT INTO service_status_history (service, status, heartbeat_at)
             VALUES ('scanner', 'OK', '2001-01-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
    env.scan_json(&[]);
    assert_eq!(
        env.count("SELECT count(*) FROM service_status_history WHERE heartbeat_at < '2002'"),
        0,
        "history past the retention period is pruned"
    );
    assert!(
        env.count("SELECT count(*) FROM service_status_history WHERE service = 'scanner'") >= 4
    );
    let out = env.shelf().args(["status", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["services"][0];
    assert_eq!(s["service"], "scanner");
    assert_eq!(s["status"], "OK");
    assert_eq!(s["freshness"], "green");
    assert!(s["age_secs"].as_i64().unwrap() < 60);
    assert!(s["current_task"].as_str().unwrap().contains("idle"));
    assert_eq!(v["scan_running"], false);
    assert_eq!(v["changesets"][0]["kind"], "scan");
    assert_eq!(v["changesets"][0]["status"], "completed");
    let human = env.shelf().arg("status").output().unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("scanner") && text.contains("green") && text.contains("completed"),
        "{text}"
    );
}

#[test]
fn scans_that_cannot_run_exit_2_with_a_reason() {
    let env = Env::new();
    let out = env.shelf().arg("--scan").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no enabled sources"));
    let err = refused(&env, &["--scan"], &env.path("does-not-exist"));
    assert!(err.contains("not a folder"));
    assert!(!Path::new(&env.path("does-not-exist")).exists());
}

/// A folder that holds a source, or lies inside one, is not added as a source of its own:
/// each of its files would be cataloged twice (and every one reported as a duplicate of
/// itself). The refusal says why and what to do; nothing is added or scanned. A sibling
/// whose name starts alike is no overlap.
#[test]
fn overlapping_sources_are_refused_before_anything_is_cataloged_twice() {
    let env = Env::new();
    let media = env.path("media");
    library(&media.join("TV"));
    put(&media.join("TV2/Other.Show.S01E01.mkv"), &bytes(90, 1000));
    put(&media.join("Movies/Film (2001).mkv"), &bytes(91, 1000));
    let (code, v) = env.scan_json(&[&media.join("TV")]);
    assert_eq!(code, 0, "{v}");
    let files = env.count("SELECT count(*) FROM assets");
    for (path, says) in [
        (media.clone(), "holds the source(s) \"TV\""),
        (media.join("TV/Show Name"), "is inside the source \"TV\""),
        (media.join("TV/"), "already the source"),
    ] {
        assert!(refused(&env, &["source", "add"], &path).contains(says));
    }
    assert!(refused(&env, &["--scan"], &media).contains("holds the source(s) \"TV\""));
    // Its own root again scans it.
    let (code, v) = env.scan_json(&[&media.join("TV/")]);
    assert_eq!((code, n(&v, "new")), (0, 0), "{v}");
    assert_eq!(env.count("SELECT count(*) FROM collections"), 1);
    assert_eq!(env.count("SELECT count(*) FROM assets"), files);
    // Beside it, not in it.
    let (code, v) = env.scan_json(&[&media.join("TV2")]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(n(&v, "new"), 1);
}

/// A folder inside a source is scanned alone (what a download manager's import hook asks
/// for): files under it are found and can go missing; the rest of the source is neither
/// read nor marked missing. A hidden or ignored folder, which a scan of the source passes
/// over, is refused.
#[test]
fn a_folder_inside_a_source_is_scanned_alone() {
    let env = Env::new();
    let tv = env.path("TV");
    library(&tv);
    env.scan_json(&[&tv]);
    let season = tv.join("Show Name/Season 1");
    put(&season.join("Show.Name.S01E03.mkv"), &bytes(80, 2000));
    std::fs::remove_file(season.join("Show.Name.S01E02.mkv")).unwrap();
    std::fs::remove_file(tv.join("Show Name/Season 2/Show.Name.S02E01.mkv")).unwrap();
    let (code, v) = env.scan_json(&[&season]);
    assert_eq!(code, 0, "{v}");
    assert_eq!((n(&v, "new"), n(&v, "missing")), (1, 1), "{v}");
    assert_eq!(v["collections"][0]["within"], "Show Name/Season 1", "{v}");
    let missing = |rel: &str| {
        env.count(&format!(
            "SELECT count(*) FROM assets WHERE missing_since IS NOT NULL
               AND CAST(rel_path AS TEXT) = '{rel}'"
        ))
    };
    assert_eq!(missing("Show Name/Season 1/Show.Name.S01E02.mkv"), 1);
    assert_eq!(
        missing("Show Name/Season 2/Show.Name.S02E01.mkv"),
        0,
        "outside: not looked at"
    );
    assert_eq!(env.count("SELECT count(*) FROM collections"), 1);
    // The whole source then finds the rest.
    let (_, v) = env.scan_json(&[&tv]);
    assert_eq!((n(&v, "new"), n(&v, "missing")), (0, 1), "{v}");
    // Two folders of one source: the folder holding both.
    let (_, v) = env.scan_json(&[&season, &tv.join("Show Name/Season 2")]);
    assert_eq!(v["collections"][0]["within"], "Show Name", "{v}");
    // A show's folder renamed, then scanned under its new name: its files are moves (their
    // identity kept), not new copies of files the catalog still lists.
    std::fs::rename(tv.join("Show Name"), tv.join("Show Name (2019)")).unwrap();
    let (_, v) = env.scan_json(&[&tv.join("Show Name (2019)")]);
    assert_eq!(
        (n(&v, "new"), n(&v, "moved"), n(&v, "missing")),
        (0, 2, 0),
        "{v}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM review_items WHERE reason = 'duplicate_content'"),
        0
    );
    // A folder emptied, then scanned: its files are gone (the source's root is there, as a
    // scan of the whole would find), not its disk.
    let emptied = tv.join("Show Name (2019)/Season 1");
    for f in std::fs::read_dir(&emptied).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    let (code, v) = env.scan_json(&[&emptied]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["collections"][0]["offline"], false, "{v}");
    assert_eq!(n(&v, "missing"), 2, "{v}");
    // Passed over by a scan of the source: refused.
    std::fs::create_dir_all(tv.join(".trash")).unwrap();
    assert!(refused(&env, &["--scan"], &tv.join(".trash")).contains("passes over it"));
}

/// A library whose large files are cataloged, named and probed before any is read whole; a
/// scan canceled right then has every file listed and identified, the large ones with their
/// hash pending (said by the report and by `shelf status`); the next scan reads those hashes
/// and changes nothing else.
#[test]
fn a_scan_canceled_before_its_hashes_resumes_them_next_time() {
    let env = Env::new();
    let lib = env.path("TV");
    let mut contents = Vec::new();
    for e in 1..=4u64 {
        let body = bytes(e, 300_000 + e as usize);
        put(
            &lib.join(format!("Show Name/Season 1/Show Name - S01E0{e}.mkv")),
            &body,
        );
        contents.push(body);
    }
    put(
        &lib.join("Show Name/Season 1/Show Name - S01E05.mkv"),
        &bytes(5, 900),
    );
    let col = env.add_collection("TV", &lib, shelf::model::CollectionKind::Shows);
    let mut req = env.scan_request(vec![col]);
    let stop = req.cancel.clone();
    req.before_hashing = Some(Box::new(move || {
        stop.store(true, std::sync::atomic::Ordering::Relaxed)
    }));
    let report = shelf::worker::run_scan(&req).unwrap();
    assert_eq!(report.status, "canceled");
    assert_eq!(report.counts.new, 5);
    assert_eq!(report.counts.hash_pending, 4);
    assert_eq!(
        report.counts.files_hashed, 1,
        "only the small file was read whole"
    );
    // Every file is listed and named; the large ones wait for their hash.
    assert_eq!(env.count("SELECT count(*) FROM assets"), 5);
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE ident_confidence IS NOT NULL"),
        5
    );
    assert_eq!(env.count("SELECT count(*) FROM episode_assets"), 5);
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE sha256 IS NULL AND fingerprint IS NOT NULL"),
        4
    );
    let status = env.json(&["status", "--json"]);
    assert_eq!(status["hash_pending"]["files"], 4, "{status}");
    assert!(
        env.ok(&["status"]).contains("4 large file(s)"),
        "status says what waits"
    );

    // The next scan reads the four hashes and nothing else changes.
    let links_before = env.count("SELECT count(*) FROM episode_assets");
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(n(&v, "unchanged"), 5, "{v}");
    for k in ["new", "changed", "moved", "missing", "hash_pending"] {
        assert_eq!(n(&v, k), 0, "{k}: {v}");
    }
    assert_eq!(n(&v, "files_hashed"), 4, "{v}");
    let hashes: Vec<String> = {
        let c = env.conn();
        let mut st = c
            .prepare("SELECT sha256 FROM assets WHERE size > 1000 ORDER BY rel_path")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let want: Vec<String> = contents.iter().map(|b| sha(b)).collect();
    assert_eq!(hashes, want);
    assert_eq!(
        env.count("SELECT count(*) FROM episode_assets"),
        links_before
    );
    assert_eq!(env.json(&["status", "--json"])["hash_pending"]["files"], 0);
}

/// A large file moved while its hash was pending is recognised by its fingerprint: the
/// asset keeps its id, and its hash is read where it is now.
#[test]
fn a_file_moved_before_its_hash_was_read_is_found_by_its_fingerprint() {
    let env = Env::new();
    let lib = env.path("TV");
    let body = bytes(77, 500_000);
    put(&lib.join("Show/Season 1/Show - S01E01.mkv"), &body);
    let mut config = std::fs::read_to_string(&env.config).unwrap();
    config.push_str("[scan]\nhash = \"fingerprint\"\n");
    std::fs::write(&env.config, config).unwrap();
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(n(&v, "hash_pending"), 1, "fingerprint only: {v}");
    let id = env.count("SELECT id FROM assets");
    std::fs::create_dir_all(lib.join("Show/Season 01")).unwrap();
    std::fs::rename(
        lib.join("Show/Season 1/Show - S01E01.mkv"),
        lib.join("Show/Season 01/Show - S01E01.mkv"),
    )
    .unwrap();
    // Back to full hashes: the move is found by fingerprint, then the hash is read.
    std::fs::write(&env.config, "[probe]\nffprobe = \"\"\n").unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (n(&v, "moved"), n(&v, "new"), n(&v, "missing")),
        (1, 0, 0),
        "{v}"
    );
    assert_eq!(env.count("SELECT id FROM assets"), id, "the same asset");
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM assets WHERE sha256 = '{}' AND CAST(rel_path AS TEXT) LIKE '%Season 01%'",
            sha(&body)
        )),
        1
    );
}

/// What a scan and `shelf status` say of hashes left to read follows `scan.hash`: with
/// "fingerprint" no next scan reads them, and neither says one will.
#[test]
fn hashes_left_to_read_are_said_to_wait_for_what_reads_them() {
    let env = Env::new();
    let lib = env.path("Movies");
    put(
        &lib.join("Film (2001)/Film (2001).mkv"),
        &bytes(78, 500_000),
    );
    let full = std::fs::read_to_string(&env.config).unwrap();
    std::fs::write(
        &env.config,
        format!("{full}[scan]\nhash = \"fingerprint\"\n"),
    )
    .unwrap();
    let lib_arg = lib.to_str().unwrap();
    for out in [
        env.ok(&["--scan", lib_arg]),
        env.ok(&["--scan"]),
        env.ok(&["status"]),
    ] {
        assert!(
            out.contains(r#"only a scan with scan.hash = "full" reads it"#)
                && !out.contains("the next scan reads it"),
            "{out}"
        );
    }
    assert_eq!(env.json(&["status", "--json"])["hash_pending"]["files"], 1);
    // With full hashes again, the next scan is the one.
    std::fs::write(&env.config, &full).unwrap();
    let out = env.ok(&["status"]);
    assert!(out.contains("the next scan reads it"), "{out}");
    env.ok(&["--scan"]);
    assert!(env.ok(&["status"]).contains("every file's is known"));
}
