//! `put` without `--resumable`: a file goes as one PutObject up to `--multipart-threshold` and
//! as a parallel multipart upload above it; stdin is streamed in bounded memory (see
//! `oss_crypto_bucket::CryptoBucket::upload_stream` for the ciphertext spool of long input).
//! SIGINT and SIGTERM stop the upload and remove the spool file.

use std::path::Path;
use std::sync::Arc;

use futures::StreamExt as _;
use oss_crypto_bucket::{CryptoBucket, UploadOptions, UploadSummary};

use crate::cli::PutArgs;
use crate::error::{CliError, CliResult, io_error};
use crate::output::{Output, Transfer};

/// Stdin is read in chunks of this size.
const STDIN_CHUNK: usize = 256 * 1024;

/// Uploads `args.source` (a file or `-`) to `key`; returns the summary and the elapsed time.
pub(crate) async fn run(
    bucket: &CryptoBucket,
    key: &str,
    args: &PutArgs,
    out: &Output,
) -> CliResult<(UploadSummary, core::time::Duration)> {
    let progress = out.transfer("put", 0);
    let options = options(args, &progress);
    let upload = async {
        if args.source == Path::new("-") {
            let stdin =
                tokio_util::io::ReaderStream::with_capacity(tokio::io::stdin(), STDIN_CHUNK);
            bucket.upload_stream(key, stdin.boxed(), &options).await
        } else {
            check_file(&args.source)?;
            bucket.upload_file(key, &args.source, &options).await
        }
        .map_err(CliError::from)
    };
    let result = crate::signals::or_interrupted(upload).await;
    let elapsed = progress.finish();
    result.map(|summary| (summary, elapsed))
}

fn options(args: &PutArgs, progress: &Arc<Transfer>) -> UploadOptions {
    let progress = Arc::clone(progress);
    let mut options = UploadOptions::default()
        .with_multipart_threshold(args.multipart_threshold)
        .with_progress(move |done, total| progress.update(done, total));
    if let Some(dir) = &args.spool_dir {
        options = options.with_spool_dir(dir.clone());
    }
    options
}

fn check_file(path: &Path) -> CliResult {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path.display(), &e))?;
    if meta.is_file() {
        Ok(())
    } else {
        Err(CliError::usage(format!("{} is not a file", path.display())))
    }
}
