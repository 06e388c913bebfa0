//! Multipart upload: initiate, upload part, complete (with CRC fold and lost-answer recovery),
//! abort, list parts.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderValue, Method};
use md5::{Digest as _, Md5};

use super::bare_etag;
use super::object::PutResult;
use crate::client::Client;
use crate::client::endpoint::validate_key;
use crate::client::send::OssRequest;
use crate::crc::crc64_combine;
use crate::error::{Error, Result};
use crate::payload::PutPayload;
use crate::xml::{
    CompleteMultipartResult, InitiateMultipartResult, ListPartsResult, complete_body,
    parse_complete, parse_initiate, parse_list_parts,
};

/// A part to list in CompleteMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompletedPart {
    /// Part number.
    pub part_number: u32,
    /// ETag as returned by UploadPart (quotes optional).
    pub etag: String,
    /// The part's CRC-64, when known: with sizes for every part, the completed object's CRC is
    /// checked against their fold.
    pub crc64: Option<u64>,
    /// The part's size.
    pub size: Option<u64>,
}

impl CompletedPart {
    /// A part known by number and ETag only.
    pub fn new(part_number: u32, etag: impl Into<String>) -> Self {
        Self {
            part_number,
            etag: etag.into(),
            crc64: None,
            size: None,
        }
    }

    /// From an UploadPart result.
    pub fn from_result(part_number: u32, result: &PutResult) -> Self {
        Self {
            part_number,
            etag: result.etag.clone(),
            crc64: result.crc64,
            size: Some(result.size),
        }
    }
}

/// Options of ListParts.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListPartsOptions {
    /// Page size (server default and maximum 1000).
    pub max_parts: Option<u32>,
    /// List parts after this number.
    pub part_number_marker: Option<u32>,
}

impl ListPartsOptions {
    /// Page size.
    #[must_use]
    pub fn with_max_parts(mut self, max_parts: u32) -> Self {
        self.max_parts = Some(max_parts);
        self
    }

    /// List parts after `marker`.
    #[must_use]
    pub fn with_part_number_marker(mut self, marker: u32) -> Self {
        self.part_number_marker = Some(marker);
        self
    }
}

/// The multipart ETag OSS assigns: MD5 of the concatenated upper-case hex part MD5s, `-<n>`
/// (oss-api.md §10.2).
pub fn multipart_etag<'a>(part_etags: impl IntoIterator<Item = &'a str>) -> String {
    let mut md5 = Md5::new();
    let mut count = 0usize;
    for etag in part_etags {
        md5.update(bare_etag(etag).as_bytes());
        count += 1;
    }
    format!("\"{}-{count}\"", hex::encode_upper(md5.finalize()))
}

/// Fold of the part CRCs when every part has CRC and size.
fn folded_crc(parts: &[CompletedPart]) -> Option<u64> {
    parts
        .iter()
        .try_fold(0u64, |acc, p| Some(crc64_combine(acc, p.crc64?, p.size?)))
}

impl Client {
    /// Starts an upload; `headers` (`x-oss-meta-*`, content headers) become the object's.
    ///
    /// # Errors
    ///
    /// Server and transport errors; [`Error::InvalidResponse`] for an unreadable answer.
    pub async fn initiate_multipart_upload(
        &self,
        key: &str,
        headers: &HeaderMap,
    ) -> Result<InitiateMultipartResult> {
        validate_key(key)?;
        let mut req = OssRequest::new("InitiateMultipartUpload", Method::POST, Some(key))
            .query("uploads", "")
            .query("encoding-type", "url");
        req.headers = headers.clone();
        // A retry could create a second (orphan) upload, which is harmless: only the id we
        // return is used, and unused uploads expire or are aborted by lifecycle rules.
        let (_, body) = self.run_full(&req).await?;
        parse_initiate(&body)
    }

    /// Uploads one part (1..=10000); retried when the payload is replayable.
    ///
    /// # Errors
    ///
    /// As [`Client::put_object`]; [`Error::NotFound`] for an unknown upload.
    pub async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        part_number: u32,
        payload: PutPayload,
        headers: &HeaderMap,
    ) -> Result<PutResult> {
        validate_key(key)?;
        if !(1..=10_000).contains(&part_number) {
            return Err(Error::InvalidArgument(format!(
                "part number {part_number} outside 1..=10000"
            )));
        }
        let mut req = OssRequest::new("UploadPart", Method::PUT, Some(key))
            .query("partNumber", part_number.to_string())
            .query("uploadId", upload_id);
        req.headers = headers.clone();
        req.body = Some(&payload);
        req.body_crc = true;
        let (meta, _) = self.run_full(&req).await?;
        PutResult::from_meta("UploadPart", meta, payload.len())
    }

    /// Completes an upload with `parts` (sorted by number here). When every part has a CRC and
    /// size, the object's CRC is checked against their fold. If a retried request finds the
    /// upload gone (its first answer was lost), a HEAD confirms the expected ETag.
    ///
    /// # Errors
    ///
    /// Server and transport errors; [`Error::CrcMismatch`] when the folded part CRCs differ
    /// from the object's.
    pub async fn complete_multipart_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: &[CompletedPart],
        headers: &HeaderMap,
    ) -> Result<CompleteMultipartResult> {
        validate_key(key)?;
        let mut parts = parts.to_vec();
        parts.sort_by_key(|p| p.part_number);
        let listed: Vec<(u32, &str)> = parts
            .iter()
            .map(|p| (p.part_number, p.etag.as_str()))
            .collect();
        let body = complete_body(&listed);
        let md5 = STANDARD.encode(Md5::digest(body.as_bytes()));
        let payload = PutPayload::from_bytes(body);
        let mut req = OssRequest::new("CompleteMultipartUpload", Method::POST, Some(key))
            .query("uploadId", upload_id)
            .query("encoding-type", "url");
        req.headers = headers.clone();
        req.headers.insert(
            "content-md5",
            HeaderValue::try_from(md5).map_err(|_| Error::InvalidArgument("md5".into()))?,
        );
        req.headers
            .insert("content-type", HeaderValue::from_static("application/xml"));
        req.body = Some(&payload);
        let expected_etag = multipart_etag(parts.iter().map(|p| p.etag.as_str()));
        let expected_crc = folded_crc(&parts);
        let result = match self.run_full(&req).await {
            Ok((meta, body)) => {
                let mut result = parse_complete(&body)?;
                result.crc64 = meta.crc64();
                result
            }
            Err(e) if e.service_error().is_some_and(|s| s.code == "NoSuchUpload") => {
                self.confirm_completed(key, &expected_etag, e).await?
            }
            Err(e) => return Err(e),
        };
        if let (true, Some(server), Some(local)) =
            (self.inner.check_crc, result.crc64, expected_crc)
            && server != local
        {
            return Err(Error::CrcMismatch {
                operation: "CompleteMultipartUpload",
                server,
                client: local,
            });
        }
        Ok(result)
    }

    /// After `NoSuchUpload`: the object exists with the ETag these parts produce → done.
    async fn confirm_completed(
        &self,
        key: &str,
        expected_etag: &str,
        cause: Error,
    ) -> Result<CompleteMultipartResult> {
        let Ok(meta) = self.head_object(key, &HeaderMap::new()).await else {
            return Err(cause);
        };
        match meta.etag() {
            Some(etag) if bare_etag(etag) == bare_etag(expected_etag) => {
                Ok(CompleteMultipartResult {
                    location: String::new(),
                    bucket: self.bucket().to_owned(),
                    key: key.to_owned(),
                    etag: etag.to_owned(),
                    crc64: meta.crc64(),
                })
            }
            _ => Err(cause),
        }
    }

    /// Aborts an upload.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown upload; other server and transport errors.
    pub async fn abort_multipart_upload(&self, key: &str, upload_id: &str) -> Result<()> {
        validate_key(key)?;
        let req = OssRequest::new("AbortMultipartUpload", Method::DELETE, Some(key))
            .query("uploadId", upload_id);
        self.run_full(&req).await.map(drop)
    }

    /// Lists uploaded parts, with the upload's `ClientEncryption*` values.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown upload; other server and transport errors.
    pub async fn list_parts(
        &self,
        key: &str,
        upload_id: &str,
        options: &ListPartsOptions,
    ) -> Result<ListPartsResult> {
        validate_key(key)?;
        let mut req = OssRequest::new("ListParts", Method::GET, Some(key))
            .query("uploadId", upload_id)
            .query("encoding-type", "url");
        if let Some(max) = options.max_parts {
            req = req.query("max-parts", max.to_string());
        }
        if let Some(marker) = options.part_number_marker {
            req = req.query("part-number-marker", marker.to_string());
        }
        let (_, body) = self.run_full(&req).await?;
        parse_list_parts(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_etag_vectors() {
        let Some(v) = oss_testkit::Vectors::locate() else {
            return;
        };
        let cases = v.multipart_etag().cases;
        let case = |id: &str| cases.iter().find(|c| c.id == id).unwrap();
        // The real-OSS trace: two parts, one ETag given with its quotes.
        let trace = case("py1-mock-trace");
        let quoted = format!("\"{}\"", trace.part_md5_hex[0]);
        let two = multipart_etag([quoted.as_str(), trace.part_md5_hex[1].as_str()]);
        assert_eq!(two, trace.expected_etag);
        // The Go sample file in 100 KiB parts.
        let go = case("go1-bing-5-parts");
        let data = v.bytes(go.file.as_deref().unwrap());
        let part_size = usize::try_from(go.part_size.unwrap()).unwrap();
        let etags: Vec<String> = data
            .chunks(part_size)
            .map(|c| hex::encode_upper(Md5::digest(c)))
            .collect();
        assert_eq!(etags, go.part_md5_hex);
        assert_eq!(
            multipart_etag(etags.iter().map(String::as_str)),
            go.expected_etag
        );
    }

    #[test]
    fn fold_needs_every_part() {
        let a = crate::crc::crc64(b"1234");
        let b = crate::crc::crc64(b"56789");
        let parts = [
            CompletedPart {
                crc64: Some(a),
                size: Some(4),
                ..CompletedPart::new(1, "x")
            },
            CompletedPart {
                crc64: Some(b),
                size: Some(5),
                ..CompletedPart::new(2, "y")
            },
        ];
        assert_eq!(folded_crc(&parts), Some(crate::crc::crc64(b"123456789")));
        assert_eq!(folded_crc(&[CompletedPart::new(1, "x")]), None);
    }
}
