//! The serializable state of an encrypted multipart upload: wrapped material only.

use core::fmt;

use oss_envelope::{Envelope, MultipartPlan, header};
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

impl WrappedEnvelope {
    /// The wrapped part of a V2 envelope.
    #[must_use]
    pub fn from_envelope(envelope: &Envelope) -> Self {
        let matdesc = envelope
            .to_headers()
            .into_iter()
            .find(|(name, _)| *name == header::MATDESC)
            .map(|(_, value)| value);
        Self {
            key: envelope.key().as_text().to_owned(),
            start: envelope.start().as_text().to_owned(),
            cek_alg: envelope.cek_alg().as_str().to_owned(),
            wrap_alg: envelope.wrap_alg().as_str().to_owned(),
            matdesc,
        }
    }

    /// Parses these values back into an envelope, with the sizes of a multipart upload.
    ///
    /// # Errors
    ///
    /// [`Error::Envelope`](crate::Error::Envelope) when a value is malformed.
    pub fn to_envelope(&self, plan: Option<&MultipartPlan>) -> crate::Result<Envelope> {
        let mut pairs = vec![
            (header::KEY, self.key.clone()),
            (header::START, self.start.clone()),
            (header::CEK_ALG, self.cek_alg.clone()),
            (header::WRAP_ALG, self.wrap_alg.clone()),
        ];
        if let Some(matdesc) = &self.matdesc {
            pairs.push((header::MATDESC, matdesc.clone()));
        }
        let envelope = Envelope::from_headers(pairs.iter())?;
        Ok(match plan {
            Some(plan) => envelope.with_multipart(plan),
            None => envelope,
        })
    }
}

impl MultipartContext {
    /// The validated layout of the upload (data size, part size, part count).
    ///
    /// # Errors
    ///
    /// [`Error::Envelope`](crate::Error::Envelope) when the sizes break the multipart rules.
    pub fn plan(&self) -> crate::Result<MultipartPlan> {
        Ok(MultipartPlan::new(self.data_size, self.part_size)?)
    }

    /// The upload's envelope with its `data-size` and `part-size`.
    ///
    /// # Errors
    ///
    /// [`Error::Envelope`](crate::Error::Envelope) for malformed values or sizes.
    pub fn envelope(&self) -> crate::Result<Envelope> {
        self.envelope.to_envelope(Some(&self.plan()?))
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
        let plan = ctx(250_000, 102_400).plan().unwrap();
        assert_eq!(plan.part_count(), 3);
        let spans: Vec<_> = plan.parts().map(|p| (p.offset(), p.len())).collect();
        assert_eq!(spans, [(0, 102_400), (102_400, 102_400), (204_800, 45_200)]);
        assert!(plan.part(4).is_err());
        assert!(ctx(250_000, 1000).plan().is_err());
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
