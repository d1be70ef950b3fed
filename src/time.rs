//! The catalog's one timestamp format: UTC, RFC 3339, millisecond precision, `Z` suffix
//! (`2026-11-22T15:04:05.123Z`). Fixed width, so text order is time order in SQL.

use chrono::{DateTime, SecondsFormat, TimeZone, Timelike, Utc};

/// Now, in the catalog's format.
pub fn now() -> String {
    fmt(Utc::now())
}

/// A UTC time in the catalog's format. Written digit by digit for years 0–9999 (chrono's
/// general formatter was 4% of a scan's writer, which stamps every episode, marker and
/// probe it writes); chrono's for anything else, with the same result.
pub fn fmt(t: DateTime<Utc>) -> String {
    let ms = t.timestamp_millis();
    match civil(ms) {
        Some(parts) if t.nanosecond() < 1_000_000_000 => digits(parts),
        _ => t.to_rfc3339_opts(SecondsFormat::Millis, true),
    }
}

/// Year, month, day, hour, minute, second and millisecond of `ms` after the Unix epoch
/// (the proleptic Gregorian calendar, as chrono's); `None` outside years 0–9999.
fn civil(ms: i64) -> Option<[i64; 7]> {
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Days to a date, counted in 400-year eras from 0000-03-01.
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (0..=9999).contains(&year).then_some([
        year,
        month,
        day,
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    ])
}

fn digits([y, mo, d, h, mi, s, ms]: [i64; 7]) -> String {
    let mut out = String::with_capacity(24);
    for (v, width, after) in [
        (y, 4, '-'),
        (mo, 2, '-'),
        (d, 2, 'T'),
        (h, 2, ':'),
        (mi, 2, ':'),
        (s, 2, '.'),
        (ms, 3, 'Z'),
    ] {
        for p in (0..width).rev() {
            let digit = (v / 10_i64.pow(p)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
        out.push(after);
    }
    out
}

/// Nanoseconds since the Unix epoch (a file's mtime as stored) in the catalog's format.
pub(crate) fn from_unix_ns(ns: i64) -> String {
    fmt(Utc.timestamp_nanos(ns))
}

/// Parses a catalog timestamp; `None` for anything malformed.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whole seconds from `then` (a catalog timestamp) to now; `None` when unparsable.
pub fn age_secs(then: &str) -> Option<i64> {
    age_secs_at(then, Utc::now())
}

/// Seconds from a catalog timestamp to `now`.
pub(crate) fn age_secs_at(then: &str, now: DateTime<Utc>) -> Option<i64> {
    parse(then).map(|t| (now - t).num_seconds())
}

/// A short human form of a duration in seconds: `42s`, `3m 05s`, `2h 10m`, `3d 4h`.
pub(crate) fn human_secs(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        3600..86400 => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86400, (s % 86400) / 3600),
    }
}

/// A position in a file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadOffset {
    #[error("{0:?} is too large")]
    TooLarge(String),
    #[error("{0:?} is not a time: use HH:MM:SS(.mmm), MM:SS(.mmm) or milliseconds")]
    NotATime(String),
}

/// A position in a file, as typed: `01:02:03.500`, `02:03`, `62500` → milliseconds.
pub(crate) fn parse_offset(s: &str) -> Result<i64, BadOffset> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_err(|_| BadOffset::TooLarge(s.into()));
    }
    let bad = || BadOffset::NotATime(s.into());
    let (clock, frac) = match s.split_once('.') {
        Some((c, f)) => (c, f),
        None => (s, ""),
    };
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 3 {
        return Err(bad());
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let nums: Option<Vec<i64>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 2 || parts.len() == 1)
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let nums = nums.ok_or_else(bad)?;
    let (h, m, sec) = match nums.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return Err(bad()),
    };
    if m >= 60 || sec >= 60 {
        return Err(bad());
    }
    let ms: i64 = format!("{frac:0<3}").parse().unwrap_or(0);
    Ok(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

/// A position in a file (milliseconds) as `H:MM:SS.mmm`.
pub(crate) fn fmt_offset(ms: i64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    format!(
        "{h}:{:02}:{:02}.{:03}",
        rest / 60_000,
        (rest % 60_000) / 1000,
        rest % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_is_fixed_width_and_round_trips() {
        let t = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        let s = fmt(t);
        assert_eq!(s, "2024-01-02T03:04:05.000Z");
        assert_eq!(parse(&s), Some(t));
        assert_eq!(from_unix_ns(1_500_000_000), "1970-01-01T00:00:01.500Z");
    }

    /// The catalog's format, written by hand, is chrono's to the character: around the
    /// epoch, leap days, century rules, the ends of years 0 and 9999 and past them, and a
    /// spread of instants between.
    #[test]
    fn the_fast_format_is_chrono_s() {
        let chrono = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut instants: Vec<i64> = vec![
            0,
            -1,
            1,
            951_782_400_000,     // 2000-02-29
            951_868_799_999,     // 2000-02-29T23:59:59.999
            4_107_456_000_000,   // 2100-02-28
            -62_167_219_200_000, // 0000-01-01
            -62_167_219_200_001, // just before year 0
            253_402_300_799_999, // 9999-12-31T23:59:59.999
            253_402_300_800_000, // 10000-01-01
            -2_203_891_200_000,  // 1900-03-01
            1_764_547_200_123,
        ];
        // A walk over ten thousand years in uneven steps (a prime number of ms).
        let mut t = -62_167_219_200_000_i64 - 86_400_000;
        while t < 253_402_300_800_000 + 86_400_000 {
            instants.push(t);
            t += 31_557_600_007;
        }
        for d in 0..1500 {
            instants.push(d * 86_400_000 * 7 + 13 * d * 3_600_007);
        }
        for ms in instants {
            let t = Utc.timestamp_millis_opt(ms).unwrap();
            assert_eq!(fmt(t), chrono(t), "{ms}");
        }
        let now = Utc::now();
        assert_eq!(fmt(now), chrono(now));
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_secs(5), "5s");
        assert_eq!(human_secs(185), "3m 05s");
        assert_eq!(human_secs(7800), "2h 10m");
        assert_eq!(human_secs(-3), "0s");
    }

    #[test]
    fn times_parse_in_every_form() {
        assert_eq!(parse_offset("62500"), Ok(62_500));
        assert_eq!(parse_offset("00:01:02.5"), Ok(62_500));
        assert_eq!(parse_offset("1:02"), Ok(62_000));
        assert_eq!(parse_offset("01:00:00.001"), Ok(3_600_001));
        assert_eq!(parse_offset("12:34:56.789"), Ok(45_296_789));
        for bad in ["", "1:60", "1:2:3:4", "abc", "1.5.5", "00:00:00.1234", "-5"] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
        assert_eq!(fmt_offset(45_296_789), "12:34:56.789");
    }
}
