//! `ListMultipartUploadsResult` (oss-api.md: `GET /?uploads`).

use serde::Deserialize;

use super::{from_xml, url_decode};
use crate::error::Result;

const OP: &str = "ListMultipartUploads";

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(rename = "EncodingType")]
    encoding_type: Option<String>,
    #[serde(rename = "NextKeyMarker", default)]
    next_key_marker: String,
    #[serde(rename = "NextUploadIdMarker", default)]
    next_upload_id_marker: String,
    #[serde(rename = "IsTruncated", default)]
    is_truncated: bool,
    #[serde(rename = "Upload", default)]
    uploads: Vec<RawUpload>,
}

#[derive(Debug, Deserialize)]
struct RawUpload {
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "UploadId", default)]
    upload_id: String,
    #[serde(rename = "Initiated", default)]
    initiated: String,
}

/// One multipart upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadSummary {
    /// Object key (decoded).
    pub key: String,
    /// Upload id.
    pub upload_id: String,
    /// ISO 8601 time it was initiated.
    pub initiated: String,
}

/// A page of ListMultipartUploads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListUploadsResult {
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// `key-marker` of the next page (decoded).
    pub next_key_marker: String,
    /// `upload-id-marker` of the next page.
    pub next_upload_id_marker: String,
    /// The uploads, by key then upload id.
    pub uploads: Vec<UploadSummary>,
}

/// Parses the body.
pub(crate) fn parse(body: &[u8]) -> Result<ListUploadsResult> {
    let raw: Raw = from_xml(OP, body)?;
    let enc = raw.encoding_type.as_deref() == Some("url");
    let uploads = raw
        .uploads
        .into_iter()
        .map(|u| {
            Ok(UploadSummary {
                key: url_decode(OP, enc, u.key)?,
                upload_id: u.upload_id,
                initiated: u.initiated,
            })
        })
        .collect::<Result<_>>()?;
    Ok(ListUploadsResult {
        is_truncated: raw.is_truncated,
        next_key_marker: url_decode(OP, enc, raw.next_key_marker)?,
        next_upload_id_marker: raw.next_upload_id_marker,
        uploads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_page_and_refuses_garbage() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult><EncodingType>url</EncodingType><Bucket>b</Bucket>
<NextKeyMarker>a%2Fb%20c</NextKeyMarker><NextUploadIdMarker>U2</NextUploadIdMarker>
<IsTruncated>true</IsTruncated>
<Upload><Key>a%2Fb%20c</Key><UploadId>U2</UploadId><Initiated>2026-01-01T00:00:00.000Z</Initiated></Upload>
</ListMultipartUploadsResult>"#;
        let page = parse(body).unwrap();
        assert!(page.is_truncated);
        assert_eq!(page.next_key_marker, "a/b c");
        assert_eq!(page.uploads.len(), 1);
        assert_eq!(page.uploads[0].key, "a/b c");
        assert_eq!(page.uploads[0].upload_id, "U2");
        assert!(parse(b"<nope").is_err());
    }
}
