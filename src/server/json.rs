//! Lenient reading of server JSON: a number may come as a string and a string as a number;
//! a field of the wrong shape reads as absent.

use serde_json::Value;

/// A string, or a number written as one.
pub(crate) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer, or a string of one (a whole float counts).
pub(crate) fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-negative integer that fits `u32` (a season, an episode, a year).
pub(crate) fn small(v: Option<&Value>) -> Option<u32> {
    int(v).and_then(|n| u32::try_from(n).ok())
}

/// The array at `key`, or nothing (a missing or non-array field).
pub(crate) fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A valid year, or nothing.
pub(crate) fn year(v: Option<&Value>) -> Option<u32> {
    small(v).filter(|y| (1870..=2200).contains(y))
}

/// A `YYYY-MM-DD` date at the start of a string (`2019-05-01T00:00:00Z` too).
pub(crate) fn date(v: Option<&Value>) -> Option<String> {
    let s = v?.as_str()?;
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    ok.then(|| d.to_owned())
}
