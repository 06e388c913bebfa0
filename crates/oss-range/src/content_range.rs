//! `Content-Range: bytes first-last/size` and `bytes */size`.

use core::fmt;

use crate::{ContentRangeError, Part, parse_decimal};

/// A parsed `Content-Range` answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentRange {
    /// `bytes first-last/size`, with `first <= last < size` when parsed or built by
    /// [`ContentRange::satisfied`].
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
    /// Parses a `Content-Range` header value strictly (see the crate docs for the grammar).
    ///
    /// # Errors
    ///
    /// A [`ContentRangeError`] naming the first malformed part.
    pub fn parse(text: &str) -> Result<Self, ContentRangeError> {
        let (unit, rest) = text
            .trim_ascii()
            .split_once(' ')
            .ok_or(ContentRangeError::Unit)?;
        if !unit.eq_ignore_ascii_case("bytes") {
            return Err(ContentRangeError::Unit);
        }
        let (span, size) = rest.split_once('/').ok_or(ContentRangeError::Syntax)?;
        if size == "*" {
            return Err(ContentRangeError::UnknownSize);
        }
        let size = number(size, Part::Size)?;
        if span == "*" {
            return Ok(Self::Unsatisfied { size });
        }
        let (first, last) = span.split_once('-').ok_or(ContentRangeError::Syntax)?;
        Self::satisfied(number(first, Part::First)?, number(last, Part::Last)?, size)
    }

    /// `bytes first-last/size`.
    ///
    /// # Errors
    ///
    /// [`ContentRangeError::OutOfOrder`] unless `first <= last < size`.
    pub const fn satisfied(first: u64, last: u64, size: u64) -> Result<Self, ContentRangeError> {
        if first > last || last >= size {
            return Err(ContentRangeError::OutOfOrder { first, last, size });
        }
        Ok(Self::Satisfied { first, last, size })
    }

    /// `self` when it could have been parsed: a hand-built [`ContentRange::Satisfied`] must
    /// still have `first <= last < size`.
    ///
    /// # Errors
    ///
    /// [`ContentRangeError::OutOfOrder`] otherwise.
    pub const fn checked(self) -> Result<Self, ContentRangeError> {
        match self {
            Self::Satisfied { first, last, size } => Self::satisfied(first, last, size),
            Self::Unsatisfied { .. } => Ok(self),
        }
    }

    /// Size of the whole object.
    #[must_use]
    pub const fn size(&self) -> u64 {
        match *self {
            Self::Satisfied { size, .. } | Self::Unsatisfied { size } => size,
        }
    }

    /// Bytes the body carries: `last - first + 1`, or 0 for `bytes */size`.
    #[must_use]
    pub const fn len(&self) -> u64 {
        match *self {
            Self::Satisfied { first, last, .. } => last.saturating_sub(first).saturating_add(1),
            Self::Unsatisfied { .. } => 0,
        }
    }

    /// Whether the body is empty (only for `bytes */size`).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        matches!(self, Self::Unsatisfied { .. })
    }
}

fn number(text: &str, part: Part) -> Result<u64, ContentRangeError> {
    parse_decimal(text).map_err(|e| ContentRangeError::number(part, e))
}

impl fmt::Display for ContentRange {
    /// Writes the header value, which [`ContentRange::parse`] reads back unchanged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Satisfied { first, last, size } => write!(f, "bytes {first}-{last}/{size}"),
            Self::Unsatisfied { size } => write!(f, "bytes */{size}"),
        }
    }
}
