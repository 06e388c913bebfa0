//! The `Content-Range` response header (`bytes a-b/total` or `bytes */total`).

use core::fmt;

use super::{RangeError, parse_number};

/// A parsed `Content-Range` answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentRange {
    /// `bytes first-last/size`, with `first <= last < size`.
    Satisfied {
        /// First byte of the body.
        first: u64,
        /// Last byte of the body (inclusive).
        last: u64,
        /// Size of the whole object.
        size: u64,
    },
    /// `bytes */size`: the range cannot be satisfied (sent with status 416).
    Unsatisfied {
        /// Size of the whole object.
        size: u64,
    },
}

impl ContentRange {
    /// Parses a `Content-Range` header value strictly (ASCII whitespace around it is ignored).
    ///
    /// An unknown size (`/*`) is refused: without it the answer cannot be checked.
    ///
    /// # Errors
    ///
    /// [`RangeError::InvalidContentRange`] when the value is not of the two forms above with
    /// decimal numbers and `first <= last < size`.
    pub fn parse(text: &str) -> Result<Self, RangeError> {
        let invalid = RangeError::InvalidContentRange;
        let text = text.trim_ascii();
        let rest = match text.get(..6) {
            Some(unit) if unit.eq_ignore_ascii_case("bytes ") => text.get(6..).unwrap_or(""),
            _ => return Err(invalid),
        };
        let (span, size) = rest.split_once('/').ok_or(invalid)?;
        let size = parse_number(size).map_err(|_| invalid)?;
        if span == "*" {
            return Ok(Self::Unsatisfied { size });
        }
        let (first, last) = span.split_once('-').ok_or(invalid)?;
        let first = parse_number(first).map_err(|_| invalid)?;
        let last = parse_number(last).map_err(|_| invalid)?;
        if first > last || last >= size {
            return Err(invalid);
        }
        Ok(Self::Satisfied { first, last, size })
    }
}

impl fmt::Display for ContentRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Satisfied { first, last, size } => write!(f, "bytes {first}-{last}/{size}"),
            Self::Unsatisfied { size } => write!(f, "bytes */{size}"),
        }
    }
}
