//! Multipart uploads: Initiate, UploadPart, Complete, Abort, ListParts.

use axum::body::Body;
use axum::response::Response;
use http::StatusCode;

use super::list::{elem_key, url_encoding};
use super::object::{content_headers, forbid_overwrite, user_meta, validate_key, write_response};
use super::{OssState, Req, body, cse, empty, iso8601, set_header, xml_response};
use crate::etag::{crc64_combine, multipart_etag, unquote};
use crate::oss_error::{OssError, OssResult};
use crate::store::{Data, ObjectMeta, ObjectType, Part, Upload, now_ms};
use crate::xml::{XmlWriter, parse_complete};

/// Every part but the last must be at least this large at completion.
const MIN_PART_SIZE: u64 = 100 * 1024;
/// Largest CompleteMultipartUpload body accepted (10000 parts fit easily).
const MAX_COMPLETE_BODY: usize = 4 * 1024 * 1024;

pub(crate) fn parse_part_number(req: &Req) -> OssResult<u32> {
    let raw = req.query.get("partNumber").unwrap_or("");
    raw.parse::<u32>()
        .ok()
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| {
            OssError::invalid_argument(
                "Part number must be an integer between 1 and 10000, inclusive.",
                "PartNumber",
                raw,
            )
        })
}

fn upload_id(req: &Req) -> &str {
    req.query.get("uploadId").unwrap_or("")
}

pub(crate) async fn initiate(state: &OssState, req: &Req, body: Body) -> OssResult {
    let (bucket, key) = (req.bucket(), req.key());
    validate_key(key)?;
    body::read_small(req, body, 64 * 1024).await?;
    if !state.store.bucket_exists(bucket) {
        return Err(OssError::no_such_bucket(bucket));
    }
    cse::check_initiate(req)?;
    let upload = Upload::new(bucket, key, content_headers(req), user_meta(req)?);
    let id = state
        .store
        .create_upload(upload)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    let url = url_encoding(req)?;
    let mut w = XmlWriter::new();
    w.open("InitiateMultipartUploadResult");
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem("Bucket", bucket);
    elem_key(&mut w, "Key", key, url);
    w.elem("UploadId", &id);
    w.close("InitiateMultipartUploadResult");
    Ok(xml_response(w.finish()))
}

/// Checks an UploadPart's envelope headers and number against the upload (spec §9.2).
fn check_part_request(state: &OssState, req: &Req, number: u32) -> OssResult<Option<cse::Layout>> {
    let initiated = state
        .store
        .uploads
        .with(upload_id(req), req.bucket(), req.key(), |u| {
            u.user_meta.clone()
        })
        .ok_or_else(|| OssError::no_such_upload(upload_id(req)))?;
    let Some(layout) = cse::layout_of(&initiated) else {
        cse::check_put(req)?;
        return Ok(None);
    };
    cse::check_part_headers(req, &initiated, state.cse.require_headers_on_upload_part)?;
    cse::check_part_number(layout, u64::from(number))?;
    if let Some(len) = req.header("content-length").and_then(|l| l.parse().ok()) {
        cse::check_part_size(layout, u64::from(number), len)?;
    }
    Ok(Some(layout))
}

/// Records a part (replacing one with the same number).
pub(crate) async fn store_part(
    state: &OssState,
    req: &Req,
    number: u32,
    part: Part,
) -> OssResult<()> {
    let (bucket, key, id) = (req.bucket(), req.key(), upload_id(req));
    let stored = state
        .store
        .put_part(id, bucket, key, number, part)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    if stored {
        Ok(())
    } else {
        Err(OssError::no_such_upload(id))
    }
}

pub(crate) async fn upload_part(state: &OssState, req: &Req, body: Body) -> OssResult {
    let number = parse_part_number(req)?;
    let layout = check_part_request(state, req, number)?;
    let received = body::receive(state, req, body).await?;
    let digest = received.digest;
    if let Some(layout) = layout
        && let Err(e) = cse::check_part_size(layout, u64::from(number), digest.len)
    {
        received.data.discard();
        return Err(e);
    }
    let part = Part {
        size: digest.len,
        etag: digest.etag(),
        crc64: digest.crc64,
        last_modified_ms: now_ms(),
        data: received.data,
    };
    store_part(state, req, number, part).await?;
    Ok(write_response(
        &digest.etag(),
        digest.crc64,
        digest.content_md5().as_deref(),
    ))
}

/// The parts a Complete request selects, validated against the upload.
fn select_parts(req: &Req, upload: &Upload, body: &[u8]) -> OssResult<Vec<(u32, Part)>> {
    let complete_all = req
        .header("x-oss-complete-all")
        .is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    if complete_all {
        if !body.is_empty() {
            return Err(OssError::invalid_argument(
                "Should not speficy both complete all header and http body.",
                "x-oss-complete-all",
                "yes",
            )
            .ec("0042-00000216"));
        }
        return Ok(upload.parts.iter().map(|(n, p)| (*n, p.clone())).collect());
    }
    let listed = parse_complete(body)
        .filter(|p| !p.is_empty())
        .ok_or_else(OssError::malformed_xml)?;
    if listed
        .windows(2)
        .any(|w| matches!(w, [a, b] if a.number >= b.number))
    {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. The parts list must be specified in order of the part number.",
        ));
    }
    let mut out = Vec::with_capacity(listed.len());
    for item in listed {
        let part = upload
            .parts
            .get(&item.number)
            .filter(|p| unquote(&item.etag).eq_ignore_ascii_case(&p.etag));
        let Some(part) = part else {
            return Err(OssError::new(
                StatusCode::BAD_REQUEST,
                "InvalidPart",
                "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
            )
            .with("PartNumber", item.number.to_string())
            .with("ETag", item.etag));
        };
        out.push((item.number, part.clone()));
    }
    Ok(out)
}

fn check_selected(upload: &Upload, parts: &[(u32, Part)]) -> OssResult<()> {
    let count = parts.len();
    for (i, (n, part)) in parts.iter().enumerate() {
        if i + 1 < count && part.size < MIN_PART_SIZE {
            return Err(OssError::new(
                StatusCode::BAD_REQUEST,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size.",
            )
            .with("PartNumber", n.to_string())
            .ec("0042-00000213"));
        }
    }
    if let Some(layout) = cse::layout_of(&upload.user_meta) {
        if count as u64 > layout.expected_parts() {
            return Err(OssError::invalid_encryption(
                "0005-00000411",
                "The upload lists more parts than data-size and part-size allow.",
            ));
        }
        for (n, part) in parts {
            cse::check_part_size(layout, u64::from(*n), part.size)?;
        }
    }
    Ok(())
}

/// The completed object's metadata: size, OSS multipart ETag, combined CRC-64.
fn assembled_meta(
    parts: &[(u32, Part)],
    headers: Vec<(String, String)>,
    user_meta: Vec<(String, String)>,
) -> ObjectMeta {
    ObjectMeta {
        size: parts.iter().map(|(_, p)| p.size).sum(),
        etag: multipart_etag(parts.iter().map(|(_, p)| p.etag.as_str())),
        crc64: parts
            .iter()
            .fold(0, |crc, (_, p)| crc64_combine(crc, p.crc64, p.size)),
        last_modified_ms: now_ms(),
        object_type: ObjectType::Multipart,
        headers,
        user_meta,
    }
}

/// Concatenates the parts' bytes (memory parts are shared, not copied).
async fn assembled_data(state: &OssState, req: &Req, parts: &[(u32, Part)]) -> OssResult<Data> {
    let pieces: Vec<(Data, u64)> = parts
        .iter()
        .map(|(_, p)| (p.data.clone(), p.size))
        .collect();
    let sink = state
        .store
        .sink()
        .await
        .map_err(|e| OssError::from_store(e, req.bucket(), req.key()))?;
    Data::concat(&pieces, sink)
        .await
        .map_err(|e| OssError::internal(e.to_string()))
}

fn complete_response(req: &Req, url: bool, etag: &str, crc64: u64) -> Response {
    let (bucket, key) = (req.bucket(), req.key());
    let host = req.header("host").unwrap_or("localhost");
    let mut w = XmlWriter::new();
    w.open("CompleteMultipartUploadResult");
    if url {
        w.elem("EncodingType", "url");
    }
    let location = format!(
        "http://{host}/{bucket}/{}",
        oss_signing::percent_encode_path(key)
    );
    w.elem("Location", &location);
    w.elem("Bucket", bucket);
    elem_key(&mut w, "Key", key, url);
    w.elem("ETag", &format!("\"{etag}\""));
    w.close("CompleteMultipartUploadResult");
    let mut r = xml_response(w.finish());
    set_header(&mut r, "etag", &format!("\"{etag}\""));
    set_header(&mut r, "x-oss-hash-crc64ecma", &crc64.to_string());
    r
}

pub(crate) async fn complete(state: &OssState, req: &Req, body: Body) -> OssResult {
    let (bucket, key, id) = (req.bucket(), req.key(), upload_id(req));
    let url = url_encoding(req)?;
    let bytes = body::read_small(req, body, MAX_COMPLETE_BODY).await?;
    let _exclusive = (state.store.uploads.exclusive(id, bucket, key).await)
        .ok_or_else(|| OssError::no_such_upload(id))?;
    let selected = state.store.uploads.with(id, bucket, key, |u| {
        let parts = select_parts(req, u, &bytes)?;
        check_selected(u, &parts)?;
        Ok::<_, OssError>((parts, u.headers.clone(), u.user_meta.clone()))
    });
    let (parts, headers, user_meta) = selected.ok_or_else(|| OssError::no_such_upload(id))??;
    let forbid = forbid_overwrite(req);
    if forbid && state.store.get(bucket, key).is_ok() {
        return Err(OssError::file_already_exists().ec("0042-00000214"));
    }
    let meta = assembled_meta(&parts, headers, user_meta);
    let (etag, crc64) = (meta.etag.clone(), meta.crc64);
    let data = assembled_data(state, req, &parts).await?;
    state
        .store
        .put(bucket, key, data, meta, forbid)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    // The object is committed: a failure to clean up the upload must not fail the request.
    let _ = state.store.remove_upload(id, bucket, key).await;
    Ok(complete_response(req, url, &etag, crc64))
}

pub(crate) async fn abort(state: &OssState, req: &Req) -> OssResult {
    let (bucket, key, id) = (req.bucket(), req.key(), upload_id(req));
    let Some(_exclusive) = state.store.uploads.exclusive(id, bucket, key).await else {
        return Err(OssError::no_such_upload(id));
    };
    let removed = state
        .store
        .remove_upload(id, bucket, key)
        .await
        .map_err(|e| OssError::from_store(e, bucket, key))?;
    if !removed {
        return Err(OssError::no_such_upload(id));
    }
    Ok(empty(StatusCode::NO_CONTENT))
}

fn query_number(req: &Req, name: &str, default: u32, max: u32) -> OssResult<u32> {
    match req.query.get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| OssError::invalid_argument(format!("{name} is invalid."), name, v)),
    }
}

const ENVELOPE_ELEMENTS: [(&str, &str); 6] = [
    ("ClientEncryptionKey", "key"),
    ("ClientEncryptionStart", "start"),
    ("ClientEncryptionCekAlg", "cek-alg"),
    ("ClientEncryptionWrapAlg", "wrap-alg"),
    ("ClientEncryptionDataSize", "data-size"),
    ("ClientEncryptionPartSize", "part-size"),
];

pub(crate) fn list_parts(state: &OssState, req: &Req) -> OssResult {
    let (bucket, key, id) = (req.bucket(), req.key(), upload_id(req));
    let max = query_number(req, "max-parts", 1000, 1000)?;
    let marker = query_number(req, "part-number-marker", 0, 10_000)?;
    let url = url_encoding(req)?;
    let xml = state.store.uploads.with(id, bucket, key, |u| {
        let mut after = u.parts.range(marker.saturating_add(1)..);
        let page: Vec<(&u32, &Part)> = after.by_ref().take(max as usize).collect();
        let truncated = after.next().is_some();
        let mut w = XmlWriter::new();
        w.open("ListPartsResult");
        if url {
            w.elem("EncodingType", "url");
        }
        w.elem("Bucket", bucket);
        elem_key(&mut w, "Key", key, url);
        w.elem("UploadId", id);
        w.elem("StorageClass", "Standard");
        w.num("PartNumberMarker", marker);
        w.num(
            "NextPartNumberMarker",
            page.last().map_or(marker, |(n, _)| **n),
        );
        w.num("MaxParts", max);
        w.num("IsTruncated", truncated);
        if cse::is_encrypted(&u.user_meta) {
            for (tag, suffix) in ENVELOPE_ELEMENTS {
                if let Some(v) = u.user_meta(&format!("{}{suffix}", cse::PREFIX)) {
                    w.elem(tag, v);
                }
            }
        }
        for (n, p) in page {
            w.open("Part");
            w.num("PartNumber", n);
            w.elem("LastModified", &iso8601(p.last_modified_ms));
            w.elem("ETag", &format!("\"{}\"", p.etag));
            w.num("HashCrc64ecma", p.crc64);
            w.num("Size", p.size);
            w.close("Part");
        }
        w.close("ListPartsResult");
        w.finish()
    });
    xml.map(xml_response)
        .ok_or_else(|| OssError::no_such_upload(id))
}
