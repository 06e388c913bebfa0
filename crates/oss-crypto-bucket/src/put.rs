//! Writing: PutObject with encryption (spec §11.1). The plaintext comes from memory, a
//! stream of known length (memory bounded by one chunk) or a file (replayable for retries).

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use md5::{Digest as _, Md5};
use oss_client::PutPayload;
use oss_envelope::{ContentCipher, ContentMaterial, Envelope};

use crate::bucket::{CryptoBucket, insert_envelope, insert_header};
use crate::checkpoint::FileStamp;
use crate::error::{Error, InputError, IntegrityError, Result};
use crate::progress::Progress;
use crate::stream::{EncryptStream, read_tally};

/// A stream of plaintext chunks.
pub type PlainStream = futures::stream::BoxStream<'static, io::Result<Bytes>>;

/// Where the plaintext of an upload comes from.
#[non_exhaustive]
pub enum PutSource {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A stream of exactly `len` bytes, read once (not retried).
    Stream {
        /// The plaintext.
        stream: PlainStream,
        /// Its exact length.
        len: u64,
    },
    /// A local file (reopened for each retry).
    File(PathBuf),
    /// `len` bytes of a local file from `offset` (reopened for each retry).
    FileRange {
        /// The file.
        path: PathBuf,
        /// First byte.
        offset: u64,
        /// Number of bytes.
        len: u64,
    },
}

impl core::fmt::Debug for PutSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bytes(b) => write!(f, "PutSource::Bytes({} bytes)", b.len()),
            Self::Stream { len, .. } => write!(f, "PutSource::Stream({len} bytes)"),
            Self::File(p) => write!(f, "PutSource::File({})", p.display()),
            Self::FileRange { path, offset, len } => {
                write!(
                    f,
                    "PutSource::FileRange({}, {offset}+{len})",
                    path.display()
                )
            }
        }
    }
}

/// What the length and MD5 checks read of a [`PutSource`], without its one-shot stream: a
/// stream is `Send` but not `Sync`, and a future holding a reference to it across an await
/// would not be `Send` (an upload from a stream could then not be spawned).
pub(crate) enum Probe {
    Bytes(Bytes),
    Stream {
        len: u64,
    },
    File(PathBuf),
    FileRange {
        path: PathBuf,
        offset: u64,
        len: u64,
    },
}

impl PutSource {
    /// The source's [`Probe`] (bytes are shared, not copied).
    pub(crate) fn probe(&self) -> Probe {
        match self {
            Self::Bytes(b) => Probe::Bytes(b.clone()),
            Self::Stream { len, .. } => Probe::Stream { len: *len },
            Self::File(path) => Probe::File(path.clone()),
            Self::FileRange { path, offset, len } => Probe::FileRange {
                path: path.clone(),
                offset: *offset,
                len: *len,
            },
        }
    }
}

impl From<Bytes> for PutSource {
    fn from(bytes: Bytes) -> Self {
        Self::Bytes(bytes)
    }
}

impl From<Vec<u8>> for PutSource {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Bytes(bytes.into())
    }
}

/// Options of an upload.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PutOptions {
    /// `Content-Type` of the object.
    pub content_type: Option<String>,
    /// Base64 MD5 of the **plaintext** (as a caller would send `Content-MD5`); it is checked
    /// against the data and stored as `unencrypted-content-md5`, never sent as `Content-MD5`.
    pub content_md5: Option<String>,
    /// User metadata (`x-oss-meta-<name>`), names without the prefix.
    pub metadata: Vec<(String, String)>,
    /// Other request headers (`x-oss-forbid-overwrite`, `Cache-Control`, ...).
    pub headers: HeaderMap,
}

impl PutOptions {
    /// Sets the Content-Type.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Sets the plaintext Content-MD5 (base64).
    #[must_use]
    pub fn with_content_md5(mut self, md5: impl Into<String>) -> Self {
        self.content_md5 = Some(md5.into());
        self
    }

    /// Adds a user metadata entry.
    #[must_use]
    pub fn with_metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((name.into(), value.into()));
        self
    }
}

/// Result of an encrypted upload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PutObjectOutput {
    /// ETag of the stored (encrypted) object.
    pub etag: String,
    /// CRC-64 of the stored ciphertext (verified against the bytes sent).
    pub crc64: Option<u64>,
    /// The envelope written.
    pub envelope: Envelope,
}

impl CryptoBucket {
    /// Encrypts and uploads an object under a fresh data key and IV.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (bad Content-MD5, envelope names in the metadata, MD5
    /// computation asked for a one-shot stream), [`Error::Integrity`] (plaintext MD5 or length
    /// differs from what was announced, CRC mismatch), [`Error::KeyWrap`], [`Error::Client`].
    pub async fn put_object(
        &self,
        key: &str,
        source: PutSource,
        options: &PutOptions,
    ) -> Result<PutObjectOutput> {
        self.put_object_reporting(key, source, options, None).await
    }

    /// [`put_object`](Self::put_object), reporting the body's bytes to `progress` as they
    /// are sent.
    pub(crate) async fn put_object_reporting(
        &self,
        key: &str,
        source: PutSource,
        options: &PutOptions,
        progress: Option<&Progress>,
    ) -> Result<PutObjectOutput> {
        let (material, envelope) = self.inner.keyring.generate().await?;
        let probe = source.probe();
        // Taken before the length and MD5 are read: the file must still match it when its last
        // bytes are sent.
        let stamp = match &probe {
            Probe::File(path) => Some((path.clone(), FileStamp::of(path)?)),
            _ => None,
        };
        let len = source_len(&probe).await?;
        let md5 = self.plaintext_md5(&probe, options).await?;
        let mut envelope = envelope.with_unencrypted_content_length(len);
        if let Some(md5) = md5 {
            envelope = envelope.with_unencrypted_content_md5(md5);
        }
        let headers = request_headers(options, &envelope)?;
        let material = Arc::new(material);
        let (payload, tally) = encrypted_payload(
            source,
            len,
            &material,
            0,
            md5.filter(|_| options.content_md5.is_some()),
            progress,
            stamp.as_ref().map(|(_, stamp)| *stamp),
        );
        let result = self.inner.client.put_object(key, payload, &headers).await;
        let result = match (result, tally.and_then(|t| read_tally(&t).failure)) {
            (Err(_), Some(failure)) => return Err(failure.into()),
            (Err(e), None) => return Err(source_changed(stamp).unwrap_or_else(|| e.into())),
            (Ok(result), _) => result,
        };
        Ok(PutObjectOutput {
            etag: result.etag,
            crc64: result.crc64,
            envelope,
        })
    }

    /// The plaintext MD5 to record: the caller's (checked against bytes and files before
    /// sending; streams are checked while sending) or a computed one when asked for.
    async fn plaintext_md5(
        &self,
        source: &Probe,
        options: &PutOptions,
    ) -> Result<Option<[u8; 16]>> {
        let given = options.content_md5.as_deref().map(parse_md5).transpose()?;
        let wanted = given.is_some() || self.inner.options.compute_md5;
        let computed = match source {
            Probe::Bytes(b) if wanted => Some(Md5::digest(b).into()),
            Probe::File(path) if wanted => Some(file_md5(path.clone()).await?),
            Probe::FileRange { .. } if wanted => {
                return Err(InputError::RangeAsObject.into());
            }
            Probe::Stream { .. } if given.is_none() && wanted => {
                return Err(InputError::StreamMd5.into());
            }
            _ => None,
        };
        match (given, computed) {
            (Some(g), Some(c)) if g != c => Err(IntegrityError::Md5.into()),
            (g, c) => Ok(g.or(c)),
        }
    }
}

/// [`Error::SourceChanged`] when the file of a failed upload no longer matches its stamp:
/// the body was cut short on purpose ([`unchanged_until_end`]) or read while it changed.
fn source_changed(stamp: Option<(PathBuf, FileStamp)>) -> Option<Error> {
    let (path, stamp) = stamp?;
    let now = FileStamp::of(&path).ok();
    (now != Some(stamp)).then_some(Error::SourceChanged { path })
}

/// Exact plaintext length of a source.
pub(crate) async fn source_len(source: &Probe) -> Result<u64> {
    Ok(match source {
        Probe::Bytes(b) => b.len() as u64,
        Probe::Stream { len } => *len,
        Probe::File(path) => tokio::fs::metadata(path).await?.len(),
        Probe::FileRange { path, offset, len } => {
            let size = tokio::fs::metadata(path).await?.len();
            if offset.checked_add(*len).is_none_or(|end| end > size) {
                return Err(InputError::FileRange {
                    path: path.clone(),
                    offset: *offset,
                    len: *len,
                    file_size: size,
                }
                .into());
            }
            *len
        }
    })
}

/// Encrypts a source from plaintext offset `offset` into a payload for PUT or UploadPart.
///
/// Bytes and files give replayable payloads (the client may retry them); streams are read
/// once and their encryptor's tally is returned so a typed failure can be reported. With
/// `progress`, the body's bytes are reported as they are sent. With `stamp`, a whole file
/// that no longer matches it when its last chunk is read fails the body instead of sending
/// that chunk.
pub(crate) fn encrypted_payload(
    source: PutSource,
    len: u64,
    material: &Arc<ContentMaterial>,
    offset: u64,
    expected_md5: Option<[u8; 16]>,
    progress: Option<&Progress>,
    stamp: Option<FileStamp>,
) -> (PutPayload, Option<crate::stream::TallyHandle>) {
    match source {
        PutSource::Bytes(bytes) => {
            // In place when the caller gave up its only handle (no second copy in memory).
            let mut buf = bytes::BytesMut::from(bytes);
            ContentCipher::at_offset(material, offset).apply_keystream(&mut buf);
            (bytes_payload(buf.freeze(), progress), None)
        }
        PutSource::File(path) => {
            let read = FileRead {
                path,
                start: 0,
                len,
                stamp,
            };
            (file_payload(read, material, offset, progress), None)
        }
        PutSource::FileRange {
            path,
            offset: start,
            len,
        } => {
            let read = FileRead {
                path,
                start,
                len,
                stamp: None,
            };
            (file_payload(read, material, offset, progress), None)
        }
        PutSource::Stream { stream, len } => {
            let cipher = Box::new(ContentCipher::at_offset(material, offset));
            let (stream, tally) = EncryptStream::new(stream, cipher, Some(len), expected_md5);
            let mut stream = stream.map_err(io::Error::other).boxed();
            if let Some(progress) = progress {
                stream = progress.counting(stream);
            }
            (PutPayload::from_stream(stream, len), Some(tally))
        }
    }
}

/// Bytes per chunk of an in-memory body sent with progress.
const BYTES_CHUNK: usize = 512 << 10;

/// Bytes in memory as a body: whole, or, to report progress, as a replayable stream of
/// chunks (slices of the same buffer, no copy).
fn bytes_payload(bytes: Bytes, progress: Option<&Progress>) -> PutPayload {
    let Some(progress) = progress else {
        return PutPayload::from_bytes(bytes);
    };
    let len = bytes.len() as u64;
    let factory: oss_client::StreamFactory = Arc::new(move || {
        let chunks: Vec<io::Result<Bytes>> = (0..bytes.len())
            .step_by(BYTES_CHUNK)
            .map(|at| Ok(bytes.slice(at..bytes.len().min(at + BYTES_CHUNK))))
            .collect();
        futures::stream::iter(chunks).boxed()
    });
    PutPayload::from_stream_factory(len, progress.replayable(factory))
}

/// `len` bytes of a file from `start`; with `stamp`, the whole file as it must stay.
struct FileRead {
    path: PathBuf,
    start: u64,
    len: u64,
    stamp: Option<FileStamp>,
}

/// A replayable payload encrypting a [`FileRead`], with the keystream at object offset
/// `offset`.
fn file_payload(
    read: FileRead,
    material: &Arc<ContentMaterial>,
    offset: u64,
    progress: Option<&Progress>,
) -> PutPayload {
    let material = Arc::clone(material);
    let len = read.len;
    let factory: oss_client::StreamFactory = Arc::new(move || {
        let cipher = Box::new(ContentCipher::at_offset(&material, offset));
        let mut plain = file_stream(read.path.clone(), read.start, len);
        if let Some(stamp) = read.stamp {
            plain = unchanged_until_end(plain, read.path.clone(), stamp);
        }
        let (stream, _) = EncryptStream::new(plain, cipher, Some(len), None);
        stream.map_err(io::Error::other).boxed()
    });
    PutPayload::from_stream_factory(len, Progress::maybe_replayable(progress, factory))
}

/// `stream` of the whole file `path`, failing instead of yielding its last chunk when the
/// file no longer matches `stamp` (size, modification time). A file that changed while it was
/// read is then never sent whole: the body ends short of its announced length, so OSS does
/// not store the object. The file is checked once all its bytes are read, so a change at any
/// point of the read is seen.
fn unchanged_until_end(stream: PlainStream, path: PathBuf, stamp: FileStamp) -> PlainStream {
    let mut read = 0_u64;
    stream
        .and_then(move |chunk| {
            read += chunk.len() as u64;
            let check = (read == stamp.size).then(|| path.clone());
            async move {
                if let Some(path) = check
                    && FileStamp::of(&path).ok() != Some(stamp)
                {
                    return Err(io::Error::other(format!(
                        "{} changed while it was read",
                        path.display()
                    )));
                }
                Ok(chunk)
            }
        })
        .boxed()
}

/// Bytes per read of [`file_stream`].
const FILE_CHUNK: u64 = 512 << 10;

/// Reads `len` bytes of a file from `start`, in chunks, opening it lazily.
///
/// Each chunk is one read in the blocking pool straight into the buffer that becomes the
/// chunk: `tokio::fs` would read into its own buffer and copy, in 256 KiB steps, which cost
/// an encrypted upload a copy of every byte and twice the thread hand-offs. A file shorter
/// than `start + len` is an `UnexpectedEof` error.
pub(crate) fn file_stream(path: PathBuf, start: u64, len: u64) -> PlainStream {
    let open = async move {
        let file = tokio::task::spawn_blocking(move || {
            use std::io::Seek as _;
            let mut file = std::fs::File::open(path)?;
            file.seek(io::SeekFrom::Start(start))?;
            Ok::<_, io::Error>(file)
        })
        .await
        .map_err(io::Error::other)??;
        Ok::<_, io::Error>(futures::stream::try_unfold(
            (file, len),
            |(file, left)| async move {
                if left == 0 {
                    return Ok(None);
                }
                let want = left.min(FILE_CHUNK);
                let (file, chunk) = tokio::task::spawn_blocking(move || {
                    use std::io::Read as _;
                    // At most 512 KiB, so the conversion is lossless.
                    let mut chunk = Vec::with_capacity(usize::try_from(want).unwrap_or(0));
                    (&file).take(want).read_to_end(&mut chunk)?;
                    Ok::<_, io::Error>((file, chunk))
                })
                .await
                .map_err(io::Error::other)??;
                if (chunk.len() as u64) < want {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file is shorter than the range to upload",
                    ));
                }
                Ok(Some((Bytes::from(chunk), (file, left - want))))
            },
        ))
    };
    futures::stream::once(open).try_flatten().boxed()
}

/// MD5 of a whole file, streamed.
pub(crate) async fn file_md5(path: PathBuf) -> Result<[u8; 16]> {
    let len = tokio::fs::metadata(&path).await?.len();
    let mut md5 = Md5::new();
    let mut stream = file_stream(path, 0, len);
    while let Some(chunk) = stream.next().await {
        md5.update(&chunk?);
    }
    Ok(md5.finalize().into())
}

pub(crate) fn parse_md5(text: &str) -> Result<[u8; 16]> {
    STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 16]>::try_from(bytes.as_slice()).ok())
        .ok_or(Error::InvalidInput(InputError::ContentMd5))
}

/// Request headers of an encrypted upload: the caller's (minus any `Content-MD5`, which would
/// describe the plaintext), user metadata, Content-Type and the envelope.
pub(crate) fn request_headers(options: &PutOptions, envelope: &Envelope) -> Result<HeaderMap> {
    let mut headers = options.headers.clone();
    headers.remove("content-md5");
    for name in headers.keys() {
        if oss_envelope::header::is_envelope_header(name.as_str()) {
            return Err(InputError::EnvelopeHeader {
                name: name.to_string(),
            }
            .into());
        }
    }
    for (name, value) in &options.metadata {
        let full = format!("x-oss-meta-{}", name.to_ascii_lowercase());
        if oss_envelope::header::is_envelope_header(&full) {
            return Err(InputError::EnvelopeMetadata { name: name.clone() }.into());
        }
        insert_header(&mut headers, &full, value)?;
    }
    if let Some(content_type) = &options.content_type {
        insert_header(&mut headers, "content-type", content_type)?;
    }
    insert_envelope(&mut headers, envelope)?;
    Ok(headers)
}
