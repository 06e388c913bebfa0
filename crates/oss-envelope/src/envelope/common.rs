//! The values V2 and V1 envelopes share, parsed once for both.

use alloc::string::{String, ToString};

use super::fields::HeaderValues;
use super::version::Version;
use super::{CekAlg, Matdesc, WrapAlg, WrappedValue};
use crate::error::{HeaderError, HeaderErrorKind};
use crate::multipart::MAX_DATA_SIZE;

/// The values every envelope version carries: the wrapped key and IV (or V1 start value),
/// the algorithms, the material description and the optional plaintext length and MD5.
///
/// [`Envelope`](crate::Envelope) and [`LegacyEnvelope`](crate::LegacyEnvelope) dereference
/// to it, so these getters are called on either. Equality compares the typed values (the
/// material description as a map), not header spellings.
#[derive(Clone, Debug)]
pub struct EnvelopeFields {
    pub(super) key: WrappedValue,
    pub(super) start: WrappedValue,
    pub(super) cek_alg: CekAlg,
    pub(super) wrap_alg: WrapAlg,
    /// A fault is kept, not raised: it only affects material selection (spec §8.2).
    pub(super) matdesc: Result<Matdesc, HeaderError>,
    pub(super) matdesc_text: Option<String>,
    pub(super) unencrypted_content_length: Option<u64>,
    pub(super) unencrypted_content_md5: Option<[u8; 16]>,
}

impl EnvelopeFields {
    pub(super) fn parse(version: &Version, values: &HeaderValues) -> Result<Self, HeaderError> {
        let key = WrappedValue::from_header(version.key, values.required(version.key)?)?;
        let start = WrappedValue::from_header(version.start, values.required(version.start)?)?;
        let cek_alg = (version.read_cek_alg)(values.required(version.cek_alg)?)
            .ok_or(unknown_alg(version.cek_alg))?;
        let wrap_alg = (version.read_wrap_alg)(values.required(version.wrap_alg)?)
            .ok_or(unknown_alg(version.wrap_alg))?;
        let matdesc_text = values.optional(version.matdesc);
        let matdesc = matdesc_text.map_or(Ok(Matdesc::new()), |text| {
            Matdesc::from_json(text)
                .map_err(|e| HeaderError::new(version.matdesc, HeaderErrorKind::Matdesc(e)))
        });
        Ok(Self {
            key,
            start,
            cek_alg,
            wrap_alg,
            matdesc,
            matdesc_text: matdesc_text.map(ToString::to_string),
            unencrypted_content_length: values
                .number(version.unencrypted_content_length, MAX_DATA_SIZE)?,
            unencrypted_content_md5: values.md5(version.unencrypted_content_md5)?,
        })
    }

    /// The wrapped data key (`key` header).
    #[must_use]
    pub const fn key(&self) -> &WrappedValue {
        &self.key
    }

    /// The wrapped `start` header: the IV for V2; for V1 a decimal start value, turned into
    /// the initial counter block by [`Iv::from_v1_start`](crate::Iv::from_v1_start).
    #[must_use]
    pub const fn start(&self) -> &WrappedValue {
        &self.start
    }

    /// The content cipher (always AES-256-CTR, whatever a V1 label says).
    #[must_use]
    pub const fn cek_alg(&self) -> CekAlg {
        self.cek_alg
    }

    /// The key-wrapping algorithm (for V1 [`WrapAlg::KmsAliCloud`] or
    /// [`WrapAlg::RsaOaepSha1`]).
    #[must_use]
    pub const fn wrap_alg(&self) -> WrapAlg {
        self.wrap_alg
    }

    /// The material description (empty when the header is absent or `{}`).
    ///
    /// # Errors
    ///
    /// [`HeaderErrorKind::Matdesc`] when the header is not a flat JSON object of strings;
    /// such an object matches no registered material (spec §8.2).
    pub fn matdesc(&self) -> Result<&Matdesc, HeaderError> {
        self.matdesc.as_ref().map_err(|e| *e)
    }

    /// The material description header text as received (trimmed), if there was one; for
    /// error messages that name the object's description.
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

impl PartialEq for EnvelopeFields {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.start == other.start
            && self.cek_alg == other.cek_alg
            && self.wrap_alg == other.wrap_alg
            && self.matdesc == other.matdesc
            // Unparseable descriptions can only be compared as text.
            && (self.matdesc.is_ok() || self.matdesc_text == other.matdesc_text)
            && self.unencrypted_content_length == other.unencrypted_content_length
            && self.unencrypted_content_md5 == other.unencrypted_content_md5
    }
}

impl Eq for EnvelopeFields {}

const fn unknown_alg(name: &'static str) -> HeaderError {
    HeaderError::new(name, HeaderErrorKind::UnknownAlgorithm)
}
