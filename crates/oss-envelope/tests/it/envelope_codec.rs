//! Header codec faults (each names the header and the fault), writer output, and the matdesc
//! JSON writer and parser.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{
    Envelope, HeaderErrorKind as Kind, MAX_HEADER_VALUE_LEN, Matdesc, MatdescErrorKind,
    MultipartPlan, WrapAlg, WrappedValue, header,
};

const KEY_B64: &str = "AAECAwQFBgcICQoLDA0ODw==";
const START_B64: &str = "EBESExQVFhcYGRobHB0eHw==";

fn base() -> Vec<(String, String)> {
    [
        (header::KEY, KEY_B64),
        (header::START, START_B64),
        (header::CEK_ALG, "AES/CTR/NoPadding"),
        (header::WRAP_ALG, "RSA/NONE/PKCS1Padding"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

fn with(name: &str, value: &str) -> Vec<(String, String)> {
    let mut headers: Vec<_> = base().into_iter().filter(|(n, _)| n != name).collect();
    headers.push((name.to_owned(), value.to_owned()));
    headers
}

fn fault(headers: &[(String, String)]) -> (&'static str, Kind) {
    let err = Envelope::from_headers(headers).unwrap_err();
    (err.header(), err.kind())
}

#[test]
fn every_required_header_missing_or_empty_is_an_incomplete_envelope() {
    for name in header::V2_MARKERS {
        let without: Vec<_> = base().into_iter().filter(|(n, _)| n != name).collect();
        assert_eq!(fault(&without), (name, Kind::Missing));
        assert_eq!(fault(&with(name, "  ")), (name, Kind::Empty));
        let err = Envelope::from_headers(&without).unwrap_err();
        assert!(err.is_incomplete_envelope());
        assert_eq!(
            err.to_string(),
            format!("incomplete envelope: header {name} is missing")
        );
    }
}

#[test]
fn algorithms_are_checked() {
    for bad in [
        "AES/ECB/NoPadding",
        "aes/ctr/nopadding",
        "AES/GCM/NoPadding",
    ] {
        assert_eq!(
            fault(&with(header::CEK_ALG, bad)),
            (header::CEK_ALG, Kind::UnknownAlgorithm)
        );
    }
    assert_eq!(
        fault(&with(header::WRAP_ALG, "RSA/NONE/NoPadding")),
        (header::WRAP_ALG, Kind::UnknownAlgorithm)
    );
    for (text, alg) in [
        ("rsa/none/pkcs1padding", WrapAlg::RsaPkcs1),
        ("RSA/NONE/OAEPWithSHA-1AndMGF1Padding", WrapAlg::RsaOaepSha1),
        ("kms/alicloud", WrapAlg::KmsAliCloud),
    ] {
        let envelope = Envelope::from_headers(with(header::WRAP_ALG, text)).unwrap();
        assert_eq!(envelope.wrap_alg(), alg);
        // Written back in canonical spelling.
        assert_eq!(
            envelope.to_headers()[3],
            (header::WRAP_ALG, alg.as_str().to_owned())
        );
    }
}

#[test]
fn base64_must_be_strict() {
    for bad in [
        "AAECAwQFBgcICQoLDA0ODw",
        "AAEC AwQF",
        "AAECAwQFBgcICQoLDA0ODx==",
        "AA-_",
        "***",
    ] {
        assert_eq!(
            fault(&with(header::KEY, bad)),
            (header::KEY, Kind::InvalidBase64),
            "{bad}"
        );
    }
    // Surrounding whitespace is trimmed.
    let padded = Envelope::from_headers(with(header::START, &format!(" \t{START_B64} "))).unwrap();
    assert_eq!(padded.start().as_text(), START_B64);
    assert_eq!(padded.start().as_bytes(), (16u8..32).collect::<Vec<_>>());
}

#[test]
fn names_are_case_insensitive_and_duplicates_must_agree() {
    let upper: Vec<_> = base()
        .into_iter()
        .map(|(n, v)| (n.to_ascii_uppercase(), v))
        .collect();
    assert_eq!(
        Envelope::from_headers(&upper).unwrap(),
        Envelope::from_headers(base()).unwrap()
    );
    let mut same = base();
    same.push((
        "X-Oss-Meta-Client-Side-Encryption-Key".into(),
        format!("{KEY_B64} "),
    ));
    assert!(Envelope::from_headers(&same).is_ok());
    let mut conflicting = base();
    conflicting.push((header::KEY.to_ascii_uppercase(), START_B64.into()));
    assert_eq!(fault(&conflicting), (header::KEY, Kind::Conflicting));
}

#[test]
fn oversized_values_are_refused() {
    let long = "A".repeat(MAX_HEADER_VALUE_LEN + 4);
    let expected = Kind::TooLong {
        len: long.len(),
        max: MAX_HEADER_VALUE_LEN,
    };
    assert_eq!(fault(&with(header::KEY, &long)), (header::KEY, expected));
    assert_eq!(
        fault(&with(header::MATDESC, &long)),
        (header::MATDESC, expected)
    );
    // Other headers are not the codec's business.
    let mut other = base();
    other.push(("x-oss-meta-big".into(), long));
    assert!(Envelope::from_headers(&other).is_ok());
}

#[test]
fn sizes_must_be_plain_decimal_and_plausible() {
    let names = [
        header::UNENCRYPTED_CONTENT_LENGTH,
        header::DATA_SIZE,
        header::PART_SIZE,
    ];
    for name in names {
        for bad in ["01", "-1", "+1", "1.0", "1e3", "0x10", "ten", "1 000"] {
            assert_eq!(
                fault(&with(name, bad)),
                (name, Kind::InvalidNumber),
                "{name} {bad}"
            );
        }
        for huge in ["99999999999999999999999", "18446744073709551615"] {
            assert_eq!(
                fault(&with(name, huge)),
                (name, Kind::OutOfRange),
                "{name} {huge}"
            );
        }
        assert!(Envelope::from_headers(with(name, "0")).is_ok());
        // An empty optional value counts as absent.
        assert!(Envelope::from_headers(with(name, "")).is_ok());
    }
    assert_eq!(
        fault(&with(header::PART_SIZE, "5368709121")),
        (header::PART_SIZE, Kind::OutOfRange)
    );
    let envelope = Envelope::from_headers(with(header::DATA_SIZE, "250000")).unwrap();
    assert_eq!(
        (envelope.data_size(), envelope.part_size()),
        (Some(250_000), None)
    );
    assert_eq!(envelope.multipart_plan(), Ok(None));
}

#[test]
fn md5_must_be_sixteen_bytes() {
    let name = header::UNENCRYPTED_CONTENT_MD5;
    assert_eq!(fault(&with(name, "AAAA")), (name, Kind::InvalidMd5));
    assert_eq!(
        fault(&with(name, "not base64")),
        (name, Kind::InvalidBase64)
    );
    let md5 = "HHGCLGxzJ5f6cJkg8UJc7A==";
    let envelope = Envelope::from_headers(with(name, md5)).unwrap();
    assert_eq!(
        hex::encode(envelope.unencrypted_content_md5().unwrap()),
        "1c71822c6c732797fa709920f1425cec"
    );
}

#[test]
fn bad_matdesc_keeps_the_envelope_and_reports_the_problem() {
    let headers = with(header::MATDESC, r#"{"a": 1}"#);
    let envelope = Envelope::from_headers(&headers).unwrap();
    let err = envelope.matdesc().unwrap_err();
    assert_eq!(err.header(), header::MATDESC);
    let Kind::Matdesc(inner) = err.kind() else {
        panic!("{err:?}")
    };
    assert_eq!(
        (inner.kind(), inner.offset()),
        (MatdescErrorKind::NonStringValue, 6)
    );
    assert!(
        err.to_string()
            .contains("member value is not a string at byte 6"),
        "{err}"
    );
    assert_eq!(envelope.matdesc_text(), Some(r#"{"a": 1}"#));
    // Carried over verbatim, and the round trip is stable.
    let written = envelope.to_headers();
    assert!(written.contains(&(header::MATDESC, r#"{"a": 1}"#.to_owned())));
    assert_eq!(Envelope::from_headers(written).unwrap(), envelope);
    // Absent, empty and `{}` all mean the empty description, which is never written.
    for text in ["{}", " { } ", ""] {
        let envelope = Envelope::from_headers(with(header::MATDESC, text)).unwrap();
        assert_eq!(envelope.matdesc(), Ok(&Matdesc::new()), "{text:?}");
        assert!(
            envelope
                .to_headers()
                .iter()
                .all(|(n, _)| *n != header::MATDESC)
        );
    }
}

#[test]
fn builder_writes_exactly_the_spec_headers() {
    let plan = MultipartPlan::new(250_000, 102_400).unwrap();
    let matdesc: Matdesc = [("b", "2"), ("a", "1/<&>\"\\")].into_iter().collect();
    let envelope = Envelope::new(
        WrappedValue::from_bytes((0u8..16).collect()),
        WrappedValue::from_bytes((16u8..32).collect()),
        WrapAlg::KmsAliCloud,
    )
    .with_matdesc(matdesc)
    .with_unencrypted_content_length(250_000)
    .with_unencrypted_content_md5([0xab; 16])
    .with_multipart(&plan);
    let written = envelope.to_headers();
    let expected = [
        (header::KEY, KEY_B64),
        (header::START, START_B64),
        (header::CEK_ALG, "AES/CTR/NoPadding"),
        (header::WRAP_ALG, "KMS/ALICLOUD"),
        (header::MATDESC, r#"{"a":"1/<&>\"\\","b":"2"}"#),
        (header::UNENCRYPTED_CONTENT_LENGTH, "250000"),
        (header::UNENCRYPTED_CONTENT_MD5, "q6urq6urq6urq6urq6urqw=="),
        (header::DATA_SIZE, "250000"),
        (header::PART_SIZE, "102400"),
    ];
    let written_ref: Vec<(&str, &str)> = written.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(written_ref, expected);
    let parsed = Envelope::from_headers(&written).unwrap();
    assert_eq!(parsed, envelope);
    assert_eq!(parsed.multipart_plan(), Ok(Some(plan)));
    // The magic-number header is ignored on read.
    let mut with_magic = written.clone();
    with_magic.push((header::MAGIC_NUMBER_HMAC, "garbage".into()));
    assert_eq!(Envelope::from_headers(&with_magic).unwrap(), envelope);
}

#[test]
fn matdesc_writer_escapes_per_spec() {
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("z", "é"), ("k1", "v1")], r#"{"k1":"v1","z":"\u00e9"}"#),
        (&[("e", "😀")], r#"{"e":"\ud83d\ude00"}"#),
        (
            &[("c", "\u{8}\t\n\u{c}\r\u{1}\u{1f}")],
            r#"{"c":"\b\t\n\f\r\u0001\u001f"}"#,
        ),
        (&[("p", "/ ~\u{7f}")], r#"{"p":"/ ~\u007f"}"#),
        (
            &[("ü", "x"), ("u", "y"), ("Z", "w")],
            r#"{"Z":"w","u":"y","\u00fc":"x"}"#,
        ),
        (&[], "{}"),
    ];
    for (entries, expected) in cases {
        let matdesc: Matdesc = entries.iter().copied().collect();
        assert_eq!(matdesc.to_json(), expected);
        assert_eq!(matdesc.to_string(), expected);
        assert!(matdesc.to_json().is_ascii());
        assert_eq!(Matdesc::from_json(expected), Ok(matdesc));
    }
}

#[test]
fn matdesc_parser_accepts_every_sdk_spelling() {
    let expected: Matdesc = [("a", "<b>&/"), ("k", "é")].into_iter().collect();
    for spelling in [
        r#"{"a":"<b>&/","k":"é"}"#,                      // Java/Go with raw UTF-8
        r#"{"a":"\u003cb\u003e\u0026\/","k":"\u00E9"}"#, // Go and Java escapes
        "{ \"k\" : \"\\u00e9\" ,\n\t\"a\": \"<b>&/\" }\r\n", // oss2 spacing, any order
    ] {
        assert_eq!(
            Matdesc::from_json(spelling),
            Ok(expected.clone()),
            "{spelling}"
        );
    }
}

#[test]
fn matdesc_parser_refuses_everything_else() {
    use MatdescErrorKind as M;
    let cases = [
        ("[]", M::NotAnObject, 0),
        ("\"s\"", M::NotAnObject, 0),
        ("x", M::UnexpectedCharacter, 0),
        ("{\"a\":{}}", M::NonStringValue, 5),
        ("{\"a\":null}", M::NonStringValue, 5),
        ("{\"a\":\"b\",}", M::UnexpectedCharacter, 9),
        ("{\"a\":\"b\" \"c\":\"d\"}", M::UnexpectedCharacter, 9),
        ("{\"a\":\"b\",\"a\":\"c\"}", M::DuplicateKey, 9),
        ("{\"a\":\"\\ud83d\"}", M::LoneSurrogate, 8),
        ("{\"a\":\"\\ude00x\"}", M::LoneSurrogate, 8),
        ("{\"a\":\"\\ud83d\\u0041\"}", M::LoneSurrogate, 8),
        ("{\"a\":\"\\x\"}", M::InvalidEscape, 7),
        ("{\"a\":\"\\u12g4\"}", M::InvalidEscape, 10),
        ("{\"a\":\"b\nc\"}", M::ControlCharacter, 7),
        ("{\"a\":\"b\"} x", M::TrailingCharacters, 10),
        ("{\"a\":\"b", M::UnexpectedEnd, 7),
        ("{\"a\"", M::UnexpectedEnd, 4),
        ("{", M::UnexpectedEnd, 1),
    ];
    for (text, kind, offset) in cases {
        let err = Matdesc::from_json(text).unwrap_err();
        assert_eq!((err.kind(), err.offset()), (kind, offset), "{text:?}");
    }
}
