//! `shelf organise` against the floor of what it must do at least (run with
//! `cargo bench --bench organise`): copy a card's bytes to DEST and read them for a hash.
//! The card is N photos of S MiB (EXIF-dated copies of tests/fixtures/full_exif.jpg, each
//! made distinct) on /dev/shm when there is one (tmpfs), DEST on the project's disk: a
//! copy across file systems, as from a camera card. The floor is `cp -r` of the card and
//! `sha256sum` of every copy, page cache warm. shelf does more: it hashes each source while
//! planning (duplicates), hashes again while copying, fsyncs each file and folder, reads the
//! copy back, journals every step, and catalogs DEST. Knobs: `SHELF_BENCH_PHOTOS`,
//! `SHELF_BENCH_PHOTO_MB`.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a measuring harness

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use shelf::worker::organise::{OrganiseRequest, organise};

fn env_or(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn card(dir: &Path, n: usize, mb: usize) {
    let photo =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full_exif.jpg"))
            .unwrap();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..n {
        let mut d = photo.clone();
        d.reserve(mb << 20);
        while d.len() < mb << 20 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            d.extend_from_slice(&x.to_le_bytes());
        }
        let p = dir.join(format!("DCIM/{:03}/IMG_{i:05}.JPG", i / 500));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, d).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let (n, mb) = (
        env_or("SHELF_BENCH_PHOTOS", 400),
        env_or("SHELF_BENCH_PHOTO_MB", 4),
    );
    let shm = Path::new("/dev/shm");
    let src = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-organise");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    card(src.path(), n, mb);
    let bytes = (n * mb) as f64;
    println!(
        "card: {n} photos of {mb} MiB ({bytes:.0} MiB) in {}",
        src.path().display()
    );

    // The floor: copy, then hash every copy.
    let floor_dest = out.join("floor");
    let t = Instant::now();
    let ok = Command::new("cp")
        .arg("-r")
        .arg(src.path())
        .arg(&floor_dest)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "find '{}' -type f -print0 | xargs -0 -P2 sha256sum > /dev/null",
            floor_dest.display()
        ))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let floor = t.elapsed();
    println!(
        "floor (cp -r, then sha256sum every copy): {:.2} s",
        floor.as_secs_f64()
    );

    let mut config = shelf::config::Config::default();
    config.probe.ffprobe = String::new();
    let req = OrganiseRequest {
        db: out.join("catalog.db"),
        sources: vec![src.path().to_path_buf()],
        dest: out.join("Photos"),
        template: config.organise.template.clone(),
        moving: false,
        dry_run: false,
        config,
        writer: None,
    };
    let t = Instant::now();
    let r = organise(&req).unwrap();
    let took = t.elapsed();
    assert_eq!(r.organised as usize, n, "{:?}", r.errors);
    println!(
        "shelf organise (copy, verified, journaled, cataloged): {:.2} s = {:.0} MiB/s, {:.2}x the floor",
        took.as_secs_f64(),
        bytes / took.as_secs_f64(),
        took.as_secs_f64() / floor.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&out);
}
