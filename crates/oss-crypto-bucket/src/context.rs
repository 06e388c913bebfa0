//! The serializable state of an encrypted multipart upload: wrapped material only.

use core::fmt;

use serde::{Deserialize, Serialize};

/// The envelope as stored in the object metadata: wrapped key and IV (base64 header values),
/// algorithms and matdesc. Nothing here is secret; the plaintext key never leaves memory.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedEnvelope {
    /// Value of `x-oss-meta-client-side-encryption-key`.
    pub key: String,
    /// Value of `x-oss-meta-client-side-encryption-start`.
    pub start: String,
    /// Value of `x-oss-meta-client-side-encryption-cek-alg`.
    pub cek_alg: String,
    /// Value of `x-oss-meta-client-side-encryption-wrap-alg`.
    pub wrap_alg: String,
    /// Value of `x-oss-meta-client-side-encryption-matdesc`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matdesc: Option<String>,
}

impl fmt::Debug for WrappedEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Wrapped values are public, but long; show the algorithms and the description.
        f.debug_struct("WrappedEnvelope")
            .field("cek_alg", &self.cek_alg)
            .field("wrap_alg", &self.wrap_alg)
            .field("matdesc", &self.matdesc)
            .finish_non_exhaustive()
    }
}

/// An encrypted multipart upload in progress. Serialize it to continue the upload from another
/// process; it holds the wrapped envelope only, never the data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartContext {
    /// The OSS upload id.
    pub upload_id: String,
    /// The object key.
    pub key: String,
    /// Total plaintext size of the upload.
    pub data_size: u64,
    /// Size of every part but the last (multiple of 16).
    pub part_size: u64,
    /// The envelope sent on InitiateMultipartUpload.
    pub envelope: WrappedEnvelope,
}

impl MultipartContext {
    /// Number of parts of the upload: `ceil(data_size / part_size)`.
    pub fn part_count(&self) -> u64 {
        self.data_size.div_ceil(self.part_size.max(1))
    }

    /// Plaintext offset and exact length of part `number` (1-based).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a part number outside
    /// `1..=part_count`.
    pub fn part_span(&self, number: u64) -> crate::Result<(u64, u64)> {
        let count = self.part_count();
        if number == 0 || number > count {
            return Err(crate::Error::InvalidInput(format!(
                "part number {number} outside 1..={count}"
            )));
        }
        let offset = (number - 1) * self.part_size;
        let len = self.part_size.min(self.data_size - offset);
        Ok((offset, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(data_size: u64, part_size: u64) -> MultipartContext {
        MultipartContext {
            upload_id: "U".into(),
            key: "k".into(),
            data_size,
            part_size,
            envelope: WrappedEnvelope {
                key: "a2V5".into(),
                start: "c3RhcnQ=".into(),
                cek_alg: "AES/CTR/NoPadding".into(),
                wrap_alg: "RSA/NONE/PKCS1Padding".into(),
                matdesc: None,
            },
        }
    }

    #[test]
    fn spans_follow_spec_worked_example() {
        // envelope-format.md §5.6
        let c = ctx(250_000, 102_400);
        assert_eq!(c.part_count(), 3);
        assert_eq!(c.part_span(1).unwrap(), (0, 102_400));
        assert_eq!(c.part_span(2).unwrap(), (102_400, 102_400));
        assert_eq!(c.part_span(3).unwrap(), (204_800, 45_200));
        assert!(c.part_span(0).is_err());
        assert!(c.part_span(4).is_err());
    }

    #[test]
    fn serde_round_trip_has_no_plaintext_material() {
        let c = ctx(250_000, 102_400);
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("matdesc"));
        let back: MultipartContext = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }
}
