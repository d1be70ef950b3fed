//! What the folders above a file say: a season folder, a show's or a movie's folder (with
//! its year and ids), a disc's structure (`VIDEO_TS`, `BDMV`), an extras folder; and a
//! release folder whose name says what a hashed file inside it is.

use super::name::{self, EpisodeMark, NameContext, NameFacts};
use super::words;

/// Folders that hold a disc's structure: the movie is the folder above.
pub(super) fn disc_folder(lower: &str) -> bool {
    matches!(
        lower,
        "video_ts"
            | "bdmv"
            | "stream"
            | "playlist"
            | "clipinf"
            | "backup"
            | "audio_ts"
            | "certificate"
    )
}

/// The season a folder names: `Season 1`, `Season 01`, `S01`, `Series 2`, `Staffel 3`,
/// `Saison 4`, `Temporada 5`, `Specials` → 0.
pub(crate) fn season_folder(name: &str) -> Option<u32> {
    let lower = name.trim().to_lowercase();
    if words::specials_folder(&lower) {
        return Some(0);
    }
    // `S01`, `S 01`
    let compact: String = lower.chars().filter(|c| *c != ' ').collect();
    let b = compact.as_bytes();
    if b.first() == Some(&b's')
        && b.len() <= 5
        && b.len() >= 2
        && b[1..].iter().all(u8::is_ascii_digit)
    {
        return compact[1..].parse().ok();
    }
    for w in words::SEASON_WORDS {
        if let Some(rest) = lower.strip_prefix(w) {
            let rest = rest.trim_start_matches([' ', '.', '_', '-']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && digits.len() <= 4 {
                let after = &rest[digits.len()..];
                if after.is_empty() || !after.starts_with(|c: char| c.is_alphanumeric()) {
                    return digits.parse().ok();
                }
            }
            // `Season One`, `Series Three (2012)`, `Temporada Dos`: the number in a word.
            let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            let after = &rest[word.len()..];
            if !word.is_empty()
                && (after.is_empty() || !after.starts_with(|c: char| c.is_alphanumeric()))
                && let Some(n) = super::tags::number_word(&word)
            {
                return Some(n);
            }
        }
    }
    None
}

/// What the folders above a file say.
#[derive(Clone)]
pub(super) struct Folders {
    pub(super) season: Option<u32>,
    /// The innermost folder that names a show or a movie.
    pub(super) title: Option<NameFacts>,
    /// The file is inside a disc's structure (`VIDEO_TS`, `BDMV`).
    pub(super) disc: bool,
    pub(super) extra: Option<&'static str>,
}

thread_local! {
    /// The folders last read on this thread, and what they said.
    static LAST: std::cell::RefCell<Option<(Vec<String>, Folders)>> =
        const { std::cell::RefCell::new(None) };
}

/// `read_folders`, remembering the last folders read on this thread: a scan names a folder's
/// files one after another, and its folders say the same for each (measured: a third of
/// naming a file in a show's season folder).
pub(super) fn read_folders_again(folders: &[&str]) -> Folders {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((seen, said)) = last.as_ref()
            && seen.len() == folders.len()
            && seen.iter().zip(folders).all(|(a, b)| a == b)
        {
            return said.clone();
        }
        let said = read_folders(folders);
        *last = Some((
            folders.iter().map(|f| f.to_string()).collect(),
            said.clone(),
        ));
        said
    })
}

/// Reads the folders innermost first: extras, disc structure, season, then the title folder.
fn read_folders(folders: &[&str]) -> Folders {
    let mut folder_season: Option<u32> = None;
    let mut title_folder: Option<NameFacts> = None;
    let mut disc = false;
    let mut extra_folder = None;
    for f in folders.iter().rev() {
        let lower = f.to_lowercase();
        if disc_folder(&lower) {
            disc = true;
            continue;
        }
        if let Some(x) = words::extra_folder(&lower) {
            extra_folder.get_or_insert(x);
            continue;
        }
        if folder_season.is_none()
            && title_folder.is_none()
            && let Some(s) = season_folder(f)
        {
            folder_season = Some(s);
            continue;
        }
        if words::generic_folder(&lower) || obfuscated(f) {
            continue;
        }
        let facts = name::read(f, NameContext::default());
        if facts.title.is_none() {
            continue;
        }
        // "Show.Name.S02.1080p" (a season pack folder) gives a season and a title.
        if folder_season.is_none() && facts.seasons.len() == 1 && facts.episodes.is_empty() {
            folder_season = facts.seasons.first().copied();
        }
        title_folder = Some(facts);
        break;
    }
    Folders {
        season: folder_season,
        title: title_folder,
        disc,
        extra: extra_folder,
    }
}

/// A folder named by a machine, not a person: a hash, an id or an obfuscated release
/// (`XD607ebb-BRc59935-5155473f-1c5f49`, `bdc64bfe-e36f-4af8-b550-e6fd2dfaa507`): letters
/// and digits in pieces of four or more, each piece holding a digit, long, a third of it
/// digits. It names nothing; the folder above it may. A person's name joined by hyphens
/// has a piece of words (`the-glass-key-2001-1080p`), and a run of numbers few letters
/// (`1917-2019-1080p-x264`).
pub(super) fn obfuscated(name: &str) -> bool {
    let (mut digits, mut letters) = (0usize, 0usize);
    for piece in name.split('-') {
        let mut has_digit = false;
        for c in piece.chars() {
            match c {
                '0'..='9' => {
                    digits += 1;
                    has_digit = true;
                }
                'a'..='z' | 'A'..='Z' => letters += 1,
                _ => return false,
            }
        }
        if piece.len() < 4 || !has_digit {
            return false;
        }
    }
    let len = digits + letters;
    len >= 16 && digits * 3 >= len && letters * 5 >= len
}

/// A file read together with its release folder: a file with no episode mark of its own in
/// an episode's release folder takes the folder's episode; a same-episode folder gives its
/// fuller title; a hashed name in a tagged release folder takes the folder's reading.
pub(super) fn with_release_folder(
    mut fname: NameFacts,
    title_folder: Option<&NameFacts>,
    in_extras: bool,
    scene_short: bool,
) -> NameFacts {
    let Some(tf) = title_folder else {
        return fname;
    };
    let strong = |m: Option<EpisodeMark>| m.is_some_and(EpisodeMark::is_explicit);
    // `wthd-cab.avi` in `Charlie.And.Boots.DVDRip.XviD-TheWretched/`,
    // `blow-how.to.be.single.2016….mkv` in `How.To.Be.Single.2016…-BLOW/`: a scene file's
    // short name starts with its group's abbreviation, and its release folder spells the
    // name in full.
    if scene_short && tf.tagged && tf.title.is_some() {
        if strong(fname.mark) {
            if tf.mark.is_none() && tf.seasons == fname.seasons {
                fname.title = tf.title.clone();
            }
        } else if fname.seasons.is_empty() || tf.seasons == fname.seasons {
            let extra = fname.extra;
            fname = tf.clone();
            fname.extra = extra.or(fname.extra);
            return fname;
        }
    }
    // `Hitman Agent 47 (2015)/Hitman Agent 47.mkv`: the number the file's title ends with
    // is the film's, as its folder's title says.
    if fname.mark == Some(EpisodeMark::Absolute)
        && !(fname.dashed || fname.padded || fname.fansub || fname.release_group_first)
        && tf.mark.is_none()
        && tf.seasons.is_empty()
        && let (Some(file), Some(folder), [n]) = (&fname.title, &tf.title, &fname.episodes[..])
        && super::normalise_title(&format!("{file} {n}")) == super::normalise_title(folder)
    {
        fname.title = tf.title.clone();
        fname.mark = None;
        fname.episodes.clear();
        fname.absolute.clear();
        fname.episode_title = None;
    }
    // A file without its own episode mark (`tvs-zoo-dd51-…-11112.mkv`, `E01 - Name.avi`,
    // `VIDEO_TS/VTS_01_1.VOB`) inside an episode's release folder (`Zoo.S01E11E12.…`):
    // the folder says which episode; the file may still narrow it (`E01`).
    if strong(tf.mark)
        && !tf.episodes.is_empty()
        && !strong(fname.mark)
        && fname.seasons.is_empty()
        && fname.year.is_none()
        && !in_extras
        && fname.extra.is_none()
    {
        let own = (fname.mark == Some(EpisodeMark::EpisodeOnly)
            && fname.episodes.iter().all(|e| tf.episodes.contains(e)))
        .then(|| fname.episodes.clone());
        fname = tf.clone();
        if let Some(eps) = own {
            fname.episodes = eps;
        }
    } else if strong(tf.mark)
        && tf.seasons == fname.seasons
        && tf.episodes == fname.episodes
        && tf.title.is_some()
    {
        // `MythBusters.S08E16.720p-aAF/aaf-mb.s08e16.720p.mkv`: the same episode, and the
        // release folder spells the show's name in full. (Unless the file writes it more
        // fully: `Marvel's.Agent.Carter.S02E05…` in `Marvels.Agent.Carter.S02E05…/`.)
        if !fname
            .title
            .as_deref()
            .zip(tf.title.as_deref())
            .is_some_and(|(file, folder)| super::fuller_form(folder, file))
        {
            fname.title = tf.title.clone();
        }
    } else if tf.mark.is_none()
        && !tf.seasons.is_empty()
        && tf.seasons == fname.seasons
        && shares_a_word(fname.title.as_deref(), tf.title.as_deref())
    {
        // `Quincy S05/s-quincy-s0522.mkv`: the season's folder spells the show's name in
        // full where the scene's short name of the file does not.
        fname.title = tf.title.clone();
    }
    // A hashed or obfuscated file (`AHFMZXGHEWD660.mkv`, `abc.mkv`) in a release folder
    // (`Movie.2018.1080p.BluRay.x264-GRP/`): the folder says what it is. So does a film's
    // release folder for the scene's short name of its file (`grp-matrix-1080p.mkv` in
    // `The.Matrix.1999.1080p.BluRay.x264-GRP/`): a word of the title, no year.
    let short_name = || {
        tf.mark.is_none()
            && fname.mark.is_none()
            && tf.year.is_some()
            && shares_a_word(fname.title.as_deref(), tf.title.as_deref())
    };
    if tf.tagged
        && (tf.year.is_some() || tf.mark.is_some())
        && (!fname.tagged || short_name())
        && fname.year.is_none()
        && (fname.seasons.is_empty() || fname.mark == Some(EpisodeMark::Packed))
        && !strong(fname.mark)
    {
        fname = tf.clone();
    }
    fname
}

/// Whether a file's name starts with the abbreviation a scene group writes before its
/// files' short names (`wthd-cab` for `…-TheWretched`, `arw-repack-greenberg…` for
/// `…-ARROW`, `ano-cosmo.720p` for `…-AN0NYM0US[bb]`): a lowercase word before a hyphen
/// whose letters the release folder's group (after its last hyphen) holds in order.
pub(super) fn scene_group_prefix(file_stem: &str, parent: &str) -> bool {
    let Some((prefix, rest)) = file_stem.split_once('-') else {
        return false;
    };
    if !(2..=6).contains(&prefix.len())
        || !prefix
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        || rest.is_empty()
        || rest.bytes().any(|c| c.is_ascii_uppercase())
    {
        return false;
    }
    let parent = parent.trim_end_matches(|c: char| c != ']' && c != '-' && !c.is_alphanumeric());
    let parent = match parent.rfind('[') {
        Some(k) if parent.ends_with(']') && k > 0 => &parent[..k],
        _ => parent,
    };
    let Some((head, group)) = parent.rsplit_once('-') else {
        return false;
    };
    let read = |c: char| match c.to_ascii_lowercase() {
        '0' => 'o',
        c => c,
    };
    let mut letters = group.chars().map(read);
    !head.is_empty()
        && group.len() >= prefix.len()
        && group.chars().all(|c| c.is_ascii_alphanumeric())
        && group.chars().any(|c| c.is_ascii_uppercase())
        && prefix.chars().map(read).all(|p| letters.any(|g| g == p))
}

/// Whether two titles share a word of three letters or more (not an article), or the
/// first runs two or more of the second's words together (`grp-somemovie-1080p` in
/// `Some.Movie.2019…/`: the scene's short name of a file).
pub(super) fn shares_a_word(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let all = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let words = |s: &str| -> Vec<String> {
        all(s)
            .into_iter()
            .filter(|w| w.chars().count() >= 3 && !matches!(w.as_str(), "the" | "and"))
            .collect()
    };
    let b_all = all(b);
    let runs_together = |w: &str| {
        (0..b_all.len()).any(|i| {
            let mut run = String::new();
            b_all[i..].iter().enumerate().any(|(n, x)| {
                run.push_str(x);
                n >= 1 && run == w
            })
        })
    };
    let b = words(b);
    words(a)
        .iter()
        .any(|w| b.contains(w) || (w.len() >= 6 && runs_together(w)))
}
