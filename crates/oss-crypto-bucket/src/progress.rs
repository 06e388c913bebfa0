//! Progress reporting for long transfers.

use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Called with (bytes done, bytes total) after each finished part.
pub type ProgressFn = dyn Fn(u64, u64) + Send + Sync;

/// A shared progress counter that forwards to an optional callback.
#[derive(Clone)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: u64,
    callback: Option<Arc<ProgressFn>>,
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done())
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Progress {
    /// A counter for `total` bytes, starting at `already_done` (resumed parts).
    pub(crate) fn new(total: u64, already_done: u64, callback: Option<Arc<ProgressFn>>) -> Self {
        let progress = Self {
            done: Arc::new(AtomicU64::new(already_done)),
            total,
            callback,
        };
        progress.report();
        progress
    }

    /// Adds `bytes` and reports.
    pub(crate) fn add(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
        self.report();
    }

    /// Bytes done so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    fn report(&self) {
        if let Some(callback) = &self.callback {
            callback(self.done(), self.total);
        }
    }
}
