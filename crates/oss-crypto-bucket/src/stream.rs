//! Stream adapters: decrypt (or pass through) a GET body chunk by chunk with the checks of
//! spec §11.2, and encrypt a plaintext stream for PUT/UploadPart while counting its length and
//! MD5 (the request's CRC-64 is oss-client's). Memory stays bounded by one chunk (plus one held
//! back).

use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use futures::Stream;
use md5::{Digest, Md5};

use crate::error::{Error, IntegrityError, Result};
use oss_client::Crc64;

/// A keystream positioned at the first byte of the body (the adapter over the envelope cipher).
pub(crate) trait Keystream: Send + 'static {
    /// XORs the next `data.len()` keystream bytes into `data`.
    fn apply(&mut self, data: &mut [u8]);
}

/// A boxed plaintext stream, as handed to callers.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// What a finished GET body is checked against.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ReadChecks {
    /// Bytes the server announced for this body.
    pub(crate) length: u64,
    /// Expected CRC-64 of the received bytes (full reads only).
    pub(crate) crc64: Option<u64>,
    /// Expected MD5 of the plaintext (full reads only).
    pub(crate) md5: Option<[u8; 16]>,
}

/// Decrypts a GET body, drops the first `skip` bytes (range widening), and verifies length,
/// CRC-64 and MD5 at the end. The last chunk is held back until the checks pass, so a caller
/// never sees the whole body of a failed read.
pub(crate) struct DecryptStream<S> {
    inner: S,
    cipher: Option<Box<dyn Keystream>>,
    skip: u64,
    checks: ReadChecks,
    received: u64,
    crc: Option<Crc64>,
    md5: Option<Md5>,
    pending: Option<Bytes>,
    done: bool,
}

impl<S> DecryptStream<S> {
    /// Wraps `inner`; `cipher` is `None` for objects without an envelope.
    pub(crate) fn new(
        inner: S,
        cipher: Option<Box<dyn Keystream>>,
        skip: u64,
        checks: ReadChecks,
    ) -> Self {
        Self {
            inner,
            cipher,
            skip,
            crc: checks.crc64.map(|_| Crc64::default()),
            md5: checks.md5.map(|_| Md5::new()),
            checks,
            received: 0,
            pending: None,
            done: false,
        }
    }

    fn process(&mut self, chunk: Bytes) -> Result<Option<Bytes>> {
        self.received += chunk.len() as u64;
        if self.received > self.checks.length {
            return Err(IntegrityError::Length {
                expected: self.checks.length,
                actual: self.received,
            }
            .into());
        }
        if let Some(crc) = &mut self.crc {
            crc.update(&chunk);
        }
        let mut plain = match &mut self.cipher {
            Some(cipher) => {
                let mut buf = chunk
                    .try_into_mut()
                    .unwrap_or_else(|shared| BytesMut::from(&shared[..]));
                cipher.apply(&mut buf);
                buf.freeze()
            }
            None => chunk,
        };
        if let Some(md5) = &mut self.md5 {
            md5.update(&plain);
        }
        let drop = usize::try_from(self.skip)
            .unwrap_or(usize::MAX)
            .min(plain.len());
        self.skip -= drop as u64;
        let _ = plain.split_to(drop);
        Ok((!plain.is_empty()).then_some(plain))
    }

    fn finish(&mut self) -> Result<()> {
        if self.received != self.checks.length {
            return Err(IntegrityError::Length {
                expected: self.checks.length,
                actual: self.received,
            }
            .into());
        }
        if let (Some(expected), Some(crc)) = (self.checks.crc64, &self.crc) {
            IntegrityError::check_crc64(expected, crc.value())?;
        }
        if let (Some(expected), Some(md5)) = (self.checks.md5, self.md5.take())
            && md5.finalize().as_slice() != expected
        {
            return Err(IntegrityError::Md5.into());
        }
        Ok(())
    }
}

impl<S, E> Stream for DecryptStream<S>
where
    S: Stream<Item = core::result::Result<Bytes, E>> + Unpin,
    E: Into<Error>,
{
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match ready!(Pin::new(&mut this.inner).poll_next(cx)) {
                Some(Ok(chunk)) => match this.process(chunk) {
                    Ok(Some(plain)) => {
                        if let Some(previous) = this.pending.replace(plain) {
                            return Poll::Ready(Some(Ok(previous)));
                        }
                    }
                    Ok(None) => {}
                    Err(e) => return this.fail(e),
                },
                Some(Err(e)) => return this.fail(e.into()),
                None => {
                    this.done = true;
                    return match this.finish() {
                        Ok(()) => Poll::Ready(this.pending.take().map(Ok)),
                        Err(e) => Poll::Ready(Some(Err(e))),
                    };
                }
            }
        }
    }
}

impl<S> DecryptStream<S> {
    fn fail(&mut self, e: Error) -> Poll<Option<Result<Bytes>>> {
        self.done = true;
        self.pending = None;
        Poll::Ready(Some(Err(e)))
    }
}

/// What an encrypting stream saw, readable after the body was sent.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    /// Plaintext (= ciphertext) bytes.
    pub(crate) len: u64,
    /// The check that ended the stream, if one did.
    pub(crate) failure: Option<IntegrityError>,
}

/// Shared handle on a [`Tally`].
pub(crate) type TallyHandle = Arc<Mutex<Tally>>;

/// Reads a tally (a poisoned lock still holds valid counters).
pub(crate) fn read_tally(handle: &TallyHandle) -> Tally {
    handle
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

/// Encrypts a plaintext stream, enforcing an exact length and a caller-supplied MD5. A
/// violation ends the stream with an error, so the request body is never completed.
pub(crate) struct EncryptStream<S> {
    inner: S,
    cipher: Box<dyn Keystream>,
    length: Option<u64>,
    md5: Option<(Md5, [u8; 16])>,
    tally: TallyHandle,
    seen: u64,
    /// The latest chunk, released only when the next one arrives or the checks passed: the
    /// HTTP layer stops reading once the declared length was sent, so a check that fails
    /// after the last byte went out would come too late.
    pending: Option<Bytes>,
    done: bool,
}

impl<S> EncryptStream<S> {
    /// Wraps `inner`; `length` and `md5` are enforced when given.
    pub(crate) fn new(
        inner: S,
        cipher: Box<dyn Keystream>,
        length: Option<u64>,
        md5: Option<[u8; 16]>,
    ) -> (Self, TallyHandle) {
        let tally = TallyHandle::default();
        let stream = Self {
            inner,
            cipher,
            length,
            md5: md5.map(|m| (Md5::new(), m)),
            tally: Arc::clone(&tally),
            seen: 0,
            pending: None,
            done: false,
        };
        (stream, tally)
    }

    fn encrypt(&mut self, chunk: Bytes) -> Result<Bytes> {
        self.seen += chunk.len() as u64;
        if let Some(expected) = self.length.filter(|&l| self.seen > l) {
            return Err(IntegrityError::Length {
                expected,
                actual: self.seen,
            }
            .into());
        }
        if let Some((md5, _)) = &mut self.md5 {
            md5.update(&chunk);
        }
        let mut buf = chunk
            .try_into_mut()
            .unwrap_or_else(|shared| BytesMut::from(&shared[..]));
        self.cipher.apply(&mut buf);
        let mut tally = self.tally.lock().unwrap_or_else(PoisonError::into_inner);
        // No CRC here: oss-client computes the request body's CRC-64 and checks it against the
        // server's (a second one, never read, cost about 3 % of an encrypted upload's CPU).
        tally.len += buf.len() as u64;
        Ok(buf.freeze())
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(expected) = self.length.filter(|&l| l != self.seen) {
            return Err(IntegrityError::Length {
                expected,
                actual: self.seen,
            }
            .into());
        }
        if let Some((md5, expected)) = self.md5.take()
            && md5.finalize().as_slice() != expected
        {
            return Err(IntegrityError::Md5.into());
        }
        Ok(())
    }
}

impl<S, E> Stream for EncryptStream<S>
where
    S: Stream<Item = core::result::Result<Bytes, E>> + Unpin,
    E: Into<Error>,
{
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let item = match ready!(Pin::new(&mut this.inner).poll_next(cx)) {
                Some(Ok(chunk)) => this.encrypt(chunk).map(Some),
                Some(Err(e)) => Err(e.into()),
                None => this.finish().map(|()| None),
            };
            match item {
                Ok(Some(chunk)) => {
                    if let Some(previous) = this.pending.replace(chunk) {
                        return Poll::Ready(Some(Ok(previous)));
                    }
                }
                Ok(None) => {
                    this.done = true;
                    return Poll::Ready(this.pending.take().map(Ok));
                }
                Err(e) => return Poll::Ready(Some(Err(this.fail(e)))),
            }
        }
    }
}

impl<S> EncryptStream<S> {
    fn fail(&mut self, e: Error) -> Error {
        self.done = true;
        self.pending = None;
        if let Error::Integrity(failure) = &e {
            let mut tally = self.tally.lock().unwrap_or_else(PoisonError::into_inner);
            tally.failure = Some(failure.clone());
        }
        e
    }
}

#[cfg(test)]
mod tests;

impl Keystream for oss_envelope::ContentCipher {
    fn apply(&mut self, data: &mut [u8]) {
        self.apply_keystream(data);
    }
}
