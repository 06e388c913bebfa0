//! A wrapped key or IV as carried in the `key` and `start` headers, and the KMS flavour rule.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::fields;
use crate::error::HeaderError;

/// A wrapped data key or IV: the header text and the bytes its strict base64 decoding gives.
///
/// For RSA the bytes are the RSA ciphertext. For KMS they are whatever base64 decoding gives
/// (the KMS blob string for the oss2 flavour, the raw blob for Go/Java); use
/// [`kms_ciphertext_blob`](Self::kms_ciphertext_blob) to get the blob to send to KMS.
/// Wrapped values are not secret.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WrappedValue {
    text: String,
    bytes: Vec<u8>,
}

/// Which of the two KMS header encodings a wrapped value uses (spec §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KmsFlavour {
    /// oss2: the header is base64 of the blob string (two base64 layers).
    Oss2,
    /// Go SDK / Java SDK: the header is the blob string itself.
    GoJava,
}

impl WrappedValue {
    /// Wraps bytes to be written; the header text is their base64.
    #[must_use]
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self {
            text: STANDARD.encode(&bytes),
            bytes,
        }
    }

    /// Parses a header value (surrounding ASCII whitespace ignored), reporting faults against
    /// `header`.
    ///
    /// # Errors
    ///
    /// [`HeaderErrorKind::InvalidBase64`](crate::HeaderErrorKind::InvalidBase64) when the text
    /// is not strict standard base64.
    pub fn from_header(header: &'static str, text: &str) -> Result<Self, HeaderError> {
        let text = text.trim_ascii();
        let bytes = fields::base64(header, text)?;
        Ok(Self {
            text: String::from(text),
            bytes,
        })
    }

    /// The decoded bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The header text (canonical base64 of [`as_bytes`](Self::as_bytes)).
    #[must_use]
    pub fn as_text(&self) -> &str {
        &self.text
    }

    /// The KMS flavour of this header by the detection rule of spec §6.3.
    ///
    /// If the decoded bytes are themselves non-empty canonical base64 text, the header is the
    /// oss2 flavour; otherwise it is the Go/Java flavour.
    #[must_use]
    pub fn kms_flavour(&self) -> KmsFlavour {
        let inner_is_base64 = !self.bytes.is_empty() && STANDARD.decode(&self.bytes).is_ok();
        if inner_is_base64 {
            KmsFlavour::Oss2
        } else {
            KmsFlavour::GoJava
        }
    }

    /// The detected flavour and the `CiphertextBlob` to send to KMS Decrypt.
    ///
    /// oss2 flavour: the decoded bytes as text; Go/Java flavour: the header text.
    #[must_use]
    pub fn kms_ciphertext_blob(&self) -> (KmsFlavour, &str) {
        match self.kms_flavour() {
            // Canonical base64 is ASCII, so this conversion succeeds for the oss2 flavour.
            KmsFlavour::Oss2 => match core::str::from_utf8(&self.bytes) {
                Ok(blob) => (KmsFlavour::Oss2, blob),
                Err(_) => (KmsFlavour::GoJava, &self.text),
            },
            KmsFlavour::GoJava => (KmsFlavour::GoJava, &self.text),
        }
    }
}

impl fmt::Debug for WrappedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedValue")
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}
