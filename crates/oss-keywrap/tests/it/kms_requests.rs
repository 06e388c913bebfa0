//! The KMS request builder against `kms-signature.json` (timestamp and nonce pinned) and the
//! header-flavour detection rule against `kms-envelope.json`.

// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{KmsFlavour, WrappedValue};
use oss_keywrap::kms::{Credentials, KmsClient, KmsEndpoint};
use oss_testkit::{RpcCase, RpcScheme, Vectors};

/// Parameters the client adds itself; everything else is the action's own.
const COMMON: [&str; 12] = [
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "RegionId",
    "SecurityToken",
    "Signature",
];

fn credentials_for(case: &RpcCase) -> Credentials {
    let mut credentials = Credentials::new(case.access_key_id(), &case.access_key_secret);
    if let Some(token) = case.security_token() {
        credentials = credentials.with_security_token(token);
    }
    credentials
}

fn client_for(case: &RpcCase) -> KmsClient {
    KmsClient::builder(credentials_for(case))
        .with_region(&case.params["RegionId"])
        .with_endpoint(KmsEndpoint::Custom("http://127.0.0.1:1".into()))
        .build()
        .unwrap()
}

#[test]
fn request_builder_reproduces_the_rpc_v1_vectors() {
    let Some(v) = Vectors::locate() else { return };
    let mut checked = 0;
    for case in v.rpc_signature().of(RpcScheme::V1) {
        let id = &case.id;
        // RPC-V1-0 is an ECS example with another API version; V3 is not what the client sends.
        if id == "RPC-V1-0-doc" {
            continue;
        }
        let params = &case.params;
        let own: Vec<(&str, &str)> = params
            .iter()
            .filter(|(name, _)| !COMMON.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let unix = oss_signing::time::parse_iso8601_extended(&params["Timestamp"]).unwrap();
        let signed = client_for(case).sign_request(
            &credentials_for(case),
            &params["Action"],
            &own,
            &params["SignatureNonce"],
            unix,
        );
        let expected = &case.expected;
        assert_eq!(signed.canonical_query, expected.canonical_query, "{id}");
        assert_eq!(signed.string_to_sign, expected.string_to_sign, "{id}");
        assert_eq!(signed.signature, expected.signature, "{id}");
        let tail = format!(
            "&Signature={}",
            expected.signature_url_encoded.as_deref().unwrap()
        );
        assert!(signed.url.ends_with(&tail), "{id}");
        assert!(
            signed.url.starts_with("http://127.0.0.1:1/?AccessKeyId="),
            "{id}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
}

#[test]
fn flavour_detection_matches_the_vectors() {
    let Some(v) = Vectors::locate() else { return };
    for case in &v.kms_envelope().cases {
        for (text, want) in [
            (&case.go_java_flavour_header, &case.go_java_expected),
            (&case.oss2_flavour_header, &case.oss2_expected),
        ] {
            let value =
                WrappedValue::from_header("x-oss-meta-client-side-encryption-key", text).unwrap();
            let (flavour, blob) = value.kms_ciphertext_blob();
            let want_flavour = match want.detected.as_str() {
                "oss2" => KmsFlavour::Oss2,
                _ => KmsFlavour::GoJava,
            };
            assert_eq!(flavour, want_flavour, "{text}");
            assert_eq!(blob, want.ciphertext_blob_to_send, "{text}");
        }
    }
}

#[test]
fn endpoints_follow_the_region() {
    let credentials = Credentials::new("id", "secret");
    let public = KmsClient::builder(credentials.clone())
        .with_region("cn-shanghai")
        .build();
    assert_eq!(
        public.unwrap().base_url(),
        "https://kms.cn-shanghai.aliyuncs.com"
    );
    let vpc = KmsClient::builder(credentials.clone())
        .with_region("cn-shanghai")
        .with_endpoint(KmsEndpoint::Vpc)
        .build();
    assert_eq!(
        vpc.unwrap().base_url(),
        "https://kms-vpc.cn-shanghai.aliyuncs.com"
    );
    let custom = KmsClient::builder(credentials.clone())
        .with_endpoint(KmsEndpoint::Custom(
            "https://key-1.cryptoservice.kms.aliyuncs.com/".into(),
        ))
        .build();
    assert_eq!(
        custom.unwrap().base_url(),
        "https://key-1.cryptoservice.kms.aliyuncs.com"
    );
    let missing = KmsClient::builder(credentials).build();
    assert!(matches!(missing, Err(oss_keywrap::Error::Config(_))));
}
