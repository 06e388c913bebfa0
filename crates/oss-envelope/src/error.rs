//! The crate-wide [`Error`] and the small errors of the cipher and key-material types.
//!
//! Every operation returns the most specific error type it can produce; all of them convert
//! into [`Error`] with `?` for callers that want a single type.

mod header;

use core::fmt;

pub use header::{HeaderError, HeaderErrorKind, MatdescError, MatdescErrorKind};

use crate::multipart::MultipartError;
use crate::range::RangeError;

/// Any error of this crate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Input and output buffers of a buffer-to-buffer keystream application differ in length.
    LengthMismatch(LengthMismatch),
    /// A data key, IV or V1 start value has the wrong length or form.
    KeyMaterial(KeyMaterialError),
    /// An envelope header is missing, malformed or contradictory.
    Header(HeaderError),
    /// A range request or a `Content-Range` answer is invalid or does not match.
    Range(RangeError),
    /// A multipart layout (data size, part size, part number) is invalid.
    Multipart(MultipartError),
    /// The operating system's random number generator failed.
    RandomnessUnavailable,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthMismatch(e) => e.fmt(f),
            Self::KeyMaterial(e) => e.fmt(f),
            Self::Header(e) => e.fmt(f),
            Self::Range(e) => e.fmt(f),
            Self::Multipart(e) => e.fmt(f),
            Self::RandomnessUnavailable => f.write_str("operating system randomness unavailable"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::LengthMismatch(e) => Some(e),
            Self::KeyMaterial(e) => Some(e),
            Self::Header(e) => Some(e),
            Self::Range(e) => Some(e),
            Self::Multipart(e) => Some(e),
            Self::RandomnessUnavailable => None,
        }
    }
}

macro_rules! from_error {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Self::$variant(e)
            }
        }
    )*};
}

from_error! {
    LengthMismatch(LengthMismatch),
    KeyMaterial(KeyMaterialError),
    Header(HeaderError),
    Range(RangeError),
    Multipart(MultipartError),
}

/// The input and output buffers given to a buffer-to-buffer keystream application differ in
/// length; nothing was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LengthMismatch {
    /// Length of the input buffer.
    pub input: usize,
    /// Length of the output buffer.
    pub output: usize,
}

impl fmt::Display for LengthMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "keystream buffers differ in length: input {} bytes, output {} bytes",
            self.input, self.output
        )
    }
}

impl core::error::Error for LengthMismatch {}

/// Key material of the wrong shape: a data key that is not 32 bytes, an IV that is not 16
/// bytes, or a V1 start value that is not a decimal number below 2^128.
///
/// The error never contains the offending bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyMaterialError {
    /// A data key must be exactly 32 bytes.
    DataKeyLength {
        /// The length that was given.
        actual: usize,
    },
    /// An IV (initial counter block) must be exactly 16 bytes.
    IvLength {
        /// The length that was given.
        actual: usize,
    },
    /// A V1 start value must be 1 to 39 ASCII digits with a value below 2^128.
    InvalidV1Start,
}

impl fmt::Display for KeyMaterialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DataKeyLength { actual } => {
                write!(f, "data key must be 32 bytes, got {actual}")
            }
            Self::IvLength { actual } => write!(f, "iv must be 16 bytes, got {actual}"),
            Self::InvalidV1Start => f.write_str(
                "v1 start value must be 1 to 39 decimal digits with a value below 2^128",
            ),
        }
    }
}

impl core::error::Error for KeyMaterialError {}
