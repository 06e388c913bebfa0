//! KMS stand-in authentication against the shared signing vectors: V1 and V3 signatures
//! verify server-side and tampered ones fail; V3 requests signed now work with STS tokens.

// Helpers outside #[test] functions unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use crate::kms_support as support;

use oss_devserver::{KmsConfig, KmsKey, SignatureVerdict};
use oss_signing::{AccessKeySecret, rpc, sha256_hex, time};
use oss_testkit::{RpcScheme, RpcVectors};
use support::{Kms, Signer, now};

const KEY: &str = KmsConfig::DEFAULT_KEY_ID;

/// The RPC vectors and a server that knows their keys, with the fixed-time checks off.
async fn vectors_and_server() -> Option<(RpcVectors, Kms)> {
    let vectors = oss_testkit::Vectors::locate()?.rpc_signature();
    let config = KmsConfig::default()
        .for_fixed_time_vectors()
        .with_key(KmsKey::new("1234abcd-12ab-34cd-56ef-1234567890ab"))
        .with_alias("alias/oss-test-key", "1234abcd-12ab-34cd-56ef-1234567890ab");
    let mut creds = vec![oss_devserver::DevCredential::dev_default()];
    for case in &vectors.cases {
        let mut cred =
            oss_devserver::DevCredential::new(case.access_key_id(), &case.access_key_secret);
        if let Some(token) = case.security_token() {
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
    let kms = Kms {
        server,
        handle,
        url,
        http: reqwest::Client::new(),
    };
    Some((vectors, kms))
}

fn verdicts(kms: &Kms) -> Vec<SignatureVerdict> {
    let v = kms.handle.requests().iter().map(|r| r.signature).collect();
    kms.handle.clear_requests();
    v
}

#[tokio::test]
async fn v1_vectors_verify_server_side_and_tampered_ones_fail() {
    let Some((vectors, kms)) = vectors_and_server().await else {
        return;
    };
    let mut seen = 0;
    for case in vectors.of(RpcScheme::V1) {
        let (id, method) = (&case.id, case.method.as_str());
        let mut params: Vec<(String, String)> = case.params.clone().into_iter().collect();
        params.push(("Signature".into(), case.expected.signature.clone()));
        let answer = kms.send_query(method, &params).await;
        assert_ne!(
            answer.code(),
            "SignatureDoesNotMatch",
            "{id}: {}",
            answer.json
        );
        assert_eq!(verdicts(&kms), [SignatureVerdict::ValidV1], "{id}");
        if let Some(target) = &case.expected.request_target_as_sent_by_aliyunsdkcore {
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
            if case.params["Action"] == "GenerateDataKey" {
                answer.assert_ok();
                assert_eq!(
                    answer.field("KeyId"),
                    "1234abcd-12ab-34cd-56ef-1234567890ab"
                );
            }
        }
        let mut tampered = params.clone();
        let nonce = tampered.iter_mut().find(|(n, _)| n == "SignatureNonce");
        nonce.unwrap().1.push('0');
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

#[tokio::test]
async fn v3_vectors_verify_server_side_and_tampered_ones_fail() {
    let Some((vectors, kms)) = vectors_and_server().await else {
        return;
    };
    let mut seen = 0;
    for case in vectors.of(RpcScheme::V3) {
        let id = &case.id;
        let query = case.query.as_slice();
        let mut headers = case.headers.pairs();
        let authorization = case.expected.authorization.clone().unwrap();
        headers.push(("authorization".into(), authorization));
        let answer = send_v3(&kms, query, &headers, case.body.as_deref().unwrap()).await;
        assert_ne!(
            answer.code(),
            "SignatureDoesNotMatch",
            "{id}: {}",
            answer.json
        );
        assert_eq!(verdicts(&kms), [SignatureVerdict::ValidV3], "{id}");
        if case.headers.get("x-acs-action") == Some("GenerateDataKey") {
            answer.assert_ok();
        }
        let mut tampered = query.to_vec();
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
