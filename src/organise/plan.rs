//! The plan: each inbox file → where it goes, or why it does not. Pure: the files, their
//! dates and hashes, what DEST holds, and a template in; a list of entries out.
//!
//! - A photo or video goes to the template's path, dated by its capture time as the camera's
//!   clock wrote it (a time known only in UTC, like a file's mtime, is taken to local time).
//! - A name already taken (on disk or earlier in the plan, compared case-insensitively) by
//!   other content gets the first free suffix: `IMG_0007_1.JPG`.
//! - Content already in DEST, or earlier in the plan, is a duplicate: not placed again.
//! - Sidecars (`.xmp`, `.aae`) and the other halves of pairs (RAW+JPEG, a Live Photo's
//!   `.MOV`) travel with their primary: same folder, the primary's new stem.
//! - What is still being written, or is not media, is skipped with the reason.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::template::{Fields, Template};

/// What a file is to the planner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Photo,
    Raw,
    Video,
    Sidecar,
    Other,
}

/// The role a file name gives.
pub fn role_of(name: &str) -> Role {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xmp" | "aae" => Role::Sidecar,
        "cr2" | "cr3" | "nef" | "arw" | "dng" | "raf" | "orf" | "rw2" | "pef" | "srw" => Role::Raw,
        "jpg" | "jpeg" | "jpe" | "heic" | "heif" | "png" | "gif" | "webp" | "avif" | "tif"
        | "tiff" | "bmp" => Role::Photo,
        "mov" | "mp4" | "m4v" | "mts" | "m2ts" | "avi" | "mkv" | "3gp" | "mpg" | "mpeg" | "wmv" => {
            Role::Video
        }
        _ => Role::Other,
    }
}

/// One inbox file as read before planning.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub src: PathBuf,
    /// Its path below the inbox folder it was found in.
    pub rel: String,
    pub name: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub sha256: Option<String>,
    /// RFC 3339, as recorded: a wall clock with or without an offset, or UTC (`Z`).
    pub captured_at: Option<String>,
    pub date_source: Option<&'static str>,
    pub make: Option<String>,
    pub model: Option<String>,
    /// Why it is left alone this run (still being written, unreadable).
    pub skip: Option<String>,
}

/// What DEST holds: every file's path below it (any case), and content by hash.
#[derive(Debug, Clone, Default)]
pub struct Holdings {
    pub names: HashSet<String>,
    pub by_hash: HashMap<String, String>,
}

impl Holdings {
    pub fn add(&mut self, rel: &str, sha256: Option<&str>) {
        self.names.insert(rel.to_lowercase());
        if let Some(h) = sha256 {
            self.by_hash
                .entry(h.to_owned())
                .or_insert_with(|| rel.to_owned());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Place,
    Duplicate,
    Skip,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Place => "place",
            Action::Duplicate => "duplicate",
            Action::Skip => "skip",
        }
    }
}

/// One entry of the plan.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Index of the candidate.
    pub file: usize,
    pub action: Action,
    /// Below DEST: where a placed file goes; for a duplicate, the copy already there.
    pub dest_rel: Option<String>,
    /// The entry this one travels with.
    pub primary: Option<usize>,
    pub reason: Option<String>,
}

/// The capture time as a wall clock, `YYYY-MM-DDTHH:MM:SS`: as written when the time carries
/// an offset or none; converted to local time when it is UTC.
pub fn wall_clock(captured_at: &str) -> Option<String> {
    if captured_at.ends_with('Z') {
        let t = chrono::DateTime::parse_from_rfc3339(captured_at).ok()?;
        return Some(
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string(),
        );
    }
    let s = captured_at.get(..19)?;
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok()?;
    Some(s.to_owned())
}

/// The part of a name a pair shares: up to its first dot (`IMG_1.JPG.xmp` → `img_1`).
fn pair_key(name: &str) -> String {
    name.split('.').next().unwrap_or(name).to_lowercase()
}

/// The part after the shared stem (`IMG_1.JPG.xmp` → `.JPG.xmp`).
fn after_stem(name: &str) -> &str {
    name.find('.').map_or("", |i| &name[i..])
}

/// The folder of a relative path (`a/b/c.jpg` → `a/b`).
fn folder(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// The first free name for `want` (`x.JPG`, `x_1.JPG`, …) against `taken`, then taken.
fn claim(taken: &mut HashSet<String>, want: &str) -> String {
    let (dir, name) = match want.rfind('/') {
        Some(i) => (&want[..=i], &want[i + 1..]),
        None => ("", want),
    };
    let (stem, ext) = match name.find('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let mut candidate = want.to_owned();
    let mut n = 1;
    while taken.contains(&candidate.to_lowercase()) {
        candidate = format!("{dir}{stem}_{n}{ext}");
        n += 1;
    }
    taken.insert(candidate.to_lowercase());
    candidate
}

/// The templates a batch is placed by: one for dated files, and (when set) one for files
/// dated only by their mtime.
#[derive(Debug, Clone, Copy)]
pub struct Templates<'a> {
    pub dated: &'a Template,
    pub undated: Option<&'a Template>,
}

/// Plans a batch.
pub fn plan(files: &[Candidate], holdings: &Holdings, templates: Templates<'_>) -> Vec<Entry> {
    let mut taken = holdings.names.clone();
    let mut seen: HashMap<String, String> = holdings.by_hash.clone();
    // Pairs: files of one folder sharing a stem; the primary leads.
    let mut groups: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let key = (
            folder(&f.src.to_string_lossy()).to_owned(),
            pair_key(&f.name),
        );
        groups.entry(key).or_default().push(i);
    }
    let rank = |f: &Candidate| match role_of(&f.name) {
        Role::Photo if f.date_source == Some("exif") => 0,
        Role::Photo => 1,
        Role::Raw => 2,
        Role::Video => 3,
        Role::Sidecar | Role::Other => 9,
    };
    let mut leader: Vec<Option<usize>> = vec![None; files.len()];
    for members in groups.values() {
        let best = members
            .iter()
            .copied()
            .filter(|&i| rank(&files[i]) < 9)
            .min_by_key(|&i| (rank(&files[i]), files[i].name.clone()));
        if let Some(b) = best {
            for &m in members {
                if m != b && role_of(&files[m].name) != Role::Other {
                    leader[m] = Some(b);
                }
            }
        }
    }
    let mut out: Vec<Entry> = Vec::with_capacity(files.len());
    let mut at: Vec<Option<usize>> = vec![None; files.len()];
    // Primaries first (in path order), then what travels with them.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| (leader[i].is_some(), files[i].src.clone()));
    for (counter, i) in order.into_iter().enumerate() {
        let f = &files[i];
        let e = match leader[i] {
            None => place_primary(f, i, counter + 1, templates, &mut taken, &mut seen),
            Some(p) => {
                let pe = at[p].map(|k| &out[k]);
                follow(f, i, pe, &files[p], &mut taken, &mut seen)
            }
        };
        at[i] = Some(out.len());
        out.push(e);
    }
    for e in &mut out {
        e.primary = leader[e.file].and_then(|p| at[p]);
    }
    out
}

fn skip(file: usize, why: String) -> Entry {
    Entry {
        file,
        action: Action::Skip,
        dest_rel: None,
        primary: None,
        reason: Some(why),
    }
}

/// Content already there: a duplicate of that copy.
fn duplicate_of(f: &Candidate, file: usize, seen: &HashMap<String, String>) -> Option<Entry> {
    let there = seen.get(f.sha256.as_deref()?)?;
    Some(Entry {
        file,
        action: Action::Duplicate,
        dest_rel: Some(there.clone()),
        primary: None,
        reason: Some(format!("same content as {there}")),
    })
}

fn place_primary(
    f: &Candidate,
    file: usize,
    counter: usize,
    templates: Templates<'_>,
    taken: &mut HashSet<String>,
    seen: &mut HashMap<String, String>,
) -> Entry {
    if let Some(why) = &f.skip {
        return skip(file, why.clone());
    }
    match role_of(&f.name) {
        Role::Other => return skip(file, "not a photo or a video".into()),
        Role::Sidecar => return skip(file, "a sidecar with no photo or video beside it".into()),
        _ => {}
    }
    if let Some(d) = duplicate_of(f, file, seen) {
        return d;
    }
    let Some(when) = f.captured_at.as_deref().and_then(wall_clock) else {
        return skip(file, "no date at all".into());
    };
    let template = match templates.undated {
        Some(t) if f.date_source == Some("mtime") => t,
        _ => templates.dated,
    };
    let want = template.render(&Fields {
        when: &when,
        name: &f.name,
        make: f.make.as_deref(),
        model: f.model.as_deref(),
        counter,
    });
    place_at(f, file, &want, taken, seen)
}

/// `want`, or the first free name near it: placed there, its content now known there.
fn place_at(
    f: &Candidate,
    file: usize,
    want: &str,
    taken: &mut HashSet<String>,
    seen: &mut HashMap<String, String>,
) -> Entry {
    let dest = claim(taken, want);
    if let Some(h) = &f.sha256 {
        seen.insert(h.clone(), dest.clone());
    }
    Entry {
        file,
        action: Action::Place,
        dest_rel: Some(dest),
        primary: None,
        reason: None,
    }
}

/// A sidecar or the other half of a pair: beside its primary, under the primary's new stem.
fn follow(
    f: &Candidate,
    file: usize,
    primary: Option<&Entry>,
    primary_file: &Candidate,
    taken: &mut HashSet<String>,
    seen: &mut HashMap<String, String>,
) -> Entry {
    if let Some(why) = &f.skip {
        return skip(file, why.clone());
    }
    let Some((p, p_dest)) = primary.and_then(|p| Some((p, p.dest_rel.as_deref()?))) else {
        return skip(
            file,
            format!("travels with {}, which is skipped", primary_file.name),
        );
    };
    if p.action == Action::Skip {
        return skip(
            file,
            format!("travels with {}, which is skipped", primary_file.name),
        );
    }
    if let Some(d) = duplicate_of(f, file, seen) {
        return d;
    }
    let name = p_dest.rsplit('/').next().unwrap_or(p_dest);
    let stem = name.split('.').next().unwrap_or(name);
    let dir = folder(p_dest);
    let want = if dir.is_empty() {
        format!("{stem}{}", after_stem(&f.name))
    } else {
        format!("{dir}/{stem}{}", after_stem(&f.name))
    };
    place_at(f, file, &want, taken, seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organise::template::DEFAULT;

    fn c(path: &str, sha: &str, when: Option<&str>) -> Candidate {
        Candidate {
            src: PathBuf::from(path),
            rel: path.trim_start_matches("/in/").to_owned(),
            name: path.rsplit('/').next().unwrap().to_owned(),
            size: 1,
            sha256: Some(sha.repeat(64 / sha.len())),
            captured_at: when.map(str::to_owned),
            date_source: when.map(|_| "exif"),
            ..Candidate::default()
        }
    }

    fn run(
        files: &[Candidate],
        holdings: &Holdings,
    ) -> Vec<(String, &'static str, Option<String>)> {
        let t = Template::parse(DEFAULT).unwrap();
        let templates = Templates {
            dated: &t,
            undated: None,
        };
        let mut out: Vec<_> = plan(files, holdings, templates)
            .into_iter()
            .map(|e| (files[e.file].name.clone(), e.action.as_str(), e.dest_rel))
            .collect();
        out.sort();
        out
    }

    const DAY: Option<&str> = Some("2023-12-25T10:00:00+02:00");

    #[test]
    fn same_names_in_one_batch_and_against_dest_get_suffixes_case_insensitively() {
        let mut h = Holdings::default();
        h.add("2023/2023-12-25/img_0007.jpg", Some(&"f".repeat(64)));
        let files = [
            c("/in/a/IMG_0007.JPG", "a", DAY),
            c("/in/b/IMG_0007.JPG", "b", DAY),
        ];
        assert_eq!(
            run(&files, &h),
            vec![
                (
                    "IMG_0007.JPG".into(),
                    "place",
                    Some("2023/2023-12-25/IMG_0007_1.JPG".into())
                ),
                (
                    "IMG_0007.JPG".into(),
                    "place",
                    Some("2023/2023-12-25/IMG_0007_2.JPG".into())
                ),
            ]
        );
    }

    #[test]
    fn content_already_there_or_twice_in_the_inbox_is_a_duplicate() {
        let mut h = Holdings::default();
        h.add("2020/x.jpg", Some(&"e".repeat(64)));
        let files = [
            c("/in/1.jpg", "e", DAY),
            c("/in/2.jpg", "d", DAY),
            c("/in/sub/2.jpg", "d", DAY),
        ];
        let got = run(&files, &h);
        assert_eq!(
            got[0],
            ("1.jpg".into(), "duplicate", Some("2020/x.jpg".into()))
        );
        // The first in path order is placed; the second is its duplicate.
        assert_eq!(
            got[1],
            (
                "2.jpg".into(),
                "duplicate",
                Some("2023/2023-12-25/2.jpg".into())
            )
        );
        assert_eq!(
            got[2],
            (
                "2.jpg".into(),
                "place",
                Some("2023/2023-12-25/2.jpg".into())
            )
        );
    }

    #[test]
    fn sidecars_and_pairs_travel_with_their_primary_and_take_its_new_name() {
        let mut h = Holdings::default();
        h.add("2023/2023-12-25/IMG_1.HEIC", Some(&"0".repeat(64)));
        let files = [
            c("/in/IMG_1.HEIC", "1", DAY),
            c("/in/IMG_1.MOV", "2", None),
            c("/in/IMG_1.HEIC.xmp", "3", None),
            c("/in/IMG_1.aae", "4", None),
            c("/in/DSC_2.NEF", "5", None),
            c("/in/DSC_2.JPG", "6", Some("2021-01-02T03:04:05")),
            c("/in/lonely.xmp", "7", None),
            c("/in/notes.txt", "8", None),
        ];
        let got = run(&files, &h);
        let dest = |n: &str| got.iter().find(|g| g.0 == n).unwrap().2.clone();
        assert_eq!(
            dest("IMG_1.HEIC").as_deref(),
            Some("2023/2023-12-25/IMG_1_1.HEIC")
        );
        assert_eq!(
            dest("IMG_1.MOV").as_deref(),
            Some("2023/2023-12-25/IMG_1_1.MOV")
        );
        assert_eq!(
            dest("IMG_1.HEIC.xmp").as_deref(),
            Some("2023/2023-12-25/IMG_1_1.HEIC.xmp")
        );
        assert_eq!(
            dest("IMG_1.aae").as_deref(),
            Some("2023/2023-12-25/IMG_1_1.aae")
        );
        assert_eq!(
            dest("DSC_2.NEF").as_deref(),
            Some("2021/2021-01-02/DSC_2.NEF")
        );
        assert_eq!(got.iter().find(|g| g.0 == "lonely.xmp").unwrap().1, "skip");
        assert_eq!(got.iter().find(|g| g.0 == "notes.txt").unwrap().1, "skip");
    }

    #[test]
    fn a_utc_time_is_dated_by_the_local_clock_and_a_camera_time_as_written() {
        assert_eq!(
            wall_clock("2023-12-25T23:30:00+09:00").as_deref(),
            Some("2023-12-25T23:30:00")
        );
        let local = wall_clock("2023-06-01T12:00:00.000Z").unwrap();
        let expect = chrono::DateTime::parse_from_rfc3339("2023-06-01T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string();
        assert_eq!(local, expect);
        assert_eq!(wall_clock("garbage"), None);
    }
}
