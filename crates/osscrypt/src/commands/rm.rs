//! `osscrypt rm`: delete objects (no keys needed), or with `-r` everything under prefixes.

use futures::{StreamExt as _, TryStreamExt as _};
use oss_crypto_bucket::batch;

use crate::batch::Counter;
use crate::cli::RmArgs;
use crate::connection::Connection;
use crate::error::CliResult;
use crate::output::Output;

/// Runs `rm`. A missing object is "not found" (exit 3): OSS itself would answer 204, so the
/// object is checked first to give scripts a useful answer. With `-r` a prefix with nothing
/// under it is not an error.
pub(crate) async fn run(args: &RmArgs, conn: &Connection, out: &Output) -> CliResult {
    if args.recursive {
        return recursive(args, conn, out).await;
    }
    for uri in &args.objects {
        let key = uri.object_key()?;
        let client = conn.client(&uri.bucket)?;
        client
            .head_object(key, &oss_client::http::HeaderMap::new())
            .await?;
        client.delete_object(key).await?;
        out.info(format!("deleted {uri}"));
    }
    Ok(())
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
