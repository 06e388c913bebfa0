//! The HTTP `Content-Range` response header, parsed strictly: the one parser of the workspace.
//!
//! A ranged read decides where its bytes belong from the server's `Content-Range`: the client
//! resumes a cut body from it, and the envelope codec starts the AES-CTR keystream at its first
//! byte. A lenient parser there would turn a malformed or hostile answer into data at the wrong
//! offset, so this crate accepts exactly
//!
//! * `bytes <first>-<last>/<size>` with `first <= last < size`, and
//! * `bytes */<size>` (the answer to an unsatisfiable range, status 416),
//!
//! where the unit `bytes` is matched in any case and followed by one space, every number is one
//! or more ASCII digits that fit in a `u64` (no sign, no whitespace, no overflow), and ASCII
//! whitespace around the whole value is ignored. An unknown size (`/*`) is refused: without it
//! the answer cannot be checked. Every refusal is a [`ContentRangeError`] naming what was
//! wrong.
//!
//! The crate is `no_std`, allocation-free and has no dependencies, so both the `no_std`
//! `oss-envelope` and the async `oss-client` build on it without either depending on the other.
//!
//! # Example
//!
//! ```
//! use oss_range::{ContentRange, ContentRangeError, Part};
//!
//! let answer = ContentRange::parse("Bytes 16-31/100")?;
//! assert_eq!(answer, ContentRange::Satisfied { first: 16, last: 31, size: 100 });
//! assert_eq!(answer.len(), 16);
//! assert_eq!(answer.to_string(), "bytes 16-31/100");
//!
//! assert_eq!(ContentRange::parse("bytes */100")?, ContentRange::Unsatisfied { size: 100 });
//! assert_eq!(ContentRange::parse("bytes +16-31/100"), Err(ContentRangeError::NotDecimal(Part::First)));
//! assert_eq!(
//!     ContentRange::parse("bytes 0-99/99"),
//!     Err(ContentRangeError::OutOfOrder { first: 0, last: 99, size: 99 })
//! );
//! # Ok::<(), ContentRangeError>(())
//! ```
//!
//! # Crate features
//!
//! This crate has no optional features.

#![no_std]
#![forbid(unsafe_code)]

mod content_range;
mod decimal;
mod error;

#[doc(hidden)]
pub mod __fuzz;

pub use content_range::ContentRange;
pub use decimal::{DecimalError, parse_decimal};
pub use error::{ContentRangeError, Part};
