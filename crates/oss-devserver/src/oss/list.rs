//! ListObjects (V1 and V2: prefix, delimiter, markers, continuation) and ListMultipartUploads
//! (prefix, key and upload-id markers).

use core::ops::Bound;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::bucket::OWNER_ID;
use super::{OssState, Req, iso8601, xml_response};
use crate::oss_error::{OssError, OssResult};
use crate::store::{Bucket, ObjectMeta};
use crate::xml::XmlWriter;

/// Default and maximum `max-keys`.
const DEFAULT_MAX_KEYS: usize = 100;
const MAX_KEYS: usize = 1000;

/// Writes a key-like value, percent-encoded when the client asked for `encoding-type=url`.
pub(crate) fn elem_key(w: &mut XmlWriter, tag: &str, value: &str, url: bool) {
    if url {
        w.elem(tag, &oss_signing::percent_encode(value));
    } else {
        w.elem(tag, value);
    }
}

/// Whether the request asked for `encoding-type=url`.
pub(crate) fn url_encoding(req: &Req) -> OssResult<bool> {
    match req.query.get("encoding-type").filter(|v| !v.is_empty()) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("url") => Ok(true),
        Some(v) => Err(OssError::invalid_argument(
            "The encoding-type must be url.",
            "encoding-type",
            v,
        )),
    }
}

enum Entry {
    Object(String, ObjectMeta),
    Prefix(String),
}

struct Page {
    entries: Vec<Entry>,
    truncated: bool,
}

impl Page {
    fn last_marker(&self) -> Option<&str> {
        self.entries.last().map(|e| match e {
            Entry::Object(k, _) | Entry::Prefix(k) => k.as_str(),
        })
    }
}

/// Collects up to `max` keys and common prefixes after `after`.
fn collect(bucket: &Bucket, prefix: &str, delimiter: &str, after: &str, max: usize) -> Page {
    let start = if after >= prefix {
        Bound::Excluded(after)
    } else {
        Bound::Included(prefix)
    };
    let mut entries = Vec::new();
    let mut truncated = false;
    // A marker that is itself a common prefix stands for every key under it.
    let skip_under =
        (!delimiter.is_empty() && after.ends_with(delimiter) && after.starts_with(prefix))
            .then_some(after);
    for (key, object) in bucket.objects.range::<str, _>((start, Bound::Unbounded)) {
        if !key.starts_with(prefix) {
            break;
        }
        if skip_under.is_some_and(|p| key.starts_with(p)) {
            continue;
        }
        let rolled = (!delimiter.is_empty())
            .then(|| {
                key.get(prefix.len()..)
                    .and_then(|rest| rest.find(delimiter))
            })
            .flatten()
            .map(|i| {
                key.get(..prefix.len() + i + delimiter.len())
                    .unwrap_or(key)
                    .to_owned()
            });
        if let (Some(p), Some(Entry::Prefix(last))) = (&rolled, entries.last())
            && p == last
        {
            continue;
        }
        if entries.len() == max {
            truncated = true;
            break;
        }
        entries.push(match rolled {
            Some(p) => Entry::Prefix(p),
            None => Entry::Object(key.clone(), object.meta.clone()),
        });
    }
    Page { entries, truncated }
}

/// `max-keys` (0 to 1000, default 100).
pub(crate) fn max_keys(req: &Req) -> OssResult<usize> {
    match req.query.get("max-keys").filter(|v| !v.is_empty()) {
        None => Ok(DEFAULT_MAX_KEYS),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_KEYS)
            .ok_or_else(|| {
                OssError::invalid_argument("max-keys must be between 0 and 1000.", "max-keys", v)
            }),
    }
}

fn write_entries(w: &mut XmlWriter, page: &Page, url: bool, owner: bool) {
    for entry in &page.entries {
        let Entry::Object(key, meta) = entry else {
            continue;
        };
        w.open("Contents");
        elem_key(w, "Key", key, url);
        w.elem("LastModified", &iso8601(meta.last_modified_ms));
        w.elem("ETag", &format!("\"{}\"", meta.etag));
        w.elem("Type", meta.object_type.as_str());
        w.num("Size", meta.size);
        w.elem("StorageClass", "Standard");
        if owner {
            w.open("Owner");
            w.elem("ID", OWNER_ID);
            w.elem("DisplayName", OWNER_ID);
            w.close("Owner");
        }
        w.close("Contents");
    }
    for entry in &page.entries {
        if let Entry::Prefix(p) = entry {
            w.open("CommonPrefixes");
            elem_key(w, "Prefix", p, url);
            w.close("CommonPrefixes");
        }
    }
}

/// The key listing starts after: V2 continuation token or `start-after`, V1 `marker`.
fn start_after(req: &Req, v2: bool) -> OssResult<String> {
    let q = &req.query;
    if !v2 {
        return Ok(q.get("marker").unwrap_or("").to_owned());
    }
    match q.get("continuation-token").filter(|t| !t.is_empty()) {
        Some(t) => decode_token(t),
        None => Ok(q.get("start-after").unwrap_or("").to_owned()),
    }
}

/// GET bucket (V1: `marker`) and `?list-type=2` (V2: `continuation-token`, `start-after`).
pub(crate) fn list_objects(state: &OssState, req: &Req, v2: bool) -> OssResult {
    let q = &req.query;
    let url = url_encoding(req)?;
    let max = max_keys(req)?;
    let prefix = q.get("prefix").unwrap_or("");
    let delimiter = q.get("delimiter").unwrap_or("");
    let token = q.get("continuation-token").filter(|t| !t.is_empty());
    let after = start_after(req, v2)?;
    let name = req.bucket();
    let page = state
        .store
        .with_bucket(name, |b| collect(b, prefix, delimiter, &after, max))
        .map_err(|e| OssError::from_store(e, name, ""))?;
    let mut w = XmlWriter::new();
    w.open("ListBucketResult");
    w.elem("Name", name);
    elem_key(&mut w, "Prefix", prefix, url);
    if v2 {
        if let Some(start_after) = q.get("start-after") {
            elem_key(&mut w, "StartAfter", start_after, url);
        }
    } else {
        elem_key(&mut w, "Marker", &after, url);
    }
    w.num("MaxKeys", max);
    elem_key(&mut w, "Delimiter", delimiter, url);
    w.num("IsTruncated", page.truncated);
    let next = page.last_marker().filter(|_| page.truncated);
    if v2 {
        w.num("KeyCount", page.entries.len());
        if let Some(t) = token {
            elem_key(&mut w, "ContinuationToken", t, url);
        }
        if let Some(next) = next {
            elem_key(
                &mut w,
                "NextContinuationToken",
                &URL_SAFE_NO_PAD.encode(next),
                url,
            );
        }
    } else if let Some(next) = next {
        elem_key(&mut w, "NextMarker", next, url);
    }
    if url {
        w.elem("EncodingType", "url");
    }
    let owner = !v2 || q.get("fetch-owner") == Some("true");
    write_entries(&mut w, &page, url, owner);
    w.close("ListBucketResult");
    Ok(xml_response(w.finish()))
}

fn decode_token(token: &str) -> OssResult<String> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            OssError::invalid_argument(
                "The continuation token is invalid.",
                "continuation-token",
                token,
            )
        })
}

/// Default and maximum `max-uploads`.
const MAX_UPLOADS: usize = 1000;

fn max_uploads(req: &Req) -> OssResult<usize> {
    match req.query.get("max-uploads").filter(|v| !v.is_empty()) {
        None => Ok(MAX_UPLOADS),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_UPLOADS).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument(
                    "max-uploads must be between 1 and 1000.",
                    "max-uploads",
                    v,
                )
            }),
    }
}

/// Whether an upload comes after the markers: a later key, or the marker key with a later id
/// (`upload-id-marker` only counts together with `key-marker`).
fn after_markers(key: &str, id: &str, key_marker: &str, id_marker: &str) -> bool {
    key > key_marker
        || (!key_marker.is_empty() && !id_marker.is_empty() && key == key_marker && id > id_marker)
}

/// One page of uploads as (key, id, initiated), and whether more follow.
struct UploadPage {
    uploads: Vec<(String, String, u64)>,
    truncated: bool,
}

fn upload_page(state: &OssState, req: &Req, max: usize) -> UploadPage {
    let q = &req.query;
    let prefix = q.get("prefix").unwrap_or("");
    let key_marker = q.get("key-marker").unwrap_or("");
    let id_marker = q.get("upload-id-marker").unwrap_or("");
    let mut matching = state
        .store
        .uploads
        .list(req.bucket())
        .into_iter()
        .filter(|(k, id, _)| k.starts_with(prefix) && after_markers(k, id, key_marker, id_marker));
    let uploads: Vec<_> = matching.by_ref().take(max).collect();
    let truncated = matching.next().is_some();
    UploadPage { uploads, truncated }
}

/// `GET /?uploads`: the bucket's uploads in progress, sorted by key then upload id, paged with
/// `max-uploads`, `key-marker` and `upload-id-marker`, filtered by `prefix`.
pub(crate) fn list_uploads(state: &OssState, req: &Req) -> OssResult {
    let name = req.bucket();
    if !state.store.bucket_exists(name) {
        return Err(OssError::no_such_bucket(name));
    }
    let url = url_encoding(req)?;
    let max = max_uploads(req)?;
    let page = upload_page(state, req, max);
    let q = &req.query;
    let (next_key, next_id) = page
        .uploads
        .last()
        .map_or(("", ""), |(k, id, _)| (k.as_str(), id.as_str()));
    let mut w = XmlWriter::new();
    w.open("ListMultipartUploadsResult");
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem("Bucket", name);
    elem_key(&mut w, "KeyMarker", q.get("key-marker").unwrap_or(""), url);
    w.elem("UploadIdMarker", q.get("upload-id-marker").unwrap_or(""));
    elem_key(&mut w, "NextKeyMarker", next_key, url);
    w.elem("NextUploadIdMarker", next_id);
    elem_key(&mut w, "Prefix", q.get("prefix").unwrap_or(""), url);
    w.num("MaxUploads", max);
    w.num("IsTruncated", page.truncated);
    for (key, id, initiated) in &page.uploads {
        w.open("Upload");
        elem_key(&mut w, "Key", key, url);
        w.elem("UploadId", id);
        w.elem("StorageClass", "Standard");
        w.elem("Initiated", &iso8601(*initiated));
        w.close("Upload");
    }
    w.close("ListMultipartUploadsResult");
    Ok(xml_response(w.finish()))
}
