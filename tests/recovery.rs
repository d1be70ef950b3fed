//! A scan under stress, through the real binary: killed with SIGKILL mid-scan and converging
//! on the next run; canceled with SIGINT; a second scan refused; readers working meanwhile.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{Env, bytes, put, text};
use serde_json::Value;

/// Many small files first (they are hashed and written early), then big ones that keep the
/// scan busy long enough to be interrupted. Big enough for an optimised build too.
fn slow_tree(root: &Path) -> usize {
    for i in 0..1500u64 {
        put(
            &root.join(format!("a-small/{:02}/file{i:04}.mkv", i % 40)),
            &bytes(i, 512 + (i as usize % 700)),
        );
    }
    let big_mb = if cfg!(debug_assertions) { 40 } else { 600 };
    for i in 0..4u64 {
        put(
            &root.join(format!("zz-big/big{i}.mkv")),
            &bytes(1000 + i, big_mb << 20),
        );
    }
    1504
}

fn spawn_scan(env: &Env, args: &[&str]) -> Child {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("shelf"));
    c.arg("--db").arg(&env.db).arg("--config").arg(&env.config);
    c.env("XDG_STATE_HOME", env.dir.path().join("state"));
    c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    c.spawn().unwrap()
}

/// Waits until the running scan has written at least `min` assets (read through a
/// read-only connection while it writes).
fn wait_for_assets(env: &Env, min: i64) {
    let start = Instant::now();
    loop {
        if let Ok(c) = shelf::catalog::open(&env.db, shelf::catalog::Mode::ReadOnly) {
            let n: i64 = c
                .query_row("SELECT count(*) FROM assets", [], |r| r.get(0))
                .unwrap_or(0);
            if n >= min {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the scan never got going"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until every one of `files` rows is written and the four large files of
/// `slow_tree` still wait for their hash: the reading phase is over, the hashing phase
/// under way.
fn wait_for_hashing(env: &Env, files: i64) {
    let start = Instant::now();
    loop {
        if let Ok(c) = shelf::catalog::open(&env.db, shelf::catalog::Mode::ReadOnly) {
            let q = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap_or(0);
            let rows = q("SELECT count(*) FROM assets");
            let pending =
                q("SELECT count(*) FROM assets WHERE sha256 IS NULL AND fingerprint IS NOT NULL");
            if rows == files && pending == 4 {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "never saw the hashing phase"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(child: &Child, sig: &str) {
    let st = std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn a_killed_scan_is_marked_interrupted_and_the_next_converges() {
    let env = Env::new();
    let lib = env.path("lib");
    let files = slow_tree(&lib);
    let mut child = spawn_scan(&env, &["--scan", lib.to_str().unwrap()]);
    wait_for_assets(&env, 200);
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let dead: i64 = env
        .conn()
        .query_row(
            "SELECT id FROM changesets WHERE status = 'in_progress'",
            [],
            |r| r.get(0),
        )
        .expect("the scan was killed while in progress");
    let partial = env.count("SELECT count(*) FROM assets");
    assert!(
        (200..=files as i64).contains(&partial),
        "killed mid-scan: {partial} of {files}"
    );

    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["interrupted_changesets"], serde_json::json!([dead]));
    let status: String = env
        .conn()
        .query_row("SELECT status FROM changesets WHERE id = ?1", [dead], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "interrupted");

    // Exactly the catalog a clean scan gives: same paths, sizes, hashes; no duplicates.
    let clean = Env::new();
    clean.scan_json(&[&lib]);
    assert_eq!(env.assets(), clean.assets());
    assert_eq!(env.count("SELECT count(*) FROM assets"), files as i64);
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE sha256 IS NULL OR has_errors = 1"),
        0
    );
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["unchanged"], files as u64, "and it stays converged");
}

#[test]
fn ctrl_c_cancels_cleanly_and_marks_nothing_missing() {
    let env = Env::new();
    let lib = env.path("lib");
    put(&lib.join("keep/a.mkv"), &bytes(1, 100));
    put(&lib.join("keep/b.mkv"), &bytes(2, 100));
    env.scan_json(&[&lib]);
    std::fs::remove_file(lib.join("keep/b.mkv")).unwrap();
    slow_tree(&lib);
    let child = spawn_scan(&env, &["--scan", "--json"]);
    wait_for_assets(&env, 300);
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "canceled");
    assert!(String::from_utf8_lossy(&out.stderr).contains("canceling"));
    let id = v["changeset"].as_i64().unwrap();
    let status: String = env
        .conn()
        .query_row("SELECT status FROM changesets WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "canceled");
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        0,
        "a canceled scan did not see everything, so it may not call anything missing"
    );
    // What was written is valid: the next scan finishes the job.
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["missing"], 1);
    assert!(v["interrupted_changesets"].as_array().unwrap().is_empty());
}

#[test]
fn one_scan_at_a_time_while_readers_keep_working() {
    let env = Env::new();
    let lib = env.path("lib");
    slow_tree(&lib);
    let mut child = spawn_scan(&env, &["--scan", lib.to_str().unwrap()]);
    wait_for_assets(&env, 100);

    let out = env.shelf().arg("--scan").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another scan is running") && err.contains(&format!("pid {}", child.id())),
        "names the running scan: {err}"
    );
    // Nor is the source it scans forgotten under it (its rows are written without SQLite
    // looking up their collection).
    let out = env
        .shelf()
        .args(["source", "remove", "lib", "--yes"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("a scan of this catalog is running")
            && err.contains(&format!("pid {}", child.id())),
        "names the running scan: {err}"
    );

    for _ in 0..5 {
        let out = env.shelf().args(["status", "--json"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["scan_running"], true);
        assert_eq!(v["changesets"][0]["status"], "in_progress");
        let out = env
            .shelf()
            .args(["export", "--format", "jsonl"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = env.shelf().args(["source", "list"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let out = env.shelf().args(["status", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scan_running"], false);
    assert_eq!(env.count("SELECT count(*) FROM assets"), 1504);
    env.ok(&["db", "check"]);
    // With the scan over, the source can go.
    env.ok(&["source", "remove", "lib", "--yes"]);
    assert_eq!(env.count("SELECT count(*) FROM assets"), 0);
}

/// Killed with SIGKILL once every file is cataloged and named, while the large ones are
/// read whole for their hash: the next scan resumes those hashes and ends where a clean
/// scan does.
#[test]
fn a_scan_killed_while_hashing_resumes_the_hashes() {
    let env = Env::new();
    let lib = env.path("lib");
    let files = slow_tree(&lib) as i64;
    let mut child = spawn_scan(&env, &["--scan", lib.to_str().unwrap()]);
    wait_for_hashing(&env, files);
    child.kill().unwrap();
    child.wait().unwrap();
    let dead: i64 = env
        .conn()
        .query_row(
            "SELECT id FROM changesets WHERE status = 'in_progress'",
            [],
            |r| r.get(0),
        )
        .expect("the scan was killed while in progress");

    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["interrupted_changesets"], serde_json::json!([dead]));
    assert_eq!(
        v["unchanged"], files as u64,
        "nothing was new or changed: {v}"
    );
    assert_eq!(
        v["files_hashed"], 4,
        "only the pending hashes were read: {v}"
    );
    assert_eq!(v["hash_pending"], 0);
    let clean = Env::new();
    clean.scan_json(&[&lib]);
    assert_eq!(env.assets(), clean.assets());
}

/// The catalog's indexes as SQLite keeps them.
fn indexes(c: &rusqlite::Connection) -> Vec<String> {
    c.prepare(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// A first scan leaves its content groups to its end, where it builds the content-key index
/// (SQLite sorts once instead of placing every hash at random). Killed before, it leaves
/// both to the next scan: every copy it wrote is found, one canonical, the others in
/// review, as a clean scan finds them.
#[test]
fn a_first_scan_killed_before_its_end_leaves_its_duplicates_to_the_next() {
    let env = Env::new();
    let lib = env.path("lib");
    let mut files = slow_tree(&lib) as i64;
    for i in 0..3 {
        put(&lib.join(format!("a-copies/copy{i}.mkv")), &bytes(77, 3000));
        files += 1;
    }
    let mut child = spawn_scan(&env, &["--scan", lib.to_str().unwrap()]);
    // The copies are in, ungrouped.
    wait_for_hashing(&env, files);
    let check = env.shelf().args(["db", "check"]).output().unwrap();
    assert!(
        !text(&check.stdout).contains("content index"),
        "a running first scan works without it: {}",
        text(&check.stdout)
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let clean = Env::new();
    clean.scan_json(&[&lib]);
    let want = indexes(&clean.conn());
    assert!(want.iter().any(|i| i.contains("ix_assets_content")));
    assert!(
        !indexes(&env.conn())
            .iter()
            .any(|i| i.contains("ix_assets_content")),
        "the killed first scan wrote without the content-key index"
    );
    let questions = "SELECT count(*) FROM review_items WHERE reason = 'duplicate_content' AND status = 'pending'";
    assert_eq!(env.count(questions), 0, "its groups were left to its end");
    let check = env.shelf().args(["db", "check"]).output().unwrap();
    assert_eq!(check.status.code(), Some(1), "db check reports it");
    assert!(
        text(&check.stdout).contains("content index: missing"),
        "{}",
        text(&check.stdout)
    );

    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(indexes(&env.conn()), want);
    let copies = "SELECT count(*) FROM assets WHERE CAST(rel_path AS TEXT) LIKE 'a-copies/%'";
    assert_eq!(env.count(copies), 3);
    assert_eq!(env.count(&format!("{copies} AND canonical = 1")), 1);
    assert_eq!(env.count(questions), 2);
    assert_eq!(clean.count(questions), 2);
    assert_eq!(env.assets(), clean.assets());
    env.ok(&["db", "check"]);
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["unchanged"], files as u64, "and it stays converged");
    assert_eq!(env.count(questions), 2);
}
