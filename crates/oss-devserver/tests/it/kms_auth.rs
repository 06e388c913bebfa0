//! KMS stand-in authentication over real HTTP: bad signatures, nonce replay, clock skew,
//! unknown keys, STS tokens. The shared signing vectors are in `kms_auth_vectors.rs`.

// Helpers outside #[test] functions unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use crate::kms_support as support;

use oss_devserver::{KmsConfig, SignatureVerdict};
use support::{Kms, Signer, now};

const KEY: &str = KmsConfig::DEFAULT_KEY_ID;
const ENCRYPT: [(&str, &str); 3] = [("Action", "Encrypt"), ("KeyId", KEY), ("Plaintext", "8")];

#[tokio::test]
async fn bad_signature_is_rejected_with_the_server_string_to_sign() {
    let kms = Kms::start_default().await;
    let wrong = Signer {
        secret: "not-the-secret".into(),
        ..Signer::dev()
    };
    let answer = kms.call_as(&ENCRYPT, &wrong).await;
    answer.assert_error(400, "SignatureDoesNotMatch");
    let message = answer.field("Message");
    let (prefix, server_sts) = message.split_once("server string to sign is:").unwrap();
    assert_eq!(
        prefix,
        "Specified signature is not matched with our calculation. "
    );
    assert!(
        server_sts.starts_with("POST&%2F&AccessKeyId%3D"),
        "{server_sts}"
    );

    let mut signed = kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), now(), &support::nonce());
    for (n, v) in &mut signed {
        if n == "Plaintext" {
            *v = "9".into();
        }
    }
    kms.send_query("POST", &signed)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let log = kms.handle.requests();
    assert!(log.iter().all(|r| r.signature == SignatureVerdict::Invalid));
}

#[tokio::test]
async fn replayed_nonce_is_rejected_unless_the_check_is_off() {
    let kms = Kms::start_default().await;
    let signed = kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), now(), "fixed-nonce-1");
    kms.send_query("POST", &signed).await.assert_ok();
    kms.send_query("POST", &signed)
        .await
        .assert_error(400, "SignatureNonceUsed");
    // The same nonce from another access key is a different nonce.
    kms.call_as(&ENCRYPT, &Signer::sts()).await.assert_ok();
    let sts = kms.signed_v1("POST", &ENCRYPT, &Signer::sts(), now(), "fixed-nonce-1");
    kms.send_query("POST", &sts).await.assert_ok();
    // A request with a bad signature does not burn a nonce.
    let wrong = Signer {
        secret: "x".into(),
        ..Signer::dev()
    };
    let bad = kms.signed_v1("POST", &ENCRYPT, &wrong, now(), "fixed-nonce-2");
    kms.send_query("POST", &bad)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let good = kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), now(), "fixed-nonce-2");
    kms.send_query("POST", &good).await.assert_ok();

    kms.handle.set_nonce_check(false);
    kms.send_query("POST", &signed).await.assert_ok();
}

#[tokio::test]
async fn timestamps_must_be_well_formed_and_within_the_window() {
    let kms = Kms::start_default().await;
    let at = |unix: u64| kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), unix, &support::nonce());
    kms.send_query("POST", &at(now() - 10 * 60))
        .await
        .assert_ok();
    kms.send_query("POST", &at(now() + 10 * 60))
        .await
        .assert_ok();
    kms.send_query("POST", &at(now() - 20 * 60))
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    kms.send_query("POST", &at(now() + 20 * 60))
        .await
        .assert_error(400, "InvalidTimeStamp.Expired");
    for bad in [
        "2024-01-02 03:04:05",
        "2024-01-02T03:04:05.000Z",
        "1704164645",
        "2024-13-02T03:04:05Z",
    ] {
        let mut params = ENCRYPT.to_vec();
        params.push(("Timestamp", bad));
        let signed = kms.signed_v1("POST", &params, &Signer::dev(), now(), &support::nonce());
        kms.send_query("POST", &signed)
            .await
            .assert_error(400, "IllegalTimestamp");
    }
    let mut unsigned = at(now());
    unsigned.retain(|(n, _)| n != "Timestamp");
    kms.send_query("POST", &unsigned)
        .await
        .assert_error(400, "MissingParameter");

    kms.handle.set_max_skew(None);
    kms.send_query("POST", &at(1_704_164_645)).await.assert_ok();
}

#[tokio::test]
async fn unknown_access_key_and_missing_signature_parameters() {
    let kms = Kms::start_default().await;
    let stranger = Signer {
        access_key_id: "LTAI5tUnknown".into(),
        ..Signer::dev()
    };
    kms.call_as(&ENCRYPT, &stranger)
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");
    for drop in [
        "AccessKeyId",
        "Signature",
        "SignatureNonce",
        "SignatureMethod",
    ] {
        let mut signed = kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), now(), &support::nonce());
        signed.retain(|(n, _)| n != drop);
        kms.send_query("POST", &signed)
            .await
            .assert_error(400, "MissingParameter");
    }
    let mut params = ENCRYPT.to_vec();
    params.push(("SignatureMethod", "HMAC-SHA256"));
    let signed = kms.signed_v1("POST", &params, &Signer::dev(), now(), &support::nonce());
    kms.send_query("POST", &signed)
        .await
        .assert_error(400, "InvalidParameter");
}

#[tokio::test]
async fn temporary_keys_need_their_security_token() {
    let kms = Kms::start_default().await;
    kms.call_as(&ENCRYPT, &Signer::sts()).await.assert_ok();
    let no_token = Signer {
        token: None,
        ..Signer::sts()
    };
    kms.call_as(&ENCRYPT, &no_token)
        .await
        .assert_error(400, "MissingSecurityToken");
    let wrong = Signer {
        token: Some("other-token".into()),
        ..Signer::sts()
    };
    kms.call_as(&ENCRYPT, &wrong)
        .await
        .assert_error(400, "InvalidSecurityToken.MismatchWithAccessKey");
    let long_term_with_token = Signer {
        token: Some("t".into()),
        ..Signer::dev()
    };
    kms.call_as(&ENCRYPT, &long_term_with_token)
        .await
        .assert_error(400, "InvalidSecurityToken.MismatchWithAccessKey");

    // The legacy STSToken parameter only counts when configured.
    let mut params = ENCRYPT.to_vec();
    let token = Signer::sts().token.unwrap();
    params.push(("STSToken", token.as_str()));
    kms.call_as(&params, &no_token)
        .await
        .assert_error(400, "MissingSecurityToken");
    kms.handle.set_accept_sts_token_param(true);
    kms.call_as(&params, &no_token).await.assert_ok();
}
