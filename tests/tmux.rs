//! A real terminal: shelf in tmux on a scanned fixture catalog. Drill into a show, accept a
//! review item, quit; the screen shows what it should, the catalog has the decision, and the
//! terminal is given back. Needs tmux (skips with a message without it, fails in CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Env, have_tool, put};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The screen of `session` once it shows `text` (fails after 20 s, showing the screen).
fn wait_for(session: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", session]);
        if screen.contains(text) {
            return screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never saw {text:?}; screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn drill_in_accept_and_quit_in_a_real_terminal() {
    if !have_tool("tmux") {
        return;
    }
    let env = Env::new();
    let lib = env.path("tv");
    let fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/chapters.mkv"
    ))
    .unwrap();
    put(
        &lib.join("Show Name (2019)/Season 1/Show Name (2019) - S01E01 - Pilot.mkv"),
        &fixture,
    );
    let mut other = fixture.clone();
    other.push(1);
    put(
        &lib.join("Show Name (2019)/Season 3/Show.Name.S02E05.mkv"),
        &other,
    );
    env.scan_json(&[&lib]);
    let t = Session::start(&env, "accept", "", "");
    t.wait_for("Titles 1/1");
    // Into the show: seasons, then episodes.
    t.keys("Enter");
    t.keys("Enter");
    let screen = t.wait_for("Pilot");
    assert!(screen.contains("Library › Show Name"), "{screen}");
    // The review queue: accept the conflicting item.
    t.keys("3");
    let screen = t.wait_for("conflicting");
    assert!(screen.contains("Review"), "{screen}");
    let pos = screen
        .lines()
        .filter(|l| l.contains('│'))
        .position(|l| l.contains("conflicting"))
        .unwrap();
    for _ in 0..pos {
        t.keys("j");
    }
    t.keys("a");
    t.wait_for("linked as Show Name (2019) S02E05");
    t.keys("q");
    let screen = t.wait_for("SHELF-EXITED 0");
    // The alternate screen is gone: the UI's frame is no longer on the terminal.
    assert!(
        !screen.contains("1 Library"),
        "terminal not restored:\n{screen}"
    );
    drop(t);
    let status: String = env
        .conn()
        .query_row(
            "SELECT r.status FROM review_items r JOIN assets a ON a.id = r.asset_id
             WHERE r.reason = 'conflicting' AND CAST(a.rel_path AS TEXT) LIKE '%S02E05%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "resolved", "the decision is in the catalog");
}

/// Starts `shelf ARGS` in a detached tmux session (it reports its exit status when done);
/// the session is killed when the returned guard drops.
struct Session(String);

impl Session {
    fn start(env: &Env, name: &str, vars: &str, args: &str) -> Session {
        let session = format!("shelf-{name}-{}", std::process::id());
        let bin = assert_cmd::cargo::cargo_bin("shelf");
        // The environment goes in the command: a tmux server started earlier would give
        // the session its own.
        let home = env.dir.path().display();
        let cmd = format!(
            "TMPDIR={home} XDG_STATE_HOME={home}/state {vars} {} --db {} --config {} {args}; echo SHELF-EXITED $?; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-*icanon' | sed 's/^/TTY-/'; sleep 30",
            bin.display(),
            env.db.display(),
            env.config.display()
        );
        // The tests run side by side, and when no tmux server runs yet two of them may both
        // start one on the same socket: the one that loses fails to connect (seen once in
        // `.ci/run`). Trying again finds the server the other started.
        let mut errors = Vec::new();
        for _ in 0..5 {
            let out = Command::new("tmux")
                .args(["new-session", "-d", "-s", &session, "-x", "100", "-y", "30"])
                .arg(&cmd)
                .output()
                .unwrap();
            let error = String::from_utf8_lossy(&out.stderr).into_owned();
            // (A try that started the session but lost its answer leaves it in place.)
            if out.status.success() || error.contains("duplicate session") {
                return Session(session);
            }
            errors.push(error);
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        panic!("tmux new-session failed five times: {errors:?}");
    }

    fn keys(&self, keys: &str) {
        tmux(&["send-keys", "-t", &self.0, keys]);
    }

    fn wait_for(&self, text: &str) -> String {
        wait_for(&self.0, text)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

#[test]
fn a_panic_in_the_scan_thread_gives_the_terminal_back_and_exits_non_zero() {
    if !have_tool("tmux") {
        return;
    }
    let env = Env::new();
    let lib = env.path("films");
    put(&lib.join("Heat (1995)/Heat (1995).mkv"), b"a film");
    // `shelf PATH` scans at once; the scan thread panics right after its walk.
    let s = Session::start(
        &env,
        "panic",
        "RUST_BACKTRACE=0 SHELF_FAULT=scan.after_walk",
        &lib.display().to_string(),
    );
    let screen = s.wait_for("SHELF-EXITED");
    assert!(screen.contains("SHELF-EXITED 101"), "{screen}");
    assert!(
        screen.contains("fault injected at scan.after_walk"),
        "{screen}"
    );
    assert!(screen.contains("internal error"), "{screen}");
    // The terminal is given back: no UI frame, and the line discipline is cooked again.
    assert!(!screen.contains("1 Library"), "{screen}");
    let screen = s.wait_for("TTY-");
    assert!(screen.contains("TTY-icanon"), "still raw:\n{screen}");
    // The scan's changeset is left as a kill leaves it; the next scan finishes it.
    drop(s);
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["interrupted_changesets"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );
}

#[test]
fn shelf_path_demo_read_only_and_sigterm_in_a_real_terminal() {
    if !have_tool("tmux") || !have_tool("pgrep") || !have_tool("kill") {
        return;
    }
    let fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/chapters.mkv"
    ))
    .unwrap();

    // `shelf PATH`: the folder becomes a source and is scanned while the UI is up.
    let env = Env::new();
    let lib = env.path("films");
    put(&lib.join("Heat (1995)/Heat (1995).mkv"), &fixture);
    let s = Session::start(&env, "path", "", &lib.display().to_string());
    s.wait_for("Heat");
    // A failed action: said on screen, and kept in the log file.
    s.keys("5");
    s.wait_for("films");
    s.keys("n");
    tmux(&[
        "send-keys",
        "-t",
        &s.0,
        "-l",
        "/nas/films -> /nonexistent/films",
    ]);
    s.keys("Enter");
    s.wait_for("refused");
    s.keys("q");
    s.wait_for("SHELF-EXITED 0");
    drop(s);
    let logs = env.dir.path().join("state/shelf/logs");
    let logged: String = std::fs::read_dir(&logs)
        .unwrap_or_else(|e| panic!("no log folder {}: {e}", logs.display()))
        .filter_map(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(
        logged.contains("ui action failed") && logged.contains("/nonexistent/films"),
        "{logged}"
    );
    assert_eq!(env.count("SELECT count(*) FROM collections"), 1);
    assert_eq!(
        env.count("SELECT count(*) FROM changesets WHERE kind = 'scan' AND status IN ('completed', 'partial')"),
        1,
        "the background scan finished and recorded itself"
    );

    // --read-only: said in the header; an edit is refused and nothing is written. With
    // NO_COLOR the screen has no colour at all (bold and reverse only).
    let s = Session::start(&env, "ro", "NO_COLOR=1", "--read-only");
    s.wait_for("READ-ONLY");
    let styled = tmux(&["capture-pane", "-p", "-e", "-t", &s.0]);
    for colour in [
        "\x1b[38;", "\x1b[48;", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m",
    ] {
        assert!(
            !styled.contains(colour),
            "{colour:?} under NO_COLOR:\n{styled:?}"
        );
    }
    s.keys("5");
    s.wait_for("films");
    s.keys("t");
    s.wait_for("read-only: this catalog was opened with --read-only");
    // SIGTERM: the terminal is given back all the same.
    // shelf itself, not the shell around it (whose command line starts with "sh -c").
    let bin = assert_cmd::cargo::cargo_bin("shelf");
    let pids = Command::new("pgrep")
        .args([
            "-f",
            &format!("^{} --db {} ", bin.display(), env.db.display()),
        ])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&pids.stdout)
        .lines()
        .next()
        .expect("shelf's pid")
        .trim()
        .to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let screen = s.wait_for("SHELF-EXITED");
    assert!(
        !screen.contains("1 Library"),
        "terminal not restored:\n{screen}"
    );
    drop(s);
    assert_eq!(
        env.count("SELECT count(*) FROM collections WHERE enabled = 1"),
        1,
        "the collection was not switched off"
    );

    // --demo: a populated library from nothing, removed again on exit.
    let env = Env::new();
    let s = Session::start(&env, "demo", "", "--demo");
    s.wait_for("Show Name");
    s.keys("3");
    s.wait_for("conflicting");
    // Resized, it draws to the new size at once.
    tmux(&["resize-window", "-t", &s.0, "-x", "130", "-y", "35"]);
    let start = Instant::now();
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", &s.0]);
        let widest = screen
            .lines()
            .filter(|l| l.starts_with('┌'))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        if widest == 130 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not redrawn at 130 columns:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // y copies the selected path through OSC 52: tmux, told to take it, holds it in its
    // paste buffer, as a terminal over SSH would put it on the clipboard.
    tmux(&["set-option", "-g", "set-clipboard", "on"]);
    s.keys("2");
    s.wait_for("Assets 1/");
    s.keys("y");
    s.wait_for("copied ");
    let copied = tmux(&["show-buffer"]);
    assert!(
        copied.contains("shelf-demo-") && copied.ends_with(".mkv"),
        "clipboard: {copied:?}"
    );
    let made: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("shelf-demo-"))
        .collect();
    assert_eq!(
        made.len(),
        1,
        "the demo library lives in the temp folder while it runs"
    );
    s.keys("q");
    s.wait_for("SHELF-EXITED 0");
    drop(s);
    assert!(
        !made[0].path().exists(),
        "the demo's folder and catalog are removed on exit"
    );
}
