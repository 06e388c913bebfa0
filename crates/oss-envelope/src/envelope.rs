//! The V2 envelope: typed view of the `x-oss-meta-client-side-encryption-*` headers, parsed
//! from any header list and written back in the project's canonical form (spec §2, §8).

mod algorithms;
mod common;
mod fields;
mod json;
mod matdesc;
mod v1;
mod version;
mod wrapped;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Deref;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use algorithms::{CekAlg, WrapAlg};
pub use common::EnvelopeFields;
pub use matdesc::Matdesc;
pub use v1::LegacyEnvelope;
pub use wrapped::{KmsFlavour, WrappedValue};

use crate::classify::HeaderPair;
use crate::error::HeaderError;
use crate::header as h;
use crate::multipart::{MAX_DATA_SIZE, MAX_PART_SIZE, MultipartError, MultipartPlan};

/// A V2 envelope.
///
/// Parse one from response headers with [`Envelope::from_headers`]; build one for an upload
/// with [`Envelope::new`] and the `with_*` methods, then write it with
/// [`Envelope::to_headers`]. Equality compares the typed values (the material description as
/// a map), not header spellings.
///
/// The values V1 shares are in [`EnvelopeFields`], which this type dereferences to; the
/// multipart sizes are V2-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    fields: EnvelopeFields,
    data_size: Option<u64>,
    part_size: Option<u64>,
}

impl Envelope {
    /// An envelope for a new object: wrapped key and IV, `AES/CTR/NoPadding`, `wrap_alg`, an
    /// empty material description and no optional values.
    #[must_use]
    pub const fn new(key: WrappedValue, start: WrappedValue, wrap_alg: WrapAlg) -> Self {
        Self {
            fields: EnvelopeFields {
                key,
                start,
                cek_alg: CekAlg::AesCtrNoPadding,
                wrap_alg,
                matdesc: Ok(Matdesc::new()),
                matdesc_text: None,
                unencrypted_content_length: None,
                unencrypted_content_md5: None,
            },
            data_size: None,
            part_size: None,
        }
    }

    /// Sets the material description.
    #[must_use]
    pub fn with_matdesc(mut self, matdesc: Matdesc) -> Self {
        self.fields.matdesc = Ok(matdesc);
        self.fields.matdesc_text = None;
        self
    }

    /// Sets the plaintext length.
    #[must_use]
    pub const fn with_unencrypted_content_length(mut self, len: u64) -> Self {
        self.fields.unencrypted_content_length = Some(len);
        self
    }

    /// Sets the MD5 digest of the whole plaintext.
    #[must_use]
    pub const fn with_unencrypted_content_md5(mut self, md5: [u8; 16]) -> Self {
        self.fields.unencrypted_content_md5 = Some(md5);
        self
    }

    /// Sets `data-size` and `part-size` from a multipart layout.
    #[must_use]
    pub const fn with_multipart(mut self, plan: &MultipartPlan) -> Self {
        self.data_size = Some(plan.data_size());
        self.part_size = Some(plan.part_size());
        self
    }

    /// Parses a V2 envelope from response headers (names case-insensitive; other headers,
    /// including V1 ones, are ignored).
    ///
    /// Required: `key`, `start`, `cek-alg` (exactly `AES/CTR/NoPadding`) and `wrap-alg` (a
    /// known name, any case), all non-empty. Optional headers with an empty value count as
    /// absent. A material description that does not parse does not fail the envelope: it is
    /// kept and reported by [`matdesc`](EnvelopeFields::matdesc), because it only affects
    /// material selection (spec §8.2).
    ///
    /// # Errors
    ///
    /// [`HeaderError`] naming the header and the fault: missing or empty required header
    /// (incomplete envelope), value over [`MAX_HEADER_VALUE_LEN`](crate::MAX_HEADER_VALUE_LEN),
    /// conflicting duplicates, bad base64, unknown algorithm, bad or out-of-range sizes, an
    /// MD5 that is not 16 bytes.
    pub fn from_headers<I>(headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item: HeaderPair>,
    {
        let values = fields::HeaderValues::collect(version::V2.all, headers)?;
        Ok(Self {
            fields: EnvelopeFields::parse(&version::V2, &values)?,
            data_size: values.number(h::DATA_SIZE, MAX_DATA_SIZE)?,
            part_size: values.number(h::PART_SIZE, MAX_PART_SIZE)?,
        })
    }

    /// The headers of this envelope, in the order of [`header::V2_ALL`](crate::header::V2_ALL),
    /// with lower-case names and the project's canonical values: base64 without whitespace,
    /// decimal sizes, and the material description as canonical JSON, written only when
    /// non-empty. (A description that did not parse is written back verbatim so that it is
    /// not lost when an envelope is carried over.)
    #[must_use]
    pub fn to_headers(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(9);
        let fields = &self.fields;
        out.push((h::KEY, fields.key.as_text().to_string()));
        out.push((h::START, fields.start.as_text().to_string()));
        out.push((h::CEK_ALG, fields.cek_alg.as_str().to_string()));
        out.push((h::WRAP_ALG, fields.wrap_alg.as_str().to_string()));
        if let Some(matdesc) = self.matdesc_header() {
            out.push((h::MATDESC, matdesc));
        }
        if let Some(len) = fields.unencrypted_content_length {
            out.push((h::UNENCRYPTED_CONTENT_LENGTH, len.to_string()));
        }
        if let Some(md5) = &fields.unencrypted_content_md5 {
            out.push((h::UNENCRYPTED_CONTENT_MD5, STANDARD.encode(md5)));
        }
        if let Some(size) = self.data_size {
            out.push((h::DATA_SIZE, size.to_string()));
        }
        if let Some(size) = self.part_size {
            out.push((h::PART_SIZE, size.to_string()));
        }
        out
    }

    fn matdesc_header(&self) -> Option<String> {
        match &self.fields.matdesc {
            Ok(matdesc) if matdesc.is_empty() => None,
            Ok(matdesc) => Some(matdesc.to_json()),
            Err(_) => self.fields.matdesc_text.clone(),
        }
    }

    /// The multipart `data-size`, when recorded.
    #[must_use]
    pub const fn data_size(&self) -> Option<u64> {
        self.data_size
    }

    /// The multipart `part-size`, when recorded.
    #[must_use]
    pub const fn part_size(&self) -> Option<u64> {
        self.part_size
    }

    /// The multipart layout, when both `data-size` and `part-size` are recorded.
    ///
    /// # Errors
    ///
    /// [`MultipartError`] when the recorded sizes break the multipart rules.
    pub fn multipart_plan(&self) -> Result<Option<MultipartPlan>, MultipartError> {
        match (self.data_size, self.part_size) {
            (Some(data_size), Some(part_size)) => {
                MultipartPlan::new(data_size, part_size).map(Some)
            }
            _ => Ok(None),
        }
    }
}

impl Deref for Envelope {
    type Target = EnvelopeFields;

    fn deref(&self) -> &EnvelopeFields {
        &self.fields
    }
}
