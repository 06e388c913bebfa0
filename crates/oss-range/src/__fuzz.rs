//! Fuzzing entry points (not part of the public API).
//!
//! Each function accepts arbitrary bytes, must never panic, and asserts the parser's
//! invariants: a panic here is a bug.

use core::fmt::Write as _;

use crate::ContentRange;

/// Parses `data` as a `Content-Range` value and checks that an accepted answer is consistent,
/// prints back to itself, and that the unit is matched in any case.
pub fn content_range(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let parsed = ContentRange::parse(text);
    let mut upper = Buffer::new();
    if upper.write_str(text).is_ok() {
        upper.make_ascii_uppercase();
        assert_eq!(
            ContentRange::parse(upper.as_str()),
            parsed,
            "case of the unit"
        );
    }
    let Ok(answer) = parsed else {
        return;
    };
    assert_eq!(
        answer.checked(),
        Ok(answer),
        "a parsed answer is consistent"
    );
    if let ContentRange::Satisfied { first, last, size } = answer {
        assert!(first <= last && last < size, "first <= last < size");
        assert_eq!(answer.len(), last - first + 1, "length");
    }
    let mut printed = Buffer::new();
    if write!(printed, "{answer}").is_ok() {
        assert_eq!(
            ContentRange::parse(printed.as_str()),
            Ok(answer),
            "print/parse"
        );
    }
    assert!(
        !text.trim_ascii().ends_with("/*"),
        "an unknown size was accepted: {text:?}"
    );
}

/// A fixed buffer for formatting without an allocator.
pub struct Buffer {
    bytes: [u8; 128],
    len: usize,
}

impl Buffer {
    /// An empty buffer.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            bytes: [0; 128],
            len: 0,
        }
    }

    /// What was written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    fn make_ascii_uppercase(&mut self) {
        if let Some(written) = self.bytes.get_mut(..self.len) {
            written.make_ascii_uppercase();
        }
    }
}

impl Default for Buffer {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Write for Buffer {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(core::fmt::Error)?;
        let slot = self.bytes.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
