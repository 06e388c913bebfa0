//! `osscrypt put`: encrypt and upload a file or stdin; or, with `--raw-with-meta`, upload an
//! offline-encrypted file with its sidecar envelope unchanged.

use std::path::Path;

use oss_client::PutPayload;
use oss_client::http::{HeaderMap, HeaderName, HeaderValue};

use crate::cli::PutArgs;
use crate::connection::{self, Connection};
use crate::error::{CliError, CliResult, io_error};
use crate::output::{Output, throughput};
use crate::{keys, sidecar};

/// Runs `put`.
pub(crate) async fn run(args: &PutArgs, conn: &Connection, out: &Output) -> CliResult {
    let key = args.dest.object_key()?;
    if args.raw_with_meta {
        return raw(args, key, conn, out).await;
    }
    let ring = keys::keyring(&args.keys, Some(&conn.kms))?;
    let options = connection::crypto_options(Some(&args.transfer), args.md5);
    let bucket = conn.crypto_bucket(&args.dest.bucket, ring, options)?;
    if args.transfer.resumable {
        // Resuming with a public key alone fails with the library's explanation and remedy.
        let summary = super::transfer::upload(&bucket, key, &args.source, out).await?;
        out.info(format!(
            "put {} ({} bytes, encrypted, resumable): {}",
            args.dest,
            summary.bytes,
            summary.describe()
        ));
        return Ok(());
    }
    let (summary, elapsed) = super::upload::run(&bucket, key, args, out).await?;
    let how = match (summary.parts, summary.spooled) {
        (0, false) => "one request".to_owned(),
        (0, true) => "one request, spooled".to_owned(),
        (n, false) => format!("{n} parts"),
        (n, true) => format!("{n} parts, spooled"),
    };
    out.info(format!(
        "put {} ({} bytes, encrypted, {how}) in {elapsed:.2?} ({})",
        args.dest,
        summary.size,
        throughput(summary.size, elapsed)
    ));
    Ok(())
}

/// Uploads an already encrypted file with the headers of its sidecar file.
async fn raw(args: &PutArgs, key: &str, conn: &Connection, out: &Output) -> CliResult {
    if args.source == Path::new("-") && args.meta.is_none() {
        return Err(CliError::usage("--raw-with-meta from stdin needs --meta"));
    }
    let meta = args
        .meta
        .clone()
        .unwrap_or_else(|| sidecar::default_path(&args.source));
    let (pairs, envelope) = sidecar::read(&meta)?;
    if let Some(expected) = envelope.unencrypted_content_length() {
        let len = std::fs::metadata(&args.source)
            .map_err(|e| io_error(args.source.display(), &e))?
            .len();
        if len != expected {
            return Err(CliError::new(
                crate::error::Kind::Integrity,
                format!(
                    "{} has {len} bytes but its envelope says {expected}",
                    args.source.display()
                ),
            ));
        }
    }
    let mut headers = HeaderMap::new();
    for (name, value) in &pairs {
        let name = HeaderName::try_from(name.as_str()).map_err(|_| {
            CliError::usage(format!("{}: bad header name {name:?}", meta.display()))
        })?;
        let value = HeaderValue::try_from(value.as_str())
            .map_err(|_| CliError::usage(format!("{}: bad value for {name}", meta.display())))?;
        headers.insert(name, value);
    }
    let payload = PutPayload::from_file(&args.source).await?;
    let len = payload.len();
    let client = conn.client(&args.dest.bucket)?;
    client.put_object(key, payload, &headers).await?;
    out.info(format!(
        "put {} ({len} bytes, pre-encrypted, envelope from {})",
        args.dest,
        meta.display()
    ));
    Ok(())
}
