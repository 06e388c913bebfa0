//! Resumable transfers of local files: parallel parts, bounded memory, atomic JSON
//! checkpoints holding only wrapped material, progress reporting.

mod download;
mod upload;

use core::fmt;
use std::path::PathBuf;
use std::sync::Arc;

pub use download::DownloadOutput;
pub use upload::UploadOutput;

use crate::error::Result;
use crate::progress::ProgressFn;

/// Attempts per part on top of the client's own retries: a resumable transfer should ride
/// out a burst of faults that exhausts one request's retry budget.
const PART_ATTEMPTS: u32 = 4;

/// Runs `op` until it succeeds, fails for good, or used up [`PART_ATTEMPTS`].
pub(crate) async fn with_part_retries<T, F, Fut>(mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if e.is_retryable() && attempt < PART_ATTEMPTS => {
                tracing::warn!("part failed (attempt {attempt}), retrying: {e}");
                tokio::time::sleep(core::time::Duration::from_millis(100 << attempt)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
use crate::put::PutOptions;

/// Options of a resumable upload or download.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ResumableOptions {
    /// Object options of an upload (Content-Type, metadata, ...).
    pub put: PutOptions,
    /// Called with (bytes done, bytes total) as parts finish.
    pub progress: Option<Arc<ProgressFn>>,
    /// Checkpoint file to use instead of one derived from the transfer in the checkpoint
    /// directory.
    pub checkpoint: Option<PathBuf>,
}

impl fmt::Debug for ResumableOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResumableOptions")
            .field("put", &self.put)
            .field("progress", &self.progress.is_some())
            .field("checkpoint", &self.checkpoint)
            .finish()
    }
}

impl ResumableOptions {
    /// Reports progress to `callback`.
    #[must_use]
    pub fn with_progress(mut self, callback: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    /// Uses this checkpoint file.
    #[must_use]
    pub fn with_checkpoint(mut self, path: impl Into<PathBuf>) -> Self {
        self.checkpoint = Some(path.into());
        self
    }

    /// Sets the object options of an upload.
    #[must_use]
    pub fn with_put_options(mut self, put: PutOptions) -> Self {
        self.put = put;
        self
    }
}
