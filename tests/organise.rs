//! `shelf organise`, through the real binary, on real trees on two file systems (the inbox
//! on /dev/shm, tmpfs; DEST under /tmp, ext4 here): dates, collisions, duplicates, pairs and
//! sidecars, files still being written; `--move` killed with SIGKILL at every step of a
//! file's journey, then `resume` and `undo`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use common::{Env, bytes, put};
use serde_json::Value;
use sha2::{Digest, Sha256};

const PHOTO: &[u8] = include_bytes!("fixtures/full_exif.jpg");
const HEIC: &[u8] = include_bytes!("fixtures/photo.heic");

/// A photo taken 2023-12-25 (its EXIF), with bytes of its own after the image.
fn photo(seed: u64) -> Vec<u8> {
    let mut b = PHOTO.to_vec();
    b.extend(bytes(seed, 3000));
    b
}

/// A folder on tmpfs when there is one (a real cross-file-system move to DEST), else /tmp.
fn inbox_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

fn age(path: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(old).unwrap();
}

/// A camera card: EXIF photos, a date only in a name, an undated file, two files named
/// alike with different bytes, a byte-identical copy, a Live Photo pair, RAW+JPEG, sidecars,
/// a file still being written and one that is not media.
fn card(root: &Path) {
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("DCIM/100/IMG_0001.JPG", photo(1)),
        ("DCIM/100/IMG_0001.JPG.xmp", b"<x:xmpmeta/>".to_vec()),
        ("DCIM/100/IMG_0007.JPG", photo(7)),
        ("DCIM/101/IMG_0007.JPG", photo(8)),
        ("DCIM/101/IMG_0009.JPG", photo(1)), // the same bytes as IMG_0001
        ("DCIM/102/IMG_4000.HEIC", HEIC.to_vec()),
        ("DCIM/102/IMG_4000.MOV", bytes(40, 5000)),
        ("DCIM/102/IMG_4000.aae", b"<plist/>".to_vec()),
        ("DCIM/103/DSC_0050.JPG", photo(50)),
        ("DCIM/103/DSC_0050.NEF", bytes(51, 4000)),
        ("DCIM/103/DSC_0050.xmp", b"<raw-xmp/>".to_vec()),
        ("Camera/VID_20220704_120000.mp4", bytes(60, 6000)),
        ("Camera/clip.mp4", bytes(61, 2000)),
        ("notes.txt", b"not media".to_vec()),
    ];
    for (rel, b) in &files {
        put(&root.join(rel), b);
        age(&root.join(rel));
    }
    // Being written right now: left for the next run.
    put(&root.join("DCIM/100/IMG_0099.JPG"), &photo(99));
}

fn sha(b: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b);
    h.finalize().iter().map(|x| format!("{x:02x}")).collect()
}

/// Every file below `root` (but shelf's own folder): relative path → hash.
fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    fn go(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                go(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, sha(&std::fs::read(&p).unwrap()));
            }
        }
    }
    go(root, root, &mut out);
    out
}

fn organise(env: &Env, args: &[&str]) -> (i32, Value, String) {
    let out = env.shelf().arg("organise").args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_card_is_copied_into_dated_folders_with_its_pairs_and_nothing_twice() {
    let env = Env::new();
    let inbox = inbox_dir();
    card(inbox.path());
    let dest = env.path("Photos");
    // Already there: another photo under the name IMG_0001.JPG would take, other bytes.
    put(&dest.join("2023/2023-12-25/img_0001.jpg"), &photo(1000));
    let before = tree(inbox.path());

    let (code, dry, err) = organise(
        &env,
        &[s(inbox.path()), "--into", s(&dest), "--dry-run", "--json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(dry["dry_run"], true);
    assert!(
        !dest.join("2023/2023-12-25/IMG_0007.JPG").exists(),
        "a dry run changes nothing"
    );

    let (code, r, err) = organise(&env, &[s(inbox.path()), "--into", s(&dest), "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        tree(inbox.path()),
        before,
        "copying leaves the card as it was"
    );
    let got = tree(&dest);
    let at = |rel: &str| {
        got.get(rel)
            .cloned()
            .unwrap_or_else(|| panic!("no {rel} in {got:#?}"))
    };
    // The camera's clock: 2023-12-25 12:34:56 +02:00 is the 25th whatever the zone here.
    assert_eq!(
        at("2023/2023-12-25/IMG_0001_1.JPG"),
        sha(&photo(1)),
        "a suffix, not a replaced file"
    );
    assert_eq!(at("2023/2023-12-25/img_0001.jpg"), sha(&photo(1000)));
    assert_eq!(
        at("2023/2023-12-25/IMG_0001_1.JPG.xmp"),
        sha(b"<x:xmpmeta/>"),
        "the sidecar takes the new name"
    );
    // Two IMG_0007.JPG in one batch.
    assert_eq!(at("2023/2023-12-25/IMG_0007.JPG"), sha(&photo(7)));
    assert_eq!(at("2023/2023-12-25/IMG_0007_1.JPG"), sha(&photo(8)));
    // The Live Photo's movie and its edit file travel with the HEIC; RAW and its sidecar with the JPEG.
    assert_eq!(at("2022/2022-07-04/IMG_4000.MOV"), sha(&bytes(40, 5000)));
    assert!(got.contains_key("2022/2022-07-04/IMG_4000.HEIC"));
    assert!(got.contains_key("2022/2022-07-04/IMG_4000.aae"));
    assert!(got.contains_key("2023/2023-12-25/DSC_0050.NEF"));
    assert!(got.contains_key("2023/2023-12-25/DSC_0050.xmp"));
    // A date in the name.
    assert!(got.contains_key("2022/2022-07-04/VID_20220704_120000.mp4"));
    // Byte-identical IMG_0009 is a duplicate: not copied again.
    assert!(!got.keys().any(|k| k.ends_with("IMG_0009.JPG")));
    assert_eq!(r["duplicates"], 1, "{r}");
    let skipped: Vec<String> = r["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "skip")
        .map(|l| format!("{} {}", l["src"], l["reason"]))
        .collect();
    assert!(
        skipped
            .iter()
            .any(|l| l.contains("IMG_0099") && l.contains("still being written")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|l| l.contains("notes.txt")),
        "{skipped:?}"
    );
    let dated_by_mtime = r["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["src"].as_str().unwrap().ends_with("clip.mp4"))
        .unwrap();
    assert_eq!(dated_by_mtime["date_source"], "mtime");
    // And it waits in the review queue for a date.
    assert_eq!(
        env.count(
            "SELECT count(*) FROM review_items r JOIN assets a ON a.id = r.asset_id
             WHERE r.reason = 'missing_date' AND CAST(a.rel_path AS TEXT) LIKE '%clip.mp4'"
        ),
        1
    );

    // The same command again: everything is recognised by content; nothing copied twice.
    let (code, again, _) = organise(&env, &[s(inbox.path()), "--into", s(&dest), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(again["organised"], 0, "{again}");
    assert_eq!(tree(&dest), got);
    // DEST is cataloged as photos.
    let list = env.json(&["source", "list", "--json"]);
    assert!(list.to_string().contains("\"photos\""), "{list}");
    assert!(env.count("SELECT count(*) FROM assets") >= 10);
    // Each landed file keeps its original name and path in the catalog.
    let assets = env.json(&["export", "--what", "assets"]);
    let a = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("IMG_0007_1.JPG"))
        .unwrap();
    assert!(
        a["original_path"]
            .as_str()
            .unwrap()
            .ends_with("DCIM/101/IMG_0007.JPG"),
        "{a}"
    );
    assert!(a["ingested_at"].is_string(), "{a}");
}

#[test]
fn overlapping_folders_and_bad_templates_are_refused_before_anything_moves() {
    let env = Env::new();
    let inbox = env.path("card");
    card(&inbox);
    for (args, why) in [
        (vec![s(&inbox), "--into", s(&inbox)], "overlap"),
        (
            vec![s(&inbox), "--into", &format!("{}/sorted", s(&inbox))],
            "overlap",
        ),
        (
            vec![
                s(&inbox),
                "--into",
                s(&env.path("x")),
                "--template",
                "{year}/{nme}",
            ],
            "unknown token",
        ),
    ] {
        let (code, _, err) = organise(&env, &args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(why), "{err}");
    }
    assert!(!env.path("x").exists());
}

/// The points a file passes on its way, where the crash tests stop the process.
const KILL_POINTS: &[&str] = &[
    "organise.planned",
    "organise.mid_copy",
    "organise.copied",
    "organise.linked",
    "organise.placed",
    "organise.released",
    "organise.before_link",
];

/// Runs `shelf organise … --move` until it reaches `point` for the `nth` time, then SIGKILLs
/// it there. Returns whether it got there (a point a run never reaches just finishes).
fn kill_at(env: &Env, inbox: &Path, dest: &Path, point: &str, nth: usize) -> bool {
    let ready = env.path(&format!("ready-{point}-{nth}"));
    let _ = std::fs::remove_file(&ready);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("shelf"))
        .args([
            "--db",
            s(&env.db),
            "--config",
            s(&env.config),
            "organise",
            s(inbox),
            "--into",
            s(dest),
            "--move",
        ])
        .env("HOME", env.dir.path())
        .env("SHELF_KILL_AT", format!("{point}#{nth}"))
        .env("SHELF_KILL_READY", &ready)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if ready.exists() {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "organise hung");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// After a kill and a resume: every original content is in exactly one place outside the
/// duplicates area (DEST or, not moved, the inbox), surplus copies are set aside, no temp
/// or partial file is left, and (when given) only `left` stays on the card; then undo puts
/// the inbox back byte for byte and leaves DEST empty.
fn check_recovery(
    env: &Env,
    inbox: &Path,
    dest: &Path,
    original: &BTreeMap<String, String>,
    what: &str,
    left_on_card: Option<&[&str]>,
) {
    let out = env
        .shelf()
        .args(["organise", "resume", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: resume: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left = tree(inbox);
    let placed = tree(dest);
    if let Some(want) = left_on_card {
        assert_eq!(
            left.keys().collect::<Vec<_>>(),
            want.to_vec(),
            "{what}: resume finished the move"
        );
    }
    assert!(
        !left
            .keys()
            .chain(placed.keys())
            .any(|k| k.contains(".shelf-") || k.ends_with(".tmp")),
        "{what}: a temp file is left"
    );
    for h in original.values() {
        let in_dest = placed
            .iter()
            .filter(|(k, v)| !k.starts_with(".shelf/") && *v == h)
            .count();
        let outside = left.values().filter(|x| *x == h).count() + in_dest;
        assert!(outside >= 1, "{what}: content {h} is lost");
        assert!(
            in_dest <= 1,
            "{what}: content {h} is in DEST {in_dest} times"
        );
    }
    let list = env.json(&["organise", "list", "--json"]);
    for b in list.as_array().unwrap() {
        let id = b["id"].as_i64().unwrap().to_string();
        let out = env
            .shelf()
            .args(["organise", "undo", &id])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what}: undo {id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        &tree(inbox),
        original,
        "{what}: undo restores the card byte for byte"
    );
    assert!(
        tree(dest).is_empty(),
        "{what}: undo leaves DEST as it was: {:?}",
        tree(dest)
    );
}

fn crash_round(same_fs: bool) {
    let mut reached = 0;
    for point in KILL_POINTS {
        for nth in [1, 3] {
            let env = Env::new();
            let shm = inbox_dir();
            let inbox = if same_fs {
                env.path("card")
            } else {
                shm.path().join("card")
            };
            card(&inbox);
            // The file being written would be skipped either way; age it too.
            age(&inbox.join("DCIM/100/IMG_0099.JPG"));
            let original = tree(&inbox);
            let dest = env.path("Photos");
            if kill_at(&env, &inbox, &dest, point, nth) {
                reached += 1;
            }
            let what = format!("{point}#{nth}, same fs {same_fs}");
            check_recovery(&env, &inbox, &dest, &original, &what, Some(&["notes.txt"]));
        }
    }
    // Each point is reached at least for the first file that passes it (a same-fs move
    // passes no copy), most also for a third.
    let least = if same_fs { 9 } else { 11 };
    assert!(
        reached >= least,
        "the kill points were reached {reached} times"
    );
}

#[test]
fn a_move_killed_across_file_systems_resumes_and_undoes_without_losing_a_byte() {
    crash_round(false);
}

#[test]
fn a_move_killed_on_one_file_system_resumes_and_undoes_without_losing_a_byte() {
    crash_round(true);
}

#[test]
fn undo_refuses_when_a_placed_file_changed_since() {
    let env = Env::new();
    let inbox = inbox_dir();
    card(inbox.path());
    let dest = env.path("Photos");
    let (code, r, err) = organise(
        &env,
        &[s(inbox.path()), "--into", s(&dest), "--move", "--json"],
    );
    assert_eq!(code, 0, "{err}");
    let batch = r["batch"].as_i64().unwrap().to_string();
    let edited = dest.join("2023/2023-12-25/IMG_0007.JPG");
    std::fs::write(&edited, b"edited since").unwrap();
    let before = tree(&dest);
    let (code, _, err) = organise(&env, &["undo", &batch]);
    assert_eq!(code, 2);
    assert!(
        err.contains("IMG_0007.JPG") && err.contains("changed"),
        "{err}"
    );
    assert_eq!(tree(&dest), before, "nothing was undone");
}

/// A file that appears at a planned destination after planning is never replaced: the
/// incoming file takes the next free name.
#[test]
fn a_name_taken_after_planning_is_not_overwritten() {
    let env = Env::new();
    let inbox = inbox_dir();
    card(inbox.path());
    let dest = env.path("Photos");
    assert!(kill_at(&env, inbox.path(), &dest, "organise.planned", 1));
    let squatter = dest.join("2023/2023-12-25/IMG_0007.JPG");
    put(&squatter, b"someone else's file");
    env.ok(&["organise", "resume", "--json"]);
    assert!(
        std::fs::read(&squatter).unwrap() == b"someone else's file",
        "the file that appeared was replaced"
    );
    let placed = tree(&dest);
    assert!(
        placed.values().any(|h| *h == sha(&photo(7))),
        "the card's IMG_0007 landed under another name: {placed:#?}"
    );
}

/// A minimal MP4 whose movie header says it was made at `unix` seconds (UTC).
fn mp4_made_at(unix: u32) -> Vec<u8> {
    let made = unix.wrapping_add(2_082_844_800);
    let mut mvhd = vec![0u8; 4];
    mvhd.extend(made.to_be_bytes());
    mvhd.extend(made.to_be_bytes());
    mvhd.extend(1000u32.to_be_bytes());
    mvhd.extend(5000u32.to_be_bytes());
    let mut data = Vec::new();
    data.extend(16u32.to_be_bytes());
    data.extend(b"ftypisom\0\0\x02\0");
    data.extend(((8 + 8 + mvhd.len()) as u32).to_be_bytes());
    data.extend(b"moov");
    data.extend(((8 + mvhd.len()) as u32).to_be_bytes());
    data.extend(b"mvhd");
    data.extend(&mvhd);
    data
}

/// A video's creation time is UTC: dated at the configured offset, else as UTC (never this
/// machine's zone); a date in its name comes before a bare UTC time.
#[test]
fn videos_are_dated_by_their_container_at_the_configured_offset() {
    let env = Env::new();
    let inbox = inbox_dir();
    // 2023-12-25 23:30 UTC: the 26th at +02:00.
    put(&inbox.path().join("clip.mp4"), &mp4_made_at(1_703_547_000));
    put(&inbox.path().join("VID_20200101_090000.mp4"), &{
        let mut v = mp4_made_at(1_703_547_000);
        v.push(1);
        v
    });
    for f in ["clip.mp4", "VID_20200101_090000.mp4"] {
        age(&inbox.path().join(f));
    }
    let dest = env.path("Photos");
    let (_, r, err) = organise(
        &env,
        &[s(inbox.path()), "--into", s(&dest), "--dry-run", "--json"],
    );
    let dest_of = |r: &Value, name: &str| -> String {
        r["plan"]
            .as_array()
            .unwrap_or_else(|| panic!("{r} {err}"))
            .iter()
            .find(|l| l["src"].as_str().unwrap().ends_with(name))
            .map(|l| format!("{} {}", l["dest"].as_str().unwrap_or(""), l["date_source"]))
            .unwrap()
    };
    assert!(
        dest_of(&r, "/clip.mp4").contains("/2023/2023-12-25/clip.mp4 \"container\""),
        "{r}"
    );
    assert!(
        dest_of(&r, "VID_20200101_090000.mp4").contains("/2020/2020-01-01/"),
        "{r}"
    );
    std::fs::write(
        &env.config,
        "[probe]\nffprobe = \"\"\n[organise]\ntimezone = \"+02:00\"\n",
    )
    .unwrap();
    let (_, r, _) = organise(
        &env,
        &[s(inbox.path()), "--into", s(&dest), "--dry-run", "--json"],
    );
    assert!(
        dest_of(&r, "/clip.mp4").contains("/2023/2023-12-26/clip.mp4"),
        "{r}"
    );
    assert!(
        dest_of(&r, "VID_20200101_090000.mp4").contains("/2023/2023-12-26/"),
        "{r}"
    );
}

/// A property of the journal's recovery, over random inboxes: whatever the files (names that
/// collide in any case, the same bytes twice, pairs and sidecars, nested folders), wherever
/// a move is killed, `resume` then `undo` loses nothing and leaves nothing behind.
#[test]
fn recovery_holds_over_random_plans() {
    let mut seed: u64 = 0x005e_ed0f_0a9a;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let names = [
        "IMG_0001.JPG",
        "img_0001.jpg",
        "IMG_0002.HEIC",
        "IMG_0002.MOV",
        "DSC_1.NEF",
        "DSC_1.JPG",
        "DSC_1.xmp",
        "VID_20210203_040506.mp4",
        "a.png",
        "IMG_0001.JPG.xmp",
    ];
    for round in 0..12 {
        let env = Env::new();
        let shm = inbox_dir();
        let inbox = if next(2) == 0 {
            env.path("card")
        } else {
            shm.path().join("card")
        };
        let files = 2 + next(9) as usize;
        for i in 0..files {
            let dir = ["", "DCIM/100/", "DCIM/101/", "x/y/"][next(4) as usize];
            let name = names[next(names.len() as u64) as usize];
            let content = if next(4) == 0 {
                photo(7)
            } else if name.ends_with("JPG") {
                photo(100 + i as u64)
            } else {
                bytes(200 + i as u64, 1000 + next(3000) as usize)
            };
            let p = inbox.join(format!("{dir}{name}"));
            put(&p, &content);
            age(&p);
        }
        let original = tree(&inbox);
        let dest = env.path("Photos");
        let point = KILL_POINTS[next(KILL_POINTS.len() as u64) as usize];
        let nth = 1 + next(4) as usize;
        kill_at(&env, &inbox, &dest, point, nth);
        // What the move leaves on the card depends on the plan (lone sidecars stay).
        let what = format!("round {round}: {point}#{nth}");
        check_recovery(&env, &inbox, &dest, &original, &what, None);
    }
}

/// Files dated only by their mtime go where `organise.undated` says; a file that cannot be
/// read is an error of its own and the batch goes on.
#[test]
fn undated_files_follow_the_config_and_unreadable_ones_do_not_stop_the_batch() {
    let env = Env::new();
    let inbox = inbox_dir();
    put(&inbox.path().join("scan0001.jpg"), &bytes(9, 700));
    put(&inbox.path().join("IMG_0001.JPG"), &photo(1));
    put(&inbox.path().join("locked.jpg"), &photo(2));
    for f in ["scan0001.jpg", "IMG_0001.JPG", "locked.jpg"] {
        age(&inbox.path().join(f));
    }
    let locked = inbox.path().join("locked.jpg");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(
        &env.config,
        "[probe]\nffprobe = \"\"\n[organise]\nundated = \"Undated/{name}\"\n",
    )
    .unwrap();
    let dest = env.path("Photos");
    let (code, r, err) = organise(&env, &[s(inbox.path()), "--into", s(&dest), "--json"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(dest.join("Undated/scan0001.jpg").exists(), "{r} {err}");
    assert!(dest.join("2023/2023-12-25/IMG_0001.JPG").exists());
    if common::is_root() {
        // Permission bits do not stop root: the file was simply organised.
        assert_eq!(code, 0);
    } else {
        assert_eq!(code, 1, "{r}");
        let errors = r["errors"].to_string();
        assert!(
            errors.contains("locked.jpg") && errors.contains("cannot read"),
            "{errors}"
        );
    }
}

/// A destination changed between a kill and the resume is not trusted: the source it was
/// copied from is kept.
#[test]
fn a_move_resumed_keeps_a_source_whose_copy_changed_meanwhile() {
    let env = Env::new();
    let inbox = inbox_dir();
    card(inbox.path());
    let before = tree(inbox.path());
    let dest = env.path("Photos");
    assert!(kill_at(&env, inbox.path(), &dest, "organise.placed", 1));
    let placed = tree(&dest);
    let (rel, hash) = placed.iter().next().unwrap();
    std::fs::write(dest.join(rel), b"damaged after the copy").unwrap();
    let source = before.iter().find(|(_, h)| *h == hash).unwrap().0;
    let out = env
        .shelf()
        .args(["organise", "resume", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the file's problem is reported");
    assert_eq!(
        tree(inbox.path()).get(source),
        Some(hash),
        "the source of a copy that no longer holds its bytes stays on the card"
    );
}

/// Undoing the only batch of a fresh DEST leaves its folder empty: the catalog marks what the
/// undo took away as missing (it is on the card again), instead of taking the emptied DEST
/// for an unmounted disk and refusing every later scan. A DEST emptied by anything else is
/// still offline.
#[test]
fn undoing_all_of_a_fresh_dest_marks_its_files_missing_not_the_disk_offline() {
    let env = Env::new();
    let inbox = inbox_dir();
    for (rel, seed) in [("DCIM/IMG_0001.JPG", 1), ("DCIM/IMG_0002.JPG", 2)] {
        put(&inbox.path().join(rel), &photo(seed));
        age(&inbox.path().join(rel));
    }
    let dest = env.path("Photos");
    let (code, r, err) = organise(
        &env,
        &[s(inbox.path()), "--into", s(&dest), "--move", "--json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["organised"], 2, "{r}");
    let present = "SELECT count(*) FROM assets WHERE missing_since IS NULL";
    assert_eq!(env.count(present), 2);
    let batch = r["batch"].as_i64().unwrap().to_string();
    let (code, _, err) = organise(&env, &["undo", &batch]);
    assert_eq!(code, 0, "{err}");
    assert!(tree(&dest).is_empty(), "{:?}", tree(&dest));
    assert_eq!(tree(inbox.path()).len(), 2, "both back on the card");
    assert_eq!(env.count(present), 0, "the undo's scan marked them missing");
    assert_eq!(
        env.count("SELECT count(*) FROM assets WHERE missing_since IS NOT NULL"),
        2
    );
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["collections"][0]["offline"], false, "{v}");

    // Organised again, then the folder emptied by hand (not by shelf): offline, as ever.
    let (code, r, err) = organise(&env, &[s(inbox.path()), "--into", s(&dest), "--json"]);
    assert_eq!((code, &r["organised"]), (0, &serde_json::json!(2)), "{err}");
    assert_eq!(env.count(present), 2);
    std::fs::remove_dir_all(&dest).unwrap();
    std::fs::create_dir(&dest).unwrap();
    let (code, v) = env.scan_json(&[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["collections"][0]["offline"], true, "{v}");
    assert_eq!(env.count(present), 2, "nothing marked missing");
}

/// DEST inside a folder that is a source already (a Photos folder in a library) is
/// cataloged by that source: no second source over the same files.
#[test]
fn a_dest_inside_a_source_is_cataloged_by_that_source() {
    let env = Env::new();
    let media = env.path("media");
    put(&media.join("Movies/Film (2001).mkv"), &bytes(5, 1000));
    let (code, v) = env.scan_json(&[&media]);
    assert_eq!(code, 0, "{v}");
    let inbox = inbox_dir();
    put(&inbox.path().join("DCIM/IMG_0001.JPG"), &photo(1));
    age(&inbox.path().join("DCIM/IMG_0001.JPG"));
    let dest = media.join("Photos");
    let (code, r, err) = organise(&env, &[s(inbox.path()), "--into", s(&dest), "--json"]);
    assert_eq!((code, &r["organised"]), (0, &serde_json::json!(1)), "{err}");
    assert_eq!(
        env.count("SELECT count(*) FROM collections"),
        1,
        "no new source"
    );
    assert_eq!(
        env.count(
            "SELECT count(*) FROM assets WHERE CAST(rel_path AS TEXT) LIKE 'Photos/2023/2023-12-25/IMG_0001.JPG'"
        ),
        1,
        "the landed photo, in the library's own catalog"
    );
}
