//! The domain's own types: ids and the kinds a catalog row can be, each with the text the
//! catalog stores and exports. Every layer uses these (identify, probe and scan included),
//! so none of them needs another's module for a type.

use serde::Serialize;

/// Text that names none of a kind's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {text:?}: expected {}", one_of(.expected))]
pub struct UnknownKind {
    pub what: &'static str,
    pub text: String,
    pub expected: &'static [&'static str],
}

/// `a, b or c`.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A kind stored as text: the enum, every value (`ALL`), its one text (`as_str`, `Display`,
/// serde) and `FromStr`, which names the texts it knows. One definition per kind, so the
/// text the catalog stores, exports and parses cannot drift apart.
macro_rules! text_kind {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
            const TEXTS: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::UnknownKind;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|k| k.as_str() == s)
                    .ok_or_else(|| $crate::model::UnknownKind {
                        what: $what,
                        text: s.into(),
                        expected: Self::TEXTS,
                    })
            }
        }
    };
}
pub(crate) use text_kind;

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
    /// Read for its fingerprint; its full hash may still be pending (`hashed` says).
    pub fingerprinted: bool,
}

/// The catalog's files of one collection, as a rescan compares them with a walk: sorted by
/// path, the paths in one buffer. At a million files this is ~95 bytes a file, against
/// ~200 for a map from each path to its facts.
#[derive(Debug, Default)]
pub struct Snapshot {
    paths: Vec<u8>,
    /// (where the path starts in `paths`, its length, the file's facts), by path. Offsets
    /// are `usize`: `u32`s would save 8 bytes a row but wrap past 4 GiB of paths.
    rows: Vec<(usize, usize, Known)>,
}

impl Snapshot {
    /// An empty snapshot with room for `n` files whose paths take `bytes`.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        Self {
            paths: Vec::with_capacity(bytes),
            rows: Vec::with_capacity(n),
        }
    }

    /// Adds a file (in any order; `seal` sorts).
    pub fn push(&mut self, path: &[u8], known: Known) {
        let start = self.paths.len();
        self.paths.extend_from_slice(path);
        self.rows.push((start, path.len(), known));
    }

    /// Sorts by path (byte order, as the walk sorts) and gives back spare room.
    pub fn seal(mut self) -> Self {
        let paths = std::mem::take(&mut self.paths);
        self.rows
            .sort_unstable_by(|a, b| paths[a.0..][..a.1].cmp(&paths[b.0..][..b.1]));
        self.paths = paths;
        self.paths.shrink_to_fit();
        self.rows.shrink_to_fit();
        self
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The path and facts of the `i`th file, by path order.
    pub fn at(&self, i: usize) -> (&[u8], &Known) {
        let (start, len, ref k) = self.rows[i];
        (&self.paths[start..][..len], k)
    }

    /// Every file, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Known)> {
        (0..self.len()).map(|i| self.at(i))
    }

    /// The files under the folder `dir` (a relative path), as their own snapshot: a scan
    /// of that folder alone compares with these, and no other file can go missing.
    pub fn under(&self, dir: &[u8]) -> Snapshot {
        let mut prefix = dir.to_vec();
        prefix.push(b'/');
        // Paths with one prefix are one run of the sorted rows.
        let from = self
            .rows
            .partition_point(|r| &self.paths[r.0..][..r.1] < prefix.as_slice());
        let mut out = Snapshot::default();
        for i in from..self.len() {
            let (path, k) = self.at(i);
            if !path.starts_with(&prefix) {
                break;
            }
            out.push(path, *k);
        }
        out
    }

    /// The facts of the file at `path`, if cataloged.
    pub fn get(&self, path: &[u8]) -> Option<&Known> {
        let i = self
            .rows
            .binary_search_by(|r| self.paths[r.0..][..r.1].cmp(path))
            .ok()?;
        Some(self.at(i).1)
    }
}

text_kind! {
    /// What kind of media a file is, by its extension.
    MediaKind, "media kind" {
        Video => "video",
        Audio => "audio",
        Image => "image",
        Subtitle => "subtitle",
        Other => "other",
    }
}

text_kind! {
    /// A collection's kind hint.
    CollectionKind, "kind" {
        Shows => "shows",
        Movies => "movies",
        Photos => "photos",
        Mixed => "mixed",
    }
}

text_kind! {
    /// Where a review item stands.
    ReviewStatus, "review status" {
        Pending => "pending",
        Resolved => "resolved",
        Rejected => "rejected",
    }
}

text_kind! {
    /// Why a file waits in the review queue.
    ReviewReason, "review reason" {
        LowConfidence => "low_confidence",
        Conflicting => "conflicting",
        AmbiguousTitle => "ambiguous_title",
        NoMatch => "no_match",
        PossibleExtra => "possible_extra",
        DuplicateContent => "duplicate_content",
        ProbeFailed => "probe_failed",
        MissingDate => "missing_date",
        TooShort => "too_short",
    }
}

text_kind! {
    /// What made a changeset: a scan, or a person (review decisions, marker edits, undo).
    ChangesetKind, "changeset kind" {
        Scan => "scan",
        Review => "review",
        Edit => "edit",
        Markers => "markers",
        Undo => "undo",
    }
}

text_kind! {
    /// What a marker marks in a recording.
    MarkerKind, "kind" {
        Chapter => "chapter",
        /// An ad break.
        Avail => "avail",
        Bumper => "bumper",
        Intro => "intro",
        Outro => "outro",
    }
}

text_kind! {
    /// Where a marker came from: the file's own chapters, a person, or generated for a person.
    MarkerSource, "marker source" {
        File => "file",
        Manual => "manual",
        Generated => "generated",
        Plex => "plex",
        Jellyfin => "jellyfin",
    }
}

text_kind! {
    /// What a title is: a show (with seasons and episodes) or a movie.
    TitleKind, "title kind" {
        Show => "show",
        Movie => "movie",
    }
}

text_kind! {
    /// A changeset's state.
    ChangesetStatus, "changeset status" {
        InProgress => "in_progress",
        Completed => "completed",
        Partial => "partial",
        Canceled => "canceled",
        Interrupted => "interrupted",
        Error => "error",
    }
}

impl ReviewReason {
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
    /// Large files cataloged by their fingerprint whose full hash is still to read when the
    /// scan ended (canceled, or `scan.hash = "fingerprint"`); the next scan reads them.
    pub hash_pending: u64,
    pub hash_pending_bytes: u64,
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
        self.hash_pending += o.hash_pending;
        self.hash_pending_bytes += o.hash_pending_bytes;
        self.errors += o.errors;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder's files are the paths below it, not a sibling whose name starts alike
    /// (`a/b!x` sorts before `a/b/`, `a/bc` after it).
    #[test]
    fn a_snapshot_under_a_folder_holds_its_files_only() {
        let k = |id| Known {
            id: AssetId(id),
            size: 1,
            mtime_ns: 1,
            hashed: true,
            has_errors: false,
            missing: false,
            identified: true,
            probed: true,
            needs_ffprobe: false,
            fingerprinted: false,
        };
        let mut s = Snapshot::default();
        for (i, p) in ["a/b!x", "a/bc/y", "a/b/z", "a/b/c/w", "a/b", "b/x"]
            .iter()
            .enumerate()
        {
            s.push(p.as_bytes(), k(i as i64));
        }
        let s = s.seal();
        let under = s.under(b"a/b");
        let paths: Vec<&[u8]> = under.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, vec![&b"a/b/c/w"[..], b"a/b/z"]);
        assert!(s.under(b"c").is_empty());
    }

    /// Every value reads back from its text, prints it, and serialises to it.
    fn round_trip<K>(all: &[K])
    where
        K: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + Serialize,
        K: std::str::FromStr<Err = UnknownKind>,
    {
        for k in all.iter().copied() {
            let text = k.to_string();
            assert_eq!(text.parse::<K>(), Ok(k));
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(text));
        }
    }

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        round_trip(MediaKind::ALL);
        round_trip(CollectionKind::ALL);
        round_trip(ReviewStatus::ALL);
        round_trip(ReviewReason::ALL);
        round_trip(ChangesetKind::ALL);
        round_trip(ChangesetStatus::ALL);
        round_trip(MarkerKind::ALL);
        round_trip(MarkerSource::ALL);
        round_trip(TitleKind::ALL);
        assert_eq!(ChangesetStatus::InProgress.as_str(), "in_progress");
        let e = "series".parse::<TitleKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown title kind \"series\": expected show or movie"
        );
        assert!(
            "cartoons"
                .parse::<CollectionKind>()
                .unwrap_err()
                .to_string()
                .ends_with("expected shows, movies, photos or mixed")
        );
    }
}
