//! Every case of `oss-signature-v4.json`: all intermediate strings, the signing key, the
//! signature, the Authorization header or added query parameters; tampered inputs differ.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a malformed vector must fail loudly"
)]

use oss_signing::{Credentials, oss_v4};
use serde_json::Value;

fn pairs(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect(),
        _ => Vec::new(),
    }
}

fn refs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

fn strs(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

fn check(id: &str, got: &oss_v4::Signature, expected: &Value) {
    let fields = [
        ("additional_headers", &got.additional_headers),
        ("canonical_uri", &got.canonical_uri),
        ("canonical_query", &got.canonical_query),
        ("canonical_headers", &got.canonical_headers),
        ("canonical_request", &got.canonical_request),
        ("canonical_request_sha256", &got.canonical_request_sha256),
        ("string_to_sign", &got.string_to_sign),
        ("signature", &got.signature),
    ];
    for (name, value) in fields {
        assert_eq!(value, expected[name].as_str().unwrap(), "{id} {name}");
    }
    assert_eq!(
        got.scope.to_string(),
        expected["scope"].as_str().unwrap(),
        "{id} scope"
    );
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

#[test]
fn every_v4_vector_reproduces() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.json("oss-signature-v4.json");
    let cases = file["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 11);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let c = &file["credentials"];
        let mut creds = Credentials::new(
            c["access_key_id"].as_str().unwrap(),
            c["access_key_secret"].as_str().unwrap(),
        );
        if let Some(token) = case["security_token"].as_str() {
            creds = creds.with_security_token(token);
        }
        let (query, headers) = (pairs(&case["query"]), pairs(&case["caller_headers"]));
        let (query, headers) = (refs(&query), refs(&headers));
        let request = oss_v4::Request {
            method: case["method"].as_str().unwrap(),
            bucket: case["bucket"].as_str(),
            key: case["key"].as_str(),
            query: &query,
            headers: &headers,
            additional_headers: &strs(&case["additional_headers_requested"]),
        };
        let (region, product) = (
            case["region"].as_str().unwrap(),
            case["product"].as_str().unwrap(),
        );
        let time = case["signing_time_unix"].as_u64().unwrap();
        let expected = &case["expected"];
        let detail = if case["form"] == "header" {
            let signed = oss_v4::sign_headers(&request, &creds, time, region, product);
            assert_eq!(
                sorted(signed.added_headers),
                sorted(pairs(&case["signer_added_headers"])),
                "{id}"
            );
            assert_eq!(
                signed.authorization,
                expected["authorization"].as_str().unwrap(),
                "{id}"
            );
            let parsed = oss_v4::parse_authorization(&signed.authorization).unwrap();
            assert_eq!(parsed.signature, signed.detail.signature, "{id}");
            signed.detail
        } else {
            let expires = case["expiration_unix"].as_u64().unwrap() - time;
            let validity = oss_signing::Validity::new(time, expires);
            let signed = oss_v4::presign(&request, &creds, validity, region, product);
            let added = pairs(&case["query_parameters_added_by_signer"]);
            assert_eq!(
                signed.added_query.last(),
                added.last(),
                "{id} signature last"
            );
            assert_eq!(sorted(signed.added_query), sorted(added), "{id}");
            signed.detail
        };
        check(id, &detail, expected);
        let key = oss_v4::SigningKey::derive(creds.access_key_secret(), &detail.scope);
        assert_eq!(
            hex::encode(key.expose_secret()),
            expected["signing_key_hex"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(format!("{key:?}"), "SigningKey(******)");
    }
}

#[test]
fn server_recomputation_matches_and_tampering_is_detected() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.json("oss-signature-v4.json");
    let case = &file["cases"][2]; // V4-H3: additional headers
    let mut all = pairs(&case["caller_headers"]);
    all.extend(pairs(&case["signer_added_headers"]));
    let headers = refs(&all);
    let query = pairs(&case["query"]);
    let query = refs(&query);
    let expected = case["expected"]["signature"].as_str().unwrap();
    let auth =
        oss_v4::parse_authorization(case["expected"]["authorization"].as_str().unwrap()).unwrap();
    let additional: Vec<&str> = auth.additional_headers.iter().map(String::as_str).collect();
    let base = oss_v4::Request {
        method: "PUT",
        bucket: Some("bucket"),
        key: Some("1234+-/123/1.txt"),
        query: &query,
        headers: &headers,
        additional_headers: &additional,
    };
    let secret = oss_signing::AccessKeySecret::new("sk");
    let date = "20231216T172512Z";
    let context = oss_v4::Context {
        x_oss_date: date,
        region: &auth.scope.region,
        product: &auth.scope.product,
    };
    let got = oss_v4::compute(&base, &context, &secret);
    assert!(oss_signing::constant_time_eq(
        got.signature.as_bytes(),
        expected.as_bytes()
    ));

    let mut changed_header = all.clone();
    changed_header
        .iter_mut()
        .find(|(n, _)| n == "abc")
        .unwrap()
        .1 = "other".into();
    let changed_header = refs(&changed_header);
    let changed_query = [&query[..1], &[("param3", "x")]].concat();
    let variants = [
        oss_v4::Request {
            method: "GET",
            ..base
        },
        oss_v4::Request {
            key: Some("1234+-/123/2.txt"),
            ..base
        },
        oss_v4::Request {
            headers: &changed_header,
            ..base
        },
        oss_v4::Request {
            query: &changed_query,
            ..base
        },
        oss_v4::Request {
            additional_headers: &[],
            ..base
        },
    ];
    for (i, req) in variants.iter().enumerate() {
        let sig = oss_v4::compute(req, &context, &secret).signature;
        assert_ne!(sig, expected, "variant {i}");
    }
    for (x_oss_date, region, product, secret) in [
        ("20231216T172513Z", "cn-hangzhou", "oss", "sk"),
        (date, "cn-beijing", "oss", "sk"),
        (date, "cn-hangzhou", "oss-cloudbox", "sk"),
        (date, "cn-hangzhou", "oss", "sk2"),
    ] {
        let context = oss_v4::Context {
            x_oss_date,
            region,
            product,
        };
        let secret = oss_signing::AccessKeySecret::new(secret);
        let sig = oss_v4::compute(&base, &context, &secret).signature;
        assert_ne!(sig, expected, "{x_oss_date} {region} {product}");
    }
    // A header that is neither x-oss-* nor additional is not signed.
    let mut unsigned = all.clone();
    unsigned.push(("user-agent".into(), "x".into()));
    let unsigned = refs(&unsigned);
    let sig = oss_v4::compute(
        &oss_v4::Request {
            headers: &unsigned,
            ..base
        },
        &context,
        &secret,
    )
    .signature;
    assert_eq!(sig, expected);
}
