//! `ContentRange::parse`: what it accepts, what it refuses and why, and that every answer it
//! prints reads back unchanged.

use oss_range::{ContentRange, ContentRangeError, Part};
use proptest::prelude::*;

#[test]
fn accepts_both_forms_with_the_unit_in_any_case() {
    let satisfied = ContentRange::Satisfied {
        first: 0,
        last: 9,
        size: 10,
    };
    for text in [
        "bytes 0-9/10",
        "BYTES 0-9/10",
        "Bytes 0-9/10",
        " \tbytes 0-9/10\r\n",
        "bytes 0000-0009/0010",
    ] {
        assert_eq!(ContentRange::parse(text), Ok(satisfied), "{text:?}");
    }
    assert_eq!(
        ContentRange::parse("bytes */0"),
        Ok(ContentRange::Unsatisfied { size: 0 })
    );
    assert_eq!(
        ContentRange::parse("bytes 18446744073709551614-18446744073709551614/18446744073709551615"),
        Ok(ContentRange::Satisfied {
            first: u64::MAX - 1,
            last: u64::MAX - 1,
            size: u64::MAX
        })
    );
}

#[test]
fn refuses_with_what_was_malformed() {
    use ContentRangeError::{NotDecimal, Overflow, Syntax, Unit, UnknownSize};
    let cases = [
        ("", Unit),
        ("bytes", Unit),
        ("bytes0-9/10", Unit),
        ("items 0-1/2", Unit),
        ("bytes=0-9/10", Unit),
        ("bytes 0-9", Syntax),
        ("bytes 0+9/10", Syntax),
        ("bytes 0-9/*", UnknownSize),
        ("bytes */*", UnknownSize),
        ("bytes  0-9/10", NotDecimal(Part::First)),
        ("bytes +0-9/10", NotDecimal(Part::First)),
        ("bytes -9/10", NotDecimal(Part::First)),
        ("bytes -1-5/10", NotDecimal(Part::First)),
        ("bytes 0-+9/10", NotDecimal(Part::Last)),
        ("bytes 0- 9/10", NotDecimal(Part::Last)),
        ("bytes 0-/10", NotDecimal(Part::Last)),
        ("bytes 0-9/ 10", NotDecimal(Part::Size)),
        ("bytes 0-9/10 /10", NotDecimal(Part::Size)),
        ("bytes 0-9/1e3", NotDecimal(Part::Size)),
        ("bytes 0-9/", NotDecimal(Part::Size)),
        ("bytes 0-9/18446744073709551616", Overflow(Part::Size)),
        ("bytes 18446744073709551616-1/2", Overflow(Part::First)),
        ("bytes 0-18446744073709551616/2", Overflow(Part::Last)),
    ];
    for (text, expected) in cases {
        assert_eq!(ContentRange::parse(text), Err(expected), "{text:?}");
    }
    for (text, first, last, size) in [
        ("bytes 5-4/10", 5, 4, 10),
        ("bytes 0-10/10", 0, 10, 10),
        ("bytes 0-0/0", 0, 0, 0),
    ] {
        assert_eq!(
            ContentRange::parse(text),
            Err(ContentRangeError::OutOfOrder { first, last, size }),
            "{text:?}"
        );
    }
}

#[test]
fn hand_built_answers_are_checked_and_errors_say_what_was_wrong() {
    let forged = ContentRange::Satisfied {
        first: 0,
        last: 5,
        size: 0,
    };
    let refused = forged.checked().unwrap_err();
    assert_eq!(
        refused.to_string(),
        "content-range bytes 0-5 do not lie in an object of 0 bytes"
    );
    assert_eq!(
        ContentRangeError::NotDecimal(Part::Size).to_string(),
        "content-range size is not a decimal number"
    );
    let unsatisfied = ContentRange::Unsatisfied { size: 3 };
    assert_eq!(unsatisfied.checked(), Ok(unsatisfied));
    assert_eq!((unsatisfied.len(), unsatisfied.size()), (0, 3));
    assert!(unsatisfied.is_empty());
}

/// A valid answer: `first <= last < size`, or `*/size`.
fn answer() -> impl Strategy<Value = ContentRange> {
    prop_oneof![
        any::<u64>().prop_map(|size| ContentRange::Unsatisfied { size }),
        (1..=u64::MAX)
            .prop_flat_map(|size| (0..size, Just(size)))
            .prop_flat_map(|(last, size)| (0..=last, Just(last), Just(size)))
            .prop_map(|(first, last, size)| ContentRange::Satisfied { first, last, size }),
    ]
}

proptest! {
    #[test]
    fn printed_answers_parse_back(answer in answer()) {
        let printed = answer.to_string();
        prop_assert_eq!(ContentRange::parse(&printed), Ok(answer));
        prop_assert_eq!(ContentRange::parse(&printed.to_ascii_uppercase()), Ok(answer));
        prop_assert_eq!(ContentRange::parse(&format!("  {printed}\t")), Ok(answer));
    }

    #[test]
    fn any_text_is_parsed_or_refused_without_panic(text in "\\PC{0,40}") {
        if let Ok(answer) = ContentRange::parse(&text) {
            prop_assert_eq!(answer.checked(), Ok(answer));
            prop_assert_eq!(ContentRange::parse(&answer.to_string()), Ok(answer));
        }
    }

    #[test]
    fn a_space_or_sign_inside_any_number_is_refused(
        answer in answer(),
        insert in prop_oneof![Just(" "), Just("+"), Just("\t")],
        at in any::<prop::sample::Index>(),
    ) {
        let printed = answer.to_string();
        // Positions inside the numbers (after the unit's space).
        let digits: Vec<usize> = printed
            .char_indices()
            .skip(6)
            .filter(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| i)
            .collect();
        let position = digits[at.index(digits.len())];
        let mut broken = printed.clone();
        broken.insert_str(position, insert);
        prop_assert!(ContentRange::parse(&broken).is_err(), "{broken:?}");
    }
}
