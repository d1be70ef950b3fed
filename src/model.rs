//! The domain's own types: ids and the kinds a catalog row can be, each with the text the
//! catalog stores and exports. Every layer uses these (identify, probe and scan included),
//! so none of them needs another's module for a type.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// Text that names none of a kind's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {text:?}: expected {expected}")]
pub struct UnknownKind {
    pub what: &'static str,
    pub text: String,
    pub expected: &'static str,
}

/// An asset (a file the catalog knows) by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct AssetId(pub i64);

/// A collection (a folder tree, or a media server's library) by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CollectionId(pub i64);

/// What a rescan needs to know about a cataloged file to decide whether to touch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub id: AssetId,
    pub size: i64,
    pub mtime_ns: i64,
    /// It has a content hash (a failed read leaves none, and the next scan retries).
    pub hashed: bool,
    pub has_errors: bool,
    pub missing: bool,
    /// Identification has run on it (or it is not a video).
    pub identified: bool,
    /// Its contents were read (or it has none to read: subtitles, other files).
    pub probed: bool,
    /// Not read because its container needs ffprobe and there was none.
    pub needs_ffprobe: bool,
}

/// What kind of media a file is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Video,
    Audio,
    Image,
    Subtitle,
    Other,
}

impl MediaKind {
    pub const ALL: [MediaKind; 5] = [
        Self::Video,
        Self::Audio,
        Self::Image,
        Self::Subtitle,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Image => "image",
            Self::Subtitle => "subtitle",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for MediaKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        Ok(match s {
            "video" => Self::Video,
            "audio" => Self::Audio,
            "image" => Self::Image,
            "subtitle" => Self::Subtitle,
            "other" => Self::Other,
            other => {
                return Err(UnknownKind {
                    what: "media kind",
                    text: other.into(),
                    expected: "video, audio, image, subtitle or other",
                });
            }
        })
    }
}

/// A collection's kind hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectionKind {
    Shows,
    Movies,
    Photos,
    Mixed,
}

impl CollectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shows => "shows",
            Self::Movies => "movies",
            Self::Photos => "photos",
            Self::Mixed => "mixed",
        }
    }
}

impl fmt::Display for CollectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for CollectionKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        match s {
            "shows" => Ok(Self::Shows),
            "movies" => Ok(Self::Movies),
            "photos" => Ok(Self::Photos),
            "mixed" => Ok(Self::Mixed),
            other => Err(UnknownKind {
                what: "kind",
                text: other.into(),
                expected: "shows, movies, photos or mixed",
            }),
        }
    }
}

/// Where a review item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    Pending,
    Resolved,
    Rejected,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Resolved => "resolved",
            Self::Rejected => "rejected",
        }
    }
}

impl fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for ReviewStatus {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        match s {
            "pending" => Ok(Self::Pending),
            "resolved" => Ok(Self::Resolved),
            "rejected" => Ok(Self::Rejected),
            other => Err(UnknownKind {
                what: "review status",
                text: other.into(),
                expected: "pending, resolved or rejected",
            }),
        }
    }
}

/// Why a file waits in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewReason {
    LowConfidence,
    Conflicting,
    AmbiguousTitle,
    NoMatch,
    PossibleExtra,
    DuplicateContent,
    ProbeFailed,
    MissingDate,
    TooShort,
}

impl ReviewReason {
    pub const ALL: [ReviewReason; 9] = [
        Self::LowConfidence,
        Self::Conflicting,
        Self::AmbiguousTitle,
        Self::NoMatch,
        Self::PossibleExtra,
        Self::DuplicateContent,
        Self::ProbeFailed,
        Self::MissingDate,
        Self::TooShort,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LowConfidence => "low_confidence",
            Self::Conflicting => "conflicting",
            Self::AmbiguousTitle => "ambiguous_title",
            Self::NoMatch => "no_match",
            Self::PossibleExtra => "possible_extra",
            Self::DuplicateContent => "duplicate_content",
            Self::ProbeFailed => "probe_failed",
            Self::MissingDate => "missing_date",
            Self::TooShort => "too_short",
        }
    }

    /// What it means, for a person.
    pub fn text(self) -> &'static str {
        match self {
            Self::LowConfidence => "the name could be read, but not surely enough to link it",
            Self::Conflicting => "the folder and the file name disagree",
            Self::AmbiguousTitle => "several titles in the catalog fit this name",
            Self::NoMatch => "nothing in the name could be read as an episode or a movie",
            Self::PossibleExtra => {
                "this may be an extra (trailer, sample, featurette), not the main video"
            }
            Self::DuplicateContent => "another file has exactly the same content",
            Self::ProbeFailed => "the file could not be read as what it claims to be",
            Self::MissingDate => "the photo has no capture date of its own",
            Self::TooShort => "linked as an episode, but shorter than an episode",
        }
    }
}

impl fmt::Display for ReviewReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for ReviewReason {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownKind {
                what: "review reason",
                text: s.into(),
                expected: "low_confidence, conflicting, ambiguous_title, no_match, possible_extra, duplicate_content, probe_failed, missing_date or too_short",
            })
    }
}

/// What made a changeset: a scan, or a person (review decisions, marker edits, undo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangesetKind {
    Scan,
    Review,
    Edit,
    Markers,
    Undo,
}

impl ChangesetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scan => "scan",
            Self::Review => "review",
            Self::Edit => "edit",
            Self::Markers => "markers",
            Self::Undo => "undo",
        }
    }
}

impl fmt::Display for ChangesetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for ChangesetKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        [
            Self::Scan,
            Self::Review,
            Self::Edit,
            Self::Markers,
            Self::Undo,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| UnknownKind {
            what: "changeset kind",
            text: s.into(),
            expected: "scan, review, edit, markers or undo",
        })
    }
}

/// What a marker marks in a recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerKind {
    Chapter,
    /// An ad break.
    Avail,
    Bumper,
    Intro,
    Outro,
}

impl MarkerKind {
    pub const ALL: [MarkerKind; 5] = [
        Self::Chapter,
        Self::Avail,
        Self::Bumper,
        Self::Intro,
        Self::Outro,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Chapter => "chapter",
            Self::Avail => "avail",
            Self::Bumper => "bumper",
            Self::Intro => "intro",
            Self::Outro => "outro",
        }
    }
}

impl fmt::Display for MarkerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for MarkerKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind {
                what: "kind",
                text: s.into(),
                expected: "chapter, avail, bumper, intro or outro",
            })
    }
}

/// Where a marker came from: the file's own chapters, a person, or generated for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerSource {
    File,
    Manual,
    Generated,
}

impl MarkerSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Manual => "manual",
            Self::Generated => "generated",
        }
    }
}

impl fmt::Display for MarkerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for MarkerSource {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        [Self::File, Self::Manual, Self::Generated]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind {
                what: "marker source",
                text: s.into(),
                expected: "file, manual or generated",
            })
    }
}

/// What a title is: a show (with seasons and episodes) or a movie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TitleKind {
    Show,
    Movie,
}

impl TitleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Show => "show",
            Self::Movie => "movie",
        }
    }
}

impl fmt::Display for TitleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for TitleKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        match s {
            "show" => Ok(Self::Show),
            "movie" => Ok(Self::Movie),
            other => Err(UnknownKind {
                what: "title kind",
                text: other.into(),
                expected: "show or movie",
            }),
        }
    }
}

/// A changeset's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangesetStatus {
    InProgress,
    Completed,
    Partial,
    Canceled,
    Interrupted,
    Error,
}

impl ChangesetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Partial => "partial",
            Self::Canceled => "canceled",
            Self::Interrupted => "interrupted",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for ChangesetStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for ChangesetStatus {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        Ok(match s {
            "in_progress" => Self::InProgress,
            "completed" => Self::Completed,
            "partial" => Self::Partial,
            "canceled" => Self::Canceled,
            "interrupted" => Self::Interrupted,
            "error" => Self::Error,
            other => {
                return Err(UnknownKind {
                    what: "changeset status",
                    text: other.into(),
                    expected: "in_progress, completed, partial, canceled, interrupted or error",
                });
            }
        })
    }
}

/// Counts a scan keeps, overall and per collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Counts {
    /// Files found by the walk.
    pub seen: u64,
    /// Entries passed over: FIFOs, sockets, devices, symlink loops.
    pub skipped: u64,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub moved: u64,
    /// Newly marked missing by this scan.
    pub missing: u64,
    /// Previously missing, found again.
    pub returned: u64,
    /// Unchanged but never hashed (an earlier read failed), read again.
    pub retried: u64,
    pub bytes_hashed: u64,
    pub files_hashed: u64,
    /// Videos whose names were identified (linked or queued for review).
    pub identified: u64,
    /// Files whose contents were probed (EXIF, container facts).
    pub probed: u64,
    /// Problems met (the list itself is the report's `errors`).
    #[serde(rename = "error_count")]
    pub errors: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.seen += o.seen;
        self.skipped += o.skipped;
        self.new += o.new;
        self.changed += o.changed;
        self.unchanged += o.unchanged;
        self.moved += o.moved;
        self.missing += o.missing;
        self.returned += o.returned;
        self.retried += o.retried;
        self.bytes_hashed += o.bytes_hashed;
        self.files_hashed += o.files_hashed;
        self.identified += o.identified;
        self.probed += o.probed;
        self.errors += o.errors;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        for k in [
            MediaKind::Video,
            MediaKind::Audio,
            MediaKind::Image,
            MediaKind::Subtitle,
            MediaKind::Other,
        ] {
            assert_eq!(k.as_str().parse::<MediaKind>(), Ok(k));
        }
        for k in [
            CollectionKind::Shows,
            CollectionKind::Movies,
            CollectionKind::Photos,
            CollectionKind::Mixed,
        ] {
            assert_eq!(k.as_str().parse::<CollectionKind>(), Ok(k));
        }
        for s in [
            ReviewStatus::Pending,
            ReviewStatus::Resolved,
            ReviewStatus::Rejected,
        ] {
            assert_eq!(s.as_str().parse::<ReviewStatus>(), Ok(s));
        }
        for k in [
            ChangesetKind::Scan,
            ChangesetKind::Review,
            ChangesetKind::Edit,
            ChangesetKind::Markers,
            ChangesetKind::Undo,
        ] {
            assert_eq!(k.as_str().parse::<ChangesetKind>(), Ok(k));
        }
        for k in MarkerKind::ALL {
            assert_eq!(k.as_str().parse::<MarkerKind>(), Ok(k));
        }
        for s in [
            MarkerSource::File,
            MarkerSource::Manual,
            MarkerSource::Generated,
        ] {
            assert_eq!(s.as_str().parse::<MarkerSource>(), Ok(s));
        }
        for r in ReviewReason::ALL {
            assert_eq!(r.as_str().parse::<ReviewReason>(), Ok(r));
        }
        for k in [TitleKind::Show, TitleKind::Movie] {
            assert_eq!(k.as_str().parse::<TitleKind>(), Ok(k));
        }
        for s in [
            ChangesetStatus::InProgress,
            ChangesetStatus::Completed,
            ChangesetStatus::Partial,
            ChangesetStatus::Canceled,
            ChangesetStatus::Interrupted,
            ChangesetStatus::Error,
        ] {
            assert_eq!(s.as_str().parse::<ChangesetStatus>(), Ok(s));
        }
        assert!("series".parse::<TitleKind>().is_err());
    }
}
