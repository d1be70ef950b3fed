//! Where a scan's writes go: batches for the writer, or nowhere (a dry run).

use std::time::{Duration, Instant};

use crate::worker::writer::{Batch, WriteMsg, WriterHandle};

/// Where writes go: the writer thread, or nowhere (dry run). Messages are gathered into
/// batches, sent when full or when the oldest has waited `SINK_LINGER`.
pub(super) struct Sink {
    pub(super) tx: Option<WriterHandle>,
    pub(super) buf: Batch,
    pub(super) since: Instant,
    pub(super) broken: bool,
}

pub(super) const SINK_BATCH: usize = 256;
pub(super) const SINK_LINGER: Duration = Duration::from_millis(250);

impl Sink {
    pub(super) fn new(tx: Option<WriterHandle>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(SINK_BATCH),
            since: Instant::now(),
            broken: false,
        }
    }

    pub(super) fn send(&mut self, m: WriteMsg) {
        if self.tx.is_none() {
            return;
        }
        if self.buf.is_empty() {
            self.since = Instant::now();
        }
        self.buf.push(m);
        if self.buf.len() >= SINK_BATCH || self.since.elapsed() >= SINK_LINGER {
            self.flush();
        }
    }

    pub(super) fn flush(&mut self) {
        if let Some(tx) = &self.tx
            && !self.buf.is_empty()
        {
            let batch = std::mem::replace(&mut self.buf, Vec::with_capacity(SINK_BATCH));
            if !tx.send(batch) {
                // A write failed (or the writer is gone); ending the session reports it.
                self.broken = true;
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.flush();
    }
}
