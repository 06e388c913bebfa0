//! Every case of `kms-signature.json` (RPC V1 and V3): all intermediate strings and the
//! signature; tampered inputs change the signature.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a malformed vector must fail loudly"
)]

use oss_signing::{AccessKeySecret, rpc};
use serde_json::Value;

fn object_pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn field<'a>(case: &'a Value, name: &str) -> &'a str {
    case["expected"][name]
        .as_str()
        .unwrap_or_else(|| panic!("{} lacks {name}", case["id"]))
}

fn check_v1(case: &Value) {
    let id = case["id"].as_str().unwrap();
    let secret = AccessKeySecret::new(case["access_key_secret"].as_str().unwrap());
    let params = object_pairs(&case["params"]);
    let method = case["method"].as_str().unwrap();
    let got = rpc::v1::sign(method, &params, &secret);
    assert_eq!(got.canonical_query, field(case, "canonical_query"), "{id}");
    assert_eq!(got.string_to_sign, field(case, "string_to_sign"), "{id}");
    assert_eq!(got.signature, field(case, "signature"), "{id}");
    assert_eq!(
        rpc::percent_encode(&got.signature),
        field(case, "signature_url_encoded"),
        "{id}"
    );

    // A server sees the parameters in any order and with `Signature` among them.
    let mut received = params.clone();
    received.reverse();
    received.push(("Signature".into(), got.signature.clone()));
    assert_eq!(
        rpc::v1::sign(method, &received, &secret).signature,
        got.signature,
        "{id}"
    );

    // Tampering: any value, the method or the secret.
    for i in 0..params.len() {
        let mut changed = params.clone();
        changed[i].1.push('x');
        assert_ne!(
            rpc::v1::sign(method, &changed, &secret).signature,
            got.signature,
            "{id} param {i}"
        );
    }
    let other = if method == "GET" { "POST" } else { "GET" };
    assert_ne!(
        rpc::v1::sign(other, &params, &secret).signature,
        got.signature,
        "{id}"
    );
    let wrong = AccessKeySecret::new(format!("{}x", secret.expose_secret()));
    assert_ne!(
        rpc::v1::sign(method, &params, &wrong).signature,
        got.signature,
        "{id}"
    );
}

fn check_v3(case: &Value) {
    let id = case["id"].as_str().unwrap();
    let secret = AccessKeySecret::new(case["access_key_secret"].as_str().unwrap());
    let (query, headers) = (object_pairs(&case["query"]), object_pairs(&case["headers"]));
    let request = rpc::v3::Request::new(case["method"].as_str().unwrap())
        .path(case["path"].as_str().unwrap())
        .query(&query)
        .headers(&headers);
    let got = rpc::v3::compute(&request, &secret);
    assert_eq!(
        got.signed_headers,
        case["signed_headers"].as_str().unwrap(),
        "{id}"
    );
    for (name, value) in [
        ("canonical_query", &got.canonical_query),
        ("canonical_headers", &got.canonical_headers),
        ("canonical_request", &got.canonical_request),
        ("hashed_canonical_request", &got.hashed_canonical_request),
        ("string_to_sign", &got.string_to_sign),
        ("signature", &got.signature),
    ] {
        assert_eq!(value, field(case, name), "{id} {name}");
    }
    let body = case["body"].as_str().unwrap();
    let hash = oss_signing::find_header(&headers, "x-acs-content-sha256").unwrap();
    assert_eq!(rpc::v3::content_sha256(body.as_bytes()), hash, "{id}");
    let ak = case["access_key_id"].as_str().unwrap();
    let authorization = rpc::v3::authorization(ak, &got.signed_headers, &got.signature);
    assert_eq!(authorization, field(case, "authorization"), "{id}");

    // Server side: follow the SignedHeaders of the request; extra unsigned headers are ignored.
    let parsed = rpc::v3::parse_authorization(&authorization).unwrap();
    let mut received = headers.clone();
    received.push(("user-agent".into(), "test".into()));
    let server = request
        .clone()
        .headers(&received)
        .signed_headers(&parsed.signed_headers);
    assert_eq!(
        rpc::v3::compute(&server, &secret).signature,
        got.signature,
        "{id}"
    );

    let mut changed = query.clone();
    changed[0].1.push('x');
    let tampered = request.clone().query(&changed);
    assert_ne!(
        rpc::v3::compute(&tampered, &secret).signature,
        got.signature,
        "{id}"
    );
    let mut changed = headers.clone();
    changed[1].1.push('x');
    let tampered = request.clone().headers(&changed);
    assert_ne!(
        rpc::v3::compute(&tampered, &secret).signature,
        got.signature,
        "{id}"
    );
    let wrong = AccessKeySecret::new("other");
    assert_ne!(
        rpc::v3::compute(&request, &wrong).signature,
        got.signature,
        "{id}"
    );
}

#[test]
fn every_kms_signature_vector_reproduces() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.json("kms-signature.json");
    let cases = file["cases"].as_array().unwrap();
    let (mut v1, mut v3) = (0, 0);
    for case in cases {
        let scheme = case["scheme"].as_str().unwrap();
        if scheme.starts_with("RPC V1") {
            check_v1(case);
            v1 += 1;
        } else if scheme.starts_with("RPC V3") {
            check_v3(case);
            v3 += 1;
        } else {
            panic!("unknown scheme {scheme}");
        }
    }
    assert_eq!((v1, v3), (4, 2));
}
