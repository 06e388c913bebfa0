//! The two KMS header flavours (spec §6.3): how a KMS blob becomes a header value, how the
//! passphrase becomes an EncryptionContext, and how KMS plaintexts become key bytes.
//!
//! Reading detects the flavour per header with
//! [`WrappedValue::kms_ciphertext_blob`](oss_envelope::WrappedValue::kms_ciphertext_blob).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_envelope::{Iv, KmsFlavour, WrappedValue};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The header value for `blob` in `flavour`.
///
/// oss2: base64 of the blob string (two base64 layers). Go/Java: the blob string itself.
///
/// # Errors
///
/// A non-retryable [`Error::Transport`] when KMS returned a blob that is not base64 (Go/Java
/// flavour needs it to be).
pub(crate) fn header_value(flavour: KmsFlavour, blob: String) -> Result<WrappedValue> {
    match flavour {
        KmsFlavour::GoJava => {
            WrappedValue::from_header("kms ciphertext blob", &blob).map_err(|_| {
                Error::transport("kms returned a ciphertext blob that is not base64", false)
            })
        }
        _ => Ok(WrappedValue::from_bytes(blob.into_bytes())),
    }
}

/// The EncryptionContext entry oss2 makes of its passphrase.
pub(crate) const PASSPHRASE_CONTEXT_KEY: &str = "x-passphrase";

/// The EncryptionContext JSON object of `pairs` (keys sorted, values escaped as JSON strings),
/// `None` when there are none. A passphrase alone gives oss2's `{"x-passphrase":"<passphrase>"}`
/// (oss2 does not escape; the text is identical for every passphrase without `"`, `\` or
/// control characters).
pub(crate) fn encryption_context<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Zeroizing<String>> {
    let map: std::collections::BTreeMap<&str, &str> = pairs.into_iter().collect();
    // Serialising a map of strings cannot fail.
    (!map.is_empty()).then(|| Zeroizing::new(serde_json::to_string(&map).unwrap_or_default()))
}

/// Decodes a KMS plaintext that must be the base64 of exactly `N` bytes.
///
/// # Errors
///
/// [`Error::Unwrap`] for anything else.
pub(crate) fn base64_exact<const N: usize>(plaintext: &str) -> Result<Zeroizing<[u8; N]>> {
    let bytes = Zeroizing::new(
        STANDARD
            .decode(plaintext.trim_ascii())
            .map_err(|_| Error::Unwrap)?,
    );
    let mut out = Zeroizing::new([0u8; N]);
    if bytes.len() != N {
        return Err(Error::Unwrap);
    }
    out.copy_from_slice(&bytes);
    Ok(out)
}

/// Decodes a V1 start plaintext (decimal text, no base64 step).
///
/// # Errors
///
/// [`Error::Unwrap`] when it is not a decimal number below 2^128.
pub(crate) fn v1_start(plaintext: &str) -> Result<Iv> {
    Iv::from_v1_start(plaintext.as_bytes()).map_err(|_| Error::Unwrap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passphrase_context(passphrase: &str) -> Zeroizing<String> {
        encryption_context([(PASSPHRASE_CONTEXT_KEY, passphrase)]).unwrap()
    }

    #[test]
    fn context_matches_oss2_and_escapes() {
        assert_eq!(&*passphrase_context("pass"), r#"{"x-passphrase":"pass"}"#);
        assert_eq!(
            &*passphrase_context("pä ss~*+/=&密码"),
            "{\"x-passphrase\":\"pä ss~*+/=&密码\"}"
        );
        assert_eq!(
            &*passphrase_context(r#"a"b\c"#),
            r#"{"x-passphrase":"a\"b\\c"}"#
        );
    }

    #[test]
    fn a_context_is_one_sorted_object_and_none_when_empty() {
        let context = encryption_context([("tenant", "b"), ("app", "a\"1")]).unwrap();
        assert_eq!(&*context, r#"{"app":"a\"1","tenant":"b"}"#);
        assert!(encryption_context([]).is_none());
    }

    #[test]
    fn plaintexts_must_have_the_exact_size() {
        assert_eq!(
            *base64_exact::<16>("VknKDRaUbYEAAAAA5knRlA==").unwrap(),
            [
                0x56, 0x49, 0xca, 0x0d, 0x16, 0x94, 0x6d, 0x81, 0, 0, 0, 0, 0xe6, 0x49, 0xd1, 0x94
            ]
        );
        assert!(base64_exact::<32>("VknKDRaUbYEAAAAA5knRlA==").is_err());
        assert!(base64_exact::<16>("not base64").is_err());
        assert_eq!(v1_start("8").unwrap().as_bytes()[15], 8);
        assert!(v1_start("x").is_err());
    }

    #[test]
    fn header_values_follow_the_flavour() {
        let blob = "MTIzNGFiY2QtMTJhYi0zNGNkLTU2ZWYtMTIzNDU2Nzg5MGFi+/8AAQ==".to_owned();
        let oss2 = header_value(KmsFlavour::Oss2, blob.clone()).unwrap();
        assert_eq!(oss2.as_bytes(), blob.as_bytes());
        assert_eq!(
            oss2.kms_ciphertext_blob(),
            (KmsFlavour::Oss2, blob.as_str())
        );
        let go = header_value(KmsFlavour::GoJava, blob.clone()).unwrap();
        assert_eq!(go.as_text(), blob);
        assert_eq!(
            go.kms_ciphertext_blob(),
            (KmsFlavour::GoJava, blob.as_str())
        );
        assert!(header_value(KmsFlavour::GoJava, "not-base64".into()).is_err());
    }
}
