//! SHA-256 of a file's content, read in 1 MiB blocks, with byte-level progress and
//! cancellation. The file's size and mtime are taken from the open handle before and after
//! the read, so the hash is recorded only with the facts of the content it covers.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::walk::mtime_ns;

/// Read size for hashing.
pub(crate) const BLOCK: usize = 1 << 20;

/// How much of a file's beginning a hash keeps in its buffer for the probe (the container's
/// magic, a small file's whole container, a photo's EXIF; the EXIF reader's bound), so
/// nothing opens the file a second time.
pub(crate) const HEAD: usize = crate::probe::exif::HEAD_BYTES as usize;

/// Opens files by their folder: the last folder a thread opened a file in stays open, and
/// a file in the same folder is opened by its name alone (`openat`). A scan reads a
/// folder's files one after another, and opening each by its whole path made the kernel
/// look up every folder on the way again (a library's paths run eight or ten deep): a
/// tenth of the reading threads' time in a 100,000-file first scan.
#[derive(Debug, Default)]
pub(crate) struct ByFolder {
    #[cfg(unix)]
    last: Option<(std::path::PathBuf, File)>,
}

impl ByFolder {
    /// Opens `path` for reading.
    pub(crate) fn open(&mut self, path: &Path) -> std::io::Result<File> {
        #[cfg(unix)]
        if let (Some(folder), Some(name)) = (path.parent(), path.file_name())
            && let Some(dir) = self.folder(folder)
        {
            use std::os::fd::{AsRawFd, FromRawFd};
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::CString::new(name.as_bytes())
                .map_err(|_| std::io::Error::from(ErrorKind::InvalidInput))?;
            // SAFETY: `dir` is an open descriptor for the call's length and `name` a
            // NUL-terminated string; a descriptor `openat` returns is ours alone, and the
            // `File` closes it.
            let fd = unsafe {
                libc::openat(
                    dir.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            return Ok(unsafe { File::from_raw_fd(fd) });
        }
        File::open(path)
    }

    /// The open folder `folder`, opened now unless it is the last one; none when it cannot
    /// be opened (the file is then opened by its path, which says why if it fails).
    #[cfg(unix)]
    fn folder(&mut self, folder: &Path) -> Option<&File> {
        if self.last.as_ref().is_none_or(|(p, _)| p != folder) {
            use std::os::unix::fs::OpenOptionsExt;
            // A handle on the folder itself, which needs no permission to list it.
            #[cfg(target_os = "linux")]
            let flags = libc::O_PATH | libc::O_DIRECTORY;
            #[cfg(not(target_os = "linux"))]
            let flags = libc::O_DIRECTORY;
            self.last = None;
            let dir = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(flags)
                .open(folder)
                .ok()?;
            self.last = Some((folder.to_path_buf(), dir));
        }
        self.last.as_ref().map(|(_, d)| d)
    }
}

/// A hashed file: its hash and the size/mtime it had while being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hashed {
    pub sha256: String,
    pub size: u64,
    pub mtime_ns: i64,
    /// The file's first bytes are left at the start of the buffer, this many (the whole file
    /// when it is `size`).
    pub head: usize,
}

/// Why hashing did not give a hash.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HashError {
    #[error("vanished before it could be read")]
    Vanished,
    #[error("permission denied")]
    PermissionDenied,
    #[error("changed while it was being read; it will be read again by the next scan")]
    ChangedWhileReading,
    #[error("canceled")]
    Canceled,
    #[error("read error: {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for HashError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            ErrorKind::NotFound => Self::Vanished,
            ErrorKind::PermissionDenied => Self::PermissionDenied,
            _ => Self::Io(e),
        }
    }
}

/// Hashes `path`, adding every byte read to `progress`. `buf` is reused between calls.
pub(crate) fn sha256_file(
    path: &Path,
    buf: &mut Vec<u8>,
    cancel: &AtomicBool,
    progress: &AtomicU64,
) -> Result<Hashed, HashError> {
    sha256_of(File::open(path)?, buf, cancel, progress)
}

/// Hashes an open file from its start, as `sha256_file`.
pub(crate) fn sha256_of(
    mut file: File,
    buf: &mut Vec<u8>,
    cancel: &AtomicBool,
    progress: &AtomicU64,
) -> Result<Hashed, HashError> {
    let before = file.metadata()?;
    // The beginning fills `buf[..HEAD]` and stays there; the rest passes through the block
    // after it.
    buf.resize(HEAD + BLOCK, 0);
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    let mut head = 0;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(HashError::Canceled);
        }
        let into = if head < HEAD {
            head..HEAD
        } else {
            HEAD..HEAD + BLOCK
        };
        let start = into.start;
        let n = match file.read(&mut buf[into]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        hasher.update(&buf[start..start + n]);
        if head < HEAD {
            head += n;
        }
        total += n as u64;
        progress.fetch_add(n as u64, Ordering::Relaxed);
    }
    let after = file.metadata()?;
    if total != after.len() || before.len() != after.len() || mtime_ns(&before) != mtime_ns(&after)
    {
        return Err(HashError::ChangedWhileReading);
    }
    Ok(Hashed {
        sha256: crate::paths::hex(&hasher.finalize()),
        size: total,
        mtime_ns: mtime_ns(&after),
        head,
    })
}

/// How much of each end of a file its fingerprint reads.
pub(crate) const FINGERPRINT_END: u64 = 64 << 10;

/// Files up to this size are read whole at once: their fingerprint would read them anyway.
pub(crate) const READ_WHOLE_BELOW: u64 = 2 * FINGERPRINT_END;

/// A large file's fingerprint: the SHA-256 of its size and its first and last 64 KiB, with
/// the size and mtime it had while being read. Two files with the same fingerprint are
/// taken for the same content until their full hashes say otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprinted {
    pub fingerprint: String,
    pub size: u64,
    pub mtime_ns: i64,
}

/// Reads the two ends of an open file (at most 128 KiB) for its fingerprint.
pub(crate) fn fingerprint_of(
    mut file: File,
    buf: &mut Vec<u8>,
    progress: &AtomicU64,
) -> Result<Fingerprinted, HashError> {
    use std::io::{Seek, SeekFrom};
    let before = file.metadata()?;
    let size = before.len();
    let mut hasher = Sha256::new();
    hasher.update(size.to_le_bytes());
    let end = FINGERPRINT_END.min(size) as usize;
    buf.resize(end, 0);
    file.read_exact(&mut buf[..end]).map_err(read_error)?;
    hasher.update(&buf[..end]);
    file.seek(SeekFrom::Start(size.saturating_sub(FINGERPRINT_END)))?;
    file.read_exact(&mut buf[..end]).map_err(read_error)?;
    hasher.update(&buf[..end]);
    progress.fetch_add(2 * end as u64, Ordering::Relaxed);
    let after = file.metadata()?;
    if before.len() != after.len() || mtime_ns(&before) != mtime_ns(&after) {
        return Err(HashError::ChangedWhileReading);
    }
    Ok(Fingerprinted {
        fingerprint: crate::paths::hex(&hasher.finalize()),
        size,
        mtime_ns: mtime_ns(&after),
    })
}

/// A file that ends before its size said was cut while being read.
fn read_error(e: std::io::Error) -> HashError {
    if e.kind() == ErrorKind::UnexpectedEof {
        HashError::ChangedWhileReading
    } else {
        e.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files opened by their folder are the files at their paths, across folders and back,
    /// with odd names; a missing one is missing; a folder that may be entered but not
    /// listed still gives its files.
    #[cfg(unix)]
    #[test]
    fn a_file_opened_by_its_folder_is_the_file_at_its_path() {
        use std::io::Read;
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let odd = std::ffi::OsStr::from_bytes(b"caf\xe9 \n.mkv");
        let files = [
            dir.path().join("a/one.mkv"),
            dir.path().join("a/two.mkv"),
            dir.path().join("b/one.mkv"),
            dir.path().join("a").join(odd),
            dir.path().join("top.mkv"),
        ];
        for (i, f) in files.iter().enumerate() {
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, format!("file {i}")).unwrap();
        }
        let mut by = ByFolder::default();
        for round in 0..2 {
            for (i, f) in files.iter().enumerate() {
                let mut got = String::new();
                by.open(f).unwrap().read_to_string(&mut got).unwrap();
                assert_eq!(got, format!("file {i}"), "round {round}: {}", f.display());
            }
        }
        let gone = by.open(&dir.path().join("a/none.mkv")).unwrap_err();
        assert_eq!(gone.kind(), ErrorKind::NotFound);
        assert_eq!(
            by.open(&dir.path().join("c/none.mkv")).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        let a = dir.path().join("a");
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o311)).unwrap();
        let mut by = ByFolder::default();
        let mut got = String::new();
        let opened = by.open(&files[1]).map(|mut f| f.read_to_string(&mut got));
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o755)).unwrap();
        opened.unwrap().unwrap();
        assert_eq!(got, "file 1");
    }

    #[test]
    fn hashes_known_vectors_and_counts_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, b"").unwrap();
        let abc = dir.path().join("abc");
        std::fs::write(&abc, b"abc").unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![7u8; BLOCK * 2 + 3]).unwrap();
        let (cancel, progress) = (AtomicBool::new(false), AtomicU64::new(0));
        let mut buf = Vec::new();
        let h = sha256_file(&empty, &mut buf, &cancel, &progress).unwrap();
        assert_eq!(
            h.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let h = sha256_file(&abc, &mut buf, &cancel, &progress).unwrap();
        assert_eq!(
            h.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!((h.head, &buf[..h.head]), (3, &b"abc"[..]));
        let counting: Vec<u8> = (0..HEAD * 2 + 3).map(|i| (i % 251) as u8).collect();
        std::fs::write(&big, &counting).unwrap();
        let h = sha256_file(&big, &mut buf, &cancel, &progress).unwrap();
        assert_eq!(h.size, counting.len() as u64);
        assert_eq!(h.sha256, crate::paths::hex(&Sha256::digest(&counting)));
        // The beginning is kept, whatever was read after it.
        assert_eq!(h.head, HEAD);
        assert!(buf[..HEAD] == counting[..HEAD]);
        assert_eq!(progress.load(Ordering::Relaxed), 3 + counting.len() as u64);
        assert!(matches!(
            sha256_file(&dir.path().join("nope"), &mut buf, &cancel, &progress),
            Err(HashError::Vanished)
        ));
        cancel.store(true, Ordering::Relaxed);
        assert!(matches!(
            sha256_file(&big, &mut buf, &cancel, &progress),
            Err(HashError::Canceled)
        ));
    }

    #[test]
    fn a_fingerprint_sees_the_ends_and_the_size_not_the_middle() {
        let dir = tempfile::tempdir().unwrap();
        let progress = AtomicU64::new(0);
        let mut buf = Vec::new();
        let mut fp = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            fingerprint_of(File::open(&p).unwrap(), &mut buf, &progress)
                .unwrap()
                .fingerprint
        };
        let len = 3 * FINGERPRINT_END as usize;
        let base: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut middle = base.clone();
        middle[len / 2] ^= 1;
        let mut head = base.clone();
        head[10] ^= 1;
        let mut tail = base.clone();
        tail[len - 10] ^= 1;
        let a = fp("a", &base);
        assert_eq!(
            a,
            fp("middle", &middle),
            "the middle is left to the full hash"
        );
        assert_ne!(a, fp("head", &head));
        assert_ne!(a, fp("tail", &tail));
        assert_ne!(a, fp("longer", &[base.as_slice(), &[0]].concat()));
        assert_eq!(progress.load(Ordering::Relaxed), 10 * FINGERPRINT_END);
    }
}
