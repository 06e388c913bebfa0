//! The V2 envelope: typed view of the `x-oss-meta-client-side-encryption-*` headers, parsed
//! from any header list and written back in the project's canonical form (spec §2, §8).

mod algorithms;
mod fields;
mod json;
mod matdesc;
mod v1;
mod wrapped;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use algorithms::{CekAlg, WrapAlg};
pub use matdesc::Matdesc;
pub use v1::LegacyEnvelope;
pub use wrapped::{KmsFlavour, WrappedValue};

use crate::classify::HeaderPair;
use crate::error::{HeaderError, HeaderErrorKind, MatdescError};
use crate::header as h;
use crate::multipart::{MAX_DATA_SIZE, MAX_PART_SIZE, MultipartError, MultipartPlan};

/// A V2 envelope.
///
/// Parse one from response headers with [`Envelope::from_headers`]; build one for an upload
/// with [`Envelope::new`] and the `with_*` methods, then write it with
/// [`Envelope::to_headers`]. Equality compares the typed values (the material description as
/// a map), not header spellings.
#[derive(Clone, Debug)]
pub struct Envelope {
    key: WrappedValue,
    start: WrappedValue,
    cek_alg: CekAlg,
    wrap_alg: WrapAlg,
    matdesc: Result<Matdesc, MatdescError>,
    matdesc_text: Option<String>,
    unencrypted_content_length: Option<u64>,
    unencrypted_content_md5: Option<[u8; 16]>,
    data_size: Option<u64>,
    part_size: Option<u64>,
}

impl Envelope {
    /// An envelope for a new object: wrapped key and IV, `AES/CTR/NoPadding`, `wrap_alg`, an
    /// empty material description and no optional values.
    #[must_use]
    pub const fn new(key: WrappedValue, start: WrappedValue, wrap_alg: WrapAlg) -> Self {
        Self {
            key,
            start,
            cek_alg: CekAlg::AesCtrNoPadding,
            wrap_alg,
            matdesc: Ok(Matdesc::new()),
            matdesc_text: None,
            unencrypted_content_length: None,
            unencrypted_content_md5: None,
            data_size: None,
            part_size: None,
        }
    }

    /// Sets the material description.
    #[must_use]
    pub fn with_matdesc(mut self, matdesc: Matdesc) -> Self {
        self.matdesc = Ok(matdesc);
        self.matdesc_text = None;
        self
    }

    /// Sets the plaintext length.
    #[must_use]
    pub const fn with_unencrypted_content_length(mut self, len: u64) -> Self {
        self.unencrypted_content_length = Some(len);
        self
    }

    /// Sets the MD5 digest of the whole plaintext.
    #[must_use]
    pub const fn with_unencrypted_content_md5(mut self, md5: [u8; 16]) -> Self {
        self.unencrypted_content_md5 = Some(md5);
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
    /// kept and reported by [`matdesc`](Self::matdesc), because it only affects material
    /// selection (spec §8.2).
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
        let fields = fields::Fields::collect(h::V2_ALL, headers)?;
        let (name, text) = fields.required(0)?;
        let key = WrappedValue::from_header(name, text)?;
        let (name, text) = fields.required(1)?;
        let start = WrappedValue::from_header(name, text)?;
        let (name, text) = fields.required(2)?;
        let cek_alg = CekAlg::from_v2(text).ok_or(unknown_alg(name))?;
        let (name, text) = fields.required(3)?;
        let wrap_alg = WrapAlg::from_v2(text).ok_or(unknown_alg(name))?;
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
            data_size: optional_number(&fields, 7, MAX_DATA_SIZE)?,
            part_size: optional_number(&fields, 8, MAX_PART_SIZE)?,
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
        out.push((h::KEY, self.key.as_text().to_string()));
        out.push((h::START, self.start.as_text().to_string()));
        out.push((h::CEK_ALG, self.cek_alg.as_str().to_string()));
        out.push((h::WRAP_ALG, self.wrap_alg.as_str().to_string()));
        if let Some(matdesc) = self.matdesc_header() {
            out.push((h::MATDESC, matdesc));
        }
        if let Some(len) = self.unencrypted_content_length {
            out.push((h::UNENCRYPTED_CONTENT_LENGTH, len.to_string()));
        }
        if let Some(md5) = &self.unencrypted_content_md5 {
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
        match &self.matdesc {
            Ok(matdesc) if matdesc.is_empty() => None,
            Ok(matdesc) => Some(matdesc.to_json()),
            Err(_) => self.matdesc_text.clone(),
        }
    }

    /// The wrapped data key (`key` header).
    #[must_use]
    pub const fn key(&self) -> &WrappedValue {
        &self.key
    }

    /// The wrapped IV (`start` header).
    #[must_use]
    pub const fn start(&self) -> &WrappedValue {
        &self.start
    }

    /// The content cipher.
    #[must_use]
    pub const fn cek_alg(&self) -> CekAlg {
        self.cek_alg
    }

    /// The key-wrapping algorithm.
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
        self.matdesc
            .as_ref()
            .map_err(|e| HeaderError::new(h::MATDESC, HeaderErrorKind::Matdesc(*e)))
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

impl PartialEq for Envelope {
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
            && self.data_size == other.data_size
            && self.part_size == other.part_size
    }
}

impl Eq for Envelope {}

const fn unknown_alg(name: &'static str) -> HeaderError {
    HeaderError::new(name, HeaderErrorKind::UnknownAlgorithm)
}

fn optional_number<const N: usize>(
    fields: &fields::Fields<N>,
    index: usize,
    max: u64,
) -> Result<Option<u64>, HeaderError> {
    match fields.optional(index) {
        (name, Some(text)) => fields::number(name, text, max).map(Some),
        (_, None) => Ok(None),
    }
}
