//! Multipart upload layout: size rules and the plaintext range and counter of every part.
//!
//! Part `n` (1-based) holds plaintext bytes `[(n-1)·P, min(n·P, D))` and is encrypted as its
//! own CTR stream starting at counter `IV + (n-1)·P/16` (spec §5.1), so the completed object is
//! byte-identical to a single upload of the same plaintext.

use core::fmt;

/// Smallest part size OSS accepts for a non-final part (100 KiB).
pub const MIN_PART_SIZE: u64 = 102_400;
/// Largest part size OSS accepts (5 GiB).
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// Largest number of parts in one upload.
pub const MAX_PARTS: u32 = 10_000;
/// Largest data size of a multipart upload (`MAX_PARTS` parts of `MAX_PART_SIZE`).
pub const MAX_DATA_SIZE: u64 = MAX_PARTS as u64 * MAX_PART_SIZE;
/// The part size [`default_part_size`] prefers (8 MiB).
pub const DEFAULT_PART_SIZE: u64 = 8 * 1024 * 1024;

const BLOCK: u64 = 16;

/// The part size used when the caller does not choose one.
///
/// It is [`DEFAULT_PART_SIZE`] (8 MiB), or, for data larger than 10000 × 8 MiB, the smallest
/// multiple of 16 that keeps the upload within 10000 parts. 8 MiB balances request count
/// against the memory a part buffer needs. Data sizes beyond [`MAX_DATA_SIZE`] give a part
/// size that [`MultipartPlan::new`] then refuses.
#[must_use]
pub const fn default_part_size(data_size: u64) -> u64 {
    let per_part = data_size.div_ceil(MAX_PARTS as u64);
    let aligned = per_part.div_ceil(BLOCK).saturating_mul(BLOCK);
    if aligned > DEFAULT_PART_SIZE {
        aligned
    } else {
        DEFAULT_PART_SIZE
    }
}

/// A validated multipart layout: data size `D` and part size `P`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MultipartPlan {
    data_size: u64,
    part_size: u64,
    part_count: u32,
}

impl MultipartPlan {
    /// Validates `(data_size, part_size)` against the rules of spec §5.2 and §13.
    ///
    /// # Errors
    ///
    /// [`MultipartError`] when the data size is 0 or above [`MAX_DATA_SIZE`], the part size is
    /// 0, not a multiple of 16, above [`MAX_PART_SIZE`], or below [`MIN_PART_SIZE`] while the
    /// upload has more than one part, or when there would be more than [`MAX_PARTS`] parts.
    pub fn new(data_size: u64, part_size: u64) -> Result<Self, MultipartError> {
        if data_size == 0 {
            return Err(MultipartError::EmptyData);
        }
        if data_size > MAX_DATA_SIZE {
            return Err(MultipartError::DataTooLarge { data_size });
        }
        if part_size == 0 || !part_size.is_multiple_of(BLOCK) {
            return Err(MultipartError::PartSizeNotBlockMultiple { part_size });
        }
        if part_size > MAX_PART_SIZE {
            return Err(MultipartError::PartSizeTooLarge { part_size });
        }
        let count = data_size.div_ceil(part_size);
        if count > 1 && part_size < MIN_PART_SIZE {
            return Err(MultipartError::PartSizeTooSmall { part_size });
        }
        let part_count = match u32::try_from(count) {
            Ok(n) if n <= MAX_PARTS => n,
            _ => return Err(MultipartError::TooManyParts { parts: count }),
        };
        Ok(Self {
            data_size,
            part_size,
            part_count,
        })
    }

    /// The layout for `data_size` with [`default_part_size`].
    ///
    /// # Errors
    ///
    /// As [`MultipartPlan::new`] (in practice: data size 0 or above [`MAX_DATA_SIZE`]).
    pub fn with_default_part_size(data_size: u64) -> Result<Self, MultipartError> {
        Self::new(data_size, default_part_size(data_size))
    }

    /// Total plaintext size `D` (the `data-size` header).
    #[must_use]
    pub const fn data_size(&self) -> u64 {
        self.data_size
    }

    /// Part size `P` (the `part-size` header).
    #[must_use]
    pub const fn part_size(&self) -> u64 {
        self.part_size
    }

    /// Number of parts `ceil(D / P)`.
    #[must_use]
    pub const fn part_count(&self) -> u32 {
        self.part_count
    }

    /// The layout of part `number` (1-based).
    ///
    /// # Errors
    ///
    /// [`MultipartError::PartNumberOutOfRange`] unless `1 <= number <= part_count()`.
    pub fn part(&self, number: u32) -> Result<PartLayout, MultipartError> {
        if number == 0 || number > self.part_count {
            return Err(MultipartError::PartNumberOutOfRange {
                number,
                part_count: self.part_count,
            });
        }
        Ok(self.layout(number))
    }

    /// The layouts of all parts in order.
    pub fn parts(&self) -> impl ExactSizeIterator<Item = PartLayout> + use<> {
        let plan = *self;
        (0..plan.part_count).map(move |index| plan.layout(index + 1))
    }

    /// Layout of a part number already known to be in `1..=part_count`.
    fn layout(&self, number: u32) -> PartLayout {
        // (number - 1) * P < D <= MAX_DATA_SIZE, so neither operation can overflow.
        let offset = u64::from(number.saturating_sub(1)) * self.part_size;
        let len = self.data_size.saturating_sub(offset).min(self.part_size);
        PartLayout {
            number,
            offset,
            len,
        }
    }
}

/// Where one part lies in the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartLayout {
    number: u32,
    offset: u64,
    len: u64,
}

impl PartLayout {
    /// The 1-based part number.
    #[must_use]
    pub const fn number(&self) -> u32 {
        self.number
    }

    /// Absolute plaintext offset of the part's first byte; start the keystream here
    /// ([`ContentCipher::at_offset`](crate::ContentCipher::at_offset)).
    #[must_use]
    pub const fn offset(&self) -> u64 {
        self.offset
    }

    /// Exact length of the part in bytes (`P`, or the remainder for the last part).
    #[must_use]
    pub const fn len(&self) -> u64 {
        self.len
    }

    /// Always `false`: a part of a valid plan is never empty.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of blocks the part's counter lies after the IV (`offset / 16`).
    #[must_use]
    pub const fn counter_offset(&self) -> u64 {
        self.offset / BLOCK
    }
}

/// An invalid multipart layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MultipartError {
    /// Data size 0: an empty object is uploaded with a single PutObject, never multipart.
    EmptyData,
    /// The data size exceeds [`MAX_DATA_SIZE`].
    DataTooLarge {
        /// The data size given.
        data_size: u64,
    },
    /// The part size is 0 or not a multiple of 16 (the AES block size).
    PartSizeNotBlockMultiple {
        /// The part size given.
        part_size: u64,
    },
    /// The part size is below [`MIN_PART_SIZE`] and the upload has more than one part.
    PartSizeTooSmall {
        /// The part size given.
        part_size: u64,
    },
    /// The part size exceeds [`MAX_PART_SIZE`].
    PartSizeTooLarge {
        /// The part size given.
        part_size: u64,
    },
    /// The layout needs more than [`MAX_PARTS`] parts.
    TooManyParts {
        /// The number of parts it would need.
        parts: u64,
    },
    /// A part number outside `1..=part_count`.
    PartNumberOutOfRange {
        /// The part number given.
        number: u32,
        /// The number of parts of the plan.
        part_count: u32,
    },
}

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::EmptyData => f.write_str("multipart data size is 0; use a single put"),
            Self::DataTooLarge { data_size } => write!(
                f,
                "multipart data size {data_size} exceeds the maximum {MAX_DATA_SIZE}"
            ),
            Self::PartSizeNotBlockMultiple { part_size } => {
                write!(f, "part size {part_size} is not a positive multiple of 16")
            }
            Self::PartSizeTooSmall { part_size } => write!(
                f,
                "part size {part_size} is below the minimum {MIN_PART_SIZE} for uploads with several parts"
            ),
            Self::PartSizeTooLarge { part_size } => write!(
                f,
                "part size {part_size} exceeds the maximum {MAX_PART_SIZE}"
            ),
            Self::TooManyParts { parts } => {
                write!(f, "upload would need {parts} parts, more than {MAX_PARTS}")
            }
            Self::PartNumberOutOfRange { number, part_count } => {
                write!(f, "part number {number} outside 1..={part_count}")
            }
        }
    }
}

impl core::error::Error for MultipartError {}
