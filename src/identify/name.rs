//! One name (a file's stem or a folder's name) → the facts it states: title, year, season and
//! episode marks, air date, absolute number, episode title, part, edition, provider ids.
//! Folders and the collection's kind are weighed in `super`; this module reads one name.

use std::borrow::Cow;

use super::words;

/// Years past this are title words ("Blade Runner 2049"), not release years.
pub const MAX_YEAR: u32 = 2035;
pub const MIN_YEAR: u32 = 1890;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    /// A ` - ` separating fields.
    Dash,
    /// A bracketed group: `[...]`, `(...)` or `{...}`; `text` is its content.
    Group(char),
}

#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub text: Cow<'a, str>,
    pub lower: String,
    pub kind: TokKind,
}

impl<'a> Tok<'a> {
    fn word(text: Cow<'a, str>) -> Self {
        let lower = text.to_lowercase();
        Tok {
            text,
            lower,
            kind: TokKind::Word,
        }
    }
}

/// How an episode was marked, strongest first; it decides the confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpisodeMark {
    /// `S01E02`, `s1e2`, `S01.E02`, `S01E01-E03`
    SxxEyy,
    /// `Season 1 Episode 2`
    Words,
    /// `1x02`, `1x01-1x02`
    NxM,
    /// `2024-01-31`, `31.01.2024`
    Date,
    /// `E05`, `Ep 05`, `Episode 5` (season from the folder)
    EpisodeOnly,
    /// ` - 012`, `[Group] Show 012` (anime absolute numbering)
    Absolute,
    /// a bare number in a season folder: `01 - Pilot`
    BareNumber,
    /// `102`, `1002` meaning season 1 episode 2, season 10 episode 2
    Packed,
}

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
}

/// Context for reading a file name.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameContext {
    /// The folders give a season: a bare number is an episode number.
    pub folder_season: Option<u32>,
    /// Shows are expected here: packed numbers (`102`) may be season + episode.
    pub episodic: bool,
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn num(s: &str) -> Option<u32> {
    if is_digits(s) && s.len() <= 4 {
        s.parse().ok()
    } else {
        None
    }
}

pub fn year_like(s: &str) -> Option<u32> {
    if s.len() == 4 {
        num(s).filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
    } else {
        None
    }
}

fn is_hex8(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Splits a word on dots, keeping acronyms (`S.H.I.E.L.D.`), abbreviations (`Mr.`) and
/// decimals that are one token (`5.1`, `H.264`, `DD5.1`).
fn split_dots<'a>(w: &'a str, out: &mut Vec<Tok<'a>>) {
    if !w.contains('.') {
        out.push(Tok::word(Cow::Borrowed(w)));
        return;
    }
    let parts: Vec<&str> = w.split('.').collect();
    // An abbreviation: one dot, at the end.
    if parts.len() == 2 && parts[1].is_empty() && !parts[0].is_empty() {
        let lower = parts[0].to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "mr" | "mrs" | "ms" | "dr" | "st" | "jr" | "sr" | "vs" | "vol" | "no" | "pt" | "ep"
        ) {
            out.push(Tok::word(Cow::Borrowed(w)));
            return;
        }
    }
    let mut i = 0;
    while i < parts.len() {
        let p = parts[i];
        // Acronym: two or more single letters in a row.
        let single = |s: &str| s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphabetic());
        if single(p) {
            let mut j = i;
            while j < parts.len() && single(parts[j]) {
                j += 1;
            }
            if j - i >= 2 {
                let mut s = parts[i..j].join(".");
                s.push('.');
                out.push(Tok::word(Cow::Owned(s)));
                i = j;
                continue;
            }
        }
        // Decimal release tokens.
        if i + 1 < parts.len() {
            let joined_lower = format!("{}.{}", p, parts[i + 1]).to_ascii_lowercase();
            let is_decimal = matches!(
                joined_lower.as_str(),
                "5.1"
                    | "7.1"
                    | "2.0"
                    | "1.0"
                    | "h.264"
                    | "h.265"
                    | "dd5.1"
                    | "ddp5.1"
                    | "ddp2.0"
                    | "dd2.0"
                    | "ddp7.1"
                    | "aac2.0"
                    | "aac5.1"
                    | "dd+5.1"
                    | "dts5.1"
                    | "23.976"
                    | "29.97"
            );
            if is_decimal {
                out.push(Tok::word(Cow::Owned(format!("{}.{}", p, parts[i + 1]))));
                i += 2;
                continue;
            }
        }
        if !p.is_empty() {
            out.push(Tok::word(Cow::Borrowed(p)));
        }
        i += 1;
    }
}

/// Splits a plain stretch of text into words and dashes.
fn split_text<'a>(text: &'a str, out: &mut Vec<Tok<'a>>) {
    for raw in text.split(|c: char| c.is_whitespace() || c == '_') {
        if raw.is_empty() {
            continue;
        }
        if raw
            .chars()
            .all(|c| c == '-' || c == '–' || c == '—' || c == '~')
        {
            out.push(Tok {
                text: Cow::Borrowed(raw),
                lower: String::new(),
                kind: TokKind::Dash,
            });
            continue;
        }
        split_dots(raw, out);
    }
}

/// Tokenizes a name: bracket groups become one token each, the rest words and dashes.
pub(crate) fn tokenize(name: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::with_capacity(16);
    let mut rest = name;
    while let Some(pos) = rest.find(['[', '(', '{']) {
        let open = rest[pos..].chars().next().unwrap_or('[');
        let close = match open {
            '[' => ']',
            '(' => ')',
            _ => '}',
        };
        split_text(&rest[..pos], &mut out);
        let after = &rest[pos + 1..];
        match after.find(close) {
            Some(end) => {
                let inner = after[..end].trim();
                out.push(Tok {
                    text: Cow::Borrowed(inner),
                    lower: inner.to_lowercase(),
                    kind: TokKind::Group(open),
                });
                rest = &after[end + 1..];
            }
            None => {
                // An unclosed bracket is just text.
                split_text(after, &mut out);
                rest = "";
            }
        }
    }
    split_text(rest, &mut out);
    out
}

/// `S01E02`, `S01E01E02`, `S01E01-E03`, `S01E01-03`, `S1-S3`, `S01` → (seasons, episodes).
fn parse_se(lower: &str) -> Option<(Vec<u32>, Vec<u32>)> {
    let b = lower.as_bytes();
    if b.first() != Some(&b's') {
        return None;
    }
    let mut i = 1;
    let digits = |i: &mut usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == start || *i - start > 4 {
            return None;
        }
        lower[start..*i].parse().ok()
    };
    let season = digits(&mut i)?;
    let mut seasons = vec![season];
    let mut episodes = Vec::new();
    // Multi-season pack: S01-S03
    if i < b.len() && b[i] == b'-' && b.get(i + 1) == Some(&b's') {
        let mut j = i + 2;
        let end = digits(&mut j)?;
        if j == b.len() && end > season && end - season < 50 {
            seasons = (season..=end).collect();
            return Some((seasons, episodes));
        }
        return None;
    }
    if i == b.len() {
        return Some((seasons, episodes));
    }
    // Separators allowed between season and episode inside one token: S01_E02 / S01-E02.
    if matches!(b[i], b'-' | b'_' | b'.') && b.get(i + 1) == Some(&b'e') {
        i += 1;
    }
    if b[i] != b'e' {
        return None;
    }
    loop {
        // at 'e'
        i += 1;
        if b.get(i) == Some(&b'p') {
            i += 1;
        }
        let e = digits(&mut i)?;
        episodes.push(e);
        if i == b.len() {
            break;
        }
        match b[i] {
            b'e' => continue,
            b'-' => {
                i += 1;
                // "-S01E02": the same season again
                if b.get(i) == Some(&b's') {
                    i += 1;
                    if digits(&mut i)? != season || b.get(i) != Some(&b'e') {
                        return None;
                    }
                }
                if b.get(i) == Some(&b'e') {
                    i += 1;
                }
                let end = digits(&mut i)?;
                if end > e && end - e < 100 {
                    episodes.extend(e + 1..=end);
                } else {
                    return None;
                }
                if i == b.len() {
                    break;
                }
                if b[i] == b'e' {
                    continue;
                }
                return None;
            }
            _ => return None,
        }
    }
    seasons.dedup();
    Some((seasons, episodes))
}

/// `1x02`, `1x01x02`, `1x01-1x02`, `1x01-02` → (season, episodes). Rejects `1920x1080`.
fn parse_nx(lower: &str) -> Option<(u32, Vec<u32>)> {
    let (s, rest) = lower.split_once('x')?;
    if s.is_empty() || s.len() > 2 || !is_digits(s) {
        return None;
    }
    let season: u32 = s.parse().ok()?;
    let mut episodes = Vec::new();
    for (k, piece) in rest.split('-').enumerate() {
        let piece = if k > 0 {
            match piece.split_once('x') {
                Some((s2, e)) if s2 == s || s2.parse::<u32>().ok() == Some(season) => e,
                Some(_) => return None,
                None => piece,
            }
        } else {
            piece
        };
        for (m, e) in piece.split('x').enumerate() {
            if e.len() < 2 && !(k > 0 || m > 0) || e.len() > 3 || !is_digits(e) {
                if e.len() == 1 && is_digits(e) && (k > 0 || m > 0) {
                    // 1x01-2 is fine
                } else {
                    return None;
                }
            }
            let n: u32 = e.parse().ok()?;
            if k > 0 && m == 0 {
                let first = *episodes.first()?;
                if n <= first || n - first > 100 {
                    return None;
                }
                let last = *episodes.last()?;
                episodes.extend(last + 1..=n);
            } else {
                episodes.push(n);
            }
        }
    }
    episodes.dedup();
    Some((season, episodes))
}

/// `E05`, `Ep05`, `EP.05` glued into one token.
fn parse_e(lower: &str) -> Option<Vec<u32>> {
    let rest = lower
        .strip_prefix("ep")
        .or_else(|| lower.strip_prefix('e'))?;
    let (a, b) = match rest.split_once('-') {
        Some((a, b)) => (a, Some(b.strip_prefix('e').unwrap_or(b))),
        None => (rest, None),
    };
    let first = num(a).filter(|_| a.len() <= 3)?;
    match b {
        None => Some(vec![first]),
        Some(b) => {
            let end = num(b)?;
            (end > first && end - first < 100).then(|| (first..=end).collect())
        }
    }
}

/// A number with an optional version: `012`, `01v2`.
fn num_version(lower: &str) -> Option<(u32, Option<u32>)> {
    match lower.split_once('v') {
        Some((n, v)) => Some((num(n)?, Some(num(v)?))),
        None => Some((num(lower)?, None)),
    }
}

/// `cd1`, `part2`, `pt3`, `disc1`, `disk2`.
fn glued_part(lower: &str) -> Option<u32> {
    for p in ["cd", "part", "pt", "disc", "disk", "dvd"] {
        if let Some(n) = lower
            .strip_prefix(p)
            .and_then(num)
            .filter(|n| (1..=20).contains(n))
        {
            return Some(n);
        }
    }
    None
}

fn is_part_word(lower: &str) -> bool {
    matches!(lower, "cd" | "part" | "pt" | "pt." | "disc" | "disk")
}

/// A provider id in a group: `tmdbid-123`, `tmdb=123`, `imdbid-tt0123456`, `tvdb-79168`, `tt0123456`.
fn provider_id(lower: &str) -> Option<(&'static str, String)> {
    for (key, name) in [
        ("tmdbid", "tmdb"),
        ("tmdb", "tmdb"),
        ("imdbid", "imdb"),
        ("imdb", "imdb"),
        ("tvdbid", "tvdb"),
        ("tvdb", "tvdb"),
    ] {
        if let Some(rest) = lower.strip_prefix(key) {
            let v = rest.trim_start_matches(['-', '=', ':', ' ']);
            if v.len() < rest.len() && !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Some((name, v.to_string()));
            }
        }
    }
    if let Some(d) = lower.strip_prefix("tt")
        && d.len() >= 7
        && is_digits(d)
    {
        return Some(("imdb", lower.to_string()));
    }
    None
}

/// A date spread over tokens `i..`: `2024 01 31`, `31 01 2024`, or one token `2024-01-31`.
fn date_at(toks: &[Tok<'_>], i: usize) -> Option<((u32, u32, u32), usize)> {
    let valid = |y: u32, m: u32, d: u32| {
        (1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
    };
    let t = &toks[i];
    if t.kind != TokKind::Word {
        return None;
    }
    let p: Vec<&str> = t.lower.split('-').collect();
    if p.len() == 3 && p.iter().all(|x| is_digits(x)) {
        let (a, b, c) = (num(p[0])?, num(p[1])?, num(p[2])?);
        if p[0].len() == 4 && p[1].len() == 2 && p[2].len() == 2 && valid(a, b, c) {
            return Some(((a, b, c), 1));
        }
        if p[2].len() == 4 && p[0].len() == 2 && p[1].len() == 2 && valid(c, b, a) {
            return Some(((c, b, a), 1));
        }
    }
    if i + 2 < toks.len() && toks[i + 1].kind == TokKind::Word && toks[i + 2].kind == TokKind::Word
    {
        let (x, y, z) = (&t.lower, &toks[i + 1].lower, &toks[i + 2].lower);
        if x.len() == 4 && y.len() == 2 && z.len() == 2 {
            let (a, b, c) = (num(x)?, num(y)?, num(z)?);
            if valid(a, b, c) {
                return Some(((a, b, c), 3));
            }
        }
        if x.len() == 2 && y.len() == 2 && z.len() == 4 {
            let (a, b, c) = (num(x)?, num(y)?, num(z)?);
            if valid(c, b, a) {
                return Some(((c, b, a), 3));
            }
        }
    }
    None
}

/// Is this group junk (quality tags, a CRC, a resolution)?
fn junk_group(lower: &str) -> bool {
    if is_hex8(lower) {
        return true;
    }
    let mut any = false;
    for w in
        lower.split(|c: char| c.is_whitespace() || c == '_' || c == '.' || c == ',' || c == '+')
    {
        if w.is_empty() {
            continue;
        }
        any = true;
        let w = w.trim_matches('-');
        if words::is_junk(w)
            || w.contains("1080")
            || w.contains("720")
            || w.contains("2160")
            || w.contains("x26")
            || w.contains("hevc")
        {
            return true;
        }
        if words::is_weak_junk(w) {
            continue;
        }
        return false;
    }
    any
}

/// Joins words into a title: trailing dashes and weak junk dropped, separators trimmed.
fn join_title(toks: &[Tok<'_>]) -> Option<String> {
    let mut end = toks.len();
    while end > 0 {
        let t = &toks[end - 1];
        if t.kind == TokKind::Dash
            || (t.kind == TokKind::Word && words::is_weak_junk(&t.lower) && end > 1)
        {
            end -= 1;
        } else {
            break;
        }
    }
    let mut start = 0;
    while start < end && toks[start].kind == TokKind::Dash {
        start += 1;
    }
    let mut s = String::new();
    for t in &toks[start..end] {
        match t.kind {
            TokKind::Word => {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&t.text);
            }
            TokKind::Dash => s.push_str(" -"),
            TokKind::Group(open) => {
                if !s.is_empty() {
                    s.push(' ');
                }
                let close = match open {
                    '[' => ']',
                    '(' => ')',
                    _ => '}',
                };
                s.push(open);
                s.push_str(&t.text);
                s.push(close);
            }
        }
    }
    let s = s
        .trim_matches(|c: char| c == '-' || c == ',' || c == ':' || c.is_whitespace())
        .to_string();
    (!s.is_empty()).then_some(s)
}

/// Reads one name.
pub fn read(name: &str, ctx: NameContext) -> NameFacts {
    let toks = tokenize(name);
    let mut f = NameFacts::default();
    let n = toks.len();
    // Title ends at the first mark; everything after the mark is its tail.
    let mut title_end = n;
    let mut tail_start = n;
    let mut group_year: Option<(usize, u32)> = None;

    // Extra by suffix: "Movie-trailer", "Movie.sample", "sample".
    let lower_name = name.to_lowercase();
    if let Some(last) = lower_name.rsplit(['-', '.', ' ', '_']).next() {
        f.extra = words::extra_suffix(last.trim());
    }
    if ["sample-", "sample.", "sample_"]
        .iter()
        .any(|p| lower_name.starts_with(p))
    {
        f.extra = Some("sample");
    }

    let mut i = site_prefix(&toks);
    let first_word = i;
    while i < n {
        let t = &toks[i];
        match &t.kind {
            TokKind::Group(open) => {
                let l = t.lower.as_str();
                if let Some(id) = provider_id(l) {
                    f.external_ids.push(id);
                    title_end = title_end.min(i);
                } else if let Some(ed) = l.strip_prefix("edition-") {
                    f.edition = words::edition(&ed.split(' ').collect::<Vec<_>>()).map(|e| e.0);
                    title_end = title_end.min(i);
                } else if let Some(y) = year_like(l) {
                    if group_year.is_none() {
                        group_year = Some((i, y));
                    }
                    title_end = title_end.min(i);
                } else if i == 0 && *open == '[' {
                    f.release_group_first = true;
                } else if junk_group(l) {
                    title_end = title_end.min(i);
                } else if let Some((s, e)) = parse_se(l) {
                    // "[S01E02]"
                    if f.mark.is_none() {
                        f.seasons = s;
                        f.episodes = e;
                        f.mark = Some(EpisodeMark::SxxEyy);
                        title_end = title_end.min(i);
                        tail_start = i + 1;
                    }
                } else if title_end < n && i > title_end {
                    // a group after the title (a note) is not part of it
                }
                i += 1;
                continue;
            }
            TokKind::Dash => {
                // " - 012": an absolute or bare episode number after a dash.
                if f.mark.is_none()
                    && i > 0
                    && i + 1 < n
                    && toks[i + 1].kind == TokKind::Word
                    && date_at(&toks, i + 1).is_none()
                {
                    let next = &toks[i + 1].lower;
                    let (a, b) = next.split_once('-').unwrap_or((next.as_str(), ""));
                    if let Some((e, v)) = num_version(a)
                        && a.len() >= 2
                        && year_like(a).is_none()
                    {
                        let end = if b.is_empty() { None } else { num(b) };
                        if b.is_empty() || end.is_some_and(|x| x > e) {
                            let list: Vec<u32> = match end {
                                Some(x) => (e..=x).collect(),
                                None => vec![e],
                            };
                            if let Some(season) = ctx.folder_season.filter(|_| e < 1000) {
                                f.seasons = vec![season];
                                f.episodes = list;
                                f.mark = Some(EpisodeMark::BareNumber);
                            } else {
                                f.absolute = list;
                                f.mark = Some(EpisodeMark::Absolute);
                            }
                            f.version = v;
                            title_end = title_end.min(i);
                            tail_start = i + 2;
                            i += 2;
                            continue;
                        }
                    }
                }
                i += 1;
                continue;
            }
            TokKind::Word => {}
        }
        let l = t.lower.as_str();
        if f.mark.is_none() {
            if let Some((d, used)) = date_at(&toks, i) {
                f.air_date = Some(d);
                f.mark = Some(EpisodeMark::Date);
                title_end = title_end.min(i);
                tail_start = i + used;
                i += used;
                continue;
            }
            if let Some((mut seasons, mut episodes)) = parse_se(l) {
                let mut used = 1;
                // "S01 E02", "S01.E02": the episode in the next token.
                if episodes.is_empty() && i + 1 < n && toks[i + 1].kind == TokKind::Word {
                    if let Some(e) = parse_e(&toks[i + 1].lower) {
                        episodes = e;
                        used = 2;
                    } else if matches!(toks[i + 1].lower.as_str(), "e" | "ep" | "episode")
                        && let Some(e) = toks.get(i + 2).and_then(|t| num(&t.lower))
                    {
                        episodes = vec![e];
                        used = 3;
                    }
                }
                // "S01E01 - E02" / "S01E01-S01E02"
                if !episodes.is_empty() && i + used + 1 < n && toks[i + used].kind == TokKind::Dash
                {
                    let nx = &toks[i + used + 1].lower;
                    let more = parse_se(nx)
                        .filter(|(s, _)| *s == seasons)
                        .map(|(_, e)| e)
                        .or_else(|| parse_e(nx));
                    if let Some(more) = more
                        && let (Some(&last), Some(&end)) = (episodes.last(), more.last())
                        && end > last
                    {
                        episodes.extend(last + 1..=end);
                        used += 2;
                    }
                }
                if !episodes.is_empty() || seasons.len() > 1 || i > 0 {
                    seasons.sort_unstable();
                    f.seasons = seasons;
                    f.episodes = episodes;
                    if !f.episodes.is_empty() {
                        f.mark = Some(EpisodeMark::SxxEyy);
                    }
                    title_end = title_end.min(i);
                    tail_start = i + used;
                    i += used;
                    continue;
                }
            }
            if let Some((s, e)) = parse_nx(l) {
                f.seasons = vec![s];
                f.episodes = e;
                f.mark = Some(EpisodeMark::NxM);
                title_end = title_end.min(i);
                tail_start = i + 1;
                i += 1;
                continue;
            }
            // "Season 1 Episode 2", "Season 2", "Episode 5", "Ep 05"
            if words::SEASON_WORDS.contains(&l)
                && let Some(s) = toks
                    .get(i + 1)
                    .filter(|t| t.kind == TokKind::Word)
                    .and_then(|t| num(&t.lower))
            {
                let mut used = 2;
                let mut eps = Vec::new();
                if let Some(w) = toks.get(i + 2)
                    && matches!(w.lower.as_str(), "episode" | "ep" | "e" | "ep.")
                    && let Some(e) = toks.get(i + 3).and_then(|t| num(&t.lower))
                {
                    eps.push(e);
                    used = 4;
                } else if let Some(e) = toks.get(i + 2).and_then(|t| parse_e(&t.lower)) {
                    eps = e;
                    used = 3;
                }
                f.seasons = vec![s];
                if !eps.is_empty() {
                    f.episodes = eps;
                    f.mark = Some(EpisodeMark::Words);
                }
                title_end = title_end.min(i);
                tail_start = i + used;
                i += used;
                continue;
            }
            if matches!(l, "episode" | "ep" | "ep." | "e")
                && let Some(next) = toks.get(i + 1)
                && let Some(e) = num_version(&next.lower).map(|x| x.0).or_else(|| {
                    parse_e(&format!("e{}", next.lower)).and_then(|v| v.first().copied())
                })
            {
                f.episodes = vec![e];
                if let Some(s) = ctx.folder_season {
                    f.seasons = vec![s];
                }
                f.mark = Some(EpisodeMark::EpisodeOnly);
                title_end = title_end.min(i);
                tail_start = i + 2;
                i += 2;
                continue;
            }
            if let Some(e) = parse_e(l)
                .filter(|_| l.len() >= 2 && l.as_bytes()[1].is_ascii_digit() || l.starts_with("ep"))
            {
                f.episodes = e;
                if let Some(s) = ctx.folder_season {
                    f.seasons = vec![s];
                }
                f.mark = Some(EpisodeMark::EpisodeOnly);
                title_end = title_end.min(i);
                tail_start = i + 1;
                i += 1;
                continue;
            }
        }
        if let Some(p) = glued_part(l) {
            f.part = Some(p);
            title_end = title_end.min(i);
            tail_start = i + 1;
            i += 1;
            continue;
        }
        if is_part_word(l)
            && i > 0
            && let Some(p) = toks
                .get(i + 1)
                .and_then(|t| num(&t.lower))
                .filter(|p| (1..=20).contains(p))
        {
            f.part = Some(p);
            title_end = title_end.min(i);
            i += 2;
            continue;
        }
        if words::is_junk(l) || junk_with_group(l) || resolution(l) {
            title_end = title_end.min(i);
            if f.mark.is_some() && tail_start > i {
                tail_start = i;
            }
            // Nothing after the first junk is title or episode title.
            break;
        }
        if i > 0 && f.edition.is_none() && f.mark.is_none() {
            let mut w = [""; 3];
            let mut len = 0;
            for (slot, t) in w.iter_mut().zip(&toks[i..]) {
                *slot = t.lower.as_str();
                len += 1;
            }
            if let Some((ed, used)) = words::edition(&w[..len]) {
                f.edition = Some(ed);
                title_end = title_end.min(i);
                i += used;
                continue;
            }
        }
        i += 1;
    }

    // Numbers in the title's stretch: the release year, a packed SxxEyy, a bare or absolute
    // episode number.
    let mut stretch_end = title_end;
    if f.mark.is_none() {
        // Bare numbers only where nothing else marked the episode.
        let limit = stretch_end;
        for k in 0..limit {
            let t = &toks[k];
            if t.kind != TokKind::Word {
                continue;
            }
            let l = t.lower.as_str();
            if year_like(l).is_some() {
                continue;
            }
            let Some((v, ver)) = num_version(l) else {
                continue;
            };
            if let Some(season) = ctx.folder_season
                && l.len() <= 3
                && (k == 0
                    || toks[k - 1].kind == TokKind::Dash
                    || k + 1 == stretch_end
                    || toks.get(k + 1).is_some_and(|t| t.kind == TokKind::Dash))
                && v < 1000
                && !(k > 0 && v >= 100 && ctx.episodic && packed(v).is_some())
            {
                f.seasons = vec![season];
                f.episodes = vec![v];
                f.version = ver;
                f.mark = Some(EpisodeMark::BareNumber);
                stretch_end = k;
                tail_start = k + 1;
                break;
            }
            if k > 0 && f.release_group_first && l.len() >= 2 {
                f.absolute = vec![v];
                f.version = ver;
                f.mark = Some(EpisodeMark::Absolute);
                stretch_end = k;
                tail_start = k + 1;
                break;
            }
            if k > 0
                && ctx.episodic
                && (3..=4).contains(&l.len())
                && ver.is_none()
                && let Some((s, e)) = packed(v)
            {
                f.seasons = vec![s];
                f.episodes = vec![e];
                f.mark = Some(EpisodeMark::Packed);
                stretch_end = k;
                tail_start = k + 1;
                break;
            }
        }
    }
    let title_end = stretch_end;

    // The year: a bracketed one wins; else the last year-like word of the title stretch
    // (never its first word: "1917", "2001: A Space Odyssey" are titles).
    let mut cut = title_end;
    if let Some((gi, y)) = group_year {
        f.year = Some(y);
        cut = cut.min(gi);
    } else {
        let start = toks
            .iter()
            .position(|t| t.kind == TokKind::Word)
            .unwrap_or(0);
        if let Some(k) = (start + 1..title_end)
            .rev()
            .find(|&k| toks[k].kind == TokKind::Word && year_like(&toks[k].lower).is_some())
        {
            // Only when what follows the year up to the mark is not more title: a year
            // in the middle of words ("Wonder Woman 1984 Returns") stays a title word.
            let after_ok = toks[k + 1..title_end].iter().all(|t| {
                t.kind != TokKind::Word
                    || words::is_weak_junk(&t.lower)
                    || words::edition(&[t.lower.as_str()]).is_some()
                    || f.mark.is_some()
            });
            if after_ok {
                f.year = year_like(&toks[k].lower);
                cut = k;
            }
        }
    }
    let title_start = if f.release_group_first { 1 } else { first_word };
    // "sample" after the title ("Movie.2010.1080p.sample"), not inside it ("The Sample").
    if toks[cut.max(title_start)..]
        .iter()
        .any(|t| t.kind == TokKind::Word && t.lower == "sample")
    {
        f.extra = Some("sample");
    }
    if cut > title_start {
        let mut title_toks: Vec<Tok<'_>> = toks[title_start..cut].to_vec();
        // Parenthesised notes that are not years stay ("The Office (US)").
        title_toks.retain(|t| !matches!(t.kind, TokKind::Group('[') | TokKind::Group('{')));
        f.title = join_title(&title_toks);
    }

    // The episode's own title: words after the mark up to junk, a group or a part.
    if f.mark.is_some() && tail_start < n {
        let mut end = tail_start;
        while end < n {
            let t = &toks[end];
            let stop = match t.kind {
                TokKind::Group(_) => true,
                TokKind::Dash => false,
                TokKind::Word => {
                    words::is_junk(&t.lower)
                        || junk_with_group(&t.lower)
                        || glued_part(&t.lower).is_some()
                        || (year_like(&t.lower).is_some()
                            && end + 1 < n
                            && words::is_junk(&toks[end + 1].lower))
                }
            };
            if stop {
                break;
            }
            end += 1;
        }
        let tail: Vec<Tok<'_>> = toks[tail_start..end].to_vec();
        f.episode_title = join_title(&tail).filter(|t| !t.chars().all(|c| c.is_ascii_digit()));
        if let Some(t) = &f.episode_title
            && words::is_weak_junk(&t.to_lowercase())
        {
            f.episode_title = None;
        }
    }
    f
}

/// `1920x1080`, `1280x720`: a frame size.
fn resolution(lower: &str) -> bool {
    lower
        .split_once('x')
        .is_some_and(|(w, h)| w.len() >= 3 && h.len() >= 3 && is_digits(w) && is_digits(h))
}

/// `1002` → season 10 episode 2; `102` → season 1 episode 2.
fn packed(v: u32) -> Option<(u32, u32)> {
    let (s, e) = (v / 100, v % 100);
    (s >= 1 && e >= 1 && s <= 30).then_some((s, e))
}

/// A leading site tag: `www.site.com - `; returns where the name really starts.
fn site_prefix(toks: &[Tok<'_>]) -> usize {
    if toks.first().is_none_or(|t| t.lower != "www") {
        return 0;
    }
    const TLDS: &[&str] = &[
        "com", "org", "net", "to", "info", "ru", "me", "tv", "cc", "io", "se", "nl", "eu", "biz",
        "co", "uk", "in", "ws", "la", "is", "xyz",
    ];
    match toks.iter().position(|t| TLDS.contains(&t.lower.as_str())) {
        Some(k) => {
            let mut k = k + 1;
            while toks.get(k).is_some_and(|t| t.kind == TokKind::Dash) {
                k += 1;
            }
            k
        }
        None => 0,
    }
}

/// `x264-GROUP`, `1080p-GROUP`, `WEB-DL` with a group glued on.
fn junk_with_group(lower: &str) -> bool {
    match lower.rsplit_once('-') {
        Some((head, _)) => {
            words::is_junk(head)
                || head
                    .rsplit_once('-')
                    .is_some_and(|(h, _)| words::is_junk(h))
        }
        None => false,
    }
}
