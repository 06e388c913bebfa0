//! Range planning and `Content-Range` validation: the edge-case table of spec §4.4, parsing,
//! decrypting a ranged answer of the Go vector, and property tests of the plan invariants.

// Helpers outside #[test] functions unwrap too (a failure there is a test failure), and object
// offsets of the small vectors are cast to usize.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use oss_envelope::{
    ByteRange, ContentCipher, ContentMaterial, ContentRange, DataKey, Iv, RangeError, RangeField,
};
use oss_testkit::{Vectors, unhex};
use proptest::prelude::*;

fn plan(text: &str) -> oss_envelope::RangePlan {
    ByteRange::parse(text).unwrap().plan(None).unwrap()
}

/// (keystream offset, discard, deliver) for an answer.
fn window(text: &str, answer: &str) -> Result<(u64, u64, u64), RangeError> {
    plan(text)
        .validate_header(answer)
        .map(|w| (w.keystream_offset(), w.discard(), w.deliver()))
}

#[test]
fn parse_accepts_the_three_forms() {
    assert_eq!(
        ByteRange::parse("5-99"),
        Ok(ByteRange::Bounded { start: 5, end: 99 })
    );
    assert_eq!(
        ByteRange::parse(" bytes=17- "),
        Ok(ByteRange::From { start: 17 })
    );
    assert_eq!(
        ByteRange::parse("BYTES=-10"),
        Ok(ByteRange::Suffix { len: 10 })
    );
    assert_eq!(
        ByteRange::parse("0-0"),
        Ok(ByteRange::Bounded { start: 0, end: 0 })
    );
    let max = u64::MAX;
    assert_eq!(
        ByteRange::parse(&format!("{max}-")),
        Ok(ByteRange::From { start: max })
    );
    assert_eq!(
        ByteRange::parse("9-3"),
        Err(RangeError::StartAfterEnd { start: 9, end: 3 })
    );
    assert_eq!(ByteRange::parse("bytes=-0"), Err(RangeError::EmptySuffix));
    assert_eq!(ByteRange::parse("0-1,5-6"), Err(RangeError::MultipleRanges));
    for bad in [
        "",
        "-",
        "bytes=",
        "a-b",
        "1 -2",
        "--5",
        "-5-",
        "+1-2",
        "1-2-3",
        "18446744073709551616-",
        "items=1-2",
    ] {
        assert_eq!(
            ByteRange::parse(bad),
            Err(RangeError::InvalidSyntax),
            "{bad:?}"
        );
    }
}

#[test]
fn requests_widen_explicit_starts_only() {
    let cases = [
        ("0-0", "bytes=0-0", 0, Some(0)),
        ("5-99", "bytes=0-99", 5, Some(0)),
        ("17-", "bytes=16-", 1, Some(1)),
        ("1000-1999", "bytes=992-1999", 8, Some(62)),
        ("-10", "bytes=-10", 0, None),
    ];
    for (asked, sent, discard, counter) in cases {
        let plan = plan(asked);
        assert_eq!(plan.request().to_string(), sent, "{asked}");
        assert_eq!(
            (plan.discard(), plan.counter_offset()),
            (discard, counter),
            "{asked}"
        );
    }
    let suffix = ByteRange::suffix(10).unwrap().plan(Some(21839)).unwrap();
    assert_eq!(suffix.counter_offset(), Some(21829 / 16));
}

#[test]
fn edge_case_table_of_spec_4_4() {
    let s = 21839;
    assert_eq!(window("0-0", &format!("bytes 0-0/{s}")), Ok((0, 0, 1)));
    assert_eq!(window("5-99", &format!("bytes 0-99/{s}")), Ok((0, 5, 95)));
    assert_eq!(
        window("17-", &format!("bytes 16-21838/{s}")),
        Ok((16, 1, s - 17))
    );
    // End beyond the object: truncated by the server.
    assert_eq!(
        window("21830-99999", &format!("bytes 21824-21838/{s}")),
        Ok((21824, 6, 9))
    );
    // Suffix within and beyond the object.
    assert_eq!(
        window("-10", &format!("bytes 21829-21838/{s}")),
        Ok((21829, 0, 10))
    );
    assert_eq!(
        window("-99999", &format!("bytes 0-21838/{s}")),
        Ok((0, 0, s))
    );
    // 416 answers and the widened-start corner case (S = 20, s = 25 -> request 16-).
    assert_eq!(
        window("30000-", &format!("bytes */{s}")),
        Err(RangeError::NotSatisfiable { object_size: s })
    );
    assert_eq!(
        window("25-30", "bytes 16-19/20"),
        Err(RangeError::NotSatisfiable { object_size: 20 })
    );
    assert_eq!(
        window("25-", "bytes 16-19/20"),
        Err(RangeError::NotSatisfiable { object_size: 20 })
    );
    assert_eq!(
        window("-5", "bytes */0"),
        Err(RangeError::NotSatisfiable { object_size: 0 })
    );
    // Sizes known up front refuse before sending.
    let refuse = |r: ByteRange, size| r.plan(Some(size)).unwrap_err();
    assert_eq!(
        refuse(ByteRange::From { start: 20 }, 20),
        RangeError::NotSatisfiable { object_size: 20 }
    );
    assert_eq!(
        refuse(ByteRange::Suffix { len: 1 }, 0),
        RangeError::NotSatisfiable { object_size: 0 }
    );
}

fn mismatch<T>(field: RangeField, expected: u64, actual: u64) -> Result<T, RangeError> {
    Err(RangeError::Mismatch {
        field,
        expected,
        actual,
    })
}

#[test]
fn answers_that_do_not_match_are_errors_never_guesses() {
    // The server ignored the widening, or answered another range.
    assert_eq!(
        window("5-99", "bytes 5-99/200"),
        mismatch(RangeField::FirstByte, 0, 5)
    );
    assert_eq!(
        window("5-99", "bytes 0-98/200"),
        mismatch(RangeField::LastByte, 99, 98)
    );
    assert_eq!(
        window("17-", "bytes 16-98/200"),
        mismatch(RangeField::LastByte, 199, 98)
    );
    assert_eq!(
        window("-10", "bytes 0-199/200"),
        mismatch(RangeField::FirstByte, 190, 0)
    );
    let known = ByteRange::From { start: 0 }.plan(Some(100)).unwrap();
    assert_eq!(
        known.validate_header("bytes 0-99/101").map(|_| ()),
        mismatch(RangeField::ObjectSize, 100, 101)
    );
    for bad in [
        "bytes 0-99",
        "bytes 5-4/10",
        "bytes 0-10/10",
        "bytes 0-9/*",
        "0-9/10",
        "bytes=0-9/10",
        "bytes -9/10",
        "",
    ] {
        assert_eq!(
            window("0-", bad),
            Err(RangeError::InvalidContentRange),
            "{bad:?}"
        );
    }
    // Hand-built inconsistent answers are refused too.
    let forged = ContentRange::Satisfied {
        first: 0,
        last: 5,
        size: 0,
    };
    assert_eq!(
        plan("0-").validate(forged),
        Err(RangeError::InvalidContentRange)
    );
    let ok = plan("5-99").validate_header("bytes 0-99/200").unwrap();
    assert_eq!(ok.body_len(), 100);
    assert_eq!(
        ok.check_body_len(99),
        mismatch(RangeField::BodyLength, 100, 99)
    );
}

#[test]
fn ranged_answer_of_the_go_vector_decrypts() {
    let Some(v) = Vectors::locate() else { return };
    let expected = v.object("v2-go-rsa").expected;
    let material = ContentMaterial::new(
        DataKey::try_from_slice(&unhex(&expected.cek_hex)).unwrap(),
        Iv::try_from_slice(&unhex(expected.iv_hex.as_deref().unwrap())).unwrap(),
    );
    let ciphertext = v.bytes("v2-go-rsa.enc");
    let plaintext = v.bytes("example.jpg");
    let size = ciphertext.len() as u64;
    for asked in ["1000-1999", "12345-", "-17", "-99999", "21838-30000", "0-0"] {
        let plan = plan(asked);
        // Play an RFC 7233 server for the request.
        let (first, last) = match plan.request() {
            ByteRange::Bounded { start, end } => (start, end.min(size - 1)),
            ByteRange::From { start } => (start, size - 1),
            ByteRange::Suffix { len } => (size.saturating_sub(len), size - 1),
        };
        let body = &ciphertext[first as usize..=last as usize];
        let window = plan
            .validate_header(&format!("bytes {first}-{last}/{size}"))
            .unwrap();
        window.check_body_len(body.len() as u64).unwrap();
        let mut out = body.to_vec();
        ContentCipher::at_offset(&material, window.keystream_offset()).apply_keystream(&mut out);
        let from = window.discard() as usize;
        let delivered = &out[from..from + window.deliver() as usize];
        let start = window.first_delivered() as usize;
        assert!(
            delivered == &plaintext[start..start + delivered.len()],
            "{asked}"
        );
        assert_eq!(start + delivered.len(), (last + 1) as usize, "{asked}");
    }
}

fn any_range() -> impl Strategy<Value = ByteRange> {
    prop_oneof![
        (0u64..5000, 0u64..5000).prop_map(|(a, b)| ByteRange::Bounded {
            start: a.min(b),
            end: a.max(b)
        }),
        (0u64..5000).prop_map(|start| ByteRange::From { start }),
        (1u64..5000).prop_map(|len| ByteRange::Suffix { len }),
    ]
}

proptest! {
    #[test]
    fn plans_cover_the_request_and_match_the_counter(range in any_range(), size in 0u64..4000) {
        let plan = range.plan(None).unwrap();
        prop_assert!(plan.discard() < 16);
        prop_assert_eq!(ByteRange::parse(&plan.request().to_string()), Ok(plan.request()));
        match (range, plan.request()) {
            (ByteRange::Bounded { start, end }, ByteRange::Bounded { start: a, end: b }) => {
                prop_assert!(a <= start && start - a == plan.discard() && a % 16 == 0 && b == end);
                prop_assert_eq!(plan.counter_offset(), Some(a / 16));
            }
            (ByteRange::From { start }, ByteRange::From { start: a }) => {
                prop_assert!(a <= start && start - a == plan.discard() && a % 16 == 0);
            }
            (ByteRange::Suffix { len }, ByteRange::Suffix { len: n }) => prop_assert_eq!(len, n),
            other => prop_assert!(false, "shape changed: {other:?}"),
        }
        oss_envelope::__fuzz::range_spec(range.to_string().as_bytes());
        // With a known size the window covers exactly the bytes the caller asked for.
        if let Ok(known) = range.plan(Some(size)) {
            let (first, last) = match known.request() {
                ByteRange::Bounded { start, end } => (start, end.min(size - 1)),
                ByteRange::From { start } => (start, size - 1),
                ByteRange::Suffix { len } => (size.saturating_sub(len), size - 1),
            };
            let window = known.validate(ContentRange::Satisfied { first, last, size }).unwrap();
            prop_assert_eq!(window.keystream_offset(), first);
            prop_assert_eq!(window.body_len(), last - first + 1);
            prop_assert_eq!(window.keystream_offset() / 16 * 16, window.keystream_offset() - window.keystream_offset() % 16);
        }
    }
}
