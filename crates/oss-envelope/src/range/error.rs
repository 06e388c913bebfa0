//! Errors of range planning and `Content-Range` validation.

use core::fmt;

use oss_range::ContentRangeError;

/// A range that cannot be requested, or an answer that does not match the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RangeError {
    /// The range is not `a-b`, `a-` or `-N` with decimal numbers (optionally after `bytes=`).
    InvalidSyntax,
    /// More than one range was given; only single ranges are supported.
    MultipleRanges,
    /// `start > end`.
    StartAfterEnd {
        /// First byte asked for.
        start: u64,
        /// Last byte asked for.
        end: u64,
    },
    /// A suffix range of 0 bytes (`bytes=-0`).
    EmptySuffix,
    /// The range starts at or beyond the end of the object, or the object is empty
    /// (HTTP 416, or the widened-start corner case of spec §4.4).
    NotSatisfiable {
        /// Size of the whole object, from the caller or the answer.
        object_size: u64,
    },
    /// The `Content-Range` value is not `bytes a-b/total` or `bytes */total` (the cause says
    /// which part was malformed).
    InvalidContentRange(ContentRangeError),
    /// A ranged request was answered without a `Content-Range` (for example `200` with the
    /// whole object); the body must not be decrypted.
    MissingContentRange,
    /// The answer does not match the request.
    Mismatch {
        /// Which value differs.
        field: RangeField,
        /// The value the request implies.
        expected: u64,
        /// The value received.
        actual: u64,
    },
}

/// The value of a ranged answer that did not match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RangeField {
    /// First byte of `Content-Range`.
    FirstByte,
    /// Last byte of `Content-Range`.
    LastByte,
    /// Total size of `Content-Range`, against a size known in advance.
    ObjectSize,
    /// Length of the received body.
    BodyLength,
}

impl fmt::Display for RangeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FirstByte => "first byte",
            Self::LastByte => "last byte",
            Self::ObjectSize => "object size",
            Self::BodyLength => "body length",
        })
    }
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::InvalidSyntax => f.write_str("invalid byte range"),
            Self::MultipleRanges => f.write_str("multiple byte ranges are not supported"),
            Self::StartAfterEnd { start, end } => {
                write!(f, "invalid byte range: start {start} is after end {end}")
            }
            Self::EmptySuffix => f.write_str("invalid byte range: suffix length 0"),
            Self::NotSatisfiable { object_size } => {
                write!(
                    f,
                    "range not satisfiable: the object has {object_size} bytes"
                )
            }
            Self::InvalidContentRange(cause) => write!(f, "invalid response: {cause}"),
            Self::MissingContentRange => {
                f.write_str("ranged request answered without content-range")
            }
            Self::Mismatch {
                field,
                expected,
                actual,
            } => write!(
                f,
                "content-range does not match the request: {field} is {actual}, expected {expected}"
            ),
        }
    }
}

impl core::error::Error for RangeError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::InvalidContentRange(cause) => Some(cause),
            _ => None,
        }
    }
}
