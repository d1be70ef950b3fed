//! Names made of bracket groups, the convention of Chinese and Japanese fansub releases:
//! `[Group][中文名][Latin Title][08][1080p][GB]`, `【Group】★01月新番★[Title][01][720p]`.
//! Every group is one field: the first is the group, a number alone is the episode (or a
//! year), a range is a pack, tags are tags, and the title is the group of words in Latin
//! letters (the name a library knows the show by), else the first group of words.

use super::marks::EpisodeMark;
use super::name::{NameFacts, Read, Role};
use super::spelled::{count_word, episode_unit};
use super::title::{latin_alternatives, site, text};
use super::token::{Sep, Tok, latin_letter};

/// Reads a name made of bracket groups; false when the name is not of that shape (a Latin
/// word outside the brackets, fewer than three groups, or, in Latin letters only, a word
/// outside the brackets or no group that is a number alone), and nothing is set.
pub(super) fn read(r: &Read<'_>, f: &mut NameFacts) -> bool {
    let t = &r.t;
    if t.first().is_none_or(|x| x.group == 0) {
        return false;
    }
    let outside = |latin_only: bool| {
        t.iter().zip(&r.roles).any(|(x, role)| {
            x.group == 0
                && !matches!(role, Role::Tag | Role::Weak)
                && !announcement(x)
                && !type_word(std::slice::from_ref(x))
                && (!latin_only || latin(x.text))
        })
    };
    // (`[Grp] 中文名 - 10 [1080P][Baha]`: an episode after a dash outside the brackets is a
    // name of the usual shape, its title in another script.)
    let dashed_number = t
        .iter()
        .any(|x| x.group == 0 && x.sep == Sep::Dash && x.digits);
    if outside(true) || (!f.other_script && outside(false)) || dashed_number {
        return false;
    }
    let groups = spans(r);
    if groups.len() < 3 {
        return false;
    }
    // `[Group][Latin Title][04][1080p]`, `[Group][Film][2019][1080p]`: the same shape in
    // Latin letters, when a group is a number alone (an episode, or a year) and no bracket
    // opens inside another (`[Odd [nested] , , [2012]` is no such name).
    let numbered = || {
        groups[1..]
            .iter()
            .any(|&(a, b)| b == a + 1 && t[a].digits && t[a].text.len() <= 4)
    };
    if !(f.other_script || numbered() && flat(r.name)) {
        return false;
    }
    let mut title: Option<((bool, usize, bool, usize), String)> = None;
    let mut episodes: Vec<u32> = Vec::new();
    let mut year = None;
    for &(a, b) in &groups[1..] {
        let toks = &t[a..b];
        // `[166-192TV]`: a range of the television series' episodes.
        if let [x, y] = toks
            && x.digits
            && episodes.is_empty()
            && let Some(q) = y
                .lower
                .strip_suffix("tv")
                .filter(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|d| d.parse::<u32>().ok())
            && let Some(p) = x.num().filter(|p| *p < q && q - p < 2000)
        {
            episodes = (p..=q).collect();
            continue;
        }
        // `[12END]`, `[13完]`, `[第05话]`, `[01-24完]`: the episode with its last-episode
        // mark or its count word.
        if episodes.is_empty() {
            match toks {
                [x] if let Some(n) = ended(x).or_else(|| counted(x)) => {
                    episodes = vec![n];
                    continue;
                }
                [x, y]
                    if let (Some(p), Some(q)) = (x.num().filter(|_| x.digits), ended(y))
                        && p < q
                        && q - p < 2000 =>
                {
                    episodes = (p..=q).collect();
                    continue;
                }
                _ => {}
            }
        }
        if toks.iter().all(|x| x.digits) {
            match toks {
                [x] if x.text.len() == 4 && (1900..=2099).contains(&x.num().unwrap_or(0)) => {
                    year = year.or(x.num());
                }
                [x] if x.text.len() <= 4 && episodes.is_empty() => {
                    episodes = x.num().into_iter().collect();
                }
                [x, y] if episodes.is_empty() => {
                    if let (Some(p), Some(q)) = (x.num(), y.num())
                        && p < q
                        && q - p < 2000
                    {
                        episodes = (p..=q).collect();
                    }
                }
                _ => {}
            }
            continue;
        }
        let words = (a..b).filter(|&k| r.roles[k] == Role::Word).count();
        if words == 0
            || words * 2 < b - a
            || site(toks)
            || type_word(toks)
            || toks.iter().any(announcement)
        {
            continue;
        }
        let Some(whole) = text(r.name, t, a, b) else {
            continue;
        };
        let best = alternative(&whole);
        // Latin words first, the most of them, then a group all in Latin letters
        // (`【中文名 Subtitle】【Latin Title】`), then the longer.
        let latin_words = (a..b)
            .filter(|&k| r.roles[k] == Role::Word && latin(t[k].text))
            .count();
        let key = (latin(&best), latin_words, latin(&whole), words);
        if title.as_ref().is_none_or(|(k, _)| key > *k) {
            title = Some((key, best));
        }
    }
    let Some((_, title)) = title else {
        return false;
    };
    f.title = Some(title);
    f.year = year;
    f.release_group_first = true;
    if !episodes.is_empty() {
        f.absolute = episodes.clone();
        f.episodes = episodes;
        f.mark = Some(EpisodeMark::Absolute);
    }
    true
}

/// `12END`, `13完`, `24Fin`: an episode number and the mark of a series' last episode.
fn ended(x: &Tok<'_>) -> Option<u32> {
    let l = x.lower.as_str();
    let d = l
        .strip_suffix("end")
        .or_else(|| l.strip_suffix("fin"))
        .or_else(|| l.strip_suffix('完'))?;
    (!d.is_empty() && d.len() <= 4 && d.bytes().all(|c| c.is_ascii_digit()))
        .then(|| d.parse().ok())
        .flatten()
}

/// `第05话`, `第5話`, `第12集`: an episode in the count words of Chinese and Japanese.
fn counted(x: &Tok<'_>) -> Option<u32> {
    count_word(x.text)
        .filter(|(_, u)| episode_unit(*u))
        .map(|(n, _)| n)
}

/// The bracket groups as token spans, in order.
fn spans(r: &Read<'_>) -> Vec<(usize, usize)> {
    let t = &r.t;
    let mut out = Vec::new();
    let mut k = 0;
    while k < t.len() {
        let g = t[k].group;
        let e = (k..t.len()).find(|&j| t[j].group != g).unwrap_or(t.len());
        if g != 0 {
            out.push((k, e));
        }
        k = e;
    }
    out
}

/// `10月新番`, `新番`: a release's note that the show is new this season (`10月`: of the
/// October season), not a name.
fn announcement(x: &Tok<'_>) -> bool {
    x.text.contains("新番")
}

/// A group that only says what the release is (`[Movie]`, `[OVA]`) or how its subtitles
/// are written and packed (`[GB]`, `[BIG5]`, `[CHS_JP]`, `[sc_tc]`, `[MKV]`).
pub(super) fn type_word(toks: &[Tok<'_>]) -> bool {
    toks.iter().all(|x| {
        matches!(
            x.lower.as_str(),
            "movie"
                | "tv"
                | "ova"
                | "oad"
                | "web"
                | "bd"
                | "gb"
                | "big5"
                | "chs"
                | "cht"
                | "sc"
                | "tc"
                | "jp"
                | "jap"
                | "mp4"
                | "mkv"
                | "avi"
        )
    })
}

/// Of `中文名/Latin Name/日本語` or `中文名 Latin Name`, the Latin name; the whole text when
/// none or all are.
fn alternative(whole: &str) -> String {
    let parts: Vec<&str> = whole
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let latin_parts: Vec<&str> = parts.iter().copied().filter(|p| latin(p)).collect();
    if latin_parts.is_empty() || latin_parts.len() == parts.len() {
        latin_alternatives(whole.to_owned())
    } else {
        latin_parts[0].to_owned()
    }
}

/// No bracket opens inside another.
fn flat(name: &str) -> bool {
    let mut depth = 0i32;
    for c in name.chars() {
        match c {
            '[' | '(' | '{' | '【' => depth += 1,
            ']' | ')' | '}' | '】' => depth -= 1,
            _ => {}
        }
        if depth > 1 {
            return false;
        }
    }
    true
}

/// Letters, and all of them Latin.
fn latin(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(latin_letter)
}
