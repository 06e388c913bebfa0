//! Server-side copy that keeps the envelope (spec §11.3), and the refused operations that
//! cannot keep the CTR layout (AppendObject, UploadPartCopy).

use http::HeaderMap;
use oss_client::{CopyRequest, MetadataDirective};
use oss_envelope::header::is_envelope_header;

use crate::bucket::{CryptoBucket, insert_header};
use crate::error::{Error, Refusal, Result};
use crate::pin::Pin;

/// Options of a copy.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CopyOptions {
    /// Replace the metadata (`REPLACE`) instead of copying it (`COPY`, the default). The
    /// envelope is carried over unchanged either way.
    pub replace_metadata: bool,
    /// User metadata for `REPLACE` (names without `x-oss-meta-`).
    pub metadata: Vec<(String, String)>,
    /// Other request headers (`x-oss-copy-source-if-match`, `Content-Type` for `REPLACE`, ...).
    pub headers: HeaderMap,
}

impl CopyOptions {
    /// Replaces the user metadata with `metadata` (the envelope is kept).
    #[must_use]
    pub fn replacing(metadata: Vec<(String, String)>) -> Self {
        Self {
            replace_metadata: true,
            metadata,
            headers: HeaderMap::new(),
        }
    }
}

/// Result of a copy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CopyOutput {
    /// ETag of the new object.
    pub etag: String,
    /// CRC-64 of the new object.
    pub crc64: Option<u64>,
}

impl CryptoBucket {
    /// Copies `source_key` to `dest_key` within this bucket, keeping the envelope.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] when the request would drop or change an envelope header;
    /// [`Error::Integrity`] when, with replaced metadata, a GET of the source disagrees with
    /// its HEAD about the envelope or ETag (the envelope carried over would not be the
    /// object's); [`Error::Client`] (412 when the source changed since its HEAD).
    pub async fn copy_object(
        &self,
        source_key: &str,
        dest_key: &str,
        options: &CopyOptions,
    ) -> Result<CopyOutput> {
        self.copy_object_from(self, source_key, dest_key, options)
            .await
    }

    /// Copies `source_key` of `source`'s bucket into this bucket as `dest_key`, keeping the
    /// envelope (both buckets must be reachable with this bucket's credentials).
    ///
    /// # Errors
    ///
    /// As [`copy_object`](Self::copy_object).
    pub async fn copy_object_from(
        &self,
        source: &Self,
        source_key: &str,
        dest_key: &str,
        options: &CopyOptions,
    ) -> Result<CopyOutput> {
        let mut request =
            CopyRequest::new(source_key, dest_key).with_source_bucket(source.client().bucket());
        let mut headers = options.headers.clone();
        if options.replace_metadata {
            let source_meta = source
                .client()
                .head_object(source_key, &HeaderMap::new())
                .await?;
            // The envelope is carried by us, not the server: it must be the source's own,
            // and the copy must be of exactly the version it belongs to.
            let pin = Pin::of(&source_meta.headers);
            source.confirm_pin(source_key, &pin).await?;
            if let Some(etag) = source_meta.etag() {
                insert_header(&mut headers, "x-oss-copy-source-if-match", etag)?;
            }
            carry_envelope(&mut headers, &source_meta.headers)?;
            for (name, value) in &options.metadata {
                let full = format!("x-oss-meta-{}", name.to_ascii_lowercase());
                refuse_envelope_name(&full)?;
                insert_header(&mut headers, &full, value)?;
            }
            request = request.with_metadata_directive(MetadataDirective::Replace);
        } else {
            if headers.keys().any(|n| is_envelope_header(n.as_str()))
                || !options.metadata.is_empty()
            {
                return Err(Refusal::CopyDirectiveMetadata.into());
            }
            request = request.with_metadata_directive(MetadataDirective::Copy);
        }
        let result = self
            .inner
            .client
            .copy_object(&request.with_headers(&headers))
            .await?;
        Ok(CopyOutput {
            etag: result.etag,
            crc64: result.crc64,
        })
    }

    /// AppendObject is refused: appended data cannot continue the CTR stream of an encrypted
    /// object under a fresh envelope, and OSS refuses envelope headers on appends.
    ///
    /// # Errors
    ///
    /// Always [`Error::Refused`].
    pub fn append_object(&self, key: &str) -> Result<()> {
        Err(Error::Refused(Refusal::Append { key: key.into() }))
    }

    /// UploadPartCopy is refused: a copied byte range keeps the source's counters and key,
    /// which the destination upload's envelope does not describe (OSS: 0042-00000309).
    ///
    /// # Errors
    ///
    /// Always [`Error::Refused`].
    pub fn upload_part_copy(&self, source_key: &str) -> Result<()> {
        Err(Refusal::UploadPartCopy {
            source_key: source_key.into(),
        }
        .into())
    }
}

/// Copies the source's envelope headers into a REPLACE request; a caller header that differs
/// from the source's value is refused.
fn carry_envelope(headers: &mut HeaderMap, source: &HeaderMap) -> Result<()> {
    for name in headers.keys() {
        if is_envelope_header(name.as_str()) && headers.get(name) != source.get(name) {
            return Err(Refusal::EnvelopeChange {
                name: name.to_string(),
            }
            .into());
        }
    }
    for (name, value) in source {
        if is_envelope_header(name.as_str()) {
            headers.insert(name.clone(), value.clone());
        }
    }
    Ok(())
}

fn refuse_envelope_name(name: &str) -> Result<()> {
    if is_envelope_header(name) {
        return Err(Refusal::EnvelopeFromMetadata { name: name.into() }.into());
    }
    Ok(())
}
