//! What is and is not encrypted under a prefix: every object is classified from its HEAD by
//! [`CryptoBucket::envelope_of`], its data key unwrapped with the keyring (nothing is
//! written), and with `deep` the whole object downloaded and its CRC-64 and MD5 checked.

use std::collections::BTreeMap;

use futures::{Stream, TryStreamExt as _};
use http::HeaderMap;
use oss_client::ObjectSummary;
use serde::Serialize;

use super::listing::for_each_object;
use super::{BatchOptions, objects};
use crate::bucket::{CryptoBucket, ObjectEnvelope};
use crate::error::{Error, Result};
use crate::get::GetOptions;

/// What an object's headers say it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditKind {
    /// A V2 envelope whose data key the keyring unwraps.
    V2,
    /// A legacy V1 envelope (readable only with legacy reading on; still to be rewritten).
    V1Legacy,
    /// No envelope: stored in plaintext.
    Plaintext,
    /// An envelope no key of the keyring unwraps.
    Unwrappable {
        /// The envelope's material description header text (empty for none).
        matdesc: String,
    },
    /// Envelope headers that are incomplete or do not parse.
    Malformed {
        /// What is wrong, as text.
        error: String,
    },
    /// The object could not be examined (a request failed); it is counted, not classified.
    Failed {
        /// The error, as text.
        error: String,
    },
}

/// One audited object: a line of `audit --json` (no key material).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AuditRecord {
    /// Object key.
    pub key: String,
    /// Stored size in bytes (from the listing).
    pub size: u64,
    /// The classification.
    #[serde(flatten)]
    pub kind: AuditKind,
    /// An encrypted object without `unencrypted-content-md5` (its plaintext cannot be
    /// verified end to end).
    pub missing_md5: bool,
    /// With `deep`: `None` when the download verified, else the failed check; always
    /// `None` without `deep` or for objects that cannot be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deep_error: Option<String>,
}

impl AuditRecord {
    /// Whether this object is a finding: anything but a readable V2 object with its MD5
    /// that passed the deep check (when one ran).
    #[must_use]
    pub fn is_finding(&self) -> bool {
        self.kind != AuditKind::V2 || self.missing_md5 || self.deep_error.is_some()
    }
}

/// Audits every object under `prefix` (in `options.shard`), `options.jobs` at a time: one
/// HEAD and one unwrap per object, and with `deep` one full download that checks CRC-64,
/// length and (when recorded) the plaintext MD5. Nothing is written. V1 objects are unwrapped
/// only when the bucket reads legacy V1.
///
/// Records arrive in completion order; fold them into an [`AuditReport`].
///
/// # Errors
///
/// The stream yields an error, and ends, only when a listing page fails.
pub fn audit_prefix<'a>(
    bucket: &'a CryptoBucket,
    prefix: &str,
    options: &BatchOptions,
    deep: bool,
) -> impl Stream<Item = Result<AuditRecord>> + Send + 'a {
    let listing = objects(bucket.client(), prefix, options);
    for_each_object(listing, options.jobs, move |object| {
        audit_one(bucket, object, deep)
    })
}

async fn audit_one(bucket: &CryptoBucket, object: ObjectSummary, deep: bool) -> AuditRecord {
    let (kind, missing_md5) = match classify(bucket, &object.key).await {
        Ok(found) => found,
        Err(e) => (
            AuditKind::Failed {
                error: e.to_string(),
            },
            false,
        ),
    };
    let readable = matches!(kind, AuditKind::V2 | AuditKind::Plaintext)
        || (kind == AuditKind::V1Legacy && bucket.options().legacy_v1);
    let deep_error = if deep && readable {
        verify_download(bucket, &object.key)
            .await
            .err()
            .map(|e| e.to_string())
    } else {
        None
    };
    AuditRecord {
        key: object.key,
        size: object.size,
        kind,
        missing_md5,
        deep_error,
    }
}

/// The kind of `key` and whether it is encrypted without a plaintext MD5.
async fn classify(bucket: &CryptoBucket, key: &str) -> Result<(AuditKind, bool)> {
    let meta = bucket.client().head_object(key, &HeaderMap::new()).await?;
    let envelope = match bucket.envelope_of(&meta.headers) {
        Ok(envelope) => envelope,
        Err(Error::LegacyV1Disabled) => return Ok((AuditKind::V1Legacy, false)),
        Err(e @ Error::Envelope(_)) => {
            return Ok((
                AuditKind::Malformed {
                    error: e.to_string(),
                },
                false,
            ));
        }
        Err(e) => return Err(e),
    };
    let missing_md5 = envelope.is_encrypted() && envelope.plaintext_md5().is_none();
    let kind = match &envelope {
        ObjectEnvelope::Plain => AuditKind::Plaintext,
        ObjectEnvelope::V2(e) => match bucket.keyring().unwrap_envelope(e).await {
            Ok(_) => AuditKind::V2,
            Err(err) if err.is_retryable() => return Err(err.into()),
            Err(_) => AuditKind::Unwrappable {
                matdesc: e.matdesc_text().unwrap_or_default().to_owned(),
            },
        },
        ObjectEnvelope::V1(e) => match bucket.keyring().unwrap_legacy(e).await {
            Ok(_) => AuditKind::V1Legacy,
            Err(err) if err.is_retryable() => return Err(err.into()),
            Err(_) => AuditKind::Unwrappable {
                matdesc: e.matdesc_text().unwrap_or_default().to_owned(),
            },
        },
    };
    Ok((kind, missing_md5))
}

/// Downloads the whole object through the bucket's checked read and discards the bytes.
async fn verify_download(bucket: &CryptoBucket, key: &str) -> Result<()> {
    let mut body = bucket.get_object(key, &GetOptions::default()).await?.body;
    while body.try_next().await?.is_some() {}
    Ok(())
}

/// Counts of one group of an audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AuditCounts {
    /// Objects seen.
    pub objects: u64,
    /// Their stored bytes.
    pub bytes: u64,
    /// Readable V2 objects.
    pub v2: u64,
    /// Legacy V1 objects.
    pub v1_legacy: u64,
    /// Plaintext objects.
    pub plaintext: u64,
    /// Objects no key unwraps, by material description text.
    pub unwrappable: BTreeMap<String, u64>,
    /// Malformed envelopes.
    pub malformed: u64,
    /// Encrypted objects without `unencrypted-content-md5`.
    pub missing_md5: u64,
    /// Downloads whose CRC-64, length or MD5 check failed (`deep` only).
    pub deep_failed: u64,
    /// Objects that could not be examined.
    pub failed: u64,
}

impl AuditCounts {
    fn add(&mut self, record: &AuditRecord) {
        self.objects += 1;
        self.bytes += record.size;
        match &record.kind {
            AuditKind::V2 => self.v2 += 1,
            AuditKind::V1Legacy => self.v1_legacy += 1,
            AuditKind::Plaintext => self.plaintext += 1,
            AuditKind::Unwrappable { matdesc } => {
                *self.unwrappable.entry(matdesc.clone()).or_default() += 1;
            }
            AuditKind::Malformed { .. } => self.malformed += 1,
            AuditKind::Failed { .. } => self.failed += 1,
        }
        self.missing_md5 += u64::from(record.missing_md5);
        self.deep_failed += u64::from(record.deep_error.is_some());
    }

    /// The sum of the finding counters (an object that is, say, both V1 and without MD5
    /// counts twice); zero exactly when every object is a finding-free V2 object.
    #[must_use]
    pub fn findings(&self) -> u64 {
        self.v1_legacy
            + self.plaintext
            + self.unwrappable.values().sum::<u64>()
            + self.malformed
            + self.missing_md5
            + self.deep_failed
            + self.failed
    }
}

/// An audit folded by prefix: the audited prefix plus `depth` more `/`-separated levels of
/// each key (memory grows with the number of groups, not of objects), and a total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// The audited prefix.
    pub prefix: String,
    /// Levels below the prefix that make a group.
    pub depth: usize,
    /// Counts per group, in key order.
    pub groups: BTreeMap<String, AuditCounts>,
    /// Counts over everything.
    pub total: AuditCounts,
}

impl AuditReport {
    /// An empty report of `prefix`, grouping by `depth` levels below it.
    #[must_use]
    pub fn new(prefix: &str, depth: usize) -> Self {
        Self {
            prefix: prefix.to_owned(),
            depth,
            groups: BTreeMap::new(),
            total: AuditCounts::default(),
        }
    }

    /// Counts one record.
    pub fn add(&mut self, record: &AuditRecord) {
        let group = self.group_of(&record.key).to_owned();
        self.groups.entry(group).or_default().add(record);
        self.total.add(record);
    }

    /// The group of `key`: the prefix plus up to `depth` levels ending in `/` (a key with
    /// fewer levels belongs to the prefix itself).
    #[must_use]
    pub fn group_of<'k>(&self, key: &'k str) -> &'k str {
        let start = if key.starts_with(&self.prefix) {
            self.prefix.len()
        } else {
            0
        };
        let mut end = start;
        for _ in 0..self.depth {
            match key[end..].find('/') {
                Some(slash) => end += slash + 1,
                None => break,
            }
        }
        &key[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_the_prefix_plus_depth_levels() {
        let report = AuditReport::new("data/", 1);
        assert_eq!(report.group_of("data/a/b/c"), "data/a/");
        assert_eq!(report.group_of("data/top"), "data/");
        assert_eq!(
            AuditReport::new("data/", 2).group_of("data/a/b/c"),
            "data/a/b/"
        );
        assert_eq!(AuditReport::new("", 0).group_of("x/y"), "");
        // a prefix that is not a directory boundary
        assert_eq!(AuditReport::new("da", 1).group_of("data/x"), "data/");
    }
}
