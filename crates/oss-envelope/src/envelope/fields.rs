//! Collecting envelope headers from an arbitrary header list, and parsing single values.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::MAX_HEADER_VALUE_LEN;
use crate::classify::HeaderPair;
use crate::error::{HeaderError, HeaderErrorKind as Kind};

/// The values of the headers named in `names`, in the same order.
///
/// Names match ASCII-case-insensitively; values are trimmed of ASCII whitespace. Headers with
/// other names are ignored. A name repeated with the same value is accepted; with a different
/// value it is an error.
pub(crate) struct Fields<const N: usize> {
    names: [&'static str; N],
    values: [Option<String>; N],
}

impl<const N: usize> Fields<N> {
    pub(crate) fn collect<I>(names: [&'static str; N], headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item: HeaderPair>,
    {
        let mut values: [Option<String>; N] = [const { None }; N];
        for pair in headers {
            let name = pair.name();
            let Some(index) = names.iter().position(|n| n.eq_ignore_ascii_case(name)) else {
                continue;
            };
            let header = names[index];
            let value = pair.value();
            if value.len() > MAX_HEADER_VALUE_LEN {
                let kind = Kind::TooLong {
                    len: value.len(),
                    max: MAX_HEADER_VALUE_LEN,
                };
                return Err(HeaderError::new(header, kind));
            }
            let value = value.trim_ascii();
            match &values[index] {
                None => values[index] = Some(value.to_string()),
                Some(previous) if previous == value => {}
                Some(_) => return Err(HeaderError::new(header, Kind::Conflicting)),
            }
        }
        Ok(Self { names, values })
    }

    /// The value of a required header: present and non-empty.
    pub(crate) fn required(&self, index: usize) -> Result<(&'static str, &str), HeaderError> {
        let name = self.names[index];
        match self.values[index].as_deref() {
            None => Err(HeaderError::new(name, Kind::Missing)),
            Some("") => Err(HeaderError::new(name, Kind::Empty)),
            Some(value) => Ok((name, value)),
        }
    }

    /// The value of an optional header; an empty value counts as absent.
    pub(crate) fn optional(&self, index: usize) -> (&'static str, Option<&str>) {
        let value = self.values[index].as_deref().filter(|v| !v.is_empty());
        (self.names[index], value)
    }
}

/// Strict standard base64 (padding required, canonical trailing bits).
pub(crate) fn base64(name: &'static str, text: &str) -> Result<Vec<u8>, HeaderError> {
    STANDARD
        .decode(text)
        .map_err(|_| HeaderError::new(name, Kind::InvalidBase64))
}

/// A plain decimal number (no sign, no leading zeros) not above `max`.
pub(crate) fn number(name: &'static str, text: &str, max: u64) -> Result<u64, HeaderError> {
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
pub(crate) fn md5(name: &'static str, text: &str) -> Result<[u8; 16], HeaderError> {
    let bytes = base64(name, text)?;
    <[u8; 16]>::try_from(bytes.as_slice()).map_err(|_| HeaderError::new(name, Kind::InvalidMd5))
}
