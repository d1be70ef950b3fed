//! The marks a release name uses to say which episode, season or day it is: `S01E02` and its
//! spellings and multi-episode forms, `1x02`, `[2.10]`, season and episode words in several
//! languages (`Season 3`, `3º Temporada`, `Episode VIII`, `Part 2`, `1of5`), season packs
//! (`S01-S07`, `Seasons 1 + 2`), air dates in the orders people write them, and years.
//! Each mark covers a run of tokens; `super::name` decides what the rest is. Pure.

use super::dates::{date, year};
use super::numbers::versioned;
use super::spelled::{counted_cjk, episode_words, more_numbers, part, season_words};
use super::tags::{self, Tag, classify};
use super::token::{Sep, Tok};

/// Years past this are title words ("Blade Runner 2049"), not release years.
pub(crate) const MAX_YEAR: u32 = 2035;
pub(crate) const MIN_YEAR: u32 = 1890;

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

impl EpisodeMark {
    /// The name itself says which episode, in a form no other reading shares: SxxEyy,
    /// season and episode words, `1x02`, an air date.
    pub(crate) fn is_explicit(self) -> bool {
        matches!(self, Self::SxxEyy | Self::Words | Self::NxM | Self::Date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    Episode {
        seasons: Vec<u32>,
        episodes: Vec<u32>,
        how: EpisodeMark,
    },
    /// Seasons without an episode: a season pack.
    Season(Vec<u32>),
    Date(u32, u32, u32),
    Year(u32),
    /// `Part 2`, `Pt.VI`, `2of12`: an episode of a seasonless show, or a movie's part;
    /// `of_total` when counted out of a total (`2of12`, `Part 1 of 10`: a miniseries'; a
    /// film's discs, `CD1 of 2`, are not); `film_disc` for a film split over CDs (`cd1`,
    /// `cd1of2`), never an episode (`Miniseries Cd2 Of 3`, counted in words, may be).
    Part {
        parts: Vec<u32>,
        of_total: bool,
        film_disc: bool,
        /// Read from a disc's word (`CD2`, `Disc 1`, `Disk 3`), not a part's.
        disc: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub mark: Mark,
}

pub(crate) fn year_like(s: &str) -> Option<u32> {
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
            .or_else(|| bracketed_range(t, i))
            .or_else(|| counted_cjk(t, i))
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

/// `(001-220)`, `S01 (01 - 12)`, `(0001-1071+Movies)`: a zero-padded range of episodes
/// opening a bracket group (a year range, `(2005-2009)`, is never zero-padded), or ending
/// the name's words (`(OVA) 001-002`).
fn bracketed_range(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let (a, b) = (&t[i], t.get(i + 1)?);
    let padded = a.digits && a.text.starts_with('0') && (2..=4).contains(&a.text.len());
    let joined = b.group == a.group
        && b.digits
        && b.text.len() <= 4
        && matches!(b.sep, Sep::Hyphen | Sep::Dash | Sep::Other('~'));
    // Outside brackets, three padded digits each and nothing but a group or the end
    // after: `Samurai X: Trust & Betrayal (OVA) 001-002`.
    // (After a dash, ` - 006-007`, the number reading knows it for an anime episode's.)
    let apart = a.group == 0
        && a.sep != Sep::Dash
        && a.text.len() == 3
        && b.text.len() == 3
        && b.sep == Sep::Hyphen
        && t.get(i + 2).is_none_or(|x| x.group != 0);
    if !(a.sep == Sep::Open || apart) || !padded || !joined {
        return None;
    }
    let closes = apart
        || t.get(i + 2)
            .is_none_or(|x| x.group != a.group || x.sep == Sep::Other('+'));
    let (first, last) = (a.num()?, b.num()?);
    (closes && last > first && last - first < 2000).then(|| {
        (
            i + 2,
            Mark::Episode {
                seasons: Vec::new(),
                episodes: (first..=last).collect(),
                how: EpisodeMark::Absolute,
            },
        )
    })
}

/// Digits at the front of `s`: (value, how many).
pub(super) fn lead_num(s: &str) -> Option<(u32, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 5 {
        return None;
    }
    Some((s[..n].parse().ok()?, n))
}

/// `e02`, `ep02`, `e02e03`, `e02-03`-free pieces: the episode numbers in one token's tail.
pub(super) fn episode_tail(mut s: &str, eps: &mut Vec<u32>) -> Option<()> {
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
pub(super) fn more_episodes(
    t: &[Tok<'_>],
    mut j: usize,
    season: Option<u32>,
    eps: &mut Vec<u32>,
) -> usize {
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
        // `1x01 to 10`: a range to a bare number, a tag or nothing after it.
        if matches!(tok.lower.as_str(), "to" | "thru" | "à" | "al")
            && let Some(n) = t
                .get(j + 1)
                .filter(|x| x.digits && x.text.len() <= 3)
                .and_then(Tok::num)
            && n > last
            && n - last < 400
            && t.get(j + 2)
                .is_none_or(|x| x.group != 0 || classify(&x.lower) != Tag::No)
        {
            eps.extend(last + 1..=n);
            j += 2;
            continue;
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
        } else if (matches!(tok.sep, Sep::Hyphen | Sep::Other('+' | '&'))
            && tok.digits
            && tok.text.len() <= 3)
            // `8x01_02 - Title`: the next episode after an underscore, the title's dash
            // (or nothing) after it.
            || (tok.sep == Sep::Underscore
                && tok.digits
                && tok.text.len() == 2
                && tok.num().is_some_and(|n| n == last + 1)
                && t.get(j + 1).is_none_or(|x| x.sep == Sep::Dash))
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
pub(super) fn episode_after_season(t: &[Tok<'_>], j: usize) -> Option<(Vec<u32>, usize)> {
    let next = t.get(j)?;
    // `S03 - Part 1 - 13`: a season told in parts (cours); the number after the part's
    // own dash is the episode.
    if matches!(next.lower.as_str(), "part" | "pt" | "cour")
        && t.get(j + 1).is_some_and(|n| n.digits && n.text.len() <= 2)
        && t.get(j + 2).is_some_and(|e| e.sep == Sep::Dash)
    {
        return episode_after_season(t, j + 2);
    }
    // `[Grp] Show - S03 - Arc Name - 21 [1080p]`: the season's arc named between it and
    // the episode, each after its own dash; the episode's number ends the name's words.
    if next.sep == Sep::Dash
        && next.group == 0
        && next.is_alpha()
        && let Some(k) = (j + 1..t.len().min(j + 10))
            .take_while(|&k| t[k].group == 0)
            .find(|&k| t[k].sep == Sep::Dash && t[k].digits && (2..=3).contains(&t[k].text.len()))
        && (j + 1..k).all(|w| !t[w].digits)
        && t.get(k + 1).is_none_or(|x| x.group != 0)
    {
        return episode_after_season(t, k);
    }
    // `Show S2 (2019) - 11`: the season's year in brackets between it and the episode.
    if next.group != 0
        && next.digits
        && next.text.len() == 4
        && t.get(j + 1)
            .is_some_and(|e| e.group == 0 && e.sep == Sep::Dash && e.digits)
    {
        return episode_after_season(t, j + 1);
    }
    // (`Show (Season 3) 38`: after the season's bracket too, but no resolution's height.)
    let sep_ok = matches!(
        next.sep,
        Sep::Space | Sep::Dot | Sep::Dash | Sep::Hyphen | Sep::Underscore
    ) || (next.sep == Sep::Close && next.group == 0 && !tags::height(next.text));
    // `S2 - 01v2`: a fansub's second version of the episode.
    if let Some((Some(e), _)) = versioned(&next.lower)
        && sep_ok
        && e > 0
        && e < 1000
    {
        return Some((vec![e], j + 1));
    }
    if !next.digits || next.text.len() > 3 || !sep_ok {
        return None;
    }
    // `Show.S02.2.0`, `S01.5.1`: channels, not an episode.
    if t.get(j + 1)
        .is_some_and(|a| a.sep == Sep::Dot && a.digits && a.text.len() == 1 && next.text.len() == 1)
    {
        return None;
    }
    // Episode 0 (a prologue) only opens a range: `S2 - 00~25`.
    let range_next = t
        .get(j + 1)
        .is_some_and(|x| x.digits && matches!(x.sep, Sep::Hyphen | Sep::Other('~')));
    // (`2nd Season - 00`: after a dash, a zero-padded 00 is a prologue, episode 0.)
    let prologue = next.text == "00" && next.sep == Sep::Dash;
    let e = next.num().filter(|e| *e > 0 || range_next || prologue)?;
    let mut eps = Vec::new();
    let end = more_numbers(t, j + 1, e, &mut eps, false);
    Some((eps, end))
}

fn sxxeyy(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    // `Show.S07D1.NTSC.DVDR`, `S07D1-3&5`: a season's discs, the season's pack (the discs'
    // numbers after it are no episodes).
    if let Some(rest) = t[i].lower.strip_prefix('s')
        && let Some((season, n)) = lead_num(rest)
        && n <= 2
        && let Some(disc) = rest[n..].strip_prefix('d')
        && lead_num(disc).is_some_and(|(_, m)| m == disc.len() && m <= 2)
    {
        let mut end = i + 1;
        while t.get(end).is_some_and(|x| {
            x.digits && x.text.len() <= 2 && matches!(x.sep, Sep::Hyphen | Sep::Other('&'))
        }) {
            end += 1;
        }
        return Some((end, Mark::Season(vec![season])));
    }
    // `S01EP(01-09)`, `S01E 05`: the episode's word glued to the season's, its number (or
    // range) apart.
    if let Some(season) = season_then_episode_word(&t[i].lower) {
        // (No number after the word, or a resolution's height: the season alone.)
        let Some(first) = t
            .get(i + 1)
            .filter(|x| x.digits && x.text.len() <= 3 && !tags::height(x.text))
            .and_then(Tok::num)
        else {
            return Some((i + 1, Mark::Season(vec![season])));
        };
        let mut episodes = Vec::new();
        let end = more_numbers(t, i + 2, first, &mut episodes, false);
        let how = EpisodeMark::SxxEyy;
        return Some((
            end,
            Mark::Episode {
                seasons: vec![season],
                episodes,
                how,
            },
        ));
    }
    let (season, mut eps, mut j) = match se_token(&t[i].lower) {
        Some((s, e)) => (s, e, i + 1),
        // `S 1 - Ep 002`
        None if t[i].lower == "s" => {
            let num = t.get(i + 1)?;
            let n = num.num()?;
            match t.get(i + 2) {
                Some(next)
                    if matches!(next.lower.as_str(), "ep" | "e" | "episode")
                        || next.lower.starts_with("ep") =>
                {
                    (n, Vec::new(), i + 2)
                }
                // `Eureka S 01 720p`: a season written apart, zero-padded, before the
                // release's tags (or nothing).
                next if num.text.len() == 2
                    && num.zero_padded()
                    && next.is_none_or(|x| x.group != 0 || classify(&x.lower) != Tag::No) =>
                {
                    return Some((i + 2, Mark::Season(vec![n])));
                }
                _ => return None,
            }
        }
        // `T01.E01`: temporada, only with its episode apart.
        None => {
            let (s, n) = lead_num(t[i].lower.strip_prefix('t')?)?;
            let mut eps = Vec::new();
            let j = episode_apart(t, i + 1, &mut eps);
            if n > 2 || n + 1 != t[i].lower.len() || eps.is_empty() {
                return None;
            }
            (s, eps, j)
        }
    };
    if eps.is_empty() {
        j = episode_apart(t, j, &mut eps);
    }
    if eps.is_empty() {
        return Some(season_without_episode(t, i, j, season));
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

/// `s01ep`, `s1e`: a season's mark ending in the episode's word, its number apart.
fn season_then_episode_word(l: &str) -> Option<u32> {
    let rest = l.strip_prefix('s')?;
    let (season, n) = lead_num(rest)?;
    (n <= 2 && matches!(&rest[n..], "e" | "ep")).then_some(season)
}

/// `S01 E02`, `S01.EP05`, `S03 - E01`, `S01 Episode 2`: the episode in a token of its own
/// at `j`, after the season's. Returns where reading goes on.
fn episode_apart(t: &[Tok<'_>], j: usize, eps: &mut Vec<u32>) -> usize {
    let Some(next) = t.get(j) else { return j };
    let l = next.lower.as_str();
    if l.starts_with('e')
        && l.len() > 1
        && l[1..]
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == b'p')
    {
        if episode_tail(l, eps).is_some() {
            return j + 1;
        }
        eps.clear();
    } else if matches!(l, "e" | "ep" | "episode" | "episodio" | "folge")
        && let Some(n) = t.get(j + 1).and_then(Tok::num)
    {
        eps.push(n);
        return j + 2;
    }
    j
}

/// A season mark at `i` with no episode after it at `j`: a range of seasons (`S01-S07`,
/// `S01 / S02 / S03`, `s01-04`), a season and a bare episode (`S2-07`), or one season.
fn season_without_episode(t: &[Tok<'_>], i: usize, j: usize, season: u32) -> (usize, Mark) {
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
            Sep::Other('/' | ',' | '+' | '&') | Sep::Space | Sep::Dot => seasons.push(s2),
            _ => break,
        }
        k += 1;
    }
    // `Seasons S01 to S28`
    if k == j
        && let Some(word) = t.get(j)
        && matches!(word.lower.as_str(), "to" | "thru" | "through" | "à" | "al")
        && let Some((s2, e2)) = t.get(j + 1).and_then(|x| se_token(&x.lower))
        && e2.is_empty()
        && s2 > season
        && s2 - season < 60
    {
        seasons.extend(season + 1..=s2);
        return (j + 2, Mark::Season(seasons));
    }
    if k > j {
        return (k, Mark::Season(seasons));
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
        return (j + 1, Mark::Season(seasons));
    }
    if let Some((e, end)) = episode_after_season(t, j) {
        let how = EpisodeMark::SxxEyy;
        return (
            end,
            Mark::Episode {
                seasons,
                episodes: e,
                how,
            },
        );
    }
    (j, Mark::Season(seasons))
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
        // `2001x03` is a season of 2001, and so is `2016x231` (a daily show's seasons
        // by year); `1920x1080`, `1920x800` and `2048x858` are resolutions.
        let year_season = n == 4 && (1990..=MAX_YEAR).contains(&s) && !matches!(s, 1920 | 2048);
        if k > 3 || (n > 2 && k > 2 && !year_season) {
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
    // `1 x 2`; not `DD5 1 X 264`, a codec written apart after the audio's channels.
    if let (Some(s), Some(x), Some(e)) = (tok.num(), t.get(i + 1), t.get(i + 2))
        && x.lower == "x"
        && tok.text.len() <= 2
        && !matches!(e.text, "264" | "265")
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
