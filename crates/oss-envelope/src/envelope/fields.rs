//! Collecting envelope headers from an arbitrary header list, and parsing single values.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::MAX_HEADER_VALUE_LEN;
use crate::classify::HeaderPair;
use crate::error::{HeaderError, HeaderErrorKind as Kind};

/// The values of the envelope headers of one version, looked up by header name.
///
/// Names match ASCII-case-insensitively; values are trimmed of ASCII whitespace. Headers with
/// other names are ignored. A name repeated with the same value is accepted; with a different
/// value it is an error.
pub(crate) struct HeaderValues {
    /// `(canonical lower-case name, trimmed value)`, at most one entry per name.
    values: Vec<(&'static str, String)>,
}

impl HeaderValues {
    pub(crate) fn collect<I>(names: &[&'static str], headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item: HeaderPair>,
    {
        let mut values: Vec<(&'static str, String)> = Vec::new();
        for pair in headers {
            let name = pair.name();
            let Some(&header) = names.iter().find(|n| n.eq_ignore_ascii_case(name)) else {
                continue;
            };
            let value = pair.value();
            if value.len() > MAX_HEADER_VALUE_LEN {
                let kind = Kind::TooLong {
                    len: value.len(),
                    max: MAX_HEADER_VALUE_LEN,
                };
                return Err(HeaderError::new(header, kind));
            }
            let value = value.trim_ascii();
            match values.iter().find(|(known, _)| *known == header) {
                None => values.push((header, value.to_string())),
                Some((_, previous)) if previous == value => {}
                Some(_) => return Err(HeaderError::new(header, Kind::Conflicting)),
            }
        }
        Ok(Self { values })
    }

    fn get(&self, header: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| *name == header)
            .map(|(_, value)| value.as_str())
    }

    /// The value of a required header: present and non-empty.
    pub(crate) fn required(&self, header: &'static str) -> Result<&str, HeaderError> {
        match self.get(header) {
            None => Err(HeaderError::new(header, Kind::Missing)),
            Some("") => Err(HeaderError::new(header, Kind::Empty)),
            Some(value) => Ok(value),
        }
    }

    /// The value of an optional header; an empty value counts as absent.
    pub(crate) fn optional(&self, header: &str) -> Option<&str> {
        self.get(header).filter(|v| !v.is_empty())
    }

    /// An optional plain decimal size not above `max`.
    pub(crate) fn number(
        &self,
        header: &'static str,
        max: u64,
    ) -> Result<Option<u64>, HeaderError> {
        self.optional(header)
            .map(|text| number(header, text, max))
            .transpose()
    }

    /// An optional base64 MD5 digest.
    pub(crate) fn md5(&self, header: &'static str) -> Result<Option<[u8; 16]>, HeaderError> {
        self.optional(header)
            .map(|text| md5(header, text))
            .transpose()
    }
}

/// Strict standard base64 (padding required, canonical trailing bits).
pub(crate) fn base64(name: &'static str, text: &str) -> Result<Vec<u8>, HeaderError> {
    STANDARD
        .decode(text)
        .map_err(|_| HeaderError::new(name, Kind::InvalidBase64))
}

/// A plain decimal number (no sign, no leading zeros) not above `max`.
fn number(name: &'static str, text: &str, max: u64) -> Result<u64, HeaderError> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || (text.len() > 1 && text.starts_with('0')) {
        return Err(HeaderError::new(name, Kind::InvalidNumber));
    }
    match text.parse::<u64>() {
        Ok(value) if value <= max => Ok(value),
        _ => Err(HeaderError::new(name, Kind::OutOfRange)),
    }
}

/// Base64 of a 16-byte MD5 digest.
fn md5(name: &'static str, text: &str) -> Result<[u8; 16], HeaderError> {
    let bytes = base64(name, text)?;
    <[u8; 16]>::try_from(bytes.as_slice()).map_err(|_| HeaderError::new(name, Kind::InvalidMd5))
}
