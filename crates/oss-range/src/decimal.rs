//! The one rule for numbers in range headers: ASCII digits only, fitting in a `u64`.

use core::fmt;

/// Why a text is not a range-header number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecimalError {
    /// Empty, or a character other than `0`-`9` (a sign, whitespace, ...).
    NotDecimal,
    /// The digits do not fit in 64 bits.
    Overflow,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotDecimal => "not a decimal number",
            Self::Overflow => "number does not fit in 64 bits",
        })
    }
}

impl core::error::Error for DecimalError {}

/// Parses one or more ASCII digits (leading zeros allowed, as in RFC 9110 `1*DIGIT`).
///
/// `u64::from_str` alone would also take a leading `+`; the digit check comes first so that
/// its only remaining failure is overflow.
///
/// # Errors
///
/// [`DecimalError::NotDecimal`] for an empty text or any non-digit,
/// [`DecimalError::Overflow`] above `u64::MAX`.
pub fn parse_decimal(text: &str) -> Result<u64, DecimalError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalError::NotDecimal);
    }
    text.parse().map_err(|_| DecimalError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only_and_no_overflow() {
        assert_eq!(parse_decimal("0"), Ok(0));
        assert_eq!(parse_decimal("000000000000000000000042"), Ok(42));
        assert_eq!(parse_decimal("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_decimal("18446744073709551616"),
            Err(DecimalError::Overflow)
        );
        for bad in ["", "+1", "-1", " 1", "1 ", "1_000", "0x10", "١"] {
            assert_eq!(parse_decimal(bad), Err(DecimalError::NotDecimal), "{bad:?}");
        }
    }
}
