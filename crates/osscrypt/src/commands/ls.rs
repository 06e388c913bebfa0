//! `osscrypt ls`: list one level under a bucket and prefix, or everything below it with
//! `-r`; `ls oss://` lists the buckets (`buckets::list_buckets`). Entries are printed as the pages arrive (text or one JSON array), so a listing of
//! millions of keys holds one page in memory.

use std::io::Write as _;

use futures::TryStreamExt as _;
use oss_client::{ListObjectsOptions, ObjectSummary};
use oss_crypto_bucket::batch::{self, BatchOptions};
use serde_json::json;

use crate::cli::LsArgs;
use crate::connection::Connection;
use crate::error::{CliError, CliResult};

/// Runs `ls`.
pub(crate) async fn run(args: &LsArgs, conn: &Connection) -> CliResult {
    if args.lists_buckets() {
        if args.recursive {
            return Err(CliError::usage("ls -r needs a bucket: oss://bucket/prefix"));
        }
        return super::buckets::list_buckets(conn, args.json).await;
    }
    let client = conn.client(&args.prefix.bucket)?;
    let mut printer = Printer::new(args);
    if args.recursive {
        let mut objects = batch::objects(&client, &args.prefix.key, &BatchOptions::default());
        while let Some(object) = objects.try_next().await? {
            printer.object(&object)?;
        }
        return printer.finish();
    }
    let mut options = ListObjectsOptions::default()
        .with_max_keys(1000)
        .with_delimiter("/");
    if !args.prefix.key.is_empty() {
        options = options.with_prefix(args.prefix.key.clone());
    }
    loop {
        let page = client.list_objects_v2(&options).await?;
        for prefix in &page.common_prefixes {
            printer.prefix(&prefix.prefix)?;
        }
        for object in &page.objects {
            printer.object(object)?;
        }
        match page.next_continuation_token {
            Some(token) if page.is_truncated => {
                options = options.with_continuation_token(token);
            }
            _ => break,
        }
    }
    printer.finish()
}

/// Writes entries as text lines or as the elements of one JSON array.
struct Printer {
    bucket: String,
    json: bool,
    entries: usize,
    out: std::io::BufWriter<std::io::Stdout>,
}

impl Printer {
    fn new(args: &LsArgs) -> Self {
        Self {
            bucket: args.prefix.bucket.clone(),
            json: args.json,
            entries: 0,
            out: std::io::BufWriter::new(std::io::stdout()),
        }
    }

    fn object(&mut self, o: &ObjectSummary) -> CliResult {
        if self.json {
            let value = json!({
                "key": o.key,
                "size": o.size,
                "etag": o.etag,
                "last_modified": o.last_modified,
            });
            return self.json_entry(&value);
        }
        let line = format!(
            "{:>12}  {}  oss://{}/{}",
            o.size, o.last_modified, self.bucket, o.key
        );
        self.line(&line)
    }

    fn prefix(&mut self, prefix: &str) -> CliResult {
        if self.json {
            return self.json_entry(&json!({ "prefix": prefix }));
        }
        let line = format!("{:>12}  {:24}  oss://{}/{}", "PRE", "", self.bucket, prefix);
        self.line(&line)
    }

    fn json_entry(&mut self, value: &serde_json::Value) -> CliResult {
        let separator = if self.entries == 0 { "[\n  " } else { ",\n  " };
        self.entries += 1;
        self.line_raw(&format!("{separator}{value}"))
    }

    fn line(&mut self, line: &str) -> CliResult {
        self.line_raw(&format!("{line}\n"))
    }

    fn line_raw(&mut self, text: &str) -> CliResult {
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| CliError::other(format!("stdout: {e}")))
    }

    fn finish(mut self) -> CliResult {
        if self.json {
            let end = if self.entries == 0 { "[]\n" } else { "\n]\n" };
            self.line_raw(end)?;
        }
        self.out
            .flush()
            .map_err(|e| CliError::other(format!("stdout: {e}")))
    }
}
