//! The deprecated V1 envelope of oss2 2.10.0 and earlier (spec §9), read only.

use alloc::string::{String, ToString};

use super::{CekAlg, Matdesc, WrapAlg, WrappedValue, fields, optional_number, unknown_alg};
use crate::classify::HeaderPair;
use crate::error::{HeaderError, HeaderErrorKind, MatdescError};
use crate::header as h;
use crate::multipart::MAX_DATA_SIZE;

/// A V1 (legacy) envelope. There is no way to write one: the project writes only V2.
///
/// The wrapped `start` is not an IV: after unwrapping it is a decimal number, turned into the
/// initial counter block by [`Iv::from_v1_start`](crate::Iv::from_v1_start). For `kms` the
/// header values are KMS blob strings to send as they are ([`WrappedValue::as_text`]); for
/// RSA they are base64 of OAEP-SHA1 ciphertexts ([`WrappedValue::as_bytes`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyEnvelope {
    key: WrappedValue,
    start: WrappedValue,
    cek_alg: CekAlg,
    wrap_alg: WrapAlg,
    matdesc: Result<Matdesc, MatdescError>,
    matdesc_text: Option<String>,
    unencrypted_content_length: Option<u64>,
    unencrypted_content_md5: Option<[u8; 16]>,
}

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
        let fields = fields::Fields::collect(h::V1_ALL, headers)?;
        let (name, text) = fields.required(0)?;
        let key = WrappedValue::from_header(name, text)?;
        let (name, text) = fields.required(1)?;
        let start = WrappedValue::from_header(name, text)?;
        let (name, text) = fields.required(2)?;
        let cek_alg = CekAlg::from_v1(text).ok_or(unknown_alg(name))?;
        let (_, text) = fields.required(3)?;
        let wrap_alg = WrapAlg::from_v1(text);
        let (_, matdesc_text) = fields.optional(4);
        Ok(Self {
            key,
            start,
            cek_alg,
            wrap_alg,
            matdesc: matdesc_text.map_or(Ok(Matdesc::new()), Matdesc::from_json),
            matdesc_text: matdesc_text.map(ToString::to_string),
            unencrypted_content_length: optional_number(&fields, 5, MAX_DATA_SIZE)?,
            unencrypted_content_md5: match fields.optional(6) {
                (name, Some(text)) => Some(fields::md5(name, text)?),
                (_, None) => None,
            },
        })
    }

    /// The wrapped data key.
    #[must_use]
    pub const fn key(&self) -> &WrappedValue {
        &self.key
    }

    /// The wrapped decimal start value.
    #[must_use]
    pub const fn start(&self) -> &WrappedValue {
        &self.start
    }

    /// The content cipher (always AES-256-CTR, whatever the V1 label says).
    #[must_use]
    pub const fn cek_alg(&self) -> CekAlg {
        self.cek_alg
    }

    /// [`WrapAlg::KmsAliCloud`] or [`WrapAlg::RsaOaepSha1`].
    #[must_use]
    pub const fn wrap_alg(&self) -> WrapAlg {
        self.wrap_alg
    }

    /// The material description (empty when absent).
    ///
    /// # Errors
    ///
    /// [`HeaderErrorKind::Matdesc`] when the header is not a flat JSON object of strings.
    pub fn matdesc(&self) -> Result<&Matdesc, HeaderError> {
        self.matdesc
            .as_ref()
            .map_err(|e| HeaderError::new(h::V1_MATDESC, HeaderErrorKind::Matdesc(*e)))
    }

    /// The material description header text as received, if any.
    #[must_use]
    pub fn matdesc_text(&self) -> Option<&str> {
        self.matdesc_text.as_deref()
    }

    /// The plaintext length, when recorded.
    #[must_use]
    pub const fn unencrypted_content_length(&self) -> Option<u64> {
        self.unencrypted_content_length
    }

    /// The MD5 digest of the whole plaintext, when recorded.
    #[must_use]
    pub const fn unencrypted_content_md5(&self) -> Option<&[u8; 16]> {
        self.unencrypted_content_md5.as_ref()
    }
}
