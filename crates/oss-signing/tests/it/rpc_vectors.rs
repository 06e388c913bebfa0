//! Every case of `kms-signature.json` (RPC V1 and V3): all intermediate strings and the
//! signature; tampered inputs change the signature.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a malformed vector must fail loudly"
)]

use oss_signing::{AccessKeySecret, rpc};
use oss_testkit::{RpcCase, RpcScheme};

/// An expected V1-only or V3-only string the case must have.
fn field<'a>(case: &RpcCase, value: &'a Option<String>, name: &str) -> &'a str {
    value
        .as_deref()
        .unwrap_or_else(|| panic!("{} lacks {name}", case.id))
}

fn check_v1(case: &RpcCase) {
    let (id, method) = (&case.id, case.method.as_str());
    let secret = AccessKeySecret::new(&case.access_key_secret);
    let params: Vec<(String, String)> = case.params.clone().into_iter().collect();
    let got = rpc::v1::sign(method, &params, &secret);
    let expected = &case.expected;
    assert_eq!(got.canonical_query, expected.canonical_query, "{id}");
    assert_eq!(got.string_to_sign, expected.string_to_sign, "{id}");
    assert_eq!(got.signature, expected.signature, "{id}");
    let encoded = field(
        case,
        &expected.signature_url_encoded,
        "signature_url_encoded",
    );
    assert_eq!(rpc::percent_encode(&got.signature), encoded, "{id}");

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

fn check_v3(case: &RpcCase) {
    let id = &case.id;
    let secret = AccessKeySecret::new(&case.access_key_secret);
    let (query, headers) = (case.query.as_slice(), case.headers.as_slice());
    let request = rpc::v3::Request::new(&case.method)
        .path(case.path.as_deref().unwrap())
        .query(query)
        .headers(headers);
    let got = rpc::v3::compute(&request, &secret);
    assert_eq!(
        Some(&got.signed_headers),
        case.signed_headers.as_ref(),
        "{id}"
    );
    let expected = &case.expected;
    for (name, value, want) in [
        (
            "canonical_query",
            &got.canonical_query,
            Some(&expected.canonical_query),
        ),
        (
            "canonical_headers",
            &got.canonical_headers,
            expected.canonical_headers.as_ref(),
        ),
        (
            "canonical_request",
            &got.canonical_request,
            expected.canonical_request.as_ref(),
        ),
        (
            "hashed_canonical_request",
            &got.hashed_canonical_request,
            expected.hashed_canonical_request.as_ref(),
        ),
        (
            "string_to_sign",
            &got.string_to_sign,
            Some(&expected.string_to_sign),
        ),
        ("signature", &got.signature, Some(&expected.signature)),
    ] {
        assert_eq!(Some(value), want, "{id} {name}");
    }
    let body = case.body.as_deref().unwrap();
    let hash = oss_signing::find_header(headers, "x-acs-content-sha256").unwrap();
    assert_eq!(rpc::v3::content_sha256(body.as_bytes()), hash, "{id}");
    let authorization =
        rpc::v3::authorization(case.access_key_id(), &got.signed_headers, &got.signature);
    let want = field(case, &expected.authorization, "authorization");
    assert_eq!(authorization, want, "{id}");

    // Server side: follow the SignedHeaders of the request; extra unsigned headers are ignored.
    let parsed = rpc::v3::parse_authorization(&authorization).unwrap();
    let mut received = headers.to_vec();
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

    let mut changed = query.to_vec();
    changed[0].1.push('x');
    let tampered = request.clone().query(&changed);
    assert_ne!(
        rpc::v3::compute(&tampered, &secret).signature,
        got.signature,
        "{id}"
    );
    let mut changed = headers.to_vec();
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
    let vectors = v.rpc_signature();
    let (mut v1, mut v3) = (0, 0);
    for case in &vectors.cases {
        match case.scheme() {
            RpcScheme::V1 => {
                check_v1(case);
                v1 += 1;
            }
            RpcScheme::V3 => {
                check_v3(case);
                v3 += 1;
            }
        }
    }
    assert_eq!((v1, v3), (4, 2));
}
