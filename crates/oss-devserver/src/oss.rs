//! The OSS REST endpoint: one handler that resolves the addressed bucket and key, identifies the
//! operation, verifies the signature, applies fault rules and dispatches.

mod body;
mod bucket;
mod copy;
mod cse;
mod list;
mod multipart;
mod object;
mod op;
mod range;
mod tamper;

use core::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use crate::addressing::{self, Query, Target};
use crate::auth::Verifier;
use crate::config::{CseStrictness, DevServerConfig};
use crate::credentials::CredentialStore;
use crate::faults::{FaultAction, FaultInjector};
use crate::oss_error::{OssError, OssResult};
use crate::server::ConnAbort;
use crate::setup_error::{Error, Result};
use crate::store::{Store, now_ms};

pub(crate) use op::Operation;

/// Shared state of the OSS endpoint.
#[derive(Debug)]
pub(crate) struct OssState {
    pub(crate) store: Store,
    verifier: Verifier,
    faults: FaultInjector,
    bases: Vec<String>,
    pub(crate) cse: CseStrictness,
    pub(crate) fast_etags: bool,
    pub(crate) max_put_size: u64,
    pub(crate) region: String,
    request_seq: AtomicU64,
    run_id: u64,
}

/// Builds the OSS router (opening the store and creating the configured buckets).
///
/// # Errors
///
/// Storage setup errors and invalid configured bucket names.
pub(crate) async fn router(
    config: &DevServerConfig,
    credentials: CredentialStore,
    faults: FaultInjector,
) -> Result<Router> {
    let store = Store::open(config.data_dir.clone()).map_err(|source| Error::DataDir {
        path: config.data_dir.clone().unwrap_or_default(),
        source,
    })?;
    for bucket in &config.buckets {
        if !bucket::valid_name(bucket) {
            return Err(Error::InvalidBucketName(bucket.clone()));
        }
        store
            .create_bucket(bucket)
            .await
            .map_err(|e| Error::DataDir {
                path: config.data_dir.clone().unwrap_or_default(),
                source: std::io::Error::other(e.to_string()),
            })?;
    }
    let state = OssState {
        store,
        verifier: Verifier::new(
            credentials,
            config.region.clone(),
            config.max_skew,
            config.fixed_clock,
        ),
        faults,
        bases: config
            .virtual_host_bases
            .iter()
            .map(|b| b.to_ascii_lowercase())
            .collect(),
        cse: config.cse,
        fast_etags: config.fast_etags,
        max_put_size: config.max_put_size,
        region: config.region.clone(),
        request_seq: AtomicU64::new(0),
        run_id: now_ms() & 0xFFFF_FFFF,
    };
    Ok(Router::new().fallback(handle).with_state(Arc::new(state)))
}

/// A parsed request as the operation handlers see it.
#[derive(Debug)]
pub(crate) struct Req {
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Query,
    pub(crate) headers: HeaderMap,
    pub(crate) fault: Option<FaultAction>,
    pub(crate) abort: ConnAbort,
}

impl Req {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn bucket(&self) -> &str {
        self.target.bucket.as_deref().unwrap_or_default()
    }

    pub(crate) fn key(&self) -> &str {
        self.target.key.as_deref().unwrap_or_default()
    }

    /// The request's fault action if it is one that acts on bodies.
    pub(crate) fn body_fault(&self) -> Option<&FaultAction> {
        self.fault
            .as_ref()
            .filter(|f| matches!(f, FaultAction::ResetAfter(_) | FaultAction::CorruptByte(_)))
    }
}

async fn handle(State(state): State<Arc<OssState>>, request: Request) -> Response {
    let request_id = state.next_request_id();
    let (parts, body) = request.into_parts();
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let host = host.to_owned();
    let head = parts.method == Method::HEAD;
    let mut response = match handle_inner(&state, parts, body).await {
        Ok(response) => response,
        Err(e) => e.into_response(&request_id, &host, head),
    };
    let headers = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        headers.insert("x-oss-request-id", id);
    }
    headers.insert(header::SERVER, HeaderValue::from_static("AliyunOSS"));
    // The Date of the clock the signature checks use: clients correct their skew from it.
    let now = SystemTime::UNIX_EPOCH + core::time::Duration::from_secs(state.verifier.now());
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(now)) {
        headers.insert(header::DATE, date);
    }
    response
}

async fn handle_inner(state: &OssState, parts: Parts, body: Body) -> OssResult {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let target = addressing::resolve(host, parts.uri.path(), &state.bases)?;
    let query = Query::parse(parts.uri.query())?;
    let abort = parts
        .extensions
        .get::<ConnAbort>()
        .cloned()
        .unwrap_or_default();
    let mut req = Req {
        method: parts.method,
        target,
        query,
        headers: parts.headers,
        fault: None,
        abort,
    };
    let operation = Operation::identify(&req)?;
    state.verifier.verify(&req)?;
    req.fault = state.faults.decide(operation.name());
    match &req.fault {
        Some(FaultAction::Status { status, code }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut e = OssError::new(status, "InternalError", "Injected fault.");
            e.code = code.clone().into();
            return Err(e);
        }
        Some(FaultAction::KmsThrottling) => {
            return Err(OssError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SlowDown",
                "Please reduce your request rate.",
            ));
        }
        Some(FaultAction::Delay(d)) => tokio::time::sleep(*d).await,
        Some(FaultAction::ResetAfter(0)) if !operation.has_request_body() => {
            req.abort.abort();
            return core::future::pending().await;
        }
        Some(FaultAction::ServeKey(other)) => {
            req.target.key = Some(other.clone());
            for precondition in ["if-match", "if-none-match"] {
                req.headers.remove(precondition);
            }
        }
        _ => {}
    }
    let response = op::dispatch(state, operation, &req, body).await?;
    Ok(match &req.fault {
        Some(fault) if tamper::is_rewrite(fault) => tamper::apply(response, fault).await,
        _ => match req.body_fault() {
            Some(fault) if !operation.has_request_body() => {
                body::fault_response(response, fault.clone(), req.abort.clone())
            }
            _ => response,
        },
    })
}

impl OssState {
    fn next_request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        format!("{:08X}{n:016X}", self.run_id)
    }
}

/// An empty response with this status.
pub(crate) fn empty(status: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

/// A 200 response with an XML body.
pub(crate) fn xml_response(xml: String) -> Response {
    let mut r = Response::new(Body::from(xml));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    r
}

/// Sets a header on a response, skipping values that are not valid header text.
pub(crate) fn set_header(r: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
}

/// ISO 8601 with milliseconds, as in OSS XML.
pub(crate) fn iso8601(ms: u64) -> String {
    let seconds = oss_signing::time::iso8601_extended(ms / 1000);
    // OSS writes whole seconds with ".000Z"; oss2 parses exactly that format.
    format!("{}.000Z", seconds.trim_end_matches('Z'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso8601_formats() {
        assert_eq!(super::iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            super::iso8601(1_450_000_586_123),
            "2015-12-13T09:56:26.000Z"
        );
        assert_eq!(super::iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
