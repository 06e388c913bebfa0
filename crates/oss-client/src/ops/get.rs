//! GetObject: whole or ranged, as a stream, into memory or into a file.

use core::fmt;
use core::future::Future;
use std::path::Path;

use bytes::{Bytes, BytesMut};
use futures::StreamExt as _;
use futures::stream::BoxStream;
use http::{HeaderMap, HeaderValue, Method};
use tokio::io::AsyncWriteExt as _;

use super::download::Download;
use crate::client::Client;
use crate::client::endpoint::validate_key;
use crate::client::response::ObjectMeta;
use crate::client::send::OssRequest;
use crate::error::{Error, Result};

/// A byte range to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteRange {
    /// `bytes=first-last` (inclusive).
    Inclusive(u64, u64),
    /// `bytes=first-`.
    From(u64),
    /// `bytes=-n`: the last `n` bytes.
    Suffix(u64),
}

impl ByteRange {
    /// The `Range` header value.
    pub fn header_value(&self) -> String {
        match self {
            Self::Inclusive(a, b) => format!("bytes={a}-{b}"),
            Self::From(a) => format!("bytes={a}-"),
            Self::Suffix(n) => format!("bytes=-{n}"),
        }
    }
}

/// Options of GetObject.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetOptions {
    /// Range to read.
    pub range: Option<ByteRange>,
    /// Send `x-oss-range-behavior: standard` with a range (default on): out-of-range starts
    /// give 416 and ends are clamped, instead of OSS's legacy "whole object with 200".
    pub standard_range_behavior: bool,
    /// Resume a body cut mid-way with a ranged request pinned to the ETag (default on).
    pub resume: bool,
    /// Object version.
    pub version_id: Option<String>,
    /// Extra headers (conditionals, `response-*` are query, ...).
    pub headers: HeaderMap,
}

impl Default for GetOptions {
    fn default() -> Self {
        Self {
            range: None,
            standard_range_behavior: true,
            resume: true,
            version_id: None,
            headers: HeaderMap::new(),
        }
    }
}

impl GetOptions {
    /// Reads `range`.
    #[must_use]
    pub fn with_range(mut self, range: ByteRange) -> Self {
        self.range = Some(range);
        self
    }

    /// Adds headers (they win over the defaults).
    #[must_use]
    pub fn with_headers(mut self, headers: &HeaderMap) -> Self {
        super::merge(&mut self.headers, headers);
        self
    }

    /// Turns `x-oss-range-behavior: standard` on or off.
    #[must_use]
    pub fn with_standard_range_behavior(mut self, on: bool) -> Self {
        self.standard_range_behavior = on;
        self
    }

    /// Turns mid-body resumption on or off.
    #[must_use]
    pub fn with_resume(mut self, on: bool) -> Self {
        self.resume = on;
        self
    }
}

/// Headers plus the body stream of a GET. The stream yields an error at its end when the
/// CRC-64 of a whole-object read does not match.
pub struct GetResponse {
    meta: ObjectMeta,
    body: BoxStream<'static, Result<Bytes>>,
}

impl fmt::Debug for GetResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetResponse")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl GetResponse {
    /// Status and headers (200 or 206, `Content-Range`, `x-oss-meta-*`, ETag, CRC).
    pub fn meta(&self) -> &ObjectMeta {
        &self.meta
    }

    /// Splits into headers and body stream.
    pub fn into_parts(self) -> (ObjectMeta, BoxStream<'static, Result<Bytes>>) {
        (self.meta, self.body)
    }

    /// Collects the body.
    ///
    /// # Errors
    ///
    /// Any error of the body stream.
    pub async fn bytes(mut self) -> Result<Bytes> {
        let mut buf = BytesMut::with_capacity(
            self.meta
                .content_length()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(64 << 20),
        );
        while let Some(chunk) = self.body.next().await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(buf.freeze())
    }
}

impl Client {
    /// Starts a GET and returns the headers and a body stream (bounded memory). A body cut
    /// mid-way is resumed from the next byte (ranged, `If-Match` on the ETag).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`], [`Error::PreconditionFailed`] (412/304), other server errors
    /// (416 `InvalidRange`), transport errors.
    pub async fn get_object(&self, key: &str, options: &GetOptions) -> Result<GetResponse> {
        validate_key(key)?;
        let mut req = OssRequest::new("GetObject", Method::GET, Some(key));
        if let Some(range) = options.range {
            let value = HeaderValue::try_from(range.header_value())
                .map_err(|_| Error::InvalidArgument("bad range".into()))?;
            req.headers.insert("range", value);
            if options.standard_range_behavior {
                req.headers
                    .insert("x-oss-range-behavior", HeaderValue::from_static("standard"));
            }
        }
        super::merge(&mut req.headers, &options.headers);
        if let Some(version) = &options.version_id {
            req = req.query("versionId", version.clone());
        }
        let response = self.run(&req, |r| futures::future::ready(Ok(r))).await?;
        let meta = ObjectMeta::new(response.status().as_u16(), response.headers().clone());
        let download = Download::new(self.clone(), key, &req, &meta, response, options.resume);
        Ok(GetResponse {
            meta,
            body: download.into_stream(),
        })
    }

    /// GET into memory; a CRC mismatch restarts the read (within the retry budget).
    ///
    /// # Errors
    ///
    /// As [`Client::get_object`], plus [`Error::CrcMismatch`] when every attempt mismatched.
    pub async fn get_object_bytes(
        &self,
        key: &str,
        options: &GetOptions,
    ) -> Result<(ObjectMeta, Bytes)> {
        self.reread_on_crc_mismatch(|| async {
            let response = self.get_object(key, options).await?;
            let meta = response.meta().clone();
            Ok((meta, response.bytes().await?))
        })
        .await
    }

    /// GET into a file (created or truncated), streaming; a CRC mismatch restarts the read.
    ///
    /// # Errors
    ///
    /// As [`Client::get_object_bytes`], plus [`Error::Io`] for file errors.
    pub async fn get_object_to_file(
        &self,
        key: &str,
        path: &Path,
        options: &GetOptions,
    ) -> Result<ObjectMeta> {
        self.reread_on_crc_mismatch(|| async {
            let (meta, mut body) = self.get_object(key, options).await?.into_parts();
            let mut file = tokio::fs::File::create(path).await?;
            let mut outcome = Ok(meta);
            while let Some(chunk) = body.next().await {
                match chunk {
                    Ok(chunk) => file.write_all(&chunk).await?,
                    Err(e) => {
                        outcome = Err(e);
                        break;
                    }
                }
            }
            file.flush().await?;
            outcome
        })
        .await
    }

    /// Repeats a whole read while its CRC mismatches, within the retry budget (`get_object`
    /// itself already retries failures to connect).
    async fn reread_on_crc_mismatch<T, F, Fut>(&self, mut read: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let crc_mismatch = |e: &Error| matches!(e, Error::CrcMismatch { .. });
        self.inner
            .retry
            .run(
                oss_transport::host_of(self.inner.endpoint.base()),
                "GetObject",
                crc_mismatch,
                |_| read(),
            )
            .await
    }
}
