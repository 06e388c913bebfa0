//! The body stream of a GET: counts bytes, CRCs whole-object reads, and resumes a body that
//! breaks mid-way with `Range: bytes=<next>-<last>` + `If-Match: <ETag>`, so nothing the caller
//! already has is sent again (oss-api.md §11).

use bytes::Bytes;
use futures::StreamExt as _;
use futures::stream::BoxStream;
use http::{HeaderMap, HeaderValue, Method};

use crate::client::Client;
use crate::client::response::{ContentRange, ObjectMeta};
use crate::client::send::OssRequest;
use crate::crc::Crc64;
use crate::error::{Error, RangeProblem, Result};
use crate::ops::get::ByteRange;

const OP: &str = "GetObject";

/// Headers of the original request that a resumed request must not repeat.
const DROPPED: [&str; 6] = [
    "range",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "if-unmodified-since",
    "x-oss-range-behavior",
];

pub(crate) struct Download {
    client: Client,
    key: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    etag: Option<String>,
    body: BoxStream<'static, reqwest::Result<Bytes>>,
    /// Absolute offset of the first byte this download delivers.
    start: u64,
    /// Absolute offset of the next byte.
    next: u64,
    /// Absolute end (exclusive), when known.
    end: Option<u64>,
    /// Running CRC and the expected whole-object CRC.
    crc: Option<(Crc64, u64)>,
    resume: bool,
    resumes: u32,
    done: bool,
}

impl Download {
    /// The download of `response` to `req`; `requested` is the range the caller asked for
    /// (`None`: the whole object, or a `Range` the caller set as a raw header).
    ///
    /// # Errors
    ///
    /// [`Error::ContentRange`] for a 206 whose `Content-Range` is missing, malformed or not
    /// the range asked for: the body is never placed at a guessed offset.
    pub(crate) fn new(
        client: Client,
        key: &str,
        req: &OssRequest<'_>,
        meta: &ObjectMeta,
        requested: Option<ByteRange>,
        response: reqwest::Response,
        resume: bool,
    ) -> Result<Self> {
        let (next, end) = if meta.status == 206 {
            let (first, last) =
                partial_span(meta, requested).map_err(|problem| Error::ContentRange {
                    operation: OP,
                    problem,
                })?;
            (first, Some(last + 1))
        } else {
            (0, meta.content_length())
        };
        let whole = next == 0 && end.is_some() && end == meta.object_size();
        let crc = (client.inner.check_crc && whole)
            .then(|| meta.crc64())
            .flatten()
            .map(|c| (Crc64::new(), c));
        let mut headers = req.headers.clone();
        for name in DROPPED {
            headers.remove(name);
        }
        Ok(Self {
            client,
            key: key.to_owned(),
            query: req.query.clone(),
            headers,
            etag: meta.etag().map(str::to_owned),
            body: response.bytes_stream().boxed(),
            start: next,
            next,
            end,
            crc,
            resume,
            resumes: 0,
            done: false,
        })
    }

    pub(crate) fn into_stream(self) -> BoxStream<'static, Result<Bytes>> {
        futures::stream::unfold(self, |mut d| async move {
            if d.done {
                return None;
            }
            let item = d.step().await;
            match item {
                Some(Err(_)) => d.done = true,
                None => return None,
                Some(Ok(_)) => {}
            }
            item.map(|i| (i, d))
        })
        .boxed()
    }

    /// The next chunk, an error, or the end.
    async fn step(&mut self) -> Option<Result<Bytes>> {
        loop {
            match self.body.next().await {
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => return Some(self.accept(chunk)),
                Some(Err(e)) => {
                    let cause = match self.end {
                        Some(end) => {
                            Error::body_cut(OP, self.next - self.start, end - self.start, e)
                        }
                        None => Error::transport(OP, e),
                    };
                    if let Err(e) = self.resume(cause).await {
                        return Some(Err(e));
                    }
                }
                None => {
                    if let Some(end) = self.end.filter(|e| self.next < *e) {
                        let short = Error::BodyLength {
                            operation: OP,
                            expected: end,
                            actual: self.next,
                        };
                        if let Err(e) = self.resume(short).await {
                            return Some(Err(e));
                        }
                        continue;
                    }
                    self.done = true;
                    return self.final_check().err().map(Err);
                }
            }
        }
    }

    fn accept(&mut self, chunk: Bytes) -> Result<Bytes> {
        self.next += chunk.len() as u64;
        if let Some(end) = self.end.filter(|e| self.next > *e) {
            return Err(Error::BodyLength {
                operation: OP,
                expected: end,
                actual: self.next,
            });
        }
        if let Some((crc, _)) = &mut self.crc {
            crc.update(&chunk);
        }
        Ok(chunk)
    }

    fn final_check(&self) -> Result<()> {
        match &self.crc {
            Some((crc, server)) if crc.value() != *server => Err(Error::CrcMismatch {
                operation: OP,
                server: *server,
                client: crc.value(),
            }),
            _ => Ok(()),
        }
    }

    /// Re-requests the rest of the body after `cause`, or returns `cause` when that is not
    /// possible (resumption off, no ETag, unknown length, budget spent).
    async fn resume(&mut self, cause: Error) -> Result<()> {
        let retry = self.client.inner.retry;
        let (Some(etag), Some(end)) = (self.etag.clone(), self.end) else {
            return Err(cause);
        };
        if !self.resume || !retry.allows_another(self.resumes) {
            return Err(cause);
        }
        tracing::debug!(key = %self.key, offset = self.next, error = %cause, "resuming download");
        retry.wait(self.resumes).await;
        self.resumes += 1;
        let mut req = OssRequest::new(OP, Method::GET, Some(&self.key));
        req.query = self.query.clone();
        req.headers = self.headers.clone();
        let range = HeaderValue::try_from(format!("bytes={}-{}", self.next, end - 1))
            .map_err(|_| Error::InvalidArgument("range".into()))?;
        let if_match =
            HeaderValue::try_from(etag).map_err(|_| Error::invalid_response(OP, "bad ETag"))?;
        req.headers.insert("range", range);
        req.headers
            .insert("x-oss-range-behavior", HeaderValue::from_static("standard"));
        req.headers.insert("if-match", if_match);
        let response = self
            .client
            .run(&req, |r| futures::future::ready(Ok(r)))
            .await?;
        let meta = ObjectMeta::new(response.status().as_u16(), response.headers().clone());
        if meta.status != 206 {
            return Err(Error::invalid_response(
                OP,
                format!("resumed read answered {} instead of 206", meta.status),
            ));
        }
        let requested = ByteRange::Inclusive(self.next, end - 1);
        partial_span(&meta, Some(requested)).map_err(|problem| Error::ContentRange {
            operation: OP,
            problem,
        })?;
        self.body = response.bytes_stream().boxed();
        Ok(())
    }
}

/// First and last byte of a 206 answer, checked: its `Content-Range` parses strictly, is
/// satisfied, agrees with `Content-Length` when present, and is what a conforming server
/// sends for `requested` (when the range is known).
fn partial_span(
    meta: &ObjectMeta,
    requested: Option<ByteRange>,
) -> Result<(u64, u64), RangeProblem> {
    let received = meta
        .content_range()
        .map_err(RangeProblem::Malformed)?
        .ok_or(RangeProblem::Missing)?;
    let ContentRange::Satisfied { first, last, size } = received else {
        return Err(RangeProblem::Unsatisfied { received });
    };
    if let Some(content_length) = meta.content_length()
        && content_length != received.len()
    {
        return Err(RangeProblem::LengthMismatch {
            content_length,
            received,
        });
    }
    if let Some(requested) = requested
        && requested.span(size) != Some((first, last))
    {
        return Err(RangeProblem::NotRequested {
            requested,
            received,
        });
    }
    Ok((first, last))
}
