//! Every case of `oss-signature-v1.json`: all intermediate strings, the signature, the
//! Authorization header or added query parameters; tampered inputs change the signature.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a malformed vector must fail loudly"
)]

use oss_signing::{Credentials, oss_v1};
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

fn credentials(file: &Value, case: &Value) -> Credentials {
    let c = &file["credentials"];
    let creds = Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["access_key_secret"].as_str().unwrap(),
    );
    match case["security_token"].as_str() {
        Some(token) => creds.with_security_token(token),
        None => creds,
    }
}

fn check(id: &str, got: &oss_v1::Signature, expected: &Value) {
    assert_eq!(
        got.canonicalized_oss_headers,
        expected["canonicalized_oss_headers"].as_str().unwrap(),
        "{id}"
    );
    assert_eq!(
        got.canonicalized_resource,
        expected["canonicalized_resource"].as_str().unwrap(),
        "{id}"
    );
    assert_eq!(
        got.string_to_sign,
        expected["string_to_sign"].as_str().unwrap(),
        "{id}"
    );
    assert_eq!(
        got.signature,
        expected["signature"].as_str().unwrap(),
        "{id}"
    );
}

#[test]
fn every_v1_vector_reproduces() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.json("oss-signature-v1.json");
    let cases = file["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let creds = credentials(&file, case);
        let (query, headers) = (pairs(&case["query"]), pairs(&case["headers"]));
        let (query, headers) = (refs(&query), refs(&headers));
        let request = oss_v1::Request {
            method: case["method"].as_str().unwrap(),
            bucket: case["bucket"].as_str(),
            key: case["key"].as_str(),
            query: &query,
            headers: &headers,
        };
        let expected = &case["expected"];
        if case["form"] == "header" {
            let signed = oss_v1::sign_headers(&request, &creds, 0);
            check(id, &signed.detail, expected);
            assert_eq!(
                signed.authorization,
                expected["authorization"].as_str().unwrap(),
                "{id}"
            );
            let parsed = oss_v1::parse_authorization(&signed.authorization).unwrap();
            assert_eq!(
                parsed,
                ("ak", expected["signature"].as_str().unwrap()),
                "{id}"
            );
        } else {
            // The vectors give the absolute end; any signing time before it signs the same.
            let expires = case["expires_unix"].as_u64().unwrap();
            let validity = oss_signing::Validity::until(expires - 3600, expires).unwrap();
            let signed = oss_v1::presign(&request, &creds, validity);
            check(id, &signed.detail, expected);
            assert_eq!(
                signed.added_query,
                pairs(&case["query_parameters_added_by_signer"]),
                "{id}"
            );
            let encoded = oss_signing::percent_encode(&signed.detail.signature);
            assert_eq!(
                encoded,
                expected["signature_url_encoded"].as_str().unwrap(),
                "{id}"
            );
        }
    }
}

#[test]
fn tampered_v1_inputs_change_the_signature() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.json("oss-signature-v1.json");
    let case = &file["cases"][1];
    let creds = credentials(&file, case);
    let headers = pairs(&case["headers"]);
    let headers = refs(&headers);
    let good = case["expected"]["signature"].as_str().unwrap();
    let base = oss_v1::Request {
        method: "PUT",
        bucket: Some("examplebucket"),
        key: Some("nelson"),
        query: &[("acl", "")],
        headers: &headers,
    };
    let date = oss_v1::date_line(&headers).unwrap();
    assert_eq!(
        oss_v1::compute(&base, date, creds.access_key_secret()).signature,
        good
    );
    let mut meta = headers.clone();
    meta[2].1 = "mallory";
    let variants = [
        oss_v1::Request {
            method: "GET",
            ..base
        },
        oss_v1::Request {
            key: Some("nelson2"),
            ..base
        },
        oss_v1::Request {
            bucket: Some("otherbucket"),
            ..base
        },
        oss_v1::Request {
            query: &[("acl", "x")],
            ..base
        },
        oss_v1::Request {
            headers: &meta,
            ..base
        },
    ];
    for (i, req) in variants.iter().enumerate() {
        assert_ne!(
            oss_v1::compute(req, date, creds.access_key_secret()).signature,
            good,
            "variant {i}"
        );
    }
    let wrong = Credentials::new("ak", "sk2");
    assert_ne!(
        oss_v1::compute(&base, date, wrong.access_key_secret()).signature,
        good
    );
    assert_ne!(
        oss_v1::compute(
            &base,
            "Thu, 29 Dec 2022 10:27:41 GMT",
            creds.access_key_secret()
        )
        .signature,
        good
    );
    // Unsigned query parameters do not matter.
    let listed = oss_v1::Request {
        query: &[("acl", ""), ("max-keys", "5")],
        ..base
    };
    assert_eq!(
        oss_v1::compute(&listed, date, creds.access_key_secret()).signature,
        good
    );
}
