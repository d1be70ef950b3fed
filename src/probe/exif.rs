//! Photos: capture time, GPS, camera, orientation and size from EXIF (kamadak-exif in its
//! lenient mode, over a bounded head of the file: it would otherwise read a whole file that
//! has no EXIF). The capture time falls back to a date in the file name, then to the mtime,
//! and says which one it used. The camera's wall-clock time is kept as written: with its
//! offset when the file gives one, with none otherwise; never shifted to this machine's zone.

use std::io::{Cursor, Read};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::PhotoFacts;

/// How much of a file the EXIF reader may see. JPEG puts EXIF in its first segment; HEIF
/// and TIFF can place it later, but within the first megabytes in practice.
pub(crate) const HEAD_BYTES: u64 = 2 << 20;

/// Reads a photo's facts. `mtime_ns` is the last resort for the capture time. Never fails:
/// damaged or absent EXIF gives what could be read, and the fallbacks.
pub fn read(path: &Path, name: &str, mtime_ns: i64) -> std::io::Result<PhotoFacts> {
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)?;
    Ok(from_bytes(&head, name, mtime_ns))
}

/// The same, from bytes already read (and for fuzzing).
pub fn from_bytes(head: &[u8], name: &str, mtime_ns: i64) -> PhotoFacts {
    let mut f = PhotoFacts::default();
    let exif = exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(head))
        .or_else(|e| e.distill_partial_result(|_| {}));
    let mut modified = None;
    if let Ok(exif) = exif {
        modified = read_fields(&exif, &mut f);
    }
    // The capture time: DateTimeOriginal (or Digitized), else a date in the name, else IFD0
    // DateTime, which is when the file was last changed (editors rewrite it), else the mtime.
    if f.captured_at.is_none() {
        let (at, source) = match (date_in_name(name), modified) {
            (Some(t), _) => (t, "filename"),
            (None, Some(t)) => (t, "exif_modified"),
            (None, None) => (crate::time::from_unix_ns(mtime_ns), "mtime"),
        };
        f.captured_at = Some(at);
        f.captured_at_source = Some(source);
    }
    f
}

fn ascii(exif: &exif::Exif, tag: exif::Tag) -> Option<String> {
    let field = exif.get_field(tag, exif::In::PRIMARY)?;
    match &field.value {
        exif::Value::Ascii(v) => {
            let s: String = v
                .iter()
                .flat_map(|b| b.iter())
                .map(|&b| b as char)
                .collect::<String>()
                .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                .to_string();
            (!s.is_empty()).then_some(s)
        }
        _ => None,
    }
}

fn uint(exif: &exif::Exif, tag: exif::Tag) -> Option<u32> {
    exif.get_field(tag, exif::In::PRIMARY)?.value.get_uint(0)
}

fn rationals(exif: &exif::Exif, tag: exif::Tag) -> Option<Vec<f64>> {
    match &exif.get_field(tag, exif::In::PRIMARY)?.value {
        exif::Value::Rational(v) => Some(v.iter().map(|r| r.to_f64()).collect()),
        _ => None,
    }
}

/// Degrees from (degrees, minutes, seconds) and a reference letter.
fn coordinate(dms: &[f64], reference: Option<&str>, negative: char, limit: f64) -> Option<f64> {
    let (d, m, s) = (
        *dms.first()?,
        dms.get(1).copied().unwrap_or(0.0),
        dms.get(2).copied().unwrap_or(0.0),
    );
    if !(d.is_finite() && m.is_finite() && s.is_finite()) || m >= 60.0 || s >= 60.0 || d < 0.0 {
        return None;
    }
    let mut v = d + m / 60.0 + s / 3600.0;
    if reference.is_some_and(|r| r.starts_with(negative)) {
        v = -v;
    }
    (v.abs() <= limit).then_some((v * 1e7).round() / 1e7)
}

/// Reads the fields into `f`; returns IFD0's DateTime (the file's last change), which is a
/// capture time only when nothing better is known.
fn read_fields(exif: &exif::Exif, f: &mut PhotoFacts) -> Option<String> {
    use exif::Tag;
    let time = |tag, sub, off| {
        ascii(exif, tag)
            .and_then(|d| exif_time(&d, ascii(exif, sub).as_deref(), ascii(exif, off).as_deref()))
    };
    let captured = time(
        Tag::DateTimeOriginal,
        Tag::SubSecTimeOriginal,
        Tag::OffsetTimeOriginal,
    )
    .or_else(|| {
        time(
            Tag::DateTimeDigitized,
            Tag::SubSecTimeDigitized,
            Tag::OffsetTimeDigitized,
        )
    });
    if let Some(t) = captured {
        f.captured_at = Some(t);
        f.captured_at_source = Some("exif");
    }
    let modified = time(Tag::DateTime, Tag::SubSecTime, Tag::OffsetTime);
    let lat_ref = ascii(exif, Tag::GPSLatitudeRef);
    let lon_ref = ascii(exif, Tag::GPSLongitudeRef);
    let lat = rationals(exif, Tag::GPSLatitude)
        .and_then(|v| coordinate(&v, lat_ref.as_deref(), 'S', 90.0));
    let lon = rationals(exif, Tag::GPSLongitude)
        .and_then(|v| coordinate(&v, lon_ref.as_deref(), 'W', 180.0));
    // A position needs both halves.
    if let (Some(a), Some(b)) = (lat, lon) {
        f.gps_lat = Some(a);
        f.gps_lon = Some(b);
        if let Some(alt) = rationals(exif, Tag::GPSAltitude)
            .and_then(|v| v.first().copied())
            .filter(|a| a.is_finite())
        {
            let below = uint(exif, Tag::GPSAltitudeRef) == Some(1);
            f.gps_alt = Some(if below { -alt } else { alt });
        }
    }
    f.camera_make = ascii(exif, Tag::Make);
    f.camera_model = ascii(exif, Tag::Model);
    f.orientation = uint(exif, Tag::Orientation).filter(|o| (1..=8).contains(o));
    f.width = uint(exif, Tag::PixelXDimension)
        .or_else(|| uint(exif, Tag::ImageWidth))
        .filter(|w| *w > 0);
    f.height = uint(exif, Tag::PixelYDimension)
        .or_else(|| uint(exif, Tag::ImageLength))
        .filter(|h| *h > 0);
    modified
}

/// `2023:12:25 12:34:56` (+ sub-seconds, + offset) → RFC 3339 as the camera wrote it:
/// `2023-12-25T12:34:56.123+02:00`, or with no offset when the file gives none. Zero and
/// impossible dates are no date.
pub fn exif_time(dt: &str, subsec: Option<&str>, offset: Option<&str>) -> Option<String> {
    let dt = dt.trim();
    let naive = NaiveDateTime::parse_from_str(dt, "%Y:%m:%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(dt, "%Y-%m-%d %H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(dt, "%Y:%m:%d %H:%M:%S%.f"))
        .ok()?;
    if naive.date().year_ce().1 < 1800 {
        return None;
    }
    let mut s = naive.format("%Y-%m-%dT%H:%M:%S").to_string();
    if let Some(sub) = subsec
        .map(str::trim)
        .filter(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()))
    {
        let ms: String = sub.chars().chain("000".chars()).take(3).collect();
        s.push('.');
        s.push_str(&ms);
    }
    if let Some(off) = offset.map(str::trim) {
        let b = off.as_bytes();
        let valid = b.len() == 6
            && (b[0] == b'+' || b[0] == b'-')
            && b[1].is_ascii_digit()
            && b[2].is_ascii_digit()
            && b[3] == b':'
            && b[4].is_ascii_digit()
            && b[5].is_ascii_digit()
            && off[1..3].parse::<u32>().is_ok_and(|h| h <= 14)
            && off[4..6].parse::<u32>().is_ok_and(|m| m < 60);
        if valid {
            s.push_str(off);
        } else if off == "Z" {
            s.push('Z');
        }
    }
    Some(s)
}

use chrono::Datelike;

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn date(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1990..=2099).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// A date (and time when there is one) in a file name: `IMG_20231225_123456`,
/// `PXL_20231225_123456789`, `VID_…`, `Screenshot_2023-12-25-12-34-56`, `IMG-20231225-WA0001`,
/// `2023-12-25 12.34.56`. Returned like an EXIF time without offset.
pub fn date_in_name(name: &str) -> Option<String> {
    let b = name.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // YYYYMMDD
        if i + 8 <= n
            && b[i..i + 8].iter().all(u8::is_ascii_digit)
            && b.get(i + 8).is_none_or(|c| !c.is_ascii_digit())
            && let Some(d) = date(
                digits(&b[i..i + 4])?,
                digits(&b[i + 4..i + 6])?,
                digits(&b[i + 6..i + 8])?,
            )
        {
            return Some(fmt(d, time_after(b, i + 8)));
        }
        // YYYY-MM-DD / YYYY_MM_DD / YYYY.MM.DD
        if i + 10 <= n
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && matches!(b[i + 4], b'-' | b'_' | b'.')
            && b[i + 7] == b[i + 4]
            && let (Some(y), Some(m), Some(d)) = (
                digits(&b[i..i + 4]),
                digits(&b[i + 5..i + 7]),
                digits(&b[i + 8..i + 10]),
            )
            && let Some(d) = date(y, m, d)
        {
            return Some(fmt(d, time_after(b, i + 10)));
        }
        i += 1;
    }
    None
}

/// A time right after a date: `_123456`, `_123456789`, `-12-34-56`, ` 12.34.56`, `T12:34:56`.
fn time_after(b: &[u8], at: usize) -> Option<NaiveTime> {
    let sep = *b.get(at)?;
    if !matches!(sep, b'_' | b'-' | b' ' | b'T' | b'.') {
        return None;
    }
    let r = &b[at + 1..];
    if r.len() >= 6 && r[..6].iter().all(u8::is_ascii_digit) {
        return NaiveTime::from_hms_opt(digits(&r[0..2])?, digits(&r[2..4])?, digits(&r[4..6])?);
    }
    if r.len() >= 8 && r[2] == r[5] && matches!(r[2], b'-' | b'.' | b':' | b'_') {
        return NaiveTime::from_hms_opt(digits(&r[0..2])?, digits(&r[3..5])?, digits(&r[6..8])?);
    }
    None
}

fn fmt(d: NaiveDate, t: Option<NaiveTime>) -> String {
    let t = t.unwrap_or_default();
    d.and_time(t).format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_times_keep_the_wall_clock_and_drop_impossible_dates() {
        assert_eq!(
            exif_time("2023:12:25 12:34:56", None, None).as_deref(),
            Some("2023-12-25T12:34:56")
        );
        assert_eq!(
            exif_time("2023:12:25 12:34:56", Some("12"), Some("+02:00")).as_deref(),
            Some("2023-12-25T12:34:56.120+02:00")
        );
        assert_eq!(
            exif_time("2023:12:25 12:34:56", Some("5"), Some("-05:30")).as_deref(),
            Some("2023-12-25T12:34:56.500-05:30")
        );
        assert_eq!(
            exif_time("2023:12:25 12:34:56", None, Some("garbage")).as_deref(),
            Some("2023-12-25T12:34:56")
        );
        assert_eq!(exif_time("0000:00:00 00:00:00", None, None), None);
        assert_eq!(exif_time("2023:13:01 00:00:00", None, None), None);
        assert_eq!(exif_time("2023:02:30 10:00:00", None, None), None);
        assert_eq!(exif_time("    :  :     :  :  ", None, None), None);
    }

    #[test]
    fn dates_in_file_names() {
        let cases = [
            ("IMG_20231225_123456.jpg", Some("2023-12-25T12:34:56")),
            ("PXL_20231225_123456789.jpg", Some("2023-12-25T12:34:56")),
            ("VID_20231225_123456.mp4", Some("2023-12-25T12:34:56")),
            (
                "Screenshot_2023-12-25-12-34-56.png",
                Some("2023-12-25T12:34:56"),
            ),
            ("IMG-20231225-WA0001.jpg", Some("2023-12-25T00:00:00")),
            ("2023-12-25 12.34.56.jpg", Some("2023-12-25T12:34:56")),
            ("Photo 2023_12_25.jpg", Some("2023-12-25T00:00:00")),
            ("DSC_0001.jpg", None),
            ("IMG_20231345_123456.jpg", None),
            ("123456789012.jpg", None),
            ("IMG_1234.JPG", None),
        ];
        for (name, want) in cases {
            assert_eq!(date_in_name(name).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn coordinates_with_refs_and_ranges() {
        assert_eq!(
            coordinate(&[48.0, 51.0, 29.64], Some("N"), 'S', 90.0).map(|v| (v * 1e4).round() / 1e4),
            Some(48.8582)
        );
        assert_eq!(
            coordinate(&[151.0, 12.0, 55.08], Some("E"), 'W', 180.0),
            Some(151.2153)
        );
        assert_eq!(
            coordinate(&[33.0, 52.0, 0.0], Some("S"), 'S', 90.0).map(|v| (v * 1e4).round() / 1e4),
            Some(-33.8667)
        );
        assert_eq!(
            coordinate(&[151.0, 12.0, 0.0], Some("W"), 'W', 180.0).map(|v| v.round()),
            Some(-151.0)
        );
        assert_eq!(coordinate(&[95.0, 0.0, 0.0], Some("N"), 'S', 90.0), None);
        assert_eq!(coordinate(&[10.0, 61.0, 0.0], Some("N"), 'S', 90.0), None);
        assert_eq!(coordinate(&[], Some("N"), 'S', 90.0), None);
    }

    #[test]
    fn no_exif_falls_back_to_the_name_then_the_mtime() {
        let f = from_bytes(b"not an image", "IMG_20231225_123456.jpg", 0);
        assert_eq!(
            (f.captured_at.as_deref(), f.captured_at_source),
            (Some("2023-12-25T12:34:56"), Some("filename"))
        );
        let f = from_bytes(b"", "holiday.jpg", 1_700_000_000_000_000_000);
        assert_eq!(f.captured_at_source, Some("mtime"));
        assert_eq!(f.captured_at.as_deref(), Some("2023-11-14T22:13:20.000Z"));
    }

    /// A JPEG whose EXIF holds only IFD0 tags: Make and DateTime.
    fn jpeg_with_ifd0_datetime(dt: &str) -> Vec<u8> {
        let make = b"Canon\0".to_vec();
        let mut dt = dt.as_bytes().to_vec();
        dt.push(0);
        // TIFF (little endian): header, IFD0 with two entries, then the values.
        let data = 8 + 2 + 2 * 12 + 4;
        let mut t = b"II*\0".to_vec();
        t.extend(8u32.to_le_bytes());
        t.extend(2u16.to_le_bytes());
        for (tag, len, at) in [
            (0x010fu16, make.len(), data),
            (0x0132, dt.len(), data + make.len()),
        ] {
            t.extend(tag.to_le_bytes());
            t.extend(2u16.to_le_bytes());
            t.extend((len as u32).to_le_bytes());
            t.extend((at as u32).to_le_bytes());
        }
        t.extend(0u32.to_le_bytes());
        t.extend(&make);
        t.extend(&dt);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(t);
        let mut j = vec![0xff, 0xd8, 0xff, 0xe1];
        j.extend(((app1.len() + 2) as u16).to_be_bytes());
        j.extend(app1);
        j.extend([0xff, 0xd9]);
        j
    }

    #[test]
    fn ifd0_datetime_is_when_the_file_changed_not_a_capture_date() {
        let j = jpeg_with_ifd0_datetime("2024:03:04 05:06:07");
        let f = from_bytes(&j, "edited.jpg", 0);
        assert_eq!(f.camera_make.as_deref(), Some("Canon"), "the EXIF was read");
        assert_eq!(f.captured_at_source, Some("exif_modified"));
        assert_eq!(f.captured_at.as_deref(), Some("2024-03-04T05:06:07"));
        // A date in the name ranks above it.
        let f = from_bytes(&j, "IMG_20200101_101010.jpg", 0);
        assert_eq!(f.captured_at_source, Some("filename"));
    }
}
