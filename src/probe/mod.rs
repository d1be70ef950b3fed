//! Probing: what is inside a file. Photos through EXIF (`exif`); Matroska/WebM (`mkv`) and
//! MP4/MOV/M4V (`mp4`) parsed in-process in microseconds; other containers through ffprobe
//! when it is installed (`ffprobe`). Pure readers: they read the file they are given and
//! return facts or an error; they never touch the catalog, and bad input never panics or
//! hangs (every length is checked against the file, every loop advances).

pub mod exif;
pub mod ffprobe;
pub mod mkv;
pub mod mp4;

use std::path::Path;

use serde::Serialize;

/// A chapter as a container states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub title: Option<String>,
}

/// What a video or audio container says.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MediaFacts {
    pub container: Option<String>,
    pub duration_ms: Option<i64>,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub frame_rate: Option<f64>,
    pub chapters: Vec<Chapter>,
    /// When the container says it was made, in UTC (`…Z`): MP4/QuickTime `mvhd`, Matroska
    /// `DateUTC`. Cameras write their clock here as if it were UTC often enough that this is
    /// a date, not a time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// Seconds after 1970 as the catalog writes a UTC time; none before 1980 (an unset clock)
/// or past 2200.
pub(crate) fn utc_seconds(secs: i64) -> Option<String> {
    if !(315_532_800..7_258_118_400).contains(&secs) {
        return None;
    }
    Some(crate::time::from_unix_ns(
        secs.saturating_mul(1_000_000_000),
    ))
}

/// What a photo says.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PhotoFacts {
    pub captured_at: Option<String>,
    pub captured_at_source: Option<&'static str>,
    pub gps_lat: Option<f64>,
    pub gps_lon: Option<f64>,
    pub gps_alt: Option<f64>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub orientation: Option<u32>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The outcome of probing one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Probed {
    Media(MediaFacts),
    Photo(PhotoFacts),
    /// The container is not one shelf reads itself and ffprobe is not installed.
    NeedsFfprobe,
    /// The file could not be read as what it claims to be.
    Failed(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Bad(String),
}

pub(crate) fn bad<T>(msg: impl Into<String>) -> Result<T, ProbeError> {
    Err(ProbeError::Bad(msg.into()))
}

/// How to probe: where ffprobe is (None: not installed) and how long it may take.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub ffprobe: Option<std::path::PathBuf>,
    pub ffprobe_timeout: std::time::Duration,
}

/// Codec names as ffprobe spells them, so both paths agree.
pub(crate) fn codec_name(id: &str) -> String {
    let s = match id {
        "avc1" | "avc3" | "V_MPEG4/ISO/AVC" => "h264",
        "hvc1" | "hev1" | "V_MPEGH/ISO/HEVC" => "hevc",
        "av01" | "V_AV1" => "av1",
        "vp09" | "V_VP9" => "vp9",
        "vp08" | "V_VP8" => "vp8",
        "mp4v" | "V_MPEG4/ISO/SP" | "V_MPEG4/ISO/ASP" | "V_MPEG4/ISO/AP" => "mpeg4",
        "V_MPEG2" | "mp2v" => "mpeg2video",
        "V_THEORA" => "theora",
        "mp4a" | "A_AAC" | "A_AAC/MPEG4/LC" | "A_AAC/MPEG2/LC" => "aac",
        "ac-3" | "A_AC3" => "ac3",
        "ec-3" | "A_EAC3" => "eac3",
        "Opus" | "opus" | "A_OPUS" => "opus",
        "fLaC" | "A_FLAC" => "flac",
        ".mp3" | "A_MPEG/L3" => "mp3",
        "A_MPEG/L2" => "mp2",
        "A_VORBIS" => "vorbis",
        "A_DTS" => "dts",
        "A_TRUEHD" | "mlpa" => "truehd",
        "A_PCM/INT/LIT" | "lpcm" | "sowt" | "twos" => "pcm",
        "alac" | "A_ALAC" => "alac",
        other => return other.trim().to_ascii_lowercase(),
    };
    s.to_string()
}

/// The beginning of a file a scan has already read (for its hash), so the probe need not
/// open it again: `bytes` are its first bytes and `size` its length; when they are as long,
/// the whole file is here.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub bytes: &'a [u8],
    pub size: u64,
}

impl Head<'_> {
    fn whole(&self) -> bool {
        self.bytes.len() as u64 == self.size
    }

    /// What the EXIF reader may see of the file, when that much is here.
    pub fn exif_view(&self) -> Option<&[u8]> {
        (self.whole() || self.bytes.len() as u64 >= exif::HEAD_BYTES)
            .then(|| &self.bytes[..self.bytes.len().min(exif::HEAD_BYTES as usize)])
    }
}

/// Probes a video or audio file: in-process for Matroska and MP4, ffprobe otherwise.
pub fn media(path: &Path, opts: &ProbeOptions) -> Probed {
    media_with(path, opts, None)
}

/// The same, from the file's beginning when it was read already: a file read whole is
/// parsed from memory, a larger one is opened only when its container is one shelf parses.
pub(crate) fn media_with(path: &Path, opts: &ProbeOptions, read: Option<Head<'_>>) -> Probed {
    let mut opened = [0u8; 4096];
    let head: &[u8] = match read {
        Some(h) => &h.bytes[..h.bytes.len().min(opened.len())],
        None => match std::fs::File::open(path).and_then(|mut f| {
            use std::io::Read;
            // Up to 4 KiB: one read is enough for the magic, and for the zeros below.
            let mut n = 0;
            while n < opened.len() {
                match f.read(&mut opened[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            Ok(n)
        }) {
            Ok(n) => &opened[..n],
            Err(e) => return Probed::Failed(format!("cannot read: {e}")),
        },
    };
    // No container begins with a run of zeros; a preallocated, unfinished download does.
    // Said at once, rather than after an ffprobe run that can only fail.
    if head.len() == opened.len() && head.iter().all(|b| *b == 0) {
        return Probed::Failed(
            "the file begins with 4 KiB of zeros: an unfinished or preallocated download?".into(),
        );
    }
    let in_memory = read.filter(Head::whole);
    let result = if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        match in_memory {
            Some(h) => mkv::parse(&mut std::io::Cursor::new(h.bytes), h.size),
            None => mkv::probe(path),
        }
    } else if head.len() >= 8
        && matches!(&head[4..8], b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free")
    {
        match in_memory {
            Some(h) => mp4::parse(&mut std::io::Cursor::new(h.bytes), h.size),
            None => mp4::probe(path),
        }
    } else {
        return match &opts.ffprobe {
            Some(bin) => match ffprobe::probe(bin, path, opts.ffprobe_timeout) {
                Ok(m) => Probed::Media(m),
                Err(e) => Probed::Failed(e.to_string()),
            },
            None => Probed::NeedsFfprobe,
        };
    };
    match result {
        Ok(m) => Probed::Media(m),
        Err(e) => Probed::Failed(e.to_string()),
    }
}

/// Probes a file by its kind: EXIF for a photo, container facts for video and audio;
/// `None` for kinds with nothing to read (subtitles, other files). `mtime_ns` is a photo's
/// last-resort capture time. `head`: the file's beginning, when it was read already.
pub fn file(
    path: &Path,
    kind: crate::model::MediaKind,
    mtime_ns: i64,
    opts: &ProbeOptions,
    head: Option<Head<'_>>,
) -> Option<Probed> {
    use crate::model::MediaKind;
    match kind {
        MediaKind::Image => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // What the EXIF reader may see of it may be here already.
            let facts = match head.as_ref().and_then(Head::exif_view) {
                Some(seen) => Ok(exif::from_bytes(seen, &name, mtime_ns)),
                None => exif::read(path, &name, mtime_ns),
            };
            Some(match facts {
                Ok(p) => Probed::Photo(p),
                Err(e) => Probed::Failed(format!("cannot read: {e}")),
            })
        }
        MediaKind::Video | MediaKind::Audio => Some(media_with(path, opts, head)),
        MediaKind::Subtitle | MediaKind::Other => None,
    }
}

/// Finds ffprobe: the configured name or path, if it runs.
pub fn find_ffprobe(configured: &str) -> Option<std::path::PathBuf> {
    if configured.is_empty() {
        return None;
    }
    let ok = std::process::Command::new(configured)
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| std::path::PathBuf::from(configured))
}
