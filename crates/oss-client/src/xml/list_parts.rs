//! `ListPartsResult`, including the `ClientEncryption*` elements (oss-api.md §6.6).

use serde::Deserialize;

use super::{from_xml, url_decode};
use crate::error::Result;

const OP: &str = "ListParts";

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(rename = "EncodingType")]
    encoding_type: Option<String>,
    #[serde(rename = "Bucket", default)]
    bucket: String,
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "UploadId", default)]
    upload_id: String,
    #[serde(rename = "StorageClass")]
    storage_class: Option<String>,
    #[serde(rename = "PartNumberMarker", default)]
    part_number_marker: u32,
    #[serde(rename = "NextPartNumberMarker", default)]
    next_part_number_marker: u32,
    #[serde(rename = "MaxParts", default)]
    max_parts: u32,
    #[serde(rename = "IsTruncated", default)]
    is_truncated: bool,
    #[serde(rename = "ClientEncryptionKey")]
    cse_key: Option<String>,
    #[serde(rename = "ClientEncryptionStart")]
    cse_start: Option<String>,
    #[serde(rename = "ClientEncryptionCekAlg")]
    cse_cek_alg: Option<String>,
    #[serde(rename = "ClientEncryptionWrapAlg")]
    cse_wrap_alg: Option<String>,
    #[serde(rename = "ClientEncryptionDataSize")]
    cse_data_size: Option<u64>,
    #[serde(rename = "ClientEncryptionPartSize")]
    cse_part_size: Option<u64>,
    #[serde(rename = "Part", default)]
    parts: Vec<PartSummary>,
}

/// One uploaded part.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PartSummary {
    /// Part number, 1..=10000.
    #[serde(rename = "PartNumber")]
    pub part_number: u32,
    /// ISO 8601 upload time.
    #[serde(rename = "LastModified", default)]
    pub last_modified: String,
    /// ETag with its quotes.
    #[serde(rename = "ETag", default)]
    pub etag: String,
    /// CRC-64 of the part, when the server reports it.
    #[serde(rename = "HashCrc64ecma")]
    pub crc64: Option<u64>,
    /// Size in bytes.
    #[serde(rename = "Size", default)]
    pub size: u64,
}

/// The client-side-encryption values of an upload (copied from its Initiate request).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ClientEncryption {
    /// `ClientEncryptionKey`.
    pub key: Option<String>,
    /// `ClientEncryptionStart`.
    pub start: Option<String>,
    /// `ClientEncryptionCekAlg`.
    pub cek_alg: Option<String>,
    /// `ClientEncryptionWrapAlg`.
    pub wrap_alg: Option<String>,
    /// `ClientEncryptionDataSize`.
    pub data_size: Option<u64>,
    /// `ClientEncryptionPartSize`.
    pub part_size: Option<u64>,
}

/// A page of ListParts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListPartsResult {
    /// Bucket name.
    pub bucket: String,
    /// Object key (decoded).
    pub key: String,
    /// Upload id.
    pub upload_id: String,
    /// Storage class.
    pub storage_class: Option<String>,
    /// Marker this page started after.
    pub part_number_marker: u32,
    /// Marker for the next page.
    pub next_part_number_marker: u32,
    /// Page size.
    pub max_parts: u32,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// `ClientEncryption*` elements; `None` when the upload has none.
    pub client_encryption: Option<ClientEncryption>,
    /// Parts, ascending.
    pub parts: Vec<PartSummary>,
}

/// Parses the body.
pub(crate) fn parse(body: &[u8]) -> Result<ListPartsResult> {
    let raw: Raw = from_xml(OP, body)?;
    let enc = raw.encoding_type.as_deref() == Some("url");
    let cse = ClientEncryption {
        key: raw.cse_key,
        start: raw.cse_start,
        cek_alg: raw.cse_cek_alg,
        wrap_alg: raw.cse_wrap_alg,
        data_size: raw.cse_data_size,
        part_size: raw.cse_part_size,
    };
    let client_encryption = (cse != ClientEncryption::default()).then_some(cse);
    Ok(ListPartsResult {
        bucket: raw.bucket,
        key: url_decode(OP, enc, raw.key)?,
        upload_id: raw.upload_id,
        storage_class: raw.storage_class,
        part_number_marker: raw.part_number_marker,
        next_part_number_marker: raw.next_part_number_marker,
        max_parts: raw.max_parts,
        is_truncated: raw.is_truncated,
        client_encryption,
        parts: raw.parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_with_encryption() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult>
  <Bucket>examplebucket</Bucket><Key>multipart.data</Key>
  <UploadId>0004B9894A22E5B1888A1E29F8236E2D</UploadId><StorageClass>Standard</StorageClass>
  <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>1</NextPartNumberMarker>
  <MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>
  <ClientEncryptionKey>a2V5</ClientEncryptionKey><ClientEncryptionStart>c3RhcnQ=</ClientEncryptionStart>
  <ClientEncryptionCekAlg>AES/CTR/NoPadding</ClientEncryptionCekAlg>
  <ClientEncryptionWrapAlg>RSA/NONE/PKCS1Padding</ClientEncryptionWrapAlg>
  <ClientEncryptionDataSize>482048</ClientEncryptionDataSize>
  <ClientEncryptionPartSize>102400</ClientEncryptionPartSize>
  <Part><PartNumber>1</PartNumber><LastModified>2012-02-23T07:01:34.000Z</LastModified>
    <ETag>"251AD9D223371CF6380544DF72E106CB"</ETag><HashCrc64ecma>8763152386744783419</HashCrc64ecma>
    <Size>102400</Size></Part>
</ListPartsResult>"#;
        let r = parse(body.as_bytes()).unwrap();
        let cse = r.client_encryption.unwrap();
        assert_eq!(cse.data_size, Some(482_048));
        assert_eq!(cse.part_size, Some(102_400));
        assert_eq!(cse.wrap_alg.as_deref(), Some("RSA/NONE/PKCS1Padding"));
        assert_eq!(r.parts.len(), 1);
        assert_eq!(r.parts[0].crc64, Some(8_763_152_386_744_783_419));
        assert_eq!(r.parts[0].etag, "\"251AD9D223371CF6380544DF72E106CB\"");
        let plain = parse(
            b"<ListPartsResult><Key>k%2Fx</Key><EncodingType>url</EncodingType></ListPartsResult>",
        )
        .unwrap();
        assert!(plain.client_encryption.is_none() && plain.parts.is_empty());
        assert_eq!(plain.key, "k/x");
        assert!(
            parse(b"<ListPartsResult><Part><PartNumber>-1</PartNumber></Part></ListPartsResult>")
                .is_err()
        );
    }
}
