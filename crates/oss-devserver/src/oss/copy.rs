//! CopyObject (COPY / REPLACE directives) and UploadPartCopy, with the client-side-encryption
//! protections of spec `oss-api.md` §9.3.

use std::sync::Arc;
use std::time::SystemTime;

use futures::StreamExt as _;

use super::multipart::{parse_part_number, store_part};
use super::object::{content_headers, forbid_overwrite, user_meta, validate_key, write_response};
use super::{OssState, Req, cse, iso8601, set_header, xml_response};
use crate::etag::{BodyHasher, unquote};
use crate::oss_error::{OssError, OssResult};
use crate::store::{Data, Object, ObjectMeta, Part, now_ms};
use crate::xml::XmlWriter;

/// Header or metadata name/value pairs.
type Pairs = Vec<(String, String)>;

/// MD5 of the empty body, which Go v2 sends on bodiless writes.
const EMPTY_MD5: &str = "1B2M2Y8AsgTpgAmY7PhCfg==";

/// Decodes `x-oss-copy-source` (`/bucket/key[?versionId=..]`, form-encoded) and loads the source.
fn source(state: &OssState, req: &Req) -> OssResult<(String, String, Arc<Object>)> {
    let raw = req.header("x-oss-copy-source").unwrap_or("");
    let raw = raw.split_once("?versionId=").map_or(raw, |(path, _)| path);
    let decoded = oss_signing::form_decode(raw).map_err(|_| {
        OssError::invalid_argument("Copy source is not valid.", "x-oss-copy-source", raw)
    })?;
    let path = decoded.strip_prefix('/').unwrap_or(&decoded);
    let (bucket, key) = path
        .split_once('/')
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .ok_or_else(|| {
            OssError::invalid_argument("Copy source must be /bucket/key.", "x-oss-copy-source", raw)
        })?;
    let object = state
        .store
        .get(bucket, key)
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    Ok((bucket.to_owned(), key.to_owned(), object))
}

/// `x-oss-copy-source-if-*` conditions; all failures are 412.
fn copy_conditions(req: &Req, meta: &ObjectMeta) -> OssResult<()> {
    let etag_is = |v: &str| unquote(v).eq_ignore_ascii_case(&meta.etag);
    let secs = meta.last_modified_ms / 1000;
    let date = |v: &str| {
        httpdate::parse_http_date(v)
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
    };
    let checks = [
        (
            "x-oss-copy-source-if-match",
            req.header("x-oss-copy-source-if-match").is_none_or(etag_is),
        ),
        (
            "x-oss-copy-source-if-none-match",
            !req.header("x-oss-copy-source-if-none-match")
                .is_some_and(etag_is),
        ),
        (
            "x-oss-copy-source-if-unmodified-since",
            req.header("x-oss-copy-source-if-unmodified-since")
                .and_then(date)
                .is_none_or(|d| secs <= d),
        ),
        (
            "x-oss-copy-source-if-modified-since",
            req.header("x-oss-copy-source-if-modified-since")
                .and_then(date)
                .is_none_or(|d| secs > d),
        ),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((name, _)) => Err(OssError::precondition_failed(name)),
        None => Ok(()),
    }
}

fn check_empty_md5(req: &Req) -> OssResult<()> {
    match req.header("content-md5") {
        Some(md5) if md5.trim() != EMPTY_MD5 => Err(OssError::invalid_digest()),
        _ => Ok(()),
    }
}

/// The destination's content headers and user metadata under `x-oss-metadata-directive`, with
/// the client-side-encryption rule for REPLACE (spec §9.3).
fn copied_metadata(state: &OssState, req: &Req, src: &ObjectMeta) -> OssResult<(Pairs, Pairs)> {
    let replace = match req.header("x-oss-metadata-directive").unwrap_or("COPY") {
        d if d.eq_ignore_ascii_case("COPY") => false,
        d if d.eq_ignore_ascii_case("REPLACE") => true,
        d => {
            return Err(OssError::invalid_argument(
                "Unsupported metadata directive.",
                "x-oss-metadata-directive",
                d,
            ));
        }
    };
    if !replace {
        return Ok((src.headers.clone(), src.user_meta.clone()));
    }
    let meta_list = user_meta(req)?;
    if cse::is_encrypted(&src.user_meta) {
        let changed = cse::envelope_of(&meta_list) != cse::envelope_of(&src.user_meta);
        if changed || state.cse.refuse_any_replace_copy {
            return Err(OssError::invalid_encryption(
                "0005-00000421",
                "The metadata of a client-side encrypted object cannot be modified by CopyObject.",
            ));
        }
    }
    Ok((content_headers(req), meta_list))
}

/// `PUT /destK` with `x-oss-copy-source`.
pub(crate) async fn copy_object(state: &OssState, req: &Req) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    validate_key(key)?;
    check_empty_md5(req)?;
    let (_, _, src) = source(state, req)?;
    copy_conditions(req, &src.meta)?;
    let (headers, meta_list) = copied_metadata(state, req, &src.meta)?;
    if !state.store.bucket_exists(bucket) {
        return Err(OssError::no_such_bucket(bucket));
    }
    let data = state
        .store
        .duplicate(&src.data, src.meta.size)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    let meta = ObjectMeta {
        last_modified_ms: now_ms(),
        headers,
        user_meta: meta_list,
        ..src.meta.clone()
    };
    let (etag, crc64, modified) = (meta.etag.clone(), meta.crc64, meta.last_modified_ms);
    state
        .store
        .put(bucket, key, data, meta, forbid_overwrite(req))
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    let mut w = XmlWriter::new();
    w.open("CopyObjectResult");
    w.elem("ETag", &format!("\"{etag}\""));
    w.elem("LastModified", &iso8601(modified));
    w.close("CopyObjectResult");
    let mut r = xml_response(w.finish());
    let plain = write_response(&etag, crc64, None);
    r.headers_mut().extend(plain.headers().clone());
    Ok(r)
}

/// `bytes=a-b` of `x-oss-copy-source-range` as (start, len), or the whole object.
fn copy_range(req: &Req, size: u64) -> OssResult<(u64, u64)> {
    let Some(raw) = req.header("x-oss-copy-source-range") else {
        return Ok((0, size));
    };
    let bad = || {
        OssError::invalid_argument(
            "The copy source range is invalid.",
            "x-oss-copy-source-range",
            raw,
        )
    };
    let spec = raw.trim().strip_prefix("bytes=").ok_or_else(bad)?;
    let (a, b) = spec.split_once('-').ok_or_else(bad)?;
    let a: u64 = a.trim().parse().map_err(|_| bad())?;
    let b: u64 = b.trim().parse().map_err(|_| bad())?;
    if a > b || b >= size {
        return Err(bad());
    }
    Ok((a, b - a + 1))
}

/// `PUT /K?partNumber=n&uploadId=id` with `x-oss-copy-source`.
pub(crate) async fn upload_part_copy(state: &OssState, req: &Req) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    let number = parse_part_number(req)?;
    let upload_id = req.query.get("uploadId").unwrap_or("");
    state
        .store
        .uploads
        .with(upload_id, bucket, key, |_| ())
        .ok_or_else(|| OssError::no_such_upload(upload_id))?;
    let (_, _, src) = source(state, req)?;
    if cse::is_encrypted(&src.meta.user_meta) {
        return Err(OssError::invalid_encryption(
            "0042-00000309",
            "UploadPartCopy does not support a client-side encrypted source object.",
        ));
    }
    copy_conditions(req, &src.meta)?;
    let (start, len) = copy_range(req, src.meta.size)?;
    let (data, digest) = copy_bytes(state, &src.data, start, len).await?;
    let part = Part {
        size: digest.len,
        etag: digest.etag(),
        crc64: digest.crc64,
        last_modified_ms: now_ms(),
        data,
    };
    let (etag, modified) = (part.etag.clone(), part.last_modified_ms);
    store_part(state, req, number, part).await?;
    let mut w = XmlWriter::new();
    w.open("CopyPartResult");
    w.elem("LastModified", &iso8601(modified));
    w.elem("ETag", &format!("\"{etag}\""));
    w.close("CopyPartResult");
    let mut r = xml_response(w.finish());
    set_header(&mut r, "etag", &format!("\"{etag}\""));
    set_header(&mut r, "x-oss-hash-crc64ecma", &digest.crc64.to_string());
    Ok(r)
}

async fn copy_bytes(
    state: &OssState,
    data: &Data,
    start: u64,
    len: u64,
) -> OssResult<(Data, crate::etag::BodyDigest)> {
    let internal = |e: std::io::Error| OssError::internal(format!("storage error: {e}"));
    let mut sink = state
        .store
        .sink()
        .await
        .map_err(|e| OssError::internal(e.to_string()))?;
    let mut hasher = BodyHasher::default();
    let mut stream = data.stream(start, len).await.map_err(internal)?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(internal)?;
        hasher.update(&chunk);
        sink.write(chunk).await.map_err(internal)?;
    }
    let data = sink.finish().await.map_err(internal)?;
    Ok((data, hasher.finish()))
}
