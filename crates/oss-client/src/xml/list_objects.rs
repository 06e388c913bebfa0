//! `ListBucketResult` of ListObjectsV2 (oss-api.md §7).

use serde::Deserialize;

use super::{from_xml, url_decode};
use crate::error::Result;

const OP: &str = "ListObjectsV2";

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Prefix", default)]
    prefix: String,
    #[serde(rename = "Delimiter")]
    delimiter: Option<String>,
    #[serde(rename = "StartAfter")]
    start_after: Option<String>,
    #[serde(rename = "MaxKeys", default)]
    max_keys: u32,
    #[serde(rename = "IsTruncated", default)]
    is_truncated: bool,
    #[serde(rename = "KeyCount", default)]
    key_count: u32,
    #[serde(rename = "ContinuationToken")]
    continuation_token: Option<String>,
    #[serde(rename = "NextContinuationToken")]
    next_continuation_token: Option<String>,
    #[serde(rename = "EncodingType")]
    encoding_type: Option<String>,
    #[serde(rename = "Contents", default)]
    contents: Vec<RawObject>,
    #[serde(rename = "CommonPrefixes", default)]
    common_prefixes: Vec<CommonPrefix>,
}

#[derive(Debug, Deserialize)]
struct RawObject {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "LastModified", default)]
    last_modified: String,
    #[serde(rename = "ETag", default)]
    etag: String,
    #[serde(rename = "Type", default)]
    object_type: String,
    #[serde(rename = "Size", default)]
    size: u64,
    #[serde(rename = "StorageClass", default)]
    storage_class: String,
}

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectSummary {
    /// Object key (decoded).
    pub key: String,
    /// ISO 8601 modification time.
    pub last_modified: String,
    /// ETag with its quotes.
    pub etag: String,
    /// `Normal`, `Multipart` or `Appendable`.
    pub object_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Storage class.
    pub storage_class: String,
}

/// A common prefix (a "directory" under the delimiter).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CommonPrefix {
    /// The prefix (decoded).
    #[serde(rename = "Prefix")]
    pub prefix: String,
}

/// A page of ListObjectsV2.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListObjectsResult {
    /// Bucket name.
    pub name: String,
    /// Requested prefix.
    pub prefix: String,
    /// Requested delimiter.
    pub delimiter: Option<String>,
    /// Requested start-after.
    pub start_after: Option<String>,
    /// Page size.
    pub max_keys: u32,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// Keys plus prefixes in this page.
    pub key_count: u32,
    /// Token of this page.
    pub continuation_token: Option<String>,
    /// Token for the next page.
    pub next_continuation_token: Option<String>,
    /// Objects.
    pub objects: Vec<ObjectSummary>,
    /// Common prefixes.
    pub common_prefixes: Vec<CommonPrefix>,
}

/// Parses the body, undoing `encoding-type=url` when the server echoes it.
pub(crate) fn parse(body: &[u8]) -> Result<ListObjectsResult> {
    let raw: Raw = from_xml(OP, body)?;
    let enc = raw.encoding_type.as_deref() == Some("url");
    let dec = |v: String| url_decode(OP, enc, v);
    let opt = |v: Option<String>| v.map(|s| url_decode(OP, enc, s)).transpose();
    let mut objects = Vec::with_capacity(raw.contents.len());
    for o in raw.contents {
        objects.push(ObjectSummary {
            key: dec(o.key)?,
            last_modified: o.last_modified,
            etag: o.etag,
            object_type: o.object_type,
            size: o.size,
            storage_class: o.storage_class,
        });
    }
    let common_prefixes = raw
        .common_prefixes
        .into_iter()
        .map(|p| {
            Ok(CommonPrefix {
                prefix: dec(p.prefix)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(ListObjectsResult {
        name: raw.name,
        prefix: dec(raw.prefix)?,
        delimiter: opt(raw.delimiter)?,
        start_after: opt(raw.start_after)?,
        max_keys: raw.max_keys,
        is_truncated: raw.is_truncated,
        key_count: raw.key_count,
        continuation_token: opt(raw.continuation_token)?,
        next_continuation_token: opt(raw.next_continuation_token)?,
        objects,
        common_prefixes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_listing() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>examplebucket</Name><Prefix>dir%2F</Prefix><MaxKeys>100</MaxKeys>
  <Delimiter>%2F</Delimiter><IsTruncated>true</IsTruncated><KeyCount>3</KeyCount>
  <NextContinuationToken>dir%2Fb%2Bc</NextContinuationToken><EncodingType>url</EncodingType>
  <Contents><Key>dir%2Fa%20b%2Bc.txt</Key><LastModified>2015-12-12T00:36:26.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag><Type>Normal</Type><Size>344606</Size>
    <StorageClass>Standard</StorageClass><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner></Contents>
  <Contents><Key>dir%2Fe</Key><Size>0</Size></Contents>
  <CommonPrefixes><Prefix>dir%2Fsub%2F</Prefix></CommonPrefixes>
</ListBucketResult>"#;
        let r = parse(body.as_bytes()).unwrap();
        assert_eq!(r.prefix, "dir/");
        assert_eq!(r.delimiter.as_deref(), Some("/"));
        assert!(r.is_truncated);
        assert_eq!(r.next_continuation_token.as_deref(), Some("dir/b+c"));
        assert_eq!(r.objects.len(), 2);
        assert_eq!(r.objects[0].key, "dir/a b+c.txt");
        assert_eq!(r.objects[0].size, 344_606);
        assert_eq!(r.common_prefixes[0].prefix, "dir/sub/");
        assert!(
            parse(b"<ListBucketResult><Contents><Size>x</Size></Contents></ListBucketResult>")
                .is_err()
        );
        assert!(parse(b"\xff").is_err());
    }
}
