//! Server answers the request does not allow ([`Error::UnexpectedResponse`]).
//!
//! [`Error::UnexpectedResponse`]: crate::Error::UnexpectedResponse

use core::fmt;

/// What was wrong with an answer.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// An answer lacks a header the client needs (`HEAD without ETag`, `206 without
    /// Content-Range`, ...).
    #[error("{response} without {header}")]
    MissingHeader {
        /// Which answer: `HEAD`, `GET`, `206`.
        response: &'static str,
        /// The missing header.
        header: &'static str,
    },
    /// A read got another HTTP status than its request allows.
    #[error("expected {expected} for {read}, got {actual}")]
    Status {
        /// The read.
        read: ReadKind,
        /// The status it must have.
        expected: u16,
        /// The status it had.
        actual: u16,
    },
    /// ListParts of an encrypted upload lacks one of its `ClientEncryption*` values.
    #[error("ListParts has no ClientEncryption{field}")]
    ListPartsEncryption {
        /// The missing value: `Key`, `Start`, `CekAlg`, `WrapAlg`, `DataSize`, `PartSize`.
        field: &'static str,
    },
    /// The rotated envelope, unwrapped by the new master key, does not give the original data
    /// key and IV (a key service answering wrongly); the object is left as it was.
    #[error("rotated envelope does not unwrap to the original key")]
    RotatedEnvelope,
}

/// The read a [`ResponseError::Status`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadKind {
    /// A GET of the whole object.
    Full,
    /// A ranged GET.
    Ranged,
    /// The ranged GET of one part of a resumable download.
    Part(u32),
}

impl fmt::Display for ReadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full => f.write_str("a full read"),
            Self::Ranged => f.write_str("a ranged read"),
            Self::Part(number) => write!(f, "part {number}"),
        }
    }
}
