//! The header codec against the shared vectors: classification, parsing, exact re-serialisation,
//! the negative cases, V1 envelopes and the KMS flavour rule.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use oss_envelope::{
    CekAlg, Classification, Envelope, HeaderErrorKind, KmsFlavour, LegacyEnvelope, Matdesc,
    WrapAlg, WrappedValue, classify, header,
};
use oss_testkit::{Vectors, headers};
use serde_json::Value;

fn as_map(pairs: &[(impl AsRef<str>, impl AsRef<str>)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.as_ref().to_owned()))
        .collect()
}

fn expected_bytes(json: &Value, field: &str) -> Option<usize> {
    json["expected"][field]
        .as_u64()
        .map(|n| usize::try_from(n).unwrap())
}

#[test]
fn v2_vectors_parse_and_reserialise_exactly() {
    let Some(v) = Vectors::locate() else { return };
    for name in ["v2-go-rsa", "v2-python-rsa", "v2-envelope-header-only"] {
        let json = v.json(&format!("{name}.json"));
        let pairs = headers(&json);
        assert_eq!(classify(&pairs), Classification::V2, "{name}");
        let envelope = Envelope::from_headers(&pairs).unwrap();
        assert_eq!(envelope.cek_alg(), CekAlg::AesCtrNoPadding);
        assert_eq!(envelope.wrap_alg(), WrapAlg::RsaPkcs1);
        for (field, value) in [
            ("wrapped_key_bytes", envelope.key()),
            ("wrapped_iv_bytes", envelope.start()),
        ] {
            let expected = expected_bytes(&json, field).unwrap_or(128);
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
    let json = v.json("v2-envelope-header-only.json");
    let pairs = headers(&json);
    let envelope = Envelope::from_headers(&pairs).unwrap();
    let expected: Matdesc = json["expected"]["matdesc_parsed"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(envelope.matdesc(), Ok(&expected));
    assert_eq!(envelope.matdesc_text(), Some(r#"{"tag":"value"}"#));
    assert!(json["expected"]["unencrypted_content_length"].is_null());

    let negatives = json["negative_cases"].as_array().unwrap();
    assert_eq!(negatives.len(), 2);
    for case in negatives {
        let change = case["change"].as_object().unwrap();
        let (changed_name, changed_value) = change.iter().next().unwrap();
        let modified: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, val)| {
                let val = if n == changed_name {
                    changed_value.as_str().unwrap()
                } else {
                    val
                };
                (n.clone(), val.to_owned())
            })
            .collect();
        let err = Envelope::from_headers(&modified).unwrap_err();
        assert_eq!(err.header(), changed_name.as_str(), "{case}");
        assert_eq!(err.kind(), HeaderErrorKind::InvalidBase64, "{case}");
        assert!(err.to_string().contains("not valid base64"), "{err}");
    }
}

#[test]
fn go_vector_with_java_matdesc_round_trips_byte_for_byte() {
    let Some(v) = Vectors::locate() else { return };
    let json = v.json("v2-go-rsa.json");
    let mut pairs = headers(&json);
    let optional = json["optional_headers"].as_object().unwrap();
    for (name, value) in optional {
        pairs.push((name.clone(), value.as_str().unwrap().to_owned()));
    }
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
    let mut pairs = headers(&v.json("v2-python-rsa.json"));
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
        let json = v.json(&format!("{name}.json"));
        let pairs = headers(&json);
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
    let json = v.json("v1-kms-1MiB.json");
    let legacy = LegacyEnvelope::from_headers(headers(&json)).unwrap();
    let results = json["kms_decrypt_results"].as_object().unwrap();
    // V1 KMS headers are sent to KMS as they are.
    assert_eq!(
        results[legacy.key().as_text()],
        "ogO+SR1IiCiBsLxuS5tQVq/OhKQA6uaqoZQfkBcdka4="
    );
    assert_eq!(results[legacy.start().as_text()], "8");
    let rsa = LegacyEnvelope::from_headers(headers(&v.json("v1-rsa-oaep-1MiB.json"))).unwrap();
    assert_eq!(
        (rsa.key().as_bytes().len(), rsa.start().as_bytes().len()),
        (128, 128)
    );
}

#[test]
fn kms_flavour_detection_matches_the_vector_cases() {
    let Some(v) = Vectors::locate() else { return };
    let json = v.json("kms-envelope.json");
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        for (header_field, expected_field) in [
            ("go_java_flavour_header", "go_java_expected"),
            ("oss2_flavour_header", "oss2_expected"),
        ] {
            let value =
                WrappedValue::from_header(header::KEY, case[header_field].as_str().unwrap())
                    .unwrap();
            let expected = &case[expected_field];
            let flavour = match expected["detected"].as_str().unwrap() {
                "oss2" => KmsFlavour::Oss2,
                "go-java" => KmsFlavour::GoJava,
                other => panic!("unknown flavour {other}"),
            };
            let blob = expected["ciphertext_blob_to_send"].as_str().unwrap();
            assert_eq!(
                value.kms_ciphertext_blob(),
                (flavour, blob),
                "{header_field}"
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
