//! Reading: GetObject with decryption, whole or ranged (spec §4, §11.2), HeadObject, and
//! GetObject into a file through a temp file that is renamed only after every check passed.

use core::fmt;
use std::path::Path;

use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use oss_client::ObjectMeta;
use oss_envelope::{ByteRange, ContentCipher, RangePlan};
use tokio::io::AsyncWriteExt as _;

use crate::bucket::{CryptoBucket, ObjectEnvelope};
use crate::error::{Error, IntegrityError, ReadKind, ResponseError, Result};
use crate::pin::Pin;
use crate::stream::{ByteStream, DecryptStream, Keystream, ReadChecks};

/// Options of a read.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct GetOptions {
    /// Plaintext range to read; `None` reads the whole object.
    pub range: Option<ByteRange>,
    /// Extra request headers (`If-Match`, ...).
    pub headers: HeaderMap,
}

impl GetOptions {
    /// Reads `range` only.
    #[must_use]
    pub fn with_range(mut self, range: ByteRange) -> Self {
        self.range = Some(range);
        self
    }

    /// Parses and sets a range written `a-b`, `a-` or `-N` (optionally `bytes=`-prefixed).
    ///
    /// # Errors
    ///
    /// [`Error::Range`] for malformed or empty ranges.
    pub fn with_range_text(self, text: &str) -> Result<Self> {
        Ok(self.with_range(ByteRange::parse(text)?))
    }

    /// Adds extra request headers.
    #[must_use]
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }
}

/// A decrypted object body and what the response said about it.
pub struct GetObjectOutput {
    /// The plaintext stream. It ends with an error instead of its last chunk when a check
    /// fails (length, CRC-64, MD5), so a clean end means a verified read.
    pub body: ByteStream,
    /// Status and headers of the response.
    pub meta: ObjectMeta,
    /// The object's envelope; [`ObjectEnvelope::Plain`] when it was stored unencrypted.
    pub envelope: ObjectEnvelope,
    /// Plaintext bytes the body yields.
    pub content_length: u64,
    /// Absolute offset of the first byte of the body in the object.
    pub offset: u64,
    /// Size of the whole object.
    pub object_size: u64,
}

impl fmt::Debug for GetObjectOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetObjectOutput")
            .field("envelope", &self.envelope)
            .field("content_length", &self.content_length)
            .field("offset", &self.offset)
            .field("object_size", &self.object_size)
            .finish_non_exhaustive()
    }
}

impl GetObjectOutput {
    /// Whether the object carried an envelope (`false`: returned as stored).
    #[must_use]
    pub fn is_encrypted(&self) -> bool {
        self.envelope.is_encrypted()
    }

    /// Collects the whole body into memory.
    ///
    /// # Errors
    ///
    /// Any error of the body stream.
    pub async fn bytes(self) -> Result<Bytes> {
        let parts: Vec<Bytes> = self.body.try_collect().await?;
        Ok(parts.concat().into())
    }
}

/// The object's size and envelope (from HeadObject, or after a read into a file, where `size`
/// is the number of plaintext bytes written).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HeadObjectOutput {
    /// Plaintext size (equal to the stored size: CTR has no padding).
    pub size: u64,
    /// The parsed envelope.
    pub envelope: ObjectEnvelope,
    /// Status and headers.
    pub meta: ObjectMeta,
}

/// Where the body lies and how to check it.
struct Window {
    offset: u64,
    skip: u64,
    checks: ReadChecks,
    deliver: u64,
    object_size: u64,
}

impl CryptoBucket {
    /// Reads and decrypts an object, whole or ranged, from a single GET (the envelope comes
    /// from the same response).
    ///
    /// # Errors
    ///
    /// [`Error::LegacyV1Disabled`], [`Error::Envelope`] (missing or malformed envelope),
    /// [`Error::KeyWrap`] (wrong master key, no matching matdesc), [`Error::RangeNotSatisfiable`],
    /// [`Error::Range`] (wrong `Content-Range`), [`Error::UnexpectedResponse`] (200 where 206
    /// was expected), [`Error::Client`], [`IntegrityError::NotEncrypted`] for an object
    /// without an envelope when [`CryptoOptions::require_encrypted`] is set. Other integrity
    /// errors arrive through the body stream.
    ///
    /// [`CryptoOptions::require_encrypted`]: crate::CryptoOptions::require_encrypted
    pub async fn get_object(&self, key: &str, options: &GetOptions) -> Result<GetObjectOutput> {
        self.get_pinned(key, options, None).await
    }

    /// [`get_object`](Self::get_object), with the response checked against `pin` (the HEAD
    /// the read was planned from) before any byte is decrypted.
    pub(crate) async fn get_pinned(
        &self,
        key: &str,
        options: &GetOptions,
        pin: Option<&Pin>,
    ) -> Result<GetObjectOutput> {
        let plan = options.range.map(|r| r.plan(None)).transpose()?;
        let mut request = oss_client::GetOptions::default()
            .with_standard_range_behavior(true)
            .with_headers(&options.headers);
        if let Some(plan) = &plan {
            request = request.with_range(client_range(plan.request()));
        }
        let (meta, body) = self
            .inner
            .client
            .get_object(key, &request)
            .await?
            .into_parts();
        if let Some(pin) = pin {
            pin.check(&meta.headers)?;
        }
        let envelope = self.read_envelope(&meta.headers)?;
        let window = window(&meta, plan.as_ref(), &envelope)?;
        let cipher: Option<Box<dyn Keystream>> = self
            .unwrap(&envelope)
            .await?
            .map(|m| Box::new(ContentCipher::at_offset(&m, window.offset)) as Box<dyn Keystream>);
        let stream = DecryptStream::new(body, cipher, window.skip, window.checks);
        Ok(GetObjectOutput {
            body: stream.boxed(),
            meta,
            envelope,
            content_length: window.deliver,
            offset: window.offset + window.skip,
            object_size: window.object_size,
        })
    }

    /// HeadObject: the plaintext size and the parsed envelope.
    ///
    /// # Errors
    ///
    /// [`Error::LegacyV1Disabled`], [`Error::Envelope`], [`Error::Client`];
    /// [`Error::Integrity`] when `unencrypted-content-length` contradicts the stored size.
    pub async fn head_object(&self, key: &str) -> Result<HeadObjectOutput> {
        let meta = self
            .inner
            .client
            .head_object(key, &HeaderMap::new())
            .await?;
        let envelope = self.read_envelope(&meta.headers)?;
        let size = meta
            .content_length()
            .ok_or(ResponseError::missing("HEAD", "Content-Length"))?;
        check_plaintext_len(&envelope, size)?;
        Ok(HeadObjectOutput {
            size,
            envelope,
            meta,
        })
    }

    /// Reads an object into `path`: the plaintext goes to a temp file beside it, which
    /// replaces `path` only after the CRC-64 (and MD5, when recorded) verified. On any error
    /// `path` is left as it was. A symbolic link to a regular file is kept and its target
    /// replaced; a path that is not a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is
    /// streamed into instead (see [`Destination`](crate::Destination)), and an error at the
    /// end of the stream comes after the bytes.
    ///
    /// # Errors
    ///
    /// As [`get_object`](Self::get_object), plus [`Error::Integrity`] and [`Error::Io`].
    pub async fn get_object_to_file(
        &self,
        key: &str,
        path: &Path,
        options: &GetOptions,
    ) -> Result<HeadObjectOutput> {
        self.get_pinned_to_file(key, path, options, None).await
    }

    /// [`get_object_to_file`](Self::get_object_to_file) with the response checked against
    /// `pin`.
    pub(crate) async fn get_pinned_to_file(
        &self,
        key: &str,
        path: &Path,
        options: &GetOptions,
        pin: Option<&Pin>,
    ) -> Result<HeadObjectOutput> {
        let path = match crate::destination::destination(path)? {
            crate::Destination::File(path) => path,
            crate::Destination::Stream(path) => {
                let mut output = self.get_pinned(key, options, pin).await?;
                let mut sink = crate::destination::open_stream(&path).await?;
                while let Some(chunk) = output.body.next().await {
                    sink.write_all(&chunk?).await?;
                }
                sink.flush().await?;
                return Ok(HeadObjectOutput {
                    size: output.content_length,
                    envelope: output.envelope,
                    meta: output.meta,
                });
            }
        };
        let tmp = temp_path(&path);
        let result = self.write_temp(key, &tmp, options, pin).await;
        match result {
            Ok(output) => {
                tokio::fs::rename(&tmp, &path).await?;
                Ok(output)
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                Err(e)
            }
        }
    }

    async fn write_temp(
        &self,
        key: &str,
        tmp: &Path,
        options: &GetOptions,
        pin: Option<&Pin>,
    ) -> Result<HeadObjectOutput> {
        let mut output = self.get_pinned(key, options, pin).await?;
        let mut file = crate::private_file::create_private_file(tmp).await?;
        while let Some(chunk) = output.body.next().await {
            file.write_all(&chunk?).await?;
        }
        file.sync_all().await?;
        Ok(HeadObjectOutput {
            size: output.content_length,
            envelope: output.envelope,
            meta: output.meta,
        })
    }
}

/// Validates status, `Content-Range` and lengths, and says where the keystream starts.
fn window(
    meta: &ObjectMeta,
    plan: Option<&RangePlan>,
    envelope: &ObjectEnvelope,
) -> Result<Window> {
    let length = meta.content_length();
    let Some(plan) = plan else {
        if meta.status != 200 {
            return Err(Error::UnexpectedResponse(ResponseError::Status {
                read: ReadKind::Full,
                expected: 200,
                actual: meta.status,
            }));
        }
        let length = length.ok_or(ResponseError::missing("GET", "Content-Length"))?;
        check_plaintext_len(envelope, length)?;
        let checks = ReadChecks {
            length,
            crc64: meta.crc64(),
            md5: envelope.plaintext_md5(),
        };
        return Ok(Window {
            offset: 0,
            skip: 0,
            checks,
            deliver: length,
            object_size: length,
        });
    };
    if meta.status != 206 {
        return Err(Error::UnexpectedResponse(ResponseError::Status {
            read: ReadKind::Ranged,
            expected: 206,
            actual: meta.status,
        }));
    }
    let content_range = meta
        .header("content-range")
        .ok_or(ResponseError::missing("206", "Content-Range"))?;
    let answer = plan.validate_header(content_range)?;
    if let Some(length) = length {
        answer.check_body_len(length)?;
    }
    let checks = ReadChecks {
        length: answer.body_len(),
        crc64: None,
        md5: None,
    };
    Ok(Window {
        offset: answer.keystream_offset(),
        skip: answer.discard(),
        checks,
        deliver: answer.deliver(),
        object_size: answer.object_size(),
    })
}

/// A recorded plaintext length must equal the stored size (CTR keeps lengths).
fn check_plaintext_len(envelope: &ObjectEnvelope, stored: u64) -> Result<()> {
    match envelope.plaintext_len() {
        Some(expected) if expected != stored => Err(IntegrityError::Length {
            expected,
            actual: stored,
        }
        .into()),
        _ => Ok(()),
    }
}

/// The client's range type for a planned request.
pub(crate) fn client_range(range: ByteRange) -> oss_client::ByteRange {
    match range {
        ByteRange::Bounded { start, end } => oss_client::ByteRange::Inclusive(start, end),
        ByteRange::From { start } => oss_client::ByteRange::From(start),
        ByteRange::Suffix { len } => oss_client::ByteRange::Suffix(len),
    }
}

/// A temp file beside `path` (same directory, so the final rename is atomic).
pub(crate) fn temp_path(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.oss-tmp-{}", std::process::id()))
}
