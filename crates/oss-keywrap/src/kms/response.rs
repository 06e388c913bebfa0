//! KMS answers: the three success bodies and the error body (kms-api §2.1, §2.2).

use core::fmt;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::KmsError;
use crate::error::{Error, Result};

/// The answer of GenerateDataKey. `Debug` hides the plaintext.
pub struct GeneratedDataKey {
    /// Resolved key id.
    pub key_id: String,
    /// Base64 of the raw data key (secret).
    pub plaintext: Zeroizing<String>,
    /// The blob that decrypts to [`plaintext`](Self::plaintext).
    pub ciphertext_blob: String,
    /// KMS request id.
    pub request_id: String,
}

/// The answer of Encrypt.
#[derive(Clone, Debug)]
pub struct Encrypted {
    /// Resolved key id.
    pub key_id: String,
    /// The blob.
    pub ciphertext_blob: String,
    /// KMS request id.
    pub request_id: String,
}

/// The answer of Decrypt. `Debug` hides the plaintext.
pub struct Decrypted {
    /// Resolved key id.
    pub key_id: String,
    /// Exactly the string that was encrypted (secret).
    pub plaintext: Zeroizing<String>,
    /// KMS request id.
    pub request_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Wire {
    #[serde(default)]
    key_id: String,
    #[serde(default)]
    plaintext: Option<String>,
    #[serde(default)]
    ciphertext_blob: Option<String>,
    #[serde(default)]
    request_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    request_id: String,
}

fn malformed(what: &'static str) -> Error {
    Error::transport(what, false)
}

fn parse(body: &[u8]) -> Result<Wire> {
    serde_json::from_slice(body).map_err(|_| malformed("kms answer is not the expected json"))
}

pub(crate) fn generated(body: &[u8]) -> Result<GeneratedDataKey> {
    let wire = parse(body)?;
    let (Some(plaintext), Some(ciphertext_blob)) = (wire.plaintext, wire.ciphertext_blob) else {
        return Err(malformed(
            "kms GenerateDataKey answer lacks Plaintext or CiphertextBlob",
        ));
    };
    Ok(GeneratedDataKey {
        key_id: wire.key_id,
        plaintext: Zeroizing::new(plaintext),
        ciphertext_blob,
        request_id: wire.request_id,
    })
}

pub(crate) fn encrypted(body: &[u8]) -> Result<Encrypted> {
    let wire = parse(body)?;
    let ciphertext_blob = wire
        .ciphertext_blob
        .ok_or_else(|| malformed("kms Encrypt answer lacks CiphertextBlob"))?;
    Ok(Encrypted {
        key_id: wire.key_id,
        ciphertext_blob,
        request_id: wire.request_id,
    })
}

pub(crate) fn decrypted(body: &[u8]) -> Result<Decrypted> {
    let wire = parse(body)?;
    let plaintext = wire
        .plaintext
        .ok_or_else(|| malformed("kms Decrypt answer lacks Plaintext"))?;
    Ok(Decrypted {
        key_id: wire.key_id,
        plaintext: Zeroizing::new(plaintext),
        request_id: wire.request_id,
    })
}

/// The error of a non-2xx answer; a body that is not the documented JSON keeps the status.
pub(crate) fn error(status: u16, body: &[u8]) -> KmsError {
    match serde_json::from_slice::<WireError>(body) {
        Ok(wire) if !wire.code.is_empty() => {
            KmsError::new(status, wire.code, wire.message, wire.request_id)
        }
        Ok(wire) => KmsError::new(
            status,
            "Unknown",
            "error answer without a code",
            wire.request_id,
        ),
        Err(_) => KmsError::new(status, "Unknown", "error answer is not json", ""),
    }
}

impl fmt::Debug for GeneratedDataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedDataKey")
            .field("key_id", &self.key_id)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Decrypted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decrypted")
            .field("key_id", &self.key_id)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_are_parsed() {
        let body =
            br#"{"RequestId":"r-1","HostId":"kms","Code":"Throttling","Message":"slow down"}"#;
        let e = error(400, body);
        assert_eq!(
            (e.code(), e.message(), e.request_id()),
            ("Throttling", "slow down", "r-1")
        );
        assert!(e.is_retryable());
        let e = error(503, b"<html>");
        assert_eq!(e.status(), 503);
        assert!(e.is_retryable());
        assert!(!error(404, br#"{"Code":"Forbidden.KeyNotFound"}"#).is_retryable());
    }

    #[test]
    fn success_bodies_need_their_fields() {
        let ok = br#"{"KeyId":"k","Plaintext":"cA==","CiphertextBlob":"b","RequestId":"r","X":1}"#;
        assert_eq!(generated(ok).unwrap().ciphertext_blob, "b");
        assert!(generated(br#"{"KeyId":"k"}"#).is_err());
        assert!(encrypted(b"not json").is_err());
        assert_eq!(&*decrypted(ok).unwrap().plaintext, "cA==");
    }

    #[test]
    fn debug_hides_plaintexts() {
        let body =
            br#"{"KeyId":"k","Plaintext":"U2VjcmV0S2V5","CiphertextBlob":"b","RequestId":"r"}"#;
        let generated = format!("{:?}", generated(body).unwrap());
        let decrypted = format!("{:?}", decrypted(body).unwrap());
        for text in [generated, decrypted] {
            assert!(!text.contains("U2VjcmV0S2V5"), "{text}");
            assert!(text.contains("request_id"), "{text}");
        }
    }
}
