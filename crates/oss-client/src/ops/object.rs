//! PutObject, HeadObject, DeleteObject, CopyObject.

use http::{HeaderMap, HeaderValue, Method};

use super::merge;
use crate::client::Client;
use crate::client::endpoint::validate_key;
use crate::client::response::ObjectMeta;
use crate::client::send::OssRequest;
use crate::error::{Error, Result};
use crate::payload::PutPayload;
use crate::xml::CopyObjectResult;

/// Result of PutObject or UploadPart.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PutResult {
    /// ETag with quotes.
    pub etag: String,
    /// Server CRC-64 of the stored bytes (already compared with the bytes sent when CRC
    /// checks are on).
    pub crc64: Option<u64>,
    /// Bytes sent.
    pub size: u64,
    /// All response headers.
    pub meta: ObjectMeta,
}

impl PutResult {
    pub(crate) fn from_meta(operation: &'static str, meta: ObjectMeta, size: u64) -> Result<Self> {
        let etag = meta
            .etag()
            .ok_or_else(|| Error::invalid_response(operation, "no ETag header"))?
            .to_owned();
        Ok(Self {
            etag,
            crc64: meta.crc64(),
            size,
            meta,
        })
    }
}

/// `x-oss-metadata-directive` of CopyObject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataDirective {
    /// Keep the source's metadata (server default).
    Copy,
    /// Use exactly the metadata of the request.
    Replace,
}

/// A CopyObject request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CopyRequest {
    /// Source bucket; `None` = this client's bucket.
    pub source_bucket: Option<String>,
    /// Source key.
    pub source_key: String,
    /// Source version.
    pub source_version_id: Option<String>,
    /// Destination key in this client's bucket.
    pub dest_key: String,
    /// Metadata directive; `None` sends none (COPY).
    pub metadata_directive: Option<MetadataDirective>,
    /// Extra headers (`x-oss-meta-*` for REPLACE, `x-oss-copy-source-if-*`, ...).
    pub headers: HeaderMap,
}

impl CopyRequest {
    /// Copy `source_key` to `dest_key` within the bucket.
    pub fn new(source_key: impl Into<String>, dest_key: impl Into<String>) -> Self {
        Self {
            source_bucket: None,
            source_key: source_key.into(),
            source_version_id: None,
            dest_key: dest_key.into(),
            metadata_directive: None,
            headers: HeaderMap::new(),
        }
    }

    /// Sets the metadata directive.
    #[must_use]
    pub fn with_metadata_directive(mut self, directive: MetadataDirective) -> Self {
        self.metadata_directive = Some(directive);
        self
    }

    /// Sets the source bucket.
    #[must_use]
    pub fn with_source_bucket(mut self, bucket: impl Into<String>) -> Self {
        self.source_bucket = Some(bucket.into());
        self
    }

    /// Adds headers.
    #[must_use]
    pub fn with_headers(mut self, headers: &HeaderMap) -> Self {
        merge(&mut self.headers, headers);
        self
    }
}

impl Client {
    /// Uploads an object. `headers` pass through (`Content-Type`, `x-oss-meta-*`,
    /// `x-oss-forbid-overwrite`, ...). Retried when the payload is replayable.
    ///
    /// # Errors
    ///
    /// Server errors, transport errors, [`Error::CrcMismatch`] when the server's CRC differs
    /// from the bytes sent, [`Error::BodyLength`] when a stream breaks its declared length.
    pub async fn put_object(
        &self,
        key: &str,
        payload: PutPayload,
        headers: &HeaderMap,
    ) -> Result<PutResult> {
        validate_key(key)?;
        let mut req = OssRequest::new("PutObject", Method::PUT, Some(key));
        req.headers = headers.clone();
        req.body = Some(&payload);
        req.body_crc = true;
        let (meta, _) = self.run_full(&req).await?;
        PutResult::from_meta("PutObject", meta, payload.len())
    }

    /// HEAD of an object: all its headers. `headers` pass through (conditionals).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for a missing key; other server and transport errors.
    pub async fn head_object(&self, key: &str, headers: &HeaderMap) -> Result<ObjectMeta> {
        validate_key(key)?;
        let mut req = OssRequest::new("HeadObject", Method::HEAD, Some(key));
        req.headers = headers.clone();
        Ok(self.run_full(&req).await?.0)
    }

    /// Deletes an object (succeeds when it does not exist, as OSS does).
    ///
    /// # Errors
    ///
    /// Server errors (e.g. [`Error::NotFound`] for a missing bucket) and transport errors.
    pub async fn delete_object(&self, key: &str) -> Result<ObjectMeta> {
        validate_key(key)?;
        let req = OssRequest::new("DeleteObject", Method::DELETE, Some(key));
        Ok(self.run_full(&req).await?.0)
    }

    /// Server-side copy.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for a missing source; other server and transport errors;
    /// [`Error::InvalidResponse`] for an unreadable result.
    pub async fn copy_object(&self, copy: &CopyRequest) -> Result<CopyObjectResult> {
        validate_key(&copy.source_key)?;
        validate_key(&copy.dest_key)?;
        let bucket = copy.source_bucket.as_deref().unwrap_or(self.bucket());
        let mut source = format!(
            "/{bucket}/{}",
            oss_signing::percent_encode_path(&copy.source_key)
        );
        if let Some(version) = &copy.source_version_id {
            source.push_str("?versionId=");
            source.push_str(&oss_signing::percent_encode(version));
        }
        let mut req = OssRequest::new("CopyObject", Method::PUT, Some(&copy.dest_key));
        req.headers = copy.headers.clone();
        let source = HeaderValue::try_from(source)
            .map_err(|_| Error::InvalidArgument("invalid copy source".into()))?;
        req.headers.insert("x-oss-copy-source", source);
        if let Some(directive) = copy.metadata_directive {
            let value = match directive {
                MetadataDirective::Copy => "COPY",
                MetadataDirective::Replace => "REPLACE",
            };
            req.headers
                .insert("x-oss-metadata-directive", HeaderValue::from_static(value));
        }
        let (meta, body) = self.run_full(&req).await?;
        let mut result = crate::xml::parse_copy(&body)?;
        result.crc64 = meta.crc64();
        Ok(result)
    }
}
