//! Master-key rotation of everything under a prefix: parallel, and idempotent because an
//! object its new key already unwraps is skipped.

use futures::Stream;
use http::HeaderMap;
use oss_client::ObjectSummary;
use oss_keywrap::{Keyring, WrappedMaterial};
use serde::Serialize;

use super::listing::for_each_object;
use super::{BatchOptions, objects};
use crate::bucket::{CryptoBucket, ObjectEnvelope};
use crate::error::Result;

/// What happened to one object of a prefix rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RotateOutcome {
    /// Rewrapped and rewritten.
    Rotated {
        /// ETag of the rewritten object.
        etag: String,
        /// Wrap algorithm of the new envelope.
        wrap_alg: String,
        /// Material description of the new envelope (its header text; empty for none).
        matdesc: String,
    },
    /// The new master key already unwraps its envelope (an earlier run rotated it).
    AlreadyRotated,
    /// Stored in plaintext: nothing to rotate.
    NotEncrypted,
    /// Left as it was; the error says why.
    Failed {
        /// The error, as text (it never holds key material).
        error: String,
    },
}

/// One object of a prefix rotation and its outcome: a line of a journal (it holds no keys,
/// wrapped or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RotateRecord {
    /// Object key.
    pub key: String,
    /// Stored size in bytes (from the listing).
    pub size: u64,
    /// What happened.
    #[serde(flatten)]
    pub outcome: RotateOutcome,
}

/// Rotates every encrypted object under `prefix` (in `options.shard`) to `new_keyring`'s
/// default master key with [`CryptoBucket::rotate_master_key`], `options.jobs` at a time.
/// The ciphertext streams down and up again through this process (OSS refuses CopyObject
/// changes to the envelope headers), with no local disk: egress is the total stored size.
///
/// Records arrive in completion order. A failed object is a [`RotateOutcome::Failed`] record
/// and the run goes on; running again rotates what is left and skips the rest.
///
/// # Errors
///
/// The stream yields an error, and ends, only when a listing page fails.
pub fn rotate_prefix<'a>(
    bucket: &'a CryptoBucket,
    prefix: &str,
    new_keyring: &'a Keyring,
    options: &BatchOptions,
) -> impl Stream<Item = Result<RotateRecord>> + Send + 'a {
    let listing = objects(bucket.client(), prefix, options);
    for_each_object(listing, options.jobs, move |object| {
        rotate_one(bucket, new_keyring, object)
    })
}

async fn rotate_one(
    bucket: &CryptoBucket,
    new_keyring: &Keyring,
    object: ObjectSummary,
) -> RotateRecord {
    let outcome = match outcome(bucket, new_keyring, &object.key).await {
        Ok(outcome) => outcome,
        Err(e) => RotateOutcome::Failed {
            error: e.to_string(),
        },
    };
    RotateRecord {
        key: object.key,
        size: object.size,
        outcome,
    }
}

async fn outcome(bucket: &CryptoBucket, new_keyring: &Keyring, key: &str) -> Result<RotateOutcome> {
    let meta = bucket.client().head_object(key, &HeaderMap::new()).await?;
    match bucket.read_envelope(&meta.headers)? {
        ObjectEnvelope::Plain => return Ok(RotateOutcome::NotEncrypted),
        ObjectEnvelope::V2(envelope) => {
            let wrapped = WrappedMaterial::from_envelope(&envelope);
            if new_keyring.default_key().unwrap(&wrapped).await.is_ok() {
                return Ok(RotateOutcome::AlreadyRotated);
            }
        }
        // V1 objects (legacy reading on) are rewritten as V2.
        ObjectEnvelope::V1(_) => {}
    }
    let rotated = bucket.rotate_master_key(key, new_keyring).await?;
    Ok(RotateOutcome::Rotated {
        etag: rotated.etag,
        wrap_alg: rotated.envelope.wrap_alg().to_string(),
        matdesc: rotated
            .envelope
            .matdesc_text()
            .unwrap_or_default()
            .to_owned(),
    })
}
