//! `osscrypt ls`: list one level under a bucket and prefix, or everything below it with
//! `-r`; `ls oss://` lists the buckets (`buckets::list_buckets`). Entries are printed as the
//! pages arrive (text or one JSON array), so a listing of millions of keys holds one page in
//! memory.
//!
//! Text lines have fixed-width columns, so they line up across pages without buffering the
//! listing: the size (human units, exact bytes with `--bytes`), the modification time, with
//! `-l` the encryption, then the `oss://` address. A listing does not say whether an object is
//! client-side encrypted (the envelope is in each object's metadata), so `-l` costs one
//! HeadObject per object, `--jobs` at a time, printed in listing order.

use futures::stream::{self, TryStreamExt as _};
use oss_client::http::HeaderMap;
use oss_client::{Client, ListObjectsOptions, ObjectSummary};
use oss_crypto_bucket::batch::{self, BatchOptions};
use oss_envelope::Classification;
use serde_json::json;

use crate::cli::LsArgs;
use crate::connection::Connection;
use crate::error::{CliError, CliResult};
use crate::output::Listing;

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
        let objects = batch::objects(&client, &args.prefix.key, &BatchOptions::default())
            .map_err(CliError::from);
        let mut entries = std::pin::pin!(with_encryption(&client, args, objects));
        while let Some((object, encryption)) = entries.try_next().await? {
            printer.object(&object, encryption.as_ref())?;
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
        let objects = stream::iter(page.objects.into_iter().map(Ok));
        let mut entries = std::pin::pin!(with_encryption(&client, args, objects));
        while let Some((object, encryption)) = entries.try_next().await? {
            printer.object(&object, encryption.as_ref())?;
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

/// The objects, each with its encryption when `-l` asks for it (one HEAD each, `--jobs` at a
/// time, in listing order).
fn with_encryption<'a>(
    client: &'a Client,
    args: &'a LsArgs,
    objects: impl futures::Stream<Item = CliResult<ObjectSummary>> + Send + 'a,
) -> impl futures::Stream<Item = CliResult<(ObjectSummary, Option<Encryption>)>> + Send + 'a {
    objects
        .map_ok(move |object| async move {
            if !args.long {
                return Ok((object, None));
            }
            let encryption = Encryption::of(client, &object.key).await?;
            Ok((object, Some(encryption)))
        })
        .try_buffered(usize::from(args.jobs))
}

/// What an object's HEAD says of its client-side encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Encryption {
    /// Its envelope format and key-wrap algorithm (`v2`, `RSA/NONE/...`).
    Envelope(Classification, Option<String>),
    /// Deleted between the listing and the HEAD.
    Gone,
}

impl Encryption {
    async fn of(client: &Client, key: &str) -> CliResult<Self> {
        match client.head_object(key, &HeaderMap::new()).await {
            Ok(meta) => {
                let headers = super::head::pairs(&meta);
                let wrap_alg = headers
                    .iter()
                    .find(|(n, _)| {
                        [
                            oss_envelope::header::WRAP_ALG,
                            oss_envelope::header::V1_WRAP_ALG,
                        ]
                        .contains(&n.as_str())
                    })
                    .map(|(_, v)| v.clone());
                Ok(Self::Envelope(oss_envelope::classify(&headers), wrap_alg))
            }
            Err(oss_client::Error::NotFound(_)) => Ok(Self::Gone),
            Err(e) => Err(e.into()),
        }
    }

    /// The `-l` column: `v2 rsa`, `v2 kms`, `v1 rsa`, `plain`, or `gone`.
    fn column(&self) -> String {
        let Self::Envelope(class, wrap_alg) = self else {
            return "gone".to_owned();
        };
        if *class == Classification::Plain {
            return "plain".to_owned();
        }
        let version = if *class == Classification::V1 {
            "v1"
        } else {
            "v2"
        };
        let wrap = match wrap_alg.as_deref().map(str::to_ascii_lowercase) {
            Some(alg) if alg.starts_with("rsa") => "rsa",
            Some(alg) if alg.starts_with("kms") => "kms",
            _ => "?",
        };
        format!("{version} {wrap}")
    }

    /// The `--json -l` fields.
    fn json(&self) -> serde_json::Value {
        match self {
            Self::Envelope(class, wrap_alg) => json!({
                "encrypted": *class != Classification::Plain,
                "encryption": super::head::format_name(*class),
                "wrap_alg": wrap_alg,
            }),
            Self::Gone => json!({ "encryption": "gone" }),
        }
    }
}

/// Width of the size column: `1023.9 KiB` in human units, 5 PiB in bytes.
const fn size_width(exact: bool) -> usize {
    if exact { 16 } else { 10 }
}
/// `2026-01-31 23:59:59`.
const TIME_WIDTH: usize = 19;
/// `v2 rsa`, `plain`.
const ENCRYPTION_WIDTH: usize = 6;

/// Writes object entries as aligned text lines or JSON (through [`Listing`]).
struct Printer {
    bucket: String,
    exact: bool,
    long: bool,
    listing: Listing,
}

impl Printer {
    fn new(args: &LsArgs) -> Self {
        Self {
            bucket: args.prefix.bucket.clone(),
            exact: args.bytes,
            long: args.long,
            listing: Listing::new(args.json),
        }
    }

    fn object(&mut self, o: &ObjectSummary, encryption: Option<&Encryption>) -> CliResult {
        let value = || {
            let mut value = json!({
                "key": o.key,
                "size": o.size,
                "etag": o.etag,
                "last_modified": o.last_modified,
            });
            if let (Some(fields), Some(map)) =
                (encryption.map(Encryption::json), value.as_object_mut())
            {
                map.extend(fields.as_object().cloned().unwrap_or_default());
            }
            value
        };
        let size = if self.exact {
            o.size.to_string()
        } else {
            crate::size::human_bytes(o.size)
        };
        let column = encryption.map(Encryption::column).unwrap_or_default();
        let line = self.columns(&size, &display_time(&o.last_modified), &column, &o.key);
        self.listing.entry(value, || line)
    }

    fn prefix(&mut self, prefix: &str) -> CliResult {
        let line = self.columns("PRE", "", "", prefix);
        self.listing.entry(|| json!({ "prefix": prefix }), || line)
    }

    /// One text line: the columns at their fixed widths, then the address.
    fn columns(&self, size: &str, time: &str, encryption: &str, key: &str) -> String {
        let width = size_width(self.exact);
        let mut line = format!("{size:>width$}  {time:TIME_WIDTH$}  ");
        if self.long {
            line.push_str(&format!("{encryption:ENCRYPTION_WIDTH$}  "));
        }
        line.push_str(&format!("oss://{}/{key}", self.bucket));
        line
    }

    fn finish(self) -> CliResult {
        self.listing.finish()
    }
}

/// `2026-01-31T23:59:59.000Z` as `2026-01-31 23:59:59` (UTC, as OSS gives it); anything
/// else as it is.
fn display_time(iso: &str) -> String {
    match iso.get(..TIME_WIDTH) {
        Some(head) if iso.as_bytes().get(10) == Some(&b'T') => head.replacen('T', " ", 1),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shortened_to_seconds() {
        assert_eq!(
            display_time("2026-01-31T23:59:59.000Z"),
            "2026-01-31 23:59:59"
        );
        assert_eq!(display_time("yesterday"), "yesterday");
    }

    #[test]
    fn the_encryption_column_is_short() {
        let v2 = |alg: &str| Encryption::Envelope(Classification::V2, Some(alg.to_owned()));
        assert_eq!(
            v2("RSA/NONE/OAEPWithSHA-1AndMGF1Padding").column(),
            "v2 rsa"
        );
        assert_eq!(v2("KMS/ALICLOUD").column(), "v2 kms");
        let v1 = Encryption::Envelope(Classification::V1, Some("rsa".to_owned()));
        assert_eq!(v1.column(), "v1 rsa");
        assert_eq!(
            Encryption::Envelope(Classification::Plain, None).column(),
            "plain"
        );
        for value in [v2("KMS/ALICLOUD"), Encryption::Gone] {
            assert!(value.column().len() <= ENCRYPTION_WIDTH);
        }
    }
}
