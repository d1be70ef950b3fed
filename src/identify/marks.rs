//! The marks a release name uses to say which episode, season or day it is: `S01E02` and its
//! spellings and multi-episode forms, `1x02`, `[2.10]`, season and episode words in several
//! languages (`Season 3`, `3º Temporada`, `Episode VIII`, `Part 2`, `1of5`), season packs
//! (`S01-S07`, `Seasons 1 + 2`), air dates in the orders people write them, and years.
//! Each mark covers a run of tokens; `super::name` decides what the rest is. Pure.

use super::tags::{month, number_word, ordinal};
use super::token::{Sep, Tok};

/// Years past this are title words ("Blade Runner 2049"), not release years.
pub const MAX_YEAR: u32 = 2035;
pub const MIN_YEAR: u32 = 1890;

/// How an episode was marked, strongest first; it decides the confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpisodeMark {
    /// `S01E02`, `s1e2`, `S01.E02`, `S01E01-E03`
    SxxEyy,
    /// `Season 1 Episode 2`
    Words,
    /// `1x02`, `1x01-1x02`, `[2.10]`
    NxM,
    /// `2024-01-31`, `31.01.2024`
    Date,
    /// `E05`, `Ep 05`, `Episode 5` (no season in the mark)
    EpisodeOnly,
    /// `Part 2`, `Pt.VI`, `1of5`: a seasonless show's episode, as often a movie's part
    Part,
    /// ` - 012`, `[Group] Show 012` (anime absolute numbering)
    Absolute,
    /// a bare number in a season folder: `01 - Pilot`
    BareNumber,
    /// `102`, `1002` meaning season 1 episode 2, season 10 episode 2
    Packed,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Episode {
        seasons: Vec<u32>,
        episodes: Vec<u32>,
        how: EpisodeMark,
    },
    /// Seasons without an episode: a season pack.
    Season(Vec<u32>),
    Date(u32, u32, u32),
    Year(u32),
    /// `Part 2`, `Pt.VI`, `2of12`: an episode of a seasonless show, or a movie's part.
    Part(Vec<u32>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub mark: Mark,
}

pub fn year_like(s: &str) -> Option<u32> {
    if s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()) {
        s.parse().ok().filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
    } else {
        None
    }
}

/// Every mark in the tokens, left to right, not overlapping.
pub fn find(t: &[Tok<'_>]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let hit = sxxeyy(t, i)
            .or_else(|| nxm(t, i))
            .or_else(|| date(t, i))
            .or_else(|| season_words(t, i))
            .or_else(|| episode_words(t, i))
            .or_else(|| part(t, i))
            .or_else(|| year(t, i));
        match hit {
            Some((end, mark)) => {
                out.push(Found {
                    start: i,
                    end,
                    mark,
                });
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// A year, or a span of years (`1993-2004`: the first).
fn year(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    // `2006г.`: the Russian abbreviation of "year".
    let l = t[i].lower.strip_suffix('г').unwrap_or(&t[i].lower);
    let y = year_like(l)?;
    let end = match t.get(i + 1) {
        Some(n) if n.sep == Sep::Hyphen && year_like(&n.lower).is_some_and(|z| z > y) => i + 2,
        _ => i + 1,
    };
    Some((end, Mark::Year(y)))
}

/// Digits at the front of `s`: (value, how many).
fn lead_num(s: &str) -> Option<(u32, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 5 {
        return None;
    }
    Some((s[..n].parse().ok()?, n))
}

/// `e02`, `ep02`, `e02e03`, `e02-03`-free pieces: the episode numbers in one token's tail.
fn episode_tail(mut s: &str, eps: &mut Vec<u32>) -> Option<()> {
    loop {
        // `e02to05`: a range.
        let range = s.starts_with("to");
        s = s
            .strip_prefix("ep")
            .or_else(|| s.strip_prefix("xe"))
            .or_else(|| s.strip_prefix('e'))
            .or_else(|| s.strip_prefix("and"))
            .or_else(|| s.strip_prefix("to"))
            .or_else(|| s.strip_prefix('x'))?;
        let (n, len) = lead_num(s)?;
        match eps.last() {
            Some(&last) if range && n > last && n - last < 100 => eps.extend(last + 1..n),
            _ if range && eps.is_empty() => return None,
            _ => {}
        }
        eps.push(n);
        s = &s[len..];
        // `S01E22c`: a part letter after the number.
        if s.is_empty() || (s.len() == 1 && matches!(s, "a" | "b" | "c" | "d")) {
            return Some(());
        }
    }
}

/// `s01`, `s01e02…` as one token → (season, episodes).
fn se_token(l: &str) -> Option<(u32, Vec<u32>)> {
    // `01E06`: a season's number glued to its episode.
    if let Some((s, n)) = lead_num(l)
        && n <= 2
        && l[n..].starts_with('e')
        && let Some((e, m)) = lead_num(&l[n + 1..])
        && n + 1 + m == l.len()
        && m <= 3
    {
        return Some((s, vec![e]));
    }
    // `T02E22`: temporada, only with its episode.
    if let Some(rest) = l.strip_prefix('t') {
        let (s, e) = se_token(&format!("s{rest}"))?;
        return (!e.is_empty()).then_some((s, e));
    }
    let rest = l.strip_prefix('s')?;
    let (season, n) = lead_num(rest)?;
    if n > 4 {
        return None;
    }
    let rest = &rest[n..];
    let mut eps = Vec::new();
    if !rest.is_empty() {
        episode_tail(rest, &mut eps)?;
    } else if n == 4 && l.as_bytes()[1] == b'0' {
        // `S0201`: season 02, episode 01.
        return Some((season / 100, vec![season % 100]));
    }
    Some((season, eps))
}

/// After a mark's last episode `last`: more episodes, joined by `-E03`, `-03` (a range) or
/// ` E03`, ` S01E03` (a list). Returns the new end.
fn more_episodes(t: &[Tok<'_>], mut j: usize, season: Option<u32>, eps: &mut Vec<u32>) -> usize {
    while let Some(tok) = t.get(j) {
        let Some(&last) = eps.last() else { break };
        // `E01 à E12`, `E01 to E12`
        if matches!(tok.lower.as_str(), "to" | "à" | "a" | "al" | "thru")
            && let Some(next) = t.get(j + 1)
            && next.lower.starts_with('e')
            && let Some(&last) = eps.last()
        {
            let mut got = Vec::new();
            if episode_tail(&next.lower, &mut got).is_some()
                && let Some(&n) = got.first()
                && n > last
                && n - last < 400
            {
                eps.extend(last + 1..=n);
                j += 2;
                continue;
            }
        }
        let range = matches!(tok.sep, Sep::Hyphen | Sep::Dash);
        let listed = matches!(
            tok.sep,
            Sep::Space | Sep::Dot | Sep::Underscore | Sep::Other('+' | '&' | ',')
        );
        let l = tok.lower.as_str();
        let mut got = Vec::new();
        let ok = if let Some((s, e)) = se_token(l) {
            season.is_some_and(|x| x == s) && !e.is_empty() && {
                got = e;
                true
            }
        } else if let Some((s, e)) = nx_token(l) {
            season.is_some_and(|x| x == s) && {
                got = e;
                true
            }
        } else if l.starts_with('e') {
            episode_tail(l, &mut got).is_some()
        } else if matches!(tok.sep, Sep::Hyphen | Sep::Other('+' | '&'))
            && tok.digits
            && tok.text.len() <= 3
        {
            got.push(tok.num().unwrap_or(0));
            true
        } else {
            false
        };
        if !ok || got.is_empty() || !(range || listed) {
            break;
        }
        let first = got[0];
        if range && first > last && first - last < 400 {
            eps.extend(last + 1..first);
        } else if range {
            break;
        }
        for e in got {
            if !eps.contains(&e) {
                eps.push(e);
            }
        }
        j += 1;
    }
    j
}

/// After a season with no episode (`S02 03`, `S01.07`, `S4 - 11`, `Season 11 01`,
/// `3rd Season - 23`): a bare number of one to three digits is the episode.
fn episode_after_season(t: &[Tok<'_>], j: usize) -> Option<(Vec<u32>, usize)> {
    let next = t.get(j)?;
    if !next.digits
        || next.text.len() > 3
        || !matches!(
            next.sep,
            Sep::Space | Sep::Dot | Sep::Dash | Sep::Hyphen | Sep::Underscore
        )
    {
        return None;
    }
    // `Show.S02.2.0`, `S01.5.1`: channels, not an episode.
    if t.get(j + 1)
        .is_some_and(|a| a.sep == Sep::Dot && a.digits && a.text.len() == 1 && next.text.len() == 1)
    {
        return None;
    }
    let e = next.num().filter(|e| *e > 0)?;
    let mut eps = Vec::new();
    let end = more_numbers(t, j + 1, e, &mut eps, false);
    Some((eps, end))
}

fn sxxeyy(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let (season, mut eps, mut j) = match se_token(&t[i].lower) {
        Some((s, e)) => (s, e, i + 1),
        // `S 1 - Ep 002`
        None if t[i].lower == "s" => {
            let n = t.get(i + 1).and_then(Tok::num)?;
            let next = t.get(i + 2)?;
            if !matches!(next.lower.as_str(), "ep" | "e" | "episode")
                && !next.lower.starts_with("ep")
            {
                return None;
            }
            (n, Vec::new(), i + 2)
        }
        None => return None,
    };
    if eps.is_empty() {
        // `S01 E02`, `S01.EP05`, `S03 - E01`, `S01 Episode 2`
        if let Some(next) = t.get(j) {
            let l = next.lower.as_str();
            if l.starts_with('e')
                && l.len() > 1
                && l[1..]
                    .bytes()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == b'p')
            {
                if episode_tail(l, &mut eps).is_some() {
                    j += 1;
                } else {
                    eps.clear();
                }
            } else if matches!(l, "e" | "ep" | "episode" | "episodio" | "folge")
                && let Some(n) = t.get(j + 1).and_then(Tok::num)
            {
                eps.push(n);
                j += 2;
            }
        }
    }
    if eps.is_empty() {
        // `S01-S07`, `S01 - S07`: a season range; `S2-07`: season 2 episode 7.
        let mut seasons = vec![season];
        // `S01-S07`, `S01-S02-S03`, `S01 / S02 / S03`
        let mut k = j;
        while let Some(next) = t.get(k)
            && let Some((s2, e2)) = se_token(&next.lower)
            && e2.is_empty()
            && let Some(&last) = seasons.last()
            && s2 > last
            && s2 - last < 60
        {
            match next.sep {
                Sep::Hyphen | Sep::Dash => seasons.extend(last + 1..=s2),
                Sep::Other('/' | ',' | '+' | '&') | Sep::Space => seasons.push(s2),
                _ => break,
            }
            k += 1;
        }
        if k > j {
            return Some((k, Mark::Season(seasons)));
        }
        // `s01-04`: a zero-padded season, then the last season of the pack.
        if let Some(next) = t.get(j)
            && next.sep == Sep::Hyphen
            && next.digits
            && next.text.len() == 2
            && t[i].lower.len() == 3
            && t[i].lower.as_bytes()[1] == b'0'
            && let Some(last) = next.num().filter(|l| *l > season && l - season < 60)
        {
            seasons.extend(season + 1..=last);
            return Some((j + 1, Mark::Season(seasons)));
        }
        if let Some((e, end)) = episode_after_season(t, j) {
            return Some((
                end,
                Mark::Episode {
                    seasons,
                    episodes: e,
                    how: EpisodeMark::SxxEyy,
                },
            ));
        }
        return Some((j, Mark::Season(seasons)));
    }
    let mut end = more_episodes(t, j, Some(season), &mut eps);
    // `S03E21.22`: the next episode, written bare.
    if let Some(next) = t.get(end)
        && next.sep == Sep::Dot
        && next.digits
        && next.text.len() == 2
        && eps.last().is_some_and(|l| next.num() == Some(l + 1))
    {
        eps.push(eps.last().copied().unwrap_or(0) + 1);
        end += 1;
    }
    Some((
        end,
        Mark::Episode {
            seasons: vec![season],
            episodes: eps,
            how: EpisodeMark::SxxEyy,
        },
    ))
}

/// `1x02`, `01x22x23` → (season, episodes); not `1920x1080`.
fn nx_token(l: &str) -> Option<(u32, Vec<u32>)> {
    let (s, n) = lead_num(l)?;
    if n > 4 || !(l[n..].starts_with('x') || l[n..].starts_with('х')) {
        return None;
    }
    let rest = &l[n..];
    let mut eps = Vec::new();
    let mut r = rest;
    while let Some(x) = r.strip_prefix('x').or_else(|| r.strip_prefix('х')) {
        let (e, k) = lead_num(x)?;
        // `2001x03` is a season of 2001; `1920x1080` is a resolution.
        if k > 3 || (n > 2 && k > 2) {
            return None;
        }
        eps.push(e);
        r = &x[k..];
    }
    // `1x02and03and04`, `1x02to04`
    if !r.is_empty() && !eps.is_empty() && (r.starts_with("and") || r.starts_with("to")) {
        episode_tail(r, &mut eps)?;
        r = "";
    }
    r.is_empty().then_some((s, eps))
}

fn nxm(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let tok = &t[i];
    // `FLACx2 2.0x3`: a channel count, not a season.
    if tok.sep == Sep::Dot
        && i > 0
        && t[i - 1].digits
        && t[i - 1].text.len() == 1
        && tok.text.starts_with('0')
    {
        return None;
    }
    if let Some((s, mut eps)) = nx_token(&tok.lower) {
        let end = more_episodes(t, i + 1, Some(s), &mut eps);
        return Some((
            end,
            Mark::Episode {
                seasons: vec![s],
                episodes: eps,
                how: EpisodeMark::NxM,
            },
        ));
    }
    // `1 x 2`
    if let (Some(s), Some(x), Some(e)) = (tok.num(), t.get(i + 1), t.get(i + 2))
        && x.lower == "x"
        && tok.text.len() <= 2
        && let Some(e) = e.num().filter(|_| e.text.len() <= 3)
    {
        return Some((i + 3, nxm_mark(s, e)));
    }
    // `[2.10]`, ` - 6.01 - `, and a name that starts `4-13 Title`.
    let next = t.get(i + 1)?;
    let s = tok.num().filter(|_| tok.text.len() <= 2)?;
    let e = next
        .num()
        .filter(|_| next.text.len() == 2 || (next.text.len() == 3 && tok.group != 0))?;
    let boxed = tok.group != 0
        && matches!(tok.sep, Sep::Open | Sep::Start)
        && next.group == tok.group
        && t.get(i + 2).is_none_or(|a| a.group != tok.group)
        && next.sep == Sep::Dot;
    let dashed = matches!(tok.sep, Sep::Dash)
        && next.sep == Sep::Dot
        && t.get(i + 2).is_none_or(|a| a.sep == Sep::Dash);
    let leading = i == 0
        && next.sep == Sep::Hyphen
        && t.get(i + 2)
            .is_some_and(|a| a.is_alpha() && a.sep != Sep::Hyphen);
    if (boxed || dashed || leading) && s > 0 && e > 0 {
        return Some((i + 2, nxm_mark(s, e)));
    }
    None
}

fn nxm_mark(season: u32, episode: u32) -> Mark {
    Mark::Episode {
        seasons: vec![season],
        episodes: vec![episode],
        how: EpisodeMark::NxM,
    }
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some() && (1900..=MAX_YEAR + 1).contains(&y)
}

fn two_digit_year(y: u32) -> u32 {
    if y < 50 { 2000 + y } else { 1900 + y }
}

fn date(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let a = &t[i];
    // 20200116
    if a.digits && a.text.len() == 8 {
        let v = a.num_u64()?;
        let (y, m, d) = ((v / 10000) as u32, (v / 100 % 100) as u32, (v % 100) as u32);
        if valid(y, m, d) && y >= 1950 {
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
        (ly == 2 && lz == 2 && valid(x, y, z)).then_some((x, y, z))
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

/// Words that say "season" (lower case), in the languages release names use.
fn season_word(l: &str) -> bool {
    matches!(
        l,
        "season"
            | "seasons"
            | "series"
            | "saison"
            | "saisons"
            | "temporada"
            | "temporadas"
            | "staffel"
            | "staffeln"
            | "stagione"
            | "stagioni"
            | "seizoen"
            | "sezon"
            | "säsong"
            | "sæson"
            | "kausi"
            | "сезон"
            | "сезоны"
            | "sez"
            | "temp"
            | "sn"
            | "livre"
    )
}

fn number_at(t: &[Tok<'_>], j: usize) -> Option<u32> {
    let tok = t.get(j)?;
    tok.num()
        .filter(|_| tok.text.len() <= 3)
        .or_else(|| number_word(&tok.lower))
        .or_else(|| ordinal(&tok.lower))
}

/// After a first number: `1-4`, `1 to 6`, `1 + 2`, `1, 2`, `20 21 22`, `1:11`, `1 & 2`.
fn more_numbers(
    t: &[Tok<'_>],
    mut j: usize,
    first: u32,
    out: &mut Vec<u32>,
    dash_range: bool,
) -> usize {
    out.push(first);
    while let Some(tok) = t.get(j) {
        let last = *out.last().unwrap_or(&first);
        let word_join = matches!(
            tok.lower.as_str(),
            "to" | "a"
                | "à"
                | "al"
                | "au"
                | "bis"
                | "and"
                | "et"
                | "y"
                | "und"
                | "ao"
                | "thru"
                | "through"
        );
        let (n, used) = if word_join {
            match number_at(t, j + 1).or_else(|| {
                // `part 1 to part 3`
                (t.get(j + 1).is_some_and(|x| x.lower == "part"))
                    .then(|| number_at(t, j + 2))
                    .flatten()
            }) {
                Some(n) if t.get(j + 1).is_some_and(|x| x.lower == "part") => (n, 3),
                Some(n) => (n, 2),
                None => break,
            }
        } else if let Some(n) = tok.num().filter(|_| tok.text.len() <= 3) {
            let joined = match tok.sep {
                Sep::Hyphen | Sep::Underscore | Sep::Other('+' | ',' | ':' | '&') => true,
                Sep::Dash => dash_range && !tok.text.starts_with('0'),
                // `Season 20 21 22`: a list by spaces, for seasons only.
                Sep::Space => dash_range,
                _ => false,
            };
            if !joined {
                break;
            }
            (n, 1)
        } else {
            break;
        };
        let is_range = word_join && !matches!(tok.lower.as_str(), "and" | "et" | "y" | "und")
            || matches!(tok.sep, Sep::Hyphen | Sep::Dash | Sep::Other(':'));
        if n <= last || n - last > 400 {
            break;
        }
        if is_range {
            out.extend(last + 1..=n);
        } else {
            out.push(n);
        }
        j += used;
    }
    j
}

fn season_words(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let tok = &t[i];
    let mut seasons = Vec::new();
    let end;
    // An anime release (`[Group] Show Season 2 - 08`) numbers episodes after a dash.
    let dash_range = t.first().is_none_or(|f| f.group == 0);
    if season_word(&tok.lower) {
        // `Season 3`, `Seasons 1-4`, `Season.1.Episode.2`, `All Seasons (1-8)`
        let first = number_at(t, i + 1)?;
        end = more_numbers(t, i + 2, first, &mut seasons, dash_range);
    } else if let Some(n) = glued_number(&tok.lower, season_word) {
        // `Season2`, `Sn4`
        end = more_numbers(t, i + 1, n, &mut seasons, dash_range);
    } else if let Some(n) =
        ordinal(&tok.lower).or_else(|| tok.num().filter(|_| tok.text.len() <= 2))
    {
        // `3º Temporada`, `1st Season`, `3 сезон`, `10 th season`, `1a. Temporada`, `5-й сезон`
        let suffix = t.get(i + 1).is_some_and(|s| {
            matches!(
                s.lower.as_str(),
                "th" | "st" | "nd" | "rd" | "a" | "й" | "я" | "º" | "e" | "ª"
            )
        });
        let w = if suffix { i + 2 } else { i + 1 };
        // `2.Sezon.7.Bölüm`: the episode's number before its word (but `24 Season 1 Episode
        // 24` has the word before the number, so 24 is the show).
        let episode_follows = t.get(w + 2).is_some_and(|e| is_episode_word(&e.lower))
            && !t.get(w + 3).is_some_and(|n| n.digits);
        if !t.get(w).is_some_and(|n| season_word(&n.lower))
            || (t.get(w + 1).is_some_and(|n| n.digits && n.sep != Sep::Dash) && !episode_follows)
        {
            return None;
        }
        seasons.push(n);
        end = w + 1;
    } else {
        return None;
    }
    // `Season 1 Episode 2`, `Series 5 - Episode 1`, `Season2, Episode2`
    let episode_next = t.get(end).and_then(|next| {
        if is_episode_word(&next.lower) || next.lower == "e" {
            number_at(t, end + 1).map(|e| (e, end + 2))
        } else {
            glued_number(&next.lower, is_episode_word).map(|e| (e, end + 1))
        }
    });
    if seasons.len() == 1
        && let Some((e, after)) = episode_next
    {
        let mut eps = Vec::new();
        let end = more_numbers(t, after, e, &mut eps, false);
        return Some((
            end,
            Mark::Episode {
                seasons,
                episodes: eps,
                how: EpisodeMark::Words,
            },
        ));
    }
    // `Season.1.2`: the next season, not an episode.
    if seasons.len() == 1
        && let Some(next) = t.get(end)
        && next.digits
        && !next.text.starts_with('0')
        && next.num() == Some(seasons[0] + 1)
        && matches!(next.sep, Sep::Dot | Sep::Space)
        && t.get(end + 1).is_none_or(|a| !a.digits)
    {
        seasons.push(seasons[0] + 1);
        return Some((end + 1, Mark::Season(seasons)));
    }
    if seasons.len() == 1
        && let Some((eps, end)) = episode_after_season(t, end)
    {
        return Some((
            end,
            Mark::Episode {
                seasons,
                episodes: eps,
                how: EpisodeMark::Words,
            },
        ));
    }
    Some((end, Mark::Season(seasons)))
}

/// `season2`, `episode12`: a word glued to its number.
fn glued_number(l: &str, word: fn(&str) -> bool) -> Option<u32> {
    let d = l.bytes().rev().take_while(u8::is_ascii_digit).count();
    if d == 0 || d > 3 || d == l.len() {
        return None;
    }
    let (w, n) = l.split_at(l.len() - d);
    (word(w) && (w.len() > 2 || (w == "sn" && d <= 2)))
        .then(|| n.parse().ok())
        .flatten()
}

fn is_episode_word(l: &str) -> bool {
    matches!(
        l,
        "episode"
            | "episodes"
            | "ep"
            | "eps"
            | "episodio"
            | "episodios"
            | "épisode"
            | "folge"
            | "aflevering"
            | "afl"
            | "cap"
            | "capitulo"
            | "capítulo"
            | "серия"
            | "серии"
            | "seriya"
            | "сер"
            | "serija"
            | "seria"
            | "serii"
            | "serya"
            | "ser"
            | "эпизод"
            | "odcinek"
            | "bölüm"
            | "bolum"
    )
}

fn episode_words(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let tok = &t[i];
    let l = tok.lower.as_str();
    // `Episode 1.22`: season 1, episode 22.
    if is_episode_word(l)
        && let (Some(a), Some(b)) = (t.get(i + 1), t.get(i + 2))
        && a.digits
        && a.text.len() <= 2
        && b.digits
        && b.text.len() == 2
        && b.sep == Sep::Dot
    {
        return Some((
            i + 3,
            Mark::Episode {
                seasons: vec![a.num()?],
                episodes: vec![b.num()?],
                how: EpisodeMark::Words,
            },
        ));
    }
    // `08 seriya`, `22 seria`: the number before the word.
    if tok.digits
        && tok.text.len() <= 3
        && t.get(i + 1)
            .is_some_and(|w| is_episode_word(&w.lower) && w.lower != "ep" && w.lower != "e")
    {
        return Some((
            i + 2,
            Mark::Episode {
                seasons: Vec::new(),
                episodes: vec![tok.num()?],
                how: EpisodeMark::EpisodeOnly,
            },
        ));
    }
    let (first, next) = if is_episode_word(l) {
        // `Cap.1004` spells season 10 episode 4: four digits after a chapter word.
        let long = matches!(l, "cap" | "capitulo" | "capítulo")
            .then(|| {
                t.get(i + 1)
                    .and_then(|x| x.num().filter(|_| x.text.len() == 4))
            })
            .flatten();
        (long.or_else(|| number_at(t, i + 1))?, i + 2)
    } else if let Some(n) = glued_number(l, is_episode_word) {
        (n, i + 1)
    } else if let Some(rest) = l.strip_prefix("ep").or_else(|| l.strip_prefix('e'))
        && let Some((n, k)) = lead_num(rest)
        && (k == rest.len()
            || (rest[k..].starts_with('v')
                && rest[k + 1..].bytes().all(|c| c.is_ascii_digit())
                && rest.len() > k + 1))
        && k <= 4
    {
        // `E05`, `EP05`
        (n, i + 1)
    } else {
        return None;
    };
    let mut eps = vec![first];
    // `E10 - E17`, `E1-200`
    let end = more_episodes(t, next, None, &mut eps);
    let end = if end == next {
        eps.clear();
        // `Ep 01 - 220`: a dash after an episode word is a range.
        more_numbers(t, next, first, &mut eps, true)
    } else {
        end
    };
    Some((
        end,
        Mark::Episode {
            seasons: Vec::new(),
            episodes: eps,
            how: EpisodeMark::EpisodeOnly,
        },
    ))
}

fn part(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let tok = &t[i];
    let l = tok.lower.as_str();
    // `1of5`
    if let Some((n, k)) = lead_num(l)
        && let Some(rest) = l[k..].strip_prefix("of")
        && lead_num(rest).is_some_and(|(_, m)| m == rest.len())
    {
        return Some((i + 1, Mark::Part(vec![n])));
    }
    // `2 of 12`
    if let (Some(n), Some(of), Some(m)) = (tok.num(), t.get(i + 1), t.get(i + 2))
        && matches!(of.lower.as_str(), "of" | "из" | "de" | "von")
        && m.digits
        && tok.text.len() <= 3
    {
        return Some((i + 3, Mark::Part(vec![n])));
    }
    let glued = l
        .strip_prefix("part")
        .or_else(|| l.strip_prefix("pt"))
        .or_else(|| l.strip_prefix("cd"))
        .or_else(|| l.strip_prefix("disc"))
        .or_else(|| l.strip_prefix("disk"))
        .and_then(|r| lead_num(r).filter(|(_, k)| *k == r.len()).map(|(n, _)| n));
    let (first, next) = match glued {
        Some(n) => (n, i + 1),
        None if matches!(
            l,
            "part" | "pt" | "parte" | "teil" | "partie" | "cd" | "disc" | "disk"
        ) =>
        {
            (number_at(t, i + 1)?, i + 2)
        }
        None => return None,
    };
    let mut parts = Vec::new();
    let mut end = more_numbers(t, next, first, &mut parts, false);
    // `part 1 of 10`
    if t.get(end).is_some_and(|x| x.lower == "of") && t.get(end + 1).is_some_and(|x| x.digits) {
        end += 2;
    }
    Some((end, Mark::Part(parts)))
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
