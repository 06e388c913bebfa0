//! The header codec against the shared vectors: classification, parsing, exact re-serialisation,
//! the negative cases, V1 envelopes and the KMS flavour rule.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use oss_envelope::{
    CekAlg, Classification, Envelope, HeaderErrorKind, KmsFlavour, LegacyEnvelope, Matdesc,
    WrapAlg, WrappedValue, classify, header,
};
use oss_testkit::Vectors;

fn as_map(pairs: &[(impl AsRef<str>, impl AsRef<str>)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.as_ref().to_owned()))
        .collect()
}

#[test]
fn v2_vectors_parse_and_reserialise_exactly() {
    let Some(v) = Vectors::locate() else { return };
    for name in ["v2-go-rsa", "v2-python-rsa", "v2-envelope-header-only"] {
        let vector = v.object(name);
        let pairs = vector.headers.pairs();
        assert_eq!(classify(&pairs), Classification::V2, "{name}");
        let envelope = Envelope::from_headers(&pairs).unwrap();
        assert_eq!(envelope.cek_alg(), CekAlg::AesCtrNoPadding);
        assert_eq!(envelope.wrap_alg(), WrapAlg::RsaPkcs1);
        for (field, expected, value) in [
            ("key", vector.expected.wrapped_key_bytes, envelope.key()),
            ("iv", vector.expected.wrapped_iv_bytes, envelope.start()),
        ] {
            let expected = expected.unwrap_or(128);
            assert_eq!(value.as_bytes().len(), expected, "{name} {field}");
        }
        assert_eq!(envelope.unencrypted_content_length(), None);
        assert_eq!(envelope.unencrypted_content_md5(), None);
        // Every vector header is written back with the same name and the same value.
        assert_eq!(as_map(&envelope.to_headers()), as_map(&pairs), "{name}");
        let reparsed = Envelope::from_headers(envelope.to_headers()).unwrap();
        assert_eq!(reparsed, envelope, "{name}");
    }
}

#[test]
fn header_only_vector_matdesc_and_negative_cases() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v2-envelope-header-only");
    let pairs = vector.headers.pairs();
    let envelope = Envelope::from_headers(&pairs).unwrap();
    let expected = Matdesc::from(vector.expected.matdesc_parsed.clone().unwrap());
    assert_eq!(envelope.matdesc(), Ok(&expected));
    assert_eq!(envelope.matdesc_text(), Some(r#"{"tag":"value"}"#));
    assert_eq!(vector.expected.unencrypted_content_length, None);

    let negatives = &vector.negative_cases;
    assert_eq!(negatives.len(), 2);
    for case in negatives {
        let (changed_name, changed_value) = case.change.iter().next().unwrap();
        let modified: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, val)| {
                let val = if n == changed_name {
                    changed_value
                } else {
                    val
                };
                (n.clone(), val.to_owned())
            })
            .collect();
        let err = Envelope::from_headers(&modified).unwrap_err();
        assert_eq!(err.header(), changed_name, "{case:?}");
        assert_eq!(err.kind(), HeaderErrorKind::InvalidBase64, "{case:?}");
        assert!(err.to_string().contains("not valid base64"), "{err}");
    }
}

#[test]
fn go_vector_with_java_matdesc_round_trips_byte_for_byte() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v2-go-rsa");
    let mut pairs = vector.headers.pairs();
    assert!(!vector.optional_headers.is_empty());
    pairs.extend(vector.optional_headers.pairs());
    let envelope = Envelope::from_headers(&pairs).unwrap();
    assert_eq!(
        envelope.matdesc().unwrap().get("desc"),
        Some("wangtw test client encryption")
    );
    assert_eq!(as_map(&envelope.to_headers()), as_map(&pairs));
}

#[test]
fn python_spelled_matdesc_compares_as_a_map() {
    // oss2 writes `{"k": "v"}` with spaces and in insertion order; the map is what counts.
    // (The shared Python vector carries no matdesc, so the spelling is written out here.)
    let Some(v) = Vectors::locate() else { return };
    let mut pairs = v.object("v2-python-rsa").headers.pairs();
    pairs.push((
        header::MATDESC.into(),
        r#"{"z": "\u00e9", "k1": "v1"}"#.into(),
    ));
    let envelope = Envelope::from_headers(&pairs).unwrap();
    let expected: Matdesc = [("k1", "v1"), ("z", "é")].into_iter().collect();
    assert_eq!(envelope.matdesc(), Ok(&expected));
    let written = as_map(&envelope.to_headers());
    assert_eq!(written[header::MATDESC], r#"{"k1":"v1","z":"\u00e9"}"#);
    assert_ne!(written, as_map(&pairs), "the spelling is canonicalised");
    assert_eq!(
        Envelope::from_headers(envelope.to_headers()).unwrap(),
        envelope
    );
}

#[test]
fn v1_vectors_classify_and_parse_only_through_the_legacy_entry_point() {
    let Some(v) = Vectors::locate() else { return };
    for (name, wrap_alg) in [
        ("v1-kms-1MiB", WrapAlg::KmsAliCloud),
        ("v1-rsa-oaep-1MiB", WrapAlg::RsaOaepSha1),
    ] {
        let pairs = v.object(name).headers.pairs();
        assert_eq!(classify(&pairs), Classification::V1, "{name}");
        let legacy = LegacyEnvelope::from_headers(&pairs).unwrap();
        assert_eq!(legacy.wrap_alg(), wrap_alg, "{name}");
        assert_eq!(legacy.cek_alg(), CekAlg::AesCtrNoPadding, "{name}");
        assert_eq!(legacy.matdesc().unwrap(), &Matdesc::new());
        let key_text = &pairs.iter().find(|(n, _)| n == header::V1_KEY).unwrap().1;
        assert_eq!(legacy.key().as_text(), key_text);
        // The V2 parser does not accept V1 headers.
        let err = Envelope::from_headers(&pairs).unwrap_err();
        assert_eq!(
            (err.header(), err.kind()),
            (header::KEY, HeaderErrorKind::Missing)
        );
        assert!(err.is_incomplete_envelope());
    }
    let kms = v.object("v1-kms-1MiB");
    let legacy = LegacyEnvelope::from_headers(kms.headers.iter()).unwrap();
    let results = &kms.kms_decrypt_results;
    // V1 KMS headers are sent to KMS as they are.
    assert_eq!(
        results[legacy.key().as_text()],
        "ogO+SR1IiCiBsLxuS5tQVq/OhKQA6uaqoZQfkBcdka4="
    );
    assert_eq!(results[legacy.start().as_text()], "8");
    let rsa = LegacyEnvelope::from_headers(v.object("v1-rsa-oaep-1MiB").headers.iter()).unwrap();
    assert_eq!(
        (rsa.key().as_bytes().len(), rsa.start().as_bytes().len()),
        (128, 128)
    );
}

#[test]
fn kms_flavour_detection_matches_the_vector_cases() {
    let Some(v) = Vectors::locate() else { return };
    let cases = v.kms_envelope().cases;
    assert_eq!(cases.len(), 3);
    for case in &cases {
        for (header_text, expected) in [
            (&case.go_java_flavour_header, &case.go_java_expected),
            (&case.oss2_flavour_header, &case.oss2_expected),
        ] {
            let value = WrappedValue::from_header(header::KEY, header_text).unwrap();
            let flavour = match expected.detected.as_str() {
                "oss2" => KmsFlavour::Oss2,
                "go-java" => KmsFlavour::GoJava,
                other => panic!("unknown flavour {other}"),
            };
            let blob = expected.ciphertext_blob_to_send.as_str();
            assert_eq!(
                value.kms_ciphertext_blob(),
                (flavour, blob),
                "{header_text}"
            );
            assert_eq!(value.kms_flavour(), flavour);
        }
    }
}

#[test]
fn plain_objects_classify_as_plain() {
    let plain = [("content-type", "image/jpeg"), ("x-oss-meta-other", "1")];
    assert_eq!(classify(plain), Classification::Plain);
    // Optional envelope headers alone never make an object encrypted.
    let optional = [
        (header::MATDESC, "{}"),
        (header::DATA_SIZE, "5"),
        (header::PART_SIZE, "16"),
    ];
    assert_eq!(classify(optional), Classification::Plain);
    assert_eq!(
        classify([("X-Oss-Meta-Client-Side-Encryption-Start", "")]),
        Classification::V2
    );
    // V1 takes precedence over V2.
    let both = [(header::KEY, "a"), ("X-OSS-META-OSS-CRYPTO-KEY", "b")];
    assert_eq!(classify(both), Classification::V1);
    assert_eq!(
        classify(Vec::<(String, String)>::new()),
        Classification::Plain
    );
}
