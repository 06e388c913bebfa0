//! Bucket housekeeping: `ls oss://` (the buckets), `mb`, `rb` (`--force` empties the bucket
//! first) and `uploads ls` / `uploads abort` for unfinished multipart uploads. No keys are
//! needed.

use futures::TryStreamExt as _;
use oss_client::Client;
use oss_crypto_bucket::batch;
use serde_json::json;

use crate::batch::Counter;
use crate::batch::args::{MbArgs, RbArgs, UploadsAction, UploadsArgs};
use crate::connection::Connection;
use crate::error::{CliError, CliResult};
use crate::output::{Listing, Output};

/// Uploads per ListMultipartUploads page.
const PAGE: u32 = 1000;

/// Runs `mb`.
pub(crate) async fn mb(args: &MbArgs, conn: &Connection, out: &Output) -> CliResult {
    let client = bucket_client(conn, &args.bucket)?;
    client.create_bucket().await?;
    out.info(format!("created oss://{}", args.bucket.bucket));
    Ok(())
}

/// Runs `rb`.
pub(crate) async fn rb(args: &RbArgs, conn: &Connection, out: &Output) -> CliResult {
    let client = bucket_client(conn, &args.bucket)?;
    if args.force {
        let jobs = usize::from(args.batch.jobs);
        let aborted = abort_all(&client, "", jobs, out).await?;
        let options = args.batch.options();
        let deleted = batch::objects(&client, "", &options)
            .map_ok(|object| {
                let client = client.clone();
                async move { client.delete_object(&object.key).await.map_err(Into::into) }
            })
            .try_buffer_unordered(jobs)
            .try_fold(0u64, |n, _| async move { Ok(n + 1) })
            .await?;
        out.info(format!(
            "emptied oss://{}: deleted {deleted} objects, aborted {aborted} uploads",
            args.bucket.bucket
        ));
    }
    client.delete_bucket().await?;
    out.info(format!("removed oss://{}", args.bucket.bucket));
    Ok(())
}

/// Runs `uploads ls` or `uploads abort`.
pub(crate) async fn uploads(args: &UploadsArgs, conn: &Connection, out: &Output) -> CliResult {
    let prefix = args.prefix();
    let client = conn.client(&prefix.bucket)?;
    match &args.action {
        UploadsAction::Ls { json, .. } => list(&client, &prefix.bucket, &prefix.key, *json).await,
        UploadsAction::Abort { .. } => {
            let aborted = abort_all(&client, &prefix.key, 16, out).await?;
            out.info(format!("aborted {aborted} uploads under {prefix}"));
            Ok(())
        }
    }
}

/// Prints the uploads under `prefix` as they are listed (text lines or one JSON array).
async fn list(client: &Client, bucket: &str, prefix: &str, json: bool) -> CliResult {
    let mut listing = Listing::new(json);
    let mut uploads = batch::uploads(client, prefix, PAGE);
    while let Some(u) = uploads.try_next().await? {
        listing.entry(
            || json!({ "key": u.key, "upload_id": u.upload_id, "initiated": u.initiated }),
            || {
                format!(
                    "{:24}  {}  oss://{bucket}/{}",
                    u.initiated, u.upload_id, u.key
                )
            },
        )?;
    }
    listing.finish()
}

/// `ls oss://`: prints the account's buckets as the pages arrive (text lines or one JSON
/// array).
pub(crate) async fn list_buckets(conn: &Connection, json: bool) -> CliResult {
    let service = conn.service_client()?;
    let mut listing = Listing::new(json);
    let mut buckets = batch::buckets(&service, PAGE);
    while let Some(b) = buckets.try_next().await? {
        listing.entry(
            || {
                json!({
                    "name": b.name,
                    "region": b.region,
                    "location": b.location,
                    "creation_date": b.creation_date,
                    "storage_class": b.storage_class,
                    "extranet_endpoint": b.extranet_endpoint,
                    "intranet_endpoint": b.intranet_endpoint,
                })
            },
            || format!("{:24}  {:16}  oss://{}", b.creation_date, b.region, b.name),
        )?;
    }
    listing.finish()
}

/// Aborts every upload under `prefix`, `jobs` at a time; returns how many.
async fn abort_all(client: &Client, prefix: &str, jobs: usize, out: &Output) -> CliResult<u64> {
    let counter = Counter::new(out, "aborting uploads");
    let aborted = batch::uploads(client, prefix, PAGE)
        .map_ok(|u| {
            let client = client.clone();
            async move {
                match client.abort_multipart_upload(&u.key, &u.upload_id).await {
                    // Completed or aborted by someone else since it was listed.
                    Err(e) if e.is_not_found() => Ok(0),
                    other => other.map(|()| 1).map_err(oss_crypto_bucket::Error::from),
                }
            }
        })
        .try_buffer_unordered(jobs.max(1))
        .inspect_ok(|_| counter.tick(String::new()))
        .try_fold(0u64, |n, one| async move { Ok(n + one) })
        .await;
    counter.finish();
    Ok(aborted?)
}

/// A client of the bucket `uri` names (no key allowed).
fn bucket_client(conn: &Connection, uri: &crate::cli::ObjectUri) -> CliResult<Client> {
    if !uri.key.is_empty() {
        return Err(CliError::usage(format!(
            "{uri} names an object, not a bucket"
        )));
    }
    conn.client(&uri.bucket)
}
