//! Every case of `oss-signature-v1.json`: all intermediate strings, the signature, the
//! Authorization header or added query parameters; tampered inputs change the signature.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a malformed vector must fail loudly"
)]

use oss_signing::{Credentials, oss_v1};
use oss_testkit::OssV1Expected;

use crate::vector_case::{credentials, request};

fn check(id: &str, got: &oss_v1::Signature, expected: &OssV1Expected) {
    let fields = [
        (
            &got.canonicalized_oss_headers,
            &expected.canonicalized_oss_headers,
        ),
        (
            &got.canonicalized_resource,
            &expected.canonicalized_resource,
        ),
        (&got.string_to_sign, &expected.string_to_sign),
        (&got.signature, &expected.signature),
    ];
    for (got, expected) in fields {
        assert_eq!(got, expected, "{id}");
    }
}

#[test]
fn every_v1_vector_reproduces() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.oss_v1();
    assert_eq!(file.cases.len(), 7);
    for case in &file.cases {
        let id = &case.request.id;
        let creds = credentials(&file.credentials, &case.request);
        let request = request(&case.request);
        let expected = &case.expected;
        if case.request.is_presigned() {
            // The vectors give the absolute end; any signing time before it signs the same.
            let expires = case.expires_unix.unwrap();
            let validity = oss_signing::Validity::until(expires - 3600, expires).unwrap();
            let signed = oss_v1::presign(&request, &creds, validity);
            check(id, &signed.detail, expected);
            let added = &case.request.query_parameters_added_by_signer;
            assert_eq!(signed.added_query, added.as_slice(), "{id}");
            let encoded = oss_signing::percent_encode(&signed.detail.signature);
            assert_eq!(Some(encoded), expected.signature_url_encoded, "{id}");
        } else {
            let signed = oss_v1::sign_headers(&request, &creds, 0);
            check(id, &signed.detail, expected);
            assert_eq!(
                Some(&signed.authorization),
                expected.authorization.as_ref(),
                "{id}"
            );
            let parsed = oss_v1::parse_authorization(&signed.authorization).unwrap();
            assert_eq!(parsed, ("ak", expected.signature.as_str()), "{id}");
        }
    }
}

#[test]
fn tampered_v1_inputs_change_the_signature() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.oss_v1();
    let vector = file.case("V1-H2"); // PUT examplebucket/nelson?acl
    let creds = credentials(&file.credentials, &vector.request);
    let good = &vector.expected.signature;
    let base = request(&vector.request);
    let headers = vector.request.headers.as_slice();
    let date = oss_v1::date_line(headers).unwrap();
    assert_eq!(
        &oss_v1::compute(&base, date, creds.access_key_secret()).signature,
        good
    );
    let mut meta = headers.to_vec();
    let author = meta.iter_mut().find(|(n, _)| n == "x-oss-meta-author");
    author.unwrap().1 = "mallory".into();
    let variants = [
        base.clone().method("GET"),
        base.clone().key("nelson2"),
        base.clone().bucket("otherbucket"),
        base.clone().query([("acl", "x")]),
        base.clone().headers(&meta),
    ];
    for (i, req) in variants.iter().enumerate() {
        assert_ne!(
            &oss_v1::compute(req, date, creds.access_key_secret()).signature,
            good,
            "variant {i}"
        );
    }
    let wrong = Credentials::new("ak", "sk2");
    assert_ne!(
        &oss_v1::compute(&base, date, wrong.access_key_secret()).signature,
        good
    );
    let other_date = "Thu, 29 Dec 2022 10:27:41 GMT";
    assert_ne!(
        &oss_v1::compute(&base, other_date, creds.access_key_secret()).signature,
        good
    );
    // Unsigned query parameters do not matter.
    let listed = base.clone().query([("acl", ""), ("max-keys", "5")]);
    assert_eq!(
        &oss_v1::compute(&listed, date, creds.access_key_secret()).signature,
        good
    );
}
