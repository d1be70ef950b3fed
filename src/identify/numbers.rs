//! What a number means when no mark says: an anime episode (`[Grp] Show - 12`), a packed
//! season and episode (`the.event.401`), a season folder's episode (`01 - Pilot`), a
//! season-episode pair (`office_03_19`), an absolute number beside an SxxEyy mark, or a
//! title's own word (`Apollo 13`). Pure; `name` calls it with the title's bounds.

use super::marks::{EpisodeMark, year_like};
use super::name::{NameContext, NameFacts, Read, Role, broadcast_from};
use super::tags;
use super::title::{text, text_of};
use super::token::{Sep, Tok};
use super::words;

/// A version suffix: `v2`, or the `v3` of `19v3` → (number, version).
pub(super) fn versioned(lower: &str) -> Option<(Option<u32>, u32)> {
    if let Some(v) = lower.strip_prefix('v')
        && !v.is_empty()
        && v.len() <= 2
        && v.bytes().all(|c| c.is_ascii_digit())
    {
        return Some((None, v.parse().ok()?));
    }
    let (n, v) = lower.split_once('v')?;
    if n.is_empty() || n.len() > 4 || !n.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if v.is_empty() || v.len() > 2 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((Some(n.parse().ok()?), v.parse().ok()?))
}

/// A token's number of at most four digits, or the number of a version (`01v2`).
fn episode_number(tok: &Tok<'_>) -> Option<u32> {
    tok.num()
        .filter(|_| tok.text.len() <= 4)
        .or_else(|| versioned(&tok.lower).and_then(|(n, _)| n))
}

/// A number at `k` (at most four digits, or `19v3`, or `107a`), with a version when one
/// follows (`07v2`, `07 v2`).
fn number_at(t: &[Tok<'_>], k: usize) -> Option<(u32, Option<u32>)> {
    if let Some(n) = t[k].num().filter(|_| t[k].text.len() <= 4) {
        let v = t
            .get(k + 1)
            .and_then(|x| versioned(&x.lower))
            .and_then(|(a, v)| a.is_none().then_some(v));
        return Some((n, v));
    }
    match versioned(&t[k].lower) {
        Some((Some(n), v)) => Some((n, Some(v))),
        // `107a`: the first half of episode 107.
        _ => {
            let l = &t[k].lower;
            let cut = l.char_indices().last().map_or(0, |(i, _)| i);
            let (d, part) = l.split_at(cut);
            (matches!(part, "a" | "b" | "c" | "d")
                && (2..=4).contains(&d.len())
                && d.bytes().all(|c| c.is_ascii_digit()))
            .then(|| d.parse().ok().map(|n| (n, None)))
            .flatten()
        }
    }
}

/// `[VCB-Studio] Steins;Gate [01][Ma10p_1080p]`: a fansub's episode in a bracket of its own
/// right after the title (at `end`), no year.
pub(super) fn bracketed_episode(
    r: &Read<'_>,
    end: usize,
    folder_season: Option<u32>,
    f: &mut NameFacts,
) {
    let t = &r.t;
    // (`[Grp] Show - 02 [720]`: a resolution's height is no episode.)
    let Some(tok) = t.get(end).filter(|x| !tags::height(x.text)) else {
        return;
    };
    let alone = t.get(end + 1).is_none_or(|x| x.group != tok.group);
    // `Season 4/The Show [401] Fun Run.avi`: a number in a bracket of its own that packs
    // the season folder's season, as `Show 401` in the same folder does.
    if let Some(s) = folder_season
        && !f.release_group_first
        && tok.group != 0
        && alone
        && let Some(e) = tok
            .num()
            .and_then(|n| packed_in_season(n, tok.text.len(), s))
    {
        f.seasons = vec![s];
        f.episodes = vec![e];
        f.mark = Some(EpisodeMark::Packed);
        return;
    }
    // (`Show Something [.01.] 720p`: without a group, only a zero-padded number, which no
    // film's bracket holds.)
    let padded = tok.zero_padded();
    let opens =
        tok.sep == Sep::Open || (tok.group != 0 && end > 0 && t[end - 1].group != tok.group);
    if (f.release_group_first || padded)
        && opens
        && tok.digits
        && tok.text.len() <= 4
        && alone
        && year_like(tok.text).is_none()
        && let Some(n) = tok.num()
    {
        f.episodes = vec![n];
        f.absolute = vec![n];
        f.mark = Some(EpisodeMark::Absolute);
    }
}

/// `Bell Girl (DVD) - 01v2 [grp]`, `[Grp] Show [Anime] - 01 [720p]`: a bracket ends the
/// title, then the episode after a dash, the anime way (two digits at least, or in a
/// fansub's release), with only tags, brackets or its own title's dash after it.
pub(super) fn dashed_after_bracket(r: &Read<'_>, end: usize, f: &mut NameFacts) {
    let t = &r.t;
    let Some(g) = t
        .get(end)
        .filter(|x| x.group != 0 && x.sep == Sep::Open)
        .map(|x| x.group)
    else {
        return;
    };
    let j = (end..t.len()).find(|&k| t[k].group != g).unwrap_or(t.len());
    let Some(tok) = t.get(j).filter(|x| x.group == 0 && x.sep == Sep::Dash) else {
        return;
    };
    let number = episode_number(tok).filter(|_| year_like(tok.text).is_none());
    let sure = tok.text.len() >= 2 || f.release_group_first || crc_anywhere(t);
    let after = t
        .get(j + 1)
        .is_none_or(|x| x.group != 0 || r.roles[j + 1] == Role::Tag || x.sep == Sep::Dash);
    if let Some(n) = number.filter(|_| sure && after) {
        f.episodes = vec![n];
        f.absolute = vec![n];
        f.mark = Some(EpisodeMark::Absolute);
        f.dashed = true;
    }
}

/// `Show Name HD720 09`: a zero-padded number closing the name after nothing but the
/// release's tags (and no year): the episode's, the way some anime releases write it.
pub(super) fn number_after_tags(r: &Read<'_>, end: usize, f: &mut NameFacts) {
    let t = &r.t;
    let Some(last) = t.len().checked_sub(1) else {
        return;
    };
    let tok = &t[last];
    if last <= end
        || !tok.zero_padded()
        || tok.text.len() > 3
        || tok.group != 0
        || !matches!(tok.sep, Sep::Space | Sep::Dot | Sep::Underscore)
        || !(end..last).all(|k| r.roles[k] == Role::Tag)
    {
        return;
    }
    if let Some(n) = tok.num().filter(|n| *n > 0) {
        f.episodes = vec![n];
        f.absolute = vec![n];
        // (Not `padded`: a number after the tags is an unusual place, asked about.)
        f.mark = Some(EpisodeMark::Absolute);
    }
}

/// `END`, `Fin`: a fansub's mark on a series' last episode, after its number (lower case).
pub(super) fn final_word(lower: &str) -> bool {
    matches!(lower, "end" | "fin" | "final")
}

fn final_tok(t: &Tok<'_>) -> bool {
    t.group == 0 && final_word(&t.lower)
}

/// A bracketed CRC (`[293A8395]`) anywhere in the name: a fansub release.
pub(super) fn crc_anywhere(t: &[Tok<'_>]) -> bool {
    t.iter().any(|x| x.group != 0 && tags::crc(x.text))
}

/// A number of at most four digits set between dashes (`Show - 072 - Title`), or before a
/// list (`Show - 103, 104`).
pub(super) fn between_dashes(t: &[Tok<'_>], k: usize) -> bool {
    // (`Show - 01 DVD - Fansub`: the source the episode was ripped from, before the dash;
    // two digits at least, as `Film - 2 DVD - Extras` counts its discs.)
    let tagged_dash = |x: &Tok<'_>| {
        t[k].text.len() >= 2
            && x.sep == Sep::Space
            && x.group == 0
            && tags::classify(&x.lower) != tags::Tag::No
            && t.get(k + 2).is_some_and(|y| y.sep == Sep::Dash)
    };
    t[k].sep == Sep::Dash
        && t.get(k + 1).is_some_and(|x| {
            x.sep == Sep::Dash || (x.sep == Sep::Other(',') && x.digits) || tagged_dash(x)
        })
        && t[k].text.len() <= 4
        && number_at(t, k).is_some()
}

/// Which number a title ends with: one between dashes (`Show - 072 - Title`), after a
/// release group's last dash (`[Erai-raws] 22-7 - 11`), opening the name (`02 The
/// Invitation`, `321 - Title`), or the last that ends the title or is followed by ` - `
/// (`Show 201 - Title`). Returns its place, value and version, and whether it opens.
fn pick(
    r: &Read<'_>,
    f: &NameFacts,
    start: usize,
    e: usize,
    ctx: NameContext,
) -> Option<(usize, (u32, Option<u32>), bool)> {
    let in_season = ctx.folder_season.is_some();
    let t = &r.t;
    let num_at = |k: usize| number_at(t, k);
    // A number between dashes (`Show - 072 - Title`), a number opening the name
    // (`02 The Invitation`, `321 - Title`), or the last number that ends the title or is
    // followed by ` - ` (`Show 201 - Title`).
    let between_dashes = (start + 1..e).find(|&k| between_dashes(t, k));
    // `[Erai-raws] 22-7 - 11`: a release group's episode after the last dash.
    // So is `86 - 01`, `24 - 01`: a show named by a number alone, then its episode (a
    // zero-padded first number is an episode's, `01 - 02`).
    let number_titled = number_titled(t, start, e, ctx.folder_season);
    let last_dashed = (start + 1..e)
        .rev()
        .find(|&k| t[k].sep == Sep::Dash && k + 1 == e && num_at(k).is_some())
        .filter(|_| f.release_group_first || number_titled);
    // In a season's folder a number opening the name, words after it, is its episode
    // (`Season 2/16 Some Title`, `2. Infestation`, `7 12 Angry Men`; not `11.22.63.106`).
    let worded = t.get(start + 1).is_some_and(|x| {
        x.is_alpha()
            || (x.digits && x.sep == Sep::Space && t.get(start + 2).is_some_and(Tok::is_alpha))
    });
    // (`3-Nen D-Gumi` is a title: a glued hyphen opens a range only before a number.)
    let opening = (t[start].digits
        && t[start].text.len() <= 3
        && (t[start].text.starts_with('0')
            || (in_season && worded)
            || t.get(start + 1)
                .is_some_and(|x| x.sep == Sep::Dash || (x.sep == Sep::Hyphen && x.digits))))
    .then_some(start);
    let picked = between_dashes
        .or(last_dashed)
        .or(opening)
        .and_then(|k| num_at(k).map(|x| (k, x)));
    let found = picked.or_else(|| {
        (start..e).rev().find_map(|k| {
            let ends = k + 1 == e
                || t[k + 1].sep == Sep::Dash
                || (k + 2 == e && versioned(&t[k + 1].lower).is_some_and(|(a, _)| a.is_none()))
                // `Show - 12 END`: the series' last episode.
                || (k + 2 == e && t[k].sep == Sep::Dash && final_tok(&t[k + 1]))
                // `Ozk.02.10.F`: a one-letter tail.
                || (k + 2 == e && t[k + 1].text.len() == 1 && t[k + 1].is_alpha());
            if ends {
                num_at(k).map(|x| (k, x))
            } else {
                None
            }
        })
    });
    // `Show #01 Title`: a number after `#` is the episode's, words after it or not.
    let found = found.or_else(|| {
        (start + 1..e)
            .find(|&k| t[k].sep == Sep::Other('#'))
            .and_then(|k| num_at(k).map(|x| (k, x)))
    });
    // `[a-s]_inuyasha_-_028_rs2_[CRC]`, `[Grp] Show - 05 Episode Title [CRC]`: in a fansub
    // release, the number after the title's dash is the episode even when words follow it.
    let fansub = f.release_group_first || crc_anywhere(t);
    let found = found.or_else(|| {
        (start + 1..e)
            .filter(|_| fansub)
            .find(|&k| t[k].sep == Sep::Dash && (2..=4).contains(&t[k].text.len()))
            .and_then(|k| num_at(k).map(|x| (k, x)))
    });
    // `Cosmos 01 Standing Up in the Milky Way`: a zero-padded number after the title's
    // words, words after it: no sequel is zero-padded, so it is the episode, its title after.
    let found = found.or_else(|| {
        // (`Show - 02 Ep Name` too, after the title's dash, where films are not expected:
        // `Saga - 01 The Beginning` is a film's.)
        (start + 1..e)
            .find(|&k| {
                (matches!(t[k].sep, Sep::Space | Sep::Dot | Sep::Underscore)
                    || (t[k].sep == Sep::Dash && !ctx.films))
                    && t[k].zero_padded()
                    && t[k].text.len() <= 4
                    && t[k - 1].is_alpha()
                    && r.roles.get(k + 1) == Some(&Role::Word)
                    && t[k + 1].is_alpha()
            })
            .and_then(|k| num_at(k).map(|x| (k, x)))
    });
    // `[Grp] Show vol.03`, `Show vol.1&2`: a disc's volume, not an episode (a film's,
    // `Kill Bill Vol. 1`, keeps it in its title); nor is a number after `No.`, a title's
    // (`Blue Submarine No.6`).
    let titled = |k: usize| {
        let vol = |j: usize| words::volume(&t[j].lower);
        // (In a season's folder, `Show No. 1` numbers its episodes.)
        let numero = |j: usize| {
            !in_season && t[j].lower == "no" && r.name.as_bytes().get(t[j].end) == Some(&b'.')
        };
        (k > start && (vol(k - 1) || numero(k - 1)))
            || (k > start + 1
                && t[k - 1].digits
                && matches!(t[k].sep, Sep::Other('&' | '+' | ','))
                && vol(k - 2))
    };
    found
        .filter(|&(k, _)| !titled(k))
        .map(|(k, x)| (k, x, opening.is_some()))
}

/// `86 - 01`, `24 - 01`, `1883 - 01`: a show named by a number alone (two to four digits),
/// then its episode after a dash, zero-padded (`01 - 02` opens with an episode's number; in
/// `Season 1`, `102 - 03` packs the season's).
fn number_titled(t: &[Tok<'_>], start: usize, e: usize, season: Option<u32>) -> bool {
    let (Some(a), Some(b)) = (t.get(start), t.get(start + 1)) else {
        return false;
    };
    e == start + 2
        && a.digits
        && (2..=4).contains(&a.text.len())
        && !a.zero_padded()
        && b.sep == Sep::Dash
        && b.digits
        && b.zero_padded()
        && !season.is_some_and(|s| {
            a.num()
                .is_some_and(|n| packed_in_season(n, a.text.len(), s).is_some())
        })
}

/// The number opens the name: `01 - Pilot` in a season folder, `102 - The Invitation`,
/// `611-612 - Title`. `false` when it does not name an episode after all.
fn opening_number(
    r: &Read<'_>,
    name: &str,
    start: usize,
    n: u32,
    opening: bool,
    ctx: NameContext,
    f: &mut NameFacts,
) -> bool {
    let t = &r.t;
    let opens = opening || t.len() == 1;
    if f.year.is_some() || (ctx.folder_season.is_none() && !opens) {
        return false;
    }
    // `102.mkv`: a lone number of three digits packs a season and an episode, as it does
    // after a show's name (`Show.Name.102`).
    if t.len() == 1
        && ctx.folder_season.is_none()
        && t[start].text.len() == 3
        && !t[start].text.starts_with('0')
        && (1..=30).contains(&(n % 100))
    {
        f.seasons = vec![n / 100];
        f.episodes = vec![n % 100];
        f.mark = Some(EpisodeMark::Packed);
        f.title = None;
        return true;
    }
    let mut eps = vec![n];
    let mut b0 = start + 1;
    if let Some(x) = t.get(start + 1)
        && x.sep == Sep::Hyphen
        && let Some(m) = x.num().filter(|m| *m > n && m - n < 50)
    {
        eps = (n..=m).collect();
        b0 += 1;
        // `03-04-05 - Title`: a list of each episode the file holds.
        while let Some(m) = t
            .get(b0)
            .filter(|x| x.sep == Sep::Hyphen && x.digits)
            .and_then(Tok::num)
            .filter(|m| eps.last().is_some_and(|l| *m == l + 1))
        {
            eps.push(m);
            b0 += 1;
        }
    }
    f.episodes = eps;
    match ctx.folder_season {
        Some(s) => {
            f.seasons = vec![s];
            f.mark = Some(EpisodeMark::BareNumber);
            // `Season 1/102 - Title`, `101-102 - Pilot`: the season's digits, then the
            // episode's, as after a show's name (`Season 1/Show 102`) or without the folder
            // (`Show/102.mkv`).
            let digits = t[start].text.len();
            if let Some(packed) = f
                .episodes
                .iter()
                .map(|&e| packed_in_season(e, digits, s))
                .collect::<Option<Vec<u32>>>()
            {
                f.episodes = packed;
                f.mark = Some(EpisodeMark::Packed);
            }
            // `Season 1/01 - Pilot`: the number set apart from its title by a dash.
            f.dashed = t.get(b0).is_some_and(|x| x.sep == Sep::Dash);
        }
        None => {
            f.absolute = f.episodes.clone();
            f.mark = Some(EpisodeMark::Absolute);
        }
    }
    let b = (b0..t.len())
        .find(|&j| matches!(r.roles[j], Role::Tag | Role::Mark(_)) || t[j].group != 0)
        .unwrap_or(t.len());
    f.episode_title = text(name, t, b0, b);
    f.title = None;
    true
}

/// A number ending the title, when no mark was found: an anime episode (`[Grp] Show - 12`,
/// `Show 62 [CRC]`), a packed season+episode (`the.event.401`), a bare episode number in a
/// season folder (`01 - Pilot`, `Show 201 - Title`), or a title word (`Apollo 13`).
pub(super) fn trailing_number(
    r: &Read<'_>,
    name: &str,
    start: usize,
    end: &mut usize,
    ctx: NameContext,
    f: &mut NameFacts,
) {
    let t = &r.t;
    // Weak tags after the number are the release's (`- 03_DVD`); so is the kind of
    // release an anime episode was (`Show - 14 OAD [BD]`).
    let mut e = r.before_weak_tags(start, *end);
    if e >= start + 2 && words::anime_special(&t[e - 1].lower) && t[e - 2].digits {
        e -= 1;
    }
    if let Some((at, s, eps)) = packed_run(r, start, e)
        && ctx.folder_season.is_none_or(|fs| fs == s)
    {
        f.seasons = vec![s];
        f.episodes = eps;
        f.mark = Some(EpisodeMark::Packed);
        *end = at;
        return;
    }
    let Some((k, (n, version), opening)) = pick(r, f, start, e, ctx) else {
        return;
    };
    // `[Grp] Show - 13.5 - Recap`: a half episode between two, a recap or a special. So
    // is `[Grp] Show 13.5 [720p]`, `Show_02.5_[CRC]` without the dash, when its number has
    // two digits (`Show_5.1_[CRC]` is the sound's channels).
    let spaced = |p: &Tok<'_>| matches!(p.sep, Sep::Space | Sep::Underscore) && p.text.len() >= 2;
    if k > start + 1
        && t[k].sep == Sep::Dot
        && t[k].text == "5"
        && t[k - 1].digits
        && t[k - 1].text.len() <= 4
        && (t[k - 1].sep == Sep::Dash || spaced(&t[k - 1]))
        && (f.release_group_first || crc_anywhere(t))
    {
        f.half = Some(format!("{}.5", t[k - 1].text));
        f.episode_title = dashed_title(r, name, k + 1);
        *end = k - 1;
        return;
    }
    // The number opens the name (`01 - Pilot`, `102 - The Invitation`).
    if k == start {
        if opening_number(r, name, start, n, opening, ctx, f) {
            *end = start;
        }
        return;
    }
    // A title of digits only is a fansub release's (`[Crew] 7-11 - 04`); a year means a
    // movie unless a release group says anime.
    // So is a title of numbers when a broadcast's packed number follows it
    // (`11.22.63.105.hdtv`).
    let numbers_title = k >= start + 2
        && (start..k).all(|j| t[j].digits)
        && (k + 1..t.len()).any(|j| r.roles[j] == Role::Tag && words::tv_source(&t[j].lower));
    let titled = f.release_group_first
        || numbers_title
        || (start..k).any(|j| t[j].is_alpha())
        || (k == start + 1 && number_titled(t, start, k + 1, ctx.folder_season));
    // (`Show - 07 (2016)`: a zero-padded number after a dash is an episode's, never a
    // sequel's.)
    let padded_episode = t[k].sep == Sep::Dash && t[k].zero_padded();
    // (`Show Name - 10 (2016) [Grp]`, `Show - 476-479 (2007)`: two digits or a range after
    // a dash with the year straight after them, a fansub's episode and its show's year; a
    // film's sequel is one digit, `Saw - 3 (2006)`, and four are its title's, `Blade Runner
    // - 2049 (2017)`.)
    let (first, _, _) = episode_run(t, start, k, e, n);
    let year_follows = r.marks.iter().any(|m| {
        matches!(m.mark, super::marks::Mark::Year(_)) && m.start == k + 1 && t[m.start].group != 0
    });
    let dashed_episode = t[first].sep == Sep::Dash
        && (t[first].text.len() >= 2 || first < k)
        && t[k].text.len() <= 3
        && year_follows;
    let movie_year =
        f.year.is_some() && !f.release_group_first && !padded_episode && !dashed_episode;
    // `[Grp] Show Movie 2 - Subtitle`: a show's second film, not its episode.
    let films_number = k > start + 1
        && matches!(t[k - 1].lower.as_str(), "movie" | "film" | "gekijouban")
        && matches!(t[k].sep, Sep::Space | Sep::Dot | Sep::Underscore)
        && t[k].text.len() <= 2;
    if !titled
        || movie_year
        || films_number
        || (k == start + 1 && words::camera_prefix(&t[start].lower))
    {
        return;
    }
    let crc_anywhere = crc_anywhere(t);
    // `office_03_19`, `Ozk.02.10.F`: two two-digit numbers, a season and an episode.
    if !crc_anywhere
        && version.is_none()
        && !f.release_group_first
        && n > 0
        && let Some(s) = season_before(t, start, k)
    {
        f.seasons = vec![s];
        f.episodes = vec![n];
        f.mark = Some(EpisodeMark::Packed);
        *end = k - 1;
        return;
    }
    let after = after_version(t, k, version);
    let at = Trailing {
        k,
        n,
        after,
        // (`Show Name 445 VOSTFR`: French subtitles straight after the number are a fansub
        // team's, and its numbers run on across seasons.)
        anime: f.release_group_first
            || crc_anywhere
            || version.is_some()
            || t.get(after).is_some_and(|x| x.lower == "vostfr"),
        dashed: matches!(t[k].sep, Sep::Dash | Sep::Hyphen),
        said: t.get(after).is_some_and(|x| {
            x.sep == Sep::Open
                && x.digits
                && x.text.len() == 2
                && t.get(after + 1).is_none_or(|y| y.group != x.group)
                && x.num() == Some(n % 100)
        }),
    };
    let tail = (at.after..t.len()).all(|j| r.roles[j] != Role::Word || t[j].group != 0);
    if let Some((s, eps)) = packed(t, &at, tail, ctx) {
        f.seasons = vec![s];
        f.mark = Some(EpisodeMark::Packed);
        f.packed_twice = at.said;
        if at.said {
            f.episode_title = dashed_title(r, name, at.after + 1);
        } else if ctx.folder_season.is_some() {
            f.episode_title = dashed_title(r, name, at.after);
        }
        *end = k;
        // `Show.103.104.HDTV`: the episode before it, packed the same way, is the file's
        // too (the two halves of a double episode).
        if let Some(a) = t[k - 1]
            .num()
            .filter(|_| k > start + 1 && t[k - 1].text.len() == t[k].text.len())
            .filter(|a| a / 100 == s && eps.first().is_some_and(|e| a % 100 + 1 == *e))
            .filter(|_| matches!(t[k].sep, Sep::Dot | Sep::Space | Sep::Underscore))
        {
            f.episodes = vec![a % 100];
            *end = k - 1;
        }
        f.episodes.extend(eps);
        return;
    }
    // `One.Piece.1089.1080p.WEB`: four digits that are no year, then only tags: a long
    // series' absolute number (asked about, not linked: it could be a title's number).
    let tok = &t[k];
    let digits = tok.text.len();
    // (`07v2` is one token: zero-padded all the same.)
    let zero = digits >= 2 && tok.text.starts_with('0');
    let long_run =
        digits == 4 && !zero && tail && year_like(tok.text).is_none() && at.after < t.len();
    // `Show Name 13`: a count past the sequels a film series reaches, after a title of two
    // words or more (`Apollo 13`, `The Number 23` are films' titles), then only tags.
    let title_words = (start..k)
        .filter(|&j| {
            t[j].is_alpha()
                && t[j].text.chars().count() > 1
                && !matches!(t[j].lower.as_str(), "the" | "an")
        })
        .count();
    let counted =
        !zero && !ctx.films && (10..1000).contains(&n) && digits <= 3 && tail && title_words >= 2;
    // `Test.13.HDTV-GRP`: a number straight before a broadcast's source is the episode that
    // was broadcast (a film off the air states its year).
    let broadcast = !zero
        && digits <= 3
        && n > 0
        && tail
        && !ctx.films
        && t.get(at.after)
            .is_some_and(|x| r.roles[at.after] == Role::Tag && words::tv_source(&x.lower));
    if !(at.anime
        || at.dashed
        || zero
        || long_run
        || counted
        || broadcast
        || ctx.episodic
        || ctx.folder_season.is_some())
    {
        return;
    }
    let (first, eps, ranged) = episode_run(t, start, k, e, n);
    f.episodes = eps.clone();
    match ctx.folder_season {
        Some(s) => {
            f.seasons = vec![s];
            f.mark = Some(EpisodeMark::BareNumber);
        }
        None => {
            f.absolute = eps;
            f.mark = Some(EpisodeMark::Absolute);
        }
    }
    f.version = version;
    f.dashed = at.dashed;
    f.fansub = at.anime;
    f.padded = zero;
    if !ranged {
        f.episode_title = dashed_title(r, name, at.after);
        // `Cosmos 01 Standing Up…`: words straight after a zero-padded number are its
        // title (they could continue the show's: a doubt).
        if f.episode_title.is_none()
            && zero
            && !at.anime
            && at.after < e
            && r.roles[at.after] == Role::Word
            && t[at.after].is_alpha()
        {
            f.episode_title = words_until_tags(r, name, at.after);
            f.worded_number = true;
        }
        // Words straight after a fansub's episode number are its title; `END` says it is
        // the last, and is no title.
        let closing = t.get(at.after).is_some_and(final_tok)
            && (at.after + 1 == e || t.get(at.after + 1).is_some_and(|x| x.group != 0));
        if f.episode_title.is_none()
            && at.anime
            && at.dashed
            && at.after < e
            && r.roles[at.after] == Role::Word
            && !closing
        {
            f.episode_title = words_until_tags(r, name, at.after);
            f.worded_number = true;
        }
    }
    *end = first;
    // `Show/OVA/Show OVA 02.mkv`: in a specials folder, the special's own word before its
    // number is no part of the show's name.
    if ctx.folder_season == Some(0)
        && first > start + 1
        && (words::anime_special(&t[first - 1].lower)
            || matches!(t[first - 1].lower.as_str(), "special" | "sp" | "specials"))
    {
        *end = first - 1;
    }
}

/// The number a trailing-number reading settled on, and what surrounds it.
struct Trailing {
    /// Its token, and its value.
    k: usize,
    n: u32,
    /// The first token after it (and after a split-off version, `03 v2`).
    after: usize,
    /// A release group first, a CRC or a version: a fansub release's numbering.
    anime: bool,
    /// Set off by a dash or a hyphen (`Show - 12`, `Show-12`).
    dashed: bool,
    /// `Show - 101 (01)`: the episode in brackets after it is its last two digits, so it
    /// packs a season before them.
    said: bool,
}

/// The token after number `k`, skipping a version written as its own token (`03 v2`).
fn after_version(t: &[Tok<'_>], k: usize, version: Option<u32>) -> usize {
    let split = version.is_some()
        && t.get(k + 1)
            .is_some_and(|x| versioned(&x.lower).is_some_and(|(a, _)| a.is_none()));
    if split { k + 2 } else { k + 1 }
}

/// An episode title after ` - ` that follows the number, up to the first tag or bracket.
fn dashed_title(r: &Read<'_>, name: &str, after: usize) -> Option<String> {
    if !r
        .t
        .get(after)
        .is_some_and(|x| x.sep == Sep::Dash && x.group == 0)
    {
        return None;
    }
    words_until_tags(r, name, after)
}

/// The text from token `from` up to the first tag, mark or bracket group.
fn words_until_tags(r: &Read<'_>, name: &str, from: usize) -> Option<String> {
    let t = &r.t;
    let b = (from..t.len())
        .find(|&j| matches!(r.roles[j], Role::Tag | Role::Mark(_)) || t[j].group != 0)
        .unwrap_or(t.len());
    text(name, t, from, b)
}

/// `office_03_19`, `Ozk.02.10.F`: the season a two-digit number `k` follows, when both
/// are two digits at most and joined by a dot, an underscore or a short hyphen.
fn season_before(t: &[Tok<'_>], start: usize, k: usize) -> Option<u32> {
    let (prev, tok) = (&t[k - 1], &t[k]);
    // (`Show 1-13 [720p]`, `Show 01-13`: from the first episode, a batch's range.)
    let joined = matches!(tok.sep, Sep::Dot | Sep::Underscore)
        || (tok.sep == Sep::Hyphen
            && tok.text.len() == 2
            && prev.num().is_some_and(|p| p > 1 || tok.num() == Some(2)));
    (k > start + 1
        && tok.text.len() == 2
        && prev.digits
        && prev.text.len() <= 2
        && joined
        && prev.sep != Sep::Dash)
        .then(|| prev.num())
        .flatten()
        .filter(|s| (1..=40).contains(s))
}

/// `extant.10708.hdtv`: a broadcast's double episode packed into one number (the season's
/// digit, then two episodes that follow each other); `the.show.1017-19.hdtv`: a packed
/// number, then the last episode of its run after a hyphen (`101-102` too). Only the last
/// number before the tags (at `e`), only before a broadcast's source. Returns where the
/// title ends, the season and the episodes.
fn packed_run(r: &Read<'_>, start: usize, e: usize) -> Option<(usize, u32, Vec<u32>)> {
    let t = &r.t;
    if !broadcast_from(t, e) || e < start + 2 || !t[e - 1].digits {
        return None;
    }
    let last = &t[e - 1];
    let d = last.text;
    // (Six digits are a broadcast's date as often, `140722`: not read so.)
    if d.len() == 5 {
        let (s, a, b) = (
            d[..1].parse::<u32>().ok()?,
            d[1..3].parse::<u32>().ok()?,
            d[3..].parse::<u32>().ok()?,
        );
        return (s > 0 && a > 0 && b == a + 1).then(|| (e - 1, s, vec![a, b]));
    }
    let first = &t[e - 2];
    // (`101-102`: the run's last packed the same way, its season's digits the same.)
    let whole = d.len() == first.text.len() && year_like(d).is_none();
    if e < start + 3
        || last.sep != Sep::Hyphen
        || !(d.len() == 2 || whole)
        || !first.digits
        || !matches!(first.text.len(), 3 | 4)
        || year_like(first.text).is_some()
    {
        return None;
    }
    let n = first.num()?;
    let (s, a) = (n / 100, n % 100);
    let m = last.num()?;
    let b = if whole {
        if m / 100 != s {
            return None;
        }
        m % 100
    } else {
        m
    };
    (s > 0 && a > 0 && b > a && b - a < 10).then(|| (e - 2, s, (a..=b).collect()))
}

/// The episode a number of three or four digits packs after season `s` (`401` in `Season
/// 4`: 1), when its leading digits are that season's.
fn packed_in_season(n: u32, digits: usize, s: u32) -> Option<u32> {
    (matches!(digits, 3 | 4) && n / 100 == s && !n.is_multiple_of(100)).then_some(n % 100)
}

/// A season and an episode packed into one number: `Show 201 - Title` in `Season 2`
/// (the folder's season, then the episode), or `the.event.401`, `new.girl.117.hdtv`,
/// `Test.0706` with nothing but tags after it.
fn packed(t: &[Tok<'_>], at: &Trailing, tail: bool, ctx: NameContext) -> Option<(u32, Vec<u32>)> {
    let tok = &t[at.k];
    let (n, digits) = (at.n, tok.text.len());
    if let Some(s) = ctx.folder_season {
        return packed_in_season(n, digits, s).map(|e| (s, vec![e]));
    }
    if at.said && matches!(digits, 3 | 4) && n / 100 > 0 && n % 100 > 0 {
        return Some((n / 100, vec![n % 100]));
    }
    let zero = tok.text.starts_with('0');
    // (`Sitcom 0807 The Checks`: four digits opening with a zero pack a season and an
    // episode even with the episode's title after them.)
    let release = !at.anime && !at.dashed && (tail || (digits == 4 && zero));
    // (`the.family.2401.hdtv-grp`: a broadcast's release packs season 24, episode 1; a
    // long anime's absolute number comes from a web or fansub release.)
    let broadcast = broadcast_from(t, at.after);
    let packable = match digits {
        3 => !zero,
        4 => {
            // (`Show.Name.1089` in a shows library: no season has 89 episodes; a long
            // series' absolute number.)
            zero || (n / 100 < 20 && ctx.episodic && (1..=30).contains(&(n % 100)))
                || (broadcast && n / 100 <= 40 && (1..=30).contains(&(n % 100)))
        }
        _ => false,
    };
    (packable && release && n / 100 > 0 && n % 100 > 0).then(|| (n / 100, vec![n % 100]))
}

/// The episodes a trailing number `n` at `k` names: `45-46` (a range ending at it),
/// ` - 01 ~ 12` or ` - 01 - 12` (a range to the end), `103, 104` (a list), or itself.
/// Returns the first token of the run, the episodes, and whether it ran to the end.
fn episode_run(t: &[Tok<'_>], start: usize, k: usize, e: usize, n: u32) -> (usize, Vec<u32>, bool) {
    let (mut first, mut eps, ranged) = last_run(t, start, k, e, n);
    // `Show.Name.493-498.&.500-507`, `Show - 01 & 02`: runs joined by an ampersand are the
    // file's too, not its title's (two digits at least: `Show 2 & 3` may be a title's).
    while first >= start + 2
        && t[first].sep == Sep::Other('&')
        && t[first - 1].text.len() >= 2
        && let Some(m) = t[first - 1]
            .num()
            .filter(|m| eps.first().is_some_and(|f| m < f && f - m < 400))
    {
        let (at, run, _) = last_run(t, start, first - 1, e, m);
        first = at;
        eps.splice(0..0, run);
    }
    (first, eps, ranged)
}

/// The run of episode numbers that ends (or starts) at `k`: where it starts, its numbers,
/// and whether it runs on past `k`.
fn last_run(t: &[Tok<'_>], start: usize, k: usize, e: usize, n: u32) -> (usize, Vec<u32>, bool) {
    // (`[Grp] Show 01 - 119 [Batch]`: from a zero-padded first episode, across a dash.)
    let from_first = t[k].sep == Sep::Dash
        && t[k - 1].zero_padded()
        && t[k - 1].sep != Sep::Dash
        && t[k - 1].num().is_some_and(|a| a <= 1);
    // (`01v2-04`: the first of the run may be a second version.)
    let before = episode_number(&t[k - 1]);
    if k >= start + 2
        && (matches!(t[k].sep, Sep::Hyphen | Sep::Other('~')) || from_first)
        // (`Full 1-291`: from the first episode, a whole series' run.)
        && let Some(a) = before.filter(|a| *a < n && (n - a < 50 || *a <= 1))
    {
        return (k - 1, (a..=n).collect(), false);
    }
    // `Show - 01+02`: the two episodes one file holds.
    if k >= start + 2
        && t[k].sep == Sep::Other('+')
        && let Some(a) = before.filter(|a| a + 1 == n)
    {
        return (k - 1, vec![a, n], false);
    }
    if let Some(m) = t
        .get(k + 1)
        .filter(|x| matches!(x.sep, Sep::Dash | Sep::Other('~')) && k + 2 >= e)
        .and_then(Tok::num)
        && m > n
        && m - n < 400
    {
        return (k, (n..=m).collect(), true);
    }
    if let Some(m) = t
        .get(k + 1)
        .filter(|x| x.sep == Sep::Other(','))
        .and_then(Tok::num)
        && m > n
    {
        return (k, vec![n, m], false);
    }
    (k, vec![n], false)
}

/// `[Group] Show (2019) - 03 [1080p]`: an episode number after the year. Returns where
/// what it read ends (`year_end` when it read nothing).
pub(super) fn number_after_year(
    r: &Read<'_>,
    name: &str,
    year_end: usize,
    f: &mut NameFacts,
) -> usize {
    let t = &r.t;
    let Some(tok) = t.get(year_end) else {
        return year_end;
    };
    // `Iron-Fist-2017-01_13-F`: a season and an episode after the year.
    if let Some(next) = t.get(year_end + 1)
        && tok.digits
        && tok.text.len() == 2
        && next.digits
        && next.text.len() == 2
        && next.sep == Sep::Underscore
        && tok.group == 0
        && let (Some(s), Some(e)) = (tok.num(), next.num())
        && s > 0
        && e > 0
    {
        f.seasons = vec![s];
        f.episodes = vec![e];
        f.mark = Some(EpisodeMark::Packed);
        return year_end + 2;
    }
    // `Castle.2009.416.HDTV-LOL`, `Show.2015.0308-GRP`: a show whose name carries its year,
    // its season and episode packed after it as after any show's name, with only tags, a
    // release group or nothing after them (a film's number after its year is a resolution,
    // `Movie.2010.1080.BluRay`, or words follow it).
    let tail = |k: usize| {
        t.get(k).is_none_or(|x| {
            r.roles[k] == Role::Tag
                || x.group != 0
                || (k + 1 == t.len() && x.sep == Sep::Hyphen && !x.digits)
        })
    };
    if tok.digits
        && tok.group == 0
        && matches!(tok.sep, Sep::Dot | Sep::Space | Sep::Underscore)
        && matches!(tok.text.len(), 3 | 4)
        && !tags::height(tok.text)
        && year_like(tok.text).is_none()
        && tail(year_end + 1)
        && let Some(n) = tok.num()
        && n / 100 > 0
        && (1..=30).contains(&(n % 100))
    {
        f.seasons = vec![n / 100];
        f.episodes = vec![n % 100];
        f.mark = Some(EpisodeMark::Packed);
        return year_end + 1;
    }
    // A fansub's (`[Group] Show (2019) - 03 [1080p]`), or one set between dashes the way
    // media servers name anime (`Show (1999) - 1122 - Title`).
    // (Two digits at least: `Movie (2010) - 2 - Extended` may be a film's second part.)
    let between = tok.text.len() >= 2 && t.get(year_end + 1).is_some_and(|x| x.sep == Sep::Dash);
    // `Show (2014) - 39 (137) [720p]`, `Show 2018 06 720p x265`: two digits or more after
    // the year's dash with only brackets or tags after them, or zero-padded before a tag: a
    // film's number after its year is neither.
    let tagged_after = |k: usize| {
        tok.text.len() >= 2
            && t.get(k)
                .is_some_and(|x| x.group != 0 || r.roles[k] == Role::Tag)
    };
    // (`(2009)_02v2_[H.264]`: a fansub's second version of it.)
    let padded_number = if tok.zero_padded() && tok.text.len() <= 3 {
        tok.num()
    } else {
        versioned(&tok.lower)
            .and_then(|(n, _)| n)
            .filter(|_| tok.text.starts_with('0'))
    };
    let padded = matches!(
        tok.sep,
        Sep::Space | Sep::Dot | Sep::Underscore | Sep::Close
    ) && t
        .get(year_end + 1)
        .is_some_and(|x| r.roles[year_end + 1] == Role::Tag || x.group != 0);
    if let Some(n) = padded_number.filter(|n| *n > 0 && padded && tok.group == 0) {
        f.episodes = vec![n];
        f.absolute = vec![n];
        f.mark = Some(EpisodeMark::Absolute);
        return year_end + 1;
    }
    // `Show (2006) - 05.mkv`: or two digits or more ending the name, the way a media
    // server's library names a show's episode by its number alone.
    let ends_name = tok.text.len() >= 2 && year_end + 1 == t.len();
    if tok.sep != Sep::Dash
        || tok.group != 0
        || !(f.release_group_first
            || crc_anywhere(t)
            || between
            || ends_name
            || tagged_after(year_end + 1))
    {
        return year_end;
    }
    // (`- 26 END`: the last episode says so.)
    let after = year_end + 1 + usize::from(t.get(year_end + 1).is_some_and(final_tok));
    // (`(2008) - 01v2 - Title`: a fansub's second version of the episode.)
    if let Some(n) = episode_number(tok)
        && (between
            || t.get(after)
                .is_none_or(|x| x.group != 0 || r.roles[after] == Role::Tag))
    {
        f.episodes = vec![n];
        f.absolute = vec![n];
        f.mark = Some(EpisodeMark::Absolute);
        f.dashed = true;
        if between {
            f.episode_title = dashed_title(r, name, year_end + 1);
            return t.len();
        }
        return after;
    }
    year_end
}

/// `Show - S01E01 - 001 - Title` (the way anime libraries name files), `[Grp] Show S10E14
/// 214`, `Show.S01E01.001.HDTV`: the show's absolute number after an explicit mark. Set
/// between dashes, or zero-padded or in a fansub's release with only tags or brackets after
/// it (`5x09 - 100 [720p]` is an episode titled `100`); never a year (`S01E01 - 1923`).
/// Returns where the episode's title may begin.
pub(super) fn absolute_after_mark(r: &Read<'_>, a: usize, f: &mut NameFacts) -> usize {
    let t = &r.t;
    if !matches!(f.mark, Some(EpisodeMark::SxxEyy | EpisodeMark::NxM)) || !f.absolute.is_empty() {
        return a;
    }
    let Some(tok) = t.get(a).filter(|x| {
        x.digits
            && x.group == 0
            && (2..=4).contains(&x.text.len())
            && year_like(x.text).is_none()
            && matches!(x.sep, Sep::Dash | Sep::Dot | Sep::Space | Sep::Underscore)
    }) else {
        return a;
    };
    let Some((abs, b)) = abs_run(t, a).filter(|(abs, _)| abs[0] > 0) else {
        return a;
    };
    let dashed = tok.sep == Sep::Dash && t.get(b).is_some_and(|x| x.sep == Sep::Dash);
    let tail = t
        .get(b)
        .is_none_or(|x| x.group != 0 || r.roles[b] == Role::Tag);
    if dashed || (tail && (tok.text.starts_with('0') || f.release_group_first)) {
        f.absolute = abs;
        return b;
    }
    a
}

/// The absolute number at `a` (four digits at most), or its run `165-166`: the numbers
/// and where they end.
fn abs_run(t: &[Tok<'_>], a: usize) -> Option<(Vec<u32>, usize)> {
    let x = t.get(a)?.num().filter(|_| t[a].text.len() <= 4)?;
    match t.get(a + 1) {
        Some(y) if y.sep == Sep::Hyphen && y.digits => {
            let y = y.num().filter(|y| *y > x && y - x < 50)?;
            Some(((x..=y).collect(), a + 2))
        }
        _ => Some((vec![x], a + 1)),
    }
}

/// Absolute numbers beside an SxxEyy mark: `Bleach - 012 - s02e03`, `165.Naruto.s08e014`,
/// `165-166.Show.S08E14E15`. They leave the title.
pub(super) fn absolute_beside_mark(r: &Read<'_>, start: usize, end: usize, f: &mut NameFacts) {
    let t = &r.t;
    if !matches!(f.mark, Some(EpisodeMark::SxxEyy | EpisodeMark::NxM))
        || end <= start
        || !f.absolute.is_empty()
    {
        return;
    }
    let range = |a: usize| abs_run(t, a);
    // Before the title: `165-166.` or `012.` then a word (a bare `30.Rock` is a title),
    // or `165.` before a title spaced otherwise (`165.Naruto Shippuuden`; not
    // `300.Rise.of.an.Empire`). The title may open with a number (`07-GHOST`).
    let spaced_apart = || {
        t[start].text.len() >= 3
            && (start + 2..end).any(|k| t[k].sep == Sep::Space)
            && (start + 2..end).all(|k| t[k].sep != Sep::Dot)
    };
    if let Some((abs, after)) = range(start)
        && (abs.len() > 1 || t[start].text.starts_with('0') || spaced_apart())
        && t.get(after).is_some_and(|w| {
            w.sep == Sep::Dot
                && (w.is_alpha()
                    || t.get(after + 1)
                        .is_some_and(|x| x.sep == Sep::Hyphen && x.is_alpha()))
        })
        && after < end
    {
        f.absolute = abs;
        f.title = text_of(r, after, end);
        return;
    }
    // After the title: ` - 012` or ` - 012-013` just before the mark, or in a fansub's
    // release three digits or more (`[Grp] Show 214 10x14`); a round hundred there is the
    // title's (`[Grp] Mob Psycho 100 S2 - 07`, `The 100`).
    let mut k = end.saturating_sub(1);
    if k > start + 1 && t[k].sep == Sep::Hyphen && t[k - 1].digits {
        k -= 1;
    }
    let fansub = f.release_group_first
        && t[k].text.len() >= 3
        && year_like(t[k].text).is_none()
        && !t[k].text.ends_with("00");
    if k > start
        && t[k].digits
        && k < end
        && (t[k].sep == Sep::Dash || fansub)
        && let Some((abs, stop)) = range(k)
        && stop == end
    {
        f.absolute = abs;
        f.title = text_of(r, start, k);
    }
}
