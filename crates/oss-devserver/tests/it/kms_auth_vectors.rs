//! KMS stand-in authentication against the shared signing vectors: V1 and V3 signatures
//! verify server-side and tampered ones fail; V3 requests signed now work with STS tokens.

// Helpers outside #[test] functions unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use crate::kms_support as support;

use oss_devserver::{KmsConfig, KmsKey, SignatureVerdict};
use oss_signing::{AccessKeySecret, rpc, sha256_hex, time};
use serde_json::Value;
use support::{Kms, Signer, now};

const KEY: &str = KmsConfig::DEFAULT_KEY_ID;

/// A server that knows the vectors' keys, with the fixed-time checks off.
async fn vector_server(v: &Value) -> Kms {
    let cases = v["cases"].as_array().unwrap();
    let config = KmsConfig::default()
        .for_fixed_time_vectors()
        .with_key(KmsKey::new("1234abcd-12ab-34cd-56ef-1234567890ab"))
        .with_alias("alias/oss-test-key", "1234abcd-12ab-34cd-56ef-1234567890ab");
    let mut creds = vec![oss_devserver::DevCredential::dev_default()];
    for case in cases {
        let id = case["params"]["AccessKeyId"]
            .as_str()
            .or(case["access_key_id"].as_str())
            .unwrap();
        let mut cred =
            oss_devserver::DevCredential::new(id, case["access_key_secret"].as_str().unwrap());
        if let Some(token) = case["params"]["SecurityToken"].as_str() {
            cred = cred.with_security_token(token);
        }
        creds.push(cred);
    }
    let handle = config.handle();
    let mut server_config = oss_devserver::DevServerConfig::default().with_kms(config);
    server_config.credentials = creds;
    let server = oss_devserver::DevServer::start(server_config)
        .await
        .unwrap();
    let url = server.kms_url();
    Kms {
        server,
        handle,
        url,
        http: reqwest::Client::new(),
    }
}

/// The vector cases whose id starts with `prefix`.
fn cases<'a>(v: &'a Value, prefix: &'a str) -> impl Iterator<Item = &'a Value> {
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(move |c| c["id"].as_str().unwrap().starts_with(prefix))
}

fn verdicts(kms: &Kms) -> Vec<SignatureVerdict> {
    let v = kms.handle.requests().iter().map(|r| r.signature).collect();
    kms.handle.clear_requests();
    v
}

#[tokio::test]
async fn v1_vectors_verify_server_side_and_tampered_ones_fail() {
    let Some(vectors) = oss_testkit::Vectors::locate() else {
        return;
    };
    let v = vectors.json("kms-signature.json");
    let kms = vector_server(&v).await;
    let v1 = cases(&v, "RPC-V1");
    let mut seen = 0;
    for case in v1 {
        let method = case["method"].as_str().unwrap();
        let mut params: Vec<(String, String)> = case["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        params.push((
            "Signature".into(),
            case["expected"]["signature"].as_str().unwrap().into(),
        ));
        let answer = kms.send_query(method, &params).await;
        assert_ne!(
            answer.code(),
            "SignatureDoesNotMatch",
            "{}: {}",
            case["id"],
            answer.json
        );
        assert_eq!(
            verdicts(&kms),
            [SignatureVerdict::ValidV1],
            "{}",
            case["id"]
        );
        if let Some(target) = case["expected"]["request_target_as_sent_by_aliyunsdkcore"].as_str() {
            // Exactly the bytes aliyunsdkcore puts on the wire.
            let response = kms
                .http
                .post(format!("{}{target}", kms.url))
                .send()
                .await
                .unwrap();
            let answer = support::answer(response).await;
            assert_ne!(answer.code(), "SignatureDoesNotMatch", "{}", answer.json);
            assert_eq!(verdicts(&kms), [SignatureVerdict::ValidV1]);
            if case["params"]["Action"] == "GenerateDataKey" {
                answer.assert_ok();
                assert_eq!(
                    answer.field("KeyId"),
                    "1234abcd-12ab-34cd-56ef-1234567890ab"
                );
            }
        }
        let tampered: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    if n == "SignatureNonce" {
                        format!("{v}0")
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        kms.send_query(method, &tampered)
            .await
            .assert_error(400, "SignatureDoesNotMatch");
        assert_eq!(verdicts(&kms), [SignatureVerdict::Invalid]);
        seen += 1;
    }
    assert_eq!(seen, 4);
}

async fn send_v3(
    kms: &Kms,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &str,
) -> support::Answer {
    let mut request = kms
        .http
        .post(format!("{}/?{}", kms.url, support::encode_query(query)))
        .body(body.to_owned());
    for (n, v) in headers {
        request = request.header(n, v);
    }
    support::answer(request.send().await.unwrap()).await
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn v3_vectors_verify_server_side_and_tampered_ones_fail() {
    let Some(vectors) = oss_testkit::Vectors::locate() else {
        return;
    };
    let v = vectors.json("kms-signature.json");
    let kms = vector_server(&v).await;
    let v3 = cases(&v, "RPC-V3");
    let mut seen = 0;
    for case in v3 {
        let query = pairs(&case["query"]);
        let mut headers = pairs(&case["headers"]);
        headers.push((
            "authorization".into(),
            case["expected"]["authorization"].as_str().unwrap().into(),
        ));
        let answer = send_v3(&kms, &query, &headers, case["body"].as_str().unwrap()).await;
        assert_ne!(
            answer.code(),
            "SignatureDoesNotMatch",
            "{}: {}",
            case["id"],
            answer.json
        );
        assert_eq!(
            verdicts(&kms),
            [SignatureVerdict::ValidV3],
            "{}",
            case["id"]
        );
        if case["headers"]["x-acs-action"] == "GenerateDataKey" {
            answer.assert_ok();
        }
        let mut tampered = query.clone();
        tampered.push(("Extra".into(), "1".into()));
        send_v3(&kms, &tampered, &headers, "")
            .await
            .assert_error(400, "SignatureDoesNotMatch");
        assert_eq!(verdicts(&kms), [SignatureVerdict::Invalid]);
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[tokio::test]
async fn v3_requests_signed_now_work_with_sts_and_checks() {
    let kms = Kms::start_default().await;
    let send = |signer: Signer, date: String, nonce: String, body_hash: Option<String>| {
        let kms = &kms;
        async move {
            let query = vec![
                ("KeyId".to_owned(), KEY.to_owned()),
                ("Plaintext".to_owned(), "a b+/=".to_owned()),
            ];
            let host = kms.url.trim_start_matches("http://").to_owned();
            let mut headers = vec![
                ("host".to_owned(), host),
                ("x-acs-action".to_owned(), "Encrypt".to_owned()),
                ("x-acs-version".to_owned(), "2016-01-20".to_owned()),
                ("x-acs-date".to_owned(), date),
                ("x-acs-signature-nonce".to_owned(), nonce),
                (
                    "x-acs-content-sha256".to_owned(),
                    body_hash.unwrap_or_else(|| sha256_hex(b"")),
                ),
            ];
            if let Some(token) = &signer.token {
                headers.push(("x-acs-security-token".to_owned(), token.clone()));
            }
            let request = rpc::v3::Request::new("POST")
                .query(&query)
                .headers(&headers);
            let sig = rpc::v3::compute(&request, &AccessKeySecret::new(signer.secret.clone()));
            let auth =
                rpc::v3::authorization(&signer.access_key_id, &sig.signed_headers, &sig.signature);
            headers.push(("authorization".to_owned(), auth));
            send_v3(kms, &query, &headers, "").await
        }
    };
    let date = || time::iso8601_extended(now());
    let sealed = send(Signer::dev(), date(), support::nonce(), None).await;
    sealed.assert_ok();
    send(Signer::sts(), date(), support::nonce(), None)
        .await
        .assert_ok();
    send(
        Signer {
            token: None,
            ..Signer::sts()
        },
        date(),
        support::nonce(),
        None,
    )
    .await
    .assert_error(400, "MissingSecurityToken");
    send(Signer::dev(), date(), "v3-nonce".into(), None)
        .await
        .assert_ok();
    send(Signer::dev(), date(), "v3-nonce".into(), None)
        .await
        .assert_error(400, "SignatureNonceUsed");
    let old = time::iso8601_extended(now() - 3600);
    send(Signer::dev(), old, support::nonce(), None)
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    send(
        Signer::dev(),
        date(),
        support::nonce(),
        Some(sha256_hex(b"x")),
    )
    .await
    .assert_error(400, "InvalidParameter");
    let back = kms
        .call(&[
            ("Action", "Decrypt"),
            ("CiphertextBlob", sealed.field("CiphertextBlob")),
        ])
        .await;
    assert_eq!(back.field("Plaintext"), "a b+/=");
}
