//! UI responsiveness at scale (run with `cargo bench --bench tui`).
//!
//! Builds (once) a catalog of 1,000,000 assets, 5,000 titles, 25,000 seasons and 1,000,000
//! episodes each linked to its file, plus 20,000 pending review items; then measures, with
//! the real App, data layer and views drawn to a 120x40 buffer:
//! - the first frame: catalog opened, first pages queried, frame drawn;
//! - every keypress to a new frame, while a scan of a 20,000-file tree writes to the same
//!   catalog from another thread;
//! - resident memory (VmRSS) of the process.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a measuring harness

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shelf::catalog::{self, Mode};
use shelf::tui::app::{App, Effect, Request};
use shelf::tui::keymap::{Action, Keymap};
use shelf::tui::{data, view};

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn build(db: &std::path::Path) {
    if db.exists() {
        // A catalog built by an older shelf is brought up to date first.
        catalog::open(db, Mode::ReadWrite).unwrap();
        return;
    }
    let t = Instant::now();
    let c = catalog::open(db, Mode::ReadWrite).unwrap();
    c.execute_batch(
        "BEGIN;
         INSERT INTO sources (name, kind, created_at, updated_at) VALUES ('big', 'filesystem', '2026', '2026');
         INSERT INTO collections (source_id, external_id, name, root, kind, enabled, created_at, updated_at)
             VALUES (1, 'big', 'big', CAST('/nonexistent/big' AS BLOB), 'shows', 1, '2026', '2026');
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
         INSERT INTO titles (id, kind, name, norm_name, sort_name, year, created_at, updated_at)
             SELECT i + 1, 'show', printf('Show %04d', i), printf('show %04d', i), printf('show %04d', i), 1990 + i % 35, '2026', '2026' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 24999)
         INSERT INTO seasons (id, title_id, number, created_at) SELECT i + 1, i / 5 + 1, i % 5 + 1, '2026' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
         INSERT INTO assets (id, collection_id, rel_path, size, mtime_ns, sha256, kind, duration_ms, video_codec, audio_codec,
                             width, height, first_seen, last_seen)
             SELECT i + 1, 1, CAST(printf('Show %04d/Season %d/Show %04d - S%02dE%02d.mkv', i / 200, (i / 40) % 5 + 1, i / 200, (i / 40) % 5 + 1, i % 40 + 1) AS BLOB),
                    1000000 + i, 1700000000000000000 + i, lower(hex(randomblob(32))), 'video', 2400000, 'hevc', 'aac', 1920, 1080,
                    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
         INSERT INTO episodes (id, title_id, season_id, number, created_at, updated_at)
             SELECT i + 1, i / 200 + 1, i / 40 + 1, i % 40 + 1, '2026', '2026' FROM n;
         INSERT INTO episode_assets (episode_id, asset_id, canonical) SELECT id, id, 1 FROM episodes;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
         INSERT INTO review_items (asset_id, reason, reason_text, confidence, proposal, priority, created_at)
             SELECT i * 50 + 1, 'low_confidence', 'the name could be read, but not surely enough', (i % 80) / 100.0,
                    '{\"type\":\"episode\",\"title\":\"Show\",\"seasons\":[1],\"episodes\":[1]}', i % 7, '2026' FROM n;
         COMMIT;",
    )
    .unwrap();
    eprintln!(
        "built the 1M-asset catalog in {:.1}s",
        t.elapsed().as_secs_f64()
    );
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    v[((v.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let base = PathBuf::from("target/bench-data");
    std::fs::create_dir_all(&base).unwrap();
    let db = std::path::absolute(base.join("tui-1m.db")).unwrap();
    build(&db);
    let keys = Keymap::from_table(&shelf::config::default_keys()).unwrap();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();

    // First frame, from opening the catalog.
    let t = Instant::now();
    let ro = catalog::open(&db, Mode::ReadOnly).unwrap();
    let writer = shelf::worker::writer::Writer::open(&db).unwrap();
    let rw = writer.handle();
    let mut app = App::new(false);
    // As the app does: pages, rows and writes on the data thread; counts apart, on their
    // own thread, answered after (they are returned here and timed on their own).
    let run_rows = |app: &mut App, mut reqs: Vec<Request>| -> Vec<Request> {
        let mut counts = Vec::new();
        reqs.reverse();
        while let Some(r) = reqs.pop() {
            if r.is_count() {
                counts.push(r);
                continue;
            }
            if let Some(resp) = data::handle(&ro, Some(&rw), r) {
                let mut more = asks(app.on_response(resp));
                more.reverse();
                reqs.extend(more);
            }
        }
        counts
    };
    let run = |app: &mut App, reqs: Vec<Request>| {
        let mut pending = run_rows(app, reqs);
        while !pending.is_empty() {
            let mut next = Vec::new();
            for r in pending {
                if let Some(resp) = data::handle(&ro, None, r) {
                    let more = asks(app.on_response(resp));
                    next.extend(run_rows(app, more));
                }
            }
            pending = next;
        }
    };
    let reqs = asks(app.start());
    run(&mut app, reqs);
    term.draw(|f| {
        view::draw(f, &app, &keys, view::Ctx::live());
    })
    .unwrap();
    let first = t.elapsed();
    println!(
        "first frame: {:.1} ms (catalog of 1,000,000 assets / 5,000 titles; goal < 200 ms)",
        first.as_secs_f64() * 1000.0
    );
    let rss_ui = rss_mb();

    // A scan writing to the same catalog meanwhile.
    let tree = std::path::absolute(base.join("tui-scan-tree")).unwrap();
    if !tree.join(".done").exists() {
        for i in 0..20_000u32 {
            let d = tree.join(format!("Show {:03}/Season {:02}", i / 400, (i / 20) % 20));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join(format!(
                    "Show.{:03}.S{:02}E{:02}.mkv",
                    i / 400,
                    (i / 20) % 20,
                    i % 20
                )),
                vec![(i % 251) as u8; 4096 + i as usize % 4096],
            )
            .unwrap();
        }
        std::fs::write(tree.join(".done"), b"").unwrap();
    }
    let scan_db = db.clone();
    let cancel = Arc::new(AtomicBool::new(false));
    let cancel2 = cancel.clone();
    let scanner = std::thread::spawn(move || {
        let c = catalog::open(&scan_db, Mode::ReadWrite).unwrap();
        let root = tree.as_os_str().as_encoded_bytes().to_vec();
        let col = match shelf::catalog::sources::by_root(&c, &root).unwrap() {
            Some(col) => {
                // Start from nothing each time, so the scan really writes.
                c.execute("DELETE FROM assets WHERE collection_id = ?1", [col.id.0])
                    .unwrap();
                col
            }
            None => shelf::catalog::sources::add_filesystem(
                &c,
                "scan",
                &root,
                shelf::model::CollectionKind::Shows,
            )
            .unwrap(),
        };
        let t = Instant::now();
        // The tree's files are not real video: no ffprobe for them.
        let mut config = shelf::config::Config::default();
        config.probe.ffprobe = String::new();
        let r = shelf::worker::run_scan(&shelf::worker::ScanRequest {
            cancel: cancel2,
            ..shelf::worker::ScanRequest::new(scan_db, vec![col], config)
        });
        (t.elapsed(), r.map(|r| r.counts.new))
    });
    std::thread::sleep(Duration::from_millis(300));

    let script: Vec<Action> = [
        vec![Action::Down; 300],
        vec![Action::PageDown; 100],
        vec![Action::Bottom, Action::Top],
        vec![Action::HalfPageDown; 100],
        vec![Action::Up; 100],
        vec![
            Action::DrillIn,
            Action::Down,
            Action::Down,
            Action::DrillIn,
            Action::Down,
            Action::DrillOut,
            Action::DrillOut,
        ],
        vec![Action::Assets],
        vec![Action::PageDown; 100],
        vec![
            Action::Bottom,
            Action::Top,
            Action::FilterKind,
            Action::FilterKind,
        ],
        vec![Action::Review],
        vec![Action::Down; 200],
        vec![Action::Bottom, Action::Top, Action::Status, Action::Library],
    ]
    .concat();
    let mut at_once = Vec::with_capacity(script.len());
    let mut times = Vec::with_capacity(script.len());
    let mut count_times = Vec::with_capacity(script.len());
    let mut during_scan = 0;
    let mut slow = Vec::new();
    for a in &script {
        // The frame the key gets at once (the UI thread never waits on the catalog) ...
        let t = Instant::now();
        let reqs = asks(app.update(*a));
        term.draw(|f| {
            view::draw(f, &app, &keys, view::Ctx::live());
        })
        .unwrap();
        at_once.push(t.elapsed());
        // ... and the frame with the rows it asked for.
        let counts = run_rows(&mut app, reqs);
        term.draw(|f| {
            view::draw(f, &app, &keys, view::Ctx::live());
        })
        .unwrap();
        times.push(t.elapsed());
        slow.push((t.elapsed(), *a, app.screen));
        // Then the counts (another thread in the app), and their frame.
        let c = Instant::now();
        let mut pending = counts;
        while !pending.is_empty() {
            let mut next = Vec::new();
            for r in pending {
                if let Some(resp) = data::handle(&ro, None, r) {
                    let more = asks(app.on_response(resp));
                    next.extend(run_rows(&mut app, more));
                }
            }
            pending = next;
        }
        term.draw(|f| {
            view::draw(f, &app, &keys, view::Ctx::live());
        })
        .unwrap();
        count_times.push(c.elapsed());
        if !scanner.is_finished() {
            during_scan += 1;
        }
    }
    slow.sort_by_key(|s| std::cmp::Reverse(s.0));
    let worst: Vec<String> = slow
        .iter()
        .take(6)
        .map(|(d, a, s)| format!("{a:?} on {} {:.0} ms", s.title(), d.as_secs_f64() * 1000.0))
        .collect();
    println!(
        "slowest keys (query answered before the frame): {}",
        worst.join(", ")
    );
    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let (scan_time, scanned) = scanner.join().unwrap();
    let mean = times.iter().map(Duration::as_secs_f64).sum::<f64>() / times.len() as f64 * 1000.0;
    println!(
        "keypress → its first frame over {} keys: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at_once.len(),
        pct(&mut at_once, 0.5),
        pct(&mut at_once, 0.99),
        pct(&mut at_once, 1.0)
    );
    println!(
        "keypress → frame with its rows over {} keys ({during_scan} of them while the scan ran): mean {mean:.2} ms, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (goal < 16 ms)",
        times.len(),
        pct(&mut times, 0.5),
        pct(&mut times, 0.99),
        pct(&mut times, 1.0)
    );
    println!(
        "counts (list lengths, files per title) after that, on their own thread: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&mut count_times, 0.5),
        pct(&mut count_times, 0.99),
        pct(&mut count_times, 1.0)
    );
    println!(
        "the scan alongside (canceled when the keys were done): {:?} new files in {:.1}s",
        scanned.ok(),
        scan_time.as_secs_f64()
    );
    println!(
        "resident memory: {rss_ui:.0} MB after the first frame; {:.0} MB at the end, scan included (goal < 150 MB)",
        rss_mb()
    );
}

/// The App's requests for the data thread (the bench runs no scans, copies no paths).
fn asks(effects: Vec<Effect>) -> Vec<Request> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Ask(r) => Some(r),
            _ => None,
        })
        .collect()
}
