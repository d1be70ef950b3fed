//! MP4 / MOV / M4V: ISO base media boxes read just far enough for duration, tracks and
//! chapters. `moov` is read into memory (bounded); codecs come from the sample descriptions
//! themselves, so HEVC (`hvc1`/`hev1`) and AV1 (`av01`) are named. Chapters come from a
//! Nero `chpl` box or from a QuickTime chapter text track.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::{Chapter, MediaFacts, ProbeError, bad, codec_name};

/// The movie box of a very long file is a few MB; past this it is not read.
const MAX_MOOV: u64 = 64 << 20;
const MAX_CHAPTERS: usize = 1000;

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Boxes inside a box body held in memory: (type, body).
fn boxes(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let size = be32(data, pos)? as u64;
        let kind: [u8; 4] = data.get(pos + 4..pos + 8)?.try_into().ok()?;
        let (hl, size) = match size {
            1 => (16u64, be64(data, pos + 8)?),
            0 => (8, (data.len() - pos) as u64),
            s => (8, s),
        };
        if size < hl {
            return None;
        }
        let end = pos
            .checked_add(usize::try_from(size).ok()?)?
            .min(data.len());
        let start = pos + hl as usize;
        if start > end {
            return None;
        }
        let body = &data[start..end];
        pos = end;
        Some((kind, body))
    })
}

fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(data).find(|(k, _)| k == kind).map(|(_, b)| b)
}

/// A track's facts.
#[derive(Default)]
struct Track {
    id: u32,
    handler: [u8; 4],
    timescale: u32,
    codec: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    frame_rate: Option<f64>,
    chap_refs: Vec<u32>,
    /// (sample times in track units, sample file offsets and sizes) for text tracks.
    samples: Vec<(u64, u64, u32)>,
}

pub(crate) fn probe(path: &Path) -> Result<MediaFacts, ProbeError> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    parse(&mut file, len)
}

pub fn parse(r: &mut (impl Read + Seek), len: u64) -> Result<MediaFacts, ProbeError> {
    let mut m = MediaFacts {
        container: Some("mp4".into()),
        ..Default::default()
    };
    let moov = top_level(r, len, &mut m)?;
    m.duration_ms = child(&moov, b"mvhd").and_then(movie_duration);
    m.created_at = child(&moov, b"mvhd").and_then(movie_created);
    let tracks: Vec<Track> = boxes(&moov)
        .filter(|(k, _)| k == b"trak")
        .map(|(_, t)| track(t))
        .collect();
    for t in &tracks {
        match &t.handler {
            b"vide" if m.video_codec.is_none() => {
                m.video_codec = t.codec.clone();
                m.width = t.width;
                m.height = t.height;
                m.frame_rate = t.frame_rate;
            }
            b"soun" if m.audio_codec.is_none() => m.audio_codec = t.codec.clone(),
            _ => {}
        }
    }
    m.chapters = child(&moov, b"udta")
        .and_then(|u| child(u, b"chpl"))
        .map(nero_chapters)
        .unwrap_or_default();
    if m.chapters.is_empty() {
        m.chapters = track_chapters(r, &tracks, len)?;
    }
    // Nero chapters end where the next begins.
    let n = m.chapters.len();
    for i in 0..n {
        if m.chapters[i].end_ms.is_none() {
            m.chapters[i].end_ms = m.chapters.get(i + 1).map(|c| c.start_ms).or(m.duration_ms);
        }
    }
    Ok(m)
}

/// Walks the top-level boxes: the brand (`ftyp`) names the container in `m`; the movie
/// box (`moov`) is read whole and returned. A box that runs past the end is trailing junk,
/// except the media data, whose end missing means the file was cut short.
fn top_level(
    r: &mut (impl Read + Seek),
    len: u64,
    m: &mut MediaFacts,
) -> Result<Vec<u8>, ProbeError> {
    let mut moov: Option<Vec<u8>> = None;
    let mut pos = 0u64;
    while pos + 8 <= len {
        r.seek(SeekFrom::Start(pos))?;
        let mut h = [0u8; 16];
        r.read_exact(&mut h[..8])?;
        let size32 = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as u64;
        let kind = [h[4], h[5], h[6], h[7]];
        let (hl, size) = match size32 {
            1 => {
                r.read_exact(&mut h[8..16])?;
                (
                    16,
                    u64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]),
                )
            }
            0 => (8, len - pos),
            s => (8, s),
        };
        if size < hl {
            return bad("bad box size");
        }
        match &kind {
            b"ftyp" => {
                let mut brand = [0u8; 4];
                r.read_exact(&mut brand)?;
                m.container = Some(
                    match &brand {
                        b"qt  " => "mov",
                        b"M4V " | b"M4VH" | b"M4VP" => "m4v",
                        b"M4A " | b"M4B " => "m4a",
                        _ => "mp4",
                    }
                    .into(),
                );
            }
            b"moov" => {
                let body = size - hl;
                if body > MAX_MOOV || pos + size > len {
                    return bad("movie box too large or cut short (truncated file?)");
                }
                let mut v = Vec::with_capacity(body as usize);
                r.take(body).read_to_end(&mut v)?;
                moov = Some(v);
            }
            b"mdat" if pos.saturating_add(size) > len => {
                return bad("truncated: the media data runs past the end of the file");
            }
            // Anything else that does not fit is trailing junk (some tools append a tag).
            _ if pos.saturating_add(size) > len => break,
            _ => {}
        }
        pos = pos
            .checked_add(size)
            .ok_or_else(|| ProbeError::Bad("bad box size".into()))?;
    }
    match moov {
        Some(v) => Ok(v),
        None => bad("no movie box (truncated or not MP4)"),
    }
}

/// The movie header's creation time: seconds since 1904-01-01 UTC.
fn movie_created(mvhd: &[u8]) -> Option<String> {
    let secs = match mvhd.first() {
        Some(1) => be64(mvhd, 4)?,
        _ => u64::from(be32(mvhd, 4)?),
    };
    const FROM_1904: i64 = 2_082_844_800;
    super::utc_seconds(i64::try_from(secs).ok()?.checked_sub(FROM_1904)?)
}

/// The movie header's duration in milliseconds; none when unknown (all ones).
fn movie_duration(mvhd: &[u8]) -> Option<i64> {
    let (scale, dur) = match mvhd.first() {
        Some(1) => (be32(mvhd, 20), be64(mvhd, 24)),
        _ => (be32(mvhd, 12), be32(mvhd, 16).map(u64::from)),
    };
    let (s, d) = (scale?, dur?);
    (s > 0 && d != u64::MAX && d != u32::MAX as u64)
        .then(|| (d as u128 * 1000 / s as u128).min(i64::MAX as u128) as i64)
}

/// Nero chapters (udta/chpl): start times in 100 ns, titles; ends are filled in later.
fn nero_chapters(chpl: &[u8]) -> Vec<Chapter> {
    let mut out = Vec::new();
    let version = chpl.first().copied().unwrap_or(0);
    let mut at = if version > 0 { 8 } else { 4 };
    let count = chpl.get(at).copied().unwrap_or(0) as usize;
    at += 1;
    for _ in 0..count {
        let (Some(t), Some(&n)) = (be64(chpl, at), chpl.get(at + 8)) else {
            break;
        };
        let title = chpl
            .get(at + 9..at + 9 + n as usize)
            .map(|s| String::from_utf8_lossy(s).to_string());
        at += 9 + n as usize;
        out.push(Chapter {
            start_ms: (t / 10_000) as i64,
            end_ms: None,
            title: title.filter(|s| !s.is_empty()),
        });
    }
    out
}

/// QuickTime chapters: a text track a video or audio track refers to with `chap`; each
/// sample is a title, read from where the sample table says it is.
fn track_chapters(
    r: &mut (impl Read + Seek),
    tracks: &[Track],
    len: u64,
) -> Result<Vec<Chapter>, ProbeError> {
    let mut out = Vec::new();
    let refs: Vec<u32> = tracks
        .iter()
        .flat_map(|t| t.chap_refs.iter().copied())
        .collect();
    let Some(t) = tracks
        .iter()
        .find(|t| refs.contains(&t.id) && t.timescale > 0)
    else {
        return Ok(out);
    };
    let ms = |time: u64| (time as u128 * 1000 / t.timescale as u128) as i64;
    for (i, &(time, off, size)) in t.samples.iter().enumerate().take(MAX_CHAPTERS) {
        if size < 2 || off.saturating_add(size as u64) > len || size > 4096 {
            continue;
        }
        r.seek(SeekFrom::Start(off))?;
        let mut buf = vec![0u8; size as usize];
        r.read_exact(&mut buf)?;
        let n = be16(&buf, 0).unwrap_or(0) as usize;
        let title = buf
            .get(2..2 + n)
            .map(|s| String::from_utf8_lossy(s).to_string());
        out.push(Chapter {
            start_ms: ms(time),
            end_ms: t.samples.get(i + 1).map(|s| ms(s.0)),
            title: title.filter(|s| !s.is_empty()),
        });
    }
    Ok(out)
}

fn track(trak: &[u8]) -> Track {
    let mut t = Track::default();
    if let Some(tkhd) = child(trak, b"tkhd") {
        let v1 = tkhd.first() == Some(&1);
        t.id = be32(tkhd, if v1 { 20 } else { 12 }).unwrap_or(0);
        let (wo, ho) = if v1 { (88, 92) } else { (76, 80) };
        t.width = be32(tkhd, wo).map(|w| w >> 16).filter(|w| *w > 0);
        t.height = be32(tkhd, ho).map(|h| h >> 16).filter(|h| *h > 0);
    }
    if let Some(tref) = child(trak, b"tref")
        && let Some(chap) = child(tref, b"chap")
    {
        t.chap_refs = chap.chunks_exact(4).filter_map(|c| be32(c, 0)).collect();
    }
    let Some(mdia) = child(trak, b"mdia") else {
        return t;
    };
    if let Some(mdhd) = child(mdia, b"mdhd") {
        t.timescale = be32(mdhd, if mdhd.first() == Some(&1) { 20 } else { 12 }).unwrap_or(0);
    }
    if let Some(hdlr) = child(mdia, b"hdlr") {
        t.handler = hdlr
            .get(8..12)
            .and_then(|h| h.try_into().ok())
            .unwrap_or([0; 4]);
    }
    let Some(stbl) = child(mdia, b"minf").and_then(|m| child(m, b"stbl")) else {
        return t;
    };
    if let Some(stsd) = child(stbl, b"stsd")
        && let Some((fourcc, entry)) = boxes(stsd.get(8..).unwrap_or(&[])).next()
    {
        let code = match &fourcc {
            b"encv" | b"enca" => child(
                entry
                    .get(if &fourcc == b"encv" { 78 } else { 28 }..)
                    .unwrap_or(&[]),
                b"sinf",
            )
            .and_then(|s| child(s, b"frma"))
            .and_then(|f| f.get(..4))
            .map(|f| String::from_utf8_lossy(f).to_string()),
            _ => Some(String::from_utf8_lossy(&fourcc).to_string()),
        };
        t.codec = code.map(|c| codec_name(&c));
        if &t.handler == b"vide" {
            // A visual sample entry states its own size, which the track header may not.
            let w = be16(entry, 24).map(u32::from).filter(|w| *w > 0);
            let h = be16(entry, 26).map(u32::from).filter(|h| *h > 0);
            t.width = t.width.or(w);
            t.height = t.height.or(h);
        }
    }
    let stts: Vec<(u32, u32)> = child(stbl, b"stts")
        .map(|s| {
            let n = be32(s, 4).unwrap_or(0) as usize;
            (0..n.min(1 << 20))
                .map_while(|i| Some((be32(s, 8 + i * 8)?, be32(s, 12 + i * 8)?)))
                .collect()
        })
        .unwrap_or_default();
    if &t.handler == b"vide"
        && let Some(&(_, delta)) = stts.first()
        && delta > 0
        && t.timescale > 0
    {
        t.frame_rate = Some((t.timescale as f64 / delta as f64 * 1000.0).round() / 1000.0);
    }
    if &t.handler == b"text" || &t.handler == b"sbtl" {
        t.samples = text_samples(stbl, &stts);
    }
    t
}

/// (time, file offset, size) of each sample of a (small) text track.
fn text_samples(stbl: &[u8], stts: &[(u32, u32)]) -> Vec<(u64, u64, u32)> {
    let sizes: Vec<u32> = match child(stbl, b"stsz") {
        Some(s) => {
            let fixed = be32(s, 4).unwrap_or(0);
            let n = (be32(s, 8).unwrap_or(0) as usize).min(MAX_CHAPTERS);
            if fixed > 0 {
                vec![fixed; n]
            } else {
                (0..n).map_while(|i| be32(s, 12 + i * 4)).collect()
            }
        }
        None => return Vec::new(),
    };
    let chunks: Vec<u64> = if let Some(s) = child(stbl, b"stco") {
        let n = (be32(s, 4).unwrap_or(0) as usize).min(MAX_CHAPTERS);
        (0..n)
            .map_while(|i| be32(s, 8 + i * 4).map(u64::from))
            .collect()
    } else if let Some(s) = child(stbl, b"co64") {
        let n = (be32(s, 4).unwrap_or(0) as usize).min(MAX_CHAPTERS);
        (0..n).map_while(|i| be64(s, 8 + i * 8)).collect()
    } else {
        return Vec::new();
    };
    // stsc: (first chunk, samples per chunk) runs.
    let runs: Vec<(u32, u32)> = child(stbl, b"stsc")
        .map(|s| {
            let n = (be32(s, 4).unwrap_or(0) as usize).min(MAX_CHAPTERS);
            (0..n)
                .map_while(|i| Some((be32(s, 8 + i * 12)?, be32(s, 12 + i * 12)?)))
                .collect()
        })
        .unwrap_or_default();
    let mut offsets = Vec::with_capacity(sizes.len());
    let mut sample = 0usize;
    for (ci, &chunk_off) in chunks.iter().enumerate() {
        let per = runs
            .iter()
            .rev()
            .find(|(first, _)| (*first as usize) <= ci + 1)
            .map_or(1, |r| r.1 as usize)
            .min(MAX_CHAPTERS);
        let mut off = chunk_off;
        for _ in 0..per {
            let Some(&size) = sizes.get(sample) else {
                break;
            };
            offsets.push((off, size));
            off = off.saturating_add(size as u64);
            sample += 1;
        }
    }
    let mut times = Vec::with_capacity(offsets.len());
    let mut t = 0u64;
    'outer: for &(count, delta) in stts {
        for _ in 0..count {
            if times.len() >= offsets.len() {
                break 'outer;
            }
            times.push(t);
            t = t.saturating_add(delta as u64);
        }
    }
    times
        .into_iter()
        .zip(offsets)
        .map(|(t, (o, s))| (t, o, s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        // Not an MP4, truncated, or lying about sizes: an error that says so.
        for data in [
            &b""[..],
            b"\0\0\0\x08ftyp",
            b"\0\0\0\x01moov\0\0\0\0\0\0\0\x01",
            b"\xff\xff\xff\xffmoov",
        ] {
            let mut c = std::io::Cursor::new(data);
            assert!(parse(&mut c, data.len() as u64).is_err(), "{data:?}");
        }
        // A movie box with an empty track: an MP4 that says nothing more.
        let data = b"\0\0\0\x10moov\0\0\0\x08trak";
        let m = parse(&mut std::io::Cursor::new(data), data.len() as u64).unwrap();
        assert_eq!(m.container.as_deref(), Some("mp4"));
        assert!(m.duration_ms.is_none() && m.video_codec.is_none() && m.chapters.is_empty());
    }

    #[test]
    fn the_movie_header_says_when_it_was_made_in_utc() {
        // mvhd v0: version+flags, creation time (since 1904), modification, scale, duration.
        let made = 2_082_844_800u32.wrapping_add(1_703_500_000); // 2023-12-25T10:26:40Z
        let mut mvhd = vec![0u8; 4];
        mvhd.extend(made.to_be_bytes());
        mvhd.extend(made.to_be_bytes());
        mvhd.extend(1000u32.to_be_bytes());
        mvhd.extend(5000u32.to_be_bytes());
        let mut data = Vec::new();
        data.extend(((8 + 8 + mvhd.len()) as u32).to_be_bytes());
        data.extend(b"moov");
        data.extend(((8 + mvhd.len()) as u32).to_be_bytes());
        data.extend(b"mvhd");
        data.extend(&mvhd);
        let m = parse(&mut std::io::Cursor::new(&data), data.len() as u64).unwrap();
        assert_eq!(m.created_at.as_deref(), Some("2023-12-25T10:26:40.000Z"));
        assert_eq!(m.duration_ms, Some(5000));
        // An unset clock (1904) is no date.
        data[20..24].copy_from_slice(&0u32.to_be_bytes());
        let m = parse(&mut std::io::Cursor::new(&data), data.len() as u64).unwrap();
        assert_eq!(m.created_at, None);
    }
}
