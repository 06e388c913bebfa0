//! Integrity values OSS reports: MD5 ETags (including the multipart rule) and CRC-64/XZ.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crc_fast::{CrcAlgorithm, Digest as CrcDigest};
use md5::{Digest as _, Md5};

/// MD5 and CRC-64 computed together while a body streams in.
#[derive(Clone)]
pub(crate) struct BodyHasher {
    md5: Md5,
    crc: CrcDigest,
    len: u64,
}

impl Default for BodyHasher {
    fn default() -> Self {
        Self {
            md5: Md5::new(),
            crc: CrcDigest::new(CrcAlgorithm::Crc64Xz),
            len: 0,
        }
    }
}

/// The digests of a complete body. `md5` is `None` only in fast-ETag mode (benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyDigest {
    pub(crate) md5: Option<[u8; 16]>,
    pub(crate) crc64: u64,
    pub(crate) len: u64,
}

impl BodyHasher {
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.md5.update(data);
        self.update_crc(data);
    }

    /// Updates CRC and length only (the MD5 runs elsewhere, see `oss::body`).
    pub(crate) fn update_crc(&mut self, data: &[u8]) {
        self.crc.update(data);
        self.len += data.len() as u64;
    }

    pub(crate) fn finish(self) -> BodyDigest {
        BodyDigest {
            md5: Some(self.md5.finalize().into()),
            crc64: self.crc.finalize(),
            len: self.len,
        }
    }
}

impl BodyDigest {
    /// The ETag value without quotes: upper-case hex MD5 (fast-ETag mode: CRC-64 and length in
    /// hex, 32 characters, not an MD5).
    pub(crate) fn etag(&self) -> String {
        match self.md5 {
            Some(md5) => hex::encode_upper(md5),
            None => format!("{:016X}{:016X}", self.crc64, self.len),
        }
    }

    /// Base64 of the raw MD5, as in `Content-MD5`.
    pub(crate) fn content_md5(&self) -> Option<String> {
        self.md5.map(|md5| STANDARD.encode(md5))
    }
}

/// CRC-64/XZ of `data`.
#[cfg(test)]
pub(crate) fn crc64(data: &[u8]) -> u64 {
    crc_fast::checksum(CrcAlgorithm::Crc64Xz, data)
}

/// CRC of `a ++ b` from the CRCs of `a` and `b` and the length of `b`.
pub(crate) fn crc64_combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, crc_a, crc_b, len_b)
}

/// The OSS multipart ETag (without quotes): MD5 of the concatenated upper-case hex part MD5s,
/// then `-<count>`.
pub(crate) fn multipart_etag<'a>(part_etags: impl IntoIterator<Item = &'a str>) -> String {
    let mut md5 = Md5::new();
    let mut count = 0usize;
    for etag in part_etags {
        md5.update(etag.to_ascii_uppercase().as_bytes());
        count += 1;
    }
    format!("{}-{count}", hex::encode_upper(md5.finalize()))
}

/// Strips surrounding quotes (clients echo ETags with or without them).
pub(crate) fn unquote(etag: &str) -> &str {
    let etag = etag.trim();
    etag.strip_prefix('"')
        .and_then(|e| e.strip_suffix('"'))
        .unwrap_or(etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_etag_matches_vectors() {
        let Some(v) = oss_testkit::Vectors::locate() else {
            return;
        };
        let mut checked = 0;
        for case in v.multipart_etag().cases {
            if case.part_md5_hex.is_empty() {
                continue;
            }
            let parts: Vec<&str> = case.part_md5_hex.iter().map(String::as_str).collect();
            let expected = unquote(&case.expected_etag);
            assert_eq!(multipart_etag(parts), expected, "{}", case.id);
            checked += 1;
        }
        assert!(checked >= 2);
    }

    #[test]
    fn crc_check_value_and_combine() {
        assert_eq!(crc64(b"123456789"), 11_051_210_869_376_104_954);
        let (a, b) = (b"12345".as_slice(), b"6789".as_slice());
        assert_eq!(crc64_combine(crc64(a), crc64(b), 4), crc64(b"123456789"));
        let mut h = BodyHasher::default();
        h.update(a);
        h.update(b);
        let d = h.finish();
        assert_eq!((d.crc64, d.len), (crc64(b"123456789"), 9));
        assert_eq!(d.etag(), "25F9E794323B453885F5181F1B624D0B");
    }
}
