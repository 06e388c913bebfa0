//! `osscrypt cp` with local files: uploads of files or a directory tree (`-r`) to a prefix,
//! downloads of an object or a prefix (`-r`) into a directory, `--jobs` files at a time with
//! one progress line (see `oss_crypto_bucket::batch` for the tree rules).

use std::path::{Path, PathBuf};

use futures::{StreamExt as _, TryStreamExt as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oss_crypto_bucket::CryptoBucket;
use oss_crypto_bucket::batch::{
    LocalFile, TransferRecord, download_prefix, local_files, upload_files,
};

use crate::cli::{CpArgs, ObjectUri};
use crate::connection::{self, Connection};
use crate::error::{CliError, CliResult, io_error};
use crate::keys;
use crate::output::Output;

/// Uploads the local sources of `args` to `dest`.
pub(crate) async fn upload(
    args: &CpArgs,
    dest: &ObjectUri,
    conn: &Connection,
    out: &Output,
) -> CliResult {
    let mut files = upload_list(args, dest, out)?;
    files.retain(|f| args.batch.shard.contains(&f.key));
    let bucket = bucket(args, &dest.bucket, conn)?;
    let total = files.iter().map(|f| f.size).sum();
    let progress = Progress::new(out, "up", files.len(), Some(total));
    let records = upload_files(&bucket, files, usize::from(args.batch.jobs), |_| Vec::new());
    let failed = records
        .fold(0u64, |failed, record| {
            let failed = failed + u64::from(progress.record(&record, out));
            async move { failed }
        })
        .await;
    progress.finish(out, "uploaded", failed)
}

/// What to upload: each file source (to `prefix + file name` when `dest` ends in `/` or
/// there are several), or with `-r` the tree of one directory.
fn upload_list(args: &CpArgs, dest: &ObjectUri, out: &Output) -> CliResult<Vec<LocalFile>> {
    let to_prefix = dest.key.is_empty() || dest.key.ends_with('/') || args.sources.len() > 1;
    let mut files = Vec::new();
    for source in &args.sources {
        let path = Path::new(source);
        let meta = std::fs::symlink_metadata(path).map_err(|e| io_error(path.display(), &e))?;
        if meta.is_dir() {
            if !args.recursive {
                return Err(CliError::usage(format!("{source} is a directory: pass -r")));
            }
            let prefix = if to_prefix {
                dest.key.clone()
            } else {
                format!("{}/", dest.key)
            };
            let (found, skipped) = local_files(path, &prefix);
            for s in skipped {
                out.notice(format!("skipped {}: {}", s.path.display(), s.reason));
            }
            files.extend(found);
        } else if meta.is_file() {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let key = if to_prefix {
                format!("{}{name}", dest.key)
            } else {
                dest.key.clone()
            };
            files.push(LocalFile::new(path.to_owned(), key, meta.len()));
        } else {
            out.notice(format!("skipped {source}: not a regular file or directory"));
        }
    }
    Ok(files)
}

/// Downloads `source` (with `-r`, everything under it) into the destination of `args`.
pub(crate) async fn download(
    args: &CpArgs,
    source: &ObjectUri,
    conn: &Connection,
    out: &Output,
) -> CliResult {
    let bucket = bucket(args, &source.bucket, conn)?;
    let dest = PathBuf::from(&args.dest);
    if !args.recursive {
        return Err(CliError::usage(
            "cp from oss:// to a local path needs -r (for one object use `get`)",
        ));
    }
    let progress = Progress::new(out, "down", 0, None);
    let options = args.batch.options();
    let mut records = std::pin::pin!(download_prefix(&bucket, &source.key, &dest, &options));
    let mut failed = 0u64;
    while let Some(record) = records.try_next().await? {
        failed += u64::from(progress.record(&record, out));
    }
    progress.finish(out, "downloaded", failed)
}

fn bucket(args: &CpArgs, name: &str, conn: &Connection) -> CliResult<CryptoBucket> {
    let ring = keys::keyring(&args.keys, Some(&conn.kms))?;
    conn.crypto_bucket(name, ring, connection::crypto_options(None, args.md5))
}

/// One progress line over all files: files done/total, bytes, throughput, ETA.
pub(crate) struct Progress {
    bar: ProgressBar,
    files: usize,
    done: core::cell::Cell<usize>,
}

impl Progress {
    pub(crate) fn new(out: &Output, label: &str, files: usize, bytes: Option<u64>) -> Self {
        let target = if out.is_quiet() || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(bytes, target);
        let template = if bytes.is_some() {
            "{prefix} {msg} files, {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})"
        } else {
            "{spinner} {prefix} {msg} files, {bytes} ({bytes_per_sec})"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_prefix(label.to_owned());
        Self {
            bar,
            files,
            done: core::cell::Cell::new(0),
        }
    }

    /// Counts a record; reports and returns `true` for a failure.
    pub(crate) fn record(&self, record: &TransferRecord, out: &Output) -> bool {
        self.done.set(self.done.get() + 1);
        self.bar.inc(record.bytes);
        let of = if self.files > 0 {
            format!("/{}", self.files)
        } else {
            String::new()
        };
        self.bar.set_message(format!("{}{of}", self.done.get()));
        match &record.error {
            Some(error) => {
                out.notice(format!(
                    "{} ({}): {error}",
                    record.key,
                    record.path.display()
                ));
                true
            }
            None => false,
        }
    }

    pub(crate) fn finish(&self, out: &Output, verb: &str, failed: u64) -> CliResult {
        let elapsed = self.bar.elapsed();
        let bytes = self.bar.position();
        self.bar.finish_and_clear();
        let done = self.done.get() as u64 - failed;
        out.info(format!(
            "{verb} {done} files ({bytes} bytes) in {elapsed:.2?}, {}",
            crate::output::throughput(bytes, elapsed)
        ));
        if failed > 0 {
            return Err(CliError::other(format!(
                "{failed} files failed (reported above)"
            )));
        }
        Ok(())
    }
}
