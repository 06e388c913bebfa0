//! Ranged reads: parsing a caller's range, the block-aligned request to send, and the check of
//! the server's `Content-Range` that fixes where the keystream starts (spec §4).
//!
//! The keystream position always comes from the server's answer, never from the request; an
//! answer that does not match the request is an error, never a guess.

mod error;

use core::fmt;

pub use error::{RangeError, RangeField};
pub use oss_range::{ContentRange, ContentRangeError, Part as ContentRangePart};

const BLOCK: u64 = 16;

/// A single byte range as a caller asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteRange {
    /// Bytes `start..=end` (both inclusive).
    Bounded {
        /// First byte.
        start: u64,
        /// Last byte (inclusive); may lie beyond the end of the object.
        end: u64,
    },
    /// Bytes from `start` to the end of the object.
    From {
        /// First byte.
        start: u64,
    },
    /// The last `len` bytes of the object (the whole object if it is shorter).
    Suffix {
        /// Number of bytes, at least 1.
        len: u64,
    },
}

impl ByteRange {
    /// Bytes `start..=end`.
    ///
    /// # Errors
    ///
    /// [`RangeError::StartAfterEnd`] when `start > end`.
    pub const fn bounded(start: u64, end: u64) -> Result<Self, RangeError> {
        if start > end {
            return Err(RangeError::StartAfterEnd { start, end });
        }
        Ok(Self::Bounded { start, end })
    }

    /// The last `len` bytes.
    ///
    /// # Errors
    ///
    /// [`RangeError::EmptySuffix`] when `len` is 0 (`bytes=-0` is not a valid range).
    pub const fn suffix(len: u64) -> Result<Self, RangeError> {
        if len == 0 {
            return Err(RangeError::EmptySuffix);
        }
        Ok(Self::Suffix { len })
    }

    /// Parses `a-b`, `a-` or `-N`, optionally prefixed by `bytes=`, with surrounding ASCII
    /// whitespace ignored.
    ///
    /// # Errors
    ///
    /// [`RangeError::MultipleRanges`] for a list, [`RangeError::InvalidSyntax`] for anything
    /// that is not one of the three forms with decimal numbers fitting in 64 bits, and the
    /// errors of [`ByteRange::bounded`] and [`ByteRange::suffix`].
    pub fn parse(text: &str) -> Result<Self, RangeError> {
        let text = text.trim_ascii();
        let spec = match text.get(..6) {
            Some(unit) if unit.eq_ignore_ascii_case("bytes=") => text.get(6..).unwrap_or(""),
            _ => text,
        };
        if spec.contains(',') {
            return Err(RangeError::MultipleRanges);
        }
        let (first, last) = spec.split_once('-').ok_or(RangeError::InvalidSyntax)?;
        match (first.is_empty(), last.is_empty()) {
            (true, true) => Err(RangeError::InvalidSyntax),
            (true, false) => Self::suffix(parse_number(last)?),
            (false, true) => Ok(Self::From {
                start: parse_number(first)?,
            }),
            (false, false) => Self::bounded(parse_number(first)?, parse_number(last)?),
        }
    }

    /// Plans the request for this range (spec §4.1).
    ///
    /// Explicit starts are widened down to a multiple of 16; suffix ranges are sent
    /// unchanged. With a known `object_size`, ranges that cannot be satisfied are refused
    /// before anything is sent.
    ///
    /// # Errors
    ///
    /// [`RangeError::NotSatisfiable`] when `object_size` is known and is 0 or not larger than
    /// the start.
    pub fn plan(self, object_size: Option<u64>) -> Result<RangePlan, RangeError> {
        if let Some(size) = object_size {
            let unsatisfiable = match self {
                Self::Bounded { start, .. } | Self::From { start } => start >= size,
                Self::Suffix { .. } => size == 0,
            };
            if unsatisfiable {
                return Err(RangeError::NotSatisfiable { object_size: size });
            }
        }
        let request = match self {
            Self::Bounded { start, end } => Self::Bounded {
                start: floor_block(start),
                end,
            },
            Self::From { start } => Self::From {
                start: floor_block(start),
            },
            Self::Suffix { len } => Self::Suffix { len },
        };
        Ok(RangePlan {
            requested: self,
            request,
            object_size,
        })
    }
}

impl fmt::Display for ByteRange {
    /// Writes the `Range` header value: `bytes=a-b`, `bytes=a-` or `bytes=-N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bounded { start, end } => write!(f, "bytes={start}-{end}"),
            Self::From { start } => write!(f, "bytes={start}-"),
            Self::Suffix { len } => write!(f, "bytes=-{len}"),
        }
    }
}

/// The request to send for a caller's range and the rules to check the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RangePlan {
    requested: ByteRange,
    request: ByteRange,
    object_size: Option<u64>,
}

impl RangePlan {
    /// The range the caller asked for.
    #[must_use]
    pub const fn requested(&self) -> ByteRange {
        self.requested
    }

    /// The range to send; its `Display` is the `Range` header value. Send it with
    /// `x-oss-range-behavior: standard`.
    #[must_use]
    pub const fn request(&self) -> ByteRange {
        self.request
    }

    /// Leading decrypted bytes to drop because the start was widened (`start mod 16`; 0 for
    /// suffix ranges).
    #[must_use]
    pub const fn discard(&self) -> u64 {
        match self.requested {
            ByteRange::Bounded { start, .. } | ByteRange::From { start } => start % BLOCK,
            ByteRange::Suffix { .. } => 0,
        }
    }

    /// Blocks after the IV at which the answer's keystream is expected to start, when it can
    /// be known before the answer (explicit ranges, or suffix ranges of a known object size).
    #[must_use]
    pub fn counter_offset(&self) -> Option<u64> {
        match (self.request, self.object_size) {
            (ByteRange::Bounded { start, .. } | ByteRange::From { start }, _) => {
                Some(start / BLOCK)
            }
            (ByteRange::Suffix { len }, Some(size)) => Some(size.saturating_sub(len) / BLOCK),
            (ByteRange::Suffix { .. }, None) => None,
        }
    }

    /// Checks the server's `Content-Range` header value against this plan (spec §4.2, §4.4).
    ///
    /// # Errors
    ///
    /// As [`ContentRange::parse`] and [`RangePlan::validate`].
    pub fn validate_header(&self, content_range: &str) -> Result<RangeWindow, RangeError> {
        let answer = ContentRange::parse(content_range).map_err(RangeError::InvalidContentRange)?;
        self.validate(answer)
    }

    /// Checks a parsed `Content-Range` against this plan and says how to decrypt the body.
    ///
    /// # Errors
    ///
    /// [`RangeError::InvalidContentRange`] for a hand-built answer without
    /// `first <= last < size`; [`RangeError::NotSatisfiable`] when the answer is
    /// `bytes */total`, or when the caller's
    /// start is at or beyond the end of the object even though the widened request was
    /// answered (spec §4.4 corner case); [`RangeError::Mismatch`] when the first byte, last
    /// byte or object size differ from what the request implies.
    pub fn validate(&self, answer: ContentRange) -> Result<RangeWindow, RangeError> {
        // `ContentRange::parse` guarantees the order; a hand-built value might not.
        let (first, last, size) = match answer.checked() {
            Ok(ContentRange::Satisfied { first, last, size }) => (first, last, size),
            Ok(ContentRange::Unsatisfied { size }) => {
                return Err(RangeError::NotSatisfiable { object_size: size });
            }
            Err(e) => return Err(RangeError::InvalidContentRange(e)),
        };
        if let Some(expected) = self.object_size {
            check(RangeField::ObjectSize, expected, size)?;
        }
        let (caller_start, expected_first) = match self.requested {
            ByteRange::Bounded { start, .. } | ByteRange::From { start } => {
                if start >= size {
                    return Err(RangeError::NotSatisfiable { object_size: size });
                }
                (start, floor_block(start))
            }
            ByteRange::Suffix { len } => {
                let start = size.saturating_sub(len);
                (start, start)
            }
        };
        let expected_last = match self.requested {
            ByteRange::Bounded { end, .. } => end.min(size - 1),
            ByteRange::From { .. } | ByteRange::Suffix { .. } => size - 1,
        };
        check(RangeField::FirstByte, expected_first, first)?;
        check(RangeField::LastByte, expected_last, last)?;
        Ok(RangeWindow {
            keystream_offset: first,
            discard: caller_start - first,
            deliver: last - caller_start + 1,
            object_size: size,
        })
    }
}

/// How to decrypt a validated ranged answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RangeWindow {
    keystream_offset: u64,
    discard: u64,
    deliver: u64,
    object_size: u64,
}

impl RangeWindow {
    /// Absolute object offset of the body's first byte: start the keystream here
    /// ([`ContentCipher::at_offset`](crate::ContentCipher::at_offset)).
    #[must_use]
    pub const fn keystream_offset(&self) -> u64 {
        self.keystream_offset
    }

    /// Decrypted bytes to drop at the start of the body (always below 16).
    #[must_use]
    pub const fn discard(&self) -> u64 {
        self.discard
    }

    /// Bytes to hand to the caller after the discarded ones.
    #[must_use]
    pub const fn deliver(&self) -> u64 {
        self.deliver
    }

    /// Exact body length the answer must have (`discard + deliver`).
    #[must_use]
    pub const fn body_len(&self) -> u64 {
        self.discard + self.deliver
    }

    /// Absolute offset of the first delivered byte.
    #[must_use]
    pub const fn first_delivered(&self) -> u64 {
        self.keystream_offset + self.discard
    }

    /// Size of the whole object, from the `Content-Range` answer.
    #[must_use]
    pub const fn object_size(&self) -> u64 {
        self.object_size
    }

    /// Checks the received body length.
    ///
    /// # Errors
    ///
    /// [`RangeError::Mismatch`] with [`RangeField::BodyLength`] when it differs from
    /// [`body_len`](Self::body_len).
    pub fn check_body_len(&self, received: u64) -> Result<(), RangeError> {
        check(RangeField::BodyLength, self.body_len(), received)
    }
}

const fn floor_block(offset: u64) -> u64 {
    offset - offset % BLOCK
}

fn check(field: RangeField, expected: u64, actual: u64) -> Result<(), RangeError> {
    if expected == actual {
        Ok(())
    } else {
        Err(RangeError::Mismatch {
            field,
            expected,
            actual,
        })
    }
}

/// A number of a `Range` value, by the same rule as `Content-Range`'s.
fn parse_number(text: &str) -> Result<u64, RangeError> {
    oss_range::parse_decimal(text).map_err(|_| RangeError::InvalidSyntax)
}
