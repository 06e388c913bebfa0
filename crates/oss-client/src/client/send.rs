//! One request, signed and sent, with retries (oss-api.md §11): re-signed on every attempt,
//! bodies replayed from the start, upload CRCs compared with the server's.

use core::future::Future;

use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http::{HeaderMap, HeaderValue, Method};

use super::Client;
use super::response::ObjectMeta;
use crate::crc::crc64;
use crate::error::{Error, Result};
use crate::payload::{CrcStream, PutPayload};
use crate::xml::parse_error_body;

/// Error bodies larger than this are cut (they are small XML documents).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Successful non-object bodies (listings, multipart and copy results) larger than this are
/// refused: a 1000-key listing with the longest keys stays well below it.
const MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// A request to send.
#[derive(Debug)]
pub(crate) struct OssRequest<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// `None` for bucket-level requests.
    pub(crate) key: Option<&'a str>,
    /// Decoded query pairs.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<&'a PutPayload>,
    /// Whether sending it twice is harmless.
    pub(crate) idempotent: bool,
    /// Whether `x-oss-hash-crc64ecma` of the response describes the request body.
    pub(crate) body_crc: bool,
}

impl<'a> OssRequest<'a> {
    pub(crate) fn new(operation: &'static str, method: Method, key: Option<&'a str>) -> Self {
        Self {
            operation,
            method,
            key,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            idempotent: true,
            body_crc: false,
        }
    }

    pub(crate) fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }
}

impl Client {
    /// Sends with retries; `finish` turns a successful response into the result (reading the
    /// body inside the retry loop, so a body cut mid-way is retried too).
    pub(crate) async fn run<T, F, Fut>(&self, req: &OssRequest<'_>, finish: F) -> Result<T>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let replayable = req.body.is_none_or(PutPayload::is_replayable);
        let finish = &finish;
        self.inner
            .retry
            .run(
                oss_transport::host_of(self.inner.endpoint.base()),
                req.operation,
                |e: &Error| req.idempotent && replayable && e.is_retryable(),
                |_| async move { finish(self.attempt(req).await?).await },
            )
            .await
    }

    /// Sends and reads the whole (small, capped) response body.
    pub(crate) async fn run_full(&self, req: &OssRequest<'_>) -> Result<(ObjectMeta, Bytes)> {
        let op = req.operation;
        self.run(req, |response| async move {
            let meta = ObjectMeta::new(response.status().as_u16(), response.headers().clone());
            let mut body = Vec::new();
            oss_transport::read_capped(response, MAX_RESPONSE_BODY, &mut body)
                .await
                .map_err(|e| Error::body(op, e))?;
            Ok((meta, Bytes::from(body)))
        })
        .await
    }

    /// One attempt: sign, send, classify the status, check the upload CRC.
    async fn attempt(&self, req: &OssRequest<'_>) -> Result<reqwest::Response> {
        let op = req.operation;
        let creds = self.inner.credentials.credentials().await?;
        let mut headers = req.headers.clone();
        let (body, local_crc) = match req.body {
            None => (None, None),
            Some(payload) => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(payload.len()));
                if let Some(bytes) = payload.as_bytes() {
                    (
                        Some(reqwest::Body::from(bytes.clone())),
                        Some(LocalCrc::Known(crc64(bytes))),
                    )
                } else {
                    let (stream, shared) = CrcStream::new(payload.open(op).await?, payload.len());
                    (
                        Some(reqwest::Body::wrap_stream(stream)),
                        Some(LocalCrc::Shared(shared)),
                    )
                }
            }
        };
        self.inner.signer.sign(
            &creds,
            req.method.as_str(),
            req.key,
            &req.query,
            &mut headers,
            self.now(),
        )?;
        let url = self.inner.endpoint.url(req.key, &req.query);
        let mut builder = self
            .inner
            .http
            .request(req.method.clone(), url)
            .headers(headers);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                return Err(local_crc
                    .and_then(|c| c.length_error(op))
                    .unwrap_or_else(|| Error::transport(op, e)));
            }
        };
        tracing::debug!(
            operation = op,
            method = %req.method,
            key = req.key.unwrap_or(""),
            status = response.status().as_u16(),
            request_id = response
                .headers()
                .get("x-oss-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
            "oss response"
        );
        if !response.status().is_success() {
            return Err(self.error_from(op, response).await);
        }
        if req.body_crc && self.inner.check_crc {
            let server = response
                .headers()
                .get("x-oss-hash-crc64ecma")
                .and_then(|v| v.to_str().ok())
                .and_then(crate::crc::parse_header);
            if let (Some(server), Some(local)) = (server, local_crc.map(|c| c.value()))
                && server != local
            {
                return Err(Error::CrcMismatch {
                    operation: op,
                    server,
                    client: local,
                });
            }
        }
        Ok(response)
    }

    /// Turns a non-2xx response into an error, learning the server clock on skew errors.
    async fn error_from(&self, op: &'static str, response: reqwest::Response) -> Error {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let body = oss_transport::read_truncated(response, MAX_ERROR_BODY).await;
        let e = parse_error_body(
            status,
            header("x-oss-request-id"),
            header("x-oss-ec"),
            header("x-oss-err"),
            &body,
        );
        if e.code == "RequestTimeTooSkewed"
            && let Some(date) = header("date")
        {
            self.learn_clock(date);
        }
        tracing::debug!(operation = op, status, code = %e.code, request_id = %e.request_id, "oss error response");
        Error::from_service(e)
    }
}

/// The CRC of what was sent: known up front for bytes, accumulated for streams.
enum LocalCrc {
    Known(u64),
    Shared(crate::payload::SharedCrc),
}

impl LocalCrc {
    fn value(&self) -> u64 {
        match self {
            Self::Known(v) => *v,
            Self::Shared(s) => s
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .value(),
        }
    }

    /// A body-length error recorded by the stream, which no retry can fix.
    fn length_error(&self, operation: &'static str) -> Option<Error> {
        match self {
            Self::Known(_) => None,
            Self::Shared(s) => {
                let state = s.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                state
                    .length_error()
                    .map(|(expected, actual)| Error::BodyLength {
                        operation,
                        expected,
                        actual,
                    })
            }
        }
    }
}
