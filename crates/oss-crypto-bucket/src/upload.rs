//! Uploads of any size without a checkpoint: one PutObject up to a threshold, a parallel
//! multipart upload above it ([`CryptoBucket::upload_file`]), and streams of unknown length
//! in bounded memory ([`CryptoBucket::upload_stream`]).
//!
//! Why and how long streams go through a ciphertext spool file is described on
//! [`CryptoBucket::upload_stream`].

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use md5::{Digest as _, Md5};
use oss_client::PutPayload;
use oss_envelope::{ContentCipher, ContentMaterial, Envelope, MultipartPlan};
use tokio::io::AsyncWriteExt as _;

use crate::bucket::CryptoBucket;
use crate::checkpoint::FileStamp;
use crate::context::MultipartContext;
use crate::error::{Error, IntegrityError, Result};
use crate::multipart::UploadedPart;
use crate::progress::{Progress, ProgressFn};
use crate::put::{PlainStream, PutOptions, PutSource, file_stream, parse_md5, request_headers};

/// Read size of the spool file and slack of the in-memory head.
const CHUNK: usize = 256 * 1024;

/// Default size above which uploads go as multipart (64 MiB).
pub const DEFAULT_MULTIPART_THRESHOLD: u64 = 64 * 1024 * 1024;

/// Options of [`CryptoBucket::upload_file`] and [`CryptoBucket::upload_stream`]; the part size
/// and the parts in flight are the bucket's ([`CryptoOptions`](crate::CryptoOptions)).
#[derive(Clone)]
#[non_exhaustive]
pub struct UploadOptions {
    /// Object options (Content-Type, metadata, plaintext MD5, ...).
    pub put: PutOptions,
    /// Uploads larger than this many bytes go as multipart; smaller ones as one PutObject
    /// (which OSS limits to 5 GiB).
    pub multipart_threshold: u64,
    /// Called with (bytes done, bytes total) as data is sent; while a stream is being read
    /// into its spool file the total is 0 (not known yet) and "done" counts bytes read.
    pub progress: Option<Arc<ProgressFn>>,
    /// Directory of the ciphertext spool of long streams; `None`: the system temp directory.
    pub spool_dir: Option<PathBuf>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self {
            put: PutOptions::default(),
            multipart_threshold: DEFAULT_MULTIPART_THRESHOLD,
            progress: None,
            spool_dir: None,
        }
    }
}

impl core::fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UploadOptions")
            .field("put", &self.put)
            .field("multipart_threshold", &self.multipart_threshold)
            .field("progress", &self.progress.is_some())
            .field("spool_dir", &self.spool_dir)
            .finish()
    }
}

impl UploadOptions {
    /// Sets the object options.
    #[must_use]
    pub fn with_put_options(mut self, put: PutOptions) -> Self {
        self.put = put;
        self
    }

    /// Sets the multipart threshold.
    #[must_use]
    pub fn with_multipart_threshold(mut self, bytes: u64) -> Self {
        self.multipart_threshold = bytes;
        self
    }

    /// Reports progress to `callback`.
    #[must_use]
    pub fn with_progress(mut self, callback: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    /// Puts the spool file of long streams in `dir`.
    #[must_use]
    pub fn with_spool_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.spool_dir = Some(dir.into());
        self
    }
}

/// Result of [`CryptoBucket::upload_file`] or [`CryptoBucket::upload_stream`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadSummary {
    /// ETag of the object.
    pub etag: String,
    /// CRC-64 of the stored ciphertext.
    pub crc64: Option<u64>,
    /// Plaintext bytes uploaded.
    pub size: u64,
    /// Parts of the multipart upload (0: one PutObject).
    pub parts: u32,
    /// Whether the data went through a ciphertext spool file (long streams).
    pub spooled: bool,
}

impl CryptoBucket {
    /// Encrypts and uploads a file: one PutObject up to the threshold, above it a multipart
    /// upload with the bucket's part size and concurrency, each part streamed from the file.
    /// A failed multipart upload is aborted.
    ///
    /// # Errors
    ///
    /// As [`put_object`](Self::put_object); [`Error::SourceChanged`] when the file changed
    /// (size or modification time) while it was read. The object is then not written: a
    /// single PutObject's body is cut before its last bytes, a multipart upload is aborted
    /// before it is completed.
    pub async fn upload_file(
        &self,
        key: &str,
        file: &Path,
        options: &UploadOptions,
    ) -> Result<UploadSummary> {
        let stamp = FileStamp::of(file)?;
        let progress = Progress::new(stamp.size, 0, options.progress.clone());
        if stamp.size <= options.multipart_threshold {
            let source = PutSource::File(file.to_owned());
            let put = self
                .put_object_reporting(key, source, &options.put, Some(&progress))
                .await?;
            return Ok(single(put.etag, put.crc64, stamp.size, false));
        }
        let put = self.with_file_md5(file, &options.put).await?;
        let ctx = self
            .initiate_multipart_upload(key, stamp.size, None, &put)
            .await?;
        let unchanged = || {
            if FileStamp::of(file)? == stamp {
                Ok(())
            } else {
                Err(Error::SourceChanged {
                    path: file.to_owned(),
                })
            }
        };
        self.send_parts(
            &ctx,
            &progress,
            |number, layout| {
                let source = PutSource::FileRange {
                    path: file.to_owned(),
                    offset: layout.0,
                    len: layout.1,
                };
                self.upload_part(&ctx, number, source)
            },
            unchanged,
        )
        .await
        // A part read while the file shrank fails as a short read: say why.
        .map_err(|e| match FileStamp::of(file) {
            Ok(now) if now == stamp => e,
            _ => Error::SourceChanged {
                path: file.to_owned(),
            },
        })
    }

    /// Encrypts and uploads a stream of unknown length (stdin) in bounded memory.
    ///
    /// # How
    ///
    /// An encrypted multipart upload announces the plaintext size in its envelope
    /// (`data-size`) when it starts, and OSS keeps the envelope of InitiateMultipartUpload, so a
    /// stream whose end is not known yet cannot be sent as parts while it is read. A single
    /// PutObject could be streamed, but OSS refuses bodies over 5 GiB (`EntityTooLarge`), which a
    /// `tar c | osscrypt put -` backup easily exceeds, and that would only show after 5 GiB were
    /// read and lost. So a stream is handled in two steps:
    ///
    /// 1. Up to `min(threshold, concurrency × part size)` bytes are read into memory. A stream
    ///    that ends there is sent as one PutObject from memory.
    /// 2. A longer stream is encrypted, as it is read, into a **ciphertext spool file** under a
    ///    fresh data key: created with mode 0600 in [`UploadOptions::spool_dir`] (default: the
    ///    system temp directory), holding only AES-CTR ciphertext (never plaintext), and removed
    ///    when the upload ends, however it ends. Once the stream ended its size is known: the
    ///    spool is sent as stored bytes in one PutObject (up to the threshold) or as parallel
    ///    parts of an upload initiated with that data key's envelope.
    ///
    /// Memory stays at `min(threshold, concurrency × part size)` plus a few 256 KiB buffers
    /// whatever the stream's size; the spool needs free disk space for the whole stream.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] reading the stream or writing the spool; [`Error::Integrity`] when a
    /// given `content_md5` does not match; as [`put_object`](Self::put_object).
    pub async fn upload_stream(
        &self,
        key: &str,
        mut stream: PlainStream,
        options: &UploadOptions,
    ) -> Result<UploadSummary> {
        let budget = self.memory_budget(options.multipart_threshold);
        let (head, ended) = read_head(&mut stream, budget).await?;
        if ended {
            let len = head.len() as u64;
            let progress = Progress::new(len, 0, options.progress.clone());
            let put = self
                .put_object_reporting(key, PutSource::Bytes(head), &options.put, Some(&progress))
                .await?;
            return Ok(single(put.etag, put.crc64, len, false));
        }
        let generated = self.inner.keyring.generate().await?;
        let spool = Spool::create(options.spool_dir.as_deref()).await?;
        let md5 = self.wants_md5(&options.put)?;
        let written =
            spool_ciphertext(&spool, head, stream, &generated.0, md5, &options.progress).await?;
        let put = with_md5(&options.put, written.md5)?;
        self.send_spool(key, &spool, written.len, generated, &put, options)
            .await
    }

    /// Bytes a stream may hold in memory before it is spooled.
    fn memory_budget(&self, threshold: u64) -> u64 {
        let options = &self.inner.options;
        let parallel = options.part_size.saturating_mul(options.concurrency as u64);
        threshold.min(parallel)
    }

    /// Whether the plaintext MD5 is to be computed (asked for, or given to be checked).
    fn wants_md5(&self, put: &PutOptions) -> Result<Option<Md5>> {
        put.content_md5.as_deref().map(parse_md5).transpose()?;
        Ok((put.content_md5.is_some() || self.inner.options.compute_md5).then(Md5::new))
    }

    /// Sends the spooled ciphertext of `len` plaintext bytes under the key that made it.
    async fn send_spool(
        &self,
        key: &str,
        spool: &Spool,
        len: u64,
        (material, envelope): (ContentMaterial, Envelope),
        put: &PutOptions,
        options: &UploadOptions,
    ) -> Result<UploadSummary> {
        let progress = Progress::new(len, 0, options.progress.clone());
        if len <= options.multipart_threshold {
            let mut envelope = envelope.with_unencrypted_content_length(len);
            if let Some(md5) = put.content_md5.as_deref() {
                envelope = envelope.with_unencrypted_content_md5(parse_md5(md5)?);
            }
            let headers = request_headers(put, &envelope)?;
            let payload = stored_payload(spool.path.clone(), 0, len, Some(&progress));
            let sent = self.inner.client.put_object(key, payload, &headers).await?;
            return Ok(single(sent.etag, sent.crc64, len, true));
        }
        let part_size = crate::options::fit_part_size(self.inner.options.part_size, len);
        let plan = MultipartPlan::new(len, part_size)?;
        let ctx = self
            .initiate_with_material(key, plan, (material, envelope), put)
            .await?;
        let headers = crate::multipart::part_headers(&ctx.envelope()?)?;
        // The spool is ours: nothing can change it.
        let unchanged = || Ok(());
        let mut summary = self
            .send_parts(
                &ctx,
                &progress,
                |number, (offset, len)| {
                    let payload = stored_payload(spool.path.clone(), offset, len, None);
                    let headers = &headers;
                    let ctx = &ctx;
                    async move {
                        let sent = self
                            .inner
                            .client
                            .upload_part(&ctx.key, &ctx.upload_id, number, payload, headers)
                            .await?;
                        Ok(UploadedPart {
                            number,
                            etag: sent.etag,
                            crc64: sent.crc64,
                            size: sent.size,
                        })
                    }
                },
                unchanged,
            )
            .await?;
        summary.spooled = true;
        Ok(summary)
    }

    /// Sends every part of `ctx` with `send(number, (offset, len))`, `concurrency` at a time
    /// (each with the part retries of resumable transfers), then, if `unchanged()` says the
    /// source still is what was sent, completes the upload; aborts it when a part, that check
    /// or the completion fails.
    async fn send_parts<F, Fut>(
        &self,
        ctx: &MultipartContext,
        progress: &Progress,
        send: F,
        unchanged: impl FnOnce() -> Result<()>,
    ) -> Result<UploadSummary>
    where
        F: Fn(u32, (u64, u64)) -> Fut,
        Fut: Future<Output = Result<UploadedPart>>,
    {
        let plan = ctx.plan()?;
        let result = async {
            let parts: Vec<UploadedPart> = futures::stream::iter(plan.parts())
                .map(|layout| {
                    let span = (layout.offset(), layout.len());
                    let send = &send;
                    async move {
                        let part =
                            crate::resumable::with_part_retries(|| send(layout.number(), span))
                                .await?;
                        progress.add(span.1);
                        Ok::<_, Error>(part)
                    }
                })
                .buffer_unordered(self.inner.options.concurrency)
                .try_collect()
                .await?;
            unchanged()?;
            self.complete_multipart_upload(ctx, &parts).await
        }
        .await;
        match result {
            Ok(done) => Ok(UploadSummary {
                etag: done.etag,
                crc64: done.crc64,
                size: plan.data_size(),
                parts: plan.part_count(),
                spooled: false,
            }),
            Err(e) => {
                if let Err(abort) = self.abort_multipart_upload(ctx).await {
                    tracing::warn!("could not abort upload {}: {abort}", ctx.upload_id);
                }
                Err(e)
            }
        }
    }
}

fn single(etag: String, crc64: Option<u64>, size: u64, spooled: bool) -> UploadSummary {
    UploadSummary {
        etag,
        crc64,
        size,
        parts: 0,
        spooled,
    }
}

/// Reads up to `budget` bytes; returns them and whether the stream ended within them. The
/// read stops at the first chunk past the budget (that chunk is kept).
async fn read_head(stream: &mut PlainStream, budget: u64) -> Result<(Bytes, bool)> {
    // Reserved once (pages are touched only as data arrives): growing by doubling would
    // briefly hold the old and the new buffer.
    let reserve = usize::try_from(budget)
        .unwrap_or(usize::MAX)
        .saturating_add(CHUNK);
    let mut head = bytes::BytesMut::with_capacity(reserve);
    while (head.len() as u64) <= budget {
        match stream.next().await {
            Some(chunk) => head.extend_from_slice(&chunk?),
            None => return Ok((head.freeze(), true)),
        }
    }
    Ok((head.freeze(), false))
}

/// The ciphertext spool: a private temp file removed when dropped.
struct Spool {
    path: PathBuf,
}

impl Spool {
    async fn create(dir: Option<&Path>) -> Result<Self> {
        static SEQ: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);
        let dir = dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos();
        let seq = SEQ.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        let name = format!(".oss-crypto-spool-{}-{nanos:08x}-{seq}", std::process::id());
        let spool = Self {
            path: dir.join(name),
        };
        // Created once here (0600); the writer reopens it.
        crate::create_private_file(&spool.path).await?;
        Ok(spool)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!("could not remove spool {}: {e}", self.path.display());
        }
    }
}

/// What the spool received: plaintext length and MD5 (when asked for).
struct Spooled {
    len: u64,
    md5: Option<[u8; 16]>,
}

/// Encrypts `head` and the rest of `stream` into the spool, from keystream offset 0.
async fn spool_ciphertext(
    spool: &Spool,
    head: Bytes,
    stream: PlainStream,
    material: &ContentMaterial,
    mut md5: Option<Md5>,
    progress: &Option<Arc<ProgressFn>>,
) -> Result<Spooled> {
    let file = crate::create_private_file(&spool.path).await?;
    let mut file = tokio::io::BufWriter::with_capacity(CHUNK, file);
    let mut cipher = ContentCipher::new(material);
    let mut len = 0_u64;
    // The head is encrypted in place (it is the only handle); stream chunks as they come.
    let mut chunks = futures::stream::iter([Ok(head)]).chain(stream);
    while let Some(chunk) = chunks.next().await {
        let mut buf = bytes::BytesMut::from(chunk?);
        if let Some(md5) = &mut md5 {
            md5.update(&buf);
        }
        cipher.apply_keystream(&mut buf);
        file.write_all(&buf).await?;
        len += buf.len() as u64;
        if let Some(callback) = progress {
            callback(len, 0);
        }
    }
    file.flush().await?;
    file.into_inner().sync_all().await?;
    Ok(Spooled {
        len,
        md5: md5.map(|m| m.finalize().into()),
    })
}

/// The put options with the computed MD5: a given one must match it.
fn with_md5(put: &PutOptions, computed: Option<[u8; 16]>) -> Result<PutOptions> {
    let Some(computed) = computed else {
        return Ok(put.clone());
    };
    if let Some(given) = put.content_md5.as_deref()
        && parse_md5(given)? != computed
    {
        return Err(IntegrityError::Md5.into());
    }
    let text = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, computed);
    Ok(put.clone().with_content_md5(text))
}

/// A replayable payload of `len` stored (already encrypted) bytes of the spool from `offset`.
fn stored_payload(path: PathBuf, offset: u64, len: u64, progress: Option<&Progress>) -> PutPayload {
    let factory: oss_client::StreamFactory =
        Arc::new(move || file_stream(path.clone(), offset, len));
    PutPayload::from_stream_factory(len, Progress::maybe_replayable(progress, factory))
}
