//! The worker: the process's one writer thread (`writer`: the only read-write connection;
//! a scan's batches and a person's edits both go through it), and a scan as a job in
//! stages (`job`: session, walk, hash, probe, report), with the scan lock (one scan per
//! catalog), progress counters and heartbeats.

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
