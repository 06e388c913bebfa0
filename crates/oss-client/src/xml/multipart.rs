//! Initiate / Complete multipart results, the Complete request body, and CopyObjectResult.

use core::fmt::Write as _;

use serde::Deserialize;

use super::{escape, from_xml, url_decode};
use crate::error::Result;

#[derive(Debug, Deserialize)]
struct RawInitiate {
    #[serde(rename = "EncodingType")]
    encoding_type: Option<String>,
    #[serde(rename = "Bucket", default)]
    bucket: String,
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "UploadId")]
    upload_id: String,
}

/// Result of InitiateMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InitiateMultipartResult {
    /// Bucket name.
    pub bucket: String,
    /// Object key (decoded).
    pub key: String,
    /// The new upload id.
    pub upload_id: String,
}

pub(crate) fn parse_initiate(body: &[u8]) -> Result<InitiateMultipartResult> {
    const OP: &str = "InitiateMultipartUpload";
    let raw: RawInitiate = from_xml(OP, body)?;
    let enc = raw.encoding_type.as_deref() == Some("url");
    if raw.upload_id.is_empty() {
        return Err(crate::Error::invalid_response(OP, "empty UploadId"));
    }
    Ok(InitiateMultipartResult {
        bucket: raw.bucket,
        key: url_decode(OP, enc, raw.key)?,
        upload_id: raw.upload_id,
    })
}

#[derive(Debug, Deserialize)]
struct RawComplete {
    #[serde(rename = "EncodingType")]
    encoding_type: Option<String>,
    #[serde(rename = "Location", default)]
    location: String,
    #[serde(rename = "Bucket", default)]
    bucket: String,
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "ETag", default)]
    etag: String,
}

/// Result of CompleteMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompleteMultipartResult {
    /// Object URL.
    pub location: String,
    /// Bucket name.
    pub bucket: String,
    /// Object key (decoded).
    pub key: String,
    /// Multipart ETag with quotes (`"<hex>-<parts>"`).
    pub etag: String,
    /// `x-oss-hash-crc64ecma` of the whole object, when sent.
    pub crc64: Option<u64>,
}

pub(crate) fn parse_complete(body: &[u8]) -> Result<CompleteMultipartResult> {
    const OP: &str = "CompleteMultipartUpload";
    let raw: RawComplete = from_xml(OP, body)?;
    let enc = raw.encoding_type.as_deref() == Some("url");
    Ok(CompleteMultipartResult {
        location: raw.location,
        bucket: raw.bucket,
        key: url_decode(OP, enc, raw.key)?,
        etag: raw.etag,
        crc64: None,
    })
}

#[derive(Debug, Deserialize)]
struct RawCopy {
    #[serde(rename = "ETag", default)]
    etag: String,
    #[serde(rename = "LastModified", default)]
    last_modified: String,
}

/// Result of CopyObject.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CopyObjectResult {
    /// Destination ETag with quotes.
    pub etag: String,
    /// ISO 8601 time.
    pub last_modified: String,
    /// `x-oss-hash-crc64ecma` of the destination, when sent.
    pub crc64: Option<u64>,
}

pub(crate) fn parse_copy(body: &[u8]) -> Result<CopyObjectResult> {
    let raw: RawCopy = from_xml("CopyObject", body)?;
    Ok(CopyObjectResult {
        etag: raw.etag,
        last_modified: raw.last_modified,
        crc64: None,
    })
}

/// `<CompleteMultipartUpload>` with one `<Part>` per (number, ETag), in the given order.
pub(crate) fn complete_body(parts: &[(u32, &str)]) -> String {
    let mut s = String::from("<CompleteMultipartUpload>");
    for (number, etag) in parts {
        let _ = write!(
            s,
            "<Part><PartNumber>{number}</PartNumber><ETag>{}</ETag></Part>",
            escape(etag)
        );
    }
    s.push_str("</CompleteMultipartUpload>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        let init = parse_initiate(
            br#"<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><EncodingType>url</EncodingType><Bucket>examplebucket</Bucket><Key>multipart%2Bx.data</Key><UploadId>0004B9894A22E5B1888A1E29F8236E2D</UploadId></InitiateMultipartUploadResult>"#,
        )
        .unwrap();
        assert_eq!(
            (init.key.as_str(), init.upload_id.as_str()),
            ("multipart+x.data", "0004B9894A22E5B1888A1E29F8236E2D")
        );
        assert!(parse_initiate(b"<InitiateMultipartUploadResult><UploadId></UploadId></InitiateMultipartUploadResult>").is_err());
        let done = parse_complete(
            br#"<CompleteMultipartUploadResult><Location>http://examplebucket.oss-cn-hangzhou.aliyuncs.com/multipart.data</Location><Bucket>examplebucket</Bucket><Key>multipart.data</Key><ETag>"1C787C506EABFB9B45EAAA8DB039F4B2-2"</ETag></CompleteMultipartUploadResult>"#,
        )
        .unwrap();
        assert_eq!(done.etag, "\"1C787C506EABFB9B45EAAA8DB039F4B2-2\"");
        let copy = parse_copy(br#"<CopyObjectResult><ETag>"1C71822C6C732797FA709920F1425CEC"</ETag><LastModified>2019-04-09T03:45:32.000Z</LastModified></CopyObjectResult>"#).unwrap();
        assert_eq!(copy.last_modified, "2019-04-09T03:45:32.000Z");
        assert_eq!(
            complete_body(&[(1, "\"A\""), (2, "\"B\"")]),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"A\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>\"B\"</ETag></Part></CompleteMultipartUpload>"
        );
    }
}
