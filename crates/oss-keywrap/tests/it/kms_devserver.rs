//! The KMS master key against the dev server's KMS endpoint over real HTTP: both flavours,
//! passphrase contexts, STS, V1 objects, retries with fault injection, and transport errors.

// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use core::time::Duration;
use std::sync::Arc;

use oss_devserver::{
    DevCredential, DevServer, DevServerConfig, FaultAction, FaultRule, KmsConfig, Trigger,
};
use oss_envelope::{ContentMaterial, KmsFlavour, LegacyEnvelope};
use oss_keywrap::kms::{self, Credentials, KmsClient, KmsEndpoint, KmsMasterKey, RetryConfig};
use oss_keywrap::{Error, Keyring, MasterKey, WrappedMaterial};
use oss_testkit::{Vectors, unhex};

/// The alias every default dev-server KMS configuration has.
const KEY: &str = "alias/oss-devserver";

async fn server(kms: KmsConfig) -> DevServer {
    DevServer::start(DevServerConfig::default().with_kms(kms))
        .await
        .unwrap()
}

fn client_with(
    server: &DevServer,
    credential: &DevCredential,
    retry: RetryConfig,
) -> Arc<KmsClient> {
    let mut credentials =
        Credentials::new(credential.access_key_id(), credential.access_key_secret());
    if let Some(token) = credential.security_token() {
        credentials = credentials.with_security_token(token);
    }
    let client = KmsClient::builder(credentials)
        .with_region(server.region())
        .with_endpoint(KmsEndpoint::Custom(server.kms_url()))
        .with_timeout(Duration::from_secs(2))
        .with_retry(retry.with_backoff(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .unwrap();
    Arc::new(client)
}

fn client(server: &DevServer) -> Arc<KmsClient> {
    client_with(server, server.credentials(), kms::default_retry())
}

fn same(a: &ContentMaterial, b: &ContentMaterial) -> bool {
    a.data_key().as_bytes() == b.data_key().as_bytes() && a.iv().as_bytes() == b.iv().as_bytes()
}

#[tokio::test]
async fn oss2_flavour_round_trips_with_generate_data_key() {
    let kms = KmsConfig::default();
    let log = kms.handle();
    let server = server(kms).await;
    let key = KmsMasterKey::new(client(&server), KEY);
    let (material, wrapped) = key.generate().await.unwrap();
    assert_eq!(wrapped.key().kms_flavour(), KmsFlavour::Oss2);
    assert_eq!(wrapped.start().kms_flavour(), KmsFlavour::Oss2);
    assert!(same(&material, &key.unwrap(&wrapped).await.unwrap()));
    let actions: Vec<_> = log
        .requests()
        .into_iter()
        .filter_map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        ["GenerateDataKey", "Encrypt", "Decrypt", "Decrypt"]
    );
    // No passphrase: no EncryptionContext at all.
    assert!(
        log.requests()
            .iter()
            .all(|r| r.param("EncryptionContext").is_none())
    );
    // Wrapping existing material (key rotation) gives the same flavour.
    let rewrapped = key.wrap(&material).await.unwrap();
    assert_eq!(rewrapped.key().kms_flavour(), KmsFlavour::Oss2);
    assert!(same(&material, &key.unwrap(&rewrapped).await.unwrap()));
}

#[tokio::test]
async fn passphrase_context_is_bound() {
    let kms = KmsConfig::default();
    let log = kms.handle();
    let server = server(kms).await;
    let key = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("pä ss\"word")
        .unwrap();
    let (material, wrapped) = key.generate().await.unwrap();
    assert!(same(&material, &key.unwrap(&wrapped).await.unwrap()));
    let sent = log.requests()[0]
        .param("EncryptionContext")
        .map(str::to_owned);
    assert_eq!(
        sent.as_deref(),
        Some("{\"x-passphrase\":\"pä ss\\\"word\"}")
    );
    let wrong = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("other")
        .unwrap();
    let err = wrong.unwrap(&wrapped).await.unwrap_err();
    assert!(
        matches!(&err, Error::Kms(e) if !e.request_id().is_empty() && !e.is_retryable()),
        "{err:?}"
    );
    let none = KmsMasterKey::new(client(&server), KEY);
    assert!(matches!(none.unwrap(&wrapped).await, Err(Error::Kms(_))));
}

#[tokio::test]
async fn encryption_context_entries_are_bound_with_the_passphrase() {
    let kms = KmsConfig::default();
    let log = kms.handle();
    let server = server(kms).await;
    let key = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("pw")
        .unwrap()
        .with_encryption_context([("tenant", "acme"), ("app", "backup")])
        .unwrap();
    let (material, wrapped) = key.generate().await.unwrap();
    let sent = log.requests()[0]
        .param("EncryptionContext")
        .map(str::to_owned);
    assert_eq!(
        sent.as_deref(),
        Some(r#"{"app":"backup","tenant":"acme","x-passphrase":"pw"}"#)
    );
    // The same entries given in another order unwrap; one entry less does not.
    let same_entries = KmsMasterKey::new(client(&server), KEY)
        .with_encryption_context([("app", "backup")])
        .unwrap()
        .with_passphrase("pw")
        .unwrap()
        .with_encryption_context([("tenant", "acme")])
        .unwrap();
    assert!(same(
        &material,
        &same_entries.unwrap(&wrapped).await.unwrap()
    ));
    let passphrase_only = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("pw")
        .unwrap();
    assert!(matches!(
        passphrase_only.unwrap(&wrapped).await,
        Err(Error::Kms(_))
    ));
    // The passphrase's entry and the Go/Java flavour (no context) are configuration errors.
    let entry =
        KmsMasterKey::new(client(&server), KEY).with_encryption_context([("x-passphrase", "pw")]);
    assert!(matches!(entry, Err(Error::Config(_))));
    let go_java = KmsMasterKey::new(client(&server), KEY)
        .with_encryption_context([("a", "b")])
        .unwrap()
        .with_write_flavour(KmsFlavour::GoJava);
    assert!(matches!(go_java, Err(Error::Config(_))));
}

#[tokio::test]
async fn go_java_flavour_round_trips_and_is_read_by_default_keys() {
    let kms = KmsConfig::default();
    let log = kms.handle();
    let server = server(kms).await;
    let writer = KmsMasterKey::new(client(&server), KEY)
        .with_write_flavour(KmsFlavour::GoJava)
        .unwrap();
    let (material, wrapped) = writer.generate().await.unwrap();
    assert_eq!(wrapped.key().kms_flavour(), KmsFlavour::GoJava);
    assert_eq!(wrapped.start().kms_flavour(), KmsFlavour::GoJava);
    let actions: Vec<_> = log
        .requests()
        .into_iter()
        .filter_map(|r| r.action)
        .collect();
    assert_eq!(actions, ["Encrypt", "Encrypt"]);
    assert!(same(&material, &writer.unwrap(&wrapped).await.unwrap()));
    // An oss2-flavour reader, even with a passphrase, detects the flavour and sends no context.
    let reader = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("pass")
        .unwrap();
    assert!(same(&material, &reader.unwrap(&wrapped).await.unwrap()));
    // And through a keyring from the envelope headers.
    let envelope = wrapped.into_envelope(oss_envelope::Matdesc::new());
    let parsed = oss_envelope::Envelope::from_headers(envelope.to_headers()).unwrap();
    let keyring = Keyring::new(reader);
    assert!(same(
        &material,
        &keyring.unwrap_envelope(&parsed).await.unwrap()
    ));
}

#[tokio::test]
async fn go_java_flavour_with_a_passphrase_is_a_config_error() {
    let server = server(KmsConfig::default()).await;
    let go = KmsMasterKey::new(client(&server), KEY).with_write_flavour(KmsFlavour::GoJava);
    assert!(matches!(
        go.unwrap().with_passphrase("p"),
        Err(Error::Config(_))
    ));
    let oss2 = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("p")
        .unwrap();
    assert!(matches!(
        oss2.with_write_flavour(KmsFlavour::GoJava),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn sts_credentials_send_the_security_token() {
    let kms = KmsConfig::default();
    let log = kms.handle();
    let server = server(kms).await;
    let sts = DevCredential::dev_sts();
    let key = KmsMasterKey::new(client_with(&server, &sts, kms::default_retry()), KEY);
    let (material, wrapped) = key.generate().await.unwrap();
    assert!(same(&material, &key.unwrap(&wrapped).await.unwrap()));
    let first = &log.requests()[0];
    assert_eq!(first.param("SecurityToken"), sts.security_token());
    assert_eq!(first.access_key_id.as_deref(), Some(sts.access_key_id()));
}

#[tokio::test]
async fn v1_kms_vector_unwraps() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v1-kms-1MiB");
    let kms = KmsConfig::default()
        .with_fixtures_json(&v.text("v1-kms-1MiB.json"))
        .unwrap();
    let server = server(kms).await;
    let envelope = LegacyEnvelope::from_headers(vector.headers.iter()).unwrap();
    let key = KmsMasterKey::new(client(&server), KEY);
    let material = key
        .unwrap(&WrappedMaterial::from_legacy(&envelope))
        .await
        .unwrap();
    let cek = unhex(&vector.expected.cek_hex);
    let counter = unhex(vector.expected.initial_counter_hex.as_deref().unwrap());
    assert_eq!(material.data_key().as_bytes()[..], cek[..]);
    assert_eq!(material.iv().as_bytes()[..], counter[..]);
}

#[tokio::test]
async fn throttling_and_5xx_are_retried_with_fresh_nonces() {
    let kms = KmsConfig::default();
    let log = kms.handle();
    let server = server(kms).await;
    let key = KmsMasterKey::new(client(&server), KEY);
    let (material, wrapped) = key.generate().await.unwrap();
    log.clear_requests();
    server.faults().add_rule(FaultRule::new(
        "kms:Decrypt",
        Trigger::NextN(1),
        FaultAction::KmsThrottling,
    ));
    server.faults().add_rule(FaultRule::new(
        "kms:Decrypt",
        Trigger::NextN(1),
        FaultAction::status(503),
    ));
    assert!(same(&material, &key.unwrap(&wrapped).await.unwrap()));
    let records = log.requests();
    let codes: Vec<_> = records.iter().map(|r| r.error_code.clone()).collect();
    let expected = [
        Some("Throttling"),
        Some("ServiceUnavailableTemporary"),
        None,
        None,
    ];
    assert_eq!(
        codes,
        expected.map(|c| c.map(str::to_owned)),
        "key: two failures, then ok"
    );
    let mut nonces: Vec<_> = records.iter().filter_map(|r| r.nonce.clone()).collect();
    let count = nonces.len();
    nonces.dedup();
    assert_eq!(
        nonces.len(),
        count,
        "every attempt is signed with a new nonce"
    );
}

#[tokio::test]
async fn persistent_failures_surface_with_the_request_id() {
    let server = server(KmsConfig::default()).await;
    let key = KmsMasterKey::new(client(&server), KEY);
    let (_, wrapped) = key.generate().await.unwrap();
    let limited = KmsMasterKey::new(
        client_with(
            &server,
            server.credentials(),
            RetryConfig::default().with_max_attempts(3),
        ),
        KEY,
    );
    for (action, code) in [
        (FaultAction::status(500), "InternalFailure"),
        (FaultAction::KmsThrottling, "Throttling"),
    ] {
        server.faults().clear();
        server
            .faults()
            .add_rule(FaultRule::new("kms:Decrypt", Trigger::Always, action));
        let err = limited.unwrap(&wrapped).await.unwrap_err();
        let Error::Kms(kms) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(kms.code(), code);
        assert!(!kms.request_id().is_empty(), "{kms:?}");
        assert!(err.is_retryable());
        assert!(err.to_string().contains(kms.request_id()));
        let stats = server.faults().stats();
        assert_eq!(stats[0].fired, 3, "one attempt and two retries: {stats:?}");
    }
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_transport_errors() {
    let server = server(KmsConfig::default()).await;
    let key = KmsMasterKey::new(client(&server), KEY);
    let (_, wrapped) = key.generate().await.unwrap();
    server.faults().add_rule(FaultRule::new(
        "kms:Decrypt",
        Trigger::Always,
        FaultAction::Delay(Duration::from_secs(5)),
    ));
    let impatient = KmsClient::builder(Credentials::new(
        server.credentials().access_key_id(),
        server.credentials().access_key_secret(),
    ))
    .with_endpoint(KmsEndpoint::Custom(server.kms_url()))
    .with_timeout(Duration::from_millis(200))
    .with_retry(RetryConfig::disabled())
    .build()
    .unwrap();
    let err = KmsMasterKey::new(Arc::new(impatient), KEY)
        .unwrap(&wrapped)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                retryable: true,
                ..
            }
        ),
        "{err:?}"
    );
    let addr = server.kms_addr();
    server.shutdown().await;
    let gone = KmsClient::builder(Credentials::new("id", "secret"))
        .with_endpoint(KmsEndpoint::Custom(format!("http://{addr}")))
        .with_retry(
            kms::default_retry().with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    let err = KmsMasterKey::new(Arc::new(gone), KEY)
        .unwrap(&wrapped)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                retryable: true,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn debug_output_contains_no_credential() {
    let credentials =
        Credentials::new("LTAIpublic", "TopSecretValue").with_security_token("TokenValue");
    let client = KmsClient::builder(credentials.clone())
        .with_region("cn-hangzhou")
        .build()
        .unwrap();
    let key = KmsMasterKey::new(Arc::new(client.clone()), KEY)
        .with_passphrase("PassValue")
        .unwrap();
    let request = client.sign_request(
        &credentials,
        "Encrypt",
        &[("Plaintext", "PlainValue")],
        "n",
        0,
    );
    for text in [
        format!("{credentials:?}"),
        format!("{client:?}"),
        format!("{key:?}"),
        format!("{key:#?}"),
        format!("{request:?}"),
    ] {
        for secret in ["TopSecretValue", "TokenValue", "PassValue", "PlainValue"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(
            text.contains("LTAIpublic") || text.starts_with("SignedRequest"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_go_java_blob_that_looks_like_the_oss2_flavour_is_retried_once() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    // A Go/Java header is the KMS blob itself. These blobs decode to base64 text, so the
    // detection rule takes them for the oss2 flavour (real blobs start with a UUID's `-`).
    let inner_key = STANDARD.encode(b"fixture key blob");
    let inner_iv = STANDARD.encode(b"fixture iv blob!");
    let (key_blob, iv_blob) = (STANDARD.encode(&inner_key), STANDARD.encode(&inner_iv));
    let (data_key, iv) = ([7_u8; 32], [9_u8; 16]);
    let kms = KmsConfig::default()
        .with_fixture(&key_blob, &STANDARD.encode(data_key))
        .with_fixture(&iv_blob, &STANDARD.encode(iv));
    let log = kms.handle();
    let server = server(kms).await;
    let key = KmsMasterKey::new(client(&server), KEY);
    let value = |text: &str| oss_envelope::WrappedValue::from_header("x-test", text).unwrap();
    let wrapped = WrappedMaterial::v2(
        oss_envelope::WrapAlg::KmsAliCloud,
        value(&key_blob),
        value(&iv_blob),
    );
    assert_eq!(wrapped.key().kms_flavour(), KmsFlavour::Oss2, "misdetected");
    let material = key.unwrap(&wrapped).await.unwrap();
    assert_eq!(material.data_key().as_bytes(), &data_key);
    assert_eq!(material.iv().as_bytes(), &iv);
    let sent: Vec<String> = log
        .requests()
        .iter()
        .filter_map(|r| r.param("CiphertextBlob").map(str::to_owned))
        .collect();
    assert_eq!(sent, [inner_key, key_blob, inner_iv, iv_blob]);

    // A blob that fails both ways reports KMS's first answer.
    let bogus = STANDARD.encode(STANDARD.encode(b"nothing knows me"));
    let wrapped = WrappedMaterial::v2(
        oss_envelope::WrapAlg::KmsAliCloud,
        value(&bogus),
        value(&bogus),
    );
    let err = key.unwrap(&wrapped).await.unwrap_err();
    assert!(
        matches!(&err, Error::Kms(e) if e.code() == "InvalidParameter"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_refused_access_key_or_permission_is_told_from_a_key_error() {
    use kms::AccessRefusal::{PermissionDenied, Unauthenticated};
    let server = server(KmsConfig::default()).await;
    server
        .kms()
        .add_key(oss_devserver::KmsKey::new("locked").with_allowed_access_keys(["LTAI-other"]));
    let key = KmsMasterKey::new(client(&server), KEY);
    let (_, wrapped) = key.generate().await.unwrap();
    let (_, envelope) = Keyring::new(key).generate().await.unwrap();
    let right = server.credentials();
    let wrong_secret = DevCredential::new(right.access_key_id(), "not-the-secret");
    let unknown_id = DevCredential::new("LTAI-no-such-key", right.access_key_secret());
    for (credential, code) in [
        (&wrong_secret, "SignatureDoesNotMatch"),
        (&unknown_id, "InvalidAccessKeyId.NotFound"),
    ] {
        let keyring = Keyring::new(KmsMasterKey::new(
            client_with(&server, credential, kms::default_retry()),
            KEY,
        ));
        // Through the keyring's report too: the refusal is found behind it.
        for err in [
            keyring.generate().await.unwrap_err(),
            keyring.unwrap_envelope(&envelope).await.unwrap_err(),
        ] {
            let (refusal, answer) = err
                .kms_access_refusal()
                .unwrap_or_else(|| panic!("{err:?}"));
            assert_eq!((refusal, answer.code()), (Unauthenticated, code));
            assert!(!err.is_unwrap_failure() && !err.is_retryable(), "{err:?}");
        }
    }
    let denied = KmsMasterKey::new(client(&server), "locked")
        .generate()
        .await
        .unwrap_err();
    let (refusal, answer) = denied.kms_access_refusal().unwrap();
    assert_eq!(
        (refusal, answer.code()),
        (PermissionDenied, "Forbidden.NoPermission")
    );

    // The key's own failures are not refusals of the caller.
    let missing = KmsMasterKey::new(client(&server), "no-such-key")
        .generate()
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, Error::Kms(e) if e.code() == "Forbidden.KeyNotFound"),
        "{missing:?}"
    );
    assert!(missing.kms_access_refusal().is_none());
    let other_passphrase = KmsMasterKey::new(client(&server), KEY)
        .with_passphrase("other")
        .unwrap()
        .unwrap(&wrapped)
        .await
        .unwrap_err();
    assert!(
        other_passphrase.kms_access_refusal().is_none(),
        "{other_passphrase:?}"
    );
}
