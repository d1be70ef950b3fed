//! Word lists for release names: what is junk (quality, source, codec, audio, HDR, language,
//! release flags), what names a season folder, an extra, an edition. All lower case.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Release tokens that never belong to a title: once one is met, the title has ended.
pub(crate) fn is_junk(lower: &str) -> bool {
    static SET: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| STRONG.iter().chain(HDR).copied().collect());
    SET.contains(lower)
}

const STRONG: &[&str] = &[
    // 3D and its layouts
    "3d",
    "hsbs",
    "sbs",
    "hou",
    "half-sbs",
    // virtual reality's fields of view
    "vr180",
    "vr360",
    // resolution and quality
    "480p",
    "480i",
    "540p",
    "576p",
    "576i",
    "720p",
    "720i",
    "1080p",
    "1080i",
    "1440p",
    "2160p",
    "4320p",
    "4k",
    "8k",
    "uhd",
    "ultrahd",
    "fhd",
    "qhd",
    // sources
    "bluray",
    "blu-ray",
    "bdrip",
    "brrip",
    "bdremux",
    "remux",
    "web-dl",
    "webdl",
    "webrip",
    "web-rip",
    "hdtv",
    "pdtv",
    "sdtv",
    "dvdrip",
    "dvdr",
    "dvd5",
    "dvd9",
    "dvdscr",
    "hdrip",
    "hdcam",
    "telesync",
    "vhsrip",
    "tvrip",
    "satrip",
    "hddvd",
    "amzn",
    "dsnp",
    "hmax",
    "atvp",
    "pcok",
    "pmtp",
    "uhdbd",
    "bd25",
    "bd50",
    // BD5 and BD9: a Blu-ray's content on a DVD5 or DVD9 disc
    "bd5",
    "bd9",
    // Italian releases: remuxed with other tracks
    "bdmux",
    "bdripmux",
    "brmux",
    "brripmux",
    "dlmux",
    "webmux",
    "webdlrip",
    // video codecs
    "x264",
    "x265",
    "h264",
    "h265",
    "h.264",
    "h.265",
    "hevc",
    "xvid",
    "divx",
    "av1",
    "vp9",
    "vc-1",
    "mpeg2",
    "10bit",
    "10-bit",
    "8bit",
    "12bit",
    "hi10p",
    "hi10",
    "60fps",
    "50fps",
    // audio
    "aac",
    "aac2.0",
    "aac5.1",
    "ac3",
    // AC3 with its dubbed track (German releases: `German.AC3D.DL.720p`)
    "ac3d",
    "ac3ld",
    "ac3md",
    "eac3",
    "e-ac-3",
    "dd2.0",
    "dd5.1",
    "ddp",
    "ddp2.0",
    "ddp5.1",
    "ddp7.1",
    "dd+",
    "dts",
    "dts-hd",
    "dtshd",
    "dts-x",
    "dtsx",
    "truehd",
    "atmos",
    "lpcm",
    "5.1",
    "7.1",
    "2ch",
    "6ch",
    "8ch",
    "dual-audio",
    // release flags and tags no title has
    "proper",
    "repack",
    "rerip",
    // a DVD's layers (`multi.dvd9.pal`)
    "dvd5",
    "dvd9",
    "readnfo",
    // high frame rate (`Extended.HFR.48fps`), a documentary (`DOKU`), Swiss German audio,
    // a DVD rip in DivX (`DVDivX`)
    "hfr",
    "doku",
    "swissgerman",
    "dvdivx",
    "nfofix",
    "prooffix",
    "syncfix",
    "dirfix",
    "vostfr",
    "truefrench",
    "multisubs",
    // Nordic and other subtitle tags: `SWESUB`, `NLSubs`, `DKsubs`.
    "swesub",
    "swesubs",
    "nlsub",
    "nlsubs",
    "dksub",
    "dksubs",
    "nosub",
    "nosubs",
    "finsub",
    "finsubs",
    "plsub",
    "plsubs",
    "multisub",
    "esub",
    "esubs",
    "hardsub",
    "hardsubs",
    "softsub",
];

/// High dynamic range's tags: never a title's word.
const HDR: &[&str] = &["hdr", "hdr10", "hdr10+", "hdr10plus", "dovi", "hlg"];

/// Languages a release names its audio or subtitles by: junk in its tail, a title's word
/// elsewhere (`The Good German`).
const LANGUAGES: &[&str] = &[
    "english",
    "eng",
    "en",
    "french",
    "fre",
    "fra",
    "vf",
    "vff",
    "vfq",
    "vo",
    "german",
    "ger",
    "deu",
    "spanish",
    "spa",
    "esp",
    "castellano",
    "latino",
    "italian",
    "ita",
    "japanese",
    "jpn",
    "jap",
    "korean",
    "kor",
    "chinese",
    "chs",
    "cht",
    "russian",
    "rus",
    "portuguese",
    "por",
    "dutch",
    "nld",
    "swedish",
    "swe",
    "nordic",
    "polish",
    "pol",
    "hindi",
    "hin",
];

/// Words that are junk in a release name's tail but may be a title's own ("It", "Max",
/// "The IT Crowd", "Dual", "Complete"): stripped only from the end of a title.
pub(crate) fn is_weak_junk(lower: &str) -> bool {
    static SET: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| WEAK.iter().chain(LANGUAGES).copied().collect());
    SET.contains(lower)
}

const WEAK: &[&str] = &[
    "hd",
    "sd",
    "hq",
    "web",
    "dvd",
    "bd",
    "cam",
    "ts",
    "tc",
    "scr",
    "screener",
    "hybrid",
    "nf",
    "max",
    "it",
    "stan",
    "crav",
    "itunes",
    "ip",
    "hulu",
    "avc",
    "dd",
    "ma",
    "flac",
    "mp3",
    "opus",
    "pcm",
    "2.0",
    "dual",
    "multi",
    "stereo",
    "audio",
    "mono",
    "dolby",
    "vision",
    "dv",
    "sdr",
    "real",
    "internal",
    "int",
    "limited",
    "subbed",
    "dubbed",
    "subs",
    "sub",
    "complete",
    "festival",
    "retail",
    // straight to video
    "stv",
    "ws",
    "fs",
    "widescreen",
    "fullscreen",
    "ntsc",
    "pal",
    "rip",
    "encode",
    "dl",
    // line-dubbed audio (`German.LD.DVDRip`, `Title.02.FRENCH.LD.DVDRip`); not `MD`, a
    // show's own (`House MD`)
    "ld",
    "mkv",
    "mp4",
    "avi",
];

/// Whether a title's words (lower case) are of the language a release's tag names
/// (`german`, `french`, …): its articles and small words say so (`Der Film deines Lebens`).
pub(crate) fn title_in_language(title: &[&str], language: &str) -> bool {
    let small: &[&str] = match language {
        "german" | "ger" | "deu" => &[
            "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "und", "mit", "vom",
            "zum", "zur", "im", "deines", "meines", "nicht",
        ],
        "french" | "fre" | "fra" => &[
            "le", "la", "les", "des", "du", "un", "une", "et", "au", "aux", "sur", "dans",
        ],
        "spanish" | "spa" | "esp" | "castellano" | "latino" => &[
            "el", "la", "los", "las", "del", "y", "un", "una", "con", "por", "para",
        ],
        "italian" | "ita" => &[
            "il", "lo", "gli", "le", "dei", "del", "della", "di", "e", "un", "una", "per",
        ],
        _ => return false,
    };
    title.iter().any(|w| small.contains(w))
}

/// Editions that a movie name may carry ("Director's Cut", "Extended").
pub fn edition(lower_words: &[&str]) -> Option<(&'static str, usize)> {
    const EDITIONS: &[(&[&str], &str)] = &[
        (&["director's", "cut"], "Director's Cut"),
        (&["directors", "cut"], "Director's Cut"),
        (&["extended", "edition"], "Extended Edition"),
        (&["criterion", "collection"], "Criterion"),
        (&["criterion", "edition"], "Criterion"),
        (&["theatrical", "edition"], "Theatrical Edition"),
        (&["director", "cut"], "Director's Cut"),
        (&["directors", "edition"], "Director's Cut"),
        (&["collectors", "edition"], "Collector's Edition"),
        // French word order and words: `Edition Collector`, `Version Longue`.
        (&["edition", "collector"], "Collector's Edition"),
        (&["édition", "collector"], "Collector's Edition"),
        (&["version", "longue"], "Extended"),
        (&["criterion"], "Criterion"),
        (&["custom", "extended"], "Extended"),
        (&["extended", "cut"], "Extended Cut"),
        (&["special", "edition"], "Special Edition"),
        (&["collector's", "edition"], "Collector's Edition"),
        (&["ultimate", "edition"], "Ultimate Edition"),
        (&["anniversary", "edition"], "Anniversary Edition"),
        (&["theatrical", "cut"], "Theatrical Cut"),
        (&["final", "cut"], "Final Cut"),
        (&["international", "cut"], "International Cut"),
        (&["international", "version"], "International Cut"),
        (&["alternate", "cut"], "Alternate Cut"),
        (&["alternative", "cut"], "Alternate Cut"),
        (&["unrated", "edition"], "Unrated"),
        (&["imax", "edition"], "IMAX"),
        (&["extended"], "Extended"),
        (&["unrated"], "Unrated"),
        (&["uncut"], "Uncut"),
        (&["theatrical"], "Theatrical"),
        (&["remastered"], "Remastered"),
        (&["redux"], "Redux"),
        (&["imax"], "IMAX"),
        (&["dc"], "Director's Cut"),
        (&["fan", "edit"], "Fan Edit"),
        (&["fanedit"], "Fan Edit"),
        (&["restored"], "Restored"),
        (&["despecialized"], "Despecialized"),
    ];
    // `50th Anniversary Edition`: the anniversary's ordinal before it.
    if let [first, rest @ ..] = lower_words
        && let Some(digits) = ["th", "st", "nd", "rd"]
            .iter()
            .find_map(|o| first.strip_suffix(o))
        && !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit())
        && rest.first() == Some(&"anniversary")
    {
        let n = if rest.get(1) == Some(&"edition") {
            3
        } else {
            2
        };
        return Some(("Anniversary Edition", n));
    }
    EDITIONS.iter().find_map(|(ws, name)| {
        (lower_words.len() >= ws.len() && lower_words[..ws.len()] == **ws)
            .then_some((*name, ws.len()))
    })
}

/// Words that say a name is a whole series in one (`COMPLETE`, `INTEGRAL`, and those of
/// `series_in_one`).
pub(crate) fn whole_series(lower: &str) -> bool {
    matches!(lower, "complete" | "completa" | "integral") || series_in_one(lower)
}

/// Words that name a whole show in one release by themselves (`MINISERIES`, French
/// `L'Intégrale` and `Coffret Intégrale`): unlike `Complete`, never a film's.
pub(crate) fn series_in_one(lower: &str) -> bool {
    matches!(
        lower,
        "miniseries"
            | "mini-series"
            | "integrale"
            | "intégrale"
            | "l'integrale"
            | "l'intégrale"
            | "coffret"
    )
}

/// Words that say a name is a box of films (`Collection`, `Anthology`, `Trilogy`).
pub(crate) fn box_of_films(lower: &str) -> bool {
    matches!(lower, "collection" | "anthology" | "boxset") || films_by_number(lower)
}

/// `Trilogy` … `Octalogy`: a box of a number of films.
pub(crate) fn films_by_number(lower: &str) -> bool {
    matches!(
        lower,
        "trilogy"
            | "tetralogy"
            | "quadrilogy"
            | "pentalogy"
            | "hexalogy"
            | "heptalogy"
            | "octalogy"
    )
}

/// Folder names that hold extras, and the kind they hold.
pub(crate) fn extra_folder(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "extras" | "extra" | "bonus" | "bonus features" | "special features" => "extra",
        "featurettes" | "featurette" => "featurette",
        "behind the scenes" | "behindthescenes" | "making of" => "behindthescenes",
        "deleted scenes" | "deletedscenes" | "deleted" => "deleted",
        "interviews" | "interview" => "interview",
        "scenes" => "scene",
        "shorts" | "short" => "short",
        "trailers" | "trailer" => "trailer",
        "samples" | "sample" => "sample",
        "other" | "others" | "bloopers" | "blooper reel" | "gag reel" | "outtakes" => "other",
        "clips" | "clip" => "clip",
        // A server's theme videos and songs, played behind a title's page.
        "backdrops" | "theme-music" | "theme music" | "theme-videos" => "theme",
        _ => return None,
    })
}

/// A disc's creditless opening or ending (`NCOP`, `NCED`; lower case, digits cut off).
pub(crate) fn creditless(lower: &str) -> bool {
    matches!(lower, "ncop" | "nced")
}

/// An extra's suffix with a count after it (`trailer2`: a film's second trailer).
pub(crate) fn numbered_extra_suffix(lower: &str) -> Option<&'static str> {
    let w = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    if w.len() < lower.len() {
        extra_suffix(w)
    } else {
        None
    }
}

/// File name suffixes (after a `-`, `.` or space) that mark an extra.
pub(crate) fn extra_suffix(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "trailer" | "teaser" => "trailer",
        "sample" => "sample",
        "featurette" => "featurette",
        "behindthescenes" => "behindthescenes",
        "deleted" | "deletedscene" => "deleted",
        "interview" => "interview",
        "scene" => "scene",
        "short" => "short",
        "other" | "extra" => "other",
        "clip" => "clip",
        _ => return None,
    })
}

/// Words that start a season folder name, in the languages libraries use.
pub(crate) const SEASON_WORDS: &[&str] = &[
    "season",
    "series",
    "staffel",
    "saison",
    "temporada",
    "stagione",
    "seizoen",
    "sezon",
    "säsong",
    "sasong",
    "sæson",
    "kausi",
    "sesong",
    "sezona",
    "temporadas",
    "сезон",
    // a season that a show calls a book (`Book 1 - Water`, `Book Two`)
    "book",
];

/// Sources that are a television broadcast recorded (`HDTV`, `PDTV`, `DSR`, `TVRip`).
pub(crate) fn tv_source(lower: &str) -> bool {
    matches!(
        lower,
        "hdtv" | "pdtv" | "sdtv" | "dsr" | "dsrip" | "tvrip" | "hdtvrip" | "dvb"
    )
}

/// A film's source among a release's tags: a disc, a web store, a cinema, or 3D. A
/// release with none of these, no year and no episode number (`Show.Name.x264-GRP`) is no
/// scene film, which always states its year and source.
pub(crate) fn film_source(lower: &str) -> bool {
    const PREFIXES: &[&str] = &["blu", "bd", "br", "dvd", "web", "hddvd", "uhdbd"];
    PREFIXES.iter().any(|p| lower.starts_with(p))
        || matches!(
            lower,
            "remux"
                | "hdrip"
                | "hdcam"
                | "cam"
                | "ts"
                | "tc"
                | "telesync"
                | "telecine"
                | "scr"
                | "screener"
                | "vhsrip"
                | "amzn"
                | "nf"
                | "dsnp"
                | "hmax"
                | "atvp"
                | "pcok"
                | "pmtp"
                | "itunes"
                | "3d"
                | "hsbs"
                | "sbs"
                | "hou"
                | "imax"
        )
}

/// A video codec's tag (`x264`, `HEVC`, `XviD`).
fn video_codec(lower: &str) -> bool {
    matches!(
        lower,
        "x264" | "x265" | "h264" | "h265" | "h.264" | "h.265" | "hevc" | "xvid" | "divx" | "av1"
    )
}

/// An encoding's tag: a video codec (`x264`, `XviD`, `AVC`) or an audio one (`AC3`, `DTS`,
/// `DDP5.1`, `FLACx2`). A release states how it was encoded; a person's own file seldom does.
pub(crate) fn encoding(lower: &str) -> bool {
    video_codec(lower) || lower == "avc" || super::tags::audio_codec(lower)
}

/// A disc's volume (`vol.03`, `Volume 2`): the number after it counts discs, not episodes.
pub(crate) fn volume(lower: &str) -> bool {
    matches!(lower, "vol" | "volume")
}

/// A language a release's audio is dubbed in or sold in (`French`, `VFF`, `rus`, `Multi`).
pub(crate) fn dub_language(lower: &str) -> bool {
    LANGUAGES.contains(&lower) || matches!(lower, "truefrench" | "vostfr" | "multi")
}

/// A high dynamic range's tag (`HDR`, `HDR10`, `HDR10+`, `DoVi`).
pub(crate) fn hdr(lower: &str) -> bool {
    HDR.contains(&lower)
}

/// A video tag: a resolution (`720p`, `2160p`, `480i`) or a video codec (`x264`, `HEVC`).
pub(crate) fn video_tag(lower: &str) -> bool {
    super::tags::resolution(lower) || video_codec(lower)
}

/// A television network's tag in a release name (`Show.Name.720p.HIST.WEBRip`): the
/// release is a broadcast, most likely a show's episode. Streaming services that release
/// films as well (`AMZN`, `NF`) are not in it.
pub(crate) fn tv_network(lower: &str) -> bool {
    matches!(
        lower,
        "abc"
            | "amc"
            | "bbc"
            | "cbs"
            | "cw"
            | "fox"
            | "nbc"
            | "pbs"
            | "itv"
            | "hist"
            | "natg"
            | "tlc"
            | "tbs"
            | "fxx"
            | "syfy"
            | "bravo"
            | "dsny"
            | "nick"
            | "seso"
            | "ifc"
            | "usan"
            | "cc"
            | "sho"
            | "starz"
            | "aetv"
            | "dcu"
            | "ovid"
    )
}

/// A country that names an edition of a show (`The Office US`), as the catalog writes it.
pub fn country(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "us" | "usa" => "US",
        "uk" | "gb" => "UK",
        "au" => "AU",
        "ca" => "CA",
        "nz" => "NZ",
        "ie" => "IE",
        _ => return None,
    })
}

/// What kind of special an anime episode was released as: an original video (`OVA`,
/// `OAD`) or net (`ONA`) animation.
pub(crate) fn anime_special(lower: &str) -> bool {
    matches!(lower, "ova" | "oad" | "ona")
}

/// The occasion a show's special is made for (`Christmas Special`, `Anniversary Special`).
pub(crate) fn occasion(lower: &str) -> bool {
    matches!(
        lower,
        "christmas"
            | "xmas"
            | "holiday"
            | "holidays"
            | "anniversary"
            | "halloween"
            | "easter"
            | "thanksgiving"
            | "new"
            | "year"
            | "years"
            | "year's"
            | "eve"
            | "valentine's"
            | "valentines"
            | "reunion"
            | "festive"
    )
}

/// Folder names that mean season 0.
pub(crate) fn specials_folder(lower: &str) -> bool {
    // (An anime library keeps its OVAs beside its seasons: `Show/OVA/01.mkv`.)
    matches!(lower, "specials" | "special" | "season 0" | "extras season")
        || anime_special(lower.strip_suffix('s').unwrap_or(lower))
}

/// Generic names a library gives its top folders: never a show or movie title.
pub(crate) fn generic_folder(lower: &str) -> bool {
    matches!(
        lower,
        "tv" | "tv shows"
            | "tvshows"
            | "shows"
            | "series"
            | "movies"
            | "films"
            | "movie"
            | "film"
            | "videos"
            | "video"
            | "media"
            | "anime"
            | "downloads"
            | "complete"
            | "library"
            | "kids"
            | "documentaries"
            | "4k"
            | "uhd"
            | "hd"
            // a family's own, a recorder's, and other languages' words for the same
            | "home videos"
            | "home movies"
            | "family videos"
            | "recorded tv"
            | "recordings"
            | "dvr"
            | "serien"
            | "filme"
            | "séries"
            | "películas"
            | "peliculas"
            | "incoming"
            | "completed"
    )
}

/// Names a file may have that say nothing of the title ("movie.mkv" in "Heat (1995)/").
pub(crate) fn generic_file(lower: &str) -> bool {
    matches!(
        lower,
        "movie" | "film" | "video" | "feature" | "main" | "title" | "video_ts" | "index"
    )
}

/// The prefixes cameras and phones give their files (`DSC_0001`, `IMG_1234`, `GOPR0042`).
pub(crate) fn camera_prefix(lower: &str) -> bool {
    matches!(
        lower,
        "dsc"
            | "dscn"
            | "dscf"
            | "img"
            | "mvi"
            | "vid"
            | "pxl"
            | "gopr"
            | "gp"
            | "dji"
            | "mov"
            | "vts"
            | "clip"
            | "sam"
            | "wp"
            | "p"
            | "mah"
            | "imag"
    )
}
