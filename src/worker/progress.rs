//! Scan progress as shared counters: the job writes them, reporters (the headless bar, the
//! heartbeat, later the UI) read them. Totals for hashing are fixed before hashing starts,
//! so the fraction done never moves backwards.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Walking,
    /// Every new or changed file read for what it is: small ones whole, large ones at
    /// their ends (a fingerprint), named and probed and written to the catalog.
    Reading,
    /// Large files read whole for their hash, resumable.
    Hashing,
    Finishing,
    Done,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Walking => "walking",
            Self::Reading => "reading",
            Self::Hashing => "hashing",
            Self::Finishing => "finishing",
            Self::Done => "done",
        }
    }
}

#[derive(Debug)]
pub struct Progress {
    phase: AtomicU8,
    pub files_seen: AtomicU64,
    pub files_to_hash: AtomicU64,
    pub files_hashed: AtomicU64,
    pub bytes_to_hash: AtomicU64,
    pub bytes_hashed: AtomicU64,
    pub errors: AtomicU64,
    current: Mutex<String>,
    started: Instant,
    hash_started: Mutex<Option<Instant>>,
    /// How much of the whole scan the reading phase is (f64 bits): its share of the work
    /// by `weigh`, the full hashes after it the rest.
    reading_share: AtomicU64,
}

/// What reading one file costs beside its bytes, counted as bytes: an open, a stat, a seek
/// or two and a catalog row (~15 µs a file on an SSD here, the time to hash ~50 KB; more on
/// a spinning disk).
const PER_FILE: u64 = 64 << 10;

/// The reading phase's share of a scan that reads `files` files (`bytes` of them) and
/// then hashes `after` bytes whole.
fn weigh(files: u64, bytes: u64, after: u64) -> f64 {
    let reading = files.saturating_mul(PER_FILE).saturating_add(bytes) as f64;
    let total = reading + after as f64;
    if total > 0.0 { reading / total } else { 1.0 }
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            phase: AtomicU8::new(0),
            files_seen: AtomicU64::new(0),
            files_to_hash: AtomicU64::new(0),
            files_hashed: AtomicU64::new(0),
            bytes_to_hash: AtomicU64::new(0),
            bytes_hashed: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            current: Mutex::new(String::new()),
            started: Instant::now(),
            hash_started: Mutex::new(None),
            reading_share: AtomicU64::new(0.1f64.to_bits()),
        }
    }
}

/// A consistent reading of the counters.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub(crate) phase: Phase,
    pub current: String,
    pub files_seen: u64,
    pub files_to_hash: u64,
    pub files_hashed: u64,
    pub bytes_to_hash: u64,
    pub bytes_hashed: u64,
    pub errors: u64,
    pub elapsed_secs: f64,
    /// Bytes per second while hashing.
    pub rate: f64,
    pub eta_secs: Option<f64>,
    /// The reading phase's share of the whole scan, 0 to 1.
    pub reading_share: f64,
}

impl Progress {
    /// Starts a reading or hashing phase: its totals, and its counts from zero.
    pub(crate) fn begin(&self, p: Phase, files: u64, bytes: u64) {
        self.files_to_hash.store(files, Ordering::Relaxed);
        self.bytes_to_hash.store(bytes, Ordering::Relaxed);
        self.files_hashed.store(0, Ordering::Relaxed);
        self.bytes_hashed.store(0, Ordering::Relaxed);
        self.set_phase(p);
    }

    /// Starts the reading phase, knowing the full hashes that follow it (`after` bytes):
    /// the gauge gives each phase its share of the work.
    pub(crate) fn begin_reading(&self, files: u64, bytes: u64, after: u64) {
        self.reading_share
            .store(weigh(files, bytes, after).to_bits(), Ordering::Relaxed);
        self.begin(Phase::Reading, files, bytes);
    }

    pub(crate) fn set_phase(&self, p: Phase) {
        self.phase.store(p as u8, Ordering::Relaxed);
        if p == Phase::Hashing
            && let Ok(mut h) = self.hash_started.lock()
        {
            *h = Some(Instant::now());
        }
    }

    pub(crate) fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Starting,
            1 => Phase::Walking,
            2 => Phase::Reading,
            3 => Phase::Hashing,
            4 => Phase::Finishing,
            _ => Phase::Done,
        }
    }

    /// What the job is on now (a collection, a file), for people.
    pub(crate) fn set_current(&self, s: impl Into<String>) {
        if let Ok(mut c) = self.current.lock() {
            *c = s.into();
        }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        let bytes_hashed = self.bytes_hashed.load(Ordering::Relaxed);
        let bytes_to_hash = self.bytes_to_hash.load(Ordering::Relaxed);
        let hash_secs = self
            .hash_started
            .lock()
            .ok()
            .and_then(|h| *h)
            .map(|t| t.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        let rate = if hash_secs > 0.0 {
            bytes_hashed as f64 / hash_secs
        } else {
            0.0
        };
        let eta_secs =
            (rate > 0.0).then(|| bytes_to_hash.saturating_sub(bytes_hashed) as f64 / rate);
        Snapshot {
            phase: self.phase(),
            current: self.current.lock().map(|c| c.clone()).unwrap_or_default(),
            files_seen: self.files_seen.load(Ordering::Relaxed),
            files_to_hash: self.files_to_hash.load(Ordering::Relaxed),
            files_hashed: self.files_hashed.load(Ordering::Relaxed),
            bytes_to_hash,
            bytes_hashed: bytes_hashed.min(bytes_to_hash.max(bytes_hashed)),
            errors: self.errors.load(Ordering::Relaxed),
            elapsed_secs: self.started.elapsed().as_secs_f64(),
            rate,
            eta_secs,
            reading_share: f64::from_bits(self.reading_share.load(Ordering::Relaxed)),
        }
    }
}

/// Bytes for people: `512 B`, `1.5 KB`, `3.2 GB` (powers of 1000, like disks are sold).
pub(crate) fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

impl Snapshot {
    /// How much of the scan is done, 0 to 1, never less than before: reading first, full
    /// hashes (by bytes) after it, each its share of the work (all of it is reading when no
    /// file waits for a full hash: a library of small files, photos).
    pub fn fraction(&self) -> f64 {
        let part = |done: u64, of: u64| if of > 0 { done as f64 / of as f64 } else { 0.0 };
        let share = self.reading_share.clamp(0.0, 1.0);
        match self.phase {
            Phase::Starting | Phase::Walking => 0.0,
            Phase::Reading => share * part(self.files_hashed, self.files_to_hash),
            Phase::Hashing => share + (1.0 - share) * part(self.bytes_hashed, self.bytes_to_hash),
            Phase::Finishing | Phase::Done => 1.0,
        }
        .clamp(0.0, 1.0)
    }

    /// One plain line for logs and non-terminal stderr.
    pub fn line(&self) -> String {
        match self.phase {
            Phase::Hashing => {
                let eta = self
                    .eta_secs
                    .map(|e| format!(", ETA {}", crate::time::human_secs(e.ceil() as i64)))
                    .unwrap_or_default();
                format!(
                    "hashing {}/{} files, {}/{} ({}/s{eta})",
                    self.files_hashed,
                    self.files_to_hash,
                    human_bytes(self.bytes_hashed),
                    human_bytes(self.bytes_to_hash),
                    human_bytes(self.rate as u64),
                )
            }
            Phase::Walking => format!("walking {}: {} files found", self.current, self.files_seen),
            Phase::Reading => format!(
                "reading {}/{} new or changed files (large ones at their ends; their full hash follows)",
                self.files_hashed, self.files_to_hash
            ),
            p => format!("{} ({} files found)", p.as_str(), self.files_seen),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading fills the first tenth, hashing the rest: what the scan gauge shows never goes
    /// back when the hashing phase starts its own counts from zero.
    #[test]
    fn the_fraction_done_only_grows_across_phases() {
        let p = Progress::default();
        let mut seen = vec![p.snapshot().fraction()];
        p.set_phase(Phase::Walking);
        seen.push(p.snapshot().fraction());
        // Ten files to read, then full hashes as much work as reading them (their bytes and
        // the per-file cost).
        let after = 10 * PER_FILE + 1000;
        p.begin_reading(10, 1000, after);
        for _ in 0..10 {
            p.files_hashed.fetch_add(1, Ordering::Relaxed);
            seen.push(p.snapshot().fraction());
        }
        assert!((p.snapshot().fraction() - 0.5).abs() < 1e-9);
        p.begin(Phase::Hashing, 2, after);
        seen.push(p.snapshot().fraction());
        p.bytes_hashed.fetch_add(after / 2, Ordering::Relaxed);
        seen.push(p.snapshot().fraction());
        assert!((p.snapshot().fraction() - 0.75).abs() < 1e-9);
        p.set_phase(Phase::Finishing);
        seen.push(p.snapshot().fraction());
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!(seen.last(), Some(&1.0));
        assert!(p.snapshot().line().starts_with("finishing"));
    }

    /// With nothing to hash after it, reading fills the whole gauge (a hundred thousand
    /// small files sat at 10% until the scan ended); before a library of large files'
    /// full hashes, it is a sliver.
    #[test]
    fn each_phase_fills_its_share_of_the_gauge() {
        let p = Progress::default();
        p.begin_reading(100, 100 * 1000, 0);
        p.files_hashed.fetch_add(50, Ordering::Relaxed);
        assert!((p.snapshot().fraction() - 0.5).abs() < 1e-9);
        let p = Progress::default();
        p.begin_reading(1000, 1000 * (256 << 10), 4_000_000_000_000);
        p.files_hashed.fetch_add(1000, Ordering::Relaxed);
        assert!(
            p.snapshot().fraction() < 0.001,
            "{}",
            p.snapshot().fraction()
        );
    }

    #[test]
    fn bytes_read_like_disk_sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1_500), "1.5 KB");
        assert_eq!(human_bytes(3_200_000_000), "3.2 GB");
    }
}
