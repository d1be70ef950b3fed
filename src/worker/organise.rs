//! `shelf organise`: an inbox emptied into DEST by capture date, with nothing ever lost.
//!
//! Every step on disk is journaled in the catalog first (`catalog::organise`), so a batch a
//! crash or kill left unfinished is finished by `resume` from what the journal says, and
//! `undo` puts every file back, never guessing from names:
//!
//! - copying: a temp file is created exclusively beside the destination, written while the
//!   source is hashed (the hash must be the planned one), given the source's mtime, fsynced,
//!   read back and hashed again, then linked to its name (a hard link never replaces a file:
//!   a name taken meanwhile gets the next suffix), the temp name removed and the folder
//!   fsynced;
//! - moving on one file system: the source is linked to its new name (no copy), the folder
//!   fsynced; moving across file systems: copied as above;
//! - then, moving, the source is released (unlinked, its folder fsynced) only once its
//!   destination is verified. Duplicates are set aside the same way, under
//!   `DEST/.shelf/duplicates/BATCH/`, never deleted.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::organise::{self as journal, Item, NewItem};
use crate::catalog::{self, CatalogError, Mode};
use crate::config::Config;
use crate::organise::plan::{self, Action, Candidate, Holdings};
use crate::organise::template::Template;
use crate::paths;
use crate::scan::hash::{BLOCK, HashError, sha256_file};
use crate::worker::kill_point;
use crate::worker::lock::{LockError, ScanLock};
use crate::worker::report::ErrorEntry;
use crate::worker::writer::{Lease, WriterHandle};

/// The folder under DEST that shelf keeps for itself (duplicates set aside).
pub const SHELF_DIR: &str = ".shelf";

#[derive(Debug, thiserror::Error)]
pub enum OrganiseError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> OrganiseError {
    let path = paths::show(path);
    move |source| OrganiseError::Io { what, path, source }
}

/// What to organise and how.
pub struct OrganiseRequest {
    pub db: PathBuf,
    pub sources: Vec<PathBuf>,
    pub dest: PathBuf,
    pub template: String,
    pub moving: bool,
    pub dry_run: bool,
    pub config: Config,
    /// The process's writer, when it has one (the UI's); otherwise the batch opens its own.
    pub writer: Option<WriterHandle>,
}

/// One line of a plan, as shown and exported.
#[derive(Debug, Clone, Serialize)]
pub struct PlanLine {
    pub src: String,
    pub dest: Option<String>,
    pub action: String,
    pub state: String,
    pub captured_at: Option<String>,
    pub date_source: Option<String>,
    pub reason: Option<String>,
}

/// What a batch did (or, dry, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct OrganiseReport {
    pub batch: Option<i64>,
    pub dry_run: bool,
    pub mode: String,
    pub planned: u64,
    pub organised: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub errors: Vec<ErrorEntry>,
    pub plan: Vec<PlanLine>,
}

impl OrganiseReport {
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.errors.is_empty())
    }

    /// One line for a person: `batch #3: organised 10 of 12 file(s) (copy); …`.
    pub fn summary(&self, verb: &str) -> String {
        let batch = self
            .batch
            .map(|b| format!("batch #{b}: "))
            .unwrap_or_default();
        format!(
            "{batch}{verb} {} of {} file(s) ({}); {} duplicate(s), {} skipped, {} error(s)",
            self.organised,
            self.planned,
            self.mode,
            self.duplicates,
            self.skipped,
            self.errors.len()
        )
    }
}

/// fsyncs a folder, so the names in it survive a crash.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The SHA-256 of a file as the scan reads it (an error when it changed while read).
fn sha256_of(path: &Path) -> Result<String, HashError> {
    sha256_file(
        path,
        &mut Vec::new(),
        &AtomicBool::new(false),
        &AtomicU64::new(0),
    )
    .map(|h| h.sha256)
}

/// Copies `src` to a new file `tmp` (created exclusively) while hashing what was read; the
/// copy gets the source's mtime, is fsynced, read back and hashed. Returns the hash, which
/// must be `want`.
fn copy_verified(src: &Path, tmp: &Path, want: &str) -> Result<(), String> {
    let mut from = File::open(src).map_err(|e| format!("cannot read: {e}"))?;
    let meta = from.metadata().map_err(|e| format!("cannot read: {e}"))?;
    let mut to = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)
        .map_err(|e| format!("cannot create {}: {e}", paths::show(tmp)))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; BLOCK];
    let mut first = true;
    loop {
        let n = from
            .read(&mut buf)
            .map_err(|e| format!("cannot read: {e}"))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        to.write_all(&buf[..n])
            .map_err(|e| format!("cannot write {}: {e}", paths::show(tmp)))?;
        if first {
            first = false;
            kill_point("organise.mid_copy");
        }
    }
    if paths::hex(&h.finalize()) != want {
        return Err("changed since it was planned (its content differs): left alone".into());
    }
    if let Ok(m) = meta.modified() {
        let _ = to.set_modified(m);
    }
    to.sync_all()
        .map_err(|e| format!("cannot fsync {}: {e}", paths::show(tmp)))?;
    drop(to);
    match sha256_of(tmp) {
        Ok(h) if h == want => Ok(()),
        Ok(_) => Err(format!(
            "the copy {} reads back different bytes",
            paths::show(tmp)
        )),
        Err(e) => Err(format!("cannot read back {}: {e}", paths::show(tmp))),
    }
}

/// `name`, or `stem_1.ext`, `stem_2.ext`, … : the first that `free` accepts.
fn next_name(dest: &Path, n: usize) -> PathBuf {
    let name = dest
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = match name.find('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    dest.with_file_name(format!("{stem}_{n}{ext}"))
}

/// The journal, through the process's writer.
struct Journal {
    w: WriterHandle,
}

impl Journal {
    fn step(
        &self,
        id: i64,
        state: &'static str,
        dest: Option<&Path>,
        tmp: Option<&Path>,
        why: Option<String>,
    ) -> Result<(), OrganiseError> {
        let dest = dest.map(|d| paths::to_bytes(d).to_vec());
        let tmp = tmp.map(|t| paths::to_bytes(t).to_vec());
        self.w.call(move |c| {
            journal::step(
                c,
                id,
                state,
                dest.as_deref(),
                tmp.as_deref(),
                why.as_deref(),
            )
        })?;
        Ok(())
    }
}

/// Links `from` to `to` without ever replacing a file: a name taken meanwhile gets the next
/// suffix (journaled before it is tried). Returns the name used.
fn link_no_replace(
    j: &Journal,
    item: &Item,
    from: &Path,
    to: &Path,
    state: &'static str,
    tmp: Option<&Path>,
) -> Result<PathBuf, String> {
    let mut target = to.to_path_buf();
    for n in 1..1000 {
        match fs::hard_link(from, &target) {
            Ok(()) => return Ok(target),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                target = next_name(to, n);
                j.step(item.id, state, Some(&target), tmp, None)
                    .map_err(|e| e.to_string())?;
            }
            Err(e) => return Err(format!("cannot link {}: {e}", paths::show(&target))),
        }
    }
    Err(format!("no free name near {}", paths::show(to)))
}

fn same_fs(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// Makes the folder `file` goes in, and those above it, each one's name fsynced in its
/// parent.
fn make_folders(file: &Path) -> std::io::Result<()> {
    let Some(dir) = file.parent() else {
        return Ok(());
    };
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.is_dir()).collect();
    for d in missing.into_iter().rev() {
        match fs::create_dir(d) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        if let Some(up) = d.parent() {
            sync_dir(up)?;
        }
    }
    Ok(())
}

/// Takes one file from where the journal says it is to done. `Err` is the file's problem
/// (recorded, the batch goes on); a journal failure stops the batch.
fn advance(j: &Journal, item: &Item, moving: bool) -> Result<Result<(), String>, OrganiseError> {
    let src = paths::from_bytes(&item.src);
    let Some(dest) = item.dest.as_deref().map(paths::from_bytes) else {
        j.step(item.id, "done", None, None, None)?;
        return Ok(Ok(()));
    };
    let want = item.sha256.clone().unwrap_or_default();
    let mut state = item.state.as_str();
    let mut dest = dest;
    // Whether this run saw the destination hold the planned bytes (else a release checks).
    let mut verified = false;
    if state == "copying" {
        // Where a crash stopped it: a temp file (ours: its name is this item's) goes; a
        // destination holding the right bytes is placed.
        if let Some(t) = item.tmp.as_deref().map(paths::from_bytes) {
            match fs::remove_file(&t) {
                Ok(()) => {
                    if let Some(d) = t.parent() {
                        let _ = sync_dir(d);
                    }
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => {
                    return Ok(Err(format!(
                        "cannot remove the temp file {}: {e}",
                        paths::show(&t)
                    )));
                }
            }
        }
        let linked = fs::metadata(&dest).is_ok_and(|d| {
            fs::metadata(&src).is_ok_and(|s| s.ino() == d.ino() && s.dev() == d.dev())
                || sha256_of(&dest).is_ok_and(|h| h == want)
        });
        if linked {
            j.step(item.id, "placed", None, None, None)?;
            state = "placed";
            verified = true;
        } else {
            state = "planned";
        }
    }
    if state == "planned" {
        match place(j, item, &src, &dest, &want, moving)? {
            Ok(d) => dest = d,
            Err(why) => {
                j.step(item.id, "failed", None, None, Some(why.clone()))?;
                return Ok(Err(why));
            }
        }
        state = "placed";
        verified = true;
    }
    if state == "placed" {
        if moving {
            if let Err(why) = release(&src, &dest, item, &want, verified) {
                j.step(item.id, "failed", None, None, Some(why.clone()))?;
                return Ok(Err(why));
            }
            kill_point("organise.released");
        }
        j.step(item.id, "done", None, None, None)?;
    }
    Ok(Ok(()))
}

/// Puts the bytes at their destination: a link on one file system when moving, else a
/// verified copy. Returns the name it got.
fn place(
    j: &Journal,
    item: &Item,
    src: &Path,
    dest: &Path,
    want: &str,
    moving: bool,
) -> Result<Result<PathBuf, String>, OrganiseError> {
    let meta = match fs::metadata(src) {
        Ok(m) => m,
        Err(e) => return Ok(Err(format!("cannot read: {e}"))),
    };
    if meta.len() as i64 != item.size || crate::scan::walk::mtime_ns(&meta) != item.mtime_ns {
        return Ok(Err("changed since it was planned: left alone".into()));
    }
    if let Err(e) = make_folders(dest) {
        return Ok(Err(format!(
            "cannot make the folder for {}: {e}",
            paths::show(dest)
        )));
    }
    let dir = dest.parent().unwrap_or(Path::new("/")).to_path_buf();
    if moving && same_fs(src, &dir) {
        j.step(item.id, "copying", Some(dest), None, None)?;
        kill_point("organise.before_link");
        let got = match link_no_replace(j, item, src, dest, "copying", None) {
            Ok(d) => d,
            Err(why) => return Ok(Err(why)),
        };
        if let Err(e) = sync_dir(&dir) {
            return Ok(Err(format!("cannot fsync {}: {e}", paths::show(&dir))));
        }
        kill_point("organise.linked");
        j.step(item.id, "placed", Some(&got), None, None)?;
        kill_point("organise.placed");
        return Ok(Ok(got));
    }
    let tmp = dir.join(format!(".shelf-{}-{}.tmp", item.batch, item.id));
    j.step(item.id, "copying", Some(dest), Some(&tmp), None)?;
    if let Err(why) = copy_verified(src, &tmp, want) {
        let _ = fs::remove_file(&tmp);
        return Ok(Err(why));
    }
    kill_point("organise.copied");
    let got = match link_no_replace(j, item, &tmp, dest, "copying", Some(&tmp)) {
        Ok(d) => d,
        Err(why) => {
            let _ = fs::remove_file(&tmp);
            return Ok(Err(why));
        }
    };
    kill_point("organise.linked");
    if let Err(e) = fs::remove_file(&tmp).and_then(|()| sync_dir(&dir)) {
        return Ok(Err(format!("cannot finish {}: {e}", paths::show(&got))));
    }
    j.step(item.id, "placed", Some(&got), None, None)?;
    kill_point("organise.placed");
    Ok(Ok(got))
}

/// Moving: the source goes once its destination is verified (the same file, or the same
/// bytes: read again unless this run just `verified` them) and the source is still what
/// was planned.
fn release(src: &Path, dest: &Path, item: &Item, want: &str, verified: bool) -> Result<(), String> {
    let s = match fs::metadata(src) {
        Ok(s) => s,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()), // released before a crash
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    let d = fs::metadata(dest)
        .map_err(|e| format!("the destination {} is gone: {e}", paths::show(dest)))?;
    let linked = s.ino() == d.ino() && s.dev() == d.dev();
    if !linked {
        if s.len() as i64 != item.size || crate::scan::walk::mtime_ns(&s) != item.mtime_ns {
            return Err("changed since it was copied: kept".into());
        }
        if !verified && !sha256_of(dest).is_ok_and(|h| h == want) {
            return Err(format!(
                "the destination {} does not hold its bytes: source kept",
                paths::show(dest)
            ));
        }
    }
    fs::remove_file(src).map_err(|e| format!("cannot release: {e}"))?;
    if let Some(dir) = src.parent() {
        sync_dir(dir).map_err(|e| format!("cannot fsync {}: {e}", paths::show(dir)))?;
    }
    Ok(())
}

/// The writer for a batch: the scan lock (one job on a catalog at a time) and the
/// process's writer, or one of its own.
struct Session {
    _lock: ScanLock,
    lease: Lease,
}

impl Session {
    fn open(db: &Path, writer: Option<&WriterHandle>) -> Result<Self, OrganiseError> {
        let lock = ScanLock::acquire(db)?;
        Ok(Self {
            _lock: lock,
            lease: Lease::new(db, writer)?,
        })
    }

    fn journal(&self) -> Journal {
        Journal {
            w: self.lease.handle.clone(),
        }
    }

    fn close(self) -> Result<(), OrganiseError> {
        Ok(self.lease.close()?)
    }
}

/// Guard rails: DEST may not be a source, inside one, or hold one.
fn check_folders(sources: &[PathBuf], dest: &Path) -> Result<(), OrganiseError> {
    for s in sources {
        if !s.is_dir() {
            return Err(OrganiseError::Refused(format!(
                "{} is not a folder",
                paths::show(s)
            )));
        }
        if s == dest || dest.starts_with(s) || s.starts_with(dest) {
            return Err(OrganiseError::Refused(format!(
                "refused: {} and {} overlap (DEST must be outside every source, and no source inside DEST)",
                paths::show(s),
                paths::show(dest)
            )));
        }
    }
    Ok(())
}

/// Reads the inbox: every file with its size, hash and date, or why it is left alone.
fn read_inbox(
    req: &OrganiseRequest,
    sources: &[PathBuf],
) -> Result<(Vec<Candidate>, Vec<ErrorEntry>), OrganiseError> {
    let opts = crate::scan::walk::WalkOptions::new(
        req.config.scan.follow_symlinks,
        &req.config.scan.ignore,
    )
    .map_err(|e| OrganiseError::Refused(format!("bad ignore pattern in the config: {e}")))?;
    let now_ns = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
    let quiet_ns = (req.config.organise.quiet_secs as i64).saturating_mul(1_000_000_000);
    let offset = parse_offset(&req.config.organise.timezone).map_err(OrganiseError::Refused)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for root in sources {
        let walked =
            crate::scan::walk::walk(root, &opts, &AtomicBool::new(false), &Default::default());
        for p in walked.problems {
            errors.push(ErrorEntry::at(
                &root.join(paths::from_bytes(&p.rel)),
                &p.reason,
            ));
        }
        for f in walked.files {
            let src = root.join(paths::from_bytes(&f.rel));
            let name = src
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut c = Candidate {
                rel: String::from_utf8_lossy(&f.rel).into_owned(),
                name: name.clone(),
                size: f.size,
                mtime_ns: f.mtime_ns,
                ..Candidate::default()
            };
            c.skip = busy(&name, f.mtime_ns, now_ns, quiet_ns);
            if c.skip.is_none() && plan::role_of(&name) != plan::Role::Other {
                read_one(&src, &name, &mut c, offset);
                if let Some(why) = c.skip.as_ref().filter(|w| w.starts_with("cannot read")) {
                    errors.push(ErrorEntry::at(&src, why));
                }
            }
            c.src = src;
            out.push(c);
        }
    }
    Ok((out, errors))
}

/// Still being written, or named like a sync tool's temp file: not this run.
fn busy(name: &str, mtime_ns: i64, now_ns: i64, quiet_ns: i64) -> Option<String> {
    let lower = name.to_lowercase();
    if lower.starts_with(".syncthing.")
        || lower.ends_with(".part")
        || lower.ends_with(".tmp")
        || lower.starts_with('~')
        || lower.ends_with(".crdownload")
    {
        return Some("named like a file still being synced or downloaded: skipped this run".into());
    }
    if now_ns.saturating_sub(mtime_ns) < quiet_ns {
        return Some(format!(
            "modified {} s ago: still being written? skipped this run",
            now_ns.saturating_sub(mtime_ns).max(0) / 1_000_000_000
        ));
    }
    None
}

/// Its hash and date (EXIF for photos; a date in the name, else its mtime); growing while
/// read means it is still being written. The date is read from the head the hash kept:
/// the file is opened once (a larger video again, for what lies past its head).
fn read_one(src: &Path, name: &str, c: &mut Candidate, offset: Option<chrono::FixedOffset>) {
    let still = "changed while it was read: still being written? skipped this run";
    let mut buf = Vec::new();
    let hashed = match sha256_file(src, &mut buf, &AtomicBool::new(false), &AtomicU64::new(0)) {
        Ok(h) if h.size == c.size && h.mtime_ns == c.mtime_ns => h,
        Ok(_) | Err(HashError::ChangedWhileReading) => {
            c.skip = Some(still.into());
            return;
        }
        Err(e) => {
            c.skip = Some(format!("cannot read: {e}"));
            return;
        }
    };
    let head = crate::probe::Head {
        bytes: &buf[..hashed.head],
        size: hashed.size,
    };
    c.sha256 = Some(hashed.sha256);
    let role = plan::role_of(name);
    let exif = match role {
        plan::Role::Photo | plan::Role::Raw => head.exif_view().unwrap_or_default(),
        _ => &[],
    };
    let facts = crate::probe::exif::from_bytes(exif, name, c.mtime_ns);
    c.captured_at = facts.captured_at;
    c.date_source = facts.captured_at_source;
    c.make = facts.camera_make;
    c.model = facts.camera_model;
    if role == plan::Role::Video {
        video_date(src, head, c, offset);
    }
}

/// A video's date: its container's creation time (UTC by the specs) shown at the configured
/// offset; without one, a date in its name (a phone's local clock) comes first, then the
/// container's time as UTC. Never the local zone of this machine.
fn video_date(
    src: &Path,
    head: crate::probe::Head<'_>,
    c: &mut Candidate,
    offset: Option<chrono::FixedOffset>,
) {
    let opts = crate::probe::ProbeOptions {
        ffprobe: None,
        ffprobe_timeout: std::time::Duration::from_secs(1),
    };
    let created = match crate::probe::media_with(src, &opts, Some(head)) {
        crate::probe::Probed::Media(m) => m.created_at,
        _ => None,
    };
    let Some(utc) = created.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()) else {
        return;
    };
    match offset {
        Some(off) => {
            c.captured_at = Some(
                utc.with_timezone(&off)
                    .format("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string(),
            );
            c.date_source = Some("container");
        }
        None if c.date_source != Some("filename") => {
            c.captured_at = Some(utc.format("%Y-%m-%dT%H:%M:%S+00:00").to_string());
            c.date_source = Some("container");
        }
        None => {}
    }
}

/// `organise.timezone`: `+02:00`, `-05:30`, `UTC`, or empty (none).
pub fn parse_offset(s: &str) -> Result<Option<chrono::FixedOffset>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return Ok(chrono::FixedOffset::east_opt(0));
    }
    chrono::DateTime::parse_from_rfc3339(&format!("2000-01-01T00:00:00{t}"))
        .map(|d| Some(*d.offset()))
        .map_err(|_| format!("organise.timezone {s:?}: expected an offset like +02:00, or UTC"))
}

/// What DEST holds: its names, and the hashes of files whose size an inbox file has.
fn holdings(dest: &Path, inbox: &[Candidate], config: &Config) -> Result<Holdings, OrganiseError> {
    let mut h = Holdings::default();
    if !dest.is_dir() {
        return Ok(h);
    }
    let opts = crate::scan::walk::WalkOptions::new(false, &config.scan.ignore)
        .map_err(|e| OrganiseError::Refused(format!("bad ignore pattern in the config: {e}")))?;
    let sizes: std::collections::HashSet<u64> = inbox.iter().map(|c| c.size).collect();
    let walked = crate::scan::walk::walk(dest, &opts, &AtomicBool::new(false), &Default::default());
    for f in walked.files {
        let rel = String::from_utf8_lossy(&f.rel).into_owned();
        if rel.starts_with(&format!("{SHELF_DIR}/")) {
            continue;
        }
        let sha = if sizes.contains(&f.size) {
            sha256_of(&dest.join(paths::from_bytes(&f.rel))).ok()
        } else {
            None
        };
        h.add(&rel, sha.as_deref());
    }
    Ok(h)
}

/// Bytes free on the file system of `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid NUL-terminated path and a zeroed out-struct of the right type.
    let r = unsafe { libc::statvfs(c.as_ptr(), &mut s) };
    (r == 0).then(|| s.f_bavail as u64 * s.f_frsize as u64)
}

/// Plans and, unless dry, applies a batch; then catalogs DEST.
pub fn organise(req: &OrganiseRequest) -> Result<OrganiseReport, OrganiseError> {
    let template = Template::parse(&req.template).map_err(OrganiseError::Refused)?;
    let dest = paths::absolute(&req.dest).map_err(io("cannot resolve", &req.dest))?;
    let mut sources = Vec::new();
    for s in &req.sources {
        sources.push(paths::absolute(s).map_err(io("cannot resolve", s))?);
    }
    check_folders(&sources, &dest)?;
    let session = if req.dry_run {
        None
    } else {
        Some(Session::open(&req.db, req.writer.as_ref())?)
    };
    let (inbox, mut errors) = read_inbox(req, &sources)?;
    let held = holdings(&dest, &inbox, &req.config)?;
    let undated = match req.config.organise.undated.trim() {
        "" => None,
        t => Some(
            Template::parse(t)
                .map_err(|e| OrganiseError::Refused(format!("organise.undated: {e}")))?,
        ),
    };
    let templates = plan::Templates {
        dated: &template,
        undated: undated.as_ref(),
    };
    let entries = plan::plan(&inbox, &held, templates);
    let mode = if req.moving { "move" } else { "copy" };
    let mut items: Vec<NewItem> = Vec::with_capacity(entries.len());
    for e in &entries {
        let c = &inbox[e.file];
        // A sidecar or pair half is dated as the photo it travels with.
        let dated = e.primary.map_or(c, |p| &inbox[entries[p].file]);
        let work = match e.action {
            Action::Place => true,
            Action::Duplicate => req.moving,
            Action::Skip => false,
        };
        items.push(NewItem {
            src: paths::to_bytes(&c.src).to_vec(),
            dest: match e.action {
                Action::Place => e
                    .dest_rel
                    .as_deref()
                    .map(|r| paths::to_bytes(&dest.join(r)).to_vec()),
                _ => None,
            },
            size: c.size as i64,
            mtime_ns: c.mtime_ns,
            sha256: c.sha256.clone(),
            action: e.action.as_str(),
            state: if work { "planned" } else { "done" },
            captured_at: dated.captured_at.clone(),
            date_source: dated.date_source,
            reason: e.reason.clone(),
            // The plan's entries and the journal's items are in the same order.
            primary: e.primary,
        });
    }
    let mut report = OrganiseReport {
        dry_run: req.dry_run,
        mode: mode.into(),
        planned: items.len() as u64,
        ..OrganiseReport::default()
    };
    let need: u64 = entries
        .iter()
        .filter(|e| {
            e.action == Action::Place
                && (!req.moving || !same_fs(&inbox[e.file].src, dest.parent().unwrap_or(&dest)))
        })
        .map(|e| inbox[e.file].size)
        .sum();
    let Some(session) = session else {
        report.plan = items.iter().map(plan_line).collect();
        tally(&mut report, items.iter().map(|i| (i.action, i.state)));
        report.errors = errors;
        return Ok(report);
    };
    fs::create_dir_all(&dest).map_err(io("cannot make", &dest))?;
    if let Some(free) = free_bytes(&dest)
        && need > free
    {
        return Err(OrganiseError::Refused(format!(
            "refused: the plan copies {} but {} has {} free",
            crate::worker::progress::human_bytes(need),
            paths::show(&dest),
            crate::worker::progress::human_bytes(free)
        )));
    }
    let j = session.journal();
    let dest_b = paths::to_bytes(&dest).to_vec();
    let (tpl, n) = (template.to_string(), items.clone());
    let (batch, ids) =
        j.w.call(move |c| journal::begin(c, &dest_b, &tpl, mode, &n))?;
    report.batch = Some(batch);
    // Duplicates, moving: set aside under DEST/.shelf/duplicates/BATCH/, keeping their path.
    for (k, e) in entries.iter().enumerate() {
        if e.action == Action::Duplicate && req.moving {
            let aside = dest
                .join(SHELF_DIR)
                .join("duplicates")
                .join(batch.to_string())
                .join(&inbox[e.file].rel);
            j.step(ids[k], "planned", Some(&aside), None, None)?;
        }
    }
    kill_point("organise.planned");
    run_batch(&j, batch, req.moving, &mut errors)?;
    drop(j);
    session.close()?;
    finish_report(&req.db, batch, &mut report, errors)?;
    if let Some(changeset) =
        catalog_dest(&req.db, &dest, &req.config, req.writer.clone(), Vec::new())
    {
        queue_undated(&req.db, batch, changeset, req.writer.as_ref());
    }
    Ok(report)
}

/// Videos filed by their mtime wait in the review queue as `missing_date`, in the changeset
/// of the scan that cataloged them. A failure here is logged: the files are in place.
fn queue_undated(db: &Path, batch: i64, changeset: i64, writer: Option<&WriterHandle>) {
    let run = |w: &WriterHandle| {
        w.call(move |c| crate::catalog::media::queue_undated_organised(c, batch, changeset))
    };
    let r = Lease::new(db, writer).and_then(|lease| {
        let r = run(&lease.handle);
        lease.close().and(r)
    });
    if let Err(e) = r {
        tracing::warn!(error = %e, "organise: undated videos not queued for review");
    }
}

/// Advances every file of a batch that is not done, and ends the batch.
fn run_batch(
    j: &Journal,
    batch: i64,
    moving: bool,
    errors: &mut Vec<ErrorEntry>,
) -> Result<(), OrganiseError> {
    let items = j.w.call(move |c| journal::items(c, batch))?;
    let mut failed = false;
    for item in items
        .iter()
        .filter(|i| matches!(i.state.as_str(), "planned" | "copying" | "placed"))
    {
        if let Err(why) = advance(j, item, moving)? {
            failed = true;
            errors.push(ErrorEntry::at(&paths::from_bytes(&item.src), &why));
        }
    }
    let status = if failed { "partial" } else { "done" };
    j.w.call(move |c| journal::finish(c, batch, status))?;
    Ok(())
}

fn plan_line(i: &NewItem) -> PlanLine {
    let shown = |b: &[u8]| paths::export_form(b).0;
    PlanLine {
        src: shown(&i.src),
        dest: i.dest.as_deref().map(shown),
        action: i.action.into(),
        state: i.state.into(),
        captured_at: i.captured_at.clone(),
        date_source: i.date_source.map(str::to_owned),
        reason: i.reason.clone(),
    }
}

fn tally<'a>(r: &mut OrganiseReport, items: impl Iterator<Item = (&'a str, &'a str)>) {
    for (action, state) in items {
        match action {
            "place" if state == "done" || r.dry_run => r.organised += 1,
            "duplicate" => r.duplicates += 1,
            "skip" => r.skipped += 1,
            _ => {}
        }
    }
}

/// The batch as the journal holds it now, into the report.
fn finish_report(
    db: &Path,
    batch: i64,
    report: &mut OrganiseReport,
    errors: Vec<ErrorEntry>,
) -> Result<(), OrganiseError> {
    let conn = catalog::open(db, Mode::ReadOnly)?;
    let items = journal::items(&conn, batch)?;
    report.planned = items.len() as u64;
    report.organised = 0;
    report.duplicates = 0;
    report.skipped = 0;
    tally(
        report,
        items.iter().map(|i| (i.action.as_str(), i.state.as_str())),
    );
    report.plan = items
        .iter()
        .map(|i| PlanLine {
            src: paths::export_form(&i.src).0,
            dest: i.dest.as_deref().map(|d| paths::export_form(d).0),
            action: i.action.clone(),
            state: i.state.clone(),
            captured_at: i.captured_at.clone(),
            date_source: i.date_source.clone(),
            reason: i.reason.clone(),
        })
        .collect();
    report.errors = errors;
    Ok(())
}

/// DEST is a photos collection of the catalog; what landed there is cataloged at once. A
/// scan that cannot run now (another is running) leaves it to the next. The scan's
/// changeset, when it ran.
fn catalog_dest(
    db: &Path,
    dest: &Path,
    config: &Config,
    writer: Option<WriterHandle>,
    taken: Vec<PathBuf>,
) -> Option<i64> {
    let found = (|| -> Result<_, CatalogError> {
        let conn = catalog::open(db, Mode::ReadWrite)?;
        let root = paths::to_bytes(dest);
        Ok(match crate::catalog::sources::holding(&conn, root)? {
            // DEST is a source, or inside one (a Photos folder under a library): that one
            // catalogs it.
            Some(c) => c,
            None => {
                let name = crate::catalog::sources::free_name(
                    &conn,
                    &dest
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "photos".into()),
                )?;
                crate::catalog::sources::add_filesystem(
                    &conn,
                    &name,
                    root,
                    crate::model::CollectionKind::Photos,
                )?
            }
        })
    })();
    let col = match found {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "organise: DEST not cataloged");
            return None;
        }
    };
    let mut config = config.clone();
    config.scan.ignore.push(SHELF_DIR.to_string());
    let req = crate::worker::ScanRequest {
        writer,
        taken,
        ..crate::worker::ScanRequest::new(db.to_path_buf(), vec![col], config)
    };
    match crate::worker::run_scan(&req) {
        Ok(r) => r.changeset,
        Err(e) => {
            tracing::warn!(error = %e, "organise: DEST not scanned");
            None
        }
    }
}

/// Finishes every batch a crash or kill left unfinished.
pub fn resume(
    db: &Path,
    config: &Config,
    writer: Option<WriterHandle>,
) -> Result<Vec<OrganiseReport>, OrganiseError> {
    let session = Session::open(db, writer.as_ref())?;
    let j = session.journal();
    let batches = j.w.call(journal::unfinished)?;
    let mut out = Vec::new();
    let mut dests = Vec::new();
    for batch in batches {
        let Some(b) = j.w.call(move |c| journal::batch(c, batch))? else {
            continue;
        };
        let mut errors = Vec::new();
        run_batch(&j, batch, b.mode == "move", &mut errors)?;
        let mut r = OrganiseReport {
            batch: Some(batch),
            mode: b.mode.clone(),
            ..OrganiseReport::default()
        };
        r.errors = errors;
        out.push(r);
        dests.push((batch, paths::from_bytes(&b.dest)));
    }
    drop(j);
    session.close()?;
    for r in &mut out {
        let errors = std::mem::take(&mut r.errors);
        finish_report(db, r.batch.unwrap_or_default(), r, errors)?;
    }
    for (batch, d) in dests {
        if let Some(changeset) = catalog_dest(db, &d, config, writer.clone(), Vec::new()) {
            queue_undated(db, batch, changeset, writer.as_ref());
        }
    }
    Ok(out)
}

/// Puts every file of a batch back at its original path with its original bytes and
/// removes what the batch placed. Refuses, naming the file, where a destination changed
/// since (or something else now stands at an original path); nothing is touched then.
pub fn undo(
    db: &Path,
    batch: i64,
    config: &Config,
    writer: Option<WriterHandle>,
) -> Result<OrganiseReport, OrganiseError> {
    let session = Session::open(db, writer.as_ref())?;
    let j = session.journal();
    let b =
        j.w.call(move |c| journal::batch(c, batch))?
            .ok_or_else(|| {
                OrganiseError::Refused(format!(
                    "no organise batch #{batch} (see `shelf organise list`)"
                ))
            })?;
    if b.status == "undone" {
        return Err(OrganiseError::Refused(format!(
            "batch #{batch} is undone already"
        )));
    }
    let moving = b.mode == "move";
    let items = j.w.call(move |c| journal::items(c, batch))?;
    let placed: Vec<&Item> = items
        .iter()
        .filter(|i| i.dest.is_some() && matches!(i.state.as_str(), "placed" | "done" | "copying"))
        .collect();
    for i in &placed {
        check_undoable(i, moving)?;
    }
    let mut report = OrganiseReport {
        batch: Some(batch),
        mode: b.mode.clone(),
        ..OrganiseReport::default()
    };
    let dest_root = paths::from_bytes(&b.dest);
    let mut taken = Vec::new();
    for i in placed.iter().rev() {
        match put_back(i, moving, &dest_root) {
            Ok(()) => {
                j.step(i.id, "undone", None, None, None)?;
                report.organised += 1;
                taken.extend(i.dest.as_deref().map(paths::from_bytes));
            }
            Err(why) => report
                .errors
                .push(ErrorEntry::at(&paths::from_bytes(&i.src), &why)),
        }
    }
    let status = if report.errors.is_empty() {
        "undone"
    } else {
        "partial"
    };
    j.w.call(move |c| journal::finish(c, batch, status))?;
    drop(j);
    session.close()?;
    report.planned = items.len() as u64;
    catalog_dest(db, &dest_root, config, writer, taken);
    Ok(report)
}

/// Whether one file can be put back: its destination holds the bytes it placed, and its
/// original path is free (or holds those bytes already).
fn check_undoable(i: &Item, moving: bool) -> Result<(), OrganiseError> {
    let Some(dest) = i.dest.as_deref().map(paths::from_bytes) else {
        return Ok(());
    };
    let want = i.sha256.as_deref().unwrap_or_default();
    let src = paths::from_bytes(&i.src);
    if i.state == "copying" && !dest.exists() {
        return Ok(());
    }
    match sha256_of(&dest) {
        Ok(h) if h == want => {}
        Ok(_) => {
            return Err(OrganiseError::Refused(format!(
                "refused: {} changed since the batch placed it; nothing was undone",
                paths::show(&dest)
            )));
        }
        Err(HashError::Vanished) if moving && src.exists() => {}
        Err(e) => {
            return Err(OrganiseError::Refused(format!(
                "refused: {} cannot be read ({e}); nothing was undone",
                paths::show(&dest)
            )));
        }
    }
    if moving && src.exists() && !sha256_of(&src).is_ok_and(|h| h == want) {
        return Err(OrganiseError::Refused(format!(
            "refused: something else is at the original path {}; nothing was undone",
            paths::show(&src)
        )));
    }
    Ok(())
}

/// One file back: (moving) its bytes to the original path, verified, then the placed copy
/// removed and its empty folders with it.
fn put_back(i: &Item, moving: bool, dest_root: &Path) -> Result<(), String> {
    let Some(dest) = i.dest.as_deref().map(paths::from_bytes) else {
        return Ok(());
    };
    let src = paths::from_bytes(&i.src);
    let want = i.sha256.as_deref().unwrap_or_default();
    if let Some(t) = i.tmp.as_deref().map(paths::from_bytes) {
        let _ = fs::remove_file(t);
    }
    if !dest.exists() {
        return Ok(());
    }
    if moving && !src.exists() {
        make_folders(&src)
            .map_err(|e| format!("cannot make the folder for {}: {e}", paths::show(&src)))?;
        let dir = src.parent().unwrap_or(Path::new("/")).to_path_buf();
        if same_fs(&dest, &dir) {
            fs::hard_link(&dest, &src)
                .map_err(|e| format!("cannot put back {}: {e}", paths::show(&src)))?;
        } else {
            let tmp = dir.join(format!(".shelf-undo-{}-{}.tmp", i.batch, i.id));
            let _ = fs::remove_file(&tmp);
            copy_verified(&dest, &tmp, want)?;
            let r = fs::hard_link(&tmp, &src);
            let _ = fs::remove_file(&tmp);
            r.map_err(|e| format!("cannot put back {}: {e}", paths::show(&src)))?;
        }
        // The same file as the checked destination, or a copy read back: verified.
        sync_dir(&dir).map_err(|e| format!("cannot fsync {}: {e}", paths::show(&dir)))?;
    }
    if !moving || src.exists() {
        fs::remove_file(&dest).map_err(|e| format!("cannot remove {}: {e}", paths::show(&dest)))?;
        let mut dir = dest.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            if !d.starts_with(dest_root) || d == dest_root {
                break;
            }
            let _ = sync_dir(&d);
            if fs::remove_dir(&d).is_err() {
                break;
            }
            dir = d.parent().map(Path::to_path_buf);
        }
    }
    Ok(())
}
