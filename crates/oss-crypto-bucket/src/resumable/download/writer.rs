//! Positional writes of a part's plaintext into the temp file, from the blocking pool.
//!
//! Each body chunk is copied once, into a batch buffer, and decrypted there while it is still
//! in cache; a full batch goes to the blocking pool as an owned buffer and is written at its
//! offset (no cursor, no seek, no second copy into a runtime buffer) while the next one fills.
//! Buffers come back to a pool shared by the download's parts, so memory stays at most two
//! batches per part in flight and nothing is reallocated per part.

use std::fs::File;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::BytesMut;
use oss_envelope::ContentCipher;
use tokio::task::JoinHandle;

/// Bytes per positional write.
const BATCH: usize = 1 << 20;

/// Batch buffers no part holds at the moment, for the next part to fill.
#[derive(Debug, Default)]
pub(super) struct BufferPool {
    free: Mutex<Vec<BytesMut>>,
}

impl BufferPool {
    fn take(&self) -> BytesMut {
        self.free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_else(|| BytesMut::with_capacity(BATCH))
    }

    fn put(&self, mut buf: BytesMut) {
        buf.clear();
        self.free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(buf);
    }
}

/// Writes one part's plaintext at its offsets, one batch filling while the previous is written.
pub(super) struct PartWriter<'a> {
    file: Arc<File>,
    pool: &'a BufferPool,
    /// File offset of `batch`'s first byte.
    offset: u64,
    batch: BytesMut,
    /// The batch being written; it hands its buffer back when done.
    in_flight: Option<JoinHandle<io::Result<BytesMut>>>,
}

impl Drop for PartWriter<'_> {
    fn drop(&mut self) {
        self.pool.put(core::mem::take(&mut self.batch));
    }
}

impl<'a> PartWriter<'a> {
    /// A writer whose first byte goes to `offset` of `file`.
    pub(super) fn new(file: Arc<File>, pool: &'a BufferPool, offset: u64) -> Self {
        let batch = pool.take();
        Self {
            file,
            pool,
            offset,
            batch,
            in_flight: None,
        }
    }

    /// Appends `chunk`, decrypted with `cipher` when there is one, writing full batches.
    ///
    /// # Errors
    ///
    /// The error of a previous batch's write.
    pub(super) async fn push(
        &mut self,
        mut chunk: &[u8],
        mut cipher: Option<&mut ContentCipher>,
    ) -> io::Result<()> {
        while !chunk.is_empty() {
            let room = BATCH.saturating_sub(self.batch.len()).min(chunk.len());
            let (now, rest) = chunk.split_at(room);
            let start = self.batch.len();
            self.batch.extend_from_slice(now);
            if let (Some(cipher), Some(fresh)) =
                (cipher.as_deref_mut(), self.batch.get_mut(start..))
            {
                cipher.apply_keystream(fresh);
            }
            chunk = rest;
            if self.batch.len() >= BATCH {
                self.submit().await?;
            }
        }
        Ok(())
    }

    /// Writes what is left and waits for every write: once this returns `Ok`, all the part's
    /// bytes reached the OS.
    ///
    /// # Errors
    ///
    /// The first write error.
    pub(super) async fn finish(&mut self) -> io::Result<()> {
        if !self.batch.is_empty() {
            self.submit().await?;
        }
        self.wait().await
    }

    /// Waits for the write in flight, whatever its outcome, and drops the unwritten rest: a
    /// failed attempt's bytes must not land after those of the retry that replaces it.
    pub(super) async fn abandon(&mut self) {
        self.batch.clear();
        if let Err(e) = self.wait().await {
            tracing::debug!("write of an abandoned part attempt failed: {e}");
        }
    }

    /// Sends the batch to the blocking pool once the previous write is done.
    async fn submit(&mut self) -> io::Result<()> {
        self.wait().await?;
        let batch = core::mem::replace(&mut self.batch, self.pool.take());
        let (file, offset) = (Arc::clone(&self.file), self.offset);
        self.offset += batch.len() as u64;
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            write_all_at(&file, &batch, offset)?;
            Ok(batch)
        }));
        Ok(())
    }

    /// Waits for the write in flight and takes its buffer back.
    async fn wait(&mut self) -> io::Result<()> {
        if let Some(write) = self.in_flight.take() {
            let buf = write.await.map_err(io::Error::other)??;
            self.pool.put(buf);
        }
        Ok(())
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, buf, offset) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                buf = buf.get(n..).unwrap_or_default();
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
