//! Identification: a path relative to its collection root (folders matter) plus the
//! collection's kind → episode or movie, title, year, season, episode number(s), absolute
//! number, episode title, air date, part, extra kind, and a confidence with its evidence.
//! Pure: no I/O, no clock, no catalog. This module weighs a file name against its folders
//! and the kind hint; `context` adds the folder's siblings and the catalog's titles.
//! One name is read in layers: `token` (words, separators, bracket groups) → `tags` and
//! `words` (the release vocabulary) → `marks`, `spelled`, `dates` (episode, season, part
//! and date marks) → `name` (the title's bounds, via `title`, and what a bare number means,
//! via `numbers`).

mod brackets;
pub mod context;
mod dates;
mod folders;
pub(crate) mod marks;
pub mod name;
mod numbers;
mod spelled;
pub mod tags;
mod title;
pub(crate) mod token;
pub(crate) mod words;

use serde::Serialize;

use folders::{Folders, read_folders_again, with_release_folder};
use name::{EpisodeMark, NameContext, NameFacts};

/// The collection's kind, as a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hint {
    #[default]
    Mixed,
    Shows,
    Movies,
    Photos,
}

impl From<crate::model::CollectionKind> for Hint {
    fn from(kind: crate::model::CollectionKind) -> Self {
        use crate::model::CollectionKind as K;
        match kind {
            K::Shows => Self::Shows,
            K::Movies => Self::Movies,
            K::Photos => Self::Photos,
            K::Mixed => Self::Mixed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Episode,
    Movie,
}

impl MediaType {
    /// The kind of title it belongs to: an episode's is a show.
    pub(crate) fn title_kind(self) -> crate::model::TitleKind {
        match self {
            Self::Episode => crate::model::TitleKind::Show,
            Self::Movie => crate::model::TitleKind::Movie,
        }
    }
}

/// What a path says, and how sure we are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Identification {
    #[serde(rename = "type")]
    pub media_type: Option<MediaType>,
    pub title: Option<String>,
    /// A show's country, read from the end of its title (`Shameless.US.S01E01`).
    pub country: Option<&'static str>,
    pub year: Option<u32>,
    pub seasons: Vec<u32>,
    pub episodes: Vec<u32>,
    pub absolute: Vec<u32>,
    pub episode_title: Option<String>,
    pub air_date: Option<String>,
    pub part: Option<u32>,
    pub edition: Option<&'static str>,
    pub extra: Option<&'static str>,
    pub external_ids: Vec<(&'static str, String)>,
    pub confidence: f64,
    pub evidence: Vec<&'static str>,
    /// Folder and file disagree (the folder says season 3, the file S02).
    pub conflict: Option<String>,
    /// The extra was only guessed (a word in the name, not a suffix or an extras folder).
    pub weak_extra: bool,
    /// How the file name marked its episode, when it did.
    #[serde(skip)]
    pub(crate) mark: Option<EpisodeMark>,
    /// A media server named it (`plex`, `jellyfin`): the name is linked as it is, never
    /// asked about (a person's decision still wins).
    #[serde(skip)]
    pub authority: Option<&'static str>,
    /// Its number counts something other than the show's episodes (an arc's, `[Grp] Show -
    /// Arc - 05`; a group's specials, `- SP1`): no context makes it sure.
    #[serde(skip)]
    pub(crate) own_count: bool,
}

impl Identification {
    /// The title as the catalog names it: with the show's country, `The Office (US)`.
    pub fn full_title(&self) -> Option<String> {
        let t = self.title.as_deref()?;
        Some(match self.country {
            Some(c) => format!("{t} ({c})"),
            None => t.to_owned(),
        })
    }
}

/// Lower-case, "&" → "and", a leading "The" dropped, punctuation gone, spaces folded: the key
/// that matches "Show.Name", "Show Name (2019)" and "the show name".
pub(crate) fn normalise_title(s: &str) -> String {
    if s.is_ascii() {
        normalise_ascii(s)
    } else {
        normalise_any(s)
    }
}

/// A lower-case letter without its accent (`é` → `e`): how a name written without accents
/// spells it.
pub(crate) fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

/// Whether `b` is the same title as `a` written more fully: the same letters and digits,
/// with accents, apostrophes, hyphens, colons or ampersands that `a` left out (a scene name's
/// `Marvels.Agent.Carter` against a person's folder `Marvel's Agent Carter`,
/// `La.Science.Des.Reves` against `La Science des Rêves (2006)`), or with the capitals that
/// `a`, all in lower case, left out (a release's `avatar.the.way.of.water` file in its
/// `Avatar.The.Way.of.Water` folder). A name is shortened by dropping such marks or
/// lowering its letters, never by adding them, so the fuller one is the title as written.
pub(crate) fn fuller_form(a: &str, b: &str) -> bool {
    fn fold(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .map(without_accent)
    }
    // Marks a shortened name loses: anything but plain letters, digits, spaces and dots (a
    // scene name's dots are its spaces: `M.A.S.H.` is not fuller than `MASH`).
    let marks = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_alphanumeric() && *c != ' ' && *c != '.')
            .count()
    };
    let lowered = |s: &str| !s.chars().any(char::is_uppercase);
    let cased = |s: &str| s.chars().any(char::is_uppercase) && s.chars().any(char::is_lowercase);
    let fuller = marks(b) > marks(a) || (marks(b) == marks(a) && lowered(a) && cased(b));
    fuller && fold(a).eq(fold(b))
}

/// Whether two titles are the same film's or show's as written (`normalise_title`), or one
/// is the other written more fully (`fuller_form`).
fn same_title(a: &str, b: &str) -> bool {
    normalise_title(a) == normalise_title(b) || fuller_form(a, b) || fuller_form(b, a)
}

/// `normalise_title` of any name.
fn normalise_any(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let lower = s.to_lowercase().replace('&', " and ");
    for w in lower.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        // (`Amélie` and `Amelie` are one title, as a scene name drops the accent.)
        let w: String = w
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(without_accent)
            .collect();
        if w.is_empty() {
            continue;
        }
        if out.is_empty() && w == "the" {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// `normalise_title` of an ASCII name (most are) in one pass, without the lower-case copy
/// and a string per word: a scan asks it several times a file (measured: a sixth of
/// naming a file of a show's season folder went to its allocations).
fn normalise_ascii(s: &str) -> String {
    fn push(out: &mut String, w: &str) {
        if w.is_empty() || (out.is_empty() && w == "the") {
            return;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut word = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'&' => {
                push(&mut out, &word);
                word.clear();
                push(&mut out, "and");
            }
            // Inside a word, and dropped from it (`Don't` → `dont`).
            b'\'' => {}
            b if b.is_ascii_alphanumeric() => word.push(char::from(b.to_ascii_lowercase())),
            _ => {
                push(&mut out, &word);
                word.clear();
            }
        }
    }
    push(&mut out, &word);
    out
}

/// Extensions a media library holds (and a download leaves): only these are stripped, so a
/// release name's last word (`Test.Part.One`, `Show.S01.Complete`) is never taken for one.
fn known_extension(ext: &str) -> bool {
    const EXT: &[&str] = &[
        "mkv", "mp4", "m4v", "avi", "mov", "wmv", "mpg", "mpeg", "m2ts", "mts", "ts", "flv",
        "webm", "ogm", "ogv", "divx", "wtv", "xvid", "iso", "img", "rmvb", "rm", "3gp", "vob",
        "asf", "srt", "sub", "ass", "ssa", "idx", "sup", "vtt", "nfo", "jpg", "jpeg", "png",
        "heic", "tif", "tiff", "dng", "cr2", "nef", "arw", "mp3", "flac", "m4a", "aac", "ogg",
        "opus", "wav", "txt", "otrkey", "par2", "rar", "zip", "7z", "nzb", "torrent", "part",
        "ext", "strm",
    ];
    EXT.contains(&ext.to_ascii_lowercase().as_str())
}

/// Strips known extensions (`.mpg.HD.avi.otrkey` included).
pub(crate) fn stem(file: &str) -> &str {
    let mut s = file;
    for _ in 0..4 {
        match s.rsplit_once('.') {
            Some((head, ext)) if !head.is_empty() && known_extension(ext) => s = head,
            // `name.mpg.HD.avi`: a quality word between two extensions.
            Some((head, q))
                if s.len() < file.len()
                    && matches!(q.to_ascii_lowercase().as_str(), "hd" | "hq")
                    && head
                        .rsplit_once('.')
                        .is_some_and(|(_, e)| known_extension(e)) =>
            {
                s = head
            }
            _ => break,
        }
    }
    s
}

/// A path's components. `\\` always separates; `/` only where it reads as a path: not inside
/// brackets (`[480p/MKV]`), not in a date (`10/25/2010`), and not at all in a release name
/// that lists titles side by side (`Title / Other Title … Ukr/Eng`).
pub(crate) fn split_path(p: &str) -> Vec<&str> {
    let b = p.as_bytes();
    let release_name = p.contains(" / ");
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut from = 0;
    for (i, c) in p.char_indices() {
        match c {
            // `【4月/字幕社】`: full-width brackets hold a slash the same way.
            '[' | '(' | '{' | '【' | '（' | '「' | '『' => depth += 1,
            ']' | ')' | '}' | '】' | '）' | '」' | '』' => depth = (depth - 1).max(0),
            '\\' => {
                out.push(&p[from..i]);
                from = i + 1;
            }
            '/' => {
                let before = i.checked_sub(1).map(|k| b[k]);
                let after = b.get(i + 1).copied();
                let spaced = before == Some(b' ') || after == Some(b' ');
                let numeric = in_numeric_date(b, i);
                if depth == 0 && !spaced && !numeric && !release_name {
                    out.push(&p[from..i]);
                    from = i + 1;
                }
            }
            _ => {}
        }
    }
    out.push(&p[from..]);
    out.retain(|s| !s.is_empty());
    out
}

/// Whether the `/` at `i` is inside a date like `11/21/17` or `10/25/2010`.
fn in_numeric_date(b: &[u8], i: usize) -> bool {
    let digits_back = |end: usize| {
        b[..end]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let digits_fwd = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let (l, r) = (digits_back(i), digits_fwd(i + 1));
    if l == 0 || r == 0 || l > 2 {
        return false;
    }
    // m/d/y with this slash first, or second.
    let second =
        b.get(i + 1 + r) == Some(&b'/') && (2..=4).contains(&digits_fwd(i + 2 + r)) && r <= 2;
    let first = i > l
        && b[i - l - 1] == b'/'
        && digits_back(i - l - 1) >= 1
        && digits_back(i - l - 1) <= 2
        && (r == 2 || r == 4);
    second || first
}

/// Identifies a path relative to its collection root.
pub fn identify(rel_path: &str, hint: Hint) -> Identification {
    let mut id = read_path(rel_path, hint);
    id.title = id.title.map(article_first);
    id
}

/// `Matrix, The`, `Office, The (US)`: a library's sorting form of a title, its article
/// moved back to the front (`The Matrix`), so it names the same title as its other files.
fn article_first(title: String) -> String {
    const ARTICLES: &[&str] = &[
        "the", "a", "an", "le", "la", "les", "l'", "der", "die", "das", "el", "los", "las", "il",
        "lo", "gli", "de", "het",
    ];
    let Some((head, tail)) = title.rsplit_once(", ") else {
        return title;
    };
    let (article, rest) = match tail.split_once(' ') {
        Some((a, r)) if r.starts_with('(') => (a, Some(r)),
        Some(_) => return title,
        None => (tail, None),
    };
    if !ARTICLES.contains(&article.to_lowercase().as_str()) || head.trim().is_empty() {
        return title;
    }
    let glue = if article.ends_with('\'') { "" } else { " " };
    match rest {
        Some(r) => format!("{article}{glue}{head} {r}"),
        None => format!("{article}{glue}{head}"),
    }
}

/// Identifies a path relative to its collection root (the title as the name spells it).
fn read_path(rel_path: &str, hint: Hint) -> Identification {
    let parts = split_path(rel_path);
    let Some((&file, folders)) = parts.split_last() else {
        return Identification::default();
    };
    // A hidden file (`.DS_Store`), not a name that starts with a dot (`.hack Sign s01e01`).
    if file.starts_with('.') && !file[1..].contains([' ', '.']) {
        return Identification::default();
    }
    let mut id = Identification::default();
    let Folders {
        season: folder_season,
        title: title_folder,
        disc,
        extra: extra_folder,
    } = read_folders_again(folders);
    // A camera's own name (`VID_20230512_181522`, `DSC_0042`): nothing to identify (a
    // disc's `VTS_01_1.VOB` is named by its folders).
    if !disc && camera_file(stem(file)) {
        id.confidence = 0.1;
        id.evidence.push("a camera's file name");
        return id;
    }

    let file_stem = stem(file);
    let ctx = NameContext {
        folder_season,
        episodic: hint == Hint::Shows || folder_season.is_some(),
        films: hint == Hint::Movies,
    };
    let fname = name::read(file_stem, ctx);
    let scene_short = folders
        .last()
        .is_some_and(|parent| folders::scene_group_prefix(file_stem, parent));
    let mut fname = with_release_folder(
        fname,
        title_folder.as_ref(),
        extra_folder.is_some(),
        scene_short,
    );
    name::arc_is_the_show(&mut fname, title_folder.as_ref());
    id.external_ids = fname.external_ids.clone();
    if let Some(tf) = &title_folder {
        for x in &tf.external_ids {
            if !id.external_ids.iter().any(|y| y.0 == x.0) {
                id.external_ids.push(x.clone());
            }
        }
    }
    id.part = fname.part;
    id.edition = fname
        .edition
        .or(title_folder.as_ref().and_then(|t| t.edition));
    let folder_title = title_folder.as_ref().and_then(|t| t.title.clone());
    let folder_year = title_folder.as_ref().and_then(|t| t.year);
    let file_title_generic = fname.year.is_none()
        && !file_stem.contains(['.', ' ', '_'])
        && fname
            .title
            .as_deref()
            .is_some_and(|t| words::generic_file(&t.to_lowercase()))
        // `Quiet Harbor (2013)/a3f9c2e1…f1.mkv`: a machine's name, not a title.
        || (title_folder.is_some() && folders::obfuscated(file_stem))
        // `Season 01/Episode S01E01.mkv`: the word for an episode before its number.
        || (!fname.episodes.is_empty()
            && fname
                .title
                .as_deref()
                .is_some_and(|t| spelled::is_episode_word(&t.to_lowercase())));
    let r = Reading {
        fname,
        hint,
        folder_season,
        title_folder,
        disc,
        extra_folder,
        folder_title,
        folder_year,
        file_title_generic,
        file_stem,
    };
    if let Some(x) = extra_folder.or(r.fname.extra) {
        return as_extra(id, x, &r);
    }
    let show = || r.fname.title.clone().or(r.folder_title.clone());
    if let Some(number) = r.fname.special {
        // Its number, when it has one, is the group's count and may not be the listing's.
        id.episodes = number.into_iter().collect();
        id.own_count = true;
        let c = if number.is_some() { 0.5 } else { 0.4 };
        return as_special(id, show(), None, c, "a fansub's special");
    }
    if let Some(half) = &r.fname.half {
        let words = match &r.fname.episode_title {
            Some(w) => format!("{half} {w}"),
            None => half.clone(),
        };
        return as_special(
            id,
            show(),
            Some(words),
            0.4,
            "a half episode: a recap or a special",
        );
    }
    if r.fname.mark.is_some() || !r.fname.absolute.is_empty() || !r.fname.seasons.is_empty() {
        return as_episode(id, &r);
    }
    as_movie(id, &r)
}

/// What was read of a path before deciding what it is.
struct Reading<'a> {
    fname: NameFacts,
    hint: Hint,
    folder_season: Option<u32>,
    title_folder: Option<NameFacts>,
    disc: bool,
    extra_folder: Option<&'static str>,
    folder_title: Option<String>,
    folder_year: Option<u32>,
    /// The file is named only `episode.mkv`, `movie.mkv`: its folders name it.
    file_title_generic: bool,
    file_stem: &'a str,
}

/// An extra: by folder or suffix it is sure; a word inside a name is a guess.
fn as_extra(mut id: Identification, x: &'static str, r: &Reading<'_>) -> Identification {
    let Reading {
        ref fname,
        extra_folder,
        ref folder_title,
        folder_year,
        file_stem,
        ..
    } = *r;
    id.extra = Some(x);
    id.weak_extra = extra_folder.is_none() && !stem_has_extra_suffix(file_stem);
    id.title = folder_title.clone().or(fname.title.clone());
    id.year = folder_year.or(fname.year);
    id.confidence = if id.weak_extra { 0.5 } else { 0.9 };
    id.evidence.push(if extra_folder.is_some() {
        "extras folder"
    } else {
        "extra suffix"
    });
    id
}

/// An episode: what its mark says, how sure that mark is, and what the folders add.
fn as_episode(mut id: Identification, r: &Reading<'_>) -> Identification {
    let Reading {
        ref fname,
        hint,
        folder_season,
        ref title_folder,
        ref folder_title,
        folder_year,
        file_title_generic,
        ..
    } = *r;
    id.media_type = Some(MediaType::Episode);
    id.mark = fname.mark;
    id.own_count = fname.arc.is_some();
    let file_title = fname.title.clone().filter(|_| !file_title_generic);
    // `JoJo (2012)/Season 02/JoJo - Stardust Crusaders - 12`: the show's folder names the
    // show; what follows it after a dash in the file is a season's or an arc's name.
    let file_title = match (file_title, folder_title) {
        (Some(a), Some(b)) => Some(show_before_dash(&a, b).unwrap_or(a)),
        (a, _) => a,
    };
    // `Marvel's Agent Carter/Season 2/Marvels.Agent.Carter.S02E05…`: the folder writes the
    // show's name in full.
    id.title = match (&file_title, folder_title) {
        (Some(a), Some(b)) if fuller_form(a, b) => Some(b.clone()),
        _ => file_title.clone().or(folder_title.clone()),
    };
    // `[Grp] 01 - Show Name [BD]`, `003. Show Name - Ep Name.avi`, `03-Show.Name.avi` with
    // no folder to name the show: the words after the opening number are the show's, up to
    // a dash (a guess, for a person to confirm). Not `02 The Invitation.mp4`, an episode's
    // own title whose show folder was left off.
    let mut named_after_number = false;
    if id.title.is_none()
        && fname.title.is_none()
        && fname.mark == Some(EpisodeMark::Absolute)
        && let Some(words) = &fname.episode_title
    {
        let (show, rest) = match words.split_once(" - ") {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (words.trim(), None),
        };
        let a_release = fname.release_group_first || !r.file_stem.contains(' ');
        if show.chars().any(char::is_alphabetic) && (a_release || rest.is_some()) {
            id.title = Some(show.to_owned());
            id.episode_title = rest.filter(|r| !r.is_empty()).map(str::to_owned);
            named_after_number = true;
        }
    }
    id.country = if file_title.is_some() {
        fname.country
    } else {
        title_folder.as_ref().and_then(|t| t.country)
    };
    id.year = fname.year.or(folder_year);
    id.episodes = fname.episodes.clone();
    id.absolute = fname.absolute.clone();
    if !named_after_number {
        id.episode_title = fname.episode_title.clone();
    }
    id.air_date = fname
        .air_date
        .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    // `S2016E15`: a season numbered by its year is that year.
    if id.year.is_none()
        && let [s] = fname.seasons[..]
        && name::year_like(&s.to_string()).is_some()
    {
        id.year = Some(s);
    }
    id.seasons = if fname.seasons.is_empty() {
        folder_season.into_iter().collect()
    } else {
        fname.seasons.clone()
    };
    let (mut c, why) = mark_base(r);
    id.evidence.push(why);
    if let (Some(fs), [s]) = (folder_season, fname.seasons.as_slice())
        && fs != *s
        && fname.mark != Some(EpisodeMark::EpisodeOnly)
    {
        id.conflict = Some(format!(
            "the folder says season {fs}, the file name says season {s}"
        ));
        id.evidence.push("folder and file disagree on the season");
        c = c.min(0.45);
    } else if folder_season.is_some() && !fname.seasons.is_empty() {
        c += 0.05;
        id.evidence.push("season folder agrees");
    }
    if let (Some(a), Some(b)) = (&file_title, &folder_title) {
        if same_title(a, b) {
            c += 0.03;
            id.evidence.push("show folder agrees");
        } else if !normalise_title(a).contains(&normalise_title(b))
            && !normalise_title(b).contains(&normalise_title(a))
            && folders::shares_a_word(Some(a), Some(b))
        {
            // The file's own title wins; a folder that spells the show another way is a
            // mild doubt. One that shares no word with it (`/Finish/`, `/incoming/`) is
            // where the file is kept, and says nothing of its show.
            c -= 0.05;
        }
    }
    if id.title.is_none() {
        c = c.min(0.3);
        id.evidence.push("no title found");
    } else if named_after_number {
        c = c.min(0.5);
        id.evidence
            .push("the show's name read after the episode number, with no folder to say it");
    }
    c -= doubts(fname, id.title.as_deref(), &mut id.evidence);
    if hint == Hint::Movies {
        c -= 0.1;
    }
    id.confidence = settled(c);
    id
}

/// The part of a file's title before one of its ` - ` that is the show folder's title.
fn show_before_dash(file: &str, folder: &str) -> Option<String> {
    let key = normalise_title(folder);
    if key.is_empty() {
        return None;
    }
    let mut at = 0;
    while let Some(k) = file[at..].find(" - ") {
        let head = &file[..at + k];
        if normalise_title(head) == key {
            return Some(head.to_owned());
        }
        at += k + 3;
    }
    None
}

/// How sure an episode's mark is by itself, and the evidence it gives.
fn mark_base(r: &Reading<'_>) -> (f64, &'static str) {
    let Reading {
        ref fname,
        hint,
        folder_season,
        ..
    } = *r;
    let c = match fname.mark {
        Some(EpisodeMark::SxxEyy) => 0.9,
        Some(EpisodeMark::Words) => 0.88,
        Some(EpisodeMark::NxM) => 0.86,
        Some(EpisodeMark::Date) => 0.86,
        Some(EpisodeMark::EpisodeOnly) if folder_season.is_some() => 0.84,
        // `Season 3, Episode 21` in other words: the season is in the name.
        Some(EpisodeMark::EpisodeOnly) if !fname.seasons.is_empty() => 0.86,
        // `Show - Episode 12`: an explicit episode of a seasonless show. A file named only
        // `Episode 5` in a show's folder may be any season's: a person says which.
        Some(EpisodeMark::EpisodeOnly) if fname.title.is_some() => 0.8,
        Some(EpisodeMark::EpisodeOnly) => 0.7,
        Some(EpisodeMark::Part) if !fname.seasons.is_empty() => 0.8,
        // `Show.2of6`, `Show.Part.3.HDTV`: a miniseries' or a broadcast's part, where a
        // film's is `CD1 of 2` or untagged.
        Some(EpisodeMark::Part) if fname.part_of_total || fname.tv_source => 0.8,
        Some(EpisodeMark::Part) => 0.6,
        Some(EpisodeMark::Absolute)
            if fname.release_group_first || fname.fansub || hint == Hint::Shows =>
        {
            0.82
        }
        // `Show - 26 - Title`, `Show Name 09 HD`: numbered after a dash or zero-padded,
        // the way episodes are (a sequel is `Rocky 2`).
        Some(EpisodeMark::Absolute) if fname.dashed || fname.padded => 0.8,
        Some(EpisodeMark::Absolute) => 0.65,
        // `Show/Season 03/01 - Title`, `Season 03/Show - 01 - Title`: the way media
        // servers name a season's files; sure when a show's folder holds the season's.
        Some(EpisodeMark::BareNumber) if fname.dashed && r.folder_title.is_some() => 0.8,
        Some(EpisodeMark::BareNumber) if fname.dashed => 0.75,
        Some(EpisodeMark::BareNumber) => 0.7,
        // `the.event.401.hdtv-lol`: a packed number in a broadcast's release, the way the
        // scene numbered episodes, when its episode is one a season has (`Room.237.HDTV`
        // is a film's title, not season 2's episode 37).
        Some(EpisodeMark::Packed) if fname.tv_source && fname.episodes.iter().all(|e| *e <= 30) => {
            0.8
        }
        // `Show - 101 (01) - Title`: the episode said twice, packed and alone.
        Some(EpisodeMark::Packed) if fname.packed_twice => 0.8,
        // `Season 2/castle.203.mkv`: read only when its season digits are the folder's, a
        // second source that agrees (the agreement adds its own share below).
        Some(EpisodeMark::Packed)
            if folder_season.is_some() && fname.episodes.iter().all(|e| *e <= 30) =>
        {
            0.75
        }
        Some(EpisodeMark::Packed) => 0.55,
        // "Show.S01-S03.Complete": a season pack. Sure of what it says, though it has no
        // episode to link (review decides what to do with a pack).
        None => 0.82,
    };
    let why = match fname.mark {
        Some(EpisodeMark::SxxEyy) => "SxxEyy in the file name",
        Some(EpisodeMark::Words) => "season and episode words",
        Some(EpisodeMark::NxM) => "NxMM in the file name",
        Some(EpisodeMark::Date) => "air date in the file name",
        Some(EpisodeMark::EpisodeOnly) => "an episode number",
        Some(EpisodeMark::Part) => "a part number (an episode, or a movie's part)",
        Some(EpisodeMark::Absolute) => "absolute episode number",
        Some(EpisodeMark::BareNumber) => "bare number in a season folder",
        Some(EpisodeMark::Packed) => "three/four-digit number read as season and episode",
        None => "season(s) without an episode number",
    };
    (c, why)
}

/// No episode mark: a movie, or nothing we can name.
fn as_movie(mut id: Identification, r: &Reading<'_>) -> Identification {
    let Reading {
        ref fname,
        hint,
        folder_season,
        ref title_folder,
        disc,
        ref folder_title,
        folder_year,
        file_title_generic,
        ..
    } = *r;
    let file_title = fname.title.clone().filter(|_| !file_title_generic && !disc);
    let episodic_place = folder_season.is_some() || (hint == Hint::Shows && title_folder.is_some());
    if episodic_place {
        id.media_type = Some(MediaType::Episode);
        id.title = folder_title.clone().or(file_title.clone());
        // `Paw Patrol/Season 1/Paw Patrol 101 Pups Make a Splash`: the show's name, then a
        // number whose season digits are the folder's, then the episode's title.
        if let (Some(show), Some(season)) = (folder_title.as_deref(), folder_season)
            && let Some((episode, rest)) = number_after_show(r.file_stem, show, season)
        {
            id.seasons = vec![season];
            id.episodes = vec![episode];
            id.episode_title = rest;
            id.confidence = 0.8;
            id.evidence
                .push("the show's name, then a number read as season and episode");
            return id;
        }
        // A video in a show's season folder with no number: we know the show, not the episode
        // (a special's words are its title: `Show.2013.Christmas.Special`, `Show - Xmas
        // Special`).
        let special = special_of(fname, file_title.as_deref(), None, fname.year).map(|s| s.1);
        // (A special beside the show's seasons is season 0's.)
        id.seasons = folder_season
            .or(special.as_ref().map(|_| 0))
            .into_iter()
            .collect();
        id.episode_title = special.or(file_title);
        id.year = folder_year;
        id.confidence = 0.25;
        id.evidence.push("in a show's folder but no episode number");
        return id;
    }
    let (title, year) = match (&file_title, &folder_title) {
        // `La Science des Rêves (2006)/La.Science.Des.Reves.FRENCH.DVDRip…`: the folder
        // writes the title in full.
        // `Bunker Hotel (1989)/Enki Bilal - Bunker Hotel (Vhs Rip).avi`: one of the file's
        // dashed parts is the film the folder names; the rest is its director's or its cast's.
        (Some(t), Some(f))
            if fuller_form(t, f)
                || (t.contains(" - ") && t.split(" - ").any(|part| same_title(part, f))) =>
        {
            (Some(f.clone()), fname.year.or(folder_year))
        }
        (Some(t), _) => (Some(t.clone()), fname.year.or(folder_year)),
        (None, Some(t)) => (Some(t.clone()), folder_year.or(fname.year)),
        (None, None) => (None, fname.year),
    };
    // "1917 (2019)" is a title; "00001" or "DSC 0001" with no year is not.
    // A release name's title may be a number (`2012.WEB-DL.1080p`).
    let title = match (title, year) {
        (Some(t), Some(_)) => Some(without_list_number(&t).unwrap_or(t)),
        (t, _) => t,
    };
    id.title = title.filter(|t| year.is_some() || fname.tagged || !meaningless_title(t));
    id.year = year;
    if id.title.is_none() || (hint == Hint::Shows && title_folder.is_none()) {
        id.media_type = None;
        id.confidence = 0.1;
        id.evidence.push("nothing in the name to go on");
        return id;
    }
    // `Show.Name.720p.HIST.WEBRip`, `Show.SWEDiSH.720p.HDTV`: a broadcast with no episode
    // number (a film recorded off the air carries its year), or a whole show's pack: an
    // episode's name, for a person.
    let broadcast = fname.broadcast || (fname.tv_source && fname.year.is_none());
    if (broadcast || fname.series_pack) && hint != Hint::Movies && title_folder.is_none() {
        id.media_type = Some(MediaType::Episode);
        id.confidence = 0.4;
        id.evidence.push(if broadcast {
            "a television broadcast, but no episode number"
        } else {
            "a whole series in one name"
        });
        return id;
    }
    // `Show.Name.x264-GRP`, `Show Name 2160p`: a release that states neither a year nor a
    // film's source. A film's release always states both; this is a show's episode whose
    // number the name lost. Which one, a person says. (A film's own release without them
    // still says what its sound or picture is: `Fight Club French 1080p DTS`.)
    let bare_release = fname.video_tagged
        && !fname.film_source
        && !fname.sound_or_picture
        && id.year.is_none()
        && fname.edition.is_none()
        && !fname.release_group_first
        && !fname.fansub;
    if bare_release && hint != Hint::Movies && title_folder.is_none() {
        id.media_type = Some(MediaType::Episode);
        id.confidence = 0.3;
        id.evidence
            .push("a release with neither a year nor a film's source: a show's, unnumbered");
        return id;
    }
    // `Doctor Who - Christmas Special 2023 - The Church on Ruby Road`,
    // `Downton.Abbey.2013.Christmas.Special.HDTV`: a show's special, not a film. Which special
    // of season 0 it is, a person says.
    if let Some((show, words, why)) =
        special_of(fname, file_title.as_deref(), id.title.as_deref(), id.year)
        && hint != Hint::Movies
    {
        id.year = None;
        return as_special(id, show, Some(words), 0.4, why);
    }
    id.media_type = Some(MediaType::Movie);
    let agree = match (&file_title, &folder_title) {
        (Some(a), Some(b)) => {
            same_title(a, b)
                && (fname.year.is_none() || folder_year.is_none() || fname.year == folder_year)
        }
        _ => false,
    };
    // A film's whole release (`WALL-E.720p.BluRay.x264-GRP`) is a film's even without its
    // year; a fansub group's (`[Grp] Show [BD 1080p]`) may be a series' batch.
    let whole_release = fname.film_release && !fname.release_group_first;
    let mut c: f64 = match (id.year.is_some(), hint) {
        (true, _) => 0.85,
        (false, Hint::Movies | Hint::Mixed) if whole_release => 0.8,
        (false, Hint::Movies) => 0.7,
        (false, Hint::Shows) => 0.3,
        (false, _) => 0.55,
    };
    if id.year.is_some() {
        id.evidence.push("title and year");
    } else {
        id.evidence.push("title without a year");
    }
    if agree {
        c += 0.1;
        id.evidence.push("movie folder agrees");
    } else if file_title.is_none() && folder_year.is_some() {
        c += 0.05;
        id.evidence.push(if disc {
            "disc folder named with its year"
        } else {
            "movie folder named with its year"
        });
    }
    if hint == Hint::Shows {
        c -= 0.2;
    }
    c -= doubts(fname, id.title.as_deref(), &mut id.evidence);
    // The box is named for its films' franchise: `X-Men Complete 13 Movie Collection`.
    if let Some(franchise) = id.title.as_deref().and_then(box_of_films) {
        c -= 0.1;
        id.evidence.push("a collection's words in the title");
        id.title = Some(franchise);
    }
    id.confidence = settled(c);
    id
}

/// A film's title after the number of its place in a saga's folder: `01 - Harry Potter…
/// (2001)`, `(1)The Girl With The Dragon Tattoo (2009)`. Only a zero-padded number before
/// a dash, or one in parentheses, and only for a film with its year (`2 Guns (2013)`,
/// `9 - Nine`-like titles keep their number).
fn without_list_number(title: &str) -> Option<String> {
    let digits = |s: &str| s.len() <= 2 && !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let rest = if let Some(r) = title.strip_prefix('(') {
        let (n, rest) = r.split_once(')')?;
        digits(n).then_some(rest)?
    } else {
        let (n, rest) = title.split_once(" - ")?;
        (digits(n) && n.starts_with('0')).then_some(rest)?
    };
    let rest = rest.trim();
    rest.chars()
        .next()
        .is_some_and(char::is_alphabetic)
        .then(|| rest.to_owned())
}

/// A special of the show's season 0 (its number, if any, set by the caller): which one it
/// is, a person says.
fn as_special(
    mut id: Identification,
    show: Option<String>,
    words: Option<String>,
    confidence: f64,
    why: &'static str,
) -> Identification {
    id.media_type = Some(MediaType::Episode);
    id.title = show;
    id.seasons = vec![0];
    id.episode_title = words;
    id.confidence = confidence;
    id.evidence.push(why);
    id
}

/// The episode a file names after its show's name: `Show 101 Title` in season 1's folder
/// (three or four digits, the season's first), and the words after it.
fn number_after_show(stem: &str, show: &str, season: u32) -> Option<(u32, Option<String>)> {
    let show = normalise_title(show);
    let words: Vec<&str> = stem
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let k = (1..words.len()).find(|&k| normalise_title(&words[..k].join(" ")) == show)?;
    let num = words.get(k)?;
    let n: u32 = num.parse().ok().filter(|_| (3..=4).contains(&num.len()))?;
    (n / 100 == season && !n.is_multiple_of(100)).then_some(())?;
    let rest: Vec<&str> = words[k + 1..]
        .iter()
        .copied()
        .filter(|w| *w != "-")
        .collect();
    Some((n % 100, (!rest.is_empty()).then(|| rest.join(" "))))
}

/// A show's special a file names: the show, the special's words as its episode's title,
/// and why. After a dash in the file's own title (`Show - Christmas Special`, the show
/// before it; in the show's folder, whose name the reading's title takes, too), else in the
/// reading's `title` (a folder's); or after the year (`Show.2013.Christmas.Special.The.Day`),
/// the reading's title the show. The year is the special's, not the show's: it joins the
/// special's words (`Christmas Special 2013 - The Day`).
fn special_of(
    fname: &NameFacts,
    file_title: Option<&str>,
    title: Option<&str>,
    year: Option<u32>,
) -> Option<(Option<String>, String, &'static str)> {
    let dated = |words: String| match year {
        Some(y) => format!("{words} {y}"),
        None => words,
    };
    if let Some((show, special)) = [file_title, title]
        .into_iter()
        .flatten()
        .find_map(shows_special)
    {
        return Some((Some(show), dated(special), "a show's special"));
    }
    let title = title.or(file_title);
    let (special, after) = fname.dated_special.as_ref()?;
    let words = dated(special.clone());
    let words = match after {
        Some(e) => format!("{words} - {e}"),
        None => words,
    };
    Some((
        title.map(str::to_owned),
        words,
        "a show's special after its year",
    ))
}

/// `Show - Christmas Special`: the show, and the special's words (a film that is a special,
/// `The Holiday Special (1978)`, has no show before a dash).
fn shows_special(title: &str) -> Option<(String, String)> {
    let (show, rest) = title.split_once(" - ")?;
    let named = rest
        .split(" - ")
        .next()?
        .split(' ')
        .any(|w| w.eq_ignore_ascii_case("special"));
    (named && !show.trim().is_empty()).then(|| (show.trim().to_owned(), rest.trim().to_owned()))
}

/// `X-Men Complete 13 Movie Collection`, `Alien Quadrilogy`: a box of films, not one
/// (`The Collection` is a film: a collection's word right after an article is a title's).
/// Returns the franchise's name: the words before those describing the box, or the whole
/// title when none come before them.
fn box_of_films(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split(' ').collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let k = lower.iter().enumerate().position(|(k, w)| {
        let after_article = k > 0 && matches!(lower[k - 1].as_str(), "the" | "a" | "an");
        !after_article && words::box_of_films(w)
    })?;
    // Back over what describes the box: `Complete 13 Movie`, `Ultimate 5 Film`.
    let describes = |w: &str| {
        matches!(
            w,
            "movie" | "movies" | "film" | "films" | "complete" | "ultimate" | "box" | "set"
        ) || w.bytes().all(|b| b.is_ascii_digit())
    };
    let first = lower[..k]
        .iter()
        .rposition(|w| !describes(w))
        .map_or(0, |p| p + 1);
    Some(if first > 0 {
        words[..first].join(" ")
    } else {
        title.to_owned()
    })
}

/// A confidence as the threshold will compare it: in hundredths, so that 0.85 less 0.05
/// is 0.80, at the threshold, not 0.7999… below it.
pub(crate) fn settled(c: f64) -> f64 {
    (c.clamp(0.0, 0.99) * 100.0).round() / 100.0
}

/// What makes a reading less sure, whatever its mark: numbers nothing explained
/// (`S03E21.22`), a dash left inside the title (`Show - IS`, `Outlaw Star - 23`), a title
/// that ends in a long number (`One Piece 279`).
fn doubts(f: &NameFacts, title: Option<&str>, evidence: &mut Vec<&'static str>) -> f64 {
    let mut d = 0.0;
    // After an explicit mark they are most often a time, a part or an episode's own
    // title (`S09E07.3`, `2012.05.02_22-00`, `S04E01_31 Liebhaber`): the mark still says
    // which episode; after a number that only might be one, they may be the episode.
    if f.unexplained > 0 {
        d += if f.mark.is_some_and(EpisodeMark::is_explicit) {
            0.05
        } else {
            0.15
        };
        evidence.push("numbers nothing explains");
    }
    // A name in another script, or several titles side by side: conventions differ. An
    // explicit mark (`S01E02`, `Сезон 2 Серия 3`) leaves only the title in doubt.
    // (A Latin title chosen among alternatives, `Голубая волна / Blue Crush`, is the
    // reading's own evidence, like an explicit mark.)
    let latin_title = title.is_some_and(|t| {
        t.chars().any(char::is_alphabetic)
            && t.chars()
                .filter(|c| c.is_alphabetic())
                .all(token::latin_letter)
    });
    if f.other_script && latin_title && f.release_group_first {
        // `[Group][中文名][Latin Title][04]`: a fansub's bracket of the title in Latin
        // letters, beside the same in other scripts: the title a library knows.
        evidence.push("a Latin title beside other scripts");
    } else if f.other_script && f.spaced_script && f.year.is_some() {
        // `Жихарка (2007) DVDRip`: one title, in a script that spaces its words as Latin
        // does, before its year: read as surely as a Latin one.
        evidence.push("a name in another script, one title");
    } else if f.other_script {
        d += if f.mark.is_some_and(EpisodeMark::is_explicit) || latin_title {
            0.05
        } else {
            0.1
        };
        evidence.push("a name in another script");
    }
    // Leagues and races are not shows: a person says what to make of them.
    if f.event {
        d += 0.2;
        evidence.push("a sports event numbered in its season");
    }
    if f.worded_number {
        d += 0.05;
        evidence.push("words after the episode number");
    }
    if f.on_disc {
        d += 0.1;
        evidence.push("an episode counted on its disc");
    }
    // `001-220`, `1-291`: a whole series in one file is a pack, not an episode.
    if f.episodes.len() > 30 {
        d += 0.2;
        evidence.push("a range too long for one file");
    }
    if let Some(t) = title {
        // A film's subtitle follows a dash (`Furiosa - A Mad Max Saga (2024)`); a number
        // alone between dashes is an episode's (`Band of Brothers - 109 - Title (2001)`).
        let subtitle = f.mark.is_none()
            && f.seasons.is_empty()
            && f.year.is_some()
            && !t
                .split(" - ")
                .skip(1)
                .any(|p| p.bytes().all(|c| c.is_ascii_digit()));
        if t.contains(" - ") && !subtitle {
            d += 0.1;
            evidence.push("a dash inside the title");
        }
        if f.arc.is_some() {
            d += 0.1;
            evidence.push("an arc's name after the show's");
        }
        // (A movie's title may hold a number: `Blade Runner 2049 (2017)`; a show's too when
        // its episode is marked apart from it: `Mob Psycho 100 - 09`, `The.100.S01E02`.)
        let marked_apart = f.dashed || f.mark.is_none_or(EpisodeMark::is_explicit);
        if f.year.is_none()
            && !marked_apart
            && t.split(' ').any(|w| {
                w.len() >= 3
                    && w.bytes().all(|c| c.is_ascii_digit())
                    && name::year_like(w).is_none()
            })
            && t.split(' ').count() > 1
        {
            d += 0.08;
            evidence.push("a number inside the title");
        }
    }
    d
}

/// A camera's or phone's file name: its prefix, then only digits and separators.
fn camera_file(stem: &str) -> bool {
    let lower = stem.to_lowercase();
    let mut parts = lower.split(['_', '-', ' ', '.']).filter(|p| !p.is_empty());
    let Some(first) = parts.next() else {
        return false;
    };
    // `IMG1234`, `DSC_0042`, `VID_20230512_181522`, `PXL_20230512_181522123`
    let letters: String = first
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let rest_of_first = &first[letters.len()..];
    words::camera_prefix(&letters)
        && rest_of_first.bytes().all(|c| c.is_ascii_digit())
        && parts.all(|p| p.bytes().all(|c| c.is_ascii_digit()) || p == "mp" || p == "hdr")
        && lower.bytes().any(|c| c.is_ascii_digit())
}

/// A name that is no title: only digits and separators, or a camera's file name.
fn meaningless_title(t: &str) -> bool {
    if !t.chars().any(char::is_alphabetic) {
        return true;
    }
    let mut words = t.split([' ', '-']).filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("").to_lowercase();
    words::camera_prefix(&first) && words.all(|w| w.chars().all(|c| c.is_ascii_digit()))
}

fn stem_has_extra_suffix(stem: &str) -> bool {
    let lower = stem.to_lowercase();
    lower.rsplit(['-', '.', ' ', '_']).next().is_some_and(|w| {
        words::extra_suffix(w)
            .or_else(|| words::numbered_extra_suffix(w))
            .is_some()
    }) && (lower.contains('-') || words::extra_suffix(&lower).is_some())
}

/// The one-line JSON `shelf identify` prints: exactly these keys, null where unknown.
pub(crate) fn to_json(input: &str, id: &Identification) -> serde_json::Value {
    use serde_json::{Value, json};
    let one_or_list = |v: &[u32]| -> Value {
        match v {
            [] => Value::Null,
            [x] => json!(x),
            xs => json!(xs),
        }
    };
    json!({
        "input": input,
        "type": id.media_type,
        "title": id.title,
        "year": id.year,
        "season": one_or_list(&id.seasons),
        "episode": one_or_list(&id.episodes),
        "absolute_episode": one_or_list(&id.absolute),
        "episode_title": id.episode_title,
        "air_date": id.air_date,
        "extra": id.extra,
        "confidence": (id.confidence * 100.0).round() / 100.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass form says what the general one says of every ASCII name: each folder
    /// and file of the identification table, and the cases its rules turn on.
    #[test]
    fn an_ascii_title_normalises_as_any_title_does() {
        let table = include_str!("../../tests/data/identify_cases.txt");
        let mut names: Vec<&str> = table
            .lines()
            .filter_map(|l| l.split_once('|')?.1.split_once("=>").map(|(p, _)| p.trim()))
            .flat_map(|p| p.split('/'))
            .collect();
        assert!(names.len() > 500, "{}", names.len());
        names.extend([
            "",
            " ",
            "the",
            "The",
            "THE Office",
            "the the",
            "Them",
            "  The  Show  ",
            "Tom&Jerry",
            "&",
            "& the",
            "the & show",
            "Don't Look Up",
            "'",
            "''the",
            "the'",
            "Rock'n'Roll",
            "A.B.C",
            "Show_Name-2019",
            "S.H.I.E.L.D.",
            "Marvel's Agents",
            "7 Days (2019) [1080p]",
            "UPPER lower 123",
            "Mr. & Mrs. Smith",
            "a--b",
            "x264-GRP",
        ]);
        for n in names.into_iter().filter(|n| n.is_ascii()) {
            assert_eq!(normalise_ascii(n), normalise_any(n), "{n:?}");
        }
    }
}
