//! One scan per catalog: an OS file lock beside the catalog (`<db>.scan-lock`). The kernel
//! drops it when the process dies, even by `kill -9`, so a crash never leaves a stale lock.
//! The file's text names the holder, so a second scan can say who is running.

use std::fs::{File, OpenOptions, TryLockError};
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
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
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
            Err(TryLockError::Error(e)) => return Err(io(e)),
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

    /// Is a scan holding the lock right now? (Takes and drops it when free.)
    pub(crate) fn is_held(db: &Path) -> bool {
        matches!(Self::acquire(db), Err(LockError::Held { .. }))
    }
}

impl Drop for ScanLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}
