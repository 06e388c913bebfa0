//! `osscrypt ls`: list objects under a bucket and prefix (all pages), as text or JSON.

use oss_client::ListObjectsOptions;
use serde_json::json;

use crate::cli::LsArgs;
use crate::connect::Connection;
use crate::exit::CliResult;
use crate::output::Output;
use crate::remote;

/// Runs `ls`.
pub(crate) async fn run(args: &LsArgs, conn: &Connection) -> CliResult {
    let client = remote::client(conn, &args.prefix.bucket)?;
    let mut options = ListObjectsOptions::default().with_max_keys(1000);
    if !args.prefix.key.is_empty() {
        options = options.with_prefix(args.prefix.key.clone());
    }
    let mut entries = Vec::new();
    loop {
        let page = client.list_objects_v2(&options).await?;
        entries.extend(page.objects.into_iter().map(|o| {
            json!({
                "key": o.key,
                "size": o.size,
                "etag": o.etag,
                "last_modified": o.last_modified,
            })
        }));
        match page.next_continuation_token {
            Some(token) if page.is_truncated => {
                options = options.with_continuation_token(token);
            }
            _ => break,
        }
    }
    if args.json {
        return Output::json(&entries);
    }
    for entry in &entries {
        Output::result(format!(
            "{:>12}  {}  oss://{}/{}",
            entry["size"],
            entry["last_modified"].as_str().unwrap_or_default(),
            args.prefix.bucket,
            entry["key"].as_str().unwrap_or_default()
        ))?;
    }
    Ok(())
}
