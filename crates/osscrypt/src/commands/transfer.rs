//! Resumable, parallel transfers of local files (`put --resumable`, `get --resumable`): a
//! checkpoint is written after every part, and running the same command again after an
//! interruption continues where it stopped.

use std::path::Path;
use std::sync::Arc;

use oss_crypto_bucket::{CryptoBucket, ResumableOptions};

use crate::error::{CliError, CliResult};
use crate::output::{Output, Transfer, throughput};

fn options(progress: &Arc<Transfer>) -> ResumableOptions {
    let progress = Arc::clone(progress);
    ResumableOptions::default().with_progress(move |done, total| progress.update(done, total))
}

/// What a finished transfer reports.
#[derive(Debug)]
pub(crate) struct Summary {
    /// Bytes in the file.
    pub(crate) bytes: u64,
    /// Parts moved by this run.
    pub(crate) parts: usize,
    /// Parts already done by an earlier, interrupted run.
    pub(crate) resumed: usize,
    /// Wall time of this run.
    pub(crate) elapsed: core::time::Duration,
}

impl Summary {
    /// `N parts (M resumed), 12.3 MiB/s`.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} parts ({} resumed) in {:.2?}, {}",
            self.parts + self.resumed,
            self.resumed,
            self.elapsed,
            throughput(self.bytes, self.elapsed)
        )
    }
}

/// Uploads `file` to `key` resumably.
///
/// # Errors
///
/// Usage error for stdin; the bucket's errors.
pub(crate) async fn upload(
    bucket: &CryptoBucket,
    key: &str,
    file: &Path,
    out: &Output,
) -> CliResult<Summary> {
    if file == Path::new("-") {
        return Err(CliError::usage("--resumable needs a file, not stdin"));
    }
    let bytes = std::fs::metadata(file)
        .map_err(|e| crate::error::io_error(file.display(), &e))?
        .len();
    let progress = out.transfer("put", bytes);
    // Interrupted, the checkpoint and the upload stay for the next run.
    let upload = async {
        Ok(bucket
            .resumable_upload(key, file, &options(&progress))
            .await?)
    };
    let result = crate::signals::or_interrupted(upload).await;
    let elapsed = progress.finish();
    let output = result?;
    Ok(Summary {
        bytes,
        parts: output.parts_uploaded,
        resumed: output.parts_resumed,
        elapsed,
    })
}

/// Downloads `key` into the regular file (or new path) `dest` resumably.
///
/// # Errors
///
/// The bucket's errors.
pub(crate) async fn download(
    bucket: &CryptoBucket,
    key: &str,
    dest: &Path,
    out: &Output,
) -> CliResult<Summary> {
    let progress = out.transfer("get", 0);
    // Interrupted, the checkpoint and the 0600 temp file stay for the next run.
    let download = async {
        bucket
            .resumable_download(key, dest, &options(&progress))
            .await
            .map_err(|e| crate::error::bucket_error_at(dest, e))
    };
    let result = crate::signals::or_interrupted(download).await;
    let elapsed = progress.finish();
    let output = result?;
    if let Some(reason) = &output.discarded_checkpoint {
        out.notice(reason);
    }
    if !output.envelope.is_encrypted() {
        out.plain_object(key);
    }
    Ok(Summary {
        bytes: output.size,
        parts: output.parts_downloaded,
        resumed: output.parts_resumed,
        elapsed,
    })
}
