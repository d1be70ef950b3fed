//! A name → tokens: words and numbers with what separated each from the one before (a dot,
//! a space, a glued hyphen, a spaced ` - `, a bracket), the bracket group each sits in, and
//! its byte span so a title can be cut from the original text. Knows the few places where a
//! separator is part of a token: acronyms (`S.H.I.E.L.D`), decimals (`5.1`, `DD5.1`,
//! `H.264`, `3.2GB`), apostrophes (`Howl's`). Pure and allocation-light.

/// What stood between a token and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    /// The first token.
    Start,
    Space,
    Dot,
    Underscore,
    /// A hyphen with no space around it: `Show-Name`, `x264-GRP`.
    Hyphen,
    /// A dash between fields: ` - `, `_-_`, ` – `.
    Dash,
    /// An opening bracket (the token is the first of its group).
    Open,
    /// A closing bracket before it (the token follows a group).
    Close,
    /// Anything else: `/`, `+`, `,`, `:`, `&`, `~`, `|`.
    Other(char),
    /// Nothing: a mark glued to a word (`Castle1x01`, `S03E02Le`), cut apart.
    Glued,
}

#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub text: &'a str,
    pub lower: String,
    /// Byte span in the name.
    pub start: usize,
    pub end: usize,
    pub sep: Sep,
    /// The bracket group the token is in; 0 outside brackets. Each group has its own id.
    pub group: u16,
    /// The token is all ASCII digits.
    pub digits: bool,
}

impl Tok<'_> {
    /// Its value when it is a number of at most five digits.
    pub(crate) fn num(&self) -> Option<u32> {
        if self.digits && self.text.len() <= 5 {
            self.text.parse().ok()
        } else {
            None
        }
    }
    pub(crate) fn is_alpha(&self) -> bool {
        self.text.chars().any(char::is_alphabetic)
    }
    /// A number written with a leading zero (`07`, `012`): an episode's way, never a
    /// sequel's or a year's.
    pub(crate) fn zero_padded(&self) -> bool {
        self.digits && self.text.len() >= 2 && self.text.starts_with('0')
    }
}

fn opener(c: char) -> bool {
    matches!(c, '[' | '(' | '{' | '【' | '「' | '《')
}

fn closer(c: char) -> bool {
    matches!(c, ']' | ')' | '}' | '】' | '」' | '》')
}

/// A letter of the Latin script: ASCII, the accented ranges (Latin-1 to Extended-B, and
/// Extended Additional for Vietnamese), and roman numerals written as one sign (`Ⅱ`).
pub(crate) fn latin_letter(c: char) -> bool {
    c.is_ascii()
        // The ordinal signs `ª` and `º` (`3º Temporada`).
        || c == '\u{00AA}'
        || c == '\u{00BA}'
        || ('\u{00C0}'..='\u{024F}').contains(&c)
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        || ('\u{2150}'..='\u{218F}').contains(&c)
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == 'º' || c == '°'
}

/// Splits a name into tokens.
pub(crate) fn tokenize(name: &str) -> Vec<Tok<'_>> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut out: Vec<Tok<'_>> = Vec::with_capacity(24);
    let mut stack: Vec<u16> = Vec::new();
    let mut next_group: u16 = 0;
    let mut i = 0;
    let mut pending: Vec<char> = Vec::new();
    while i < chars.len() {
        let (at, c) = chars[i];
        if !word_char(c) {
            if opener(c) {
                next_group = next_group.saturating_add(1);
                stack.push(next_group);
            } else if closer(c) {
                stack.pop();
            }
            pending.push(c);
            i += 1;
            continue;
        }
        // A run of word characters, with the dots that belong to it.
        let start = at;
        let mut j = i;
        while j < chars.len() && word_char(chars[j].1) {
            j += 1;
        }
        let mut end = chars.get(j).map_or(name.len(), |x| x.0);
        // Join across a dot (or a glued '+' in `DD+`, `HDR10+`) where the pieces are one token.
        while let Some(&(dot_at, d)) = chars.get(j) {
            if d == '+' && !chars.get(j + 1).is_some_and(|x| x.1.is_alphanumeric()) {
                j += 1;
                end = dot_at + 1;
                continue;
            }
            if d != '.' {
                break;
            }
            let mut k = j + 1;
            while k < chars.len() && word_char(chars[k].1) {
                k += 1;
            }
            let next = &name[dot_at + 1..chars.get(k).map_or(name.len(), |x| x.0)];
            let cur = &name[start..end];
            // (Is `cur` the next of a dotted run of small numbers: `Season.1.3.4`?)
            let in_run = pending == ['.']
                && out
                    .last()
                    .is_some_and(|p: &Tok<'_>| p.digits && p.text.len() <= 2);
            if next.is_empty() || !joins(cur, next, chars.get(k).map(|x| x.1), in_run) {
                break;
            }
            j = k;
            end = chars.get(k).map_or(name.len(), |x| x.0);
        }
        let sep = separator(&pending, out.is_empty());
        pending.clear();
        let group = stack.last().copied().unwrap_or(0);
        let cut = glued_mark(&name[start..end]).map_or(end, |c| start + c);
        for (a, b, sep) in [(start, cut, sep), (cut, end, Sep::Glued)] {
            if a < b {
                let text = &name[a..b];
                out.push(Tok {
                    text,
                    lower: text.to_lowercase(),
                    start: a,
                    end: b,
                    sep,
                    group,
                    digits: text.bytes().all(|x| x.is_ascii_digit()),
                });
            }
        }
        i = j;
    }
    out
}

/// Where a word and an episode mark glued together part: `Castle1x01` (a word of three
/// letters or more, then `NxNN`), `S03E02Le` (`SxxEyy`, then two letters or more that
/// do not go on with the mark, as `E03` would), `S01E02v2` (a version).
fn glued_mark(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let rest = &b[letters..];
    let nxm = |r: &[u8]| {
        let d1 = r.iter().take_while(|c| c.is_ascii_digit()).count();
        let d2 = r.len().saturating_sub(d1 + 1);
        (1..=2).contains(&d1)
            && matches!(r.get(d1), Some(b'x' | b'X'))
            && d2 == 2
            && r[d1 + 1..].iter().all(u8::is_ascii_digit)
    };
    if letters >= 3 && nxm(rest) {
        return Some(letters);
    }
    // SxxEyy then letters.
    if !matches!(b.first(), Some(b's' | b'S')) {
        return None;
    }
    let d1 = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&d1) || !matches!(b.get(1 + d1), Some(b'e' | b'E')) {
        return None;
    }
    let at = 2 + d1;
    let d2 = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let tail = &b[at + d2..];
    let version = tail.len() >= 2
        && matches!(tail[0], b'v' | b'V')
        && tail[1..].iter().all(u8::is_ascii_digit);
    let word = tail.len() >= 2
        && tail.iter().all(u8::is_ascii_alphabetic)
        && !matches!(tail[0], b'e' | b'E' | b'x' | b'X');
    ((1..=3).contains(&d2) && (version || word)).then_some(at + d2)
}

/// Whether `cur.next` is one token: an acronym of single letters, a decimal of one digit on
/// each side (`5.1`, `DD5.1`, `3.2GB`), or `H.264`. `in_run`: `cur` follows a small number
/// and a dot, as the numbers of a dotted list do.
fn joins(cur: &str, next: &str, after: Option<char>, in_run: bool) -> bool {
    let single = |s: &str| s.chars().count() == 1 && s.chars().all(char::is_alphabetic);
    // Acronym: the last piece of cur is one letter and next is one letter.
    let last_piece = cur.rsplit('.').next().unwrap_or(cur);
    if single(last_piece) && single(next) {
        return true;
    }
    let trailing_digits = cur.chars().rev().take_while(char::is_ascii_digit).count();
    let next_digits = next.chars().take_while(char::is_ascii_digit).count();
    let number = cur.bytes().all(|c| c.is_ascii_digit());
    if trailing_digits == 1
        && next_digits == 1
        && !cur.contains('.')
        && (after != Some('.') || !number)
        // `Season.1.3.4-`, `Season.1.2.3 to 5`: the last two of a dotted run of small
        // numbers are no decimal, unless a sound's channels (`Show.01.5.1-GRP`).
        && !(in_run && number && !super::tags::channels(cur, next))
        && (next.len() == 1 || next[1..].chars().all(char::is_alphabetic))
    {
        // `6.1` yes; but `Vol.3.2023`-style runs are not decimals (next has more digits).
        return true;
    }
    let lc = cur.to_ascii_lowercase();
    (lc == "h" || lc == "x") && matches!(next, "264" | "265")
}

fn separator(pending: &[char], first: bool) -> Sep {
    if first {
        return Sep::Start;
    }
    if pending.iter().any(|&c| opener(c)) {
        return Sep::Open;
    }
    // `01 ~ 12`, `00~25`: a tilde only ever joins a range.
    if pending.contains(&'~') {
        return Sep::Other('~');
    }
    let dashes = pending
        .iter()
        .filter(|&&c| matches!(c, '-' | '–' | '—'))
        .count();
    let spaces = pending
        .iter()
        .filter(|&&c| c.is_whitespace() || c == '_')
        .count();
    // `Title _ Channel`: a spaced underscore stands for a pipe a file name cannot hold.
    if pending.len() >= 3
        && pending.iter().filter(|&&c| c == '_').count() == 1
        && pending.first().is_some_and(|c| c.is_whitespace())
        && pending.last().is_some_and(|c| c.is_whitespace())
        && dashes == 0
    {
        return Sep::Other('|');
    }
    // `Show.Name.-.07`, `Show.2.-..09`: a dash set off by dots is a field's, like a spaced
    // one.
    let dotted =
        matches!(pending, ['.', .., '.']) && pending.iter().all(|&c| matches!(c, '.' | '-'));
    if dashes > 0 && (spaces > 0 || dashes > 1 || dotted) {
        return Sep::Dash;
    }
    if pending.iter().any(|&c| closer(c)) {
        return Sep::Close;
    }
    if dashes > 0 {
        return Sep::Hyphen;
    }
    if let Some(&c) = pending
        .iter()
        .find(|&&c| !(c.is_whitespace() || c == '.' || c == '_'))
    {
        return Sep::Other(c);
    }
    if pending.contains(&'.') {
        Sep::Dot
    } else if pending.contains(&'_') && !pending.iter().any(|c| c.is_whitespace()) {
        Sep::Underscore
    } else {
        Sep::Space
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_keep_acronyms_decimals_and_apostrophes() {
        assert_eq!(
            words("Marvels.Agents.of.S.H.I.E.L.D-S01E06"),
            ["Marvels", "Agents", "of", "S.H.I.E.L.D", "S01E06"]
        );
        assert_eq!(
            words("Movie.DDP5.1.H.264-GRP"),
            ["Movie", "DDP5.1", "H.264", "GRP"]
        );
        assert_eq!(
            words("Howl's_Moving_Castle"),
            ["Howl's", "Moving", "Castle"]
        );
        assert_eq!(words("Show - 6.01 - Name"), ["Show", "6", "01", "Name"]);
        assert_eq!(words("Vol.3.2023"), ["Vol", "3", "2023"]);
        assert_eq!(words("R.I.P.D.2013"), ["R.I.P.D", "2013"]);
        assert_eq!(words("HDR10+.DD+"), ["HDR10+", "DD+"]);
    }

    #[test]
    fn separators_and_groups() {
        let t = tokenize("[Grp] Show - 01 [720p]");
        let seps: Vec<Sep> = t.iter().map(|t| t.sep).collect();
        assert_eq!(seps, [Sep::Start, Sep::Close, Sep::Dash, Sep::Open]);
        let groups: Vec<u16> = t.iter().map(|t| t.group).collect();
        assert_eq!(groups, [1, 0, 0, 2]);
        assert_eq!(tokenize("Show-Name")[1].sep, Sep::Hyphen);
        assert_eq!(tokenize("Anime_-_19v3")[1].sep, Sep::Dash);
        assert_eq!(tokenize("Show.-.07")[1].sep, Sep::Dash);
        assert_eq!(tokenize("Show.2.-..07")[2].sep, Sep::Dash);
        assert_eq!(tokenize("Show.Name-.07")[2].sep, Sep::Hyphen);
        assert_eq!(tokenize("01 ~ 12")[1].sep, Sep::Other('~'));
    }

    #[test]
    fn marks_glued_to_words_are_cut_apart() {
        assert_eq!(
            words("The.Castle1x01.HDTV"),
            ["The", "Castle", "1x01", "HDTV"]
        );
        assert_eq!(words("Show_S03E02Le nom"), ["Show", "S03E02", "Le", "nom"]);
        let t = tokenize("Castle1x01");
        assert_eq!(t[1].sep, Sep::Glued);
        assert_eq!((t[1].start, t[1].end), (6, 10));
        // What goes on with a mark, or is no mark, stays whole.
        assert_eq!(words("S01E02v2"), ["S01E02", "v2"]);
        for whole in ["S01E02E03", "S01E02x", "DDP5x264", "ab1x01", "x264", "1x01"] {
            assert_eq!(words(whole), [whole], "{whole}");
        }
    }
}
