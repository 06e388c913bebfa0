//! Bucket operations: ListBuckets, PutBucket, DeleteBucket, GetBucketInfo.

use axum::body::Body;
use axum::response::Response;
use http::StatusCode;

use super::{OssState, Req, empty, iso8601, xml_response};
use crate::oss_error::{OssError, OssResult};
use crate::xml::{XmlWriter, parse_delete};

/// The owner shown in listings.
pub(crate) const OWNER_ID: &str = "1234567890123456";

/// OSS bucket naming: 3–63 of `a-z 0-9 -`, starting and ending with a letter or digit.
pub(crate) fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    let edge_ok = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && edge_ok(b.first())
        && edge_ok(b.last())
}

fn write_owner(w: &mut XmlWriter) {
    w.open("Owner");
    w.elem("ID", OWNER_ID);
    w.elem("DisplayName", OWNER_ID);
    w.close("Owner");
}

/// Location, endpoints and region of a bucket (the endpoint is the host the client used).
fn write_place(w: &mut XmlWriter, state: &OssState, req: &Req) {
    let host = req.header("host").unwrap_or("127.0.0.1");
    w.elem("ExtranetEndpoint", host);
    w.elem("IntranetEndpoint", host);
    w.elem("Location", &format!("oss-{}", state.region));
    w.elem("Region", &state.region);
}

/// `GET /` on the service: the buckets by name, `prefix`, `marker` (start after) and
/// `max-keys` (1 to 1000, default 100) as OSS pages them, `NextMarker` on a truncated page.
pub(crate) fn list_buckets(state: &OssState, req: &Req) -> OssResult {
    let prefix = req.query.get("prefix").unwrap_or_default();
    let marker = req.query.get("marker").unwrap_or_default();
    let max_keys = super::list::max_keys(req)?;
    if max_keys == 0 {
        return Err(OssError::invalid_argument(
            "max-keys must be between 1 and 1000.",
            "max-keys",
            "0",
        ));
    }
    let mut names = state
        .store
        .bucket_names()
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix) && name.as_str() > marker);
    let page: Vec<_> = names.by_ref().take(max_keys).collect();
    let truncated = names.next().is_some();
    let mut w = XmlWriter::new();
    w.open("ListAllMyBucketsResult");
    w.elem("Prefix", prefix);
    w.elem("Marker", marker);
    w.elem("MaxKeys", &max_keys.to_string());
    w.elem("IsTruncated", if truncated { "true" } else { "false" });
    if let (true, Some((last, _))) = (truncated, page.last()) {
        w.elem("NextMarker", last);
    }
    write_owner(&mut w);
    w.open("Buckets");
    for (name, created_ms) in page {
        w.open("Bucket");
        w.elem("CreationDate", &iso8601(created_ms));
        write_place(&mut w, state, req);
        w.elem("Name", &name);
        w.elem("StorageClass", "Standard");
        w.close("Bucket");
    }
    w.close("Buckets");
    w.close("ListAllMyBucketsResult");
    Ok(xml_response(w.finish()))
}

pub(crate) async fn put_bucket(state: &OssState, req: &Req) -> OssResult {
    let name = req.bucket();
    if !valid_name(name) {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        )
        .with("BucketName", name));
    }
    state
        .store
        .create_bucket(name)
        .await
        .map_err(|e| OssError::from_store(e, name, ""))?;
    Ok(empty(StatusCode::OK))
}

pub(crate) async fn delete_bucket(state: &OssState, req: &Req) -> OssResult {
    let name = req.bucket();
    state
        .store
        .delete_bucket(name)
        .await
        .map_err(|e| OssError::from_store(e, name, ""))?;
    Ok(empty(StatusCode::NO_CONTENT))
}

pub(crate) fn bucket_info(state: &OssState, req: &Req) -> OssResult<Response> {
    let name = req.bucket();
    let created_ms = state
        .store
        .with_bucket(name, |b| b.created_ms)
        .map_err(|e| OssError::from_store(e, name, ""))?;
    let mut w = XmlWriter::new();
    w.open("BucketInfo");
    w.open("Bucket");
    w.elem("CreationDate", &iso8601(created_ms));
    write_place(&mut w, state, req);
    w.elem("Name", name);
    write_owner(&mut w);
    w.elem("StorageClass", "Standard");
    w.open("AccessControlList");
    w.elem("Grant", "private");
    w.close("AccessControlList");
    w.close("Bucket");
    w.close("BucketInfo");
    Ok(xml_response(w.finish()))
}

/// `POST /?delete`: DeleteMultipleObjects (Content-MD5 required, at most 1000 keys).
pub(crate) async fn delete_multiple(state: &OssState, req: &Req, body: Body) -> OssResult {
    let name = req.bucket();
    if req.header("content-md5").is_none() {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "MissingArgument",
            "Missing Some Required Arguments.",
        )
        .with("ArgumentName", "Content-MD5"));
    }
    let bytes = super::body::read_small(req, body, 2 * 1024 * 1024).await?;
    let (quiet, keys) = parse_delete(&bytes)
        .filter(|(_, k)| !k.is_empty() && k.len() <= 1000)
        .ok_or_else(OssError::malformed_xml)?;
    let url = super::list::url_encoding(req)?;
    for key in &keys {
        state
            .store
            .delete(name, key)
            .await
            .map_err(|e| OssError::from_store(e, name, key))?;
    }
    let mut w = XmlWriter::new();
    w.open("DeleteResult");
    if url {
        w.elem("EncodingType", "url");
    }
    if !quiet {
        for key in &keys {
            w.open("Deleted");
            super::list::elem_key(&mut w, "Key", key, url);
            w.close("Deleted");
        }
    }
    w.close("DeleteResult");
    Ok(xml_response(w.finish()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn bucket_names() {
        for ok in ["abc", "my-bucket-1", "a1b"] {
            assert!(super::valid_name(ok), "{ok}");
        }
        for bad in ["ab", "-abc", "abc-", "ABC", "a_b", "a.b", &"a".repeat(64)] {
            assert!(!super::valid_name(bad), "{bad}");
        }
    }
}
