//! The operations, one file per family. Each builds an `OssRequest` and interprets the answer.

pub(crate) mod bucket;
pub(crate) mod download;
pub(crate) mod get;
pub(crate) mod list;
pub(crate) mod multipart;
pub(crate) mod object;
pub(crate) mod presign;
pub(crate) mod service;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// Parses a header pair given as text.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for an invalid name or value.
pub fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let n = HeaderName::try_from(name)
        .map_err(|_| Error::InvalidArgument(format!("invalid header name {name:?}")))?;
    let v = HeaderValue::try_from(value)
        .map_err(|_| Error::InvalidArgument(format!("invalid value for header {name}")))?;
    Ok((n, v))
}

/// Copies `extra` over `base` (extra wins).
pub(crate) fn merge(base: &mut HeaderMap, extra: &HeaderMap) {
    for name in extra.keys() {
        base.remove(name);
        for value in extra.get_all(name) {
            base.append(name.clone(), value.clone());
        }
    }
}

/// The ETag value without quotes, upper case (for comparisons).
pub(crate) fn bare_etag(etag: &str) -> String {
    etag.trim().trim_matches('"').to_ascii_uppercase()
}
