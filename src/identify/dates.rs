//! Air dates in the orders names write them (`2024-01-31`, `31.01.2024`, `11.23.2010`,
//! `24.09.03`, `20200116`, `10 Nov 2022`, `18th july 2013`, `11/21/17`) and years
//! (`2006г`, `1993-2004`). Pure; `marks` calls these at each token.

use super::marks::{MAX_YEAR, Mark, year_like};
use super::tags::{Tag, classify, month, ordinal};
use super::token::{Sep, Tok};

/// A year, or a span of years (`1993-2004`: the first).
pub(super) fn year(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    // `2006г.`: the Russian abbreviation of "year".
    let l = t[i].lower.strip_suffix('г').unwrap_or(&t[i].lower);
    let y = year_like(l)?;
    let end = match t.get(i + 1) {
        Some(n) if n.sep == Sep::Hyphen && year_like(&n.lower).is_some_and(|z| z > y) => i + 2,
        _ => i + 1,
    };
    Some((end, Mark::Year(y)))
}

pub(super) fn valid(y: u32, m: u32, d: u32) -> bool {
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some() && (1900..=MAX_YEAR + 1).contains(&y)
}

pub(super) fn two_digit_year(y: u32) -> u32 {
    if y < 50 { 2000 + y } else { 1900 + y }
}

/// A date, and the time of day a recorder writes after it (`2023-01-05 20 00 00`,
/// `2023_01_05_20_00_00`, `[20230105-2000]`): the time is the date's, no number of its own.
pub(super) fn date(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let (end, mark) = date_alone(t, i)?;
    Some((time_of_day(t, end, t[end - 1].group), mark))
}

/// Where a time of day starting at `j` ends (`j` when there is none): `HH MM` or `HH MM SS`
/// in two-digit numbers joined alike, or `HHMM` after a hyphen.
fn time_of_day(t: &[Tok<'_>], j: usize, group: u16) -> usize {
    let two = |k: usize, max: u32| {
        t.get(k).is_some_and(|x| {
            x.digits && x.text.len() == 2 && x.group == group && x.num().is_some_and(|n| n <= max)
        })
    };
    if let Some(x) = t.get(j)
        && x.digits
        && x.text.len() == 4
        && x.sep == Sep::Hyphen
        && x.group == group
        && x.num().is_some_and(|n| n / 100 <= 23 && n % 100 <= 59)
    {
        return j + 1;
    }
    let joined = |k: usize| t.get(k).is_some_and(|x| x.sep == t[j].sep);
    if !(two(j, 23)
        && two(j + 1, 59)
        && joined(j + 1)
        && matches!(
            t[j].sep,
            Sep::Space | Sep::Underscore | Sep::Dot | Sep::Hyphen
        ))
    {
        return j;
    }
    if two(j + 2, 59) && joined(j + 2) {
        j + 3
    } else {
        j + 2
    }
}

fn date_alone(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let a = &t[i];
    // 20200116
    if a.digits && a.text.len() == 8 {
        let v = a.num_u64()?;
        let (y, m, d) = ((v / 10000) as u32, (v / 100 % 100) as u32, (v % 100) as u32);
        if valid(y, m, d) && y >= 1950 {
            return Some((i + 1, Mark::Date(y, m, d)));
        }
    }
    // `Late.Talk.140722.720p.HDTV`: yymmdd after the title, a release's tags after it.
    if a.digits
        && a.text.len() == 6
        && i > 0
        && !t[i - 1].digits
        && matches!(a.sep, Sep::Dot | Sep::Space | Sep::Underscore)
        && t.get(i + 1)
            .is_some_and(|n| n.group == a.group && classify(&n.lower) == Tag::Strong)
    {
        let v = a.num_u64()? as u32;
        let (y, m, d) = (2000 + v / 10000, v / 100 % 100, v % 100);
        if v / 10000 <= MAX_YEAR - 2000 && valid(y, m, d) {
            return Some((i + 1, Mark::Date(y, m, d)));
        }
    }
    // Day Month Year, in words: `10 Nov 2022`, `18th july 2013`, `16-Feb-2017`.
    if let (Some(b), Some(c)) = (t.get(i + 1), t.get(i + 2)) {
        let day = a
            .num()
            .filter(|_| a.text.len() <= 2)
            .or_else(|| ordinal(&a.lower));
        if let (Some(d), Some(m), Some(y)) = (day, month(&b.lower), year_like(c.text)) {
            return valid(y, m, d).then_some((i + 3, Mark::Date(y, m, d)));
        }
        // Month Day Year: `July 18, 2013`, `Jul.18.2013`.
        let day = b
            .num()
            .filter(|_| b.text.len() <= 2)
            .or_else(|| ordinal(&b.lower));
        if let (Some(m), Some(d), Some(y)) = (month(&a.lower), day, year_like(c.text)) {
            return valid(y, m, d).then_some((i + 3, Mark::Date(y, m, d)));
        }
        // Year Month Day: `2013.July.18`.
        let day = c.num().filter(|_| c.text.len() <= 2);
        if let (Some(y), Some(m), Some(d)) = (year_like(a.text), month(&b.lower), day) {
            return valid(y, m, d).then_some((i + 3, Mark::Date(y, m, d)));
        }
    }
    // Numbers: y-m-d, d-m-y, m-d-y, yy.mm.dd, dd.mm.yy, m/d/yy.
    let (b, c) = (t.get(i + 1)?, t.get(i + 2)?);
    if !(a.digits && b.digits && c.digits) || b.group != a.group || c.group != a.group {
        return None;
    }
    let same = b.sep == c.sep
        && matches!(
            b.sep,
            Sep::Dot | Sep::Hyphen | Sep::Space | Sep::Underscore | Sep::Other('/')
        );
    if !same {
        return None;
    }
    let (x, y, z) = (a.num()?, b.num()?, c.num()?);
    let (lx, ly, lz) = (a.text.len(), b.text.len(), c.text.len());
    if ly > 2 {
        return None;
    }
    let found = if lx == 4 && lz <= 2 {
        // (`2012.16.02`: a day before the month shows itself when it cannot be a month.)
        if ly == 2 && lz == 2 && valid(x, y, z) {
            Some((x, y, z))
        } else {
            (ly == 2 && lz == 2 && y > 12 && valid(x, z, y)).then_some((x, z, y))
        }
    } else if lz == 4 && lx <= 2 {
        if valid(z, y, x) && (b.sep != Sep::Other('/') || !valid(z, x, y)) {
            Some((z, y, x))
        } else if valid(z, x, y) {
            Some((z, x, y))
        } else {
            None
        }
    } else if lx == 2 && ly == 2 && lz == 2 {
        if b.sep == Sep::Other('/') {
            let yy = two_digit_year(z);
            valid(yy, x, y).then_some((yy, x, y))
        } else {
            // Scene order is yy.mm.dd; a day-first date shows itself when it cannot be that.
            let (y1, y2) = (two_digit_year(x), two_digit_year(z));
            if valid(y1, y, z) && z != 0 {
                Some((y1, y, z))
            } else if valid(y2, y, x) {
                Some((y2, y, x))
            } else {
                None
            }
        }
    } else {
        None
    };
    found.map(|(y, m, d)| (i + 3, Mark::Date(y, m, d)))
}

impl Tok<'_> {
    fn num_u64(&self) -> Option<u64> {
        if self.digits && self.text.len() <= 12 {
            self.text.parse().ok()
        } else {
            None
        }
    }
}
