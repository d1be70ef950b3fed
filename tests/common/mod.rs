//! Shared helpers for the integration tests: a temp home with its own catalog and config,
//! the real `shelf` binary, and direct looks into the catalog.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub mod fake;

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // Readable by an unprivileged user too (tests that drop root need it).
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let config = dir.path().join("config.toml");
        // Most trees here hold random bytes named .mkv: without ffprobe they are simply not
        // probed (a warning), instead of 80 ms of ffprobe each to say they are not video.
        std::fs::write(&config, "[probe]\nffprobe = \"\"\n").unwrap();
        let db = dir.path().join("catalog.db");
        Self { dir, db, config }
    }

    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// The real binary, pointed at this env's catalog, config and a private home.
    pub fn shelf(&self) -> Command {
        let mut c = Command::cargo_bin("shelf").unwrap();
        c.arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config);
        c.env("HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("cfg"))
            .env_remove("SHELF_LOG");
        c
    }

    /// `shelf --scan --json ARGS...`: (exit code, parsed summary).
    pub fn scan_json(&self, args: &[&Path]) -> (i32, Value) {
        let mut c = self.shelf();
        c.arg("--scan").arg("--json");
        for a in args {
            c.arg(a);
        }
        let out = c.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "scan did not print JSON ({e}); exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }

    /// `shelf ARGS` that must succeed: its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.shelf().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `shelf ARGS` that must succeed and print JSON: the JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    /// A scan of `targets` through the library, as the binary would run it with this env's
    /// config (no ffprobe), no hooks, nothing canceled: a test sets what it needs.
    pub fn scan_request(
        &self,
        targets: Vec<shelf::catalog::sources::CollectionRow>,
    ) -> shelf::worker::ScanRequest {
        let mut config = shelf::config::Config::default();
        config.probe.ffprobe = String::new();
        shelf::worker::ScanRequest::new(self.db.clone(), targets, config)
    }

    /// A folder added as a collection of `kind`, as `shelf source add` does.
    pub fn add_collection(
        &self,
        name: &str,
        root: &Path,
        kind: shelf::model::CollectionKind,
    ) -> shelf::catalog::sources::CollectionRow {
        shelf::catalog::sources::add_filesystem(
            &self.conn(),
            name,
            root.as_os_str().as_encoded_bytes(),
            kind,
        )
        .unwrap()
    }

    pub fn conn(&self) -> rusqlite::Connection {
        shelf::catalog::open(&self.db, shelf::catalog::Mode::ReadWrite).unwrap()
    }

    /// Every asset as (rel path bytes, size, sha256, missing?) sorted: a catalog's content.
    pub fn assets(&self) -> Vec<(Vec<u8>, i64, Option<String>, bool)> {
        let c = self.conn();
        let mut st = c
            .prepare("SELECT rel_path, size, sha256, missing_since IS NOT NULL FROM assets ORDER BY rel_path")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes a file, creating its folders.
pub fn put(path: &Path, content: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Deterministic pseudo-random bytes.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A small but realistic library.
pub fn library(root: &Path) {
    put(
        &root.join("Show Name/Season 1/Show.Name.S01E01.mkv"),
        &bytes(1, 3000),
    );
    put(
        &root.join("Show Name/Season 1/Show.Name.S01E02.mkv"),
        &bytes(2, 3100),
    );
    put(
        &root.join("Show Name/Season 2/Show.Name.S02E01.mkv"),
        &bytes(3, 3200),
    );
    put(
        &root.join("Movies/Heat (1995)/Heat (1995).mkv"),
        &bytes(4, 5000),
    );
    put(
        &root.join("Movies/Heat (1995)/Heat (1995).en.srt"),
        b"1\n00:00:01,000 --> 00:00:02,000\nhi\n",
    );
    put(&root.join("Photos/IMG_20231225_123456.jpg"), &bytes(5, 800));
    put(&root.join("Music/song.flac"), &bytes(6, 900));
    put(&root.join("notes.txt"), b"notes");
}

/// Are we root? (Then permission bits do not stop reads, and tests drop to `nobody`.)
pub fn is_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

/// Is a tool on PATH? When it is not, the test says so and skips, unless
/// SHELF_REQUIRE_TOOLS=1 (CI), where a missing tool fails the test.
pub fn have_tool(tool: &str) -> bool {
    let found = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if std::env::var("SHELF_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{tool} is required (SHELF_REQUIRE_TOOLS=1) but not installed");
        }
        // Straight to the process's stderr: the test harness captures `eprintln!` of a
        // passing test, and a skip nobody sees is a skip nobody fixes.
        use std::io::Write;
        let test = std::thread::current()
            .name()
            .unwrap_or("a test")
            .to_string();
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {test}: {tool} is not installed (SHELF_REQUIRE_TOOLS=1 makes this a failure)"
        );
    }
    found
}
