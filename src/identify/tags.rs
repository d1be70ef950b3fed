//! Which release tokens are tags, not title words: a vocabulary (sources, codecs, audio, HDR,
//! streaming services, languages, release flags; in `words`) and the shapes such tags take
//! (`1080p`, `1920x1080`, `x264`, `10bit`, `DDP5.1`, `3.2GB`, `60fps`). Also the number
//! words a name may spell (`Part Two`, `Pt.VI`, `Saison sept`). Pure.

use super::words;

/// How sure it is that a token is a release tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// A title word.
    No,
    /// Never a title word: once met, the title has ended.
    Strong,
    /// A tag in a release's tail, a word in a title elsewhere ("Max", "Complete", "Dual").
    Weak,
}

/// Audio codec names that take a channel count glued on (`AAC2.0`, `DDP5.1`, `FLACx2`).
const AUDIO: &[&str] = &[
    "aac", "ac3", "eac3", "ddp", "dd", "dts", "flac", "opus", "truehd", "mp3", "mpa", "lpcm",
    "pcm", "atmos", "qaac",
];

pub(crate) fn classify(lower: &str) -> Tag {
    if words::is_junk(lower) || shaped(lower) {
        return Tag::Strong;
    }
    if words::is_weak_junk(lower) {
        return Tag::Weak;
    }
    Tag::No
}

/// Two tokens joined by a hyphen that together are a tag (`WEB-DL`, `Blu-Ray`, `DTS-HD`).
pub(crate) fn pair(a: &str, b: &str) -> bool {
    matches!(
        (a, b),
        ("web", "dl" | "rip" | "dlrip" | "hd")
            | ("blu", "ray")
            | ("dts", "hd" | "x" | "es" | "ma" | "hdma" | "hdhra")
            | ("dual", "audio")
            | ("e", "ac3" | "ac")
            | ("hd", "dvd" | "tv" | "rip" | "ma")
            | ("dvd", "rip" | "r" | "scr")
            | ("bd", "rip" | "remux")
            | ("br", "rip")
            | ("hdr", "10")
            | ("dolby", "vision")
            | ("true", "hd")
            | ("multi", "sub" | "subs")
            | ("ai", "enhanced")
            | ("vc", "1")
            | ("ddp", "atmos")
    )
}

/// A resolution's height written bare (`[720]`, `.1080.`): a number no episode or packed
/// season is taken to be.
pub(crate) fn height(s: &str) -> bool {
    matches!(s, "480" | "576" | "720" | "1080" | "2160")
}

/// A resolution: `720p`, `1080i`, `2160p`, `1920px`.
pub(crate) fn resolution(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    (3..=4).contains(&digits) && matches!(&s[digits..], "p" | "i" | "px")
}

/// An audio codec, alone or with its channels glued on (`AC3`, `DDP5.1`, `AAC2.0`, `FLACx2`).
pub(crate) fn audio_codec(s: &str) -> bool {
    AUDIO.iter().any(|a| {
        s.strip_prefix(a).is_some_and(|r| {
            r.bytes()
                .all(|c| c.is_ascii_digit() || c == b'.' || c == b'x' || c == b'+')
        })
    })
}

/// A sound's channels written `whole.part` (`5.1`, `2.0`, `7.1`), as two numbers.
pub(crate) fn channels(whole: &str, part: &str) -> bool {
    matches!(whole, "1" | "2" | "5" | "6" | "7") && matches!(part, "0" | "1" | "2")
}

/// Tags recognised by their shape rather than a list.
fn shaped(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = &s[digits..];
    // 720p, 1080i, 2160p; 4k, 8k; 60fps; 10bit; 5.1ch/6ch; 800mb, 3.2gb
    if resolution(s) {
        return true;
    }
    if digits >= 1
        && matches!(
            rest,
            "k" | "fps" | "bit" | "bits" | "ch" | "mb" | "gb" | "kbps" | "hz" | "khz"
        )
    {
        return digits <= 2 || rest != "k";
    }
    if let Some((a, r)) = s.split_once('.') {
        // Channels (1.0, 2.0, 5.1, 7.1), sizes (3.2gb), frame rates (23.976).
        let channels = channels(a, r);
        let sized = a.bytes().all(|c| c.is_ascii_digit())
            && !a.is_empty()
            && matches!(
                r.trim_start_matches(|c: char| c.is_ascii_digit()),
                "gb" | "mb" | "ch"
            );
        if channels || sized || matches!(s, "23.976" | "29.97" | "59.94") {
            return true;
        }
    }
    // 1920x1080, 1280x720
    if let Some((w, h)) = s.split_once('x')
        && w.len() >= 3
        && h.len() >= 3
        && w.bytes().all(|c| c.is_ascii_digit())
        && h.trim_end_matches('p').bytes().all(|c| c.is_ascii_digit())
    {
        return true;
    }
    // x264, h265, h.264, x265-10bit pieces
    if matches!(b.first(), Some(b'x' | b'h'))
        && matches!(s[1..].trim_start_matches('.'), "264" | "265" | "266" | "26")
    {
        return true;
    }
    // hevc10, hi10p, av1; ddp5.1, aac2.0, flacx2, dd5
    if audio_codec(s) && !AUDIO.contains(&s) {
        return true;
    }
    // hd720, hd1080
    if let Some(r) = s.strip_prefix("hd")
        && matches!(r, "720" | "1080" | "720p" | "1080p" | "2160")
    {
        return true;
    }
    if let Some(r) = s.strip_prefix("hevc").or(s.strip_prefix("hdr10"))
        && r.bytes().all(|c| c.is_ascii_digit() || c == b'+')
    {
        return true;
    }
    false
}

/// A CRC in brackets: eight hex digits with at least one digit (`[8452C4BF]`).
pub(crate) fn crc(text: &str) -> bool {
    text.len() == 8
        && text.bytes().all(|c| c.is_ascii_hexdigit())
        && text.bytes().any(|c| c.is_ascii_digit())
        && text.bytes().any(|c| c.is_ascii_alphabetic())
}

/// A number spelled as a word or a roman numeral (up to 20): `two`, `VI`, `sept`, `second`.
pub(crate) fn number_word(lower: &str) -> Option<u32> {
    const WORDS: &[(&str, u32)] = &[
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("sixth", 6),
        ("seventh", 7),
        ("eighth", 8),
        ("ninth", 9),
        ("tenth", 10),
        // French, Spanish, German, Italian
        ("un", 1),
        ("une", 1),
        ("deux", 2),
        ("trois", 3),
        ("quatre", 4),
        ("cinq", 5),
        ("sept", 7),
        ("huit", 8),
        ("neuf", 9),
        ("dix", 10),
        ("uno", 1),
        ("dos", 2),
        ("tres", 3),
        ("cuatro", 4),
        ("cinco", 5),
        ("seis", 6),
        ("siete", 7),
        ("ocho", 8),
        ("nueve", 9),
        ("diez", 10),
        ("eins", 1),
        ("zwei", 2),
        ("drei", 3),
        ("vier", 4),
        ("fünf", 5),
        ("sechs", 6),
        ("sieben", 7),
        ("acht", 8),
        ("neun", 9),
        ("zehn", 10),
    ];
    if let Some(&(_, n)) = WORDS.iter().find(|(w, _)| *w == lower) {
        return Some(n);
    }
    roman(lower)
}

/// A roman numeral from 1 to 39.
pub(crate) fn roman(lower: &str) -> Option<u32> {
    if lower.is_empty() || lower.len() > 6 || !lower.bytes().all(|c| b"ivx".contains(&c)) {
        return None;
    }
    let val = |c: u8| match c {
        b'i' => 1,
        b'v' => 5,
        _ => 10,
    };
    let b = lower.as_bytes();
    let mut total = 0i32;
    for (k, &c) in b.iter().enumerate() {
        let v = val(c);
        if b.get(k + 1).is_some_and(|&n| val(n) > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    // Only canonical spellings: "iiii" or "vv" are not numerals.
    let n = u32::try_from(total).ok().filter(|n| (1..40).contains(n))?;
    (to_roman(n) == lower).then_some(n)
}

fn to_roman(mut n: u32) -> String {
    let mut s = String::new();
    for (v, r) in [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A month's name or abbreviation, in English, French, German or Spanish → 1..=12.
pub(crate) fn month(lower: &str) -> Option<u32> {
    const MONTHS: &[&[&str]] = &[
        &["jan", "january", "janvier", "januar", "enero"],
        &[
            "feb", "february", "fevrier", "février", "februar", "febrero",
        ],
        &["mar", "march", "mars", "märz", "marzo"],
        &["apr", "april", "avril", "abril"],
        &["may", "mai", "mayo"],
        &["jun", "june", "juin", "juni", "junio"],
        &["jul", "july", "juillet", "juli", "julio"],
        &["aug", "august", "aout", "août", "agosto"],
        &["sep", "sept", "september", "septembre", "septiembre"],
        &["oct", "october", "octobre", "oktober", "octubre"],
        &["nov", "november", "novembre", "noviembre"],
        &[
            "dec",
            "december",
            "decembre",
            "décembre",
            "dezember",
            "diciembre",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&lower))
        .map(|i| i as u32 + 1)
}

/// `1st`, `2nd`, `23rd`, `4th` → the number.
pub(crate) fn ordinal(lower: &str) -> Option<u32> {
    let d = lower.bytes().take_while(u8::is_ascii_digit).count();
    if d == 0 || d > 2 {
        return None;
    }
    matches!(
        &lower[d..],
        // 1st, 3º/3ª and their plain-letter forms 3o/3a (Spanish, Portuguese, Italian), 2e.
        "st" | "nd" | "rd" | "th" | "º" | "°" | "ª" | "o" | "a" | "e" | "er" | "eme"
            // The same signs in UTF-8 read as Latin-1 (`3Âº`), as old trackers show them.
            | "âº" | "âª" | "â°"
    )
    .then(|| lower[..d].parse().ok())
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_words() {
        for s in [
            "1080p",
            "720p",
            "1920x1080",
            "x264",
            "h.265",
            "10bit",
            "ddp5.1",
            "aac2.0",
            "5.1",
            "3.2gb",
            "800mb",
            "60fps",
            "4k",
            "flacx2",
            "hevc10",
        ] {
            assert_eq!(classify(s), Tag::Strong, "{s}");
        }
        for s in ["show", "2049", "1984", "s01e02", "heat", "100", "x", "9"] {
            assert_ne!(classify(s), Tag::Strong, "{s}");
        }
        assert_eq!(roman("vi"), Some(6));
        assert_eq!(roman("iiii"), None);
        assert_eq!(number_word("sept"), Some(7));
        assert_eq!(ordinal("3º"), Some(3));
        assert_eq!(ordinal("21st"), Some(21));
        assert_eq!(ordinal("2a"), Some(2));
        assert_eq!(ordinal("1o"), Some(1));
        assert_eq!(ordinal("1080p"), None);
        assert_eq!(month("sept"), Some(9));
        assert!(crc("8452c4bf") && !crc("deadbeef") && !crc("12345678"));
    }
}
