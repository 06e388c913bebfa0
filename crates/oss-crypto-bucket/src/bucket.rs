//! [`CryptoBucket`]: an OSS client plus a keyring plus options, and the shared helpers the
//! operations use (envelope reading, material unwrapping, header building).

use core::fmt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use http::{HeaderMap, HeaderName, HeaderValue};
use oss_client::Client;
use oss_envelope::{Classification, ContentMaterial, Envelope, LegacyEnvelope};
use oss_keywrap::Keyring;

use crate::error::{Error, InputError, IntegrityError, Result};
use crate::options::CryptoOptions;

/// Client-side encryption over an OSS bucket: what apps use.
///
/// Cheap to clone (shared state). Every object written gets a fresh data key and IV wrapped by
/// the keyring's default master key; reads pick the master key by the object's matdesc.
#[derive(Clone)]
pub struct CryptoBucket {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) client: Client,
    pub(crate) keyring: Keyring,
    pub(crate) options: CryptoOptions,
    /// Unwrapped material of multipart uploads in progress, keyed by upload id and wrapped
    /// key, so that each upload is unwrapped once, not once per part.
    pub(crate) uploads: Mutex<HashMap<(String, String), Arc<ContentMaterial>>>,
}

impl fmt::Debug for CryptoBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CryptoBucket")
            .field("bucket", &self.inner.client.bucket())
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

/// The envelope an object's headers declare.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ObjectEnvelope {
    /// No envelope: the object is stored in plaintext.
    Plain,
    /// A V2 envelope.
    V2(Envelope),
    /// A legacy V1 envelope (only parsed when legacy reading is enabled).
    V1(LegacyEnvelope),
}

impl ObjectEnvelope {
    /// Whether the object is client-side encrypted.
    #[must_use]
    pub fn is_encrypted(&self) -> bool {
        !matches!(self, Self::Plain)
    }

    /// The V2 envelope, if that is the format.
    #[must_use]
    pub fn v2(&self) -> Option<&Envelope> {
        match self {
            Self::V2(e) => Some(e),
            _ => None,
        }
    }

    /// The unencrypted MD5 recorded in the envelope, if any.
    pub(crate) fn plaintext_md5(&self) -> Option<[u8; 16]> {
        match self {
            Self::V2(e) => e.unencrypted_content_md5().copied(),
            Self::V1(e) => e.unencrypted_content_md5().copied(),
            Self::Plain => None,
        }
    }

    /// The unencrypted length recorded in the envelope, if any.
    pub(crate) fn plaintext_len(&self) -> Option<u64> {
        match self {
            Self::V2(e) => e.unencrypted_content_length(),
            Self::V1(e) => e.unencrypted_content_length(),
            Self::Plain => None,
        }
    }
}

impl CryptoBucket {
    /// A bucket with default options (legacy V1 reading off).
    #[must_use]
    pub fn new(client: Client, keyring: Keyring) -> Self {
        Self::build(client, keyring, CryptoOptions::default())
    }

    /// A bucket with `options`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the options break a hard limit (part size, concurrency).
    pub fn with_options(client: Client, keyring: Keyring, options: CryptoOptions) -> Result<Self> {
        options.validate()?;
        Ok(Self::build(client, keyring, options))
    }

    fn build(client: Client, keyring: Keyring, options: CryptoOptions) -> Self {
        let inner = Inner {
            client,
            keyring,
            options,
            uploads: Mutex::new(HashMap::new()),
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The underlying OSS client (plaintext access, no encryption).
    #[must_use]
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The keyring.
    #[must_use]
    pub fn keyring(&self) -> &Keyring {
        &self.inner.keyring
    }

    /// The options.
    #[must_use]
    pub fn options(&self) -> &CryptoOptions {
        &self.inner.options
    }

    /// Classifies and parses the envelope of a response's headers (spec §2.1) for a read:
    /// as [`envelope_of`](Self::envelope_of), and an object without an envelope is refused
    /// when [`CryptoOptions::require_encrypted`] is set.
    pub(crate) fn read_envelope(&self, headers: &HeaderMap) -> Result<ObjectEnvelope> {
        let envelope = self.envelope_of(headers)?;
        if self.inner.options.require_encrypted && !envelope.is_encrypted() {
            return Err(IntegrityError::NotEncrypted.into());
        }
        Ok(envelope)
    }

    /// Classifies the envelope of an object from its HeadObject or GetObject response
    /// headers (spec §2.1): [`ObjectEnvelope::Plain`] when no envelope header is present,
    /// [`ObjectEnvelope::V2`], or [`ObjectEnvelope::V1`] when legacy reading is enabled.
    /// This is the classification every read uses; audits and migrations can use it on
    /// headers they fetched themselves.
    ///
    /// # Errors
    ///
    /// [`Error::LegacyV1Disabled`] for a V1 envelope with legacy reading off;
    /// [`Error::Envelope`] for an incomplete or malformed envelope (never treated as plain).
    pub fn envelope_of(&self, headers: &HeaderMap) -> Result<ObjectEnvelope> {
        let pairs = header_pairs(headers);
        match oss_envelope::classify(pairs.iter()) {
            Classification::V2 => Ok(ObjectEnvelope::V2(Envelope::from_headers(pairs.iter())?)),
            Classification::V1 if self.inner.options.legacy_v1 => Ok(ObjectEnvelope::V1(
                LegacyEnvelope::from_headers(pairs.iter())?,
            )),
            Classification::V1 => Err(Error::LegacyV1Disabled),
            _ => Ok(ObjectEnvelope::Plain),
        }
    }

    /// Unwraps the content material of an envelope (`None` for plain objects).
    pub(crate) async fn unwrap(
        &self,
        envelope: &ObjectEnvelope,
    ) -> Result<Option<ContentMaterial>> {
        let keyring = &self.inner.keyring;
        match envelope {
            ObjectEnvelope::Plain => Ok(None),
            ObjectEnvelope::V2(e) => Ok(Some(keyring.unwrap_envelope(e).await?)),
            ObjectEnvelope::V1(e) => Ok(Some(keyring.unwrap_legacy(e).await?)),
        }
    }

    /// The material of a multipart upload, unwrapped once per upload.
    pub(crate) async fn upload_material(
        &self,
        upload_id: &str,
        envelope: &Envelope,
    ) -> Result<Arc<ContentMaterial>> {
        let cache_key = (upload_id.to_owned(), envelope.key().as_text().to_owned());
        if let Some(found) = self.uploads().get(&cache_key) {
            return Ok(Arc::clone(found));
        }
        let material = match self.inner.keyring.unwrap_envelope(envelope).await {
            Ok(material) => Arc::new(material),
            Err(e) if e.is_missing_capability() => {
                return Err(Error::ResumeNeedsPrivateKey {
                    upload_id: upload_id.to_owned(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        self.uploads().insert(cache_key, Arc::clone(&material));
        Ok(material)
    }

    /// Forgets the cached material of a finished upload.
    pub(crate) fn forget_upload(&self, upload_id: &str) {
        self.uploads().retain(|(id, _), _| id != upload_id);
    }

    /// Remembers material this process generated for a new upload.
    pub(crate) fn remember_upload(
        &self,
        upload_id: &str,
        envelope: &Envelope,
        material: ContentMaterial,
    ) {
        let cache_key = (upload_id.to_owned(), envelope.key().as_text().to_owned());
        self.uploads().insert(cache_key, Arc::new(material));
    }

    fn uploads(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(String, String), Arc<ContentMaterial>>> {
        self.inner
            .uploads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Response headers as (name, value) text pairs; values that are not text are skipped (no
/// envelope header can hold them).
pub(crate) fn header_pairs(headers: &HeaderMap) -> Vec<(&str, &str)> {
    headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect()
}

/// Adds `name: value` to a request header map.
pub(crate) fn insert_header(headers: &mut HeaderMap, name: &str, value: &str) -> Result<()> {
    let name =
        HeaderName::try_from(name).map_err(|_| InputError::HeaderName { name: name.into() })?;
    let value = HeaderValue::try_from(value).map_err(|_| InputError::HeaderValue {
        name: name.to_string(),
    })?;
    headers.insert(name, value);
    Ok(())
}

/// Writes an envelope's headers into a request header map.
pub(crate) fn insert_envelope(headers: &mut HeaderMap, envelope: &Envelope) -> Result<()> {
    for (name, value) in envelope.to_headers() {
        insert_header(headers, name, &value)?;
    }
    Ok(())
}
