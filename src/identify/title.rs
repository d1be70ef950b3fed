//! Where a name's title is and how it is written out: after a leading `[Group]`, a tag
//! group or a web site, cut from the original text with its own punctuation (`Mr. Robot`,
//! `S.H.I.E.L.D.`, `(500) Days`), in Latin letters when the name gives the title twice.
//! Pure; `name` decides where the title ends.

use super::marks::Mark;
use super::name::{Read, Role};
use super::token::{Sep, Tok, latin_letter};

/// Where a name's own words start: after leading bracket groups (`[Group]`, `[720p]`,
/// `[www.site.com]`) and a site prefix (`www.site.org - `).
pub(super) fn title_start(r: &Read<'_>) -> (usize, bool) {
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
    // `From [ WWW.SITE.COM ] - Title`: a site's word or two before its bracketed name and a
    // dash announce the release; the name starts after them.
    if let Some(a) = (s + 1..t.len().min(s + 3)).find(|&k| t[k].group != 0)
        && (s..a).all(|k| t[k].group == 0 && matches!(r.roles[k], Role::Word | Role::Weak))
    {
        let g = t[a].group;
        let e = (a..t.len()).find(|&k| t[k].group != g).unwrap_or(t.len());
        if site(&t[a..e])
            && t.get(e).is_some_and(|x| x.sep == Sep::Dash && x.group == 0)
            && r.roles[e] == Role::Word
        {
            s = e;
        }
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
pub(super) fn site(t: &[Tok<'_>]) -> bool {
    let joined = t
        .iter()
        .skip(1)
        .all(|x| matches!(x.sep, Sep::Dot | Sep::Hyphen) || t[0].lower == "www");
    t.len() >= 2
        && joined
        && (matches!(t[0].lower.as_str(), "www" | "ww")
            || t.last().is_some_and(|x| {
                x.sep == Sep::Dot
                    && (2..=4).contains(&x.text.len())
                    && x.text.bytes().all(|c| c.is_ascii_lowercase())
                    && top_level_domain(&x.lower, t.len())
            }))
}

/// Whether a dotted name's last word is a top-level domain a site would end in. A dotted
/// release spells every title the same way (`Au.bout.de.la.mer.-.8x01`), so a short
/// lowercase word is a domain only when it is one, and a word that is also a small word of
/// a title (`la`, `to`, `it`) only after a single name (`Torrent9.to`), not after a title's
/// words.
fn top_level_domain(tld: &str, parts: usize) -> bool {
    const DOMAINS: &[&str] = &[
        "com", "net", "org", "info", "biz", "tv", "cc", "ws", "io", "co", "xyz", "pw", "ru", "uk",
        "au", "fr", "nl", "se", "pl", "ch", "nz", "ca", "eu", "tk", "ml", "ga", "cf", "gq", "lol",
        "tc", "cx", "su", "ro", "cz", "hu", "gr", "pt", "br", "mx", "ar", "cl", "vn", "cn", "jp",
        "kr", "tw", "hk", "sg", "ph", "id", "ir", "tr", "ua", "by", "kz", "lt", "lv", "ee", "fi",
        "dk", "sk", "si", "hr", "rs", "bg", "mk", "vip", "icu", "sbs", "lat", "pics", "bid", "win",
        "buzz", "mom", "quest", "skin",
    ];
    const WORDS: &[&str] = &[
        "to", "it", "in", "me", "at", "be", "us", "de", "es", "la", "is", "am", "my", "no", "so",
        "do", "go", "fm", "li", "st", "mu", "nu", "ag", "ms", "gs", "sx", "ly", "club", "site",
        "top", "fun", "best", "live", "one", "cool", "zone", "mov",
    ];
    DOMAINS.contains(&tld) || (WORDS.contains(&tld) && parts == 2)
}

/// Cuts `t[a..b]` out of the name as a title: the tokens joined by what separated them,
/// where dots and underscores between words become spaces (`Mr. Robot` keeps its dot,
/// `Mr.Robot` does not), an acronym keeps its last dot (`S.H.I.E.L.D.`), and separators at
/// either end go.
pub(super) fn text(name: &str, t: &[Tok<'_>], a: usize, b: usize) -> Option<String> {
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
    // `11.22.63`: a title of numbers keeps its dots; so does a number in words spaced
    // apart (`1.21 Gigawatts`).
    let numbers = b - a > 1 && t[a..b].iter().all(|x| x.digits);
    let spaced = (a + 1..b).any(|k| name[t[k - 1].end..t[k].start].contains(' '));
    for k in a..b {
        if k > a {
            let gap = &name[t[k - 1].end..t[k].start];
            let decimal = spaced && t[k - 1].digits && t[k].digits;
            // `Blue Submarine No. 6`: the number sign keeps its dot (in words spaced apart).
            let numero = spaced && t[k - 1].lower == "no" && t[k].digits && gap.starts_with('.');
            if numero {
                out.push_str(gap);
            } else if (numbers || decimal) && gap == "." {
                out.push('.');
            } else if gap.chars().all(|c| c == '.' || c == '_') {
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
        out.push_str(t[k].text);
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
    // `Airplane!`, `Makeruna!!`, `Who Are You?`: a title's own closing marks.
    let marks: String = name[last.end..]
        .chars()
        .take_while(|c| matches!(c, '!' | '?'))
        .collect();
    out.push_str(&marks);
    if name[last.end..].starts_with('.')
        && (last.text.contains('.')
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

/// `Mon cousin a.k.a. My Cousin`: two titles joined the way most releases write it,
/// `AKA` (a dotted `a.k.a.` would read as the letters of three words).
pub(super) fn aka_spelled(title: String) -> String {
    if !title.to_lowercase().contains("a.k.a") {
        return title;
    }
    title
        .split(' ')
        .map(|w| {
            if w.trim_end_matches('.').eq_ignore_ascii_case("a.k.a") {
                "AKA"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `UFC.239.PPV.Jones.vs.Santos`: "pay-per-view" is how the event was sold, never a word of
/// its title, wherever a release puts it after the first word.
pub(super) fn without_ppv(title: String) -> String {
    let words: Vec<&str> = title.split(' ').collect();
    if words.len() < 3 || !words[1..].iter().any(|w| w.eq_ignore_ascii_case("ppv")) {
        return title;
    }
    let kept: Vec<&str> = std::iter::once(words[0])
        .chain(
            words[1..]
                .iter()
                .copied()
                .filter(|w| !w.eq_ignore_ascii_case("ppv")),
        )
        .collect();
    kept.join(" ")
}

/// Whether the bracket group of token `k` opens with `aka`.
pub(super) fn aka_group(t: &[Tok<'_>], k: usize) -> bool {
    let g = t[k].group;
    (0..=k)
        .rev()
        .take_while(|&j| t[j].group == g)
        .last()
        .is_some_and(|j| matches!(t[j].lower.as_str(), "aka" | "a.k.a"))
}

/// Title alternatives in two scripts (`Мистер Робот / Mr. Robot`): keep the Latin ones.
pub(super) fn latin_alternatives(title: String) -> String {
    let latin = |s: &str| s.chars().filter(|c| c.is_alphabetic()).all(latin_letter);
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
            // (`中文名·Latin-Title Two`: the Latin words may begin after a mark glued to the
            // other script's; glued to its letters, `刀剑神域Alicization`, they are its.)
            let glued = words[k - 1];
            let cut = glued
                .char_indices()
                .rfind(|(_, c)| c.is_alphabetic() && !latin_letter(*c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let after = &glued[cut..];
            let head = after.trim_start_matches(|c: char| !c.is_alphanumeric());
            let rest = words[k..].join(" ");
            let joined = if head.len() < after.len() && head.chars().any(char::is_alphabetic) {
                format!("{head} {rest}")
            } else {
                rest
            };
            return joined.trim_start_matches(['.', '-', '_']).to_owned();
        }
        // `New Show 新番名`: the Latin name first, the other script's after it.
        if let Some(k) = words.iter().position(|w| !latin(w))
            && k > 0
            && words[..k]
                .iter()
                .any(|w| w.chars().any(char::is_alphabetic))
            && words[k..].iter().all(|w| !latin(w))
        {
            return words[..k].join(" ");
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

pub(super) fn text_of(r: &Read<'_>, a: usize, b: usize) -> Option<String> {
    text(r.name, &r.t, a, b)
}

/// The first bracket group made of words, for a name whose words are all in brackets.
pub(super) fn group_title(r: &Read<'_>, name: &str) -> Option<String> {
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
