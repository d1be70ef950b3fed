//! Probe speed per file against the usual tools (run with `cargo bench --bench probe`):
//! - EXIF: shelf's reader over a folder of photos vs `exiftool -j` over the same folder
//!   (one exiftool process for the whole folder, its fastest use);
//! - containers: shelf's in-process Matroska/MP4 readers vs one `ffprobe` per file (as a
//!   scanner must call it).
//!
//! Files are copies of tests/fixtures, each made distinct. Needs exiftool and ffprobe for
//! the comparisons; without them it reports shelf's own figures only.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a measuring harness

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shelf::probe::{self, ProbeOptions, Probed};

fn copies(dir: &Path, src: &str, n: usize, ext: &str) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(src),
    )
    .unwrap();
    (0..n)
        .map(|i| {
            let p = dir.join(format!("f{i:05}.{ext}"));
            let mut d = data.clone();
            d.extend_from_slice(format!("{i}").as_bytes()); // trailing bytes: distinct, still valid
            std::fs::write(&p, d).unwrap();
            p
        })
        .collect()
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-ver")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn per_file(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n as f64
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let opts = ProbeOptions {
        ffprobe: None,
        ffprobe_timeout: Duration::from_secs(20),
    };

    // EXIF.
    let n = 2000;
    let photos = copies(&tmp.path().join("photos"), "full_exif.jpg", n, "jpg");
    let t = Instant::now();
    for p in &photos {
        let f = probe::exif::read(p, "x.jpg", 0).unwrap();
        assert_eq!(f.captured_at_source, Some("exif"));
    }
    let ours = t.elapsed();
    print!(
        "EXIF: shelf {:.1} µs/file over {n} photos",
        per_file(ours, n)
    );
    if have("exiftool") {
        let t = Instant::now();
        let st = Command::new("exiftool")
            .args(["-j", "-q", "-fast"])
            .arg(tmp.path().join("photos"))
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success());
        let theirs = t.elapsed();
        println!(
            "; exiftool -j over the folder {:.1} µs/file; shelf is {:.0}x faster (goal 50x)",
            per_file(theirs, n),
            theirs.as_secs_f64() / ours.as_secs_f64()
        );
    } else {
        println!("; exiftool not installed, no comparison");
    }

    // Containers.
    for (src, ext) in [("chapters.mkv", "mkv"), ("chapters.mp4", "mp4")] {
        let n = 2000;
        let files = copies(&tmp.path().join(ext), src, n, ext);
        let t = Instant::now();
        for f in &files {
            assert!(matches!(probe::media(f, &opts), Probed::Media(_)));
        }
        let ours = t.elapsed();
        print!(
            "{ext}: shelf {:.1} µs/file over {n} files",
            per_file(ours, n)
        );
        if have("ffprobe") {
            let k = 100;
            let t = Instant::now();
            for f in files.iter().take(k) {
                probe::ffprobe::probe(Path::new("ffprobe"), f, Duration::from_secs(20)).unwrap();
            }
            let theirs = t.elapsed();
            let ratio = per_file(theirs, k) / per_file(ours, n);
            println!(
                "; ffprobe (one process per file, {k} files) {:.0} µs/file; shelf is {ratio:.0}x faster (goal 50x)",
                per_file(theirs, k)
            );
        } else {
            println!("; ffprobe not installed, no comparison");
        }
    }
}
