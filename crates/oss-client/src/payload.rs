//! Request bodies: bytes, a stream of known length (one-shot or replayable), or a file.
//! Every body is counted and CRC-64'd while it is sent.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt as _};

use crate::crc::Crc64;
use crate::error::{Error, Result};

/// A stream of body chunks.
pub type ByteStream = BoxStream<'static, io::Result<Bytes>>;

/// Builds a fresh stream of the same bytes on every call (for retries).
pub type StreamFactory = Arc<dyn Fn() -> ByteStream + Send + Sync>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    OneShot(Arc<Mutex<Option<ByteStream>>>),
    Factory(StreamFactory),
    File(PathBuf),
}

/// The body of a PUT or UploadPart, with its exact length.
#[derive(Clone)]
pub struct PutPayload {
    source: Source,
    len: u64,
}

impl fmt::Debug for PutPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::OneShot(_) => "stream",
            Source::Factory(_) => "replayable stream",
            Source::File(_) => "file",
        };
        f.debug_struct("PutPayload")
            .field("kind", &kind)
            .field("len", &self.len)
            .finish()
    }
}

impl PutPayload {
    /// An empty body.
    pub fn empty() -> Self {
        Self::from_bytes(Bytes::new())
    }

    /// A body held in memory (replayable).
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Self {
            len: bytes.len() as u64,
            source: Source::Bytes(bytes),
        }
    }

    /// A stream that can be read once, of exactly `len` bytes. Not retried.
    pub fn from_stream(stream: ByteStream, len: u64) -> Self {
        Self {
            source: Source::OneShot(Arc::new(Mutex::new(Some(stream)))),
            len,
        }
    }

    /// A stream of exactly `len` bytes that `factory` can produce again for each retry.
    pub fn from_stream_factory(len: u64, factory: StreamFactory) -> Self {
        Self {
            source: Source::Factory(factory),
            len,
        }
    }

    /// A local file, read in chunks (replayable: reopened on every attempt).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be inspected.
    pub async fn from_file(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let len = tokio::fs::metadata(&path).await?.len();
        Ok(Self {
            source: Source::File(path),
            len,
        })
    }

    /// Exact length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the body can be sent again after a failed attempt.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::OneShot(_))
    }

    /// The in-memory bytes, if the body is held in memory.
    pub(crate) fn as_bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// A stream for one attempt.
    pub(crate) async fn open(&self, operation: &'static str) -> Result<ByteStream> {
        match &self.source {
            Source::Bytes(b) => {
                Ok(futures::stream::once(futures::future::ready(Ok(b.clone()))).boxed())
            }
            Source::OneShot(slot) => slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .ok_or_else(|| {
                    Error::InvalidArgument(format!("{operation}: one-shot body already consumed"))
                }),
            Source::Factory(f) => Ok(f()),
            Source::File(path) => {
                let file = tokio::fs::File::open(path).await?;
                Ok(tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024).boxed())
            }
        }
    }
}

/// The CRC of what a [`CrcStream`] passed on, and any length violation it saw.
#[derive(Debug, Default)]
pub(crate) struct CrcState {
    crc: Crc64,
    length_error: Option<(u64, u64)>,
}

impl CrcState {
    /// CRC of the bytes passed on.
    pub(crate) fn value(&self) -> u64 {
        self.crc.value()
    }

    /// `(declared, seen)` when the stream broke its declared length.
    pub(crate) fn length_error(&self) -> Option<(u64, u64)> {
        self.length_error
    }
}

/// Shared between the stream (inside reqwest) and the retry loop.
pub(crate) type SharedCrc = Arc<Mutex<CrcState>>;

/// Passes chunks through, updating a shared CRC, and fails if the stream yields more or fewer
/// bytes than announced (a wrong length must never reach the server as a valid object).
pub(crate) struct CrcStream {
    inner: ByteStream,
    crc: SharedCrc,
    expected: u64,
    seen: u64,
    failed: bool,
}

impl CrcStream {
    pub(crate) fn new(inner: ByteStream, expected: u64) -> (Self, SharedCrc) {
        let crc = SharedCrc::default();
        (
            Self {
                inner,
                crc: Arc::clone(&crc),
                expected,
                seen: 0,
                failed: false,
            },
            crc,
        )
    }
}

impl Stream for CrcStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.failed {
            return Poll::Ready(None);
        }
        match this.inner.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.seen += chunk.len() as u64;
                let mut state = this.crc.lock().unwrap_or_else(PoisonError::into_inner);
                if this.seen > this.expected {
                    state.length_error = Some((this.expected, this.seen));
                    this.failed = true;
                    return Poll::Ready(Some(Err(length_error(this.expected, this.seen))));
                }
                state.crc.update(&chunk);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) if this.seen != this.expected => {
                let mut state = this.crc.lock().unwrap_or_else(PoisonError::into_inner);
                state.length_error = Some((this.expected, this.seen));
                this.failed = true;
                Poll::Ready(Some(Err(length_error(this.expected, this.seen))))
            }
            other => other,
        }
    }
}

fn length_error(expected: u64, seen: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("body length mismatch: declared {expected}, stream gave {seen}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> ByteStream {
        futures::stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        )
        .boxed()
    }

    #[tokio::test]
    async fn crc_stream_counts_and_checks_length() {
        let (s, crc) = CrcStream::new(chunks(&[b"1234", b"56789"]), 9);
        let all: Vec<_> = s.collect().await;
        assert!(all.iter().all(Result::is_ok));
        assert_eq!(crc.lock().unwrap().value(), crate::crc::crc64(b"123456789"));
        let (s, state) = CrcStream::new(chunks(&[b"1234"]), 9);
        assert!(s.collect::<Vec<_>>().await.last().unwrap().is_err());
        assert_eq!(state.lock().unwrap().length_error(), Some((9, 4)));
        let (s, _) = CrcStream::new(chunks(&[b"1234", b"56789"]), 5);
        assert!(s.collect::<Vec<_>>().await.iter().any(Result::is_err));
    }

    #[tokio::test]
    async fn one_shot_is_not_replayable() {
        let p = PutPayload::from_stream(chunks(&[b"ab"]), 2);
        assert!(!p.is_replayable());
        assert!(p.open("t").await.is_ok());
        assert!(p.open("t").await.is_err());
        let f: StreamFactory = Arc::new(|| chunks(&[b"ab"]));
        let p = PutPayload::from_stream_factory(2, f);
        assert!(p.is_replayable() && p.open("t").await.is_ok() && p.open("t").await.is_ok());
        assert!(format!("{p:?}").contains("replayable"));
    }
}
