//! CRC-64/XZ (`x-oss-hash-crc64ecma`, oss-api.md §10.1), incremental and combinable.

use crc_fast::{CrcAlgorithm, Digest};

/// An incremental CRC-64/XZ over a byte stream, counting the bytes it saw.
#[derive(Clone)]
pub struct Crc64 {
    digest: Digest,
    len: u64,
}

impl core::fmt::Debug for Crc64 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Crc64")
            .field("value", &self.value())
            .field("len", &self.len)
            .finish()
    }
}

impl Default for Crc64 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc64 {
    /// A CRC of zero bytes.
    pub fn new() -> Self {
        Self {
            digest: Digest::new(CrcAlgorithm::Crc64Xz),
            len: 0,
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.digest.update(data);
        self.len += data.len() as u64;
    }

    /// The CRC of everything fed so far.
    pub fn value(&self) -> u64 {
        self.digest.finalize()
    }

    /// Number of bytes fed.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing was fed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// CRC-64/XZ of a buffer.
pub fn crc64(data: &[u8]) -> u64 {
    crc_fast::checksum(CrcAlgorithm::Crc64Xz, data)
}

/// CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)`.
pub fn crc64_combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, crc_a, crc_b, len_b)
}

/// The CRC of parts `(crc, len)` laid end to end, in part order, from an empty start: what
/// OSS reports for a multipart object (spec §10).
pub fn crc64_fold(parts: impl IntoIterator<Item = (u64, u64)>) -> u64 {
    parts
        .into_iter()
        .fold(0, |acc, (crc, len)| crc64_combine(acc, crc, len))
}

/// Parses `x-oss-hash-crc64ecma` (unsigned decimal).
pub(crate) fn parse_header(value: &str) -> Option<u64> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_and_incremental() {
        assert_eq!(crc64(b"123456789"), 0x995D_C9BB_DF19_39FA);
        assert_eq!(crc64(b""), 0);
        let mut c = Crc64::new();
        c.update(b"1234");
        c.update(b"56789");
        assert_eq!((c.value(), c.len()), (crc64(b"123456789"), 9));
        assert_eq!(
            crc64_combine(crc64(b"1234"), crc64(b"56789"), 5),
            crc64(b"123456789")
        );
    }

    #[test]
    fn shared_vectors() {
        let Some(v) = oss_testkit::Vectors::locate() else {
            return;
        };
        let vectors = v.crc64();
        for case in &vectors.check_values {
            let input = &case.input_ascii;
            assert_eq!(crc64(input.as_bytes()), case.crc64.value(), "{input}");
        }
        for file in &vectors.files {
            let Some(name) = &file.file else {
                continue;
            };
            let mut c = Crc64::new();
            for chunk in v.bytes(name).chunks(7777) {
                c.update(chunk);
            }
            assert_eq!(c.value(), file.crc64.value(), "{name}");
        }
        for case in &vectors.combine {
            let got = crc64_combine(case.crc1.value(), case.crc2.value(), case.len2);
            assert_eq!(got, case.combined.value(), "{}", case.comment);
        }
        let fold = &vectors.multipart_fold;
        let data = v.bytes(&fold.file);
        let part_size = usize::try_from(fold.part_size).unwrap();
        let parts: Vec<_> = data
            .chunks(part_size)
            .map(|p| (crc64(p), p.len() as u64))
            .collect();
        let expected: Vec<_> = fold
            .parts
            .iter()
            .map(|p| (p.crc64.value(), p.size))
            .collect();
        assert_eq!(parts, expected);
        assert_eq!(crc64_fold(parts.clone()), fold.combined.value());
        assert_eq!(crc64_fold(parts), crc64(&data));
        assert_eq!(crc64_fold([]), 0);
    }
}
