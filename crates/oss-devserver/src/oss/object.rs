//! Object operations: PutObject, GetObject, HeadObject, GetObjectMeta, DeleteObject.

use std::time::SystemTime;

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};

use super::range::{self, RangeOutcome};
use super::{OssState, Req, body, cse, empty, set_header};
use crate::etag::unquote;
use crate::oss_error::{OssError, OssResult};
use crate::store::{ObjectMeta, ObjectType, now_ms};

/// Content headers OSS stores with an object and returns on GET/HEAD.
const STORED_HEADERS: [&str; 6] = [
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
];

/// `response-*` query overrides for GET.
const OVERRIDES: [(&str, &str); 6] = [
    ("response-content-type", "content-type"),
    ("response-content-language", "content-language"),
    ("response-expires", "expires"),
    ("response-cache-control", "cache-control"),
    ("response-content-disposition", "content-disposition"),
    ("response-content-encoding", "content-encoding"),
];

/// Keys are 1..=1023 bytes and must not start with `/` or `\`.
pub(crate) fn validate_key(key: &str) -> OssResult<()> {
    if key.is_empty() || key.len() > 1023 || key.starts_with('/') || key.starts_with('\\') {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "InvalidObjectName",
            "The Length of Object name must be less than 1024 and it must not start with / or \\.",
        ));
    }
    Ok(())
}

/// The request's content headers to store (Content-Type defaults to octet-stream).
pub(crate) fn content_headers(req: &Req) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = STORED_HEADERS
        .iter()
        .filter_map(|name| Some(((*name).to_owned(), req.header(name)?.to_owned())))
        .collect();
    if !out.iter().any(|(n, _)| n == "content-type") {
        out.push((
            "content-type".to_owned(),
            "application/octet-stream".to_owned(),
        ));
    }
    out
}

/// User metadata must stay below this many bytes of header names plus values (OSS EC
/// 0011-00000002; the error code name is the dev server's choice).
pub(crate) const USER_META_LIMIT: usize = 8 * 1024;

/// The request's `x-oss-meta-*` headers (names are lower case already), refused when their
/// names and values add up to [`USER_META_LIMIT`] or more.
pub(crate) fn user_meta(req: &Req) -> OssResult<Vec<(String, String)>> {
    let meta: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("x-oss-meta-"))
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let total: usize = meta.iter().map(|(n, v)| n.len() + v.len()).sum();
    if total >= USER_META_LIMIT {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "MetadataTooLarge",
            format!("Your user metadata is {total} bytes; it must be less than 8 KB."),
        )
        .ec("0011-00000002"));
    }
    Ok(meta)
}

pub(crate) fn forbid_overwrite(req: &Req) -> bool {
    req.header("x-oss-forbid-overwrite")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// ETag, CRC and Content-MD5 headers of a write response.
pub(crate) fn write_response(etag: &str, crc64: u64, content_md5: Option<&str>) -> Response {
    let mut r = empty(StatusCode::OK);
    set_header(&mut r, "etag", &format!("\"{etag}\""));
    set_header(&mut r, "x-oss-hash-crc64ecma", &crc64.to_string());
    if let Some(md5) = content_md5 {
        set_header(&mut r, "content-md5", md5);
    }
    r
}

pub(crate) async fn put_object(state: &OssState, req: &Req, body: Body) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    validate_key(key)?;
    cse::check_put(req)?;
    let user_meta = user_meta(req)?;
    let forbid = forbid_overwrite(req);
    match state.store.get(bucket, key) {
        Ok(_) if forbid => return Err(OssError::file_already_exists()),
        Err(e @ crate::store::StoreError::NoSuchBucket) => {
            return Err(OssError::from_store(e, bucket, key));
        }
        _ => {}
    }
    let received = body::receive(state, req, body).await?;
    let digest = received.digest;
    let meta = ObjectMeta {
        size: digest.len,
        etag: digest.etag(),
        crc64: digest.crc64,
        last_modified_ms: now_ms(),
        object_type: ObjectType::Normal,
        headers: content_headers(req),
        user_meta,
    };
    let etag = meta.etag.clone();
    state
        .store
        .put(bucket, key, received.data, meta, forbid)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    Ok(write_response(
        &etag,
        digest.crc64,
        digest.content_md5().as_deref(),
    ))
}

fn http_date(ms: u64) -> String {
    httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + core::time::Duration::from_millis(ms))
}

/// Evaluates If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304).
fn preconditions(req: &Req, meta: &ObjectMeta) -> OssResult<Option<Response>> {
    let etag_matches = |v: &str| {
        v.split(',')
            .any(|e| e.trim() == "*" || unquote(e).eq_ignore_ascii_case(&meta.etag))
    };
    let secs = meta.last_modified_ms / 1000;
    let date = |v: &str| {
        httpdate::parse_http_date(v)
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
    };
    if let Some(v) = req.header("if-match") {
        if !etag_matches(v) {
            return Err(OssError::precondition_failed("If-Match"));
        }
    } else if let Some(d) = req.header("if-unmodified-since").and_then(date)
        && secs > d.as_secs()
    {
        return Err(OssError::precondition_failed("If-Unmodified-Since"));
    }
    let not_modified = match (
        req.header("if-none-match"),
        req.header("if-modified-since").and_then(date),
    ) {
        (Some(v), _) => etag_matches(v),
        (None, Some(d)) => secs <= d.as_secs(),
        (None, None) => false,
    };
    if not_modified {
        let mut r = empty(StatusCode::NOT_MODIFIED);
        set_header(&mut r, "etag", &format!("\"{}\"", meta.etag));
        set_header(&mut r, "last-modified", &http_date(meta.last_modified_ms));
        return Ok(Some(r));
    }
    Ok(None)
}

/// Headers of GET and HEAD: type, ETag, dates, CRC of the whole object, metadata.
fn object_headers(r: &mut Response, req: &Req, meta: &ObjectMeta, head: bool) {
    for (name, value) in meta.headers.iter().chain(&meta.user_meta) {
        if let (Ok(n), Ok(v)) = (
            header::HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(value),
        ) {
            r.headers_mut().insert(n, v);
        }
    }
    if !head {
        for (param, name) in OVERRIDES {
            if let Some(value) = req.query.get(param) {
                set_header(r, name, value);
            }
        }
    }
    set_header(r, "etag", &format!("\"{}\"", meta.etag));
    set_header(r, "last-modified", &http_date(meta.last_modified_ms));
    set_header(r, "accept-ranges", "bytes");
    set_header(r, "x-oss-object-type", meta.object_type.as_str());
    set_header(r, "x-oss-storage-class", "Standard");
    set_header(r, "x-oss-hash-crc64ecma", &meta.crc64.to_string());
}

pub(crate) async fn get_object(state: &OssState, req: &Req, head: bool) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    let object = state
        .store
        .get(bucket, key)
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    let meta = &object.meta;
    if let Some(not_modified) = preconditions(req, meta)? {
        return Ok(not_modified);
    }
    let standard = req
        .header("x-oss-range-behavior")
        .is_some_and(|v| v.eq_ignore_ascii_case("standard"));
    let (status, start, len) = match range::resolve(req.header("range"), standard, meta.size) {
        RangeOutcome::Full => (StatusCode::OK, 0, meta.size),
        RangeOutcome::Partial { start, end } => {
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        RangeOutcome::Unsatisfiable => {
            return Err(
                OssError::invalid_range().with("RangeRequested", req.header("range").unwrap_or(""))
            );
        }
    };
    let body = if head {
        Body::empty()
    } else {
        let stream = object
            .data
            .stream(start, len)
            .await
            .map_err(|e| OssError::internal(e.to_string()))?;
        Body::from_stream(stream)
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    object_headers(&mut r, req, meta, head);
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if status == StatusCode::PARTIAL_CONTENT {
        let end = start + len - 1;
        set_header(
            &mut r,
            "content-range",
            &format!("bytes {start}-{end}/{}", meta.size),
        );
    }
    Ok(r)
}

/// `HEAD /K?objectMeta`: only ETag, size, date and CRC.
pub(crate) fn object_meta(state: &OssState, req: &Req) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    let object = state
        .store
        .get(bucket, key)
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    let mut r = empty(StatusCode::OK);
    set_header(&mut r, "etag", &format!("\"{}\"", object.meta.etag));
    set_header(
        &mut r,
        "last-modified",
        &http_date(object.meta.last_modified_ms),
    );
    set_header(
        &mut r,
        "x-oss-hash-crc64ecma",
        &object.meta.crc64.to_string(),
    );
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(object.meta.size));
    Ok(r)
}

pub(crate) async fn delete_object(state: &OssState, req: &Req) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    state
        .store
        .delete(bucket, key)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    Ok(empty(StatusCode::NO_CONTENT))
}
