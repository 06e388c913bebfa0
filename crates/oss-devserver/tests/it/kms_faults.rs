//! Fault injection on the KMS stand-in: throttling, server errors, fail-next-N per action,
//! slow answers, dropped connections and corrupted answers.

// Helpers outside #[test] functions unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use crate::kms_support as support;

use core::time::Duration;

use oss_devserver::{FaultAction, FaultRule, KmsConfig, Trigger};
use support::{Kms, Signer, now};

const ENCRYPT: [(&str, &str); 3] = [
    ("Action", "Encrypt"),
    ("KeyId", KmsConfig::DEFAULT_KEY_ID),
    ("Plaintext", "8"),
];
const GENERATE: [(&str, &str); 2] = [
    ("Action", "GenerateDataKey"),
    ("KeyId", KmsConfig::DEFAULT_ALIAS),
];

#[tokio::test]
async fn fail_next_n_per_action_then_recover() {
    let kms = Kms::start_default().await;
    let faults = kms.server.faults();
    faults.add_rule(FaultRule::new(
        "kms:GenerateDataKey",
        Trigger::NextN(2),
        FaultAction::KmsThrottling,
    ));
    kms.call(&ENCRYPT).await.assert_ok();
    kms.call(&GENERATE).await.assert_error(400, "Throttling");
    kms.call(&GENERATE).await.assert_error(400, "Throttling");
    kms.call(&GENERATE).await.assert_ok();
    let stats = faults.stats();
    assert_eq!((stats[0].matched, stats[0].fired), (3, 2));
    let log = kms.handle.requests();
    assert_eq!(log.iter().filter(|r| r.fault.is_some()).count(), 2);
    assert!(
        log.iter()
            .all(|r| r.status == 200 || r.error_code.as_deref() == Some("Throttling"))
    );
}

#[tokio::test]
async fn server_errors_use_kms_codes() {
    let kms = Kms::start_default().await;
    let faults = kms.server.faults();
    let cases = [
        (FaultAction::status(500), 500, "InternalFailure"),
        (FaultAction::status(503), 503, "ServiceUnavailableTemporary"),
        (
            FaultAction::Status {
                status: 400,
                code: "Rejected.Throttling".into(),
            },
            400,
            "Rejected.Throttling",
        ),
        (FaultAction::KmsThrottling, 400, "Throttling"),
    ];
    for (action, status, code) in cases {
        faults.set_rules(vec![FaultRule::new("kms:Encrypt", Trigger::Always, action)]);
        kms.call(&ENCRYPT).await.assert_error(status, code);
        kms.call(&GENERATE).await.assert_ok();
    }
    faults.set_rules(vec![FaultRule::new(
        "*",
        Trigger::EveryNth(2),
        FaultAction::status(500),
    )]);
    let statuses = [
        kms.call(&ENCRYPT).await.status,
        kms.call(&GENERATE).await.status,
        kms.call(&ENCRYPT).await.status,
    ];
    assert_eq!(statuses, [200, 500, 200]);
}

#[tokio::test]
async fn slow_answers_exceed_a_client_timeout() {
    let kms = Kms::start_default().await;
    kms.server.faults().add_rule(FaultRule::new(
        "kms:Encrypt",
        Trigger::NextN(1),
        FaultAction::Delay(Duration::from_millis(1500)),
    ));
    let signed = kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), now(), &support::nonce());
    let url = format!("{}/?{}", kms.url, support::encode_query(&signed));
    let err = kms
        .http
        .post(&url)
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    kms.call(&ENCRYPT).await.assert_ok();
}

#[tokio::test]
async fn dropped_connections_before_and_after_the_body() {
    let kms = Kms::start_default().await;
    let faults = kms.server.faults();
    faults.set_rules(vec![FaultRule::new(
        "kms:Encrypt",
        Trigger::NextN(1),
        FaultAction::ResetAfter(0),
    )]);
    let err = kms.http.post(url(&kms)).send().await.unwrap_err();
    assert!(!err.is_timeout() && err.status().is_none(), "{err}");
    let dropped = kms.handle.requests().pop().unwrap();
    assert_eq!((dropped.status, dropped.action.as_deref()), (0, None));
    assert!(dropped.fault.is_some());

    faults.set_rules(vec![FaultRule::new(
        "kms:Encrypt",
        Trigger::NextN(1),
        FaultAction::ResetAfter(10),
    )]);
    let response = kms.http.post(url(&kms)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the answer is cut short");
    assert_eq!(
        kms.handle.requests().pop().unwrap().status,
        200,
        "the action ran"
    );
    kms.call(&ENCRYPT).await.assert_ok();
}

#[tokio::test]
async fn corrupted_answers_differ_from_the_real_one() {
    let kms = Kms::start_default().await;
    kms.server.faults().add_rule(FaultRule::new(
        "kms:Encrypt",
        Trigger::NextN(1),
        FaultAction::CorruptByte(0),
    ));
    let response = kms.http.post(url(&kms)).send().await.unwrap();
    let body = response.bytes().await.unwrap();
    assert_eq!(body[0], b'{' ^ 1);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
}

fn url(kms: &Kms) -> String {
    let signed = kms.signed_v1("POST", &ENCRYPT, &Signer::dev(), now(), &support::nonce());
    format!("{}/?{}", kms.url, support::encode_query(&signed))
}
