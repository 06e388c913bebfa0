//! XML bodies of OSS responses (quick-xml serde) and the one request body the client sends.
//!
//! Every parser takes untrusted bytes and returns a typed error, never panics; they are fuzzed
//! through [`crate::__fuzz`].

mod error_body;
mod list_buckets;
mod list_objects;
mod list_parts;
mod list_uploads;
mod multipart;

use serde::de::DeserializeOwned;

pub(crate) use error_body::parse_error_body;
pub(crate) use list_buckets::parse as parse_list_buckets;
pub use list_buckets::{BucketSummary, ListBucketsResult};
pub(crate) use list_objects::parse as parse_list_objects;
pub use list_objects::{CommonPrefix, ListObjectsResult, ObjectSummary};
pub(crate) use list_parts::parse as parse_list_parts;
pub use list_parts::{ClientEncryption, ListPartsResult, PartSummary};
pub(crate) use list_uploads::parse as parse_list_uploads;
pub use list_uploads::{ListUploadsResult, UploadSummary};
pub use multipart::{CompleteMultipartResult, CopyObjectResult, InitiateMultipartResult};
pub(crate) use multipart::{complete_body, parse_complete, parse_copy, parse_initiate};

use crate::error::{Error, Result};

/// Deserialises an XML document.
pub(crate) fn from_xml<T: DeserializeOwned>(operation: &'static str, body: &[u8]) -> Result<T> {
    let text = core::str::from_utf8(body)
        .map_err(|_| Error::invalid_response(operation, "xml body is not utf-8"))?;
    quick_xml::de::from_str(text)
        .map_err(|e| Error::invalid_response(operation, format!("bad xml: {e}")))
}

/// Undoes `encoding-type=url` (plain percent-decoding: `+` stays `+`, oss-api.md §1).
pub(crate) fn url_decode(operation: &'static str, encoded: bool, value: String) -> Result<String> {
    if !encoded {
        return Ok(value);
    }
    oss_signing::percent_decode(&value)
        .map_err(|e| Error::invalid_response(operation, format!("url-encoded value: {e}")))
}

/// Escapes text for an XML element.
pub(crate) fn escape(text: &str) -> String {
    quick_xml::escape::partial_escape(text).into_owned()
}
