//! Master-key rotation (spec §11.3): the data key and IV are unwrapped with the current
//! keyring and rewrapped with a new one; the unchanged ciphertext is streamed down and up
//! again (never decrypted), keeping the multipart layout. The new keyring must unwrap the new
//! envelope before anything is written; every source GET must carry the HEAD's envelope and
//! ETag, and the parts' combined CRC must be the source's before the upload is completed; the
//! rewritten object is verified again after.

use std::sync::Arc;

use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use oss_client::{CompletedPart, GetOptions, PutPayload};
use oss_envelope::{ByteRange, ContentMaterial, Envelope, MultipartPlan, PartLayout};
use oss_keywrap::Keyring;

use crate::bucket::{CryptoBucket, ObjectEnvelope, insert_envelope};
use crate::error::{Error, IntegrityError, Refusal, ResponseError, Result};
use crate::get::client_range;
use crate::multipart::part_headers;
use crate::pin::Pin;
use crate::progress::{Progress, ProgressFn};

/// How a rotation checks its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RotationCheck {
    /// The new keyring must unwrap the new envelope to the same data key and IV, before
    /// anything is written and again on the rewritten object (the new key must decrypt).
    #[default]
    Unwrap,
    /// For a new key whose private half is offline (an encrypt-only RSA key): the data key
    /// and IV unwrapped with the old keyring are rewrapped with the new key, and the rewritten
    /// object must carry exactly that envelope and the unchanged ciphertext (CRC). What
    /// cannot be checked without the private half is that it unwraps the new envelope.
    StoredEnvelope,
    /// No read-back at all: the envelope written and the ciphertext are not checked after the
    /// upload (the copied parts' CRC is still checked before it is completed).
    None,
}

/// How a rotation runs: its check and an optional progress callback.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct RotateOptions {
    /// The check of the result.
    pub check: RotationCheck,
    /// Called with (ciphertext bytes copied, object size) as the ciphertext is re-uploaded.
    pub progress: Option<Arc<ProgressFn>>,
}

impl core::fmt::Debug for RotateOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RotateOptions")
            .field("check", &self.check)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl RotateOptions {
    /// Checks the result with `check`.
    #[must_use]
    pub fn with_check(mut self, check: RotationCheck) -> Self {
        self.check = check;
        self
    }

    /// Reports progress to `callback`.
    #[must_use]
    pub fn with_progress(mut self, callback: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }
}

/// Result of a rotation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RotateOutput {
    /// ETag of the rewritten object.
    pub etag: String,
    /// CRC-64 of the rewritten object (equal to the original's: same ciphertext).
    pub crc64: Option<u64>,
    /// The new envelope.
    pub envelope: Envelope,
}

/// The source object as seen by one HEAD.
struct Source {
    size: u64,
    crc64: Option<u64>,
    headers: HeaderMap,
    /// The envelope and ETag every source GET must carry.
    pin: Pin,
}

impl CryptoBucket {
    /// Rewraps the envelope of `key` with `new_keyring`'s default master key and re-uploads
    /// the unchanged ciphertext under it (no data re-encryption). The object keeps its other
    /// metadata; large objects keep their part size, so the counters still hold.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] for an object without an envelope; [`Error::KeyWrap`] when the
    /// current keyring cannot unwrap, or the new one cannot wrap or cannot unwrap what it
    /// wrapped (an encrypt-only key): both are found before the object is touched;
    /// [`Error::Integrity`] when a source GET's envelope or ETag is not the HEAD's, or the
    /// copied parts' CRC is not the source's (both before the object is replaced), or the
    /// rewritten object's CRC differs; [`Error::Client`].
    pub async fn rotate_master_key(
        &self,
        key: &str,
        new_keyring: &Keyring,
    ) -> Result<RotateOutput> {
        self.rotate_master_key_checked(key, new_keyring, RotationCheck::Unwrap)
            .await
    }

    /// [`rotate_master_key`](Self::rotate_master_key) with the check `check`: with
    /// [`RotationCheck::StoredEnvelope`] or [`RotationCheck::None`] the new key may be
    /// encrypt-only (a public RSA key whose private half is kept offline).
    ///
    /// # Errors
    ///
    /// As [`rotate_master_key`](Self::rotate_master_key); with
    /// [`RotationCheck::StoredEnvelope`], [`Error::Integrity`] when the rewritten object's
    /// envelope is not the one written.
    pub async fn rotate_master_key_checked(
        &self,
        key: &str,
        new_keyring: &Keyring,
        check: RotationCheck,
    ) -> Result<RotateOutput> {
        let options = RotateOptions::default().with_check(check);
        self.rotate_master_key_with(key, new_keyring, &options)
            .await
    }

    /// [`rotate_master_key_checked`](Self::rotate_master_key_checked) with `options.check`,
    /// reporting the copied ciphertext bytes to `options.progress`.
    ///
    /// # Errors
    ///
    /// As [`rotate_master_key_checked`](Self::rotate_master_key_checked).
    pub async fn rotate_master_key_with(
        &self,
        key: &str,
        new_keyring: &Keyring,
        options: &RotateOptions,
    ) -> Result<RotateOutput> {
        let check = options.check;
        let meta = self
            .inner
            .client
            .head_object(key, &HeaderMap::new())
            .await?;
        let envelope = self.read_envelope(&meta.headers)?;
        if meta.etag().is_none() {
            return Err(ResponseError::missing("HEAD", "ETag").into());
        }
        let Some(material) = self.unwrap(&envelope).await? else {
            return Err(Refusal::NoEnvelope { key: key.into() }.into());
        };
        let source = Source {
            size: meta
                .content_length()
                .ok_or(ResponseError::missing("HEAD", "Content-Length"))?,
            crc64: meta.crc64(),
            pin: Pin::of(&meta.headers),
            headers: meta.headers,
        };
        let wrapped = new_keyring.default_key().wrap(&material).await?;
        let mut new_envelope = wrapped.into_envelope(new_keyring.default_key().matdesc().clone());
        if let Some(len) = envelope.plaintext_len() {
            new_envelope = new_envelope.with_unencrypted_content_length(len);
        }
        if let Some(md5) = envelope.plaintext_md5() {
            new_envelope = new_envelope.with_unencrypted_content_md5(md5);
        }
        // Rewriting under a key that cannot read the result would lose the object.
        if check == RotationCheck::Unwrap {
            unwraps_to(new_keyring, &new_envelope, &material).await?;
        }
        let part_size = match &envelope {
            ObjectEnvelope::V2(e) => e.part_size().unwrap_or(self.inner.options.part_size),
            _ => self.inner.options.part_size,
        };
        let progress = Progress::new(source.size, 0, options.progress.clone());
        let (etag, crc64, new_envelope) = if source.size <= part_size {
            self.rotate_single(key, &source, new_envelope, &progress)
                .await?
        } else {
            let plan = MultipartPlan::new(
                source.size,
                crate::options::fit_part_size(part_size, source.size),
            )?;
            let envelope = new_envelope.with_multipart(&plan);
            self.rotate_multipart(key, &source, envelope, &plan, &progress)
                .await?
        };
        if check != RotationCheck::None {
            let written = Written {
                envelope: &new_envelope,
                exactly: check == RotationCheck::StoredEnvelope,
            };
            self.verify_rotation(key, new_keyring, &material, &source, written)
                .await?;
        }
        Ok(RotateOutput {
            etag,
            crc64,
            envelope: new_envelope,
        })
    }

    async fn rotate_single(
        &self,
        key: &str,
        source: &Source,
        envelope: Envelope,
        progress: &Progress,
    ) -> Result<(String, Option<u64>, Envelope)> {
        let body = progress.counting(self.source_range(key, source, None).await?);
        let headers = object_headers(source, &envelope)?;
        let put = self
            .inner
            .client
            .put_object(key, PutPayload::from_stream(body, source.size), &headers)
            .await?;
        Ok((put.etag, put.crc64, envelope))
    }

    async fn rotate_multipart(
        &self,
        key: &str,
        source: &Source,
        envelope: Envelope,
        plan: &MultipartPlan,
        progress: &Progress,
    ) -> Result<(String, Option<u64>, Envelope)> {
        let headers = object_headers(source, &envelope)?;
        let upload = self
            .inner
            .client
            .initiate_multipart_upload(key, &headers)
            .await?;
        let part_headers = part_headers(&envelope)?;
        let upload_one = |layout: PartLayout| {
            let (upload_id, part_headers) = (&upload.upload_id, &part_headers);
            async move {
                let range =
                    ByteRange::bounded(layout.offset(), layout.offset() + layout.len() - 1)?;
                let body = progress.counting(self.source_range(key, source, Some(range)).await?);
                let payload = PutPayload::from_stream(body, layout.len());
                let r = self
                    .inner
                    .client
                    .upload_part(key, upload_id, layout.number(), payload, part_headers)
                    .await?;
                let mut part = CompletedPart::new(layout.number(), r.etag);
                (part.crc64, part.size) = (r.crc64, Some(r.size));
                Ok::<_, Error>(part)
            }
        };
        let parts = futures::stream::iter(plan.parts())
            .map(upload_one)
            .buffer_unordered(self.inner.options.concurrency)
            .try_collect::<Vec<_>>()
            .await;
        let parts = parts.and_then(|parts| {
            check_parts_crc(source, &parts)?;
            Ok(parts)
        });
        let parts = match parts {
            Ok(parts) => parts,
            Err(e) => {
                let _ = self
                    .inner
                    .client
                    .abort_multipart_upload(key, &upload.upload_id)
                    .await;
                return Err(e);
            }
        };
        let done = self
            .inner
            .client
            .complete_multipart_upload(key, &upload.upload_id, &parts, &HeaderMap::new())
            .await?;
        Ok((done.etag, done.crc64, envelope))
    }

    /// The stored bytes of the source (pinned to its ETag and checked against its envelope),
    /// as an upload body stream.
    async fn source_range(
        &self,
        key: &str,
        source: &Source,
        range: Option<ByteRange>,
    ) -> Result<oss_client::ByteStream> {
        let mut options = GetOptions::default().with_headers(&source.pin.if_match()?);
        if let Some(range) = range {
            options = options.with_range(client_range(range));
        }
        let (meta, body) = self
            .inner
            .client
            .get_object(key, &options)
            .await?
            .into_parts();
        source.pin.check(&meta.headers)?;
        Ok(body.map_err(std::io::Error::other).boxed())
    }

    /// The rewritten object must carry the same ciphertext (CRC) and either exactly the
    /// envelope `written` or, unless that is required, an envelope that the new keyring
    /// unwraps to the same data key and IV. The envelope written was unwrapped so before the
    /// write: finding it unchanged needs no second unwrap (two RSA private operations fewer
    /// per object).
    async fn verify_rotation(
        &self,
        key: &str,
        new_keyring: &Keyring,
        material: &ContentMaterial,
        source: &Source,
        written: Written<'_>,
    ) -> Result<()> {
        let meta = self
            .inner
            .client
            .head_object(key, &HeaderMap::new())
            .await?;
        if let (Some(before), Some(after)) = (source.crc64, meta.crc64()) {
            IntegrityError::check_crc64(before, after)?;
        }
        let pairs = crate::bucket::header_pairs(&meta.headers);
        let envelope = Envelope::from_headers(pairs.iter())?;
        if envelope == *written.envelope {
            Ok(())
        } else if written.exactly {
            Err(Error::Integrity(IntegrityError::Envelope(
                crate::error::EnvelopeMismatch::WrappedKey,
            )))
        } else {
            unwraps_to(new_keyring, &envelope, material).await
        }
    }
}

/// The envelope a rotation wrote, and whether the rewritten object must carry exactly it.
#[derive(Clone, Copy)]
struct Written<'a> {
    envelope: &'a Envelope,
    exactly: bool,
}

/// The parts' combined CRC must be the source's: otherwise completing the upload would
/// replace the object with other bytes.
fn check_parts_crc(source: &Source, parts: &[CompletedPart]) -> Result<()> {
    let Some(expected) = source.crc64 else {
        return Ok(());
    };
    let mut sorted: Vec<&CompletedPart> = parts.iter().collect();
    sorted.sort_by_key(|p| p.part_number);
    let crcs: Option<Vec<(u64, u64)>> = sorted.iter().map(|p| Some((p.crc64?, p.size?))).collect();
    match crcs {
        Some(crcs) => Ok(IntegrityError::check_crc64(
            expected,
            oss_client::crc64_fold(crcs),
        )?),
        None => Ok(()),
    }
}

/// Checks that `keyring` unwraps `envelope` to the data key and IV of `material`.
async fn unwraps_to(
    keyring: &Keyring,
    envelope: &Envelope,
    material: &ContentMaterial,
) -> Result<()> {
    let check = keyring.unwrap_envelope(envelope).await?;
    if check.data_key().as_bytes() != material.data_key().as_bytes()
        || check.iv().as_bytes() != material.iv().as_bytes()
    {
        return Err(ResponseError::RotatedEnvelope.into());
    }
    Ok(())
}

/// The source's non-envelope metadata and content headers, plus the new envelope.
fn object_headers(source: &Source, envelope: &Envelope) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    for (name, value) in &source.headers {
        let keep = name.as_str().starts_with("x-oss-meta-")
            || matches!(
                name.as_str(),
                "content-type"
                    | "cache-control"
                    | "content-disposition"
                    | "content-encoding"
                    | "expires"
            );
        if keep && !oss_envelope::header::is_envelope_header(name.as_str()) {
            headers.insert(name.clone(), value.clone());
        }
    }
    insert_envelope(&mut headers, envelope)?;
    Ok(headers)
}
