//! `osscrypt rm`: delete objects (no keys needed), or with `-r` everything under prefixes.

use futures::{StreamExt as _, TryStreamExt as _};
use oss_crypto_bucket::batch;

use crate::batch::Counter;
use crate::cli::RmArgs;
use crate::connection::Connection;
use crate::error::{CliError, CliResult, Kind, Peer};
use crate::output::Output;

/// Runs `rm`. A missing object is "not found" (exit 3): OSS itself would answer 204, so the
/// object is checked first to give scripts a useful answer. Each failure is reported on
/// stderr (naming the object) and the other objects are still deleted; the exit code is then
/// the failures' (3 when all were missing, 1 for a mix). With `-r` a prefix with nothing under
/// it is not an error.
pub(crate) async fn run(args: &RmArgs, conn: &Connection, out: &Output) -> CliResult {
    if args.recursive {
        return recursive(args, conn, out).await;
    }
    // A bad argument stops the command before anything is deleted.
    let keys = args
        .objects
        .iter()
        .map(|uri| Ok((uri, uri.object_key()?)))
        .collect::<CliResult<Vec<_>>>()?;
    let mut failures = Failures::default();
    for (uri, key) in keys {
        match delete(conn, &uri.bucket, key).await {
            Ok(()) => out.info(format!("deleted {uri}")),
            Err(e) => failures.add(e.on_object(uri).at_host(Peer::Oss, conn.host())),
        }
    }
    failures.into_result(args.objects.len())
}

/// Deletes one object that must exist.
async fn delete(conn: &Connection, bucket: &str, key: &str) -> CliResult {
    let client = conn.client(bucket)?;
    client
        .head_object(key, &oss_client::http::HeaderMap::new())
        .await?;
    client.delete_object(key).await?;
    Ok(())
}

/// The objects `rm` could not delete: each printed when it happens, counted for the end.
#[derive(Debug, Default)]
struct Failures {
    count: usize,
    /// The kind all failures share, or `Other` once they differ.
    kind: Option<Kind>,
}

impl Failures {
    /// Prints `e` (even with `--quiet`, as any error) and counts it.
    fn add(&mut self, e: CliError) {
        eprintln!("osscrypt: {e}");
        self.count += 1;
        self.kind = Some(match self.kind {
            Some(kind) if kind != e.kind() => Kind::Other,
            _ => e.kind(),
        });
    }

    fn into_result(self, total: usize) -> CliResult {
        match self.kind {
            None => Ok(()),
            Some(kind) => Err(CliError::new(
                kind,
                format!("{} of {total} objects not deleted (see above)", self.count),
            )),
        }
    }
}

/// Deletes every listed object under each prefix, `--jobs` at a time.
async fn recursive(args: &RmArgs, conn: &Connection, out: &Output) -> CliResult {
    let options = args.batch.options();
    let counter = Counter::new(out, "deleting");
    let mut deleted = 0u64;
    for uri in &args.objects {
        let client = conn.client(&uri.bucket)?;
        let mut deletions = batch::objects(&client, &uri.key, &options)
            .map_ok(|object| {
                let client = client.clone();
                async move {
                    client.delete_object(&object.key).await?;
                    Ok::<_, oss_crypto_bucket::Error>(())
                }
            })
            .try_buffer_unordered(options.jobs)
            .boxed();
        while deletions.try_next().await?.is_some() {
            deleted += 1;
            counter.tick(String::new());
        }
    }
    counter.finish();
    out.info(format!("deleted {deleted} objects"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_kind_is_the_failures_own_or_other_for_a_mix() {
        let none = Failures::default();
        assert!(none.into_result(3).is_ok());
        let mut missing = Failures::default();
        missing.add(CliError::new(Kind::NotFound, "a"));
        missing.add(CliError::new(Kind::NotFound, "b"));
        let e = missing.into_result(3).unwrap_err();
        assert_eq!(e.kind(), Kind::NotFound);
        assert_eq!(
            e.to_string(),
            "not found: 2 of 3 objects not deleted (see above)"
        );
        let mut mixed = Failures::default();
        mixed.add(CliError::new(Kind::NotFound, "a"));
        mixed.add(CliError::new(Kind::Auth, "b"));
        mixed.add(CliError::new(Kind::NotFound, "c"));
        assert_eq!(mixed.into_result(3).unwrap_err().kind(), Kind::Other);
    }
}
