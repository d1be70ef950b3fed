//! The nightly-scan recipes in contrib/ (docs/cron.md), run as written: the crontab line
//! through `sh`, the systemd service's ExecStart, and both units through systemd-analyze.
//! A temporary home stands in for the user's: `~/.cargo/bin/shelf` is the built binary and
//! the catalog lives in the platform data dir under it, as it would on a real machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{bytes, have_tool, put};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A home with the binary installed where the recipes expect it and one folder added.
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("shelf"), bin.join("shelf")).unwrap();
    // No ffprobe, installed or not: the run is the same on every machine.
    let config_dir = home.path().join(".config/shelf");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "[probe]\nffprobe = \"\"\n").unwrap();
    let lib = home.path().join("media");
    put(&lib.join("Show/Season 1/Show - S01E01.mkv"), &bytes(1, 500));
    let out = in_home(
        home.path(),
        &format!("\"$HOME/.cargo/bin/shelf\" source add {:?}", lib),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    home
}

/// `sh -c LINE` as cron or systemd would run it: only HOME and PATH set.
fn in_home(home: &Path, line: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap())
        .output()
        .unwrap()
}

/// The crontab line, without its five schedule fields.
fn cron_command() -> String {
    let text = std::fs::read_to_string(repo("contrib/cron/shelf.crontab")).unwrap();
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .expect("a crontab line");
    assert!(!line.contains('%'), "cron turns % into a newline");
    line.splitn(6, ' ').nth(5).unwrap().to_string()
}

#[test]
fn the_crontab_line_scans_quietly_and_speaks_only_when_shelf_cannot_run() {
    let home = home();
    let cmd = cron_command();
    let out = in_home(home.path(), &cmd);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "a good night mails nothing"
    );
    let summary = home.path().join(".local/state/shelf/last-scan.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    assert_eq!(v["status"], "completed");
    assert_eq!(v["new"], 1);

    // A catalog that cannot be opened: exit 2, and one sentence for cron to mail.
    let db = home.path().join(".local/share/shelf/catalog.db");
    assert!(db.exists(), "the catalog is in the platform data dir");
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", db.display()));
    }
    std::fs::write(&db, b"this is not a SQLite database, not even close to one").unwrap();
    let out = in_home(home.path(), &cmd);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("could not run"), "{said}");
    let log =
        std::fs::read_to_string(home.path().join(".local/state/shelf/scan-errors.log")).unwrap();
    assert!(log.contains("shelf: error"), "{log}");
}

#[test]
fn the_systemd_units_verify_and_the_service_runs_a_scan() {
    let unit = std::fs::read_to_string(repo("contrib/systemd/shelf-scan.service")).unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    assert!(
        unit.contains("SuccessExitStatus=1"),
        "exit 1 is a finished scan"
    );
    let home = home();
    let out = in_home(home.path(), &exec.replace("%h", "\"$HOME\""));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "completed");

    if !have_tool("systemd-analyze") {
        return;
    }
    // As installed: %h resolved to a home with the binary in it; the man page may not be
    // installed, so Documentation= is left out of the check.
    let dir = tempfile::tempdir().unwrap();
    let service = unit
        .replace("%h", &home.path().display().to_string())
        .lines()
        .filter(|l| !l.starts_with("Documentation="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("shelf-scan.service"), service).unwrap();
    std::fs::copy(
        repo("contrib/systemd/shelf-scan.timer"),
        dir.path().join("shelf-scan.timer"),
    )
    .unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(dir.path().join("shelf-scan.service"))
        .arg(dir.path().join("shelf-scan.timer"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.trim().is_empty(), "{said}");
}
