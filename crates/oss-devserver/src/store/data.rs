//! Object bytes: memory chunks or a file, written through a [`Sink`] and read as a stream.

use core::sync::atomic::{AtomicBool, Ordering};
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt as _};
use tokio::fs::File;
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};
use tokio_util::io::ReaderStream;

/// A stream of body bytes.
pub(crate) type ByteStream = BoxStream<'static, io::Result<Bytes>>;

/// Read size for file-backed objects.
const FILE_CHUNK: usize = 256 * 1024;

/// Bytes kept in memory as received: a list of chunks plus their cumulative end offsets.
#[derive(Debug, Default)]
pub(crate) struct Chunks {
    chunks: Vec<Bytes>,
    ends: Vec<u64>,
}

impl Chunks {
    fn push(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        let end = self.len() + chunk.len() as u64;
        self.chunks.push(chunk);
        self.ends.push(end);
    }

    fn len(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }

    /// The chunks covering `start .. start + len`, sliced at both ends (no copying).
    fn slice(&self, start: u64, len: u64) -> Vec<Bytes> {
        let end = start.saturating_add(len).min(self.len());
        let first = self.ends.partition_point(|&e| e <= start);
        let mut out = Vec::new();
        for (i, chunk) in self.chunks.iter().enumerate().skip(first) {
            let chunk_end = self.ends.get(i).copied().unwrap_or(0);
            let chunk_start = chunk_end - chunk.len() as u64;
            if chunk_start >= end {
                break;
            }
            let from = usize::try_from(start.saturating_sub(chunk_start)).unwrap_or(0);
            let to = usize::try_from(end.min(chunk_end) - chunk_start).unwrap_or(chunk.len());
            out.push(chunk.slice(from..to));
        }
        out
    }
}

/// A file holding object or part bytes, shared by every clone of its [`Data`]. A discarded
/// file is removed when the last clone goes away, so a request that looked it up before it was
/// replaced or deleted still opens it (and, once open, reads it to the end: Unix semantics).
#[derive(Debug)]
pub(crate) struct StoredFile {
    path: PathBuf,
    discarded: AtomicBool,
}

impl Drop for StoredFile {
    fn drop(&mut self) {
        if *self.discarded.get_mut() {
            // Best effort: a leftover file is cleaned up at the next start.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Where an object's (or part's) bytes are.
#[derive(Debug, Clone)]
pub(crate) enum Data {
    Memory(Arc<Chunks>),
    File(Arc<StoredFile>),
}

impl Data {
    /// Bytes in the file at `path`.
    pub(crate) fn file(path: PathBuf) -> Self {
        Self::File(Arc::new(StoredFile {
            path,
            discarded: AtomicBool::new(false),
        }))
    }

    /// The file holding the bytes, for file data.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Self::Memory(_) => None,
            Self::File(file) => Some(&file.path),
        }
    }

    /// Streams `len` bytes from `start`.
    pub(crate) async fn stream(&self, start: u64, len: u64) -> io::Result<ByteStream> {
        match self {
            Self::Memory(chunks) => {
                let parts = chunks.slice(start, len);
                Ok(stream::iter(parts.into_iter().map(Ok)).boxed())
            }
            Self::File(stored) => {
                let mut file = File::open(&stored.path).await?;
                file.seek(SeekFrom::Start(start)).await?;
                Ok(ReaderStream::with_capacity(file.take(len), FILE_CHUNK).boxed())
            }
        }
    }

    /// Concatenates several pieces into one (multipart completion).
    pub(crate) async fn concat(pieces: &[(Self, u64)], mut sink: Sink) -> io::Result<Self> {
        for (piece, len) in pieces {
            let mut stream = piece.stream(0, *len).await?;
            while let Some(chunk) = stream.next().await {
                sink.write(chunk?).await?;
            }
        }
        sink.finish().await
    }

    /// Marks the bytes as no longer referenced by the store: a file is removed once the last
    /// request reading it is done (memory data just drops).
    pub(crate) fn discard(&self) {
        if let Self::File(stored) = self {
            stored.discarded.store(true, Ordering::Relaxed);
        }
    }
}

/// Receives bytes for a new object or part.
#[derive(Debug)]
pub(crate) enum Sink {
    Memory(Chunks),
    File { file: File, path: PathBuf },
}

impl Sink {
    pub(crate) fn memory() -> Self {
        Self::Memory(Chunks::default())
    }

    pub(crate) async fn file(path: PathBuf) -> io::Result<Self> {
        let file = File::create(&path).await?;
        Ok(Self::File { file, path })
    }

    pub(crate) async fn write(&mut self, chunk: Bytes) -> io::Result<()> {
        match self {
            Self::Memory(chunks) => {
                chunks.push(chunk);
                Ok(())
            }
            Self::File { file, .. } => file.write_all(&chunk).await,
        }
    }

    /// Completes the bytes: file data is flushed to stable storage before anyone can see it.
    pub(crate) async fn finish(self) -> io::Result<Data> {
        match self {
            Self::Memory(chunks) => Ok(Data::Memory(Arc::new(chunks))),
            Self::File { mut file, path } => {
                file.flush().await?;
                file.sync_all().await?;
                Ok(Data::file(path))
            }
        }
    }

    /// Drops a sink that will not be committed (a failed or aborted upload).
    pub(crate) async fn abandon(self) {
        if let Self::File { file, path } = self {
            drop(file);
            let _ = tokio::fs::remove_file(path).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> Chunks {
        let mut c = Chunks::default();
        for p in parts {
            c.push(Bytes::from_static(p));
        }
        c
    }

    fn flat(v: Vec<Bytes>) -> Vec<u8> {
        v.iter().flat_map(|b| b.iter().copied()).collect()
    }

    #[test]
    fn slices_every_range_like_a_flat_buffer() {
        let c = chunks(&[b"abc", b"", b"defg", b"h", b"ijklmn"]);
        let whole = b"abcdefghijklmn";
        assert_eq!(c.len(), 14);
        for start in 0..=14u64 {
            for len in 0..=16u64 {
                let s = usize::try_from(start).unwrap();
                let e = usize::try_from((start + len).min(14)).unwrap();
                assert_eq!(flat(c.slice(start, len)), whole[s..e], "{start} {len}");
            }
        }
    }
}
