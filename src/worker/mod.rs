//! The worker: the process's one writer thread (`writer`: the only connection that writes
//! rows, with a copier beside it that only copies the WAL back; a scan's batches and a
//! person's edits both go through it), and a scan as a job in stages (`job`: session, walk,
//! hash, probe, report), with the scan lock (one scan per catalog), progress counters and
//! heartbeats.

pub mod job;
pub mod lock;
pub mod organise;
pub mod progress;
pub mod report;
pub mod writer;

pub(crate) use job::ScanError;
pub use job::{ScanRequest, run_scan};
pub(crate) use progress::Phase;
pub use progress::Progress;
pub use report::ScanReport;

/// Fault injection for crash tests: `SHELF_FAULT=POINT` makes the worker panic at that
/// point (`scan.after_walk`), as a bug there would. Unset, it costs one look at a cached
/// value.
pub fn fault(point: &str) {
    static FAULT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let set = FAULT.get_or_init(|| std::env::var("SHELF_FAULT").ok());
    if set.as_deref() == Some(point) {
        panic!("fault injected at {point} (SHELF_FAULT)");
    }
}

/// Kill points for the crash tests: `SHELF_KILL_AT=POINT` (or `POINT#N`, the Nth time) stops
/// the process there as a crash would: it writes `SHELF_KILL_READY` (a file the test waits
/// for, then sends SIGKILL) and waits; without it, it aborts. Unset, one cached look.
pub fn kill_point(point: &str) {
    static AT: std::sync::OnceLock<Option<(String, usize)>> = std::sync::OnceLock::new();
    static HITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let at = AT.get_or_init(|| {
        let v = std::env::var("SHELF_KILL_AT").ok()?;
        let (p, n) = v.split_once('#').unwrap_or((&v, "1"));
        Some((p.to_owned(), n.parse().unwrap_or(1)))
    });
    let Some((p, n)) = at else { return };
    if p != point {
        return;
    }
    let hit = HITS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    if hit != *n {
        return;
    }
    match std::env::var_os("SHELF_KILL_READY") {
        Some(ready) => {
            let _ = std::fs::write(ready, point);
            loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
            }
        }
        None => std::process::abort(),
    }
}
