//! `osscrypt get`: download and decrypt an object, whole or a range, to a file or stdout.
//!
//! A directory destination (`dl/`) means "into this directory", under the object key's last
//! segment, as `cp` does. A regular file (or new path) destination is written to
//! `<dest>.osscrypt-partial` (created with mode 0600, removed on failure and on
//! SIGINT/SIGTERM) and renamed only after the whole body arrived and passed its checks
//! (CRC-64, MD5 when recorded), so a failed read never leaves unverified plaintext under the
//! destination name; a symbolic link is kept and its target replaced. A destination that is
//! not a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is streamed into like stdout,
//! also with `--resumable` (which has nothing to resume into then, and says so).

use std::path::{Path, PathBuf};

use futures::StreamExt as _;
use oss_crypto_bucket::{ByteRange, CryptoBucket, GetOptions};
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use crate::cli::GetArgs;
use crate::connection::{self, Connection};
use crate::error::{CliError, CliResult, io_error};
use crate::keys;
use crate::output::{Output, throughput};
use crate::target::{Target, partial_path};

/// Runs `get`.
pub(crate) async fn run(args: &GetArgs, conn: &Connection, out: &Output) -> CliResult {
    let key = args.source.object_key()?;
    let range = args
        .range
        .as_deref()
        .map(|text| {
            ByteRange::parse(text).map_err(|e| CliError::usage(format!("--range {text:?}: {e}")))
        })
        .transpose()?;
    let ring = keys::keyring(&args.keys, Some(&conn.kms))?;
    let bucket = conn.crypto_bucket(
        &args.source.bucket,
        ring,
        connection::crypto_options(Some(&args.transfer), false)
            .with_require_encrypted(args.require_encrypted),
    )?;
    let target = Target::of(&into_directory(&args.dest, key))?;
    if args.transfer.resumable && range.is_some() {
        return Err(CliError::usage(
            "--resumable downloads whole objects; drop --range",
        ));
    }
    if args.transfer.resumable && target.is_stream() {
        let name = match &target {
            Target::Stream(path) => path.display().to_string(),
            _ => "stdout".to_owned(),
        };
        out.notice(format!(
            "{name} is not a regular file: streaming the object into it with one GET \
             (--resumable needs a file to resume into)"
        ));
    }
    if let (true, Target::File(dest)) = (args.transfer.resumable, &target) {
        let summary = super::transfer::download(&bucket, key, dest, out).await?;
        out.info(format!(
            "got {} ({} bytes, resumable): {}",
            args.source,
            summary.bytes,
            summary.describe()
        ));
        return Ok(());
    }
    let options = range.map_or_else(GetOptions::default, |r| GetOptions::default().with_range(r));
    let (bytes, elapsed) = match &target {
        Target::Stdout => {
            let mut stdout = tokio::io::stdout();
            download(&bucket, key, &options, &mut stdout, out).await?
        }
        Target::Stream(path) => to_stream(&bucket, key, &options, path, out).await?,
        Target::File(path) => to_file(&bucket, key, &options, path, out).await?,
    };
    out.info(format!(
        "got {} ({bytes} bytes{}) in {elapsed:.2?} ({})",
        args.source,
        args.range
            .as_deref()
            .map(|r| format!(", range {r}"))
            .unwrap_or_default(),
        throughput(bytes, elapsed)
    ));
    Ok(())
}

/// Streams the decrypted object into `sink`; returns (bytes, elapsed).
pub(crate) async fn download(
    bucket: &CryptoBucket,
    key: &str,
    options: &GetOptions,
    sink: &mut (dyn AsyncWrite + Unpin + Send),
    out: &Output,
) -> CliResult<(u64, core::time::Duration)> {
    let mut object = bucket.get_object(key, options).await?;
    if !object.is_encrypted() {
        out.plain_object(key);
    }
    let total = object.content_length;
    let progress = out.transfer("get", total);
    let mut done = 0_u64;
    let result: CliResult = async {
        while let Some(chunk) = object.body.next().await {
            let chunk = chunk?;
            sink.write_all(&chunk)
                .await
                .map_err(|e| io_error("output", &e))?;
            done += chunk.len() as u64;
            progress.update(done, total);
        }
        sink.flush().await.map_err(|e| io_error("output", &e))
    }
    .await;
    let elapsed = progress.finish();
    result.map(|()| (done, elapsed))
}

/// The file to write: `dest` itself, or `dest/<last segment of key>` when `dest` is a
/// directory (or ends with `/`).
fn into_directory(dest: &Path, key: &str) -> PathBuf {
    let named_dir = dest.as_os_str().to_string_lossy().ends_with('/');
    if !(named_dir || dest.is_dir()) {
        return dest.to_path_buf();
    }
    let name = key.rsplit('/').find(|s| !s.is_empty()).unwrap_or(key);
    dest.join(name)
}

/// Opens `path` (a device or FIFO: no create, no truncate) and streams into it; SIGINT and
/// SIGTERM stop it, also while a FIFO's open waits for a reader.
async fn to_stream(
    bucket: &CryptoBucket,
    key: &str,
    options: &GetOptions,
    path: &Path,
    out: &Output,
) -> CliResult<(u64, core::time::Duration)> {
    crate::signals::or_interrupted(async {
        let mut sink = oss_crypto_bucket::open_stream(path)
            .await
            .map_err(|e| io_error(path.display(), &e))?;
        download(bucket, key, options, &mut sink, out).await
    })
    .await
}

async fn to_file(
    bucket: &CryptoBucket,
    key: &str,
    options: &GetOptions,
    dest: &Path,
    out: &Output,
) -> CliResult<(u64, core::time::Duration)> {
    let partial = partial_path(dest);
    let mut file = oss_crypto_bucket::create_private_file(&partial)
        .await
        .map_err(|e| io_error(partial.display(), &e))?;
    let result =
        crate::signals::or_interrupted(download(bucket, key, options, &mut file, out)).await;
    drop(file);
    match result {
        Ok(done) => {
            tokio::fs::rename(&partial, dest)
                .await
                .map_err(|e| io_error(dest.display(), &e))?;
            Ok(done)
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Err(e)
        }
    }
}
