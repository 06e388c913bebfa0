//! KMS stand-in actions over real HTTP: round trips, key resolution, EncryptionContext
//! binding, key states and versions, parameter validation, fixture blobs, the request log.

// Helpers outside #[test] functions unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use crate::kms_support as support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_devserver::{KeyState, KmsConfig, KmsKey, SignatureVerdict};
use support::{Kms, Signer, encode_query};

const KEY: &str = KmsConfig::DEFAULT_KEY_ID;

async fn generate(kms: &Kms, key_id: &str, context: &str) -> support::Answer {
    let params = [
        ("Action", "GenerateDataKey"),
        ("KeyId", key_id),
        ("KeySpec", "AES_256"),
        ("NumberOfBytes", "32"),
        ("EncryptionContext", context),
    ];
    kms.call(&params).await
}

async fn decrypt(kms: &Kms, blob: &str, context: &str) -> support::Answer {
    kms.call(&[
        ("Action", "Decrypt"),
        ("CiphertextBlob", blob),
        ("EncryptionContext", context),
    ])
    .await
}

async fn encrypt(kms: &Kms, key_id: &str, plaintext: &str) -> support::Answer {
    kms.call(&[
        ("Action", "Encrypt"),
        ("KeyId", key_id),
        ("Plaintext", plaintext),
    ])
    .await
}

#[tokio::test]
async fn generate_data_key_round_trips_through_decrypt() {
    let kms = Kms::start_default().await;
    let ctx = r#"{"x-passphrase":"pass"}"#;
    let made = generate(&kms, KmsConfig::DEFAULT_ALIAS, ctx).await;
    made.assert_ok();
    assert_eq!(made.field("KeyId"), KEY, "the resolved id, never the alias");
    let key = kms.handle.key(KEY).unwrap();
    assert_eq!(made.field("KeyVersionId"), key.current_version_id());
    assert_eq!(STANDARD.decode(made.field("Plaintext")).unwrap().len(), 32);
    let blob = made.field("CiphertextBlob");
    assert!(
        STANDARD.decode(blob).unwrap().starts_with(KEY.as_bytes()),
        "blob begins with the key id"
    );

    let back = decrypt(&kms, blob, ctx).await;
    back.assert_ok();
    assert_eq!(back.field("Plaintext"), made.field("Plaintext"));
    assert_eq!(back.field("KeyId"), KEY);
    assert_eq!(back.field("KeyVersionId"), made.field("KeyVersionId"));

    let other = generate(&kms, KEY, ctx).await;
    assert_ne!(
        other.field("Plaintext"),
        made.field("Plaintext"),
        "fresh random keys"
    );
}

#[tokio::test]
async fn encrypt_stores_the_exact_string() {
    let kms = Kms::start_default().await;
    for plaintext in ["8", "8PHy8/T19vf4+fr7/P3+/w==", "not base64 at all, ä"] {
        let sealed = encrypt(&kms, KEY, plaintext).await;
        sealed.assert_ok();
        assert_eq!(sealed.field("KeyId"), KEY);
        assert!(sealed.json.get("Plaintext").is_none());
        let back = decrypt(&kms, sealed.field("CiphertextBlob"), "").await;
        back.assert_ok();
        assert_eq!(back.field("Plaintext"), plaintext);
    }
}

#[tokio::test]
async fn context_is_bound_as_a_map() {
    let kms = Kms::start_default().await;
    let made = generate(&kms, KEY, r#"{"a":"1","b":"2"}"#).await;
    let blob = made.field("CiphertextBlob");
    for same in [
        r#"{"b":"2","a":"1"}"#,
        "{ \"a\" : \"1\" ,\n \"b\" : \"2\" }",
    ] {
        let back = decrypt(&kms, blob, same).await;
        back.assert_ok();
        assert_eq!(back.field("Plaintext"), made.field("Plaintext"));
    }
    for different in [
        r#"{"a":"1","b":"3"}"#,
        r#"{"a":"1"}"#,
        r#"{"a":"1","b":"2","c":"3"}"#,
        "",
    ] {
        decrypt(&kms, blob, different)
            .await
            .assert_error(400, "InvalidParameter");
    }
    let plain = generate(&kms, KEY, "").await;
    decrypt(&kms, plain.field("CiphertextBlob"), "")
        .await
        .assert_ok();
    decrypt(&kms, plain.field("CiphertextBlob"), "{}")
        .await
        .assert_ok();
    decrypt(&kms, plain.field("CiphertextBlob"), r#"{"a":"1"}"#)
        .await
        .assert_error(400, "InvalidParameter");
}

#[tokio::test]
async fn key_ids_aliases_and_arns_resolve() {
    let kms = Kms::start_default().await;
    kms.handle.add_key(KmsKey::new("key-instance-1"));
    kms.handle.add_alias("second", "key-instance-1");
    let account = KmsConfig::DEFAULT_ACCOUNT_ID;
    let cases = [
        (KEY.to_owned(), KEY),
        ("alias/oss-devserver".to_owned(), KEY),
        (format!("acs:kms:cn-hangzhou:{account}:key/{KEY}"), KEY),
        (
            format!("acs:kms:cn-hangzhou:{account}:alias/oss-devserver"),
            KEY,
        ),
        ("alias/second".to_owned(), "key-instance-1"),
        ("key-instance-1".to_owned(), "key-instance-1"),
    ];
    for (key_id, resolved) in &cases {
        let sealed = encrypt(&kms, key_id, "8").await;
        sealed.assert_ok();
        assert_eq!(sealed.field("KeyId"), *resolved, "{key_id}");
        let back = decrypt(&kms, sealed.field("CiphertextBlob"), "").await;
        assert_eq!(back.field("KeyId"), *resolved);
    }
    encrypt(&kms, "alias/nope", "8")
        .await
        .assert_error(404, "Forbidden.AliasNotFound");
    encrypt(&kms, "00000000-0000-4000-8000-000000000000", "8")
        .await
        .assert_error(404, "Forbidden.KeyNotFound");
    let foreign = format!("acs:kms:cn-shanghai:{account}:key/{KEY}");
    encrypt(&kms, &foreign, "8")
        .await
        .assert_error(404, "Forbidden.KeyNotFound");
    kms.handle
        .add_key(KmsKey::new("key-shanghai").with_region("cn-shanghai"));
    encrypt(&kms, "key-shanghai", "8")
        .await
        .assert_error(404, "Forbidden.KeyNotFound");
    assert!(kms.handle.remove_alias("second"));
    encrypt(&kms, "alias/second", "8")
        .await
        .assert_error(404, "Forbidden.AliasNotFound");
}

#[tokio::test]
async fn key_states_versions_and_permissions() {
    let kms = Kms::start_default().await;
    let old = encrypt(&kms, KEY, "8").await;
    let old_blob = old.field("CiphertextBlob");

    assert!(kms.handle.disable_key(KEY));
    encrypt(&kms, KEY, "8")
        .await
        .assert_error(409, "Rejected.Disabled");
    decrypt(&kms, old_blob, "")
        .await
        .assert_error(409, "Rejected.Disabled");
    kms.handle.set_key_state(KEY, KeyState::PendingDeletion);
    generate(&kms, KEY, "")
        .await
        .assert_error(409, "Rejected.PendingDeletion");
    assert!(kms.handle.enable_key(KEY));

    let new_version = kms.handle.rotate_key(KEY).unwrap();
    let new = encrypt(&kms, KEY, "9").await;
    assert_eq!(new.field("KeyVersionId"), new_version);
    assert_ne!(new.field("KeyVersionId"), old.field("KeyVersionId"));
    let back = decrypt(&kms, old_blob, "").await;
    assert_eq!(
        (back.field("Plaintext"), back.field("KeyVersionId")),
        ("8", old.field("KeyVersionId"))
    );

    kms.handle
        .add_key(KmsKey::new("key-private").with_allowed_access_keys(["someone-else"]));
    encrypt(&kms, "key-private", "8")
        .await
        .assert_error(403, "Forbidden.NoPermission");

    assert!(kms.handle.remove_key(KEY));
    decrypt(&kms, old_blob, "")
        .await
        .assert_error(404, "Forbidden.KeyNotFound");
}

#[tokio::test]
async fn parameters_are_validated() {
    let kms = Kms::start_default().await;
    let gdk = |extra: Vec<(&'static str, &'static str)>| {
        let mut p = vec![("Action", "GenerateDataKey"), ("KeyId", KEY)];
        p.extend(extra);
        p
    };
    let len = |a: &support::Answer| STANDARD.decode(a.field("Plaintext")).unwrap().len();
    assert_eq!(len(&kms.call(&gdk(vec![])).await), 32);
    assert_eq!(len(&kms.call(&gdk(vec![("KeySpec", "AES_128")])).await), 16);
    assert_eq!(
        len(&kms
            .call(&gdk(vec![("KeySpec", "AES_256"), ("NumberOfBytes", "7")]))
            .await),
        7
    );
    assert_eq!(
        len(&kms.call(&gdk(vec![("NumberOfBytes", "1024")])).await),
        1024
    );
    for bad in [
        ("NumberOfBytes", "0"),
        ("NumberOfBytes", "1025"),
        ("NumberOfBytes", "x"),
        ("KeySpec", "AES_512"),
    ] {
        kms.call(&gdk(vec![bad]))
            .await
            .assert_error(400, "InvalidParameter");
    }
    kms.call(&gdk(vec![(
        "EncryptionContext",
        r#"{"x-passphrase":"pa"ss"}"#,
    )]))
    .await
    .assert_error(400, "InvalidParameter");
    kms.call(&gdk(vec![("EncryptionContext", r#"{"a":1}"#)]))
        .await
        .assert_error(400, "InvalidParameter");
    kms.call(&[("Action", "GenerateDataKey")])
        .await
        .assert_error(400, "MissingParameter");
    kms.call(&[("Action", "Encrypt"), ("KeyId", KEY)])
        .await
        .assert_error(400, "MissingParameter");
    kms.call(&[("Action", "Decrypt")])
        .await
        .assert_error(400, "MissingParameter");
    let big = "A".repeat(6 * 1024 + 1);
    encrypt(&kms, KEY, &big)
        .await
        .assert_error(400, "InvalidParameter");
    encrypt(&kms, KEY, &big[1..]).await.assert_ok();
    for blob in [
        "not-base64!",
        "YWJjZGVm",
        "MTIzNGFiY2QtMTJhYi0zNGNkLTU2ZWYtMTIzNDU2Nzg5MGFi+/8AAQ==",
    ] {
        decrypt(&kms, blob, "")
            .await
            .assert_error(400, "InvalidParameter");
    }
    kms.call(&[("Action", "ListKeys")])
        .await
        .assert_error(404, "InvalidAction.NotFound");
    kms.call(&[("Action", "Encrypt"), ("Version", "2014-05-26")])
        .await
        .assert_error(400, "InvalidParameter");
    kms.call(&[("Action", "Encrypt"), ("Format", "XML")])
        .await
        .assert_error(400, "InvalidParameter");
    let lower = kms
        .call(&[
            ("Action", "Encrypt"),
            ("KeyId", KEY),
            ("Plaintext", "8"),
            ("Format", "json"),
        ])
        .await;
    lower.assert_ok();
}

#[tokio::test]
async fn form_bodies_get_and_plus_for_space_are_accepted() {
    let kms = Kms::start_default().await;
    let ctx = r#"{"x-passphrase":"a b"}"#;
    let params = [
        ("Action", "Encrypt"),
        ("KeyId", KEY),
        ("Plaintext", "8"),
        ("EncryptionContext", ctx),
    ];
    let signed = kms.signed_v1(
        "POST",
        &params,
        &Signer::dev(),
        support::now(),
        &support::nonce(),
    );
    // Go core SDK style: form body, `+` for spaces.
    let body = encode_query(&signed).replace("%20", "+");
    let response = kms
        .http
        .post(format!("{}/", kms.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let sealed = support::answer(response).await;
    sealed.assert_ok();
    let params = [
        ("Action", "Decrypt"),
        ("CiphertextBlob", sealed.field("CiphertextBlob")),
        ("EncryptionContext", ctx),
    ];
    let signed = kms.signed_v1(
        "GET",
        &params,
        &Signer::dev(),
        support::now(),
        &support::nonce(),
    );
    let back = kms.send_query("GET", &signed).await;
    assert_eq!(back.field("Plaintext"), "8");
}

#[tokio::test]
async fn v1_fixture_blobs_decrypt_to_the_recorded_plaintexts() {
    let Some(vectors) = oss_testkit::Vectors::locate() else {
        return;
    };
    let text = vectors.text("v1-kms-1MiB.json");
    let table: Vec<(String, String)> = vectors
        .object("v1-kms-1MiB")
        .kms_decrypt_results
        .into_iter()
        .filter(|(k, _)| k != "comment")
        .collect();
    assert_eq!(table.len(), 2);

    let without = Kms::start_default().await;
    for (blob, _) in &table {
        decrypt(&without, blob, "")
            .await
            .assert_error(400, "InvalidParameter");
    }

    let kms = Kms::start(KmsConfig::default().with_fixtures_json(&text).unwrap()).await;
    for (blob, plaintext) in &table {
        let back = decrypt(&kms, blob, "").await;
        back.assert_ok();
        assert_eq!(back.field("Plaintext"), plaintext);
        assert_eq!(back.field("KeyId"), "5b819435-90e1-45fe-a775-43078c83d0c5");
        decrypt(&kms, blob, r#"{"x-passphrase":"p"}"#)
            .await
            .assert_error(400, "InvalidParameter");
    }
    let plaintexts: Vec<&str> = table.iter().map(|(_, p)| p.as_str()).collect();
    assert!(
        plaintexts.contains(&"8")
            && plaintexts.contains(&"ogO+SR1IiCiBsLxuS5tQVq/OhKQA6uaqoZQfkBcdka4=")
    );
}

#[tokio::test]
async fn request_log_records_each_request() {
    let kms = Kms::start_default().await;
    kms.handle.clear_requests();
    let made = generate(&kms, KEY, "").await;
    encrypt(&kms, "alias/nope", "8").await;
    let log = kms.handle.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(
        kms.server.kms().requests().len(),
        2,
        "DevServer::kms is the same log"
    );
    let first = &log[0];
    assert_eq!(
        (first.method.as_str(), first.action.as_deref()),
        ("POST", Some("GenerateDataKey"))
    );
    assert_eq!(
        first.access_key_id.as_deref(),
        Some(Signer::dev().access_key_id.as_str())
    );
    assert_eq!(
        (first.signature, first.status, first.error_code.as_deref()),
        (SignatureVerdict::ValidV1, 200, None)
    );
    assert_eq!(first.param("KeyId"), Some(KEY));
    assert!(first.header("x-acs-action").is_none());
    assert!(first.nonce.is_some());
    let debug = format!("{first:?}");
    assert!(!debug.contains(made.field("Plaintext")));
    assert_eq!(
        (log[1].status, log[1].error_code.as_deref()),
        (404, Some("Forbidden.AliasNotFound"))
    );
    assert_eq!(log[1].param("Plaintext"), Some("8"));
    kms.handle.clear_requests();
    assert!(kms.handle.requests().is_empty());
}
