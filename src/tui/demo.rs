//! `shelf --demo`: a small, realistic library made in a temporary folder from tiny real media
//! files built into the binary (shows with seasons, a movie folder, doubtful names, a
//! duplicate, photos with EXIF, videos with chapters), so every screen has something on it.

use std::path::Path;

const MKV: &[u8] = include_bytes!("../../tests/fixtures/chapters.mkv");
const MP4: &[u8] = include_bytes!("../../tests/fixtures/chapters.mp4");
const WEBM: &[u8] = include_bytes!("../../tests/fixtures/vp9.webm");
const HEVC: &[u8] = include_bytes!("../../tests/fixtures/hevc.mp4");
const JPG: &[u8] = include_bytes!("../../tests/fixtures/full_exif.jpg");
const PLAIN_JPG: &[u8] = include_bytes!("../../tests/fixtures/no_exif.jpg");
const BROKEN: &[u8] = include_bytes!("../../tests/fixtures/truncated.mkv");

/// The configuration the demo scans with: the user's, except that its clips, a few seconds
/// each, stand for full-length episodes, so they are not sent to review as too short.
pub fn config(base: &crate::config::Config) -> crate::config::Config {
    let mut c = base.clone();
    c.identify.min_episode_secs = 0;
    c
}

/// When the photo without EXIF was taken, as its mtime says (fixed, so the demo and its
/// snapshots are the same every day): 2023-08-14 10:30 UTC.
const UNDATED_PHOTO_MTIME: u64 = 1_692_009_000;

/// Writes the sample library under `root`. Each file gets a distinct tail so only the
/// intended duplicate shares its content.
pub fn build(root: &Path) -> std::io::Result<()> {
    let files: &[(&str, &[u8])] = &[
        (
            "TV/Show Name (2019)/Season 1/Show Name (2019) - S01E01 - Pilot.mkv",
            MKV,
        ),
        (
            "TV/Show Name (2019)/Season 1/Show Name (2019) - S01E02 - The Return.mkv",
            MKV,
        ),
        (
            "TV/Show Name (2019)/Season 1/Show Name (2019) - S01E03E04 - Two Parter.mkv",
            MKV,
        ),
        (
            "TV/Show Name (2019)/Season 2/Show.Name.S02E01.1080p.WEB-DL.x264-GRP.mkv",
            WEBM,
        ),
        (
            "TV/Show Name (2019)/Specials/Show Name - S00E01 - Making Of.mkv",
            MP4,
        ),
        (
            "TV/The Office (US)/Season 1/The Office (US) - S01E01.mp4",
            HEVC,
        ),
        (
            "TV/Doctor Who (2005)/Season 1/Doctor Who (2005) - S01E01.mkv",
            MKV,
        ),
        (
            "TV/Doctor Who (1963)/Season 1/Doctor Who (1963) - S01E01.mkv",
            MKV,
        ),
        ("TV/incoming/Doctor.Who.S02E03.mkv", MKV),
        ("TV/Show Name (2019)/Season 3/Show.Name.S02E05.mkv", MKV),
        ("Movies/Heat (1995)/Heat (1995).mkv", MP4),
        ("Movies/Heat (1995)/Heat (1995)-trailer.mkv", WEBM),
        ("Movies/1917 (2019)/1917 (2019).mp4", HEVC),
        ("Movies/incoming/Some Film.mkv", MKV),
        ("Movies/incoming/DSC_0042.MOV", MP4),
        ("Movies/incoming/Broken Download (2021).mkv", BROKEN),
        ("Photos/2023/IMG_20231225_123456.jpg", JPG),
        ("Photos/2023/holiday.jpg", PLAIN_JPG),
    ];
    for (i, (rel, data)) in files.iter().enumerate() {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        let mut v = data.to_vec();
        v.extend_from_slice(format!("shelf-demo-{i}").as_bytes());
        std::fs::write(&p, v)?;
    }
    let undated = std::fs::File::options()
        .write(true)
        .open(root.join("Photos/2023/holiday.jpg"))?;
    undated.set_modified(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(UNDATED_PHOTO_MTIME),
    )?;
    // A duplicate: the same file twice.
    std::fs::copy(
        root.join("Movies/Heat (1995)/Heat (1995).mkv"),
        root.join("Movies/incoming/Heat.1995.1080p.BluRay.x264-GRP.mkv"),
    )?;
    Ok(())
}
