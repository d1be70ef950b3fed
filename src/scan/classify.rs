//! Media kind by file extension, and a collection's kind guessed from a sample of its files.

use crate::model::{CollectionKind, MediaKind};

const VIDEO: &[&str] = &[
    "3g2", "3gp", "asf", "avi", "divx", "f4v", "flv", "iso", "m2t", "m2ts", "m2v", "m4v", "mkv",
    "mov", "mp4", "mpe", "mpeg", "mpg", "mts", "mxf", "ogm", "ogv", "qt", "rm", "rmvb", "tp", "ts",
    "vob", "webm", "wmv", "wtv", "xvid",
];
const AUDIO: &[&str] = &[
    "aac", "aif", "aifc", "aiff", "alac", "ape", "dff", "dsf", "flac", "m4a", "m4b", "mka", "mp2",
    "mp3", "mpc", "oga", "ogg", "opus", "wav", "wma", "wv",
];
const IMAGE: &[&str] = &[
    "arw", "avif", "bmp", "cr2", "cr3", "dng", "gif", "heic", "heif", "jfif", "jpe", "jpeg", "jpg",
    "jxl", "nef", "orf", "png", "raf", "rw2", "srw", "tif", "tiff", "webp",
];
const SUBTITLE: &[&str] = &[
    "ass", "idx", "smi", "srt", "ssa", "sub", "sup", "ttml", "vtt",
];

/// The kind of a file, from the extension of its name (bytes, case-insensitive).
pub(crate) fn classify(name: &[u8]) -> MediaKind {
    let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
        return MediaKind::Other;
    };
    let ext = &name[dot + 1..];
    if ext.is_empty() || ext.len() > 5 || ext.contains(&b'/') {
        return MediaKind::Other;
    }
    let mut lower = [0u8; 5];
    for (d, s) in lower.iter_mut().zip(ext) {
        *d = s.to_ascii_lowercase();
    }
    let Ok(ext) = std::str::from_utf8(&lower[..ext.len()]) else {
        return MediaKind::Other;
    };
    if VIDEO.binary_search(&ext).is_ok() {
        MediaKind::Video
    } else if IMAGE.binary_search(&ext).is_ok() {
        MediaKind::Image
    } else if AUDIO.binary_search(&ext).is_ok() {
        MediaKind::Audio
    } else if SUBTITLE.binary_search(&ext).is_ok() {
        MediaKind::Subtitle
    } else {
        MediaKind::Other
    }
}

/// Does a relative path look like a TV episode (an `SxxEyy`/`NxMM` mark, or a season folder)?
fn looks_episodic(rel: &[u8]) -> bool {
    let lower: Vec<u8> = rel.iter().map(u8::to_ascii_lowercase).collect();
    let has_se = lower.windows(2).enumerate().any(|(i, w)| {
        w[0] == b's' && w[1].is_ascii_digit() && {
            let rest = &lower[i + 1..];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            rest.get(digits) == Some(&b'e') && rest.get(digits + 1).is_some_and(u8::is_ascii_digit)
        }
    });
    let has_nx = lower.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b'x' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    });
    has_se
        || has_nx
        || ["season ", "series ", "staffel ", "saison ", "temporada "]
            .iter()
            .any(|w| lower.windows(w.len()).any(|x| x == w.as_bytes()))
}

/// Whether the name reads surely as an episode without a season's marks: an anime's
/// absolute number (`[Group] Show - 12`), a daily show's air date. A bare number
/// (`Show.Name.1089`) is not sure alone and does not count. Names are read at ~100,000 a
/// second, so a sample of thousands costs milliseconds.
fn named_as_episode(rel: &[u8]) -> bool {
    let id = crate::identify::identify(&String::from_utf8_lossy(rel), crate::identify::Hint::Mixed);
    id.media_type == Some(crate::identify::MediaType::Episode) && id.confidence >= 0.8
}

/// Guesses a collection's kind from (a sample of) its relative paths: mostly photos →
/// `photos`; mostly videos that look episodic → `shows`; mostly other videos → `movies`;
/// otherwise `mixed`.
pub(crate) fn guess_collection_kind<'a>(
    paths: impl IntoIterator<Item = &'a [u8]>,
) -> CollectionKind {
    let (mut images, mut videos, mut episodic) = (0usize, 0usize, 0usize);
    for p in paths {
        match classify(p) {
            MediaKind::Image => images += 1,
            MediaKind::Video => {
                videos += 1;
                if looks_episodic(p) || named_as_episode(p) {
                    episodic += 1;
                }
            }
            _ => {}
        }
    }
    let media = images + videos;
    if media == 0 {
        return CollectionKind::Mixed;
    }
    if images * 10 >= media * 9 {
        CollectionKind::Photos
    } else if videos * 10 >= media * 9 {
        if episodic * 10 >= videos * 7 {
            CollectionKind::Shows
        } else if episodic * 10 <= videos * 2 {
            CollectionKind::Movies
        } else {
            CollectionKind::Mixed
        }
    } else {
        CollectionKind::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_tables_are_sorted_for_binary_search() {
        for t in [VIDEO, AUDIO, IMAGE, SUBTITLE] {
            assert!(t.windows(2).all(|w| w[0] < w[1]), "{t:?}");
        }
    }

    #[test]
    fn classifies_by_extension() {
        let cases: &[(&[u8], MediaKind)] = &[
            (b"Show/S01E01.mkv", MediaKind::Video),
            (b"a.MP4", MediaKind::Video),
            (b"IMG_0001.JPG", MediaKind::Image),
            (b"x.heic", MediaKind::Image),
            (b"song.flac", MediaKind::Audio),
            (b"movie.en.srt", MediaKind::Subtitle),
            (b"notes.txt", MediaKind::Other),
            (b"noext", MediaKind::Other),
            (b"dir.mkv/file", MediaKind::Other),
            (b"trailing.", MediaKind::Other),
            (b"bad\xff.mkv", MediaKind::Video),
            (b"x.\xff\xfe", MediaKind::Other),
        ];
        for (p, k) in cases {
            assert_eq!(classify(p), *k, "{}", String::from_utf8_lossy(p));
        }
    }

    #[test]
    fn guesses_collection_kind() {
        let shows: Vec<&[u8]> = vec![
            b"Show/Season 1/Show.S01E01.mkv",
            b"Show/Season 1/e2.mkv",
            b"Other/1x03.mkv",
        ];
        assert_eq!(guess_collection_kind(shows), CollectionKind::Shows);
        // Episodes without a season's marks: an anime's absolute numbers, air dates.
        let anime: Vec<&[u8]> = vec![
            b"Frieren/[SubsPlease] Frieren - 01 (1080p) [8E0F2C4A].mkv",
            b"Frieren/[SubsPlease] Frieren - 02 (1080p) [1A2B3C4D].mkv",
            b"One Piece/[Erai-raws] One Piece - 1071 [720p].mkv",
            b"The Daily Show/The.Daily.Show.2024.03.14.720p.WEB.h264.mkv",
        ];
        assert_eq!(guess_collection_kind(anime), CollectionKind::Shows);
        let movies: Vec<&[u8]> = vec![
            b"Heat (1995)/Heat (1995).mkv",
            b"Alien (1979).mp4",
            b"poster.jpg",
        ];
        assert_eq!(guess_collection_kind(movies), CollectionKind::Mixed);
        let movies: Vec<&[u8]> = vec![b"Heat (1995)/Heat (1995).mkv", b"Alien (1979).mp4"];
        assert_eq!(guess_collection_kind(movies), CollectionKind::Movies);
        let photos: Vec<&[u8]> = vec![b"2023/IMG_1.jpg", b"2023/IMG_2.heic", b"notes.txt"];
        assert_eq!(guess_collection_kind(photos), CollectionKind::Photos);
        assert_eq!(
            guess_collection_kind(Vec::<&[u8]>::new()),
            CollectionKind::Mixed
        );
    }
}
