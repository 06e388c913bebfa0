//! The deprecated V1 envelope of oss2 2.10.0 and earlier (spec §9), read only.

use core::ops::Deref;

use super::common::EnvelopeFields;
use super::{fields, version};
use crate::classify::HeaderPair;
use crate::error::HeaderError;

/// A V1 (legacy) envelope. There is no way to write one: the project writes only V2.
///
/// The wrapped `start` is not an IV: after unwrapping it is a decimal number, turned into the
/// initial counter block by [`Iv::from_v1_start`](crate::Iv::from_v1_start). For `kms` the
/// header values are KMS blob strings to send as they are
/// ([`WrappedValue::as_text`](crate::WrappedValue::as_text)); for RSA they are base64 of
/// OAEP-SHA1 ciphertexts ([`WrappedValue::as_bytes`](crate::WrappedValue::as_bytes)).
///
/// Its values are those a V2 envelope also has, read from the V1 headers: see
/// [`EnvelopeFields`], which this type dereferences to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyEnvelope(EnvelopeFields);

impl LegacyEnvelope {
    /// Parses a V1 envelope. Call it only when the caller enabled legacy decryption.
    ///
    /// Required, non-empty: `x-oss-meta-oss-crypto-key`, `-oss-crypto-start`, `-oss-cek-alg`
    /// (`AES/GCM/NoPadding` or `AES/CTR/NoPadding`) and `-oss-wrap-alg` (`kms` means KMS,
    /// anything else RSA-OAEP-SHA1). Optional: `-oss-crypto-matdesc`,
    /// `x-oss-meta-unencrypted-content-length` and `-md5`. Names match case-insensitively;
    /// V2 headers are ignored.
    ///
    /// # Errors
    ///
    /// [`HeaderError`] as for [`Envelope::from_headers`](crate::Envelope::from_headers).
    pub fn from_headers<I>(headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item: HeaderPair>,
    {
        let values = fields::HeaderValues::collect(version::V1.all, headers)?;
        EnvelopeFields::parse(&version::V1, &values).map(Self)
    }
}

impl Deref for LegacyEnvelope {
    type Target = EnvelopeFields;

    fn deref(&self) -> &EnvelopeFields {
        &self.0
    }
}
