//! Response headers as the caller needs them: status, ETag, CRC, Content-Range, metadata.

use http::HeaderMap;
pub use oss_range::{ContentRange, ContentRangeError, Part as ContentRangePart};

use crate::crc;

/// Status and headers of a response, with the common ones parsed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObjectMeta {
    /// HTTP status (200, 204, 206, ...).
    pub status: u16,
    /// Every response header, untouched.
    pub headers: HeaderMap,
}

impl ObjectMeta {
    pub(crate) fn new(status: u16, headers: HeaderMap) -> Self {
        Self { status, headers }
    }

    /// A header as text (`None` when absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `ETag`, with its quotes.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// `x-oss-hash-crc64ecma`.
    pub fn crc64(&self) -> Option<u64> {
        self.header("x-oss-hash-crc64ecma")
            .and_then(crc::parse_header)
    }

    /// `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length")
            .and_then(|v| v.trim().parse().ok())
    }

    /// `Content-Range` (206 and 416 responses), parsed strictly by `oss-range`; `Ok(None)`
    /// when absent.
    ///
    /// # Errors
    ///
    /// The [`ContentRangeError`] of a present but malformed value (a header that is not
    /// visible ASCII is [`ContentRangeError::Unit`]).
    pub fn content_range(&self) -> Result<Option<ContentRange>, ContentRangeError> {
        match self.headers.get("content-range") {
            None => Ok(None),
            Some(value) => {
                let text = value.to_str().map_err(|_| ContentRangeError::Unit)?;
                ContentRange::parse(text).map(Some)
            }
        }
    }

    /// Object size: the `Content-Range` size when it is valid, else `Content-Length`.
    pub fn object_size(&self) -> Option<u64> {
        match self.content_range() {
            Ok(Some(range)) => Some(range.size()),
            _ => self.content_length(),
        }
    }

    /// `x-oss-request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-oss-request-id")
    }

    /// `Last-Modified`.
    pub fn last_modified(&self) -> Option<&str> {
        self.header("last-modified")
    }

    /// `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// `x-oss-version-id` on versioned buckets.
    pub fn version_id(&self) -> Option<&str> {
        self.header("x-oss-version-id")
    }

    /// Every `x-oss-meta-*` header as (suffix after `x-oss-meta-`, value), lower-case names,
    /// values decoded as UTF-8 (lossy).
    pub fn user_metadata(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter_map(|(name, value)| {
                let suffix = name.as_str().strip_prefix("x-oss-meta-")?;
                Some((
                    suffix.to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headers() {
        let mut h = HeaderMap::new();
        h.insert("etag", "\"ABC\"".parse().unwrap());
        h.insert(
            "x-oss-hash-crc64ecma",
            "11051210869376104954".parse().unwrap(),
        );
        h.insert("content-range", "bytes 500-999/1000".parse().unwrap());
        h.insert("content-length", "500".parse().unwrap());
        h.insert(
            "x-oss-meta-client-side-encryption-key",
            "a2V5".parse().unwrap(),
        );
        h.insert("x-oss-meta-Author", "alice".parse().unwrap());
        let m = ObjectMeta::new(206, h);
        assert_eq!(m.etag(), Some("\"ABC\""));
        assert_eq!(m.crc64(), Some(0x995D_C9BB_DF19_39FA));
        assert_eq!(
            m.content_range(),
            Ok(Some(ContentRange::Satisfied {
                first: 500,
                last: 999,
                size: 1000
            }))
        );
        assert_eq!(m.object_size(), Some(1000));
        let mut meta = m.user_metadata();
        meta.sort();
        assert_eq!(
            meta,
            [
                ("author".into(), "alice".into()),
                ("client-side-encryption-key".into(), "a2V5".into())
            ]
        );
        let mut h = HeaderMap::new();
        h.insert("content-range", "bytes 5-4/10".parse().unwrap());
        h.insert("content-length", "2".parse().unwrap());
        let m = ObjectMeta::new(206, h);
        assert_eq!(
            m.content_range(),
            Err(ContentRangeError::OutOfOrder {
                first: 5,
                last: 4,
                size: 10
            })
        );
        assert_eq!(m.object_size(), Some(2), "an invalid range is not a size");
        assert_eq!(
            ObjectMeta::new(200, HeaderMap::new()).content_range(),
            Ok(None)
        );
    }
}
