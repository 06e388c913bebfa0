//! What the bucket-scale commands share: `--jobs` and `--shard`, the crypto bucket of a
//! prefix, a progress counter of objects driven by the library's record streams, and
//! JSON-lines journals.

pub(crate) mod args;
pub(crate) mod filter;

use std::fs::File;
use std::io::{BufWriter, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use clap::Args;
use futures::{Stream, TryStreamExt as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oss_crypto_bucket::CryptoBucket;
use oss_crypto_bucket::batch::{BatchOptions, Shard};
use serde::Serialize;

use crate::cli::KeyArgs;
use crate::connection::{self, Connection};
use crate::error::{CliError, CliResult};
use crate::keys;
use crate::output::Output;

/// Objects worked on at once unless `--jobs` says otherwise.
pub(crate) const DEFAULT_JOBS: u16 = 16;

/// `--jobs` and `--shard`.
#[derive(Debug, Args, Clone)]
pub(crate) struct BatchArgs {
    /// Objects worked on at once.
    #[arg(long, default_value_t = DEFAULT_JOBS, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(crate) jobs: u16,
    /// Only the keys of shard INDEX of COUNT (`0/4`..`3/4`), split by a stable hash of the
    /// key: COUNT processes with the indexes 0..COUNT cover the prefix exactly once, with no
    /// coordinator (e.g. a Kubernetes Indexed Job, `JOB_COMPLETION_INDEX`).
    #[arg(long, value_name = "INDEX/COUNT", default_value = "0/1")]
    pub(crate) shard: Shard,
}

impl BatchArgs {
    /// The library's batch options.
    pub(crate) fn options(&self) -> BatchOptions {
        BatchOptions::default()
            .with_jobs(usize::from(self.jobs))
            .with_shard(self.shard)
    }
}

/// The crypto bucket `bucket` read with `keys` (KMS through the connection), as `audit`,
/// `migrate` and `rotate` use it: default options, no MD5 computed for transfers.
///
/// # Errors
///
/// Key and usage errors.
pub(crate) fn bucket_with_keys(
    conn: &Connection,
    keys: &KeyArgs,
    bucket: &str,
) -> CliResult<CryptoBucket> {
    let ring = keys::keyring(keys, Some(&conn.kms))?;
    conn.crypto_bucket(bucket, ring, connection::crypto_options(None, false))
}

/// Reads a batch operation's `records` to their end under a [`Counter`] labelled `label`:
/// `each` handles every record (prints, tallies, journals it) and returns the running
/// summary the counter shows.
///
/// # Errors
///
/// The first error of the listing or of `each`.
pub(crate) async fn drive<R>(
    out: &Output,
    label: &str,
    records: impl Stream<Item = oss_crypto_bucket::Result<R>>,
    mut each: impl FnMut(R) -> CliResult<String>,
) -> CliResult {
    let counter = Counter::new(out, label);
    let mut records = std::pin::pin!(records);
    let result = async {
        while let Some(record) = records.try_next().await? {
            counter.tick(each(record)?);
        }
        Ok(())
    }
    .await;
    counter.finish();
    result
}

/// A running count of objects on stderr (a terminal, not `--quiet`): count, rate, a message.
#[derive(Debug)]
pub(crate) struct Counter {
    bar: ProgressBar,
}

impl Counter {
    /// A counter labelled `label`.
    pub(crate) fn new(out: &Output, label: &str) -> Self {
        let target = if out.is_quiet() || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {prefix} {pos} objects ({per_sec}) {msg}")
        {
            bar.set_style(style);
        }
        bar.set_prefix(label.to_owned());
        Self { bar }
    }

    /// One more object; `message` is the running summary.
    pub(crate) fn tick(&self, message: String) {
        self.bar.inc(1);
        self.bar.set_message(message);
    }

    /// Removes the counter.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// An append-only JSON-lines file, flushed after every record so that a killed run keeps
/// everything it reported.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    file: BufWriter<File>,
}

impl Journal {
    /// Opens `path` for appending (created if missing).
    pub(crate) fn open(path: &Path) -> CliResult<Self> {
        let file = File::options()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| CliError::other(format!("journal {}: {e}", path.display())))?;
        Ok(Self {
            path: path.to_owned(),
            file: BufWriter::new(file),
        })
    }

    /// Appends one record as a line.
    pub(crate) fn record(&mut self, record: &impl Serialize) -> CliResult {
        let fail = |e: &dyn core::fmt::Display| {
            CliError::other(format!("journal {}: {e}", self.path.display()))
        };
        serde_json::to_writer(&mut self.file, record).map_err(|e| fail(&e))?;
        self.file.write_all(b"\n").map_err(|e| fail(&e))?;
        self.file.flush().map_err(|e| fail(&e))
    }
}
