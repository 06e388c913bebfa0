//! Response headers as the caller needs them: status, ETag, CRC, Content-Range, metadata.

use http::HeaderMap;

use crate::crc;

/// `Content-Range: bytes <first>-<last>/<total>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// First byte (inclusive).
    pub first: u64,
    /// Last byte (inclusive).
    pub last: u64,
    /// Object size.
    pub total: u64,
}

impl ContentRange {
    /// Parses `bytes a-b/N`; `None` for anything else (including `bytes */N`).
    pub fn parse(value: &str) -> Option<Self> {
        let rest = value.trim().strip_prefix("bytes ")?;
        let (span, total) = rest.split_once('/')?;
        let (first, last) = span.split_once('-')?;
        let range = Self {
            first: first.parse().ok()?,
            last: last.parse().ok()?,
            total: total.parse().ok()?,
        };
        (range.first <= range.last && range.last < range.total).then_some(range)
    }

    /// Number of bytes in the range.
    pub fn len(&self) -> u64 {
        self.last - self.first + 1
    }

    /// Always `false`: a satisfiable range holds at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }
}

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

    /// Parsed `Content-Range` (206 responses).
    pub fn content_range(&self) -> Option<ContentRange> {
        self.header("content-range").and_then(ContentRange::parse)
    }

    /// Object size: the `Content-Range` total, else `Content-Length`.
    pub fn object_size(&self) -> Option<u64> {
        self.content_range()
            .map(|r| r.total)
            .or_else(|| self.content_length())
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
            Some(ContentRange {
                first: 500,
                last: 999,
                total: 1000
            })
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
        for bad in [
            "bytes */1000",
            "bytes 5-4/10",
            "bytes 0-10/10",
            "items 0-1/2",
            "bytes a-1/2",
        ] {
            assert_eq!(ContentRange::parse(bad), None, "{bad}");
        }
    }
}
