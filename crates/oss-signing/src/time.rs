//! UTC date formats used by the signatures, without a date-time dependency.
//!
//! Times are Unix seconds (`u64`). Civil-date conversion follows Howard Hinnant's
//! `days_from_civil` / `civil_from_days` algorithms (proleptic Gregorian calendar).

use core::fmt::Write as _;

use crate::error::{ParseError, TimeFormat};

const DAY: u64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: u64,
    month: u64,
    day: u64,
    hour: u64,
    minute: u64,
    second: u64,
}

fn civil_from_unix(unix: u64) -> Civil {
    let days = unix / DAY;
    let rem = unix % DAY;
    // Shift the epoch to 0000-03-01 so leap days end each 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem % 3600 / 60,
        second: rem % 60,
    }
}

fn unix_from_civil(c: Civil) -> Option<u64> {
    let valid = (1970..=9999).contains(&c.year)
        && (1..=12).contains(&c.month)
        && (1..=31).contains(&c.day)
        && c.hour < 24
        && c.minute < 60
        && c.second < 61;
    if !valid {
        return None;
    }
    let y = if c.month <= 2 { c.year - 1 } else { c.year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if c.month > 2 {
        c.month - 3
    } else {
        c.month + 9
    };
    let doy = (153 * mp + 2) / 5 + c.day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    let unix = days * DAY + c.hour * 3600 + c.minute * 60 + c.second;
    // Reject impossible dates such as 31 February (they do not round-trip).
    (civil_from_unix(unix).day == c.day).then_some(unix)
}

/// `20231216T162057Z`: the OSS V4 `x-oss-date` form.
pub fn iso8601_basic(unix: u64) -> String {
    let c = civil_from_unix(unix);
    let mut s = String::with_capacity(16);
    let _ = write!(
        s,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    );
    s
}

/// `2024-01-02T03:04:05Z`: the RPC `Timestamp` and V3 `x-acs-date` form.
pub fn iso8601_extended(unix: u64) -> String {
    let c = civil_from_unix(unix);
    let mut s = String::with_capacity(20);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    );
    s
}

/// `Sat, 16 Dec 2023 16:20:57 GMT`: the HTTP `Date` form (RFC 1123).
pub fn rfc1123(unix: u64) -> String {
    let c = civil_from_unix(unix);
    let weekday = usize::try_from(unix / DAY % 7)
        .map_or("Thu", |i| WEEKDAYS.get(i).copied().unwrap_or("Thu"));
    let month = usize::try_from(c.month - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("Jan");
    let mut s = String::with_capacity(29);
    let _ = write!(
        s,
        "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
        c.day, c.year, c.hour, c.minute, c.second
    );
    s
}

fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn read_iso8601_basic(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let field = |r: core::ops::Range<usize>| text.get(r).and_then(digits);
    unix_from_civil(Civil {
        year: field(0..4)?,
        month: field(4..6)?,
        day: field(6..8)?,
        hour: field(9..11)?,
        minute: field(11..13)?,
        second: field(13..15)?,
    })
}

/// Parses the [`iso8601_basic`] form.
///
/// # Errors
///
/// [`ParseError::Timestamp`] when the text has another shape or is not a real UTC time
/// between 1970 and 9999.
pub fn parse_iso8601_basic(text: &str) -> Result<u64, ParseError> {
    read_iso8601_basic(text).ok_or(ParseError::Timestamp(TimeFormat::Iso8601Basic))
}

fn read_iso8601_extended(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let seps = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if b.len() != 20 || seps.iter().any(|&(i, c)| b.get(i) != Some(&c)) {
        return None;
    }
    let field = |r: core::ops::Range<usize>| text.get(r).and_then(digits);
    unix_from_civil(Civil {
        year: field(0..4)?,
        month: field(5..7)?,
        day: field(8..10)?,
        hour: field(11..13)?,
        minute: field(14..16)?,
        second: field(17..19)?,
    })
}

/// Parses the [`iso8601_extended`] form.
///
/// # Errors
///
/// [`ParseError::Timestamp`] when the text has another shape or is not a real UTC time
/// between 1970 and 9999.
pub fn parse_iso8601_extended(text: &str) -> Result<u64, ParseError> {
    read_iso8601_extended(text).ok_or(ParseError::Timestamp(TimeFormat::Iso8601Extended))
}

fn read_rfc1123(text: &str) -> Option<u64> {
    let (_, rest) = text.split_once(", ")?;
    let mut parts = rest.split(' ');
    let day = digits(parts.next()?)?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)?;
    let year = digits(parts.next()?)?;
    let clock = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let mut hms = clock.split(':').map(digits);
    let (hour, minute, second) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() {
        return None;
    }
    let month = u64::try_from(month).ok()? + 1;
    unix_from_civil(Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
}

/// Parses the [`rfc1123`] form (the weekday is not checked).
///
/// # Errors
///
/// [`ParseError::Timestamp`] when the text has another shape or is not a real UTC time
/// between 1970 and 9999.
pub fn parse_rfc1123(text: &str) -> Result<u64, ParseError> {
    read_rfc1123(text).ok_or(ParseError::Timestamp(TimeFormat::Rfc1123))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_vectors() {
        assert_eq!(iso8601_basic(1_702_743_657), "20231216T162057Z");
        assert_eq!(rfc1123(1_702_743_657), "Sat, 16 Dec 2023 16:20:57 GMT");
        assert_eq!(rfc1123(1_702_784_856), "Sun, 17 Dec 2023 03:47:36 GMT");
        assert_eq!(rfc1123(1_699_807_420), "Sun, 12 Nov 2023 16:43:40 GMT");
        assert_eq!(iso8601_extended(1_704_164_645), "2024-01-02T03:04:05Z");
        assert_eq!(rfc1123(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(iso8601_basic(951_782_400), "20000229T000000Z");
    }

    #[test]
    fn parse_round_trips() {
        for t in [0, 951_782_400, 1_702_743_657, 1_704_164_645, 4_102_444_799] {
            assert_eq!(parse_iso8601_basic(&iso8601_basic(t)), Ok(t));
            assert_eq!(parse_iso8601_extended(&iso8601_extended(t)), Ok(t));
            assert_eq!(parse_rfc1123(&rfc1123(t)), Ok(t));
        }
    }

    #[test]
    fn parse_rejects_garbage() {
        let basic = Err(ParseError::Timestamp(TimeFormat::Iso8601Basic));
        let rfc = Err(ParseError::Timestamp(TimeFormat::Rfc1123));
        assert_eq!(parse_iso8601_basic("20230231T000000Z"), basic);
        assert_eq!(parse_iso8601_basic("2023121T162057Z"), basic);
        assert_eq!(
            parse_iso8601_extended("2024-01-02 03:04:05Z"),
            Err(ParseError::Timestamp(TimeFormat::Iso8601Extended))
        );
        assert_eq!(parse_rfc1123("Sat, 16 Foo 2023 16:20:57 GMT"), rfc);
        assert_eq!(parse_rfc1123("Sat, 16 Dec 2023 16:20:57 UTC"), rfc);
        assert_eq!(parse_rfc1123("Sat, 16 Dec 2023 25:20:57 GMT"), rfc);
    }
}
