//! One name (a file's stem or a folder's name) → the facts it states: title, year, season and
//! episode marks, air date, absolute number, episode title, part, edition, provider ids.
//! Tokens come from `token`, tags from `tags`, marks from `marks`; this module decides which
//! run of words is the title (after a leading `[Group]` or site, before the first mark or
//! tag), what a number at its end means, and what follows the mark (the episode title).
//! Folders and the collection's kind are weighed in `super`.

use super::marks::{self, Found, Mark};
use super::tags::{self, Tag};
use super::token::{self, Sep, Tok};
use super::words;

pub use super::marks::{EpisodeMark, MAX_YEAR, MIN_YEAR, year_like};

/// What one name states.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NameFacts {
    pub title: Option<String>,
    pub year: Option<u32>,
    pub seasons: Vec<u32>,
    pub episodes: Vec<u32>,
    pub absolute: Vec<u32>,
    pub air_date: Option<(u32, u32, u32)>,
    pub mark: Option<EpisodeMark>,
    pub episode_title: Option<String>,
    pub part: Option<u32>,
    pub edition: Option<&'static str>,
    pub version: Option<u32>,
    pub external_ids: Vec<(&'static str, String)>,
    pub extra: Option<&'static str>,
    /// A leading `[Group]`: a fansub release, numbered absolutely.
    pub release_group_first: bool,
    /// It carries release tags (`1080p`, `x264`, `WEB-DL`): a release name.
    pub tagged: bool,
    /// Numbers right after a mark that no rule explained (`S03E21.22`): a doubt.
    pub unexplained: u32,
    /// Letters of a script other than Latin appear in the name.
    pub other_script: bool,
    /// The absolute number followed a dash (`Show - 26 - Title`): the anime convention.
    pub dashed: bool,
}

/// Context for reading a file name.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameContext {
    /// The folders give a season: a bare number is an episode number.
    pub folder_season: Option<u32>,
    /// Shows are expected here: packed numbers (`102`) may be season + episode.
    pub episodic: bool,
}

/// What each token is, once marks and tags are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Word,
    Weak,
    Tag,
    /// Part of mark number N.
    Mark(usize),
}

struct Read<'a> {
    name: &'a str,
    t: Vec<Tok<'a>>,
    roles: Vec<Role>,
    marks: Vec<Found>,
}

impl<'a> Read<'a> {
    fn new(name: &'a str) -> Self {
        let t = token::tokenize(name);
        let mut roles: Vec<Role> = t
            .iter()
            .map(|x| match tags::classify(&x.lower) {
                Tag::Strong => Role::Tag,
                Tag::Weak => Role::Weak,
                Tag::No => Role::Word,
            })
            .collect();
        for k in 1..t.len() {
            if t[k].sep == Sep::Hyphen && tags::pair(&t[k - 1].lower, &t[k].lower) {
                roles[k - 1] = Role::Tag;
                roles[k] = Role::Tag;
            }
            // A CRC or a version: `[8452C4BF]`, `v2`.
            if (t[k].group != 0 && tags::crc(t[k].text))
                || versioned(&t[k].lower).is_some_and(|(n, _)| n.is_none())
            {
                roles[k] = Role::Tag;
            }
        }
        if let Some(first) = t.first()
            && first.group != 0
            && tags::crc(first.text)
        {
            roles[0] = Role::Tag;
        }
        // `…x264-GRP`: the release group after the last tag is a tag too.
        if let Some(last) = t.len().checked_sub(1)
            && last > 0
            && t[last].sep == Sep::Hyphen
            && t[last].group == 0
            && !t[last].digits
            && roles[last - 1] == Role::Tag
        {
            roles[last] = Role::Tag;
        }
        let mut marks = marks::find(&t);
        // With a year after it, `Part Two` and `Episode IV` name a movie: title words.
        let last_year = marks
            .iter()
            .rposition(|m| matches!(m.mark, Mark::Year(_)))
            .map(|i| marks[i].start);
        // `3x3 Eyes - 012 - s02e03`: with an SxxEyy mark, an earlier NxM is title words.
        let sxx = marks.iter().position(|m| {
            matches!(
                m.mark,
                Mark::Episode {
                    how: EpisodeMark::SxxEyy,
                    ..
                }
            )
        });
        if let Some(p) = sxx {
            let mut k = 0;
            marks.retain(|m| {
                k += 1;
                !(k - 1 < p
                    && matches!(
                        m.mark,
                        Mark::Episode {
                            how: EpisodeMark::NxM,
                            ..
                        }
                    ))
            });
        }
        marks.retain(|m| {
            let before_year = last_year.is_some_and(|y| m.end <= y);
            let worded = !t[m.start..m.end].iter().any(|x| x.digits);
            !(before_year
                && match &m.mark {
                    Mark::Part(_) => true,
                    Mark::Episode { how, .. } => *how == EpisodeMark::EpisodeOnly && worded,
                    _ => false,
                })
        });
        for (n, m) in marks.iter().enumerate() {
            for r in &mut roles[m.start..m.end] {
                *r = Role::Mark(n);
            }
        }
        Read {
            name,
            t,
            roles,
            marks,
        }
    }

    fn is_tag(&self, k: usize) -> bool {
        self.roles[k] == Role::Tag
    }
}

/// A version suffix: `v2`, or the `v3` of `19v3` → (number, version).
fn versioned(lower: &str) -> Option<(Option<u32>, u32)> {
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

/// Where a name's own words start: after leading bracket groups (`[Group]`, `[720p]`,
/// `[www.site.com]`) and a site prefix (`www.site.org - `).
fn title_start(r: &Read<'_>) -> (usize, bool) {
    let t = &r.t;
    let mut s = 0;
    let mut group_first = false;
    while let Some(tok) = t.get(s) {
        if tok.group == 0 {
            break;
        }
        let g = tok.group;
        let end = (s..t.len()).find(|&k| t[k].group != g).unwrap_or(t.len());
        // A group that is the name's only content, a mark, a number (`(500) Days of
        // Summer`), or a title with its year (`[Taxi 1998] [BDRemux]`) stays.
        // `(500) Days of Summer` in parentheses; `[224] Show` is a group's name.
        let paren_number = end == s + 1
            && t[s].digits
            && t[s].start > 0
            && r.name.as_bytes()[t[s].start - 1] == b'(';
        let titled = end > s + 1
            && r.roles[s] == Role::Word
            && (s..end).any(
                |k| matches!(r.roles[k], Role::Mark(m) if matches!(r.marks[m].mark, Mark::Year(_))),
            );
        if end == t.len() || matches!(r.roles[s], Role::Mark(_)) || paren_number || titled {
            break;
        }
        if (s..end).any(|k| r.roles[k] == Role::Word) && !site(&t[s..end]) {
            group_first = true;
        }
        s = end;
    }
    // `www.site.com - Title`, `site.co.uk - Title`
    if let Some(d) = (s + 1..t.len().min(s + 6)).find(|&k| t[k].sep == Sep::Dash)
        && site(&t[s..d])
    {
        s = d;
    }
    // `HD 720p: Title - 11`: tags before the words.
    let mut k = s;
    while k < t.len() && matches!(r.roles[k], Role::Tag | Role::Weak) {
        k += 1;
    }
    if k > s && (s..k).any(|j| r.roles[j] == Role::Tag) && k < t.len() && r.roles[k] == Role::Word {
        s = k;
    }
    (s, group_first)
}

/// A web site's name: `www.…`, or dotted words ending in a top-level domain
/// (`test-hyphen123.org.au`, `5MovieRulz.tc`).
fn site(t: &[Tok<'_>]) -> bool {
    let joined = t
        .iter()
        .skip(1)
        .all(|x| matches!(x.sep, Sep::Dot | Sep::Hyphen) || t[0].lower == "www");
    t.len() >= 2
        && joined
        && (t[0].lower == "www"
            || t.last().is_some_and(|x| {
                x.sep == Sep::Dot
                    && (2..=4).contains(&x.text.len())
                    && x.text.bytes().all(|c| c.is_ascii_lowercase())
            }))
}

/// Cuts `t[a..b]` out of the name as a title: the tokens joined by what separated them,
/// where dots and underscores between words become spaces (`Mr. Robot` keeps its dot,
/// `Mr.Robot` does not), an acronym keeps its last dot (`S.H.I.E.L.D.`), and separators at
/// either end go.
fn text(name: &str, t: &[Tok<'_>], a: usize, b: usize) -> Option<String> {
    if a >= b {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    // `(300) Nights of Rain`: a title that opens with a bracketed word keeps its bracket.
    if t[a].group != 0
        && t[b - 1].group != t[a].group
        && let Some(open) = name[..t[a].start]
            .chars()
            .last()
            .filter(|c| matches!(c, '(' | '['))
    {
        out.push(open);
    }
    for k in a..b {
        if k > a {
            let gap = &name[t[k - 1].end..t[k].start];
            let gap = if t[k - 1].lower == "a.k.a" {
                gap.trim_start_matches('.')
            } else {
                gap
            };
            if gap.chars().all(|c| c == '.' || c == '_') {
                out.push(' ');
            } else {
                // `Mr. Robot` keeps its dot; `(300).Nights` does not.
                let spaced = gap.chars().any(char::is_whitespace);
                for c in gap.chars() {
                    out.push(if c == '_' || (c == '.' && !spaced) {
                        ' '
                    } else {
                        c
                    });
                }
            }
        }
        if t[k].lower == "a.k.a" {
            out.push_str("AKA");
        } else {
            out.push_str(t[k].text);
        }
    }
    let last = &t[b - 1];
    if last.group != 0
        && last.group != t[a].group
        && let Some(c) = name[last.end..]
            .chars()
            .next()
            .filter(|c| matches!(c, ')' | ']'))
    {
        out.push(c);
    }
    if name[last.end..].starts_with('.')
        && ((last.text.contains('.') && last.lower != "a.k.a")
            || matches!(
                last.lower.as_str(),
                "mr" | "mrs" | "dr" | "st" | "jr" | "vs"
            ))
    {
        out.push('.');
    }
    let mut s = String::with_capacity(out.len());
    for w in out.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    let mut s = s
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '–' | ',' | ':' | '/' | '+')
        })
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '–' | ',' | ':' | '/' | '+' | '(' | '[' | '{')
        })
        .to_string();
    // A closing bracket stays only when it closes one the title opened.
    while s.ends_with([')', ']', '}'])
        && s.matches(['(', '[', '{']).count() < s.matches([')', ']', '}']).count()
    {
        s.pop();
        s = s.trim_end().to_string();
    }
    (!s.is_empty()).then_some(s)
}

/// Whether the bracket group of token `k` opens with `aka`.
fn aka_group(t: &[Tok<'_>], k: usize) -> bool {
    let g = t[k].group;
    (0..=k)
        .rev()
        .take_while(|&j| t[j].group == g)
        .last()
        .is_some_and(|j| matches!(t[j].lower.as_str(), "aka" | "a.k.a"))
}

/// Title alternatives in two scripts (`Мистер Робот / Mr. Robot`): keep the Latin ones.
fn latin_alternatives(title: String) -> String {
    let latin = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c))
    };
    if !title.contains(" / ") {
        // `超能警探 Memorist`, `Доктор Хаус Dr House`: a title in another script, then the
        // same in Latin letters.
        let words: Vec<&str> = title.split(' ').collect();
        if let Some(k) = words
            .iter()
            .position(|w| latin(w) && w.chars().any(char::is_alphabetic))
            && k > 0
            && words[..k].iter().all(|w| !latin(w))
        {
            return words[k..].join(" ");
        }
        return title;
    }
    let parts: Vec<&str> = title.split(" / ").map(str::trim).collect();
    let kept: Vec<&str> = parts.iter().copied().filter(|p| latin(p)).collect();
    if kept.is_empty() || kept.len() == parts.len() {
        title
    } else {
        kept.join(" / ")
    }
}

/// Reads one name.
pub fn read(name: &str, ctx: NameContext) -> NameFacts {
    let r = Read::new(name);
    let t = &r.t;
    let mut f = NameFacts::default();
    if t.is_empty() {
        return f;
    }
    ids(&r, &mut f);
    let (start, group_first) = title_start(&r);
    f.release_group_first = group_first;
    f.tagged = r.roles.contains(&Role::Tag);
    f.other_script = name
        .chars()
        .any(|c| c.is_alphabetic() && !(c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)));

    // The title runs from `start` to the first mark, tag or new bracket group; a country
    // in brackets (`The Office (US)`) is the title's own.
    let paren_start = t.get(start).is_some_and(|x| {
        x.group != 0
            && x.digits
            && t.get(start + 1).is_some_and(|n| n.group != x.group)
            && x.start > 0
            && name.as_bytes()[x.start - 1] == b'('
    });
    let g0 = if paren_start {
        0
    } else {
        t.get(start).map_or(0, |x| x.group)
    };
    let country = |k: usize| {
        t[k].group != 0
            && t[k].sep == Sep::Open
            && t.get(k + 1).is_none_or(|n| n.group != t[k].group)
            && matches!(t[k].text, "US" | "UK" | "AU" | "CA" | "NZ" | "IE")
    };
    let aka = |k: usize| {
        t[k].group != 0 && t[k].sep == Sep::Open && matches!(t[k].lower.as_str(), "aka" | "a.k.a")
    };
    let stops = |k: usize| -> bool {
        if country(k)
            || (k > start && aka(k))
            || (k > start && t[k].group == t[k - 1].group && t[k].group != 0 && aka_group(t, k))
        {
            return false;
        }
        matches!(r.roles[k], Role::Mark(_) | Role::Tag)
            || (k > start && t[k].group != g0 && t[k].group != 0)
            || (k > start && g0 != 0 && t[k].group != g0)
    };
    let mut end = (start..t.len()).find(|&k| stops(k)).unwrap_or(t.len());

    // Years: `Wonder Woman 1984 (2020)`, `Movie.von.1999.1990`: a year followed by another
    // is a title word. A year that opens the name is the title when a mark follows it
    // (`1923 S02E01`, `2012.(2008)`).
    let mut year_mark: Option<usize> = None;
    while let Some(Role::Mark(m)) = r.roles.get(end).copied() {
        let Mark::Year(_) = r.marks[m].mark else {
            break;
        };
        let next = r.marks.get(m + 1);
        let next_is_year = next.is_some_and(|n| {
            matches!(n.mark, Mark::Year(_)) && (n.start == end + 1 || end == start)
        });
        let opens = end == start
            && (next.is_some_and(|n| n.start == end + 1 && !matches!(n.mark, Mark::Year(_)))
                || t.get(end + 1)
                    .is_none_or(|x| r.is_tag(end + 1) || x.group != 0));
        if next_is_year || opens {
            end = ((end + 1)..t.len()).find(|&k| stops(k)).unwrap_or(t.len());
            continue;
        }
        year_mark = Some(m);
        break;
    }
    if let Some(m) = year_mark {
        if let Mark::Year(y) = r.marks[m].mark {
            f.year = Some(y);
        }
        // `2008 The Incredible Hulk`: a year before the words, none after.
        if r.marks[m].start == start {
            let s2 = r.marks[m].end;
            let g = t.get(s2).map_or(0, |x| x.group);
            let e2 = (s2..t.len())
                .find(|&k| {
                    matches!(r.roles[k], Role::Mark(_) | Role::Tag) || (k > s2 && t[k].group != g)
                })
                .unwrap_or(t.len());
            if e2 > s2 {
                f.title = text(name, t, s2, e2);
            }
        }
    } else if let Some(y) = {
        // A year after an episode's mark is its title's or a time's (`S01E01 - 1923`,
        // `Day 8 - 2000-2100`), not the show's.
        let first_episode = r
            .marks
            .iter()
            .find(|m| matches!(m.mark, Mark::Episode { .. } | Mark::Season(_)));
        let (ep_start, ep_end) =
            first_episode.map_or((usize::MAX, usize::MAX), |m| (m.start, m.end));
        // A release's year right after its mark (`S01E01.2008.BluRay`) is the show's.
        let release_year = |m: &Found| {
            t[m.start].sep != Sep::Dash
                && (m.start == ep_end || t.get(m.end).is_none_or(|_| r.roles[m.end] == Role::Tag))
        };
        r.marks.iter().find_map(|m| match m.mark {
            Mark::Year(y) if m.start > end && m.start < ep_start => Some(y),
            Mark::Year(y) if m.start > end && (t[m.start].group != 0 || release_year(m)) => Some(y),
            _ => None,
        })
    } {
        // A year later in the name (in the tail, `(2016)`, `[2012, HEVC]`).
        f.year = Some(y);
    }

    // Marks: episodes, seasons, dates, parts.
    let mut first_mark_end = None;
    for m in &r.marks {
        match &m.mark {
            Mark::Episode {
                seasons,
                episodes,
                how,
            } => {
                if f.mark.is_none() {
                    f.mark = Some(*how);
                    first_mark_end = Some(m.end);
                    f.episodes = episodes.clone();
                    if f.seasons.is_empty() {
                        f.seasons = seasons.clone();
                    } else if !seasons.is_empty() {
                        // `s8-show-s03e01`: the full mark's season wins over a bare one.
                        f.seasons = seasons.clone();
                    } else if let [s] = f.seasons[..]
                        && seasons.is_empty()
                        && episodes.iter().all(|e| *e >= 100 && e / 100 == s)
                    {
                        // `Temporada 4 … Cap.408`: the season's digits, then the episode.
                        f.episodes = episodes.iter().map(|e| e % 100).collect();
                    }
                } else if f.seasons.is_empty()
                    && !seasons.is_empty()
                    && episodes.iter().all(|e| f.episodes.contains(e))
                {
                    // `Episode 2 [S 1 - Ep 002]`: the later mark adds the season.
                    f.seasons = seasons.clone();
                } else if !seasons.is_empty() && seasons == &f.seasons {
                    // `S01E01 … S01E03`: the same season, more episodes.
                    for e in episodes {
                        if !f.episodes.contains(e) {
                            f.episodes.push(*e);
                        }
                    }
                }
            }
            Mark::Season(s) => {
                if f.seasons.is_empty() {
                    f.seasons = s.clone();
                    first_mark_end.get_or_insert(m.end);
                }
            }
            Mark::Date(y, mo, d) => {
                if f.air_date.is_none() {
                    f.air_date = Some((*y, *mo, *d));
                    if f.mark.is_none() && f.seasons.is_empty() {
                        f.mark = Some(EpisodeMark::Date);
                        first_mark_end = Some(m.end);
                    }
                }
            }
            Mark::Part(p) => {
                if f.part.is_none() {
                    f.part = p.first().copied();
                    // A seasonless show's parts are its episodes (`Show part 1 to 3`); a
                    // season pack's part is its episode (`Season.3.Part.IV`).
                    if f.mark.is_none() && (f.year.is_none() || !f.seasons.is_empty()) {
                        f.episodes = p.clone();
                        f.mark = Some(EpisodeMark::Part);
                        first_mark_end.get_or_insert(m.end);
                    }
                }
            }
            Mark::Year(_) => {}
        }
    }
    // `Temporada 4 … Cap.412`: the season's own digits, then the episode.
    if let [s] = f.seasons[..]
        && matches!(f.mark, Some(EpisodeMark::Words | EpisodeMark::EpisodeOnly))
        && !f.episodes.is_empty()
        && f.episodes
            .iter()
            .all(|e| *e >= 100 && e / 100 == s && e % 100 > 0)
    {
        f.episodes = f.episodes.iter().map(|e| e % 100).collect();
    }
    // A seasonless episode number is the show's absolute number too (`Show - Episode 12`).
    if matches!(f.mark, Some(EpisodeMark::EpisodeOnly | EpisodeMark::Part))
        && f.seasons.is_empty()
        && f.absolute.is_empty()
        && ctx.folder_season.is_none()
    {
        f.absolute = f.episodes.clone();
    }
    // A date that is also the year: not a release year.
    if f.air_date.is_some_and(|(y, _, _)| Some(y) == f.year) && year_mark.is_none() {
        f.year = None;
    }

    // No mark: what does a number at the end of the title mean?
    if f.mark.is_none() && f.seasons.is_empty() && end > start {
        trailing_number(&r, name, start, &mut end, ctx, &mut f);
    }
    if f.mark.is_none()
        && f.seasons.is_empty()
        && let Some(m) = year_mark
    {
        number_after_year(&r, r.marks[m].end, &mut f);
    }

    if f.title.is_none() {
        let mut e = end;
        // An edition ends the title (`World.Movie.Z.EXTENDED.2013`, `Movie Extended Cut
        // German 720p`), when only tags follow it.
        let lower: Vec<&str> = t.iter().map(|x| x.lower.as_str()).collect();
        if let Some((k, ed)) = (start + 1..e).find_map(|k| {
            let (ed, n) = words::edition(&lower[k..e])?;
            // "The Final Cut" and "DC" are titles as often as editions.
            let ambiguous = matches!(ed, "Final Cut" | "Theatrical") || lower[k] == "dc";
            let mut j = k + n;
            let mut rest_weak = true;
            while j < e {
                if let Some((_, m)) = words::edition(&lower[j..e]) {
                    j += m;
                } else if r.roles[j] == Role::Weak {
                    j += 1;
                } else {
                    rest_weak = false;
                    break;
                }
            }
            (rest_weak && !ambiguous).then_some((k, ed))
        }) {
            e = k;
            f.edition = Some(ed);
        }
        // Weak tags at the end of a title are the release's (`Show Name HD`), except before
        // a year, where a word like "German" is the title's (`The.Good.German.2006`).
        let before_year = year_mark.is_some_and(|m| r.marks[m].start == end);
        // So are a pack's words (`The Complete Season 3`, `Skins Season S01-S07`).
        let pack_word = |w: &str| {
            matches!(
                w,
                "complete"
                    | "completa"
                    | "integral"
                    | "full"
                    | "integrale"
                    | "intégrale"
                    | "season"
                    | "seasons"
                    | "trilogy"
                    | "tetralogy"
                    | "quadrilogy"
                    | "pentalogy"
                    | "hexalogy"
                    | "heptalogy"
                    | "octalogy"
                    | "saison"
                    | "temporada"
            )
        };
        let mut dropped_pack = false;
        while e > start + 1 {
            let w = t[e - 1].lower.as_str();
            let weak = r.roles[e - 1] == Role::Weak && !(before_year && e == end);
            let pack = pack_word(w) || (w == "series" && e >= 2 && pack_word(&t[e - 2].lower));
            let the = w == "the" && dropped_pack;
            if !(weak || pack || the) {
                break;
            }
            dropped_pack |= pack || (weak && w == "complete");
            e -= 1;
        }
        f.title = text(name, t, start, e);
    }
    if f.title.is_none() && start > 0 {
        // `[SweetSub][Mutafukaz / MFKZ][Movie]`: the title is a group of words.
        f.title = group_title(&r, name);
    }
    absolute_beside_mark(&r, start, end, &mut f);
    f.unexplained = (end.max(1)..t.len())
        .filter(|&k| {
            r.roles[k] == Role::Word
                && t[k].digits
                && t[k].group == 0
                && matches!(r.roles[k - 1], Role::Mark(_))
        })
        .count() as u32;
    f.title = f.title.map(latin_alternatives);

    if f.episode_title.is_none()
        && let Some(a) = first_mark_end
        && f.mark.is_some()
    {
        f.episode_title = episode_title(&r, name, a);
    }
    tail_facts(&r, name, start, end, &mut f);
    f
}

/// A number ending the title, when no mark was found: an anime episode (`[Grp] Show - 12`,
/// `Show 62 [CRC]`), a packed season+episode (`the.event.401`), a bare episode number in a
/// season folder (`01 - Pilot`, `Show 201 - Title`), or a title word (`Apollo 13`).
fn trailing_number(
    r: &Read<'_>,
    name: &str,
    start: usize,
    end: &mut usize,
    ctx: NameContext,
    f: &mut NameFacts,
) {
    let t = &r.t;
    let num_at = |k: usize| -> Option<(u32, Option<u32>)> {
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
    };
    // Weak tags after the number are the release's (`- 03_DVD`).
    let mut e = *end;
    while e > start + 1 && r.roles[e - 1] == Role::Weak {
        e -= 1;
    }
    // A number between dashes (`Show - 072 - Title`), a number opening the name
    // (`02 The Invitation`, `321 - Title`), or the last number that ends the title or is
    // followed by ` - ` (`Show 201 - Title`).
    let between_dashes = (start + 1..e).find(|&k| {
        t[k].sep == Sep::Dash
            && t.get(k + 1)
                .is_some_and(|x| x.sep == Sep::Dash || (x.sep == Sep::Other(',') && x.digits))
            && t[k].text.len() <= 4
            && num_at(k).is_some()
    });
    // `[Erai-raws] 22-7 - 11`: a release group's episode after the last dash.
    let last_dashed = (start + 1..e)
        .rev()
        .find(|&k| t[k].sep == Sep::Dash && k + 1 == e && num_at(k).is_some())
        .filter(|_| f.release_group_first);
    // (`3-Nen D-Gumi` is a title: a glued hyphen opens a range only before a number.)
    let opening = (t[start].digits
        && t[start].text.len() <= 3
        && (t[start].text.starts_with('0')
            || t.get(start + 1)
                .is_some_and(|x| x.sep == Sep::Dash || (x.sep == Sep::Hyphen && x.digits))))
    .then_some(start);
    let picked = between_dashes
        .or(last_dashed)
        .or(opening)
        .and_then(|k| num_at(k).map(|x| (k, x)));
    let Some((k, (n, version))) = picked.or_else(|| {
        (start..e).rev().find_map(|k| {
            let ends = k + 1 == e
                || t[k + 1].sep == Sep::Dash
                || (k + 2 == e && versioned(&t[k + 1].lower).is_some_and(|(a, _)| a.is_none()))
                // `Ozk.02.10.F`: a one-letter tail.
                || (k + 2 == e && t[k + 1].text.len() == 1 && t[k + 1].is_alpha());
            if ends {
                num_at(k).map(|x| (k, x))
            } else {
                None
            }
        })
    }) else {
        return;
    };
    let tok = &t[k];
    let digits = tok.text.len();
    let after = if version.is_some()
        && t.get(k + 1)
            .is_some_and(|x| versioned(&x.lower).is_some_and(|(a, _)| a.is_none()))
    {
        k + 2
    } else {
        k + 1
    };
    let episode_title = |f: &mut NameFacts| {
        if t.get(after)
            .is_some_and(|x| x.sep == Sep::Dash && x.group == 0)
        {
            let b = (after..t.len())
                .find(|&j| matches!(r.roles[j], Role::Tag | Role::Mark(_)) || t[j].group != 0)
                .unwrap_or(t.len());
            f.episode_title = text(name, t, after, b);
        }
    };

    // The number opens the name: `01 - Pilot` in a season folder, `102 - The Invitation`,
    // `611-612 - Title`.
    if k == start {
        let opens = opening.is_some() || t.len() == 1;
        if f.year.is_some() || (ctx.folder_season.is_none() && !opens) {
            return;
        }
        let mut eps = vec![n];
        let mut b0 = start + 1;
        if let Some(x) = t.get(start + 1)
            && x.sep == Sep::Hyphen
            && let Some(m) = x.num().filter(|m| *m > n && m - n < 50)
        {
            eps = (n..=m).collect();
            b0 += 1;
        }
        f.episodes = eps;
        match ctx.folder_season {
            Some(s) => {
                f.seasons = vec![s];
                f.mark = Some(EpisodeMark::BareNumber);
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
        *end = start;
        return;
    }
    // A title of digits only is a fansub release's (`[Crew] 7-11 - 04`); a year means a
    // movie unless a release group says anime.
    let titled = f.release_group_first || (start..k).any(|j| t[j].is_alpha());
    let movie_year = f.year.is_some() && !f.release_group_first;
    if !titled || movie_year || (k == start + 1 && words::camera_prefix(&t[start].lower)) {
        return;
    }
    // `office_03_19`, `Ozk.02.10.F`: two two-digit numbers, a season and an episode.
    if k > start + 1
        && digits == 2
        && t[k - 1].digits
        && t[k - 1].text.len() <= 2
        && (matches!(tok.sep, Sep::Dot | Sep::Underscore)
            || (tok.sep == Sep::Hyphen && tok.text.len() == 2))
        && t[k - 1].sep != Sep::Dash
        && !t.iter().any(|x| x.group != 0 && tags::crc(x.text))
        && version.is_none()
        && !f.release_group_first
        && let Some(s) = t[k - 1].num().filter(|s| (1..=40).contains(s))
        && n > 0
    {
        f.seasons = vec![s];
        f.episodes = vec![n];
        f.mark = Some(EpisodeMark::Packed);
        *end = k - 1;
        return;
    }
    let crc_anywhere = t.iter().any(|x| x.group != 0 && tags::crc(x.text));
    let anime = f.release_group_first || crc_anywhere || version.is_some();
    let dashed = matches!(tok.sep, Sep::Dash | Sep::Hyphen);
    let zero = digits >= 2 && tok.text.starts_with('0');
    let tail = (after..t.len()).all(|j| r.roles[j] != Role::Word || t[j].group != 0);

    // `Show 201 - Title` in `Season 2`: the season's own digits, then the episode.
    if let Some(s) = ctx.folder_season
        && (digits == 3 || digits == 4)
        && n / 100 == s
        && n % 100 > 0
    {
        f.seasons = vec![s];
        f.episodes = vec![n % 100];
        f.mark = Some(EpisodeMark::Packed);
        episode_title(f);
        *end = k;
        return;
    }
    // `the.event.401`, `new.girl.117.hdtv`, `Test.0706`: season and episode packed.
    let packable = match digits {
        3 => !zero,
        4 => zero || (n / 100 < 20 && ctx.episodic),
        _ => false,
    };
    if packable
        && !anime
        && !dashed
        && tail
        && ctx.folder_season.is_none()
        && n / 100 > 0
        && n % 100 > 0
    {
        f.seasons = vec![n / 100];
        f.episodes = vec![n % 100];
        f.mark = Some(EpisodeMark::Packed);
        *end = k;
        return;
    }
    // `One.Piece.1089.1080p.WEB`: four digits that are no year, then only tags: a long
    // series' absolute number (asked about, not linked: it could be a title's number).
    let long_run = digits == 4 && !zero && tail && year_like(tok.text).is_none() && after < t.len();
    if !(anime || dashed || zero || long_run || ctx.episodic || ctx.folder_season.is_some()) {
        return;
    }
    // `45-46`: a range of episodes.
    let mut first = k;
    let mut eps = vec![n];
    if k >= start + 2
        && tok.sep == Sep::Hyphen
        && let Some(a) = t[k - 1]
            .num()
            .filter(|a| *a < n && n - a < 50 && t[k - 1].text.len() <= 4)
    {
        eps = (a..=n).collect();
        first = k - 1;
    }
    // ` - 01 ~ 12`, ` - 01 - 12`: a range to the end.
    let mut ranged = false;
    if first == k
        && let Some(m) = t
            .get(k + 1)
            .filter(|x| x.sep == Sep::Dash && k + 2 >= e)
            .and_then(Tok::num)
        && m > n
        && m - n < 400
    {
        eps = (n..=m).collect();
        ranged = true;
    }
    // `103, 104`: a list.
    if let Some(m) = t
        .get(k + 1)
        .filter(|x| x.sep == Sep::Other(','))
        .and_then(Tok::num)
        && m > n
    {
        eps = vec![n, m];
    }
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
    f.dashed = dashed;
    if !ranged {
        episode_title(f);
    }
    *end = first;
}

/// `[Group] Show (2019) - 03 [1080p]`: an episode number after the year.
fn number_after_year(r: &Read<'_>, year_end: usize, f: &mut NameFacts) {
    let t = &r.t;
    let Some(tok) = t.get(year_end) else { return };
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
        return;
    }
    if tok.sep != Sep::Dash
        || tok.group != 0
        || !(f.release_group_first || t.iter().any(|x| x.group != 0 && tags::crc(x.text)))
    {
        return;
    }
    if let Some(n) = tok.num().filter(|_| tok.text.len() <= 4)
        && t.get(year_end + 1)
            .is_none_or(|x| x.group != 0 || r.roles[year_end + 1] == Role::Tag)
    {
        f.episodes = vec![n];
        f.absolute = vec![n];
        f.mark = Some(EpisodeMark::Absolute);
    }
}

/// Absolute numbers beside an SxxEyy mark: `Bleach - 012 - s02e03`, `165.Naruto.s08e014`,
/// `165-166.Show.S08E14E15`. They leave the title.
fn absolute_beside_mark(r: &Read<'_>, start: usize, end: usize, f: &mut NameFacts) {
    let t = &r.t;
    if f.mark != Some(EpisodeMark::SxxEyy) || end <= start || !f.absolute.is_empty() {
        return;
    }
    let range = |a: usize| -> Option<(Vec<u32>, usize)> {
        let x = t.get(a)?.num().filter(|_| t[a].text.len() <= 4)?;
        match t.get(a + 1) {
            Some(y) if y.sep == Sep::Hyphen && y.digits => {
                let y = y.num().filter(|y| *y > x && y - x < 50)?;
                Some(((x..=y).collect(), a + 2))
            }
            _ => Some((vec![x], a + 1)),
        }
    };
    // Before the title: `165-166.` or `012.` then a word (a bare `30.Rock` is a title).
    if let Some((abs, after)) = range(start)
        && (abs.len() > 1 || t[start].text.starts_with('0'))
        && t.get(after)
            .is_some_and(|w| w.sep == Sep::Dot && w.is_alpha())
        && after < end
    {
        f.absolute = abs;
        f.title = text_of(r, after, end);
        return;
    }
    // After the title: ` - 012` or ` - 012-013` just before the mark.
    let mut k = end.saturating_sub(1);
    if k > start + 1 && t[k].sep == Sep::Hyphen && t[k - 1].digits {
        k -= 1;
    }
    if k > start
        && t[k].digits
        && k < end
        && t[k].sep == Sep::Dash
        && let Some((abs, stop)) = range(k)
        && stop == end
    {
        f.absolute = abs;
        f.title = text_of(r, start, k);
    }
}

fn text_of(r: &Read<'_>, a: usize, b: usize) -> Option<String> {
    text(r.name, &r.t, a, b)
}

/// The first bracket group made of words, for a name whose words are all in brackets.
fn group_title(r: &Read<'_>, name: &str) -> Option<String> {
    let t = &r.t;
    let mut k = 0;
    let mut first_group = true;
    while k < t.len() {
        let g = t[k].group;
        let e = (k..t.len()).find(|&j| t[j].group != g).unwrap_or(t.len());
        let words = (k..e).filter(|&j| r.roles[j] == Role::Word).count();
        if g != 0 && !first_group && words > 0 && words * 2 >= e - k && !site(&t[k..e]) {
            return text(name, t, k, e);
        }
        first_group = false;
        k = e;
    }
    None
}

/// The words after the episode mark, up to the first tag, mark or bracket.
fn episode_title(r: &Read<'_>, name: &str, a: usize) -> Option<String> {
    let t = &r.t;
    let a = (a..t.len()).find(|&j| t[j].group == 0 || t[j].sep != Sep::Open)?;
    if t.get(a)?.group != 0 || r.roles[a] != Role::Word {
        return None;
    }
    let mut b = (a..t.len())
        .find(|&j| matches!(r.roles[j], Role::Tag | Role::Mark(_)) || t[j].group != 0)
        .unwrap_or(t.len());
    while b > a + 1 && r.roles[b - 1] == Role::Weak {
        b -= 1;
    }
    // A release group's `-GRP` is no episode title.
    if b == t.len() && b - a == 1 && t[a].sep == Sep::Hyphen {
        return None;
    }
    text(name, t, a, b).filter(|s| s.chars().any(char::is_alphabetic))
}

/// Provider ids in brackets: `[tmdbid-123]`, `{imdb-tt0123456}`, `[tvdbid=81189]`.
fn ids(r: &Read<'_>, f: &mut NameFacts) {
    let t = &r.t;
    for k in 0..t.len() {
        if t[k].group == 0 {
            continue;
        }
        // A bare IMDb id: `[tt0123456]`.
        if let Some(d) = t[k].lower.strip_prefix("tt")
            && (7..=9).contains(&d.len())
            && d.bytes().all(|c| c.is_ascii_digit())
            && !f.external_ids.iter().any(|x| x.0 == "imdb")
        {
            f.external_ids.push(("imdb", t[k].lower.clone()));
            continue;
        }
        let key = match t[k].lower.trim_end_matches("id") {
            "tmdb" => "tmdb",
            "imdb" => "imdb",
            "tvdb" => "tvdb",
            _ => continue,
        };
        if let Some(v) = t.get(k + 1).filter(|v| v.group == t[k].group)
            && (v.digits || (key == "imdb" && v.lower.starts_with("tt")))
            && !f.external_ids.iter().any(|x| x.0 == key)
        {
            f.external_ids.push((key, v.lower.clone()));
        }
    }
}

/// Edition and extra, read from the words after the title.
fn tail_facts(r: &Read<'_>, name: &str, start: usize, title_end: usize, f: &mut NameFacts) {
    let t = &r.t;
    let lower: Vec<&str> = t.iter().map(|x| x.lower.as_str()).collect();
    for k in start + 1..t.len() {
        if let Some((ed, _)) = words::edition(&lower[k..]) {
            f.edition = Some(ed);
            break;
        }
    }
    let hyphen_before = |x: &Tok<'_>| name[..x.start].ends_with('-');
    let strong = |x: &str| {
        matches!(
            x,
            "trailer" | "sample" | "featurette" | "behindthescenes" | "deleted" | "deletedscene"
        )
    };
    if let Some(last) = t.last()
        && let Some(x) = words::extra_suffix(&last.lower)
        && (t.len() == 1 || hyphen_before(last) || (strong(x) && title_end < t.len() - 1))
    {
        // `trailer.mkv`, `Heat (1995)-trailer.mkv`, `Show.S01E01.sample.mkv`
        f.extra = Some(x);
    } else if let Some(first) = t.first()
        && let Some(x) = words::extra_suffix(&first.lower).filter(|x| strong(x))
        && t.get(1).is_some_and(|n| n.sep == Sep::Hyphen)
    {
        // `sample-show.name.s01e01.mkv`
        f.extra = Some(x);
    } else if let Some(x) = t
        .iter()
        .skip(title_end.max(start + 1))
        .find_map(|x| words::extra_suffix(&x.lower).filter(|x| strong(x)))
    {
        f.extra = Some(x);
    }
}
