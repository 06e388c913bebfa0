//! The stand-in's CiphertextBlob: standard base64 (padded) of
//! `key id (ASCII) | 0x00 | key version index (u32 BE) | nonce (12) | AES-256-GCM ciphertext+tag`.
//!
//! The decoded blob starts with the key id like real KMS blobs do (envelope-format.md §6.3
//! relies on the `-` of a UUID there), so Decrypt needs no KeyId. The associated data binds the
//! key id, the version and the canonical EncryptionContext.

use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::kms_error::KmsError;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const AAD_LABEL: &[u8] = b"oss-devserver-kms-blob-v1";

/// The parts of a decoded blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Blob {
    pub(crate) key_id: String,
    pub(crate) version: u32,
    nonce: [u8; NONCE_LEN],
    sealed: Vec<u8>,
}

fn aad(key_id: &str, version: u32, context: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_LABEL.len() + key_id.len() + 6 + context.len());
    aad.extend_from_slice(AAD_LABEL);
    aad.push(0);
    aad.extend_from_slice(key_id.as_bytes());
    aad.push(0);
    aad.extend_from_slice(&version.to_be_bytes());
    aad.extend_from_slice(context.as_bytes());
    aad
}

fn cipher(material: &[u8; 32]) -> Result<Aes256Gcm, KmsError> {
    Aes256Gcm::new_from_slice(material).map_err(|_| KmsError::internal("bad key material length"))
}

/// Encrypts `plaintext` under one key version with the canonical `context` bound to it.
///
/// # Errors
///
/// `InternalFailure` if AES-GCM refuses the input (only for absurd lengths).
pub(crate) fn seal(
    key_id: &str,
    version: u32,
    material: &[u8; 32],
    context: &str,
    plaintext: &[u8],
) -> Result<String, KmsError> {
    let nonce: [u8; NONCE_LEN] = rand::random();
    let aad = aad(key_id, version, context);
    let sealed = cipher(material)?
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| KmsError::internal("encryption failed"))?;
    let mut raw = Vec::with_capacity(key_id.len() + 5 + NONCE_LEN + sealed.len());
    raw.extend_from_slice(key_id.as_bytes());
    raw.push(0);
    raw.extend_from_slice(&version.to_be_bytes());
    raw.extend_from_slice(&nonce);
    raw.extend_from_slice(&sealed);
    Ok(STANDARD.encode(raw))
}

impl Blob {
    /// Decodes a blob string without decrypting it.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` when the text is not standard base64 or not laid out as above.
    pub(crate) fn parse(text: &str) -> Result<Self, KmsError> {
        let malformed = || KmsError::invalid("The CiphertextBlob is invalid.");
        let raw = STANDARD.decode(text).map_err(|_| malformed())?;
        let split = raw.iter().position(|b| *b == 0).ok_or_else(malformed)?;
        let (id, rest) = raw.split_at(split);
        let id_ok = !id.is_empty() && id.iter().all(|b| b.is_ascii_graphic());
        let key_id = core::str::from_utf8(id)
            .ok()
            .filter(|_| id_ok)
            .ok_or_else(malformed)?;
        let rest = rest.get(1..).ok_or_else(malformed)?;
        if rest.len() < 4 + NONCE_LEN + TAG_LEN {
            return Err(malformed());
        }
        let (version, rest) = rest.split_at(4);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        Ok(Self {
            key_id: key_id.to_owned(),
            version: u32::from_be_bytes(version.try_into().map_err(|_| malformed())?),
            nonce: nonce.try_into().map_err(|_| malformed())?,
            sealed: sealed.to_vec(),
        })
    }

    /// Decrypts with the material of the blob's key version and the canonical `context`.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` when authentication fails (wrong context, tampered blob).
    pub(crate) fn open(
        &self,
        material: &[u8; 32],
        context: &str,
    ) -> Result<Zeroizing<Vec<u8>>, KmsError> {
        let aad = aad(&self.key_id, self.version, context);
        cipher(material)?
            .decrypt(
                &Nonce::from(self.nonce),
                Payload {
                    msg: &self.sealed,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| {
                KmsError::invalid(
                    "The CiphertextBlob cannot be decrypted with the given EncryptionContext.",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "9f1c2e3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

    #[test]
    fn round_trip_and_layout() {
        let key = [7u8; 32];
        let text = seal(ID, 3, &key, "{}", b"ogO+SR1I").unwrap();
        let raw = STANDARD.decode(&text).unwrap();
        assert!(raw.starts_with(ID.as_bytes()));
        let blob = Blob::parse(&text).unwrap();
        assert_eq!((blob.key_id.as_str(), blob.version), (ID, 3));
        assert_eq!(blob.open(&key, "{}").unwrap().as_slice(), b"ogO+SR1I");
    }

    #[test]
    fn context_key_and_tampering_are_detected() {
        let key = [7u8; 32];
        let text = seal(ID, 0, &key, r#"{"a":"1"}"#, b"8").unwrap();
        let blob = Blob::parse(&text).unwrap();
        assert!(blob.open(&key, r#"{"a":"2"}"#).is_err());
        assert!(blob.open(&key, "{}").is_err());
        assert!(blob.open(&[8u8; 32], r#"{"a":"1"}"#).is_err());
        let mut raw = STANDARD.decode(&text).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let tampered = Blob::parse(&STANDARD.encode(raw)).unwrap();
        assert_eq!(
            tampered.open(&key, r#"{"a":"1"}"#).unwrap_err().code,
            "InvalidParameter"
        );
    }

    #[test]
    fn malformed_blobs_are_invalid_parameter() {
        let short = STANDARD.encode(format!("{ID}\0\0\0\0\0short"));
        for bad in [
            "",
            "not base64!",
            "YWJj",
            &STANDARD.encode([0u8; 40]),
            &short,
        ] {
            assert_eq!(
                Blob::parse(bad).unwrap_err().code,
                "InvalidParameter",
                "{bad}"
            );
        }
    }
}
