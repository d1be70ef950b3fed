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
const DATE_UTC: u32 = 0x4461;
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

/// What the top-level elements read so far have said.
#[derive(Default)]
struct Top {
    /// Which of the elements that matter have been read.
    info: bool,
    tracks: bool,
    chapters: bool,
    /// Nanoseconds per timestamp unit (none given: one million, milliseconds).
    scale: Option<u64>,
    duration: Option<f64>,
    /// The SeekHead's (element id, position in the segment) pairs.
    seeks: Vec<(u32, u64)>,
}

pub(crate) fn probe(path: &Path) -> Result<MediaFacts, ProbeError> {
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
    let (seg_start, seg_end) = segment(r, len)?;
    let mut top = Top::default();
    // Children in order until the first cluster.
    let mut pos = seg_start;
    while pos < seg_end {
        r.seek(SeekFrom::Start(pos))?;
        let Ok((id, Some(size), hl)) = header(r) else {
            break;
        };
        if id == CLUSTER {
            break;
        }
        if matches!(id, SEEK_HEAD | INFO | TRACKS | CHAPTERS) {
            let b = body(r, size, len)?;
            top.read(id, &b, &mut m);
        }
        pos = match (pos + hl).checked_add(size) {
            Some(p) if p > pos => p,
            _ => break,
        };
    }
    after_clusters(r, len, seg_start, &mut top, &mut m)?;
    if !top.info && !top.tracks {
        return bad("no segment information or tracks (truncated or not Matroska)");
    }
    let scale = top.scale.unwrap_or(1_000_000);
    m.duration_ms = top
        .duration
        .filter(|d| d.is_finite() && *d >= 0.0)
        .map(|d| (d * scale as f64 / 1_000_000.0).round() as i64);
    Ok(m)
}

/// Finds the segment after the EBML header: where its children start, and where it ends
/// (the file's end when its size is unknown). A segment claiming more than the file holds
/// means the file was cut short.
fn segment(r: &mut (impl Read + Seek), len: u64) -> Result<(u64, u64), ProbeError> {
    loop {
        let (id, size, _) = header(r)?;
        let pos = r.stream_position()?;
        if id == SEGMENT {
            if let Some(s) = size
                && pos.saturating_add(s) > len
            {
                return bad(format!(
                    "truncated: the segment claims {} bytes but the file ends after {}",
                    s,
                    len.saturating_sub(pos)
                ));
            }
            return Ok((pos, size.map_or(len, |s| pos.saturating_add(s).min(len))));
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
}

/// Reads what came after the clusters and has not been read, through the SeekHead.
fn after_clusters(
    r: &mut (impl Read + Seek),
    len: u64,
    seg_start: u64,
    top: &mut Top,
    m: &mut MediaFacts,
) -> Result<(), ProbeError> {
    for (id, rel) in std::mem::take(&mut top.seeks) {
        let wanted = match id {
            INFO => !top.info,
            TRACKS => !top.tracks,
            CHAPTERS => !top.chapters,
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
        if got == id
            && let Ok(b) = body(r, size, len)
        {
            top.read(id, &b, m);
        }
    }
    // A SeekHead found out here is not followed.
    top.seeks.clear();
    Ok(())
}

impl Top {
    /// Reads one top-level element's body into `m` (and into what `self` knows).
    fn read(&mut self, id: u32, b: &[u8], m: &mut MediaFacts) {
        match id {
            SEEK_HEAD => self.seeks.extend(seek_head(b)),
            INFO => {
                self.info = true;
                for (k, v) in children(b) {
                    match k {
                        TIMESTAMP_SCALE => self.scale = Some(uint(v).clamp(1, 1_000_000_000_000)),
                        DURATION => self.duration = float(v),
                        // Nanoseconds since 2001-01-01 UTC, signed.
                        DATE_UTC if v.len() == 8 => {
                            let ns = i64::from_be_bytes(v.try_into().unwrap_or([0; 8]));
                            m.created_at = super::utc_seconds(ns / 1_000_000_000 + 978_307_200);
                        }
                        _ => {}
                    }
                }
            }
            TRACKS => {
                self.tracks = true;
                for (k, entry) in children(b) {
                    if k == TRACK_ENTRY {
                        track_entry(entry, m);
                    }
                }
            }
            CHAPTERS => {
                self.chapters = true;
                // The first edition is the default one in practice.
                if let Some((_, edition)) = children(b).find(|(k, _)| *k == EDITION_ENTRY) {
                    m.chapters.extend(
                        children(edition)
                            .filter(|(k, _)| *k == CHAPTER_ATOM)
                            .filter_map(|(_, atom)| chapter(atom)),
                    );
                }
            }
            _ => {}
        }
    }
}

/// The SeekHead's entries: (element id, position in the segment).
fn seek_head(b: &[u8]) -> Vec<(u32, u64)> {
    let mut out = Vec::new();
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
            out.push((i, p));
        }
    }
    out
}

/// One track: the first video and the first audio track describe the file.
fn track_entry(entry: &[u8], m: &mut MediaFacts) {
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

/// One chapter atom: start and end (nanoseconds in the file), the first display title.
fn chapter(atom: &[u8]) -> Option<Chapter> {
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
    Some(Chapter {
        start_ms: (start? / 1_000_000) as i64,
        end_ms: end.map(|e| (e / 1_000_000) as i64),
        title: title.filter(|t| !t.is_empty()),
    })
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

    #[test]
    fn info_date_utc_is_when_it_was_made() {
        // DateUTC: nanoseconds since 2001-01-01T00:00:00Z, 8 bytes signed.
        let ns: i64 = (1_703_547_000 - 978_307_200) * 1_000_000_000;
        let mut info = vec![0x44, 0x61, 0x88];
        info.extend(ns.to_be_bytes());
        let (mut top, mut m) = (Top::default(), MediaFacts::default());
        top.read(INFO, &info, &mut m);
        assert_eq!(m.created_at.as_deref(), Some("2023-12-25T23:30:00.000Z"));
        // Zero is 2001-01-01: a real date, unlike an MP4's zero.
        let mut zero = vec![0x44, 0x61, 0x88];
        zero.extend(0i64.to_be_bytes());
        let mut m = MediaFacts::default();
        Top::default().read(INFO, &zero, &mut m);
        assert_eq!(m.created_at.as_deref(), Some("2001-01-01T00:00:00.000Z"));
    }
}
