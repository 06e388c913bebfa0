//! Every case of `oss-signature-v4.json`: all intermediate strings, the signing key, the
//! signature, the Authorization header or added query parameters; tampered inputs differ.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a malformed vector must fail loudly"
)]

use oss_signing::oss_v4;
use oss_testkit::OssV4Expected;

use crate::vector_case::{credentials, request};

fn check(id: &str, got: &oss_v4::Signature, expected: &OssV4Expected) {
    let fields = [
        (
            "additional_headers",
            &got.additional_headers,
            &expected.additional_headers,
        ),
        ("canonical_uri", &got.canonical_uri, &expected.canonical_uri),
        (
            "canonical_query",
            &got.canonical_query,
            &expected.canonical_query,
        ),
        (
            "canonical_headers",
            &got.canonical_headers,
            &expected.canonical_headers,
        ),
        (
            "canonical_request",
            &got.canonical_request,
            &expected.canonical_request,
        ),
        (
            "canonical_request_sha256",
            &got.canonical_request_sha256,
            &expected.canonical_request_sha256,
        ),
        (
            "string_to_sign",
            &got.string_to_sign,
            &expected.string_to_sign,
        ),
        ("signature", &got.signature, &expected.signature),
    ];
    for (name, got, expected) in fields {
        assert_eq!(got, expected, "{id} {name}");
    }
    assert_eq!(got.scope.to_string(), expected.scope, "{id} scope");
}

/// The pairs in sorted order: the signer adds them in an order of its own.
fn sorted(pairs: impl Into<Vec<(String, String)>>) -> Vec<(String, String)> {
    let mut pairs = pairs.into();
    pairs.sort();
    pairs
}

#[test]
fn every_v4_vector_reproduces() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.oss_v4();
    assert_eq!(file.cases.len(), 11);
    for case in &file.cases {
        let id = &case.request.id;
        let creds = credentials(&file.credentials, &case.request);
        let request = request(&case.request).additional_headers(&case.additional_headers_requested);
        let (region, product) = (case.region.as_str(), case.product.as_str());
        let time = case.signing_time_unix;
        let expected = &case.expected;
        let detail = if case.request.is_presigned() {
            let expires = case.expiration_unix.unwrap() - time;
            let validity = oss_signing::Validity::new(time, expires);
            let signed = oss_v4::presign(&request, &creds, validity, region, product);
            let added = case.request.query_parameters_added_by_signer.as_slice();
            assert_eq!(
                signed.added_query.last(),
                added.last(),
                "{id} signature last"
            );
            assert_eq!(sorted(signed.added_query), sorted(added), "{id}");
            signed.detail
        } else {
            let signed = oss_v4::sign_headers(&request, &creds, time, region, product);
            let added = case.request.signer_added_headers.as_slice();
            assert_eq!(sorted(signed.added_headers), sorted(added), "{id}");
            assert_eq!(
                Some(&signed.authorization),
                expected.authorization.as_ref(),
                "{id}"
            );
            let parsed = oss_v4::parse_authorization(&signed.authorization).unwrap();
            assert_eq!(parsed.signature, signed.detail.signature, "{id}");
            signed.detail
        };
        check(id, &detail, expected);
        let key = oss_v4::SigningKey::derive(creds.access_key_secret(), &detail.scope);
        assert_eq!(
            hex::encode(key.expose_secret()),
            expected.signing_key_hex,
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
    let file = v.oss_v4();
    let case = file.case("V4-H3"); // additional headers
    let mut all = case.request.headers.pairs();
    all.extend(case.request.signer_added_headers.pairs());
    let query = case.request.query.as_slice();
    let expected = &case.expected.signature;
    let auth = oss_v4::parse_authorization(case.expected.authorization.as_deref().unwrap());
    let auth = auth.unwrap();
    let base = request(&case.request)
        .headers(&all)
        .additional_headers(&auth.additional_headers);
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
    let changed_query = [&query[..1], &[("param3".into(), "x".into())]].concat();
    let variants = [
        base.clone().method("GET"),
        base.clone().key("1234+-/123/2.txt"),
        base.clone().headers(&changed_header),
        base.clone().query(&changed_query),
        base.clone().additional_headers::<str>([]),
    ];
    for (i, req) in variants.iter().enumerate() {
        let sig = oss_v4::compute(req, &context, &secret).signature;
        assert_ne!(&sig, expected, "variant {i}");
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
        assert_ne!(&sig, expected, "{x_oss_date} {region} {product}");
    }
    // A header that is neither x-oss-* nor additional is not signed.
    let mut unsigned = all.clone();
    unsigned.push(("user-agent".into(), "x".into()));
    let sig = oss_v4::compute(&base.clone().headers(&unsigned), &context, &secret).signature;
    assert_eq!(&sig, expected);
}
