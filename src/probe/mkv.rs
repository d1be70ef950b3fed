//! Matroska / WebM: EBML elements read just far enough for duration, tracks and chapters.
//! The segment's children are read in order until the first cluster; Info, Tracks and
//! Chapters placed after the clusters are found through the SeekHead. Every size is checked
//! against its parent and the file; master elements larger than `MAX_MASTER` are skipped.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{Chapter, MediaFacts, ProbeError, bad, codec_name};

const EBML: u32 = 0x1A45_DFA3;
const DOC_TYPE: u32 = 0x4282;
const SEGMENT: u32 = 0x1853_8067;
const SEEK_HEAD: u32 = 0x114D_9B74;
const SEEK: u32 = 0x4DBB;
const SEEK_ID: u32 = 0x53AB;
const SEEK_POSITION: u32 = 0x53AC;
const INFO: u32 = 0x1549_A966;
const TIMESTAMP_SCALE: u32 = 0x2AD7B1;
const DURATION: u32 = 0x4489;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_TYPE: u32 = 0x83;
const CODEC_ID: u32 = 0x86;
const DEFAULT_DURATION: u32 = 0x23E383;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const CHAPTERS: u32 = 0x1043_A770;
const EDITION_ENTRY: u32 = 0x45B9;
const CHAPTER_ATOM: u32 = 0xB6;
const CHAPTER_TIME_START: u32 = 0x91;
const CHAPTER_TIME_END: u32 = 0x92;
const CHAPTER_DISPLAY: u32 = 0x80;
const CHAP_STRING: u32 = 0x85;
const CLUSTER: u32 = 0x1F43_B675;

/// Masters bigger than this are not read into memory (Info, Tracks, Chapters are small).
const MAX_MASTER: u64 = 16 << 20;

/// Reads a variable-length integer. `keep_marker` for element ids. Returns (value, length,
/// all-ones = unknown size).
fn vint(r: &mut impl Read, keep_marker: bool) -> Result<(u64, u64, bool), ProbeError> {
    let mut first = [0u8; 1];
    r.read_exact(&mut first)?;
    let len = first[0].leading_zeros() as u64 + 1;
    if len > 8 {
        return bad("bad EBML length");
    }
    let mut v = if keep_marker {
        first[0] as u64
    } else {
        (first[0] as u64) & (0xFFu64 >> len)
    };
    let mut all_ones = v == (0xFFu64 >> len);
    for _ in 1..len {
        let mut b = [0u8; 1];
        r.read_exact(&mut b)?;
        v = (v << 8) | b[0] as u64;
        all_ones &= b[0] == 0xFF;
    }
    Ok((v, len, all_ones && !keep_marker))
}

/// An element header: id, size (None = unknown), header length.
fn header(r: &mut impl Read) -> Result<(u32, Option<u64>, u64), ProbeError> {
    let (id, l1, _) = vint(r, true)?;
    let (size, l2, unknown) = vint(r, false)?;
    Ok((id as u32, (!unknown).then_some(size), l1 + l2))
}

/// Child elements of a master held in memory.
struct Children<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Children<'a> {
    type Item = (u32, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.data.len() {
            return None;
        }
        let mut cur = std::io::Cursor::new(&self.data[self.pos..]);
        let (id, size, hl) = header(&mut cur).ok()?;
        let start = self.pos + hl as usize;
        let size = size.unwrap_or((self.data.len() - start.min(self.data.len())) as u64);
        let end = start.checked_add(usize::try_from(size).ok()?)?;
        if end > self.data.len() {
            // Truncated: take what is there, then stop.
            self.pos = self.data.len();
            return Some((id, &self.data[start.min(self.data.len())..]));
        }
        self.pos = end;
        Some((id, &self.data[start..end]))
    }
}

fn children(data: &[u8]) -> Children<'_> {
    Children { data, pos: 0 }
}

fn uint(b: &[u8]) -> u64 {
    b.iter().take(8).fold(0u64, |v, x| (v << 8) | *x as u64)
}

fn float(b: &[u8]) -> Option<f64> {
    match b.len() {
        4 => Some(f32::from_be_bytes(b.try_into().ok()?) as f64),
        8 => Some(f64::from_be_bytes(b.try_into().ok()?)),
        _ => None,
    }
}

fn string(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .trim_end_matches('\0')
        .to_string()
}

/// Reads a master element's body into memory (bounded).
fn body(r: &mut (impl Read + Seek), size: u64, file_len: u64) -> Result<Vec<u8>, ProbeError> {
    let here = r.stream_position()?;
    if size > file_len.saturating_sub(here) {
        return bad("truncated: an element runs past the end of the file");
    }
    if size > MAX_MASTER {
        return bad("element too large");
    }
    let mut v = Vec::with_capacity(size as usize);
    r.take(size).read_to_end(&mut v)?;
    Ok(v)
}

#[derive(Default)]
struct Seen {
    info: bool,
    tracks: bool,
    chapters: bool,
}

pub fn probe(path: &Path) -> Result<MediaFacts, ProbeError> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut r = BufReader::with_capacity(64 << 10, file);
    parse(&mut r, len)
}

/// Parses from any reader (tests and fuzzing use a cursor).
pub fn parse(r: &mut (impl Read + Seek), len: u64) -> Result<MediaFacts, ProbeError> {
    let mut m = MediaFacts::default();
    let (id, size, _) = header(r)?;
    if id != EBML {
        return bad("not a Matroska file");
    }
    let ebml = body(r, size.unwrap_or(0).min(4096), len)?;
    let doc = children(&ebml)
        .find(|(id, _)| *id == DOC_TYPE)
        .map(|(_, b)| string(b));
    m.container = Some(match doc.as_deref() {
        Some("webm") => "webm".to_string(),
        _ => "matroska".to_string(),
    });
    // Find the segment.
    let seg_start;
    let seg_end;
    loop {
        let (id, size, _) = header(r)?;
        let pos = r.stream_position()?;
        if id == SEGMENT {
            seg_start = pos;
            if let Some(s) = size
                && pos.saturating_add(s) > len
            {
                return bad(format!(
                    "truncated: the segment claims {} bytes but the file ends after {}",
                    s,
                    len.saturating_sub(pos)
                ));
            }
            seg_end = size.map_or(len, |s| pos.saturating_add(s).min(len));
            break;
        }
        let Some(size) = size else {
            return bad("no segment");
        };
        r.seek(SeekFrom::Start(
            pos.checked_add(size)
                .ok_or_else(|| ProbeError::Bad("bad size".into()))?,
        ))?;
        if r.stream_position()? >= len {
            return bad("no segment");
        }
    }
    let mut seen = Seen::default();
    let mut scale = 1_000_000u64;
    let mut duration: Option<f64> = None;
    let mut seeks: Vec<(u32, u64)> = Vec::new();
    let mut pos = seg_start;
    // Children in order until the first cluster.
    while pos < seg_end {
        r.seek(SeekFrom::Start(pos))?;
        let (id, size, hl) = match header(r) {
            Ok(h) => h,
            Err(_) => break,
        };
        let content = pos + hl;
        if id == CLUSTER {
            break;
        }
        let Some(size) = size else { break };
        match id {
            SEEK_HEAD | INFO | TRACKS | CHAPTERS => {
                let b = body(r, size, len)?;
                read_top(
                    id,
                    &b,
                    &mut m,
                    &mut seen,
                    &mut scale,
                    &mut duration,
                    &mut seeks,
                );
            }
            _ => {}
        }
        pos = match content.checked_add(size) {
            Some(p) if p > pos => p,
            _ => break,
        };
    }
    // What came after the clusters, through the SeekHead.
    for (id, rel) in seeks {
        let wanted = match id {
            INFO => !seen.info,
            TRACKS => !seen.tracks,
            CHAPTERS => !seen.chapters,
            _ => false,
        };
        let Some(at) = seg_start.checked_add(rel).filter(|a| *a < len) else {
            continue;
        };
        if !wanted {
            continue;
        }
        r.seek(SeekFrom::Start(at))?;
        let Ok((got, Some(size), _)) = header(r) else {
            continue;
        };
        if got != id {
            continue;
        }
        if let Ok(b) = body(r, size, len) {
            let mut ignore = Vec::new();
            read_top(
                id,
                &b,
                &mut m,
                &mut seen,
                &mut scale,
                &mut duration,
                &mut ignore,
            );
        }
    }
    if !seen.info && !seen.tracks {
        return bad("no segment information or tracks (truncated or not Matroska)");
    }
    m.duration_ms = duration
        .filter(|d| d.is_finite() && *d >= 0.0)
        .map(|d| (d * scale as f64 / 1_000_000.0).round() as i64);
    Ok(m)
}

fn read_top(
    id: u32,
    b: &[u8],
    m: &mut MediaFacts,
    seen: &mut Seen,
    scale: &mut u64,
    duration: &mut Option<f64>,
    seeks: &mut Vec<(u32, u64)>,
) {
    match id {
        SEEK_HEAD => {
            for (cid, seek) in children(b) {
                if cid != SEEK {
                    continue;
                }
                let (mut sid, mut spos) = (None, None);
                for (k, v) in children(seek) {
                    match k {
                        SEEK_ID => sid = Some(uint(v) as u32),
                        SEEK_POSITION => spos = Some(uint(v)),
                        _ => {}
                    }
                }
                if let (Some(i), Some(p)) = (sid, spos) {
                    seeks.push((i, p));
                }
            }
        }
        INFO => {
            seen.info = true;
            for (k, v) in children(b) {
                match k {
                    TIMESTAMP_SCALE => *scale = uint(v).clamp(1, 1_000_000_000_000),
                    DURATION => *duration = float(v),
                    _ => {}
                }
            }
        }
        TRACKS => {
            seen.tracks = true;
            for (k, entry) in children(b) {
                if k != TRACK_ENTRY {
                    continue;
                }
                let (mut kind, mut codec, mut w, mut h, mut frame_ns) = (0, None, None, None, None);
                for (k, v) in children(entry) {
                    match k {
                        TRACK_TYPE => kind = uint(v),
                        CODEC_ID => codec = Some(string(v)),
                        DEFAULT_DURATION => frame_ns = Some(uint(v)),
                        VIDEO => {
                            for (k, v) in children(v) {
                                match k {
                                    PIXEL_WIDTH => w = Some(uint(v) as u32),
                                    PIXEL_HEIGHT => h = Some(uint(v) as u32),
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
                match kind {
                    1 if m.video_codec.is_none() => {
                        m.video_codec = codec.map(|c| codec_name(&c));
                        m.width = w.filter(|x| *x > 0);
                        m.height = h.filter(|x| *x > 0);
                        m.frame_rate = frame_ns
                            .filter(|n| *n > 0)
                            .map(|n| (1e9 / n as f64 * 1000.0).round() / 1000.0);
                    }
                    2 if m.audio_codec.is_none() => m.audio_codec = codec.map(|c| codec_name(&c)),
                    _ => {}
                }
            }
        }
        CHAPTERS => {
            seen.chapters = true;
            // The first edition is the default one in practice.
            if let Some((_, edition)) = children(b).find(|(k, _)| *k == EDITION_ENTRY) {
                for (k, atom) in children(edition) {
                    if k != CHAPTER_ATOM {
                        continue;
                    }
                    let (mut start, mut end, mut title) = (None, None, None);
                    for (k, v) in children(atom) {
                        match k {
                            CHAPTER_TIME_START => start = Some(uint(v)),
                            CHAPTER_TIME_END => end = Some(uint(v)),
                            CHAPTER_DISPLAY if title.is_none() => {
                                title = children(v)
                                    .find(|(k, _)| *k == CHAP_STRING)
                                    .map(|(_, s)| string(s));
                            }
                            _ => {}
                        }
                    }
                    if let Some(s) = start {
                        m.chapters.push(Chapter {
                            start_ms: (s / 1_000_000) as i64,
                            end_ms: end.map(|e| (e / 1_000_000) as i64),
                            title: title.filter(|t| !t.is_empty()),
                        });
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for data in [
            &b""[..],
            b"\x1a\x45\xdf\xa3",
            b"\x1a\x45\xdf\xa3\x80",
            b"\x1a\x45\xdf\xa3\x01\xff\xff\xff\xff\xff\xff\xff",
            b"\x00\x00\x00\x00",
        ] {
            let mut c = std::io::Cursor::new(data);
            assert!(parse(&mut c, data.len() as u64).is_err());
        }
    }
}
