//! One scan per catalog: an OS file lock beside the catalog (`<db>.scan-lock`). The kernel
//! drops it when the process dies, even by `kill -9`, so a crash never leaves a stale lock.
//! The file's text names the holder, so a second scan can say who is running.
//!
//! Asking whether a scan runs (`shelf status`, `shelf db check`) must not take the lock:
//! a scan started from cron in that instant would find it held and give up. On Linux the
//! lock is an open file description lock (`fcntl` `F_OFD_SETLK`), which the kernel can be
//! asked about without placing it (`F_OFD_GETLK`); elsewhere it is `flock`, which can only
//! be tried, so there the question takes it for an instant.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another scan is running on this catalog ({holder}); wait for it or cancel it")]
    Held { holder: String },
    #[error("cannot create the scan lock {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Held while a scan runs; released on drop (or by the kernel when the process dies).
#[derive(Debug)]
pub(crate) struct ScanLock {
    file: File,
}

pub(crate) fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".scan-lock");
    PathBuf::from(p)
}

impl ScanLock {
    /// Takes the lock or says who holds it.
    pub(crate) fn acquire(db: &Path) -> Result<Self, LockError> {
        let path = lock_path(db);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        if !os::try_lock(&file).map_err(io)? {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(LockError::Held {
                holder: if holder.is_empty() {
                    "holder unknown".into()
                } else {
                    holder.to_owned()
                },
            });
        }
        Ok(Self { file })
    }

    /// Records who holds the lock, for a second scan's message.
    pub fn describe(&mut self, text: &str) {
        let _ = self.file.set_len(0);
        let _ = self.file.seek(SeekFrom::Start(0));
        let _ = self.file.write_all(text.as_bytes());
        let _ = self.file.flush();
    }

    /// Is a scan holding the lock right now? Neither takes the lock (but off Linux, where
    /// it is tried and dropped) nor creates its file. A lock that cannot be asked about
    /// counts as free: the answer is for a person's report, and a scan still finds out.
    pub(crate) fn is_held(db: &Path) -> bool {
        match File::open(lock_path(db)) {
            Ok(f) => os::held(&f).unwrap_or(false),
            Err(_) => false,
        }
    }
}

impl Drop for ScanLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = os::unlock(&self.file);
    }
}

#[cfg(target_os = "linux")]
mod os {
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;

    /// The whole file, as a lock of `kind` (`F_WRLCK`, `F_UNLCK`).
    fn whole(kind: libc::c_int) -> libc::flock {
        // SAFETY: `flock` is plain integers; all-zero is a valid value of it.
        let mut r: libc::flock = unsafe { std::mem::zeroed() };
        r.l_type = kind as libc::c_short;
        r.l_whence = libc::SEEK_SET as libc::c_short;
        // l_start 0, l_len 0 (to the end, however long), l_pid 0 (required for OFD locks).
        r
    }

    fn fcntl(f: &File, cmd: libc::c_int, r: &mut libc::flock) -> io::Result<()> {
        // SAFETY: a valid open descriptor and a pointer to a live `flock` for the call.
        match unsafe { libc::fcntl(f.as_raw_fd(), cmd, r as *mut libc::flock) } {
            -1 => Err(io::Error::last_os_error()),
            _ => Ok(()),
        }
    }

    /// Takes the lock: false when another open of the file holds it.
    pub(super) fn try_lock(f: &File) -> io::Result<bool> {
        match fcntl(f, libc::F_OFD_SETLK, &mut whole(libc::F_WRLCK)) {
            Ok(()) => Ok(true),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EAGAIN | libc::EACCES)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub(super) fn unlock(f: &File) -> io::Result<()> {
        fcntl(f, libc::F_OFD_SETLK, &mut whole(libc::F_UNLCK))
    }

    /// Would taking it fail? Asked without taking it.
    pub(super) fn held(f: &File) -> io::Result<bool> {
        let mut r = whole(libc::F_WRLCK);
        fcntl(f, libc::F_OFD_GETLK, &mut r)?;
        Ok(r.l_type != libc::F_UNLCK as libc::c_short)
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    use std::fs::{File, TryLockError};
    use std::io;

    pub(super) fn try_lock(f: &File) -> io::Result<bool> {
        match f.try_lock() {
            Ok(()) => Ok(true),
            Err(TryLockError::WouldBlock) => Ok(false),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    pub(super) fn unlock(f: &File) -> io::Result<()> {
        f.unlock()
    }

    /// `flock` cannot be asked: tried, and dropped at once when it was free.
    pub(super) fn held(f: &File) -> io::Result<bool> {
        let free = try_lock(f)?;
        if free {
            unlock(f)?;
        }
        Ok(!free)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_seen_and_refuses_a_second_taker() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        assert!(!ScanLock::is_held(&db));
        let mut first = ScanLock::acquire(&db).unwrap();
        first.describe("pid 1, the first");
        assert!(ScanLock::is_held(&db));
        match ScanLock::acquire(&db) {
            Err(LockError::Held { holder }) => assert_eq!(holder, "pid 1, the first"),
            other => panic!("a second taker got {other:?}"),
        }
        drop(first);
        assert!(!ScanLock::is_held(&db));
        assert!(ScanLock::acquire(&db).is_ok());
    }

    #[test]
    fn asking_creates_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        assert!(!ScanLock::is_held(&db));
        assert!(!lock_path(&db).exists());
    }

    /// A scan starting while someone asks (`shelf status` polled by a monitor, say) is
    /// never refused: asking does not take the lock. While one thread asks without pause,
    /// another takes and drops the lock many times; each take must succeed.
    #[cfg(target_os = "linux")]
    #[test]
    fn asking_never_refuses_a_scan() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        drop(ScanLock::acquire(&db).unwrap());
        let done = AtomicBool::new(false);
        let (asked, refused) = std::thread::scope(|s| {
            let asker = s.spawn(|| {
                let mut n = 0u64;
                while !done.load(Ordering::Relaxed) {
                    ScanLock::is_held(&db);
                    n += 1;
                }
                n
            });
            let mut refused = 0;
            for _ in 0..20_000 {
                match ScanLock::acquire(&db) {
                    Ok(l) => drop(l),
                    Err(_) => refused += 1,
                }
            }
            done.store(true, Ordering::Relaxed);
            (asker.join().unwrap(), refused)
        });
        assert!(asked > 0, "the asker never ran");
        assert_eq!(
            refused, 0,
            "{refused} scans refused while {asked} questions were asked"
        );
    }
}
