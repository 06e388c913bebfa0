//! What was wrong with a `Content-Range` value.

use core::fmt;

use crate::DecimalError;

/// A `Content-Range` value that is not `bytes <first>-<last>/<size>` or `bytes */<size>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentRangeError {
    /// The value does not start with the unit `bytes` (any case) and one space.
    Unit,
    /// No `/` before the size, or no `-` between the first and the last byte.
    Syntax,
    /// The size is `*` (unknown): the answer cannot be checked against anything.
    UnknownSize,
    /// A number is empty or has a character other than `0`-`9`.
    NotDecimal(Part),
    /// A number does not fit in 64 bits.
    Overflow(Part),
    /// `first > last`, or `last >= size`: no body can have these bounds.
    OutOfOrder {
        /// First byte.
        first: u64,
        /// Last byte (inclusive).
        last: u64,
        /// Size of the whole object.
        size: u64,
    },
}

/// Which number of a `Content-Range` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The first byte.
    First,
    /// The last byte.
    Last,
    /// The size of the whole object.
    Size,
}

impl ContentRangeError {
    /// The error for number `part` failing with `error`.
    pub(crate) const fn number(part: Part, error: DecimalError) -> Self {
        match error {
            DecimalError::NotDecimal => Self::NotDecimal(part),
            DecimalError::Overflow => Self::Overflow(part),
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::First => "first byte",
            Self::Last => "last byte",
            Self::Size => "size",
        })
    }
}

impl fmt::Display for ContentRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unit => f.write_str("content-range does not start with `bytes `"),
            Self::Syntax => f.write_str("content-range is not `bytes first-last/size`"),
            Self::UnknownSize => f.write_str("content-range has an unknown size (`/*`)"),
            Self::NotDecimal(part) => write!(f, "content-range {part} is not a decimal number"),
            Self::Overflow(part) => write!(f, "content-range {part} does not fit in 64 bits"),
            Self::OutOfOrder { first, last, size } => write!(
                f,
                "content-range bytes {first}-{last} do not lie in an object of {size} bytes"
            ),
        }
    }
}

impl core::error::Error for ContentRangeError {}
