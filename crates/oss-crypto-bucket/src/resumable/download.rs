//! Resumable download to a file: parallel ranged GETs pinned to the ETag with `If-Match`,
//! each checked against the envelope and ETag of the HEAD the plan was made from (a
//! checkpoint made under another envelope is discarded, after a GET confirmed the HEAD),
//! decrypted into a temp file at their offsets, a paced checkpoint (saved only after the data
//! it vouches for is synced), the part CRCs combined and checked against the object's, and a
//! rename only after every check passed.

mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt as _, TryStreamExt as _};
use md5::{Digest as _, Md5};
use oss_envelope::{
    ByteRange, ContentCipher, ContentMaterial, MultipartPlan, PartLayout, RangeWindow,
};

use self::writer::{BufferPool, PartWriter};
use super::ResumableOptions;
use crate::bucket::{CryptoBucket, ObjectEnvelope};
use crate::checkpoint::{self, DonePart, DownloadCheckpoint, DownloadIdentity, Fit, PacedSaver};
use crate::error::{Error, IntegrityError, ReadKind, ResponseError, Result};
use crate::get::{GetOptions, client_range};
use crate::pin::Pin;
use crate::progress::Progress;
use oss_client::{Crc64, crc64_fold};

/// Result of a resumable download.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DownloadOutput {
    /// Plaintext bytes written.
    pub size: u64,
    /// The object's envelope.
    pub envelope: ObjectEnvelope,
    /// Parts fetched by this call (0 for a single GET).
    pub parts_downloaded: usize,
    /// Parts taken over from a checkpoint.
    pub parts_resumed: usize,
    /// Why a checkpoint found for this download was discarded (the object changed, or was
    /// rewrapped under another envelope, since it was written), if one was.
    pub discarded_checkpoint: Option<String>,
}

type Shared = Arc<Mutex<DownloadCheckpoint>>;

/// What every part download needs.
struct Job<'a> {
    key: &'a str,
    /// The envelope and ETag of the HEAD the plan was made from.
    pin: &'a Pin,
    size: u64,
    /// The temp file, written at part offsets by all parts and synced through this handle.
    file: Arc<std::fs::File>,
    pool: BufferPool,
    material: Option<&'a ContentMaterial>,
    shared: &'a Shared,
    saver: &'a PacedSaver,
    progress: &'a Progress,
}

impl CryptoBucket {
    /// Downloads and decrypts an object into `dest`, resumably.
    ///
    /// # Errors
    ///
    /// [`Error::Checkpoint`], [`Error::Integrity`] (combined CRC or MD5 mismatch: the temp
    /// file and checkpoint are dropped so the next call starts clean), [`Error::Range`],
    /// [`Error::Client`] (412 when the object changed), [`Error::KeyWrap`], [`Error::Io`];
    /// [`IntegrityError::Envelope`] or [`IntegrityError::ETag`] when a response's envelope or
    /// ETag is not the HEAD's (a rewriting proxy, a server ignoring `If-Match`): nothing of
    /// that response is written and the checkpoint keeps the parts done so far.
    /// `dest` is replaced only after every check passed; a symbolic link to a regular file is
    /// kept and its target replaced. A `dest` that is not a regular file (`/dev/null`, a FIFO)
    /// is refused with [`Error::NotAFile`] before any request: parts are written out of order into
    /// a temp file and kept for a resume, which a stream cannot hold. Stream such targets with
    /// [`get_object_to_file`](Self::get_object_to_file).
    pub async fn resumable_download(
        &self,
        key: &str,
        dest: &Path,
        options: &ResumableOptions,
    ) -> Result<DownloadOutput> {
        let dest = &match crate::destination::destination(dest)? {
            crate::Destination::File(path) => path,
            crate::Destination::Stream(path) => return Err(Error::NotAFile { path }),
        };
        let head = self.head_object(key).await?;
        let etag = head
            .meta
            .etag()
            .ok_or(ResponseError::missing("HEAD", "ETag"))?
            .to_owned();
        let pin = Pin::of(&head.meta.headers);
        let size = head.size;
        let part_size = crate::options::fit_part_size(self.inner.options.part_size, size);
        if size <= part_size {
            return self.download_whole(key, dest, &pin, size, options).await;
        }
        let material = self.unwrap(&head.envelope).await?;
        let plan = MultipartPlan::new(size, part_size)?;
        let cp_path = self.checkpoint_path(options, "download", key, dest)?;
        let temp = download_temp(dest);
        let identity = DownloadIdentity {
            bucket: self.inner.client.bucket().to_owned(),
            key: key.to_owned(),
            file: dest.to_owned(),
            etag,
            object_size: size,
            part_size,
            envelope: pin.envelope().to_vec(),
        };
        let (cp, resumed, discarded) = self.open_download(identity, &pin, &temp, &cp_path).await?;
        let shared: Shared = Arc::new(Mutex::new(cp));
        let done: Vec<u32> = lock(&shared).parts.iter().map(|p| p.number).collect();
        let progress = Progress::new(
            size,
            lock(&shared).parts.iter().map(|p| p.size).sum(),
            options.progress.clone(),
        );
        let todo: Vec<PartLayout> = plan
            .parts()
            .filter(|p| !done.contains(&p.number()))
            .collect();
        let downloaded = todo.len();
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(&temp)
            .await?
            .into_std()
            .await;
        let job = Job {
            key,
            pin: &pin,
            size,
            file: Arc::new(file),
            pool: BufferPool::default(),
            material: material.as_ref(),
            shared: &shared,
            saver: &PacedSaver::new(&cp_path),
            progress: &progress,
        };
        job.run(self, todo).await?;
        let expected = (head.meta.crc64(), head.envelope.plaintext_md5());
        finish(&job, expected, &temp, dest, &cp_path).await?;
        Ok(DownloadOutput {
            size,
            envelope: head.envelope,
            parts_downloaded: downloaded,
            parts_resumed: resumed,
            discarded_checkpoint: discarded,
        })
    }

    /// An object of one part: a single GET pinned to `etag`, through a temp file.
    async fn download_whole(
        &self,
        key: &str,
        dest: &Path,
        pin: &Pin,
        size: u64,
        options: &ResumableOptions,
    ) -> Result<DownloadOutput> {
        let get = GetOptions::default().with_headers(pin.if_match()?);
        let out = self.get_pinned_to_file(key, dest, &get, Some(pin)).await?;
        Progress::new(size, 0, options.progress.clone()).add(size);
        Ok(DownloadOutput {
            size,
            envelope: out.envelope,
            parts_downloaded: 0,
            parts_resumed: 0,
            discarded_checkpoint: None,
        })
    }

    /// Loads the checkpoint of the download `wanted` if it still fits (same object, layout,
    /// envelope, and a temp file of the object's size), or starts one with a fresh temp file;
    /// returns it, how many parts it already had, and why a found one was discarded.
    async fn open_download(
        &self,
        wanted: DownloadIdentity,
        pin: &Pin,
        temp: &Path,
        cp_path: &Path,
    ) -> Result<(DownloadCheckpoint, usize, Option<String>)> {
        let size = wanted.object_size;
        let mut discarded = None;
        if let Some(cp) = checkpoint::load::<DownloadCheckpoint>(cp_path)? {
            let temp_ok = tokio::fs::metadata(temp)
                .await
                .is_ok_and(|m| m.len() == size);
            let same_object = cp.fit(&wanted)? == Fit::Resume && temp_ok;
            let recorded = Pin::recorded(cp.identity.envelope.clone(), &cp.identity.etag);
            if same_object && recorded.same_envelope(pin) {
                let resumed = cp.parts.len();
                return Ok((cp, resumed, None));
            }
            let reason = if same_object {
                // The HEAD alone may lie: a GET must agree before the parts are given up.
                self.confirm_pin(&wanted.key, pin).await?;
                "the object's envelope changed since the checkpoint (rewrapped or rewritten)"
            } else {
                "the object or the temp file changed since the checkpoint"
            };
            tracing::warn!("{reason}; discarding the checkpoint and starting over");
            discarded = Some(format!("{reason}; the checkpoint was discarded"));
            checkpoint::remove(cp_path)?;
        }
        let file = crate::private_file::create_private_file(temp).await?;
        file.set_len(size).await?;
        file.sync_all().await?;
        let cp = DownloadCheckpoint::new(wanted);
        checkpoint::save(cp_path, &cp)?;
        Ok((cp, 0, discarded))
    }
}

impl Job<'_> {
    /// Downloads `todo`, `concurrency` parts at a time; on failure the checkpoint is saved
    /// once more so that no finished part is lost.
    async fn run(&self, bucket: &CryptoBucket, todo: Vec<PartLayout>) -> Result<()> {
        let fetched = futures::stream::iter(todo)
            .map(|layout| super::with_part_retries(move || self.part(bucket, layout)))
            .buffer_unordered(bucket.inner.options.concurrency)
            .try_collect::<Vec<()>>()
            .await;
        if let Err(e) = fetched {
            if let Err(save) = self.saver.save_now(|| self.synced_snapshot()).await {
                tracing::warn!("could not save the download checkpoint: {save}");
            }
            return Err(e);
        }
        Ok(())
    }

    /// Fetches one part with a ranged GET pinned to the ETag, checks its envelope, ETag and
    /// `Content-Range`, decrypts it into the temp file, and records it.
    async fn part(&self, bucket: &CryptoBucket, layout: PartLayout) -> Result<()> {
        let (start, len) = (layout.offset(), layout.len());
        let plan = ByteRange::bounded(start, start + len - 1)?.plan(Some(self.size))?;
        let headers = self.pin.if_match()?;
        let request = oss_client::GetOptions::default()
            .with_range(client_range(plan.request()))
            .with_standard_range_behavior(true)
            .with_headers(&headers);
        let (meta, body) = bucket
            .inner
            .client
            .get_object(self.key, &request)
            .await?
            .into_parts();
        self.pin.check(&meta.headers)?;
        if meta.status != 206 {
            return Err(ResponseError::Status {
                read: ReadKind::Part(layout.number()),
                expected: 206,
                actual: meta.status,
            }
            .into());
        }
        let content_range = meta
            .header("content-range")
            .ok_or(ResponseError::missing("206", "Content-Range"))?;
        let window = plan.validate_header(content_range)?;
        let mut cipher = self
            .material
            .map(|m| ContentCipher::at_offset(m, window.keystream_offset()));
        let mut file = PartWriter::new(Arc::clone(&self.file), &self.pool, start);
        let copied = copy_body(body, &mut file, cipher.as_mut(), &window, len).await;
        if copied.is_err() {
            // Let this attempt's last write land now, not after the retry's.
            file.abandon().await;
        }
        let crc = copied?;
        {
            let mut cp = lock(self.shared);
            cp.parts.retain(|p| p.number != layout.number());
            cp.parts.push(DonePart {
                number: layout.number(),
                size: len,
                crc64: Some(crc.value()),
                etag: None,
            });
            cp.parts.sort_by_key(|p| p.number);
        }
        self.saver.save_if_due(|| self.synced_snapshot()).await?;
        self.progress.add(len);
        Ok(())
    }

    /// The checkpoint as it stands, taken before syncing the temp file so that every part it
    /// lists is on disk before the checkpoint says so.
    async fn synced_snapshot(&self) -> Result<DownloadCheckpoint> {
        let snapshot = lock(self.shared).clone();
        sync_data(&self.file).await?;
        Ok(snapshot)
    }
}

/// Streams a part's body through the CRC (of the ciphertext) and the cipher into `file`;
/// returns the CRC once the length is checked and every byte reached the OS (the sync comes
/// with the next checkpoint save).
async fn copy_body(
    mut body: BoxStream<'static, oss_client::Result<Bytes>>,
    file: &mut PartWriter<'_>,
    mut cipher: Option<&mut ContentCipher>,
    window: &RangeWindow,
    len: u64,
) -> Result<Crc64> {
    let (mut crc, mut received) = (Crc64::default(), 0_u64);
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        received += chunk.len() as u64;
        if received > len {
            break;
        }
        crc.update(&chunk);
        file.push(&chunk, cipher.as_deref_mut()).await?;
    }
    window.check_body_len(received)?;
    file.finish().await?;
    Ok(crc)
}

/// Syncs the temp file's data to disk, on the blocking pool.
async fn sync_data(file: &Arc<std::fs::File>) -> Result<()> {
    let file = Arc::clone(file);
    tokio::task::spawn_blocking(move || file.sync_data())
        .await
        .map_err(std::io::Error::other)??;
    Ok(())
}

/// Checks the finished temp file against the object's CRC-64 and plaintext MD5, then renames
/// it over `dest`. A failed check drops the temp file and the checkpoint, so the next call
/// starts clean.
async fn finish(
    job: &Job<'_>,
    (crc64, md5): (Option<u64>, Option<[u8; 16]>),
    temp: &Path,
    dest: &Path,
    cp_path: &Path,
) -> Result<()> {
    if let Err(e) = verify(job.shared, crc64, md5, temp).await {
        let _ = tokio::fs::remove_file(temp).await;
        checkpoint::remove(cp_path)?;
        return Err(e);
    }
    // The file must be durable before it takes the place of `dest`.
    sync_data(&job.file).await?;
    tokio::fs::rename(temp, dest).await?;
    checkpoint::remove(cp_path)
}

/// Combines the part CRCs and checks them against the object's, then the plaintext MD5.
async fn verify(
    shared: &Shared,
    object_crc: Option<u64>,
    md5: Option<[u8; 16]>,
    temp: &Path,
) -> Result<()> {
    let parts: Vec<(u64, u64)> = lock(shared)
        .parts
        .iter()
        .map(|p| (p.crc64.unwrap_or_default(), p.size))
        .collect();
    if let Some(expected) = object_crc {
        IntegrityError::check_crc64(expected, crc64_fold(parts))?;
    }
    if let Some(expected) = md5 {
        let mut file = tokio::fs::File::open(temp).await?;
        let mut hasher = Md5::new();
        let mut buf = vec![0_u8; 1 << 20];
        loop {
            let n = tokio::io::AsyncReadExt::read(&mut file, &mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(buf.get(..n).unwrap_or_default());
        }
        if hasher.finalize().as_slice() != expected {
            return Err(IntegrityError::Md5.into());
        }
    }
    Ok(())
}

/// The temp file of a download: beside `dest`, with a fixed name so a restart finds it.
fn download_temp(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.oss-download"))
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, DownloadCheckpoint> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}
