//! The catalog's one timestamp format: UTC, RFC 3339, millisecond precision, `Z` suffix
//! (`2026-11-22T15:04:05.123Z`). Fixed width, so text order is time order in SQL.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

/// Now, in the catalog's format.
pub fn now() -> String {
    fmt(Utc::now())
}

/// A UTC time in the catalog's format.
pub fn fmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Nanoseconds since the Unix epoch (a file's mtime as stored) in the catalog's format.
pub fn from_unix_ns(ns: i64) -> String {
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
pub fn age_secs_at(then: &str, now: DateTime<Utc>) -> Option<i64> {
    parse(then).map(|t| (now - t).num_seconds())
}

/// A short human form of a duration in seconds: `42s`, `3m 05s`, `2h 10m`, `3d 4h`.
pub fn human_secs(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        3600..86400 => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86400, (s % 86400) / 3600),
    }
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

    #[test]
    fn human_durations() {
        assert_eq!(human_secs(5), "5s");
        assert_eq!(human_secs(185), "3m 05s");
        assert_eq!(human_secs(7800), "2h 10m");
        assert_eq!(human_secs(-3), "0s");
    }
}
