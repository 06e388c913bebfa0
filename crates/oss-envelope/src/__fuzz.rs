//! Fuzzing entry points (not part of the public API).
//!
//! Each function accepts arbitrary bytes, must never panic, and asserts the codec's
//! invariants: a panic here is a bug.

use oss_range::__fuzz::Buffer;

use crate::range::{ByteRange, ContentRange, RangeError};

/// Reads `data` as lines `name: value`, parses them as a V2 and a V1 envelope, and checks that
/// a V2 envelope written back and re-parsed is unchanged.
#[cfg(feature = "alloc")]
pub fn envelope_headers(data: &[u8]) {
    use alloc::vec::Vec;

    use crate::{Envelope, LegacyEnvelope, Matdesc, classify};

    let headers: Vec<(&str, &str)> = data
        .split(|&b| b == b'\n')
        .filter_map(|line| core::str::from_utf8(line).ok())
        .filter_map(|line| line.split_once(':'))
        .collect();
    let _ = classify(headers.iter().copied());
    if let Ok(legacy) = LegacyEnvelope::from_headers(headers.iter().copied()) {
        let _ = legacy.key().kms_ciphertext_blob();
    }
    let Ok(envelope) = Envelope::from_headers(headers.iter().copied()) else {
        return;
    };
    let _ = envelope.key().kms_ciphertext_blob();
    let written = envelope.to_headers();
    let reparsed = Envelope::from_headers(written.iter().map(|(n, v)| (*n, v.as_str())));
    assert_eq!(reparsed.as_ref(), Ok(&envelope), "v2 envelope round trip");
    if let Ok(reparsed) = reparsed {
        assert_eq!(
            reparsed.to_headers(),
            written,
            "v2 headers are a fixed point"
        );
    }
    if let Ok(matdesc) = envelope.matdesc() {
        assert_eq!(Matdesc::from_json(&matdesc.to_json()).as_ref(), Ok(matdesc));
    }
}

/// Parses `data` as a range, checks that it prints back to itself, and validates the answer a
/// standard-conforming server would give for several object sizes.
pub fn range_spec(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(range) = ByteRange::parse(text) else {
        return;
    };
    let mut printed = Buffer::new();
    if core::fmt::write(&mut printed, format_args!("{range}")).is_ok() {
        assert_eq!(
            ByteRange::parse(printed.as_str()),
            Ok(range),
            "range print/parse"
        );
    }
    let seed = data
        .iter()
        .fold(0u64, |acc, &b| acc.rotate_left(7) ^ u64::from(b));
    for size in [0, 1, 15, 16, 17, 1000, seed, seed >> 32, u64::MAX] {
        check_range_against_server(range, size);
    }
}

/// Parses `data` as a `Content-Range` value (with `oss-range`, whose own checks run in the same
/// fuzz target) and validates the answer against a few requests.
pub fn content_range(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(answer) = ContentRange::parse(text) else {
        return;
    };
    let ranges = [
        ByteRange::From { start: 0 },
        ByteRange::From { start: 17 },
        ByteRange::Bounded { start: 5, end: 99 },
        ByteRange::Suffix { len: 10 },
    ];
    for range in ranges {
        if let Ok(plan) = range.plan(None)
            && let Ok(window) = plan.validate(answer)
        {
            assert!(window.discard() < 16, "discard below one block");
            assert_eq!(
                window.body_len(),
                answer.len(),
                "the body is the answer's bytes"
            );
        }
    }
}

/// Plans `range`, answers it as an RFC 7233 server holding `size` bytes would, and checks the
/// window the validation gives.
fn check_range_against_server(range: ByteRange, size: u64) {
    let Ok(plan) = range.plan(None) else {
        panic!("a parsed range can always be planned without a size");
    };
    assert!(plan.discard() < 16, "discard below one block");
    let answer = match plan.request() {
        ByteRange::Bounded { start, end } if start < size => ContentRange::Satisfied {
            first: start,
            last: end.min(size - 1),
            size,
        },
        ByteRange::From { start } if start < size => ContentRange::Satisfied {
            first: start,
            last: size - 1,
            size,
        },
        ByteRange::Suffix { len } if size > 0 => ContentRange::Satisfied {
            first: size - len.min(size),
            last: size - 1,
            size,
        },
        _ => ContentRange::Unsatisfied { size },
    };
    let (caller_start, caller_last) = match range {
        ByteRange::Bounded { start, end } => (start, end.min(size.saturating_sub(1))),
        ByteRange::From { start } => (start, size.saturating_sub(1)),
        ByteRange::Suffix { len } => (size.saturating_sub(len), size.saturating_sub(1)),
    };
    match plan.validate(answer) {
        Ok(window) => {
            assert!(
                size > 0 && caller_start < size,
                "satisfied only inside the object"
            );
            assert_eq!(
                window.first_delivered(),
                caller_start,
                "first delivered byte"
            );
            assert_eq!(
                window.deliver(),
                caller_last - caller_start + 1,
                "delivered length"
            );
            assert!(window.discard() < 16, "discard below one block");
            assert_eq!(window.check_body_len(window.body_len()), Ok(()));
        }
        Err(RangeError::NotSatisfiable { .. }) => {
            assert!(
                size == 0 || caller_start >= size,
                "refused only outside the object"
            );
        }
        Err(other) => panic!("a conforming answer was refused: {other:?}"),
    }
    if let Ok(known) = range.plan(Some(size)) {
        assert!(
            known.validate(answer).is_ok(),
            "size-aware plan accepts the answer"
        );
    }
}
