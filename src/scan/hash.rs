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
    let mut file = File::open(path)?;
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

/// Reads the two ends of `path` (at most 128 KiB) for its fingerprint.
pub(crate) fn fingerprint_file(
    path: &Path,
    buf: &mut Vec<u8>,
    progress: &AtomicU64,
) -> Result<Fingerprinted, HashError> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path)?;
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
            fingerprint_file(&p, &mut buf, &progress)
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
