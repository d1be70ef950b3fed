//! Containers shelf does not read itself (AVI, MPEG-TS, WMV, FLV, OGG, audio files): one
//! ffprobe call with format, streams and chapters as JSON, killed if it runs past a timeout.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Chapter, MediaFacts, ProbeError, bad};

pub fn probe(bin: &Path, path: &Path, timeout: Duration) -> Result<MediaFacts, ProbeError> {
    let mut child = Command::new(bin)
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "-show_chapters",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return bad("no ffprobe output");
    };
    // Both read on threads so a full pipe cannot stall the wait below: its output, and its
    // complaints as they come (a damaged file can fill a pipe with them, and an ffprobe
    // blocked on it would be stopped as too slow), of which only the end is kept, where its
    // verdict is.
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let complaints = std::thread::spawn(move || {
        let mut tail: Vec<u8> = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > 2 * STDERR_TAIL {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
        String::from_utf8_lossy(&tail).into_owned()
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return bad(format!(
                "ffprobe took longer than {}s and was stopped",
                timeout.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = reader
        .join()
        .map_err(|_| ProbeError::Bad("ffprobe reader failed".into()))?;
    let err = complaints.join().unwrap_or_default();
    if !status.success() {
        return bad(said(&err, path, status));
    }
    let v: Value = serde_json::from_slice(&out)
        .map_err(|e| ProbeError::Bad(format!("ffprobe output: {e}")))?;
    Ok(parse(&v))
}

/// How much of the end of ffprobe's complaints is kept: its verdict is the last line.
const STDERR_TAIL: usize = 4096;

/// What ffprobe said of a file it could not read, for the file's problem: its last line,
/// the verdict (`PATH: Invalid data found when processing input`; lines before it are the
/// demuxers' notes on the way, "EBML header parsing failed"), without the path it begins
/// with (the problem is listed under the path already).
fn said(stderr: &str, path: &Path, status: std::process::ExitStatus) -> String {
    let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
    let shown = path.to_string_lossy();
    let last = last
        .strip_prefix(&*shown)
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(last)
        .trim();
    if last.is_empty() {
        format!("ffprobe could not read it ({status})")
    } else {
        format!("ffprobe could not read it: {last}")
    }
}

fn secs_ms(v: &Value) -> Option<i64> {
    let s: f64 = match v {
        Value::String(s) => s.parse().ok()?,
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    (s.is_finite() && s >= 0.0).then(|| (s * 1000.0).round() as i64)
}

/// ffprobe's JSON → facts.
pub fn parse(v: &Value) -> MediaFacts {
    let mut m = MediaFacts {
        container: v["format"]["format_name"]
            .as_str()
            .map(|s| s.split(',').next().unwrap_or(s).to_string()),
        duration_ms: secs_ms(&v["format"]["duration"]),
        ..Default::default()
    };
    for s in v["streams"].as_array().into_iter().flatten() {
        match s["codec_type"].as_str() {
            Some("video")
                if m.video_codec.is_none()
                    && s["disposition"]["attached_pic"].as_i64() != Some(1) =>
            {
                m.video_codec = s["codec_name"].as_str().map(str::to_owned);
                m.width = s["width"].as_u64().map(|w| w as u32).filter(|w| *w > 0);
                m.height = s["height"].as_u64().map(|h| h as u32).filter(|h| *h > 0);
                m.frame_rate = s["avg_frame_rate"]
                    .as_str()
                    .or(s["r_frame_rate"].as_str())
                    .and_then(|r| r.split_once('/'))
                    .and_then(|(a, b)| Some((a.parse::<f64>().ok()?, b.parse::<f64>().ok()?)))
                    .filter(|(_, b)| *b > 0.0)
                    .map(|(a, b)| (a / b * 1000.0).round() / 1000.0)
                    .filter(|f| *f > 0.0);
            }
            Some("audio") if m.audio_codec.is_none() => {
                m.audio_codec = s["codec_name"].as_str().map(str::to_owned)
            }
            _ => {}
        }
    }
    for c in v["chapters"].as_array().into_iter().flatten() {
        if let Some(start) = secs_ms(&c["start_time"]) {
            m.chapters.push(Chapter {
                start_ms: start,
                end_ms: secs_ms(&c["end_time"]),
                title: c["tags"]["title"].as_str().map(str::to_owned),
            });
        }
    }
    m
}
