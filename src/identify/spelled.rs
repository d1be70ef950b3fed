//! Seasons, episodes and parts spelled in words, in the languages release names use:
//! `Season 3`, `Seasons 1-4`, `3º Temporada`, `5-й сезон`, `Episode 5`, `Ep 01 - 220`,
//! `08 seriya`, `Cap.408`, `Part Two`, `Pt.VI`, `2of12`, and the lists and ranges after
//! them (`1 to 6`, `1 + 2`, `20 21 22`, `1:11`). Pure; `marks` calls these at each token.

use super::marks::{EpisodeMark, Mark, episode_after_season, lead_num, more_episodes};
use super::tags::{number_word, ordinal};
use super::token::{Sep, Tok};

/// Words that say "season" (lower case), in the languages release names use.
pub(super) fn season_word(l: &str) -> bool {
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
            | "sesong"
            | "sezona"
            | "сезон"
            | "сезоны"
            | "сезона"
            | "évad"
            | "sezonul"
            | "sez"
            | "temp"
            | "tem"
            | "sn"
            | "livre"
    )
}

pub(super) fn number_at(t: &[Tok<'_>], j: usize) -> Option<u32> {
    let tok = t.get(j)?;
    tok.num()
        .filter(|_| tok.text.len() <= 3)
        .or_else(|| number_word(&tok.lower))
        .or_else(|| ordinal(&tok.lower))
}

/// After a first number: `1-4`, `1 to 6`, `1 + 2`, `1, 2`, `20 21 22`, `1:11`, `1 & 2`.
pub(super) fn more_numbers(
    t: &[Tok<'_>],
    mut j: usize,
    first: u32,
    out: &mut Vec<u32>,
    dash_range: bool,
) -> usize {
    out.push(first);
    while let Some(tok) = t.get(j) {
        // (`Show (Season 3) - 38`: no run goes on past its bracket's end.)
        if j > 0 && tok.group != t[j - 1].group {
            break;
        }
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
                Sep::Hyphen | Sep::Underscore | Sep::Other('+' | ',' | ':' | '&' | '~') => true,
                Sep::Dash => dash_range && !tok.text.starts_with('0'),
                // `Season 20 21 22`: a list by spaces, for seasons only; by dots too in a
                // name whose spaces are dots (`Season.1.3.4`), unless zero-padded
                // (`Season.2.05.and.06` are episodes).
                Sep::Space => dash_range,
                Sep::Dot => dash_range && !tok.text.starts_with('0'),
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
            || matches!(tok.sep, Sep::Hyphen | Sep::Dash | Sep::Other(':' | '~'));
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

/// `第` + one to four digits + one unit character, nothing more: the number and the unit.
pub(super) fn count_word(text: &str) -> Option<(u32, char)> {
    let rest = text.strip_prefix('第')?;
    let d = rest.bytes().take_while(u8::is_ascii_digit).count();
    let mut units = rest[d..].chars();
    let unit = units.next()?;
    if !(1..=4).contains(&d) || units.next().is_some() {
        return None;
    }
    Some((rest[..d].parse().ok()?, unit))
}

/// The units that count episodes: `話`, `话`, `集`, `回`.
pub(super) fn episode_unit(c: char) -> bool {
    matches!(c, '話' | '话' | '集' | '回')
}

/// `第01話`, `第1集`, `第3回` (an episode), `第2季`, `第2期` (a season): the count word of
/// Chinese and Japanese names, a token of its own after the title; with a season before it
/// (`第2季 第05集`), both.
pub(super) fn counted_cjk(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let read = |x: &Tok<'_>| count_word(x.text);
    let season_unit = |c: char| matches!(c, '季' | '期');
    let (n, unit) = read(&t[i])?;
    if episode_unit(unit) {
        return Some((
            i + 1,
            Mark::Episode {
                seasons: Vec::new(),
                episodes: vec![n],
                how: EpisodeMark::EpisodeOnly,
            },
        ));
    }
    if !season_unit(unit) || n == 0 {
        return None;
    }
    if let Some((e, u)) = t.get(i + 1).and_then(read)
        && episode_unit(u)
    {
        return Some((
            i + 2,
            Mark::Episode {
                seasons: vec![n],
                episodes: vec![e],
                how: EpisodeMark::Words,
            },
        ));
    }
    Some((i + 1, Mark::Season(vec![n])))
}

pub(super) fn season_words(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let tok = &t[i];
    let mut seasons = Vec::new();
    let end;
    // An anime release (`[Group] Show Season 2 - 08`) numbers episodes after a dash.
    // Unless the release lists a pack (`[Grp] Show Season 1 - 6 + Extras`): an episode
    // after a dash is zero-padded; a last season is not, and more follows it.
    let listed = t.get(i + 2).is_some_and(|n| {
        n.digits && !n.text.starts_with('0') && matches!(n.sep, Sep::Dash | Sep::Hyphen)
    }) && t.get(i + 3).is_some_and(|x| {
        x.sep == Sep::Other('+')
            || matches!(
                x.lower.as_str(),
                "extras" | "complete" | "batch" | "collection"
            )
    });
    let dash_range = t.first().is_none_or(|f| f.group == 0) || listed;
    // `(ТВ-1)`: the first television season, the way Russian trackers write it.
    if tok.lower == "тв"
        && tok.sep == Sep::Open
        && let Some(n) = t
            .get(i + 1)
            .filter(|x| x.sep == Sep::Hyphen && x.group == tok.group)
        && t.get(i + 2).is_none_or(|x| x.group != tok.group)
    {
        return Some((i + 2, Mark::Season(vec![n.num().filter(|n| *n > 0)?])));
    }
    // `Book 1 Episode 1`, `Book 1 Chapter 1`: a season told as a book, when an episode's
    // word follows (`The Jungle Book 2` is a title; a chapter alone is a film's, `John
    // Wick Chapter 4`).
    let book = tok.lower == "book"
        && t.get(i + 2)
            .is_some_and(|w| is_episode_word(&w.lower) || w.lower == "chapter")
        && t.get(i + 3).is_some_and(|n| n.digits);
    if season_word(&tok.lower) || book {
        // `Season 3`, `Seasons 1-4`, `Season.1.Episode.2`, `All Seasons (1-8)`; not
        // `The Final Season - 28`, whose number after a spaced dash is an episode's.
        if t.get(i + 1).is_some_and(|n| n.sep == Sep::Dash) {
            return None;
        }
        // (`Date.Series.10-11-2008`: a date joined by hyphens or slashes straight after the
        // word is the date's, no range of seasons; `Season 1 2 2019` lists seasons.)
        if t.get(i + 2)
            .is_some_and(|x| matches!(x.sep, Sep::Hyphen | Sep::Other('/')))
            && super::dates::date(t, i + 1).is_some()
        {
            return None;
        }
        // `Season.2of5`: the second of five seasons.
        if let Some(n) = t.get(i + 1).and_then(|x| counted_out_of(&x.lower)) {
            seasons.push(n);
            end = i + 2;
            // `Season.2of5.3of9`: and the third of its nine episodes.
            if let Some(e) = t.get(end).and_then(|x| counted_out_of(&x.lower)) {
                return Some((end + 1, words_mark(seasons, vec![e])));
            }
            return Some((end, Mark::Season(seasons)));
        }
        // (`The.Family.Series.110.HDTV`: no show reaches a hundred seasons; the word is the
        // title's, the number a packed episode.)
        let first = number_at(t, i + 1).filter(|n| *n < 100)?;
        end = more_numbers(t, i + 2, first, &mut seasons, dash_range);
    } else if let Some(n) = glued_number(&tok.lower, season_word) {
        // `Season2`, `Sn4`
        end = more_numbers(t, i + 1, n, &mut seasons, dash_range);
    } else if let Some(n) =
        ordinal(&tok.lower).or_else(|| tok.num().filter(|_| tok.text.len() <= 2))
    {
        // `3º Temporada`, `1st Season`, `3 сезон`, `10 th season`, `1a. Temporada`, `5-й сезон`
        // (`1ª a 8ª`: after a number that is an ordinal already, `a` is a word.)
        let suffix = tok.digits && t.get(i + 1).is_some_and(|s| ordinal_suffix(&s.lower));
        let w = if suffix { i + 2 } else { i + 1 };
        // `2.Sezon.7.Bölüm`: the episode's number before its word (but `24 Season 1 Episode
        // 24` has the word before the number, so 24 is the show).
        // `5-й сезон 09-я серия`: the episode's number may carry its own ordinal suffix.
        let e = if t.get(w + 2).is_some_and(|s| ordinal_suffix(&s.lower)) {
            w + 3
        } else {
            w + 2
        };
        // `1ª a 8ª Temporada`, `1st to 3rd Season`: a range of seasons.
        let last_suffix = t.get(w + 2).is_some_and(|s| ordinal_suffix(&s.lower));
        let word_at = w + 2 + usize::from(last_suffix);
        if let (Some(join), Some(last), Some(word)) = (t.get(w), t.get(w + 1), t.get(word_at))
            && matches!(join.lower.as_str(), "a" | "to" | "al" | "à" | "au" | "bis")
            && season_word(&word.lower)
            && let Some(m) = ordinal(&last.lower)
                .or_else(|| last.num().filter(|_| last_suffix))
                .filter(|m| *m > n && m - n < 60)
        {
            return Some((word_at + 1, Mark::Season((n..=m).collect())));
        }
        let episode_follows = t.get(e).is_some_and(|x| is_episode_word(&x.lower))
            && !t.get(e + 1).is_some_and(|n| n.digits && n.text.len() <= 3);
        // `Butler Days 2nd Season 24`: after a season counted in words, a number is
        // its episode (`24 Season 1` is the show called 24: a bare number is no ordinal).
        let counted = ordinal(&tok.lower).is_some() || suffix;
        if counted
            && t.get(w).is_some_and(|n| season_word(&n.lower))
            && let Some(ep) = t.get(w + 1).filter(|x| {
                x.digits
                    && x.text.len() <= 3
                    && matches!(x.sep, Sep::Space | Sep::Dot | Sep::Underscore)
            })
            && let Some(e) = ep.num().filter(|e| *e > 0)
            && t.get(w + 2).is_none_or(|x| !x.digits)
        {
            return Some((w + 2, words_mark(vec![n], vec![e])));
        }
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
        if is_episode_word(&next.lower) || next.lower == "e" || (book && next.lower == "chapter") {
            number_at(t, end + 1).map(|e| (e, end + 2))
        } else {
            glued_number(&next.lower, is_episode_word).map(|e| (e, end + 1))
        }
    });
    if seasons.len() == 1
        && let Some((e, after)) = episode_next
    {
        if t[end].lower == "серии" && counted(t, after, e) {
            let Mark::Episode { episodes, .. } = episodes_up_to(e) else {
                return None;
            };
            return Some((after + 2, words_mark(seasons, episodes)));
        }
        let mut eps = Vec::new();
        let end = more_numbers(t, after, e, &mut eps, false);
        return Some((end, words_mark(seasons, eps)));
    }
    // `Season.1.2`: the next season, not an episode.
    if seasons.len() == 1
        && let Some(next) = t.get(end)
        && next.digits
        && !next.text.starts_with('0')
        && next.num() == Some(seasons[0] + 1)
        && matches!(next.sep, Sep::Dot | Sep::Space)
        && t.get(end + 1)
            .is_none_or(|a| !a.digits && !is_episode_word(&a.lower))
    {
        seasons.push(seasons[0] + 1);
        return Some((end + 1, Mark::Season(seasons)));
    }
    // `Season.1.3.and.4`: a number after the season that goes on with "and" starts more
    // seasons, not an episode list (it was S01E03-04, linked at 0.88).
    if seasons.len() == 1
        && let Some(x) = t.get(end).filter(|x| {
            // (`Season.2.05.and.06`: zero-padded, they are episodes.)
            x.digits
                && x.text.len() <= 2
                && !x.text.starts_with('0')
                && matches!(x.sep, Sep::Dot | Sep::Space)
        })
        && t.get(end + 1)
            .is_some_and(|a| matches!(a.lower.as_str(), "and" | "&" | "et" | "y" | "und"))
        && let Some(n) = x.num()
    {
        let mut more = Vec::new();
        let after = more_numbers(t, end + 1, n, &mut more, dash_range);
        if more.len() > 1 {
            seasons.extend(more);
            return Some((after, Mark::Season(seasons)));
        }
    }
    if seasons.len() == 1
        && let Some((eps, mut end)) = episode_after_season(t, end)
    {
        // `2.Sezon.7.Bölüm`, `5-й сезон 09-я серия`: the episode's word after its number.
        let w = end + usize::from(t.get(end).is_some_and(|s| ordinal_suffix(&s.lower)));
        if t.get(w).is_some_and(|x| is_episode_word(&x.lower)) {
            end = w + 1;
        }
        return Some((end, words_mark(seasons, eps)));
    }
    Some((end, Mark::Season(seasons)))
}

/// What follows an ordinal number as its own token: `1st`, `1a.`, `3º`, `5-й`, `09-я`.
fn ordinal_suffix(l: &str) -> bool {
    matches!(
        l,
        "th" | "st" | "nd" | "rd" | "a" | "й" | "я" | "го" | "º" | "e" | "ª"
    )
}

fn words_mark(seasons: Vec<u32>, episodes: Vec<u32>) -> Mark {
    Mark::Episode {
        seasons,
        episodes,
        how: EpisodeMark::Words,
    }
}

/// `season2`, `episode12`: a word glued to its number.
pub(super) fn glued_number(l: &str, word: fn(&str) -> bool) -> Option<u32> {
    let d = l.bytes().rev().take_while(u8::is_ascii_digit).count();
    if d == 0 || d > 3 || d == l.len() {
        return None;
    }
    let (w, n) = l.split_at(l.len() - d);
    (word(w) && (w.len() > 2 || (w == "sn" && d <= 2)))
        .then(|| n.parse().ok())
        .flatten()
}

/// `NFL.2024.Week.12`, `Formula1.2024.Round22`, `Matchday 5`: the number of a sports
/// season's event, from token `from` on (its week, round or matchday).
pub(super) fn event_number(t: &[Tok<'_>], from: usize) -> Option<u32> {
    let event = |l: &str| {
        matches!(
            l,
            "week" | "round" | "rd" | "matchday" | "gameweek" | "jornada" | "spieltag"
        )
    };
    (from..t.len()).find_map(|i| {
        let tok = &t[i];
        if event(&tok.lower) {
            t.get(i + 1)
                .filter(|n| n.digits && n.text.len() <= 2)
                .and_then(Tok::num)
        } else {
            glued_number(&tok.lower, event).filter(|n| *n < 100)
        }
    })
}

pub(super) fn is_episode_word(l: &str) -> bool {
    matches!(
        l,
        "episode"
            | "episodes"
            | "ep"
            | "eps"
            | "episodio"
            | "episodios"
            | "episódio"
            | "episódios"
            | "episodi"
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
            | "avsnitt"
            | "afsnit"
            | "jakso"
            | "epizod"
            | "epizód"
            | "bölüm"
            | "bolum"
            | "rész"
            | "episodul"
    )
}

pub(super) fn episode_words(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
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
    // `1-8 серии из 8`: a range of episodes before the word (and their count after it).
    // (`Show - 01 - Episode Title`: after a field's dash the word opens the episode's title.)
    let before_word = |w: &Tok<'_>| {
        is_episode_word(&w.lower) && w.lower != "ep" && w.lower != "e" && w.sep != Sep::Dash
    };
    if tok.digits
        && tok.text.len() <= 3
        && let (Some(b), Some(w)) = (t.get(i + 1), t.get(i + 2))
        && b.sep == Sep::Hyphen
        && b.digits
        && before_word(w)
        && let (Some(a), Some(z)) = (tok.num(), b.num())
        && z > a
        && z - a < 400
    {
        let end = if counted(t, i + 3, z) { i + 5 } else { i + 3 };
        return Some((
            end,
            Mark::Episode {
                seasons: Vec::new(),
                episodes: (a..=z).collect(),
                how: EpisodeMark::EpisodeOnly,
            },
        ));
    }
    // `08 seriya`, `22 seria`: the number before the word.
    if tok.digits && tok.text.len() <= 3 && t.get(i + 1).is_some_and(before_word) {
        // `Show 4 Episode 9`: when the word has its own number, that is the episode and
        // one or two digits before it are the season (`Mob Psycho 100 Episode 5`: three
        // are the title's).
        if let Some(e) = t
            .get(i + 2)
            .filter(|x| x.digits && x.text.len() <= 3)
            .and_then(Tok::num)
        {
            if tok.text.len() > 2 {
                return None;
            }
            // (`Show 1 Episode 1-2`: and the episodes after it.)
            let mut episodes = Vec::new();
            let end = more_numbers(t, i + 3, e, &mut episodes, false);
            return Some((
                end,
                Mark::Episode {
                    seasons: vec![tok.num()?],
                    episodes,
                    how: EpisodeMark::EpisodeOnly,
                },
            ));
        }
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
        // `Cap.1004` spells season 10 episode 4: four digits after a chapter word; after
        // another episode word they are a long series' number (`Episode 1000`), unless they
        // are a year.
        let chapter = matches!(l, "cap" | "capitulo" | "capítulo");
        let long = t
            .get(i + 1)
            .filter(|x| x.text.len() == 4 && (chapter || super::marks::year_like(x.text).is_none()))
            .and_then(Tok::num);
        // (`Episode 366v2`: a number with its release's version.)
        let versioned = || {
            t.get(i + 1)
                .and_then(|x| super::numbers::versioned(&x.lower))
                .and_then(|(n, _)| n)
        };
        (
            long.or_else(|| number_at(t, i + 1)).or_else(versioned)?,
            i + 2,
        )
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
    // `Серии: 5 из 20`: five episodes of twenty are in the release (episodes 1 to 5).
    if l == "серии" && counted(t, next, first) {
        return Some((i + 4, episodes_up_to(first)));
    }
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
    // `[Cap.102_104]`: a Spanish release's first and last chapters, the ones between too.
    if matches!(l, "cap" | "capitulo" | "capítulo")
        && let Some(b) = t
            .get(next)
            .filter(|x| x.sep == Sep::Underscore && x.digits && x.text.len() <= 4)
            .and_then(Tok::num)
        && b > first
        && b - first < 50
    {
        return Some((
            next + 1,
            Mark::Episode {
                seasons: Vec::new(),
                episodes: (first..=b).collect(),
                how: EpisodeMark::EpisodeOnly,
            },
        ));
    }
    Some((
        end,
        Mark::Episode {
            seasons: Vec::new(),
            episodes: eps,
            how: EpisodeMark::EpisodeOnly,
        },
    ))
}

/// `из M` at `k`, after a count `n` of at most `M`.
fn counted(t: &[Tok<'_>], k: usize, n: u32) -> bool {
    t.get(k).is_some_and(|x| x.lower == "из")
        && t.get(k + 1)
            .and_then(Tok::num)
            .is_some_and(|m| m >= n && m < 2000)
}

/// Episodes 1 to `n` (a release that holds the first `n`).
fn episodes_up_to(n: u32) -> Mark {
    Mark::Episode {
        seasons: Vec::new(),
        episodes: (1..=n).collect(),
        how: EpisodeMark::EpisodeOnly,
    }
}

pub(super) fn part(t: &[Tok<'_>], i: usize) -> Option<(usize, Mark)> {
    let tok = &t[i];
    let l = tok.lower.as_str();
    // `1of5`
    if let Some(n) = counted_out_of(l) {
        return Some((
            i + 1,
            Mark::Part {
                parts: vec![n],
                of_total: true,
                film_disc: false,
                disc: false,
            },
        ));
    }
    // `[26 из 26]`: a tracker's count of the episodes in the release.
    if let Some(n) = tok.num().filter(|n| *n > 0)
        && tok.sep == Sep::Open
        && counted(t, i + 1, n)
        && t.get(i + 3).is_none_or(|x| x.group != tok.group)
    {
        return Some((i + 3, episodes_up_to(n)));
    }
    // `2 of 12`
    if let (Some(n), Some(of), Some(m)) = (tok.num(), t.get(i + 1), t.get(i + 2))
        && of_word(&of.lower)
        && m.digits
        && tok.text.len() <= 3
    {
        return Some((
            i + 3,
            Mark::Part {
                parts: vec![n],
                of_total: true,
                film_disc: false,
                disc: false,
            },
        ));
    }
    let glued = l
        .strip_prefix("part")
        .or_else(|| l.strip_prefix("pt"))
        .or_else(|| l.strip_prefix("cd"))
        .or_else(|| l.strip_prefix("disc"))
        .or_else(|| l.strip_prefix("disk"))
        .and_then(|r| {
            lead_num(r)
                .filter(|(_, k)| *k == r.len())
                .map(|(n, _)| n)
                // `cd1of2`: a disc counted out of a film's discs.
                .or_else(|| counted_out_of(r))
        });
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
    // `[Grp] Show - The Final Season Part 2 - 01`: a fansub's part of a season is the
    // title's; the number after the dash is the episode.
    if t.first().is_some_and(|f| f.group != 0)
        && t.get(end)
            .is_some_and(|x| x.sep == Sep::Dash && x.digits && x.text.len() <= 4)
    {
        return None;
    }
    // `part 1 of 10`, `Part One of Three` (`CD1 of 2` counts a film's discs, not a
    // miniseries' episodes)
    let of_total = t.get(end).is_some_and(|x| of_word(&x.lower))
        && t.get(end + 1)
            .is_some_and(|x| x.digits || number_word(&x.lower).is_some());
    if of_total {
        end += 2;
    }
    let disc = l.starts_with("cd") || l.starts_with("dis");
    Some((
        end,
        Mark::Part {
            parts,
            of_total: of_total && !disc,
            film_disc: l.starts_with("cd") && !of_total,
            disc,
        },
    ))
}

/// `1of5`, `3iz6` (Croatian and Serbian write `iz`): a number counted out of a total, as
/// one token.
fn counted_out_of(l: &str) -> Option<u32> {
    let (n, k) = lead_num(l)?;
    let rest = l[k..]
        .strip_prefix("of")
        .or_else(|| l[k..].strip_prefix("iz"))?;
    lead_num(rest)
        .is_some_and(|(_, m)| m == rest.len())
        .then_some(n)
}

/// `of` and its words in other languages: `2 of 12`, `5 из 20`, `3iz6`, `2 de 6`.
fn of_word(l: &str) -> bool {
    matches!(l, "of" | "из" | "iz" | "de" | "von")
}

/// A Chinese numeral's value (`二` 2, `十一` 11, `二十三` 23, `一百零五` 105), up to 999.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or(match c {
                '〇' => Some(0),
                '两' | '兩' => Some(2),
                _ => None,
            })
    };
    let (mut total, mut pending) = (0u32, None::<u32>);
    let mut any = false;
    for c in s.chars() {
        any = true;
        let unit = match c {
            '十' => 10,
            '百' => 100,
            _ => {
                pending = Some(digit(c)?);
                continue;
            }
        };
        total += pending.take().unwrap_or(1) * unit;
    }
    let n = total + pending.unwrap_or(0);
    (any && n > 0 && n < 1000).then_some(n)
}

/// The name with its numbers written the one way the marks read them, or `None` when it
/// has nothing to rewrite: full-width digits as East Asian releases write them (`１５８`),
/// a multiplication sign between a season and an episode (`2×07`), and Chinese and Japanese
/// count words (`cjk_counts`).
pub(super) fn plain_numbers(name: &str) -> Option<String> {
    let wide = |c: char| ('０'..='９').contains(&c);
    let mut cs: Vec<char> = name.chars().collect();
    let mut changed = false;
    for c in cs.iter_mut().filter(|c| wide(**c)) {
        *c = char::from_digit(*c as u32 - '０' as u32, 10).unwrap_or(*c);
        changed = true;
    }
    // (After the digits, so `２×０７` is read as `2x07`.)
    for k in 1..cs.len().saturating_sub(1) {
        if cs[k] == '×' && cs[k - 1].is_ascii_digit() && cs[k + 1].is_ascii_digit() {
            cs[k] = 'x';
            changed = true;
        }
    }
    let plain: String = cs.into_iter().collect();
    match cjk_counts(&plain) {
        Some(counted) => Some(counted),
        None => changed.then_some(plain),
    }
}

/// The name with its Chinese and Japanese count words written the one way the marks read
/// (`第2季`, a token of its own): a count in Chinese numerals (`第二季`, `第二十三集`) in
/// digits, a count glued to the title (`庆余年第二季`) set apart, Japanese `シーズン2`
/// as `第2季` and a bare `2期` as `第2期`. `None` when there is nothing to rewrite.
fn cjk_counts(name: &str) -> Option<String> {
    const UNITS: &[char] = &['季', '期', '集', '話', '话', '回'];
    let numeral = |c: char| "零〇一二三四五六七八九十百两兩".contains(c);
    let cs: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 8);
    let mut changed = false;
    let mut i = 0;
    let apart = |out: &mut String| {
        if out.chars().last().is_some_and(|p| p.is_alphanumeric()) {
            out.push(' ');
        }
    };
    while i < cs.len() {
        let c = cs[i];
        // 第 + digits or numerals + a unit.
        if c == '第' {
            let j = (i + 1..cs.len())
                .find(|&j| !(cs[j].is_ascii_digit() || numeral(cs[j])))
                .unwrap_or(cs.len());
            if j > i + 1 && j < cs.len() && UNITS.contains(&cs[j]) {
                let digits: String = cs[i + 1..j].iter().collect();
                let n = if digits.bytes().all(|b| b.is_ascii_digit()) {
                    digits.parse().ok()
                } else {
                    chinese_number(&digits)
                };
                if let Some(n) = n {
                    let glued = out.chars().last().is_some_and(|p| p.is_alphanumeric());
                    if glued || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        apart(&mut out);
                        out.push_str(&format!("第{n}{}", cs[j]));
                        changed = true;
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        // シーズン2: Japanese "season", in katakana.
        if cs[i..].starts_with(&['シ', 'ー', 'ズ', 'ン']) {
            let d0 = i + 4;
            let j = (d0..cs.len())
                .find(|&j| !cs[j].is_ascii_digit())
                .unwrap_or(cs.len());
            if j > d0 && j - d0 <= 2 {
                apart(&mut out);
                out.push('第');
                out.extend(&cs[d0..j]);
                out.push('季');
                changed = true;
                i = j;
                continue;
            }
        }
        // ` 2期`: a season counted without its 第, a word of its own.
        if c.is_ascii_digit() && (i == 0 || !cs[i - 1].is_alphanumeric()) {
            let j = (i..cs.len())
                .find(|&j| !cs[j].is_ascii_digit())
                .unwrap_or(cs.len());
            if j - i <= 2
                && cs.get(j) == Some(&'期')
                && cs.get(j + 1).is_none_or(|n| !n.is_alphanumeric())
            {
                out.push('第');
                out.extend(&cs[i..=j]);
                changed = true;
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}
