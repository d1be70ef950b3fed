//! The worker: runs a scan as a job. It owns the pipeline (walk → diff → hash pool → move
//! detection), the single writer thread that is the only read-write connection during a
//! scan, the scan lock (one scan per catalog), progress counters and heartbeats.

pub mod job;
pub mod lock;
pub mod progress;
pub mod report;
pub mod writer;

pub use job::{ScanError, ScanRequest, run_scan};
pub use progress::{Phase, Progress};
pub use report::{CollectionReport, Counts, ScanReport};
