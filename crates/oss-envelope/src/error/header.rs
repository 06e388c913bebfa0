//! Errors of the envelope header codec and of the material-description (matdesc) parser.

use core::fmt;

/// An envelope header is missing, malformed or contradictory.
///
/// [`header`](Self::header) is the lower-case header name the fault was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderError {
    header: &'static str,
    kind: HeaderErrorKind,
}

impl HeaderError {
    /// Creates an error for `header` (a lower-case header name).
    #[must_use]
    pub const fn new(header: &'static str, kind: HeaderErrorKind) -> Self {
        Self { header, kind }
    }

    /// The lower-case name of the faulty header.
    #[must_use]
    pub const fn header(&self) -> &'static str {
        self.header
    }

    /// What is wrong with it.
    #[must_use]
    pub const fn kind(&self) -> HeaderErrorKind {
        self.kind
    }

    /// Whether this error means a required header is missing or empty ("incomplete envelope").
    #[must_use]
    pub const fn is_incomplete_envelope(&self) -> bool {
        matches!(self.kind, HeaderErrorKind::Missing | HeaderErrorKind::Empty)
    }
}

/// The fault found in an envelope header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderErrorKind {
    /// A required header is absent (incomplete envelope).
    Missing,
    /// A required header is present but empty (incomplete envelope).
    Empty,
    /// The value is longer than the codec accepts.
    TooLong {
        /// Length of the value in bytes.
        len: usize,
        /// The cap ([`MAX_HEADER_VALUE_LEN`](crate::MAX_HEADER_VALUE_LEN)).
        max: usize,
    },
    /// The header appears more than once with different values.
    Conflicting,
    /// The value is not strict standard base64.
    InvalidBase64,
    /// The algorithm name is not one this crate knows.
    UnknownAlgorithm,
    /// The value is not a plain decimal number (digits only, no sign, no leading zeros).
    InvalidNumber,
    /// The number is larger than any OSS object or part can be.
    OutOfRange,
    /// The base64 value does not decode to a 16-byte MD5 digest.
    InvalidMd5,
    /// The material description is not a flat JSON object of strings.
    Matdesc(MatdescError),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.header;
        match self.kind {
            HeaderErrorKind::Missing => write!(f, "incomplete envelope: header {name} is missing"),
            HeaderErrorKind::Empty => write!(f, "incomplete envelope: header {name} is empty"),
            HeaderErrorKind::TooLong { len, max } => write!(
                f,
                "invalid envelope header {name}: value is {len} bytes, more than {max}"
            ),
            HeaderErrorKind::Conflicting => write!(
                f,
                "invalid envelope header {name}: present several times with different values"
            ),
            HeaderErrorKind::InvalidBase64 => {
                write!(f, "invalid envelope header {name}: not valid base64")
            }
            HeaderErrorKind::UnknownAlgorithm => {
                write!(f, "invalid envelope header {name}: unknown algorithm")
            }
            HeaderErrorKind::InvalidNumber => {
                write!(f, "invalid envelope header {name}: not a decimal number")
            }
            HeaderErrorKind::OutOfRange => {
                write!(f, "invalid envelope header {name}: size out of range")
            }
            HeaderErrorKind::InvalidMd5 => write!(
                f,
                "invalid envelope header {name}: not the base64 of a 16-byte md5 digest"
            ),
            HeaderErrorKind::Matdesc(e) => write!(f, "invalid envelope header {name}: {e}"),
        }
    }
}

impl core::error::Error for HeaderError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match &self.kind {
            HeaderErrorKind::Matdesc(e) => Some(e),
            _ => None,
        }
    }
}

/// A material description that is not a flat JSON object of string values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatdescError {
    kind: MatdescErrorKind,
    offset: usize,
}

impl MatdescError {
    // Only the parser (feature `alloc`) creates these errors.
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    pub(crate) const fn new(kind: MatdescErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> MatdescErrorKind {
        self.kind
    }

    /// Byte offset in the JSON text where the problem was found.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }
}

/// The kind of a [`MatdescError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MatdescErrorKind {
    /// The text ends in the middle of the JSON value.
    UnexpectedEnd,
    /// A character that JSON does not allow here.
    UnexpectedCharacter,
    /// The text is JSON but not an object.
    NotAnObject,
    /// A member value is not a string (numbers, nested objects and so on are refused).
    NonStringValue,
    /// A backslash escape JSON does not define, or a malformed `\u` escape.
    InvalidEscape,
    /// A `\u` escape encodes half of a UTF-16 surrogate pair without the other half.
    LoneSurrogate,
    /// An unescaped control character (below U+0020) inside a string.
    ControlCharacter,
    /// The same key appears twice.
    DuplicateKey,
    /// Non-whitespace text after the closing brace.
    TrailingCharacters,
}

impl fmt::Display for MatdescError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            MatdescErrorKind::UnexpectedEnd => "unexpected end of json",
            MatdescErrorKind::UnexpectedCharacter => "unexpected character",
            MatdescErrorKind::NotAnObject => "json value is not an object",
            MatdescErrorKind::NonStringValue => "member value is not a string",
            MatdescErrorKind::InvalidEscape => "invalid escape sequence",
            MatdescErrorKind::LoneSurrogate => "unpaired utf-16 surrogate escape",
            MatdescErrorKind::ControlCharacter => "unescaped control character in string",
            MatdescErrorKind::DuplicateKey => "duplicate key",
            MatdescErrorKind::TrailingCharacters => "trailing characters after the object",
        };
        write!(f, "material description: {what} at byte {}", self.offset)
    }
}

impl core::error::Error for MatdescError {}
