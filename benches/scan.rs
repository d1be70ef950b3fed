//! Scan benchmarks at scale (run with `cargo bench --bench scan`).
//!
//! Builds (once, then reuses) a tree of 200,000 small files in 20,000 folders and a few large
//! files, then measures with the real library:
//! - the first scan of the tree into an empty catalog (walk, hash, identify, write), against
//!   `find ROOT -type f -print0 | xargs -0 -P2 -n 2000 sha256sum` over the same tree,
//! - a no-change rescan, against `find ROOT -type f -printf '%s %T@\n'` over the same tree,
//!   and rescans after 1% of the files changed (each grown by a byte, then put back: both
//!   directions, SHELF_BENCH_RUNS times),
//! - hashing throughput on the large files, against `openssl dgst -sha256` run one file
//!   after another;
//! - a scan of 2,000 camera photos (~200 KB, EXIF with GPS) into an empty catalog, against
//!   `exiftool -j -DateTimeOriginal -GPSLatitude -GPSLongitude DIR` alone (when installed).
//!
//! Knobs (environment): SHELF_BENCH_DIR (where the trees live; default target/bench-data;
//! the catalogs go to the system temp dir),
//! SHELF_BENCH_FILES (default 200000), SHELF_BENCH_BIG_MB (size of each of 4 large files,
//! default 1024), SHELF_BENCH_RUNS (repetitions of the timed rescans, default 5),
//! SHELF_BENCH_FIRST_RUNS (first scans, each into a fresh catalog, default 3).
//! SHELF_BENCH_SCALE_FILES (say 1000000; default none) with SHELF_BENCH_SCALE_DIR (default
//! target/bench-1m): a second, larger tree whose first scans (each after its own floor)
//! alternate with the first tree's (three of those a round, their median),
//! SHELF_BENCH_SCALE_RUNS times (default 3), then its no-change rescans and its rescans
//! after 1% changed, alternated the same way: the cost per file of each phase at both sizes
//! measured side by side (this host's speed drifts by half within an hour: sizes measured an
//! hour apart compare the hours as much as the sizes).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a measuring harness: a failure should stop it loudly

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use shelf::catalog::sources;
use shelf::catalog::{self, Mode};
use shelf::config::Config;
use shelf::model::CollectionKind;
use shelf::worker::{ScanReport, ScanRequest, run_scan};

fn env_num(k: &str, d: u64) -> u64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

/// A deterministic small file body: 0–2 KiB derived from the index.
fn body(i: u64) -> Vec<u8> {
    let len = (i.wrapping_mul(2654435761) % 2048) as usize;
    let mut v = Vec::with_capacity(len);
    let mut x = i.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    for _ in 0..len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.push(x as u8);
    }
    v
}

fn make_tree(root: &Path, files: u64) -> std::io::Result<()> {
    let marker = root.join(format!(".complete-{files}"));
    if marker.exists() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(root);
    let per_dir = 10;
    let dirs = files.div_ceil(per_dir);
    let t = Instant::now();
    for d in 0..dirs {
        let dir = root
            .join(format!("Show {:03}", d / 100))
            .join(format!("Season {:02}", d % 100));
        std::fs::create_dir_all(&dir)?;
        for f in 0..per_dir {
            let i = d * per_dir + f;
            if i >= files {
                break;
            }
            std::fs::write(
                dir.join(format!("Show.{:03}.S{:02}E{:02}.mkv", d / 100, d % 100, f)),
                body(i),
            )?;
        }
    }
    std::fs::write(&marker, b"")?;
    eprintln!(
        "built {files} files in {dirs} folders in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn make_big(root: &Path, mb: u64) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(root)?;
    let mut out = Vec::new();
    for n in 0..4u64 {
        let p = root.join(format!("big{n}.mkv"));
        if std::fs::metadata(&p).map(|m| m.len()).ok() != Some(mb << 20) {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&p)?);
            let chunk: Vec<u8> = (0..1u64 << 20).map(|i| (i * 31 + n) as u8).collect();
            for _ in 0..mb {
                f.write_all(&chunk)?;
            }
            f.flush()?;
        }
        out.push(p);
    }
    Ok(out)
}

fn scan(db: &Path, root: &Path) -> ScanReport {
    scan_as(db, root, CollectionKind::Shows)
}

fn scan_as(db: &Path, root: &Path, kind: CollectionKind) -> ScanReport {
    let targets = {
        let c = catalog::open(db, Mode::ReadWrite).expect("open catalog");
        let rb = root.as_os_str().as_encoded_bytes();
        let col = match sources::by_root(&c, rb).expect("query") {
            Some(col) => col,
            None => sources::add_filesystem(&c, "bench", rb, kind).expect("add"),
        };
        vec![col]
    };
    let config = {
        // The tree's files are noise with a video's name: ffprobe would be spawned for
        // each one (~70 ms apiece), which measures ffprobe, not the scan.
        let mut c = Config::default();
        c.probe.ffprobe = String::new();
        c
    };
    let req = ScanRequest::new(db.to_owned(), targets, config);
    run_scan(&req).expect("scan")
}

/// Waits until what the page cache still holds to write (the last run's catalog, hundreds
/// of MB, or files just changed) is on disk: written back during a timed run, it takes CPU
/// from a two-threaded scan more than from a one-threaded floor.
fn quiet_disk() {
    let _ = Command::new("sync").status();
}

/// One alternated pair, each from a quiet disk (as the binary's runs in docs/benchmarks.md):
/// the floor's time, then the scan's time and report.
fn floor_then_scan(
    floor: &dyn Fn() -> Duration,
    db: &Path,
    tree: &Path,
) -> (Duration, Duration, ScanReport) {
    quiet_disk();
    let floor = floor();
    quiet_disk();
    let t = Instant::now();
    let r = scan(db, tree);
    (floor, t.elapsed(), r)
}

/// `find ROOT | xargs -P2 sha256sum`: reading and hashing every file on both cores.
fn sha_floor(tree: &Path) -> Duration {
    time_cmd(Command::new("sh").arg("-c").arg(format!(
        "find '{}' -type f -print0 | xargs -0 -P2 -n 2000 sha256sum > /dev/null",
        tree.display()
    )))
}

/// `find ROOT -printf '%s %T@'`: every file's size and time, what a rescan must learn.
fn stat_floor(tree: &Path) -> Duration {
    time_cmd(
        Command::new("find")
            .arg(tree)
            .args(["-type", "f", "-printf", "%s %T@\\n"])
            .stdout(std::process::Stdio::null()),
    )
}

/// No catalog at `db` (nor its WAL).
fn fresh(db: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
}

/// A phase's cost per file at two sizes (`what`: "first scan"), from rounds that each ran
/// (floor, scan) at the smaller size, then at the larger, each a median over the rounds: raw
/// (the two scans' times compared) and against the floor (the two scan/floor ratios
/// compared), which cancels this machine's drift between rounds; the floor's own growth
/// says what the machine adds. Also each size's best round compared: this host's stalls
/// only ever add time, and a scan ten times longer sits through more of them, so its median
/// carries more stall than the shorter scan's (the best of each carries the least of both).
/// Each round's raw figure is listed, for the spread.
fn linearity(what: &str, rounds: &[Round], small: u64, large: u64) {
    let mid = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let per_file = small as f64 / large as f64;
    let (mut raw, mut floor, mut against) = (Vec::new(), Vec::new(), Vec::new());
    for r in rounds {
        let [f, s, g, l] = [r.0.0, r.0.1, r.1.0, r.1.1].map(|d| d.as_secs_f64());
        raw.push(l / s * per_file);
        floor.push(g / f * per_file);
        against.push((l / g) / (s / f));
    }
    let each: Vec<String> = raw.iter().map(|x| format!("{x:.3}")).collect();
    let (smalls, larges): (Vec<Duration>, Vec<Duration>) =
        rounds.iter().map(|r| (r.0.1, r.1.1)).unzip();
    let best = |v: &[Duration]| v.iter().min().map_or(0.0, Duration::as_secs_f64);
    let (best_large, best_small) = (best(&larges), best(&smalls));
    println!(
        "{what} per file, {large} vs {small} files, {} alternated rounds: scans {:.2}s vs {:.2}s, {:.3}x (rounds {}); the floor's own {:.3}x; against the floor {:.3}x; best of each {best_large:.2}s vs {best_small:.2}s, {:.3}x (goal <= 1.10x)",
        rounds.len(),
        median(larges).as_secs_f64(),
        median(smalls).as_secs_f64(),
        mid(raw),
        each.join(" "),
        mid(floor),
        mid(against),
        best_large / best_small * per_file,
    );
}

/// Whether this machine is a virtual machine that hands free memory back to its host (Linux's
/// free page reporting, through a balloon device): its settings, and how many KiB it has
/// handed back since boot. None on a machine without it.
fn page_reporting() -> Option<(String, u64)> {
    let dir = Path::new("/sys/module/page_reporting/parameters");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let kib = read("reported_kib")?.trim().parse().ok()?;
    let settings: Vec<String> = ["page_reporting_order", "min_free_ms"]
        .iter()
        .filter_map(|n| read(n).map(|v| format!("{n} {}", v.trim())))
        .collect();
    Some((settings.join(", "), kib))
}

/// How many times a first-scan round against the larger tree scans the smaller (see `main`).
const SMALL_PER_ROUND: usize = 3;

/// One round from `each` (the tree's index: 0 the smaller, 1 the larger).
fn round(mut each: impl FnMut(usize) -> (Duration, Duration)) -> Round {
    (each(0), each(1))
}

/// One round of `linearity`: (floor, scan) at the smaller size, then at the larger.
type Round = ((Duration, Duration), (Duration, Duration));

fn time_cmd(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let st = cmd.status().expect("run command");
    assert!(st.success(), "{cmd:?} failed");
    t.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs us too: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let base = std::env::var_os("SHELF_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-data"));
    let files = env_num("SHELF_BENCH_FILES", 200_000);
    let big_mb = env_num("SHELF_BENCH_BIG_MB", 1024);
    let runs = env_num("SHELF_BENCH_RUNS", 5) as usize;
    let tree = std::path::absolute(base.join("tree")).expect("abs");
    make_tree(&tree, files).expect("build tree");
    let find = || stat_floor(&tree);
    // Warm the page cache for both contenders.
    find();

    // Catalogs live in their own temp folder: next to gigabytes of freshly written bench
    // files, ext4 placed the catalog's blocks so that writes ran twice as slow (measured).
    let dbs = tempfile::tempdir().expect("temp dir");
    let db = dbs.path().join("bench.db");
    fresh(&db);
    // The floor reads every file: its pages are warm from `find` above. The first scan and
    // its floor alternate (a fresh catalog each time), so drift in this machine's speed
    // touches both; each is the median of its runs (one run of a noisy quantity misled
    // before: the same binary measured 2.5-3.6 s at 100,000 files over an afternoon).
    let first_runs = env_num("SHELF_BENCH_FIRST_RUNS", 3) as usize;
    sha_floor(&tree);
    // The larger tree, when asked for: its first scans alternate with this tree's.
    let scale = match env_num("SHELF_BENCH_SCALE_FILES", 0) {
        0 => None,
        n => {
            let dir = std::env::var_os("SHELF_BENCH_SCALE_DIR")
                .map_or_else(|| PathBuf::from("target/bench-1m"), PathBuf::from);
            let big_tree = std::path::absolute(dir.join("tree")).expect("abs");
            make_tree(&big_tree, n).expect("build the larger tree");
            Some((big_tree, n, dbs.path().join("scale.db")))
        }
    };
    let scale_runs = env_num("SHELF_BENCH_SCALE_RUNS", 3) as usize;
    let (mut floors, mut firsts, mut scaled) = (Vec::new(), Vec::new(), Vec::new());
    let mut first = None;
    let reported = page_reporting();
    for run in 0..first_runs.max(1) {
        let larger = scale.as_ref().filter(|_| run < scale_runs);
        // A round against the larger tree scans this one `SMALL_PER_ROUND` times and takes
        // the median: a one-second scan catches this host's swings in speed whole, where
        // the larger tree's ten seconds average them (one round's ratio, single scans each,
        // ran from 0.81x to 1.29x within ten minutes here).
        let mut small = Vec::new();
        for _ in 0..if larger.is_some() { SMALL_PER_ROUND } else { 1 } {
            fresh(&db);
            if larger.is_some() {
                // The larger tree pushed this one out of the page cache: read it back first,
                // or the floor alone pays for the disk and the scan after it finds it warm.
                sha_floor(&tree);
            }
            let (floor, took, r) = floor_then_scan(&|| sha_floor(&tree), &db, &tree);
            floors.push(floor);
            firsts.push(took);
            assert_eq!(r.counts.new, files);
            first = Some(r);
            small.push((floor, took));
        }
        if let Some((big_tree, n, big_db)) = larger {
            fresh(big_db);
            sha_floor(big_tree);
            let (big_floor, big_took, r) =
                floor_then_scan(&|| sha_floor(big_tree), big_db, big_tree);
            assert_eq!(r.counts.new, *n);
            // The catalog stays: the next round starts afresh, and the last one's serves
            // the larger tree's rescans below.
            let (floor, took) = (
                median(small.iter().map(|p| p.0).collect()),
                median(small.iter().map(|p| p.1).collect()),
            );
            scaled.push(((floor, took), (big_floor, big_took)));
        }
    }
    let first = first.expect("one first scan");
    let range = |v: &[Duration]| {
        let lo = v.iter().min().map_or(0.0, Duration::as_secs_f64);
        let hi = v.iter().max().map_or(0.0, Duration::as_secs_f64);
        format!("{lo:.2}-{hi:.2}s")
    };
    let (first_range, floor_range) = (range(&firsts), range(&floors));
    let n_firsts = firsts.len();
    let (first_time, floor) = (median(firsts), median(floors));
    println!(
        "first scan: {files} files, {} MB hashed, {:.2}s median of {} ({first_range}; {:.0} files/s); find | xargs -P2 sha256sum: {:.2}s ({floor_range}); ratio {:.2}x (goal <= 2x)",
        first.counts.bytes_hashed / 1_000_000,
        first_time.as_secs_f64(),
        n_firsts,
        files as f64 / first_time.as_secs_f64(),
        floor.as_secs_f64(),
        first_time.as_secs_f64() / floor.as_secs_f64()
    );

    if let Some((_, n, _)) = &scale {
        linearity("first scan", &scaled, files, *n);
    }
    if let (Some((settings, before)), Some((_, after))) = (reported, page_reporting())
        && after > before
    {
        println!(
            "memory: this machine hands memory freed for a while back to its host (free page reporting: {settings}): {} MB handed back during the first scans; writing into such memory again costs more (docs/benchmarks.md: what that does to a million-file first scan there)",
            (after - before) / 1024
        );
    }

    let mut rescans = Vec::new();
    let mut finds = Vec::new();
    for _ in 0..runs {
        let (floor, took, r) = floor_then_scan(&find, &db, &tree);
        finds.push(floor);
        rescans.push(took);
        assert_eq!(r.counts.unchanged, files);
        assert_eq!(r.counts.files_hashed, 0);
    }
    let (rescan, find_t) = (median(rescans), median(finds));
    println!(
        "no-change rescan: {:.3}s median of {runs}; find -printf: {:.3}s; ratio {:.2}x (goal <= 1.0x)",
        rescan.as_secs_f64(),
        find_t.as_secs_f64(),
        rescan.as_secs_f64() / find_t.as_secs_f64()
    );
    changed_rescan(&db, &tree, files, runs);
    if let Some((big_tree, n, big_db)) = &scale {
        rescans_side_by_side((&db, &tree, files), (big_db, big_tree, *n), scale_runs);
    }

    let big_root = std::path::absolute(base.join("big")).expect("abs");
    let bigs = make_big(&big_root, big_mb).expect("build big files");
    let total: u64 = bigs
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Warm the cache.
    for p in &bigs {
        let _ = std::fs::read(p).map(|v| v.len());
    }
    let mut openssl = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for p in &bigs {
            time_cmd(
                Command::new("openssl")
                    .args(["dgst", "-sha256"])
                    .arg(p)
                    .stdout(std::process::Stdio::null()),
            );
        }
        openssl.push(t.elapsed());
        let hdb = dbs.path().join("hash.db");
        fresh(&hdb);
        let t = Instant::now();
        let r = scan(&hdb, &big_root);
        ours.push(t.elapsed());
        assert_eq!(r.counts.bytes_hashed, total);
    }
    let (o, s) = (median(openssl), median(ours));
    let gbps = |d: Duration| total as f64 / d.as_secs_f64() / 1e9;
    println!(
        "hashing {} x {} MiB: shelf scan {:.2}s = {:.2} GB/s on {} threads; openssl dgst one after another {:.2}s = {:.2} GB/s; ratio {:.2}x",
        bigs.len(),
        big_mb,
        s.as_secs_f64(),
        gbps(s),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        o.as_secs_f64(),
        gbps(o),
        o.as_secs_f64() / s.as_secs_f64()
    );
    photos(&base, dbs.path());
}

/// 2,000 camera photos: the fixture with EXIF and GPS, each made ~200 KB and distinct by
/// bytes after its end (as a camera's image data would be).
fn make_photos(root: &Path) -> std::io::Result<()> {
    let marker = root.join(".complete");
    if marker.exists() {
        return Ok(());
    }
    let exif = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/full_exif.jpg"
    ))?;
    let day = root.join("DCIM/100CANON");
    std::fs::create_dir_all(&day)?;
    for i in 0..2000u64 {
        let mut v = exif.clone();
        v.extend(body(i).iter().cycle().take(200_000));
        v.extend_from_slice(&i.to_le_bytes());
        std::fs::write(day.join(format!("IMG_{i:04}.JPG")), v)?;
    }
    std::fs::write(&marker, b"")
}

fn photos(base: &Path, dbs: &Path) {
    let root = std::path::absolute(base.join("photos")).expect("abs");
    make_photos(&root).expect("build photos");
    let has_exiftool = Command::new("sh")
        .args(["-c", "command -v exiftool"])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for run in 0..3 {
        if has_exiftool {
            theirs.push(time_cmd(
                Command::new("exiftool")
                    .args([
                        "-j",
                        "-r",
                        "-DateTimeOriginal",
                        "-GPSLatitude",
                        "-GPSLongitude",
                    ])
                    .arg(&root)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null()),
            ));
        }
        let db = dbs.join(format!("photos{run}.db"));
        let t = Instant::now();
        let r = scan_as(&db, &root, CollectionKind::Photos);
        ours.push(t.elapsed());
        assert_eq!(r.counts.new, 2000);
    }
    let s = median(ours);
    if theirs.is_empty() {
        println!(
            "photos: 2,000 JPEGs scanned in {:.3}s; exiftool not installed, no comparison",
            s.as_secs_f64()
        );
        return;
    }
    let e = median(theirs);
    println!(
        "photos: 2,000 JPEGs scanned in {:.3}s; exiftool -j alone {:.3}s; shelf {:.1}x faster (goal >= 10x)",
        s.as_secs_f64(),
        e.as_secs_f64(),
        e.as_secs_f64() / s.as_secs_f64()
    );
}

/// Every hundredth file of a tree with its length: what a rescan after 1% changed changes.
struct Hundredth(Vec<(PathBuf, u64)>);

impl Hundredth {
    fn of(tree: &Path) -> Self {
        Self(
            walk_files(tree)
                .into_iter()
                .step_by(100)
                .map(|p| {
                    let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                    (p, len)
                })
                .collect(),
        )
    }

    fn count(&self) -> u64 {
        self.0.len() as u64
    }

    /// Each grown by a byte.
    fn grow(&self) {
        for (p, _) in &self.0 {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(p)
                .expect("open");
            f.write_all(b"x").expect("grow");
        }
    }

    /// Each as it was.
    fn put_back(&self) {
        for (p, len) in &self.0 {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .expect("open");
            f.set_len(*len).expect("put back");
        }
    }
}

/// A rescan, from a quiet disk, that must find `changed` files changed: its time.
fn changed_scan(db: &Path, tree: &Path, changed: u64) -> Duration {
    quiet_disk();
    let t = Instant::now();
    let r = scan(db, tree);
    let took = t.elapsed();
    assert_eq!(r.counts.changed, changed);
    took
}

/// Every hundredth file grows by a byte and the tree is rescanned; then the files are put back
/// as they were and the tree is rescanned again: both scans read, hash and write every
/// hundredth file, one finding new content and the other the old. `runs` pairs, each scan
/// from a quiet disk; the median of all (one run of this measured anywhere from 0.86x to
/// 1.18x of linear over a week: a million-file catalog's rescan is noisy).
fn changed_rescan(db: &Path, tree: &Path, files: u64, runs: usize) {
    let touched = Hundredth::of(tree);
    let mut took = Vec::new();
    for _ in 0..runs.max(1) {
        touched.grow();
        took.push(changed_scan(db, tree, touched.count()));
        touched.put_back();
        took.push(changed_scan(db, tree, touched.count()));
    }
    let n = took.len();
    let range = format!(
        "{:.3}-{:.3}s",
        took.iter().min().map_or(0.0, Duration::as_secs_f64),
        took.iter().max().map_or(0.0, Duration::as_secs_f64)
    );
    println!(
        "rescan after 1% changed: {} of {files} files changed, {:.3}s median of {n} ({range})",
        touched.count(),
        median(took).as_secs_f64()
    );
}

/// The two trees' rescans alternated, `runs` rounds of each kind, for their cost per file
/// (`linearity`): no change (against `find -printf`), then 1% changed, grown and put back
/// (against the same floor: a walk, plus the hundredth's reads). Each tree's catalog holds
/// it as it is on disk.
fn rescans_side_by_side(small: (&Path, &Path, u64), large: (&Path, &Path, u64), runs: usize) {
    let trees = [small, large];
    let rounds: Vec<Round> = (0..runs)
        .map(|_| {
            round(|i| {
                let (db, tree, files) = trees[i];
                let (floor, took, r) = floor_then_scan(&|| stat_floor(tree), db, tree);
                assert_eq!(r.counts.unchanged, files);
                (floor, took)
            })
        })
        .collect();
    linearity("no-change rescan", &rounds, small.2, large.2);
    let touched = trees.map(|(_, tree, _)| Hundredth::of(tree));
    // Rounds alternate: every hundredth file grown, then put back.
    let rounds: Vec<Round> = (0..runs * 2)
        .map(|k| {
            round(|i| {
                let (db, tree, _) = trees[i];
                if k % 2 == 0 {
                    touched[i].grow();
                } else {
                    touched[i].put_back();
                }
                quiet_disk();
                (stat_floor(tree), changed_scan(db, tree, touched[i].count()))
            })
        })
        .collect();
    linearity("rescan after 1% changed", &rounds, small.2, large.2);
}

/// Every file under `root`, in no particular order.
fn walk_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => dirs.push(p),
                Ok(t) if t.is_file() && !e.file_name().to_string_lossy().starts_with('.') => {
                    out.push(p)
                }
                _ => {}
            }
        }
    }
    out.sort();
    out
}
