//! Encrypting a prefix stored in plaintext, in place: each object is read pinned to the ETag
//! of its HEAD, encrypted under the bucket's default master key and written back under the
//! same key with its user metadata, Content-Type and other system headers.
//!
//! OSS has no conditional PutObject (`If-Match` is for reads; `x-oss-forbid-overwrite` only
//! refuses existing objects), so a write cannot be made conditional on the ETag read. What is
//! checked instead: the read carries `If-Match` and its ETag and (absent) envelope must be
//! the HEAD's; objects up to one part size are buffered and the ETag checked again just before
//! the write; and after the write a HEAD must show the ETag of the write
//! ([`MigrateOutcome::ChangedAfterWrite`] otherwise). A write by someone else that lands in
//! the short window between the last check and the PUT is overwritten and cannot be detected.

use base64::Engine as _;
use futures::{Stream, StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use md5::{Digest as _, Md5};
use oss_client::{GetOptions as RawGet, ObjectMeta, ObjectSummary};
use serde::Serialize;

use super::listing::for_each_object;
use super::{BatchOptions, objects};
use crate::bucket::{CryptoBucket, ObjectEnvelope};
use crate::error::{Error, ResponseError, Result};
use crate::pin::Pin;
use crate::put::{PutOptions, PutSource};

/// System headers an object keeps when it is migrated (besides `x-oss-meta-*` and
/// Content-Type). ACLs and tags are not returned by HeadObject and are not copied.
const KEPT_HEADERS: [&str; 6] = [
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "x-oss-storage-class",
];

/// What happened to one object of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MigrateOutcome {
    /// Encrypted and written back.
    Migrated {
        /// ETag of the encrypted object.
        etag: String,
        /// Whether `unencrypted-content-md5` was recorded.
        md5: bool,
    },
    /// Dry run: it is plaintext and would be encrypted.
    WouldMigrate,
    /// Already client-side encrypted (V2 or V1): left alone.
    AlreadyEncrypted,
    /// Its ETag changed between the HEAD and the write: skipped, nothing written.
    ChangedBeforeWrite,
    /// Written, but a HEAD after the write shows another ETag: another writer replaced it
    /// since (what is stored is theirs; a new run handles it).
    ChangedAfterWrite {
        /// ETag of the encrypted object this run wrote.
        written: String,
        /// ETag found after.
        found: String,
    },
    /// Left as it was; the error says why.
    Failed {
        /// The error, as text.
        error: String,
    },
}

/// One object of a migration and its outcome: a journal line (no key material).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MigrateRecord {
    /// Object key.
    pub key: String,
    /// Stored size in bytes (from the listing).
    pub size: u64,
    /// What happened.
    #[serde(flatten)]
    pub outcome: MigrateOutcome,
}

/// Encrypts every plaintext object under `prefix` (in `options.shard`) in place,
/// `options.jobs` at a time; with `dry_run` only reports what it would do. Objects up to the
/// bucket's part size are buffered (memory: jobs × part size) and always get their plaintext
/// MD5 recorded; larger ones stream from the read into the write (no local disk, one
/// PutObject: at most 5 GB) and record the MD5 when OSS has one for them (`Content-MD5`, or
/// the ETag of a `Normal` object; it is then checked while streaming). See
/// the module documentation for what is checked against concurrent writers.
///
/// # Errors
///
/// The stream yields an error, and ends, only when a listing page fails.
pub fn migrate_prefix<'a>(
    bucket: &'a CryptoBucket,
    prefix: &str,
    options: &BatchOptions,
    dry_run: bool,
) -> impl Stream<Item = Result<MigrateRecord>> + Send + 'a {
    let listing = objects(bucket.client(), prefix, options);
    for_each_object(listing, options.jobs, move |object| {
        migrate_one(bucket, object, dry_run)
    })
}

async fn migrate_one(bucket: &CryptoBucket, object: ObjectSummary, dry_run: bool) -> MigrateRecord {
    let outcome = match outcome(bucket, &object.key, dry_run).await {
        Ok(outcome) => outcome,
        Err(e) if precondition_failed(&e) => MigrateOutcome::ChangedBeforeWrite,
        Err(e) => MigrateOutcome::Failed {
            error: e.to_string(),
        },
    };
    MigrateRecord {
        key: object.key,
        size: object.size,
        outcome,
    }
}

fn precondition_failed(e: &Error) -> bool {
    matches!(e, Error::Client(c) if c.service_error().is_some_and(|s| s.status == 412))
}

async fn outcome(bucket: &CryptoBucket, key: &str, dry_run: bool) -> Result<MigrateOutcome> {
    let client = bucket.client();
    let head = client.head_object(key, &HeaderMap::new()).await?;
    match bucket.envelope_of(&head.headers) {
        Ok(ObjectEnvelope::Plain) => {}
        Ok(_) | Err(Error::LegacyV1Disabled) => return Ok(MigrateOutcome::AlreadyEncrypted),
        Err(e) => return Err(e),
    }
    if dry_run {
        return Ok(MigrateOutcome::WouldMigrate);
    }
    let pin = Pin::of(&head.headers);
    let size = head
        .content_length()
        .ok_or(ResponseError::missing("HEAD", "Content-Length"))?;
    let mut put = kept_options(&head);
    let read = RawGet::default().with_headers(&pin.if_match()?);
    let source = if size <= bucket.options().part_size {
        let (meta, body) = client.get_object_bytes(key, &read).await?;
        pin.check(&meta.headers)?;
        put.content_md5 =
            Some(base64::engine::general_purpose::STANDARD.encode(Md5::digest(&body)));
        // The last look before the write: OSS cannot make the PUT itself conditional.
        let now = client.head_object(key, &HeaderMap::new()).await?;
        if pin.check(&now.headers).is_err() {
            return Ok(MigrateOutcome::ChangedBeforeWrite);
        }
        PutSource::Bytes(body)
    } else {
        let (meta, body) = client.get_object(key, &read).await?.into_parts();
        pin.check(&meta.headers)?;
        put.content_md5 = stored_md5(&head);
        let stream = body.map_err(std::io::Error::other).boxed();
        PutSource::Stream { stream, len: size }
    };
    let md5 = put.content_md5.is_some();
    let written = bucket.put_object(key, source, &put).await?;
    let after = client.head_object(key, &HeaderMap::new()).await?;
    let found = after
        .etag()
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned();
    let etag = written.etag.trim_matches('"').to_owned();
    if found != etag {
        return Ok(MigrateOutcome::ChangedAfterWrite {
            written: etag,
            found,
        });
    }
    Ok(MigrateOutcome::Migrated { etag, md5 })
}

/// The MD5 OSS knows of a plaintext object, as base64: its `Content-MD5`, else the ETag of a
/// `Normal` object (written by one PutObject, whose ETag is the hex MD5 of the body). It is
/// recorded and checked while the object streams through the encryption.
fn stored_md5(head: &ObjectMeta) -> Option<String> {
    if let Some(md5) = head.header("content-md5") {
        return Some(md5.to_owned());
    }
    if head.header("x-oss-object-type") != Some("Normal") {
        return None;
    }
    let digest = hex::decode(head.etag()?.trim_matches('"')).ok()?;
    (digest.len() == 16).then(|| base64::engine::general_purpose::STANDARD.encode(digest))
}

/// Put options that keep the object's user metadata, Content-Type and [`KEPT_HEADERS`].
fn kept_options(head: &ObjectMeta) -> PutOptions {
    let mut put = PutOptions {
        content_type: head.content_type().map(str::to_owned),
        metadata: head.user_metadata(),
        ..PutOptions::default()
    };
    for name in KEPT_HEADERS {
        if let Some(value) = head.headers.get(name) {
            put.headers.insert(name, value.clone());
        }
    }
    put
}
