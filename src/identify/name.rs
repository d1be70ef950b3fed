//! One name (a file's stem or a folder's name) → the facts it states: title, year, season and
//! episode marks, air date, absolute number, episode title, part, edition, provider ids.
//! Tokens come from `token`, tags from `tags`, marks from `marks`; this module decides which
//! run of words is the title (after a leading `[Group]` or site, before the first mark or
//! tag), what a number at its end means, and what follows the mark (the episode title).
//! Folders and the collection's kind are weighed in `super`.

use super::brackets;
use super::marks::{self, Found, Mark};
use super::numbers::{
    absolute_after_mark, absolute_beside_mark, between_dashes, bracketed_episode, crc_anywhere,
    dashed_after_bracket, final_word, number_after_tags, number_after_year, trailing_number,
    versioned,
};
use super::spelled;
use super::tags::{self, Tag};
use super::title::{
    aka_group, aka_spelled, group_title, latin_alternatives, site, text, text_of, title_start,
    without_ppv,
};
use super::token::{self, Sep, Tok};
use super::words;

pub(crate) use super::marks::{EpisodeMark, year_like};

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
    /// Those letters are all of a script that spaces its words as Latin does (Cyrillic,
    /// Greek), and the name offers no other titles beside its own (`A / B`).
    pub spaced_script: bool,
    /// The show's country, from the end of its title (`Shameless.US.S01E01`).
    pub country: Option<&'static str>,
    /// A television network's tag after the title (`720p.HIST.WEBRip`).
    pub broadcast: bool,
    /// The absolute number followed a dash (`Show - 26 - Title`): the anime convention.
    pub dashed: bool,
    /// The absolute number is zero-padded (`09`, `012`).
    pub padded: bool,
    /// A whole show's pack (`Complete Series`): no film, though no season is named.
    pub series_pack: bool,
    /// A fansub release's numbering: a CRC (`[293A8395]`) or a version (`07v2`).
    pub fansub: bool,
    /// A half episode's number (`13.5`): a recap or a special between two episodes.
    pub half: Option<String>,
    /// A fansub's special after the title's dash (`SP1`, `Special 02`, `OVA`), and its
    /// number when it has one.
    pub special: Option<Option<u32>>,
    /// The whole title when it was split into a show's name and an arc's after a dash
    /// (`Show - Arc - 05`).
    pub arc: Option<String>,
    /// A part counted out of a total (`2of12`, `Part 1 of 10`): a miniseries' episode.
    pub part_of_total: bool,
    /// A television source among the tags (`HDTV`, `PDTV`): a broadcast.
    pub tv_source: bool,
    /// A film's source among the tags (`BluRay`, `WEB-DL`, `DVDRip`, `3D`).
    pub film_source: bool,
    /// A video tag among the tags (`720p`, `x264`).
    pub video_tagged: bool,
    /// What a film's own release says of its sound or its picture, and a numberless
    /// television release does not: an audio codec (`DTS`, `AC3`), a dub's language
    /// (`French`, `VFF`, `rus`), HDR (`HDR10`, `DoVi`); not in a pack of a series or of films.
    pub sound_or_picture: bool,
    /// A film's whole release: its source and its encoding (`BluRay.x264`, `DVDRip.XviD`,
    /// `BDremux … AC3`), and no word of a series' pack (`COMPLETE`, `INTEGRAL`).
    pub film_release: bool,
    /// Words follow the absolute number with no dash between (`[Grp] Show - 05 Title`):
    /// they are read as its title, though they could continue the show's.
    pub worded_number: bool,
    /// A packed number whose episode the brackets after it say again (`Show - 101 (01)`).
    pub packed_twice: bool,
    /// A sports event numbered in its season (`NFL.2024.Week.12`): no show's episode.
    pub event: bool,
    /// A show's special named after its year (`Show.2013.Christmas.Special`): the
    /// special's words, and the episode's title after them.
    pub dated_special: Option<(String, Option<String>)>,
    /// The episode's number follows a disc's (`Disc 2 - Episode 1`): a disc may count its
    /// episodes from one again.
    pub on_disc: bool,
}

/// Context for reading a file name.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameContext {
    /// The folders give a season: a bare number is an episode number.
    pub folder_season: Option<u32>,
    /// Shows are expected here: packed numbers (`102`) may be season + episode.
    pub episodic: bool,
    /// Films are expected here: a number ending a title is a sequel's (`Saga 10`).
    pub films: bool,
}

/// What each token is, once marks and tags are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Word,
    Weak,
    Tag,
    /// Part of mark number N.
    Mark(usize),
}

pub(super) struct Read<'a> {
    pub(super) name: &'a str,
    pub(super) t: Vec<Tok<'a>>,
    pub(super) roles: Vec<Role>,
    pub(super) marks: Vec<Found>,
}

impl<'a> Read<'a> {
    /// `in_season`: the name is a file's in a season's folder.
    pub(super) fn new(name: &'a str, in_season: bool) -> Self {
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
            // `H 264`, `x.265`: a codec written apart (a lone `X` is a title's: `Malcolm X`);
            // `VR.180`, a virtual reality video's field of view.
            if (matches!(t[k - 1].lower.as_str(), "h" | "x") && matches!(t[k].text, "264" | "265"))
                || (t[k - 1].lower == "vr" && matches!(t[k].text, "180" | "360"))
            {
                roles[k - 1] = Role::Tag;
                roles[k] = Role::Tag;
            }
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
        // `3D Kanojo`, `[Grp] 3D Kanojo - 01`: `3D` opening the words, before a word, is the
        // title's own (a release writes its 3D among the tags after the title).
        // So is `3D` between two of a fansub's title words (`[Grp] Little Queen 3D Paradise
        // Days 01`; a film's `Saw 3D The Final Chapter` keeps its 3D copy with the film).
        let first_word = t.iter().position(|x| x.group == 0);
        let fansub = t.first().is_some_and(|x| x.group != 0);
        for i in 0..t.len() {
            let between = fansub
                && i > 0
                && Some(i) != first_word
                && roles[i - 1] == Role::Word
                && t[i - 1].is_alpha()
                && t[i - 1].group == 0;
            if t[i].lower == "3d"
                && (Some(i) == first_word || between)
                && roles.get(i + 1) == Some(&Role::Word)
                && t[i + 1].is_alpha()
                && t[i + 1].group == 0
            {
                roles[i] = Role::Word;
            }
        }
        // `…x264-GRP`: the release group after the last tag is a tag too, and so it is
        // before a site's tag in brackets (`hdtv-grp[site]`).
        let outside = t.iter().rposition(|x| x.group == 0);
        if let Some(last) = outside.filter(|&k| t[k + 1..].iter().all(|x| x.group != 0))
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
        // So is a season before it that the mark contradicts: `Warehouse Series 13 -
        // S01E01`, `30 Series - S01E01` (a season named twice names the same one).
        if let Some(p) = sxx {
            let explicit: Vec<u32> = match &marks[p].mark {
                Mark::Episode { seasons, .. } => seasons.clone(),
                _ => Vec::new(),
            };
            let mut k = 0;
            marks.retain(|m| {
                k += 1;
                !(k - 1 < p
                    && match &m.mark {
                        Mark::Episode {
                            how: EpisodeMark::NxM,
                            ..
                        } => true,
                        Mark::Season(s) => {
                            !explicit.is_empty() && !s.iter().any(|s| explicit.contains(s))
                        }
                        _ => false,
                    })
            });
        }
        // (A saga's film says itself a film: a disc's source, or its year in brackets; a
        // broadcast's source says an episode.)
        let films_release = !broadcast_from(&t, 0)
            && (last_year.is_some_and(|y| t[y].group != 0)
                || t.iter()
                    .any(|x| words::film_source(&x.lower) && !x.lower.starts_with("web")));
        marks.retain(|m| {
            let before_year = last_year.is_some_and(|y| m.end <= y);
            // (`Show.Name.E02.2010`: a number glued to its letter is no word.)
            let worded = !t[m.start..m.end]
                .iter()
                .any(|x| x.text.bytes().any(|c| c.is_ascii_digit()))
                // (`Star.Wars.Episode.7.The.Force.Awakens.2015`: a saga's episode, its word
                // spelled out and one digit, then its film's name before the year.)
                || (films_release
                    && m.end == m.start + 2
                    && t[m.start].lower == "episode"
                    && t[m.start + 1].text.len() == 1
                    && t.get(m.end).is_some_and(|x| x.is_alpha() && x.group == 0));
            !(before_year
                && match &m.mark {
                    // (`Show.5of9.Episode.Title.1990`: counted out of a total, a
                    // miniseries' episode; a film's parts are not counted so.)
                    Mark::Part { of_total, .. } => !of_total,
                    Mark::Episode { how, .. } => *how == EpisodeMark::EpisodeOnly && worded,
                    _ => false,
                })
        });
        // `Season 02/03-04-05 - Title`: in a season's folder, consecutive numbers opening
        // the name are its episodes, not a date of a two-digit year.
        if in_season {
            let two = |k: usize| t[k].digits && t[k].text.len() == 2;
            let next = |a: usize| {
                t[a + 1]
                    .num()
                    .zip(t[a].num())
                    .is_some_and(|(b, a)| b == a + 1)
            };
            marks.retain(|m| {
                !(matches!(m.mark, Mark::Date(..))
                    && m.start == 0
                    && m.end == 3
                    && (0..3).all(two)
                    && next(0)
                    && next(1))
            });
        }
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

    pub(super) fn is_tag(&self, k: usize) -> bool {
        self.roles[k] == Role::Tag
    }

    /// Where a run of weak tags ending at `end` begins (`Show Name HD`, `- 03_DVD`), never
    /// before `floor + 1`: the words before `end` less the release's weak tags.
    pub(super) fn before_weak_tags(&self, floor: usize, end: usize) -> usize {
        let mut e = end.min(self.t.len());
        while e > floor + 1 && self.roles[e - 1] == Role::Weak {
            e -= 1;
        }
        e
    }
}

/// Reads one name.
pub(crate) fn read(name: &str, ctx: NameContext) -> NameFacts {
    // `[Grp] Show - １５８`, `Show 2×07`, `庆余年第二季`: numbers written as the marks read them.
    if !name.is_ascii()
        && let Some(plain) = spelled::plain_numbers(name)
    {
        return read(&plain, ctx);
    }
    let r = Read::new(name, ctx.folder_season.is_some());
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
        .any(|c| c.is_alphabetic() && !token::latin_letter(c));
    f.spaced_script = f.other_script
        && !name.contains(['/', '|', '\\'])
        && name.chars().all(|c| {
            !c.is_alphabetic() || token::latin_letter(c) || matches!(c, '\u{0370}'..='\u{052F}')
        });
    if brackets::read(&r, &mut f) {
        return f;
    }

    let (mut end, year_mark) = title_bounds(&r, name, start);
    set_year(&r, name, start, end, year_mark, &mut f);
    let mut first_mark_end = merge_marks(&r, &mut f);
    // `Show - 120 - Title, Part 2`: the number between dashes is the episode; a part
    // after it is its title's. So is `Show 123 - 001 - Ep 1 Name`'s, which says it twice.
    let demote = match f.mark {
        Some(EpisodeMark::Part) => (start + 1..end).any(|k| between_dashes(t, k)),
        Some(EpisodeMark::EpisodeOnly) => (start + 1..end)
            .any(|k| between_dashes(t, k) && t[k].num().is_some_and(|n| f.episodes == [n])),
        _ => false,
    };
    if demote && f.seasons.is_empty() {
        f.mark = None;
        f.episodes.clear();
        first_mark_end = None;
    }
    // `[Grp] Show S2 [05][1080p]`: a fansub's episode in a bracket of its own after the
    // season.
    if f.mark.is_none()
        && f.release_group_first
        && let ([_], Some(a)) = (&f.seasons[..], first_mark_end)
        && let Some(x) = t
            .get(a)
            .filter(|x| x.sep == Sep::Open && x.digits && (2..=3).contains(&x.text.len()))
        && t.get(a + 1).is_none_or(|y| y.group != x.group)
        && let Some(n) = x.num().filter(|n| *n > 0)
    {
        f.episodes = vec![n];
        f.mark = Some(EpisodeMark::NxM);
        first_mark_end = Some(a + 1);
    }
    // `[Grp] Show S2 OVA - 05`: a fansub's special right after the season's mark names a
    // special (numbered by the group), not a pack of the season.
    if f.mark.is_none()
        && (f.release_group_first || crc_anywhere(t))
        && let ([_], Some(a)) = (&f.seasons[..], first_mark_end)
        && let Some(number) = special_at(&r, a)
    {
        f.special = Some(number);
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
    if matches!(
        f.mark,
        Some(EpisodeMark::EpisodeOnly | EpisodeMark::Part | EpisodeMark::Absolute)
    ) && f.seasons.is_empty()
        && f.absolute.is_empty()
        && ctx.folder_season.is_none()
    {
        f.absolute = f.episodes.clone();
    }
    // A date that is also the year: not a release year.
    if f.air_date.is_some_and(|(y, _, _)| Some(y) == f.year) && year_mark.is_none() {
        f.year = None;
    }

    // `[Grp] Show - SP1`, `[Grp] Show - OVA 2`: a fansub's special.
    if f.mark.is_none() && f.seasons.is_empty() && end > start {
        fansub_special(&r, start, &mut end, &mut f);
    }
    // `[Grp] Show 3 [73]`, `[Grp] Show [852][2025.03.01]`: a fansub's episode in a
    // bracket of its own right after the title; the number before it is the title's, the
    // date after it the broadcast's (the number names the episode, not the date).
    // (Not a second count after the episode's own number, `- 52 (227)`.)
    if f.release_group_first
        && matches!(f.mark, None | Some(EpisodeMark::Date))
        && f.seasons.is_empty()
        && f.special.is_none()
        && f.year.is_none()
        && end > start
        && t.get(end).is_some_and(|x| x.group != 0 && x.digits)
        && !(t[end - 1].digits && t[end - 1].sep == Sep::Dash)
    {
        let date = f.mark.take();
        bracketed_episode(&r, end, ctx.folder_season, &mut f);
        if f.mark.is_none() {
            f.mark = date;
        } else {
            f.air_date = None;
        }
    }
    // `Show - 101 (01) - 20021107 - Title`: a number after the title's dash, before a
    // broadcast's date, names the episode; the date stays its air date.
    if f.mark == Some(EpisodeMark::Date)
        && f.seasons.is_empty()
        && f.special.is_none()
        && end > start + 1
        && t[end - 1].digits
        && t[end - 1].sep == Sep::Dash
    {
        let date = f.mark.take();
        trailing_number(&r, name, start, &mut end, ctx, &mut f);
        if f.mark.is_none() {
            f.mark = date;
        }
    }
    // No mark: what does a number at the end of the title mean?
    if f.mark.is_none() && f.seasons.is_empty() && f.special.is_none() && end > start {
        trailing_number(&r, name, start, &mut end, ctx, &mut f);
    }
    // `[Grp] Show vol.03`, `[Grp] Show - Vol.1`: a fansub's disc volume ends the show's
    // title (a film's own, `Kill Bill Vol. 1`, is its title's).
    if f.release_group_first
        && f.mark.is_none()
        && let Some(v) = (start + 1..end).find(|&k| {
            words::volume(&t[k].lower)
                && t.get(k + 1)
                    .is_some_and(|x| x.text.starts_with(|c: char| c.is_ascii_digit()))
        })
    {
        end = v;
    }
    if f.mark.is_none() && f.seasons.is_empty() && f.year.is_none() && end > start {
        bracketed_episode(&r, end, ctx.folder_season, &mut f);
        if f.mark.is_none() {
            number_after_tags(&r, end, &mut f);
        }
        if f.mark.is_none() {
            dashed_after_bracket(&r, end, &mut f);
        }
    }
    // `NFL.2024.Week.12`: a sports season's event, its year the season (review decides).
    if f.mark.is_none()
        && f.seasons.is_empty()
        && let (Some(m), Some(y)) = (year_mark, f.year)
        && let Some(n) = spelled::event_number(t, r.marks[m].end)
    {
        f.seasons = vec![y];
        f.episodes = vec![n];
        f.mark = Some(EpisodeMark::EpisodeOnly);
        f.year = None;
        f.event = true;
    }
    // Where a number after the year was read to: those numbers are explained.
    let mut read_after_year = 0;
    if f.mark.is_none()
        && f.seasons.is_empty()
        && let Some(m) = year_mark
    {
        read_after_year = number_after_year(&r, name, r.marks[m].end, &mut f);
        f.dated_special = dated_special(&r, r.marks[m].end);
    }

    if f.title.is_none() {
        country_suffix(&r, start, &mut end, &mut f);
        f.title = title_text(&r, name, start, end, year_mark, &mut f);
    }
    // `Chernobyl.2019.COMPLETE.MINISERIES.1080p`: a whole show's words after the title.
    f.series_pack |= f.mark.is_none()
        && f.seasons.is_empty()
        && (end..t.len()).any(|k| words::series_in_one(&t[k].lower));
    if f.title.is_none() && start > 0 {
        // `[SweetSub][Mutafukaz / MFKZ][Movie]`: the title is a group of words.
        f.title = group_title(&r, name);
    }
    arc_after_dash(&mut f);
    absolute_beside_mark(&r, start, end, &mut f);
    f.unexplained = (end.max(1).max(read_after_year)..t.len())
        .filter(|&k| {
            r.roles[k] == Role::Word
                && t[k].digits
                && t[k].group == 0
                && match r.roles[k - 1] {
                    // `S03E21.22`, `S01E15-11001001` may go on with an episode's mark;
                    // `s05e10 30` and `s02e03 - 012` are apart from it. After a season or a
                    // part (`S2 - 00~25`, `Part 1 - 13`) any number is a doubt.
                    Role::Mark(m) => {
                        !matches!(t[k].sep, Sep::Space | Sep::Dash)
                            || !matches!(
                                r.marks[m].mark,
                                Mark::Episode { how, .. } if how != EpisodeMark::Part
                            )
                    }
                    _ => false,
                }
        })
        .count() as u32;
    // `О мышах и людях (Of Mice and Men) 1992`: a title in another script, then the same
    // in Latin letters in brackets.
    if f.title.as_deref().is_some_and(|x| {
        !x.chars()
            .any(|c| c.is_alphabetic() && token::latin_letter(c))
    }) && t.get(end).is_some_and(|x| x.sep == Sep::Open)
    {
        let g = t[end].group;
        let e = (end..t.len()).find(|&k| t[k].group != g).unwrap_or(t.len());
        if e >= end + 2
            && (end..e).all(|k| {
                r.roles[k] == Role::Word
                    && t[k].is_alpha()
                    && t[k]
                        .text
                        .chars()
                        .all(|c| !c.is_alphabetic() || token::latin_letter(c))
            })
        {
            f.title = text(name, t, end, e);
        }
    }
    f.title = f
        .title
        .map(latin_alternatives)
        .map(aka_spelled)
        .map(without_ppv);

    if f.episode_title.is_none()
        && let Some(a) = first_mark_end
        && f.mark.is_some()
    {
        let a = absolute_after_mark(&r, a, &mut f);
        f.episode_title = episode_title(&r, name, a);
    }
    // `S3 - 12 END`: the mark of a series' last episode, not its title.
    if f.episode_title
        .as_deref()
        .is_some_and(|e| final_word(&e.to_lowercase()))
    {
        f.episode_title = None;
    }
    tail_facts(&r, name, start, end, &mut f);
    f
}

/// A show's country at the end of its title (`Shameless.US.S01E01`, `The Office (UK)
/// S01`): the country of that edition of the show, kept apart from the title so that the
/// catalog can name it `The Office (UK)` whichever way the release spelled it. Only for
/// episodes, and only after another word: `Us (2019)` is a movie's whole title.
fn country_suffix(r: &Read<'_>, start: usize, end: &mut usize, f: &mut NameFacts) {
    let episodic = f.mark.is_some() || !f.seasons.is_empty() || f.air_date.is_some();
    if !episodic || *end < start + 2 {
        return;
    }
    let t = &r.t;
    let k = *end - 1;
    let alone_in_brackets = t[k].group != 0 && t[k].group != t[k - 1].group;
    let upper = t[k].text.bytes().all(|c| c.is_ascii_uppercase());
    if !(alone_in_brackets || upper && t[k - 1].group == 0) {
        return;
    }
    if let Some(c) = words::country(&t[k].lower) {
        f.country = Some(c);
        *end = k;
    }
}

/// Where the title ends: at the first mark, tag or new bracket group (a country in
/// brackets, `The Office (US)`, and an `(aka …)` group are the title's own), and which year
/// mark, if any, is the release's. `Wonder Woman 1984 (2020)`, `Movie.von.1999.1990`: a
/// year followed by another is a title word; a year that opens the name is the title when a
/// mark follows it (`1923 S02E01`, `2012.(2008)`).
fn title_bounds(r: &Read<'_>, name: &str, start: usize) -> (usize, Option<usize>) {
    let t = &r.t;
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
            && t[k].text.bytes().all(|c| c.is_ascii_uppercase())
            && words::country(&t[k].lower).is_some()
    };
    let aka = |k: usize| {
        t[k].group != 0 && t[k].sep == Sep::Open && matches!(t[k].lower.as_str(), "aka" | "a.k.a")
    };
    // `Evangelion 3.0 You Can (Not) Redo`, `Show ga [Subtitle] Yatte Mita`: words in
    // brackets that the title's words go on after, with no dash, slash or number between,
    // are the title's own (not `Show (TV) OVA`, `Show (Minisodes) 01`, `Film (Actor) - FR`,
    // `Name (Other Name) / Third Name`).
    let worded = |k: usize| {
        let g = t[k].group;
        let a = (start..=k)
            .rev()
            .take_while(|&j| t[j].group == g)
            .last()
            .unwrap_or(k);
        let e = (k..t.len()).find(|&j| t[j].group != g).unwrap_or(t.len());
        g != 0
            && a > start
            && t[a].group != t[a - 1].group
            && (a..e).all(|j| r.roles[j] == Role::Word && !t[j].digits)
            && !brackets::type_word(&t[a..e])
            && !site(&t[a..e])
            && (a..e).all(|j| words::edition(&[t[j].lower.as_str()]).is_none())
            && t.get(e).is_some_and(|x| {
                x.group == 0
                    && r.roles[e] == Role::Word
                    && name.get(t[e - 1].end..x.start).is_some_and(|gap| {
                        gap.chars()
                            .all(|c| matches!(c, ')' | ']' | ' ' | '.' | '_'))
                    })
                    && x.text.chars().all(char::is_alphabetic)
                    && !brackets::type_word(std::slice::from_ref(x))
            })
    };
    let stops = |k: usize| -> bool {
        if country(k)
            || worded(k)
            || (k > start && aka(k))
            || (k > start && t[k].group == t[k - 1].group && t[k].group != 0 && aka_group(t, k))
        {
            return false;
        }
        // `Too Many Cooks | Adult Swim`: a video's title, then its channel (an episode's
        // mark after it says the words go on naming the show).
        matches!(r.roles[k], Role::Mark(_) | Role::Tag)
            || (k > start
                && t[k].sep == Sep::Other('|')
                && !r.roles[k..].iter().any(|x| matches!(x, Role::Mark(_))))
            || (k > start && t[k].group != g0 && t[k].group != 0)
            || (k > start && g0 != 0 && t[k].group != g0)
    };
    let mut end = (start..t.len()).find(|&k| stops(k)).unwrap_or(t.len());

    let mut year_mark: Option<usize> = None;
    while let Some(Role::Mark(m)) = r.roles.get(end).copied() {
        let Mark::Year(this) = r.marks[m].mark else {
            break;
        };
        let next = r.marks.get(m + 1);
        let next_is_year = next.is_some_and(|n| {
            // (`Los.Angeles.1982-1992.2017`: a span of years is the title's too; not the
            // same year said twice, `Interstellar.2014.2014.1080p`.)
            matches!(n.mark, Mark::Year(y) if y != this || end == start)
                && (n.start == r.marks[m].end || end == start)
        });
        // (`1999.NZ.2011.12.02.PDTV`: a year opening a show's name, the words after it
        // and then a date or an episode's mark; `2008 The Incredible Hulk` names a film.)
        let opens = end == start
            && (next.is_some_and(|n| n.start == end + 1 && !matches!(n.mark, Mark::Year(_)))
                || next.is_some_and(|n| {
                    matches!(n.mark, Mark::Date(..) | Mark::Episode { .. })
                        && (end + 1..n.start).all(|k| r.roles[k] == Role::Word && t[k].group == 0)
                })
                || t.get(end + 1)
                    .is_none_or(|x| r.is_tag(end + 1) || x.group != 0));
        if next_is_year || opens {
            end = ((end + 1)..t.len()).find(|&k| stops(k)).unwrap_or(t.len());
            continue;
        }
        year_mark = Some(m);
        break;
    }
    (end, year_mark)
}

/// The release's year: the year mark that ended the title (and, when it opens the name,
/// the words after it are the title: `2008 The Incredible Hulk`), else a year later in the
/// name that is not an episode title's.
fn set_year(
    r: &Read<'_>,
    name: &str,
    start: usize,
    end: usize,
    year_mark: Option<usize>,
    f: &mut NameFacts,
) {
    let t = &r.t;
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
        r.marks
            .iter()
            .find_map(|m| match m.mark {
                Mark::Year(y) if m.start > end && m.start < ep_start => Some(y),
                Mark::Year(y) if m.start > end && (t[m.start].group != 0 || release_year(m)) => {
                    Some(y)
                }
                _ => None,
            })
            // `Show S2 (2019) - 11`: the season's year inside its mark.
            .or_else(|| {
                (ep_start.saturating_add(1)..ep_end.min(t.len()))
                    .find(|&k| t[k].group != 0 && t[k].digits)
                    .and_then(|k| year_like(&t[k].lower))
            })
    } {
        // A year later in the name (in the tail, `(2016)`, `[2012, HEVC]`).
        f.year = Some(y);
    }
}

/// Episodes, seasons, dates and parts from the marks, in order; returns where the first
/// episode mark ends (the episode title follows it).
fn merge_marks(r: &Read<'_>, f: &mut NameFacts) -> Option<usize> {
    let mut first_mark_end = None;
    // The episodes were read from a disc's number (`Show - Disc 1 - Episode 3`).
    let mut from_disc = false;
    for m in &r.marks {
        match &m.mark {
            Mark::Episode {
                seasons,
                episodes,
                how,
            } => {
                // `Show 2016 02 25 S20E142`: the episode's number in its season names it
                // more closely than the day it aired (which is kept).
                if f.mark == Some(EpisodeMark::Date)
                    && !seasons.is_empty()
                    && matches!(how, EpisodeMark::SxxEyy | EpisodeMark::NxM)
                {
                    f.mark = None;
                }
                // `The.Final.Season.Part.3.S04E29`: a part before an explicit mark is the
                // title's (a season told in parts); the explicit mark names the episode.
                // So is a disc's number before the episode's word (`Disc 1 - Episode 3`).
                if f.mark == Some(EpisodeMark::Part)
                    && (how.is_explicit() || (from_disc && *how == EpisodeMark::EpisodeOnly))
                {
                    f.on_disc = from_disc && !how.is_explicit();
                    f.mark = None;
                    f.episodes.clear();
                    f.part_of_total = false;
                }
                if f.mark.is_none() {
                    f.mark = Some(*how);
                    first_mark_end = Some(m.end);
                    f.episodes = episodes.clone();
                    // `[Cap.412]`, `[Cap.1004]`: Spanish releases' abbreviation packs the
                    // season's digits before the episode's, as `Temporada 4 … Cap.412`
                    // shows. A season word that names another season (`Temporada 2 …
                    // Cap.1901`) does not make it episode 1901: the chapter's digits say
                    // more.
                    let packed_cap = r.t[m.start].lower == "cap"
                        && seasons.is_empty()
                        && f.seasons
                            .iter()
                            .all(|s| episodes.iter().all(|e| e / 100 != *s))
                        && r.t
                            .get(m.start + 1)
                            .is_some_and(|x| matches!(x.text.len(), 3 | 4))
                        && episodes
                            .iter()
                            .all(|e| *e >= 100 && (1..=40).contains(&(e % 100)));
                    if packed_cap {
                        f.mark = Some(EpisodeMark::Packed);
                        f.seasons = vec![episodes[0] / 100];
                        f.episodes = episodes
                            .iter()
                            .filter(|e| **e / 100 == episodes[0] / 100)
                            .map(|e| e % 100)
                            .collect();
                    } else if f.seasons.is_empty() {
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
                    // `S01E01 … S01E03`: the same season, more episodes; not an earlier one
                    // (`S03E13v2 (S03E12 Part 2)` names the same episode as numbered
                    // elsewhere).
                    for e in episodes {
                        if f.episodes.iter().all(|x| x < e) {
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
            Mark::Part {
                parts: p,
                of_total,
                film_disc,
                disc,
            } => {
                if f.part.is_none() {
                    f.part = p.first().copied();
                    // A seasonless show's parts are its episodes (`Show part 1 to 3`); a
                    // season pack's part is its episode (`Season.3.Part.IV`).
                    // (`Planet.Earth.5of11.Deserts.2006`: counted out of a total before the
                    // year, a miniseries' episode; after it, `Kaze (2031) 1 of 2`, a film's
                    // half.)
                    let counted = *of_total
                        && r.marks
                            .iter()
                            .any(|y| matches!(y.mark, Mark::Year(_)) && y.start >= m.end);
                    // (`Miniseries 2012 Part 1 720p HDTV`: a broadcast's part is its episode.)
                    let broadcast = broadcast_from(&r.t, 0);
                    // (`Movie Name cd1.avi`: a film split over CDs; a CD is no episode.)
                    if f.mark.is_none()
                        && !film_disc
                        && (f.year.is_none() || !f.seasons.is_empty() || counted || broadcast)
                    {
                        f.episodes = p.clone();
                        f.mark = Some(EpisodeMark::Part);
                        first_mark_end.get_or_insert(m.end);
                        f.part_of_total = *of_total;
                        from_disc = *disc;
                    }
                }
            }
            Mark::Year(_) => {}
        }
    }
    first_mark_end
}

/// The title's text between `start` and `end`, less an edition that ends it, weak tags at
/// its end (except a word before the year: `The.Good.German.2006`) and a pack's words
/// (`The Complete Season 3`).
fn title_text(
    r: &Read<'_>,
    name: &str,
    start: usize,
    end: usize,
    year_mark: Option<usize>,
    f: &mut NameFacts,
) -> Option<String> {
    let t = &r.t;
    let mut e = end;
    let lower: Vec<&str> = t.iter().map(|x| x.lower.as_str()).collect();
    // `Before Sunset - www.example.org`: a web site after the title's dash.
    if let Some(d) = (start + 1..e).rev().find(|&d| t[d].sep == Sep::Dash)
        && site(&t[d..e])
    {
        e = d;
    }
    // `UNRATED movie 2008`: an edition in capitals before the words of a name that is not
    // all capitals is the release's (`Extended Family` is a title).
    let mut start = start;
    if let Some((ed, n)) = words::edition(&lower[start..e])
        && start + n < e
        && t[start].text.bytes().all(|c| !c.is_ascii_lowercase())
        && t[start + n..e]
            .iter()
            .any(|x| x.text.bytes().any(|c| c.is_ascii_lowercase()))
    {
        f.edition = Some(ed);
        start += n;
    }
    // An edition ends the title (`World.Movie.Z.EXTENDED.2013`, `Movie Extended Cut
    // German 720p`), when only tags follow it.
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
    // Unless the title speaks that language itself (`Der.Film.deines.Lebens.German.2011`):
    // then the word says the release's language.
    let before_year = year_mark.is_some_and(|m| r.marks[m].start == end)
        && !(end > start + 1 && words::title_in_language(&lower[start..end - 1], lower[end - 1]));
    // Nor right before an episode's mark: a release writes its tags after the mark, so the
    // word before it is the show's (`The.English.S01E01`, `Shes.Gotta.Have.It.S01E08`);
    // only a pack's `Complete` and a tag in capitals (`Title ESP T01xE08`) come before it.
    // (`[Grp]_Bokura_ga_Ita_01_[DVD]`: so is the word before an episode's bare number.)
    let before_episode = r
        .marks
        .iter()
        .any(|m| m.start == end && matches!(m.mark, Mark::Episode { .. }))
        || (f.mark.is_some() && t.get(end).is_some_and(|x| x.digits));
    // So are a pack's words (`The Complete Season 3`, `Skins Season S01-S07`).
    let pack_word = |w: &str| {
        words::whole_series(w)
            || matches!(w, "full" | "season" | "seasons" | "saison" | "temporada")
            || words::films_by_number(w)
    };
    let mut dropped_pack = false;
    // `Star Trek DS9 Ep 2x03`: the word for an episode before its mark is no title's.
    if before_episode && e == end && e > start + 1 && spelled::is_episode_word(lower[e - 1]) {
        e -= 1;
    }
    while e > start + 1 {
        let w = t[e - 1].lower.as_str();
        let weak = r.roles[e - 1] == Role::Weak
            && !(before_year && e == end)
            && !(before_episode
                && e == end
                && w != "complete"
                && t[e - 1].text.bytes().any(|c| c.is_ascii_lowercase()));
        // `Naruto Collection [1080p]`, a box of films; not `The Collection`, and not a
        // show's name (`[Grp] Ninja Collection - 05`).
        let collection = w == "collection"
            && f.mark.is_none()
            && f.seasons.is_empty()
            && e >= 2
            && !matches!(t[e - 2].lower.as_str(), "the" | "a" | "an");
        // (`The Final Season`, `The Last Season`: an anime's name for its last part, a title.)
        let named_season = matches!(w, "season" | "saison" | "temporada")
            && e >= 2
            && matches!(t[e - 2].lower.as_str(), "final" | "last" | "finale");
        let pack = (pack_word(w) && !named_season)
            || collection
            || (w == "series" && e >= 2 && pack_word(&t[e - 2].lower));
        let the = w == "the" && dropped_pack;
        if !(weak || pack || the) {
            break;
        }
        dropped_pack |= pack || (weak && w == "complete");
        // `Show.Name.COMPLETE.SERIES`: a whole show in one name.
        f.series_pack |= (w == "series" && pack) || words::series_in_one(w);
        e -= 1;
    }
    text(name, t, start, e)
}

/// The words after the episode mark, up to the first tag, mark or bracket.
fn episode_title(r: &Read<'_>, name: &str, a: usize) -> Option<String> {
    let t = &r.t;
    let a = (a..t.len()).find(|&j| t[j].group == 0 || t[j].sep != Sep::Open)?;
    if t.get(a)?.group != 0 || r.roles[a] != Role::Word {
        return None;
    }
    let b = (a..t.len())
        .find(|&j| matches!(r.roles[j], Role::Tag | Role::Mark(_)) || t[j].group != 0)
        .unwrap_or(t.len());
    let b = r.before_weak_tags(a, b);
    // A release group's `-GRP` is no episode title, nor is `-GRP[site]`.
    let hyphen = t[a].sep == Sep::Hyphen || after_hyphen(name, &t[a]);
    if (b..t.len()).all(|j| t[j].group != 0) && b - a == 1 && hyphen {
        return None;
    }
    text(name, t, a, b).filter(|s| s.chars().any(char::is_alphabetic))
}

/// A hyphen right before the token (`x264-GRP`, `(720p)-GRP`, `(1995)-trailer`), whatever
/// its separator says (after a bracket, `Close`).
fn after_hyphen(name: &str, x: &Tok<'_>) -> bool {
    name[..x.start].ends_with('-')
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

/// `[Grp] Show - Arc Name - 05`: a fansub names the show, then the arc (a season, or a
/// series of its own) after a dash, then the arc's episode. The show is the title; the
/// arc's words are kept as the episode's title, and the dash's doubt stays (which season
/// an arc's 05 is, a person says).
fn arc_after_dash(f: &mut NameFacts) {
    if !(f.release_group_first && f.mark == Some(EpisodeMark::Absolute) && f.seasons.is_empty()) {
        return;
    }
    let Some((show, arc)) = f.title.as_deref().and_then(|t| t.split_once(" - ")) else {
        return;
    };
    let (show, arc) = (show.trim(), arc.trim());
    if show.is_empty() || arc.is_empty() || !arc.chars().any(char::is_alphabetic) {
        return;
    }
    if f.episode_title.is_none() {
        f.episode_title = Some(arc.to_owned());
    }
    f.arc = f.title.replace(show.to_owned());
}

/// `Downton.Abbey.2013.Christmas.Special.HDTV`, `Show 2005 50th Anniversary Special The
/// Day`, `Title.2014.Special`: a special's word after the year, alone or after an
/// occasion's (or an ordinal's, `50th`), names a show's special (broadcast that year), not a
/// film. Returns the special's words and the episode's title after them.
fn dated_special(r: &Read<'_>, from: usize) -> Option<(String, Option<String>)> {
    let t = &r.t;
    let end = (from..t.len())
        .find(|&k| r.roles[k] != Role::Word || t[k].group != 0)
        .unwrap_or(t.len());
    let k = (from..end.min(from + 4))
        .find(|&k| matches!(t[k].lower.as_str(), "special" | "specials"))?;
    let occasion = |l: &str| words::occasion(l) || tags::ordinal(l).is_some();
    (from..k).all(|j| occasion(&t[j].lower)).then_some(())?;
    // (`Special.Edition`, `Special.Features`: a film's; `2010.Special.Forces`: its title's
    // words go on. A special without its occasion ends the words.)
    let next = t.get(k + 1).filter(|_| k + 1 < end);
    if next.is_some_and(|n| {
        (k == from && t[k].lower == "special")
            || matches!(
                n.lower.as_str(),
                "edition" | "edn" | "cut" | "version" | "features" | "feature"
            )
    }) {
        return None;
    }
    Some((text_of(r, from, k + 1)?, text_of(r, k + 1, end)))
}

/// A broadcast's source (`HDTV`, `PDTV`, `DSR`) among the tokens from `from` on: a television
/// release's.
pub(super) fn broadcast_from(t: &[Tok<'_>], from: usize) -> bool {
    t.get(from..)
        .is_some_and(|rest| rest.iter().any(|x| words::tv_source(&x.lower)))
}

/// `[Grp] Show - SP1`, `[Grp] Show - Special 02`, `[Grp] Show - OVA`: in a fansub release,
/// a special's word right after the title's dash (outside brackets) names a special, not an
/// episode or a film; the title ends at the dash.
fn fansub_special(r: &Read<'_>, start: usize, end: &mut usize, f: &mut NameFacts) {
    let t = &r.t;
    if !(f.release_group_first || crc_anywhere(t)) {
        return;
    }
    for (k, x) in t.iter().enumerate().skip(start + 1) {
        if x.group != 0 {
            return;
        }
        // (`[Grp] Show OVA v2 [540p]`: an OVA's word in capitals needs no dash.)
        let capitals =
            words::anime_special(&x.lower) && x.text.bytes().all(|c| c.is_ascii_uppercase());
        if x.sep != Sep::Dash && !(capitals && k > start + 1) {
            continue;
        }
        if let Some(number) = special_at(r, k) {
            f.special = Some(number);
            *end = k;
            return;
        }
    }
}

/// The special a fansub's word at `k` names (`SP1`, `Special 02`, `OVA`, outside brackets),
/// with its number when it has one; only tags, brackets or another dash after it (`- Special
/// Ops - 05` is an arc).
fn special_at(r: &Read<'_>, k: usize) -> Option<Option<u32>> {
    let t = &r.t;
    let x = t.get(k).filter(|x| x.group == 0)?;
    let glued = x
        .lower
        .strip_prefix("sp")
        .filter(|d| !d.is_empty() && d.len() <= 2 && d.bytes().all(|c| c.is_ascii_digit()))
        .and_then(|d| d.parse::<u32>().ok());
    let word = matches!(x.lower.as_str(), "sp" | "special") || words::anime_special(&x.lower);
    if glued.is_none() && !word {
        return None;
    }
    let number = glued.or_else(|| {
        t.get(k + 1)
            .filter(|n| n.digits && n.text.len() <= 2 && n.group == 0)
            .and_then(Tok::num)
    });
    let after = k + 1 + usize::from(glued.is_none() && number.is_some());
    t.get(after)
        .is_none_or(|n| n.group != 0 || n.sep == Sep::Dash || r.roles[after] == Role::Tag)
        .then_some(number)
}

/// `[Grp] Show - OP02 [BD]`, `Show_OP4a_(…)_[CRC]`, `Show_ED2v2_Clean`, `Show Creditless
/// OP5`: an anime's opening or ending theme, cut from its disc: an extra, not an episode.
/// In a fansub's release only (or after `Creditless`), and numbered or set off by a dash
/// (`Mister Ed` is a title).
fn opening_or_ending(t: &[Tok<'_>], k: usize, fansub: bool) -> bool {
    let x = &t[k];
    // `[Grp] Show - Clean Ending`
    if matches!(x.lower.as_str(), "opening" | "ending")
        && matches!(t[k - 1].lower.as_str(), "clean" | "creditless")
    {
        return true;
    }
    let l = x.lower.strip_prefix("nc").unwrap_or(&x.lower);
    let Some(rest) = l.strip_prefix("op").or_else(|| l.strip_prefix("ed")) else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let mut tail = &rest[digits..];
    // `OP4a`: the opening's variant.
    if digits > 0 && tail.len() == 1 && tail.bytes().all(|c| c.is_ascii_lowercase()) {
        tail = "";
    }
    // `ED2v2`: its version.
    let tail = tail
        .strip_prefix('v')
        .filter(|v| !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()))
        .map_or(tail, |_| "");
    let after_creditless = t[k - 1].lower == "creditless";
    tail.is_empty()
        && (fansub || after_creditless)
        && (digits > 0 || x.sep == Sep::Dash || after_creditless)
}

/// A show's folder named with the arc (`Show - Arc/[Grp] Show - Arc - 05`): the arc is the
/// show's own name in this library.
pub(super) fn arc_is_the_show(f: &mut NameFacts, folder: Option<&NameFacts>) {
    let Some(whole) = f.arc.take() else { return };
    let named = folder
        .and_then(|x| x.title.as_deref())
        .is_some_and(|t| super::normalise_title(t) == super::normalise_title(&whole));
    if !named {
        f.arc = Some(whole);
        return;
    }
    if let Some((_, arc)) = whole.split_once(" - ")
        && f.episode_title.as_deref() == Some(arc.trim())
    {
        f.episode_title = None;
    }
    f.title = Some(whole);
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
    let tag = |k: usize, is: fn(&str) -> bool| r.roles[k] == Role::Tag && is(&t[k].lower);
    f.tv_source = (title_end..t.len()).any(|k| tag(k, words::tv_source));
    // `BD`, `WEB`, `TS` are weak tags: a film's source all the same in the title's tail
    // (`Show.Name.BD.720p`, whose title ends before `BD`).
    let tail = r.before_weak_tags(start, title_end);
    let tagged = |k: usize| matches!(r.roles[k], Role::Weak | Role::Tag);
    f.film_source = (tail..t.len()).any(|k| tagged(k) && words::film_source(&t[k].lower));
    f.video_tagged = (title_end..t.len()).any(|k| tag(k, words::video_tag));
    let pack = lower
        .iter()
        .any(|w| words::whole_series(w) || words::box_of_films(w) || *w == "series");
    f.sound_or_picture = !pack
        && (title_end..t.len()).any(|k| {
            tagged(k)
                && (tags::audio_codec(&t[k].lower)
                    || words::dub_language(&t[k].lower)
                    || words::hdr(&t[k].lower))
        });
    f.film_release = f.film_source
        && !pack
        && (tail..t.len()).any(|k| tagged(k) && words::encoding(&t[k].lower));
    // Among the release's tags (after the first), and not its group (`hdtv-abc`).
    let first_tag = (title_end..t.len()).find(|&k| r.roles[k] == Role::Tag);
    f.broadcast = first_tag.is_some_and(|a| {
        (a + 1..t.len()).any(|k| {
            t[k].group == 0
                && words::tv_network(&t[k].lower)
                && !(k + 1 == t.len() && t[k].sep == Sep::Hyphen)
        })
    });
    let hyphen_before = |x: &Tok<'_>| after_hyphen(name, x);
    let strong = |x: &str| {
        matches!(
            x,
            "trailer" | "sample" | "featurette" | "behindthescenes" | "deleted" | "deletedscene"
        )
    };
    // After a release's tags, `-Scene` or `-Other` is its group (`x264-Scene`); a trailer or
    // a sample is named so there too (`Film.2010.1080p-trailer`).
    let after_tag = t.len() > 1 && r.roles[t.len() - 2] == Role::Tag;
    let fansub = f.release_group_first || crc_anywhere(t);
    if let Some(last) = t.last()
        && let Some(x) = words::extra_suffix(&last.lower).or_else(|| {
            // (`Heat (1995)-trailer2`: a film's second trailer.)
            words::numbered_extra_suffix(&last.lower).filter(|_| hyphen_before(last))
        })
        && (t.len() == 1
            || (hyphen_before(last) && (strong(x) || !after_tag))
            || (strong(x) && title_end < t.len() - 1))
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
    } else if let Some(k) = (start + 1..t.len()).find(|&k| {
        // `[Group] Show - NCOP 01`, `- PV 02`: a disc's creditless opening, a promotional
        // video, a commercial, a menu: a show's extras, not its episodes.
        let x = &t[k];
        let bare = x.lower.trim_end_matches(|c: char| c.is_ascii_digit());
        x.group == 0
            && (words::creditless(bare)
                || (f.release_group_first
                    && x.sep == Sep::Dash
                    && matches!(bare, "pv" | "cm" | "menu"))
                || opening_or_ending(t, k, fansub))
    }) {
        f.extra = Some("other");
        // The show's title is what comes before it (and before `Creditless`, `Clean`, or
        // the OVA it opens: `Show - OVA NCOP`).
        let mut k = k;
        if k > start + 1
            && (matches!(t[k - 1].lower.as_str(), "creditless" | "clean")
                || words::anime_special(&t[k - 1].lower))
        {
            k -= 1;
        }
        if k < title_end {
            f.title = text(name, t, start, k);
        }
    } else if f.mark.is_none()
        && f.seasons.is_empty()
        && let Some(k) = (start + 1..t.len())
            .rev()
            .find(|&k| t[k].sep == Sep::Dash && t[k].group == 0)
        && let Some(x) = dashed_extra(t, k)
    {
        // `Show - Behind the Scenes (2016)`, `Film - Official Trailer 2`: the last dashed
        // part says what kind of extra the title's video is.
        f.extra = Some(x);
        f.title = text(name, t, start, k);
    }
}

/// The extra a name's last dashed part, from token `k`, names in words as an extras folder
/// does (`Behind the Scenes`, `Making Of`, `Deleted Scenes`, `Bloopers`), or a trailer
/// (`Official Trailer 2`), before only a number, a year or bracketed tags.
fn dashed_extra(t: &[Tok<'_>], k: usize) -> Option<&'static str> {
    let e = (k..t.len())
        .find(|&j| t[j].group != 0 || t[j].digits)
        .unwrap_or(t.len());
    if !(e..t.len()).all(|j| t[j].group != 0 || t[j].digits) {
        return None;
    }
    let phrase = t[k..e]
        .iter()
        .map(|x| x.lower.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // (Words an episode's title is as often: `Other`, `Scenes`, `Shorts`, `Clips`, `Extras`.)
    let plain = matches!(
        phrase.as_str(),
        "other" | "others" | "scenes" | "shorts" | "short" | "clips" | "clip" | "extras" | "extra"
    );
    if phrase.ends_with("trailer") || phrase == "teaser" {
        return Some("trailer");
    }
    words::extra_folder(&phrase).filter(|_| !plain)
}
