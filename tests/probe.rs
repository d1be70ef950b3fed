//! Probing and markers: the committed fixtures read by the in-process readers, EXIF and its
//! fallbacks, ffprobe present and absent, the scan storing it all, markers with undo, and
//! robustness against damaged input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Env, bytes, have_tool, put};
use serde_json::Value;
use shelf::probe::{self, MediaFacts, ProbeOptions, Probed};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn no_ffprobe() -> ProbeOptions {
    ProbeOptions {
        ffprobe: None,
        ffprobe_timeout: Duration::from_secs(10),
    }
}

fn media(name: &str) -> MediaFacts {
    match probe::media(&fixture(name), &no_ffprobe()) {
        Probed::Media(m) => m,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn matroska_and_mp4_with_chapters() {
    for (name, container) in [("chapters.mkv", "matroska"), ("chapters.mp4", "mp4")] {
        let m = media(name);
        assert_eq!(m.container.as_deref(), Some(container), "{name}");
        assert_eq!(
            (m.video_codec.as_deref(), m.audio_codec.as_deref()),
            (Some("h264"), Some("aac")),
            "{name}"
        );
        assert_eq!((m.width, m.height), (Some(64), Some(48)), "{name}");
        assert_eq!(m.frame_rate, Some(10.0), "{name}");
        let d = m.duration_ms.unwrap();
        assert!((2990..=3100).contains(&d), "{name}: {d}");
        let ch: Vec<(i64, Option<i64>, Option<&str>)> = m
            .chapters
            .iter()
            .map(|c| (c.start_ms, c.end_ms, c.title.as_deref()))
            .collect();
        assert_eq!(
            ch,
            vec![
                (0, Some(1000), Some("Opening")),
                (1000, Some(2000), Some("Act One")),
                (2000, Some(3000), Some("Credits"))
            ],
            "{name}"
        );
    }
}

#[test]
fn hevc_vp9_av1_and_a_truncated_file() {
    let m = media("hevc.mp4");
    assert_eq!(m.video_codec.as_deref(), Some("hevc"));
    let m = media("vp9.webm");
    assert_eq!(
        (
            m.container.as_deref(),
            m.video_codec.as_deref(),
            m.audio_codec.as_deref()
        ),
        (Some("webm"), Some("vp9"), Some("opus"))
    );
    let m = media("av1.webm");
    assert_eq!(m.video_codec.as_deref(), Some("av1"));
    match probe::media(&fixture("truncated.mkv"), &no_ffprobe()) {
        Probed::Failed(why) => assert!(why.contains("truncated"), "{why}"),
        other => panic!("a truncated file is a failure: {other:?}"),
    }
    // Other containers need ffprobe; without it they are said to need it, not failed.
    assert_eq!(
        probe::media(&fixture("clip.avi"), &no_ffprobe()),
        Probed::NeedsFfprobe
    );
}

#[test]
fn a_preallocated_download_is_said_at_once_without_ffprobe() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = dir.path().join("Film (2020).mkv");
    std::fs::write(&zeros, vec![0u8; 1 << 20]).unwrap();
    // ffprobe configured to a program that would fail the test if it ran.
    let opts = ProbeOptions {
        ffprobe: Some(PathBuf::from("/nonexistent/ffprobe-must-not-run")),
        ffprobe_timeout: Duration::from_secs(1),
    };
    match probe::media(&zeros, &opts) {
        Probed::Failed(why) => assert!(why.contains("zeros"), "{why}"),
        other => panic!("{other:?}"),
    }
    // A short file of zeros is too small to judge: it goes the usual way.
    let short = dir.path().join("short.avi");
    std::fs::write(&short, [0u8; 100]).unwrap();
    match probe::media(&short, &opts) {
        Probed::Failed(why) => assert!(!why.contains("zeros"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ffprobe_reads_other_containers() {
    if !have_tool("ffprobe") {
        return;
    }
    let opts = ProbeOptions {
        ffprobe: probe::find_ffprobe("ffprobe"),
        ffprobe_timeout: Duration::from_secs(20),
    };
    match probe::media(&fixture("clip.avi"), &opts) {
        Probed::Media(m) => {
            assert_eq!(m.container.as_deref(), Some("avi"));
            assert_eq!(
                (m.video_codec.as_deref(), m.audio_codec.as_deref()),
                (Some("mpeg4"), Some("mp3"))
            );
            assert_eq!((m.width, m.height), (Some(64), Some(48)));
            assert!(m.duration_ms.is_some_and(|d| (2900..=3300).contains(&d)));
        }
        other => panic!("{other:?}"),
    }
    // The in-process readers and ffprobe agree on what they both read.
    for name in ["chapters.mkv", "chapters.mp4", "hevc.mp4", "vp9.webm"] {
        let ours = media(name);
        let theirs = probe::ffprobe::probe(
            Path::new("ffprobe"),
            &fixture(name),
            Duration::from_secs(20),
        )
        .unwrap();
        assert_eq!(ours.video_codec, theirs.video_codec, "{name}");
        assert_eq!(ours.audio_codec, theirs.audio_codec, "{name}");
        assert_eq!(
            (ours.width, ours.height),
            (theirs.width, theirs.height),
            "{name}"
        );
        assert_eq!(ours.chapters.len(), theirs.chapters.len(), "{name}");
        let (a, b) = (ours.duration_ms.unwrap(), theirs.duration_ms.unwrap());
        assert!((a - b).abs() <= 50, "{name}: {a} vs {b}");
    }
}

#[test]
fn exif_fields_and_every_date_fallback() {
    let p = probe::exif::read(&fixture("full_exif.jpg"), "full_exif.jpg", 0).unwrap();
    assert_eq!(
        p.captured_at.as_deref(),
        Some("2023-12-25T12:34:56.123+02:00"),
        "wall clock with its offset"
    );
    assert_eq!(p.captured_at_source, Some("exif"));
    assert_eq!(
        (p.gps_lat, p.gps_lon),
        (Some(-33.8568), Some(151.2153)),
        "S is negative"
    );
    assert_eq!(p.gps_alt, Some(58.0));
    assert_eq!(
        (p.camera_make.as_deref(), p.camera_model.as_deref()),
        (Some("Canon"), Some("Canon EOS R5"))
    );
    assert_eq!(p.orientation, Some(6));
    assert_eq!((p.width, p.height), (Some(32), Some(24)));
    // Malformed EXIF: the lenient reader keeps everything but the broken entry.
    let p = probe::exif::read(&fixture("malformed_exif.jpg"), "x.jpg", 0).unwrap();
    assert_eq!(p.captured_at_source, Some("exif"));
    assert_eq!(p.camera_model.as_deref(), Some("Canon EOS R5"));
    assert_eq!(p.camera_make, None);
    // HEIC.
    let p = probe::exif::read(&fixture("photo.heic"), "photo.heic", 0).unwrap();
    assert_eq!(
        (p.captured_at.as_deref(), p.camera_model.as_deref()),
        (Some("2022-07-04T09:08:07"), Some("iPhone 15"))
    );
    // No EXIF: the name's date, else the mtime.
    let p = probe::exif::read(&fixture("no_exif.jpg"), "PXL_20231225_123456789.jpg", 0).unwrap();
    assert_eq!(
        (p.captured_at.as_deref(), p.captured_at_source),
        (Some("2023-12-25T12:34:56"), Some("filename"))
    );
    let p = probe::exif::read(
        &fixture("no_exif.jpg"),
        "holiday.jpg",
        1_700_000_000_000_000_000,
    )
    .unwrap();
    assert_eq!(
        (p.captured_at.as_deref(), p.captured_at_source),
        (Some("2023-11-14T22:13:20.000Z"), Some("mtime"))
    );
    // A zero date is no date.
    let p = probe::exif::read(&fixture("zero_date.jpg"), "IMG-20220101-WA0003.jpg", 0).unwrap();
    assert_eq!(
        (p.captured_at.as_deref(), p.captured_at_source),
        (Some("2022-01-01T00:00:00"), Some("filename"))
    );
    assert_eq!(p.camera_make.as_deref(), Some("Nikon"));
}

/// Deterministic damage: flipped bytes, cut files, garbage inserted. Nothing may panic.
#[test]
fn damaged_input_never_panics() {
    let mut x: u64 = 0x2545F4914F6CDD1D;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for name in [
        "chapters.mkv",
        "chapters.mp4",
        "vp9.webm",
        "hevc.mp4",
        "full_exif.jpg",
        "photo.heic",
    ] {
        let orig = std::fs::read(fixture(name)).unwrap();
        for round in 0..400 {
            let mut d = orig.clone();
            match round % 4 {
                0 => {
                    for _ in 0..1 + rnd() % 8 {
                        let i = (rnd() as usize) % d.len();
                        d[i] = rnd() as u8;
                    }
                }
                1 => d.truncate((rnd() as usize) % d.len()),
                2 => {
                    let i = (rnd() as usize) % d.len();
                    let junk: Vec<u8> = (0..rnd() % 64).map(|_| rnd() as u8).collect();
                    d.splice(i..i, junk);
                }
                _ => {
                    // Sizes are where parsers go wrong: set 4 bytes to extreme values.
                    let i = (rnd() as usize) % d.len().saturating_sub(4).max(1);
                    let v = [0xFF, 0x00, 0x7F, 0x80][(rnd() % 4) as usize];
                    for b in d.iter_mut().skip(i).take(4) {
                        *b = v;
                    }
                }
            }
            let len = d.len() as u64;
            let _ = shelf::probe::mkv::parse(&mut std::io::Cursor::new(&d), len);
            let _ = shelf::probe::mp4::parse(&mut std::io::Cursor::new(&d), len);
            let _ = shelf::probe::exif::from_bytes(&d, "x.jpg", 0);
        }
    }
}

fn asset<'a>(rows: &'a Value, end: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with(end))
        .unwrap()
}

#[test]
fn a_scan_stores_probes_chapters_and_review_items() {
    let env = Env::new();
    let lib = env.path("lib");
    let ep = lib.join("Show (2020)/Season 1/Show (2020) - S01E01.mkv");
    put(&ep, &std::fs::read(fixture("chapters.mkv")).unwrap());
    put(
        &lib.join("Movie (2001)/Movie (2001).mp4"),
        &std::fs::read(fixture("chapters.mp4")).unwrap(),
    );
    put(
        &lib.join("broken/Broken (2002).mkv"),
        &std::fs::read(fixture("truncated.mkv")).unwrap(),
    );
    put(
        &lib.join("Photos/full.jpg"),
        &std::fs::read(fixture("full_exif.jpg")).unwrap(),
    );
    put(
        &lib.join("Photos/plain.jpg"),
        &std::fs::read(fixture("no_exif.jpg")).unwrap(),
    );
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 1, "the truncated file is a per-file error: {v}");
    assert!(
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["reason"].as_str().unwrap().contains("truncated"))
    );
    let rows = env.json(&["export", "--format", "json"]);
    let a = asset(&rows, "S01E01.mkv");
    assert_eq!(
        (
            a["container"].as_str(),
            a["video_codec"].as_str(),
            a["audio_codec"].as_str()
        ),
        (Some("matroska"), Some("h264"), Some("aac"))
    );
    assert_eq!(
        (
            a["width"].as_i64(),
            a["height"].as_i64(),
            a["chapters"].as_i64()
        ),
        (Some(64), Some(48), Some(3))
    );
    assert!(a["duration_ms"].as_i64().unwrap() > 2900);
    let p = asset(&rows, "full.jpg");
    assert_eq!(
        (p["captured_at"].as_str(), p["captured_at_source"].as_str()),
        (Some("2023-12-25T12:34:56.123+02:00"), Some("exif"))
    );
    assert_eq!(
        (p["gps_lat"].as_f64(), p["gps_lon"].as_f64()),
        (Some(-33.8568), Some(151.2153))
    );
    assert_eq!(
        (p["camera_make"].as_str(), p["camera_model"].as_str()),
        (Some("Canon"), Some("Canon EOS R5"))
    );
    assert_eq!(asset(&rows, "plain.jpg")["captured_at_source"], "mtime");
    let b = asset(&rows, "Broken (2002).mkv");
    assert_eq!(b["probe_failed"], true);
    let items = env.json(&["review", "list", "--json"]);
    let reason_of = |end: &str| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["path"].as_str().unwrap().ends_with(end))
            .map(|i| i["reason"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(reason_of("plain.jpg").contains(&"missing_date".to_string()));
    assert!(reason_of("Broken (2002).mkv").contains(&"probe_failed".to_string()));
    assert!(
        reason_of("S01E01.mkv").contains(&"too_short".to_string()),
        "a 3 s episode"
    );
    assert!(reason_of("full.jpg").is_empty());
    // A scan writes without SQLite testing its rows against the CHECK rules: every row of
    // every table still keeps them.
    env.ok(&["db", "check"]);

    // Markers: the file's chapters, plus a person's; a changed file replaces only the file's.
    let id = a["id"].as_i64().unwrap().to_string();
    let ms = env.json(&["markers", "list", &id, "--json"]);
    let ms = ms.as_array().unwrap();
    assert_eq!(ms.len(), 3);
    for k in [
        "id",
        "asset_id",
        "path",
        "kind",
        "start_ms",
        "end_ms",
        "label",
        "source",
        "confidence",
    ] {
        assert!(ms[0].get(k).is_some(), "marker row lacks {k}");
    }
    assert_eq!(
        (
            ms[1]["kind"].as_str(),
            ms[1]["source"].as_str(),
            ms[1]["label"].as_str()
        ),
        (Some("chapter"), Some("file"), Some("Act One"))
    );
    env.ok(&[
        "markers",
        "add",
        &id,
        "--kind",
        "bumper",
        "--start",
        "00:00:00.500",
        "--end",
        "1500",
        "--label",
        "Station ID",
    ]);
    // A chapter a person edited is theirs now: the file changing does not take it away.
    let act_one = ms[1]["id"].as_i64().unwrap().to_string();
    env.ok(&["markers", "edit", &act_one, "--label", "Cold open"]);
    std::fs::write(&ep, std::fs::read(fixture("vp9.webm")).unwrap()).unwrap();
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["changed"], 1);
    let ms = env.json(&["markers", "list", &id, "--json"]);
    let kinds: Vec<(String, String)> = ms
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().into(),
                m["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("bumper".to_string(), "manual".to_string()),
            ("chapter".to_string(), "manual".to_string())
        ],
        "the new file has no chapters; the manual marker and the edited chapter stay"
    );
    let rows = env.json(&["export", "--format", "json"]);
    assert_eq!(asset(&rows, "S01E01.mkv")["video_codec"], "vp9");
    env.ok(&["db", "check"]);
}

#[test]
fn files_never_probed_are_probed_once_by_the_next_scan() {
    let env = Env::new();
    let lib = env.path("lib");
    put(
        &lib.join("Show (2020)/Season 1/Show (2020) - S01E01.mkv"),
        &std::fs::read(fixture("chapters.mkv")).unwrap(),
    );
    put(
        &lib.join("Photos/full.jpg"),
        &std::fs::read(fixture("full_exif.jpg")).unwrap(),
    );
    put(&lib.join("Show (2020)/notes.txt"), b"not media");
    put(
        &lib.join("Broken (2001)/Broken (2001).mkv"),
        &std::fs::read(fixture("truncated.mkv")).unwrap(),
    );
    let (code, _) = env.scan_json(&[&lib]);
    assert_eq!(code, 1, "the truncated file is a per-file problem");
    // As a catalog from before probing existed: contents unknown, no chapters.
    env.conn()
        .execute_batch(
            "UPDATE assets SET probed_at = NULL, container = NULL, video_codec = NULL,
                               duration_ms = NULL, captured_at = NULL, captured_at_source = NULL;
             DELETE FROM markers;",
        )
        .unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(
        (
            v["unchanged"].as_u64(),
            v["files_hashed"].as_u64(),
            v["probed"].as_u64()
        ),
        (Some(4), Some(0), Some(3)),
        "nothing is hashed again; the videos and the photo are probed: {v}"
    );
    // A file read late that cannot be read is a problem of this scan, as on a first read.
    assert_eq!(code, 1, "{v}");
    let errs = v["errors"].as_array().unwrap();
    assert!(
        errs.iter().any(
            |e| e["path"].as_str().unwrap().ends_with("Broken (2001).mkv")
                && e["reason"].as_str().unwrap().starts_with("cannot probe")
        ),
        "{v}"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM assets WHERE container = 'matroska' AND video_codec = 'h264'"
        ),
        1
    );
    assert_eq!(
        env.count("SELECT count(*) FROM markers WHERE source = 'file'"),
        3
    );
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE captured_at_source = 'exif'"),
        1
    );
    // Once is enough.
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["probed"].as_u64(), Some(0), "{v}");
}

#[test]
fn without_ffprobe_the_scan_says_so_once() {
    let env = Env::new();
    std::fs::write(&env.config, "[probe]\nffprobe = \"/nonexistent/ffprobe\"\n").unwrap();
    let lib = env.path("lib");
    for n in 0..3 {
        put(&lib.join(format!("clip{n}.avi")), &{
            let mut d = std::fs::read(fixture("clip.avi")).unwrap();
            d.push(n);
            d
        });
    }
    let (code, v) = env.scan_json(&[&lib]);
    assert_eq!(code, 0, "a missing tool is no file's fault: {v}");
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{v}");
    assert!(
        w[0].as_str().unwrap().contains("ffprobe is not installed")
            && w[0].as_str().unwrap().contains("3 file")
    );
    // `shelf status` tells it as the last scan's warning, not as a problem of a file.
    let st = env.json(&["status", "--json"]);
    assert_eq!(
        st["last_scan_problems"].as_array().unwrap().len(),
        0,
        "{st}"
    );
    let sw = st["last_scan_warnings"].as_array().unwrap();
    assert_eq!(sw.len(), 1, "{st}");
    assert!(sw[0]["path"].is_null() && sw[0]["message"].as_str().unwrap().contains("ffprobe"));
    let out = env.shelf().arg("status").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warnings of the last scan (no file's fault) (1):")
            && !text.contains("problems in the last scan"),
        "{text}"
    );
    let rows = env.json(&["export", "--format", "json"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["duration_ms"].is_null() && r["probe_failed"] == false)
    );
    // Remembered as waiting for ffprobe (and said so in the export): a scan without it does
    // not open them again.
    assert!(rows.as_array().unwrap().iter().all(|r| {
        r["probe_error"]
            .as_str()
            .is_some_and(|e| e.contains("needs ffprobe"))
    }));
    // The sentence is the flag's, said where it is read: no row stores a copy of it.
    let stored: (i64, i64) = env
        .conn()
        .query_row(
            "SELECT count(*) FILTER (WHERE needs_ffprobe = 1), count(probe_error) FROM assets",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored, (3, 0));
    let (_, v) = env.scan_json(&[]);
    assert_eq!(v["probed"].as_u64(), Some(0), "{v}");
    assert!(v["warnings"].as_array().unwrap().is_empty(), "{v}");
    // With ffprobe installed, the next scan reads them, without hashing anything again.
    if have_tool("ffprobe") {
        std::fs::write(&env.config, "[probe]\nffprobe = \"ffprobe\"\n").unwrap();
        let (code, v) = env.scan_json(&[]);
        assert_eq!(code, 0, "{v}");
        assert_eq!(
            (v["probed"].as_u64(), v["files_hashed"].as_u64()),
            (Some(3), Some(0)),
            "{v}"
        );
        assert_eq!(
            env.count("SELECT count(*) FROM assets WHERE container = 'avi' AND duration_ms > 0"),
            3
        );
    }
}

#[test]
fn markers_cli_validates_generates_exports_and_undoes() {
    let env = Env::new();
    let lib = env.path("lib");
    put(
        &lib.join("Movie (2001)/Movie (2001).mkv"),
        &std::fs::read(fixture("chapters.mkv")).unwrap(),
    );
    put(
        &lib.join("Other (2002)/Other (2002).mp4"),
        &std::fs::read(fixture("hevc.mp4")).unwrap(),
    );
    put(
        &lib.join("pic.jpg"),
        &std::fs::read(fixture("full_exif.jpg")).unwrap(),
    );
    env.scan_json(&[&lib]);
    let path = lib.join("Movie (2001)/Movie (2001).mkv");
    let p = path.to_str().unwrap();
    let refuse = |args: &[&str], why: &str| {
        let out = env.shelf().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{args:?}: {err}");
    };
    refuse(
        &["markers", "add", p, "--kind", "commercial", "--start", "0"],
        "unknown kind",
    );
    refuse(
        &[
            "markers", "add", p, "--kind", "avail", "--start", "00:00:10",
        ],
        "past the end of the file",
    );
    refuse(
        &[
            "markers", "add", p, "--kind", "intro", "--start", "2000", "--end", "1000",
        ],
        "before the start",
    );
    refuse(
        &["markers", "add", p, "--kind", "avail", "--start", "1:2:3:4"],
        "not a time",
    );
    refuse(
        &[
            "markers",
            "add",
            lib.join("pic.jpg").to_str().unwrap(),
            "--kind",
            "avail",
            "--start",
            "0",
        ],
        "not video or audio",
    );
    refuse(&["markers", "list", "/no/such/file.mkv"], "no asset");

    // Avails at chapter boundaries on the movie, evenly spaced on the file without chapters.
    let said = env.ok(&["markers", "generate", p, "--avails", "2"]);
    assert!(said.contains("at chapter boundaries"), "{said}");
    let other = lib.join("Other (2002)/Other (2002).mp4");
    let said = env.ok(&[
        "markers",
        "generate",
        other.to_str().unwrap(),
        "--avails",
        "2",
    ]);
    assert!(
        said.contains("evenly spaced")
            && said.contains("0:00:01.000")
            && said.contains("0:00:02.000"),
        "{said}"
    );
    let avails = |env: &Env| -> Vec<(i64, String, f64)> {
        let v = env.json(&["markers", "list", p, "--json"]);
        v.as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "avail")
            .map(|m| {
                (
                    m["start_ms"].as_i64().unwrap(),
                    m["source"].as_str().unwrap().into(),
                    m["confidence"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        avails(&env),
        vec![
            (1000, "generated".into(), 0.7),
            (2000, "generated".into(), 0.7)
        ]
    );
    // Generating again replaces the generated ones.
    env.ok(&["markers", "generate", p, "--avails", "1"]);
    assert_eq!(avails(&env).len(), 1);

    env.ok(&[
        "markers",
        "add",
        p,
        "--kind",
        "outro",
        "--start",
        "0:02.5",
        "--end",
        "3000",
        "--label",
        "Credits roll",
    ]);
    let v = env.json(&["markers", "list", p, "--json"]);
    let outro = v
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "outro")
        .unwrap()
        .clone();
    assert_eq!(
        (
            outro["start_ms"].as_i64(),
            outro["end_ms"].as_i64(),
            outro["source"].as_str()
        ),
        (Some(2500), Some(3000), Some("manual"))
    );
    let oid = outro["id"].as_i64().unwrap().to_string();
    env.ok(&[
        "markers", "edit", &oid, "--start", "2600", "--label", "Roll",
    ]);
    refuse(
        &["markers", "edit", &oid, "--end", "100"],
        "before the start",
    );
    env.ok(&["markers", "rm", &oid]);
    assert!(
        !env.json(&["markers", "list", p, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "outro")
    );
    // Undo: the removal, then the edit, one at a time.
    env.ok(&["markers", "undo"]);
    let back = env.json(&["markers", "list", p, "--json"]);
    let o = back
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "outro")
        .unwrap();
    assert_eq!(
        (o["start_ms"].as_i64(), o["label"].as_str()),
        (Some(2600), Some("Roll"))
    );
    env.ok(&["markers", "undo"]);
    let back = env.json(&["markers", "list", p, "--json"]);
    let o = back
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "outro")
        .unwrap();
    assert_eq!(
        (o["start_ms"].as_i64(), o["label"].as_str()),
        (Some(2500), Some("Credits roll"))
    );

    // Export in every format.
    let all = env.json(&["markers", "export", "--format", "json"]);
    assert!(all.as_array().unwrap().len() >= 5);
    let jl = env.ok(&["markers", "export", "--format", "jsonl"]);
    assert_eq!(jl.lines().count(), all.as_array().unwrap().len());
    let csv = env.ok(&["markers", "export", "--format", "csv"]);
    assert!(
        csv.starts_with("id,asset_id,path,path_hex,kind,start_ms,end_ms,label,source,confidence")
    );
    // Dry runs write nothing.
    let said = env.ok(&[
        "markers",
        "add",
        p,
        "--kind",
        "avail",
        "--start",
        "100",
        "--dry-run",
    ]);
    assert!(said.contains("dry run"));
    assert_eq!(
        env.json(&["markers", "export", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        all.as_array().unwrap().len()
    );
}

#[test]
fn out_of_range_chapters_are_skipped_with_a_warning() {
    let env = Env::new();
    let c = env.conn();
    c.execute_batch(
        "INSERT INTO sources (name, kind, created_at, updated_at) VALUES ('s', 'filesystem', 'x', 'x');
         INSERT INTO collections (source_id, external_id, name, root, created_at, updated_at) VALUES (1, 'x', 's', X'2f', 'x', 'x');
         INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen, duration_ms)
             VALUES (1, X'61', 1, 1, 'video', 'x', 'x', 10000);
         INSERT INTO changesets (kind, started_at) VALUES ('scan', 'x');",
    )
    .unwrap();
    let ch = |s: i64, e: Option<i64>| shelf::probe::Chapter {
        start_ms: s,
        end_ms: e,
        title: None,
    };
    let warnings = shelf::catalog::markers::replace_file_chapters(
        &c,
        1,
        &[
            ch(0, Some(5000)),
            ch(5000, Some(10_200)),
            ch(12_000, Some(13_000)),
            ch(3000, Some(2000)),
        ],
        Some(10_000),
        1,
    )
    .unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("chapter 3") && warnings[0].contains("outside the file"));
    let kept: Vec<(i64, i64)> = c
        .prepare("SELECT start_ms, end_ms FROM markers ORDER BY start_ms")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kept,
        vec![(0, 5000), (5000, 10_000)],
        "a few frames past the end are clamped"
    );
}

#[test]
fn what_ffprobe_says_of_a_file_it_cannot_read_names_the_file_once() {
    if !have_tool("ffprobe") {
        return;
    }
    let env = Env::new();
    std::fs::write(&env.config, "[probe]\nffprobe = \"ffprobe\"\n").unwrap();
    let lib = env.path("lib");
    // Named like a video, neither Matroska nor MP4 inside: ffprobe is asked, and cannot read it.
    put(
        &lib.join("Show (2019)/Season 01/Show.S01E01.mkv"),
        &bytes(7, 5000),
    );
    let (_, v) = env.scan_json(&[&lib]);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    let reason = errors[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("cannot probe: ffprobe could not read it"),
        "{reason}"
    );
    // The problem is listed under its path: ffprobe's own copy of it is left out, and its
    // verdict stays.
    assert!(!reason.contains("Show.S01E01.mkv"), "{reason}");
    assert!(
        reason.ends_with("could not read it: Invalid data found when processing input"),
        "ffprobe's verdict: {reason}"
    );
}

#[test]
fn an_ffprobe_that_complains_at_length_is_heard_to_its_verdict() {
    // A damaged file can make ffprobe write more complaints than a pipe holds before it
    // exits: they are read as they come, and its last line is what the problem says.
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("ffprobe");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor last; do :; done\ni=0\nwhile [ $i -lt 4000 ]; do\n  echo \"[mpegts @ 0x1] packet $i damaged on the way, skipped\" >&2\n  i=$((i+1))\ndone\necho \"$last: Invalid data found when processing input\" >&2\nexit 1\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = dir.path().join("damaged.ts");
    std::fs::write(&file, b"not a transport stream").unwrap();
    let err = probe::ffprobe::probe(&fake, &file, Duration::from_secs(20))
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("ffprobe could not read it: Invalid data found when processing input"),
        "{err}"
    );
}
