//! Resumable upload of a file: multipart with a paced checkpoint of the finished parts; a
//! restart reuses the upload and its finished parts, or starts over when the file changed.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use futures::{StreamExt as _, TryStreamExt as _};

use super::ResumableOptions;
use crate::bucket::CryptoBucket;
use crate::checkpoint::{self, DonePart, FileStamp, Fit, PacedSaver, UploadCheckpoint};
use crate::context::MultipartContext;
use crate::error::{Error, Result};
use crate::multipart::UploadedPart;
use crate::progress::Progress;
use crate::put::{PutOptions, PutSource};

/// Result of a resumable upload.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadOutput {
    /// ETag of the object.
    pub etag: String,
    /// CRC-64 of the stored ciphertext.
    pub crc64: Option<u64>,
    /// Parts uploaded by this call (0 for a single PutObject).
    pub parts_uploaded: usize,
    /// Parts taken over from a checkpoint.
    pub parts_resumed: usize,
}

type Shared = Arc<Mutex<UploadCheckpoint>>;

impl CryptoBucket {
    /// Uploads a file, resumably. Files up to one part go as a single PutObject; larger ones
    /// as a multipart upload with `concurrency` parts in flight, each streamed from the file
    /// (memory stays near concurrency × chunk size), and a checkpoint saved after every part.
    ///
    /// # Errors
    ///
    /// [`Error::Checkpoint`] for a corrupt checkpoint or one of another transfer;
    /// [`Error::Io`], [`Error::Client`], [`Error::KeyWrap`], [`Error::Integrity`];
    /// [`Error::SourceChanged`] when the file changed during the upload. The checkpoint
    /// survives errors, for a retry.
    pub async fn resumable_upload(
        &self,
        key: &str,
        file: &Path,
        options: &ResumableOptions,
    ) -> Result<UploadOutput> {
        let stamp = FileStamp::of(file)?;
        let part_size = self.inner.options.part_size;
        if stamp.size <= part_size {
            let progress = Progress::new(stamp.size, 0, options.progress.clone());
            let source = PutSource::File(file.to_owned());
            let put = self
                .put_object_reporting(key, source, &options.put, Some(&progress))
                .await?;
            return Ok(UploadOutput {
                etag: put.etag,
                crc64: put.crc64,
                parts_uploaded: 0,
                parts_resumed: 0,
            });
        }
        let cp_path = self.checkpoint_path(options, "upload", key, file)?;
        let options = &ResumableOptions {
            put: self.with_file_md5(file, &options.put).await?,
            ..options.clone()
        };
        let (cp, resumed) = self
            .open_upload(key, file, stamp, &cp_path, options)
            .await?;
        let ctx = cp.upload.clone();
        // A resumed upload needs its data key: fail before any part if it cannot be had.
        self.upload_material(&ctx.upload_id, &ctx.envelope()?)
            .await?;
        let shared: Shared = Arc::new(Mutex::new(cp));
        let progress = Progress::new(stamp.size, done_bytes(&shared), options.progress.clone());
        let todo: Vec<u32> = ctx
            .plan()?
            .parts()
            .map(|p| p.number())
            .filter(|n| !is_done(&shared, *n))
            .collect();
        let uploaded = todo.len();
        self.upload_parts(&ctx, file, todo, &shared, &cp_path, &progress)
            .await?;
        if FileStamp::of(file)? != stamp {
            return Err(Error::SourceChanged {
                path: file.to_owned(),
            });
        }
        let parts = finished_parts(&shared);
        let done = self.complete_multipart_upload(&ctx, &parts).await?;
        checkpoint::remove(&cp_path)?;
        Ok(UploadOutput {
            etag: done.etag,
            crc64: done.crc64,
            parts_uploaded: uploaded,
            parts_resumed: resumed,
        })
    }

    /// The put options with the file's MD5 as `content_md5` when one is wanted: a caller's
    /// value is checked against the file before anything is sent, or one is computed.
    pub(crate) async fn with_file_md5(&self, file: &Path, put: &PutOptions) -> Result<PutOptions> {
        let given = put
            .content_md5
            .as_deref()
            .map(crate::put::parse_md5)
            .transpose()?;
        if given.is_none() && !self.inner.options.compute_md5 {
            return Ok(put.clone());
        }
        let actual = crate::put::file_md5(file.to_owned()).await?;
        if given.is_some_and(|g| g != actual) {
            return Err(crate::error::IntegrityError::Md5.into());
        }
        let mut put = put.clone();
        put.content_md5 = Some(base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            actual,
        ));
        Ok(put)
    }

    /// Loads a fitting checkpoint (keeping the parts the server still has) or starts a new
    /// upload; returns the checkpoint and how many parts it already had.
    async fn open_upload(
        &self,
        key: &str,
        file: &Path,
        stamp: FileStamp,
        cp_path: &Path,
        options: &ResumableOptions,
    ) -> Result<(UploadCheckpoint, usize)> {
        if let Some(mut cp) = checkpoint::load::<UploadCheckpoint>(cp_path)? {
            let bucket = self.inner.client.bucket();
            match cp.fit(bucket, key, file, stamp)? {
                Fit::Resume => match self.list_parts(&cp.upload).await {
                    Ok(server) => {
                        cp.parts.retain(|p| {
                            server
                                .iter()
                                .any(|s| s.number == p.number && Some(&s.etag) == p.etag.as_ref())
                        });
                        let resumed = cp.parts.len();
                        return Ok((cp, resumed));
                    }
                    Err(e) if is_gone(&e) => {
                        tracing::info!("upload {} is gone; starting over", cp.upload.upload_id)
                    }
                    Err(e) => return Err(e),
                },
                Fit::Stale => {
                    tracing::info!(
                        "{} changed since the checkpoint; starting over",
                        file.display()
                    );
                    let _ = self.abort_multipart_upload(&cp.upload).await;
                }
            }
            checkpoint::remove(cp_path)?;
        }
        let ctx = self
            .initiate_multipart_upload(key, stamp.size, None, &options.put)
            .await?;
        let cp = UploadCheckpoint::new(self.inner.client.bucket(), file, stamp, ctx);
        checkpoint::save(cp_path, &cp)?;
        Ok((cp, 0))
    }

    /// Uploads the parts `todo`, `concurrency` at a time; on failure the checkpoint is saved
    /// once more so that no finished part is lost.
    async fn upload_parts(
        &self,
        ctx: &MultipartContext,
        file: &Path,
        todo: Vec<u32>,
        shared: &Shared,
        cp_path: &Path,
        progress: &Progress,
    ) -> Result<()> {
        let saver = PacedSaver::new(cp_path);
        let sent = futures::stream::iter(todo)
            .map(|number| {
                let saver = &saver;
                super::with_part_retries(move || {
                    self.upload_file_part(ctx, file, number, shared, saver, progress)
                })
            })
            .buffer_unordered(self.inner.options.concurrency)
            .try_collect::<Vec<()>>()
            .await;
        if let Err(e) = sent {
            if let Err(save) = saver.save_now(|| snapshot(shared)).await {
                tracing::warn!("could not save the upload checkpoint: {save}");
            }
            return Err(e);
        }
        Ok(())
    }

    async fn upload_file_part(
        &self,
        ctx: &MultipartContext,
        file: &Path,
        number: u32,
        shared: &Shared,
        saver: &PacedSaver,
        progress: &Progress,
    ) -> Result<()> {
        let layout = ctx.plan()?.part(number)?;
        let source = PutSource::FileRange {
            path: file.to_owned(),
            offset: layout.offset(),
            len: layout.len(),
        };
        let part = self.upload_part(ctx, number, source).await?;
        {
            let mut cp = shared.lock().unwrap_or_else(PoisonError::into_inner);
            cp.parts.retain(|p| p.number != number);
            cp.parts.push(DonePart {
                number,
                size: part.size,
                crc64: part.crc64,
                etag: Some(part.etag),
            });
            cp.parts.sort_by_key(|p| p.number);
        }
        saver.save_if_due(|| snapshot(shared)).await?;
        progress.add(layout.len());
        Ok(())
    }

    /// The checkpoint file of a transfer: the caller's, or one derived from the transfer.
    pub(crate) fn checkpoint_path(
        &self,
        options: &ResumableOptions,
        kind: &str,
        key: &str,
        local: &Path,
    ) -> Result<std::path::PathBuf> {
        if let Some(path) = &options.checkpoint {
            return Ok(path.clone());
        }
        let local = std::path::absolute(local)?;
        let dir = self.inner.options.checkpoint_dir();
        Ok(checkpoint::path_for(
            &dir,
            kind,
            self.inner.client.bucket(),
            key,
            &local,
        ))
    }
}

/// The checkpoint as it stands (the parts are on the server: nothing to sync first).
async fn snapshot(shared: &Shared) -> Result<UploadCheckpoint> {
    Ok(shared
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone())
}

fn is_done(shared: &Shared, number: u32) -> bool {
    let cp = shared.lock().unwrap_or_else(PoisonError::into_inner);
    cp.parts.iter().any(|p| p.number == number)
}

fn done_bytes(shared: &Shared) -> u64 {
    let cp = shared.lock().unwrap_or_else(PoisonError::into_inner);
    cp.parts.iter().map(|p| p.size).sum()
}

fn finished_parts(shared: &Shared) -> Vec<UploadedPart> {
    let cp = shared.lock().unwrap_or_else(PoisonError::into_inner);
    cp.parts
        .iter()
        .filter_map(|p| {
            Some(UploadedPart {
                number: p.number,
                etag: p.etag.clone()?,
                crc64: p.crc64,
                size: p.size,
            })
        })
        .collect()
}

/// Whether an error says the upload no longer exists.
fn is_gone(e: &Error) -> bool {
    matches!(e, Error::Client(c) if c.is_not_found())
}
