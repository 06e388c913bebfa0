//! CRC-64/XZ (OSS `crc64ecma`) over the ciphertext, and the combine rule for parts.

use crc_fast::{CrcAlgorithm, Digest};

/// A running CRC-64/XZ.
#[derive(Clone)]
pub(crate) struct Crc64(Digest);

impl core::fmt::Debug for Crc64 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Crc64({})", self.value())
    }
}

impl Default for Crc64 {
    fn default() -> Self {
        Self(Digest::new(CrcAlgorithm::Crc64Xz))
    }
}

impl Crc64 {
    /// Adds bytes.
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The CRC of everything added so far.
    pub(crate) fn value(&self) -> u64 {
        self.0.finalize()
    }
}

/// CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)`.
pub(crate) fn combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    crc_fast::checksum_combine(CrcAlgorithm::Crc64Xz, crc_a, crc_b, len_b)
}

/// Folds part CRCs `(crc, len)` in part order, starting from 0 (spec §10).
pub(crate) fn fold(parts: impl IntoIterator<Item = (u64, u64)>) -> u64 {
    parts
        .into_iter()
        .fold(0, |acc, (crc, len)| combine(acc, crc, len))
}

/// Compares a computed CRC with the server's.
pub(crate) fn check(expected: u64, actual: u64) -> crate::Result<()> {
    if expected == actual {
        Ok(())
    } else {
        Err(crate::IntegrityError::Crc64 { expected, actual }.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_and_fold_match_spec() {
        let mut crc = Crc64::default();
        crc.update(b"123456789");
        assert_eq!(crc.value(), 0x995D_C9BB_DF19_39FA);
        let mut a = Crc64::default();
        a.update(b"1234");
        let mut b = Crc64::default();
        b.update(b"56789");
        assert_eq!(fold([(a.value(), 4), (b.value(), 5)]), crc.value());
        assert_eq!(fold([]), 0);
    }

    #[test]
    fn multipart_fold_vector() {
        let Some(v) = oss_testkit::Vectors::locate() else {
            return;
        };
        let data = v.bytes("bing-wallpaper-482048.jpg");
        let mut whole = Crc64::default();
        whole.update(&data);
        let parts = data.chunks(102_400).map(|c| {
            let mut crc = Crc64::default();
            crc.update(c);
            (crc.value(), c.len() as u64)
        });
        assert_eq!(fold(parts), whole.value());
    }
}
