//! Request bodies in (hashed while streaming, checked against `Content-MD5` and a hex
//! `x-oss-content-sha256`) and response bodies out through the fault filter (reset after K
//! bytes, one corrupted byte).

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt as _};
use http::{HeaderValue, StatusCode, header};
use md5::{Digest as _, Md5};
use sha2::Sha256;
use tokio::sync::mpsc;

use super::{OssState, Req};
use crate::etag::{BodyDigest, BodyHasher};
use crate::faults::FaultAction;
use crate::oss_error::{OssError, OssResult};
use crate::server::ConnAbort;
use crate::store::Data;

/// A received body: where its bytes are and their digests.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) data: Data,
    pub(crate) digest: BodyDigest,
}

/// A SHA-256 the client declared for its body in `x-oss-content-sha256` (64 hex digits
/// instead of `UNSIGNED-PAYLOAD`): the V4 signature covers that value, so the body must match
/// it (oss-api.md §4, a SHOULD for the dev server).
struct DeclaredSha256 {
    expected: Vec<u8>,
    hasher: Sha256,
}

impl DeclaredSha256 {
    fn of(req: &Req) -> Option<Self> {
        let value = req.header("x-oss-content-sha256")?;
        let expected = hex::decode(value).ok().filter(|d| d.len() == 32)?;
        Some(Self {
            expected,
            hasher: Sha256::new(),
        })
    }

    fn check(self) -> OssResult<()> {
        if self.hasher.finalize().as_slice() == self.expected.as_slice() {
            return Ok(());
        }
        Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "InvalidDigest",
            "The x-oss-content-sha256 you specified did not match the body.",
        ))
    }
}

fn io_error(e: &std::io::Error) -> OssError {
    OssError::internal(format!("storage error: {e}"))
}

/// Flips one bit of `chunk` at `at` if the chunk covers that offset.
fn corrupt(chunk: Bytes, chunk_offset: u64, at: u64) -> Bytes {
    let Some(index) = at
        .checked_sub(chunk_offset)
        .and_then(|i| usize::try_from(i).ok())
    else {
        return chunk;
    };
    if index >= chunk.len() {
        return chunk;
    }
    let mut owned = BytesMut::from(chunk);
    if let Some(byte) = owned.get_mut(index) {
        *byte ^= 0x01;
    }
    owned.freeze()
}

/// MD5 on a blocking thread fed through a bounded channel, so hashing overlaps with receiving
/// (MD5 is sequential and slower than loopback; CRC-64 stays inline, it is much faster).
/// Chunks are handed over in batches of about this many bytes: hyper delivers small chunks,
/// and one thread wake-up per chunk would cost more than the hashing.
const MD5_BATCH: usize = 1024 * 1024;

struct Md5Worker {
    tx: mpsc::Sender<Vec<Bytes>>,
    batch: Vec<Bytes>,
    batch_len: usize,
    done: tokio::task::JoinHandle<[u8; 16]>,
}

impl Md5Worker {
    fn spawn() -> Self {
        let (tx, mut rx) = mpsc::channel::<Vec<Bytes>>(8);
        let done = tokio::task::spawn_blocking(move || {
            let mut md5 = Md5::new();
            while let Some(batch) = rx.blocking_recv() {
                for chunk in batch {
                    md5.update(&chunk);
                }
            }
            md5.finalize().into()
        });
        Self {
            tx,
            batch: Vec::new(),
            batch_len: 0,
            done,
        }
    }

    async fn push(&mut self, chunk: Bytes) {
        self.batch_len += chunk.len();
        self.batch.push(chunk);
        if self.batch_len >= MD5_BATCH {
            self.batch_len = 0;
            // A closed channel means the worker died; finish() then reports it.
            let _ = self.tx.send(core::mem::take(&mut self.batch)).await;
        }
    }

    async fn finish(mut self) -> Option<[u8; 16]> {
        if !self.batch.is_empty() {
            let _ = self.tx.send(core::mem::take(&mut self.batch)).await;
        }
        drop(self.tx);
        self.done.await.ok()
    }
}

/// Streams the request body into the store's sink, computing MD5 and CRC-64 on the way, and
/// applies request-side faults. Checks `Content-MD5` when present. In fast-ETag mode the MD5
/// is skipped unless the client sent `Content-MD5`.
pub(crate) async fn receive(state: &OssState, req: &Req, body: Body) -> OssResult<Received> {
    let declared = req
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > state.max_put_size) {
        return Err(OssError::entity_too_large());
    }
    let mut sink = state
        .store
        .sink()
        .await
        .map_err(|e| OssError::from_store(e, req.bucket(), req.key()))?;
    let mut hasher = BodyHasher::default();
    let mut md5 = (!state.fast_etags || req.header("content-md5").is_some()).then(Md5Worker::spawn);
    let mut sha256 = DeclaredSha256::of(req);
    let mut stream = body.into_data_stream();
    let fault = req.body_fault().cloned();
    let mut offset = 0u64;
    while let Some(chunk) = stream.next().await {
        let Ok(mut chunk) = chunk else {
            sink.abandon().await;
            return Err(OssError::new(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "The request body ended early.",
            ));
        };
        let len = chunk.len() as u64;
        match fault {
            Some(FaultAction::CorruptByte(at)) => chunk = corrupt(chunk, offset, at),
            Some(FaultAction::ResetAfter(k)) if offset + len >= k => {
                sink.abandon().await;
                req.abort.abort();
                return core::future::pending().await;
            }
            _ => {}
        }
        hasher.update_crc(&chunk);
        if let Some(declared) = &mut sha256 {
            declared.hasher.update(&chunk);
        }
        if let Some(worker) = &mut md5 {
            worker.push(chunk.clone()).await;
        }
        offset += len;
        if offset > state.max_put_size {
            // A chunked body without Content-Length: refused once it passes the limit.
            sink.abandon().await;
            return Err(OssError::entity_too_large());
        }
        if let Err(e) = sink.write(chunk).await {
            return Err(io_error(&e));
        }
    }
    let mut digest = hasher.finish();
    digest.md5 = match md5 {
        Some(worker) => match worker.finish().await {
            Some(md5) => Some(md5),
            None => return Err(OssError::internal("md5 worker failed")),
        },
        None => None,
    };
    if let Some(md5) = req.header("content-md5")
        && STANDARD.decode(md5.trim()).ok() != digest.md5.map(Vec::from)
    {
        sink.abandon().await;
        return Err(OssError::invalid_digest());
    }
    if let Some(declared) = sha256
        && let Err(e) = declared.check()
    {
        sink.abandon().await;
        return Err(e);
    }
    let data = sink.finish().await.map_err(|e| io_error(&e))?;
    Ok(Received { data, digest })
}

/// Reads a small request body (XML) into memory, checking `Content-MD5` when present.
pub(crate) async fn read_small(req: &Req, body: Body, limit: usize) -> OssResult<Bytes> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        OssError::new(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "The request body is too large.",
        )
    })?;
    if let Some(md5) = req.header("content-md5") {
        let mut h = BodyHasher::default();
        h.update(&bytes);
        if STANDARD.decode(md5.trim()).ok() != h.finish().md5.map(Vec::from) {
            return Err(OssError::invalid_digest());
        }
    }
    if let Some(mut declared) = DeclaredSha256::of(req) {
        declared.hasher.update(&bytes);
        declared.check()?;
    }
    Ok(bytes)
}

/// Wraps a response body with a reset or corruption fault.
pub(crate) fn fault_response(response: Response, fault: FaultAction, abort: ConnAbort) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(len) = body.size_hint().exact() {
        parts
            .headers
            .entry(header::CONTENT_LENGTH)
            .or_insert_with(|| HeaderValue::from(len));
    }
    let stream = faulty(body.into_data_stream(), fault, abort);
    Response::from_parts(parts, Body::from_stream(stream))
}

fn faulty<S>(
    inner: S,
    fault: FaultAction,
    abort: ConnAbort,
) -> impl Stream<Item = Result<Bytes, axum::Error>>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Unpin + Send + 'static,
{
    futures::stream::unfold((inner, 0u64, false), move |(mut inner, offset, done)| {
        let fault = fault.clone();
        let abort = abort.clone();
        async move {
            if done {
                // Everything before the reset point was handed to hyper and flushed when this
                // poll went pending; dropping the connection now cuts the body there.
                abort.abort();
                return core::future::pending().await;
            }
            let chunk = match inner.next().await? {
                Ok(chunk) => chunk,
                Err(e) => return Some((Err(e), (inner, offset, true))),
            };
            let len = chunk.len() as u64;
            match fault {
                FaultAction::ResetAfter(k) if offset + len >= k => {
                    let keep = usize::try_from(k - offset).unwrap_or(chunk.len());
                    Some((Ok(chunk.slice(..keep)), (inner, offset + len, true)))
                }
                FaultAction::CorruptByte(at) => {
                    Some((Ok(corrupt(chunk, offset, at)), (inner, offset + len, false)))
                }
                _ => Some((Ok(chunk), (inner, offset + len, false))),
            }
        }
    })
}
