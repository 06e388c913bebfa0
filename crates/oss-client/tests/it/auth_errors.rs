//! Refused credentials and denied requests against the dev server: a wrong AccessKey secret
//! or an unknown AccessKeyId is [`Error::Unauthenticated`], a 401 too, a 403 `AccessDenied`
//! is [`Error::PermissionDenied`]; each keeps the server's details and none is retried.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use common::{builder, server, server_with};
use oss_client::http::HeaderMap;
use oss_client::{
    Credentials, Error, GetOptions, ListObjectsOptions, PutPayload, SignatureVersion,
};
use oss_devserver::{FaultAction, FaultRule, Trigger};

fn with_secret(server: &oss_devserver::DevServer, id: &str, secret: &str) -> oss_client::Client {
    builder(server)
        .with_credentials(Credentials::new(id, secret))
        .build()
        .unwrap()
}

/// Asserts `e` is `Unauthenticated` with this status and code, the server's request id and
/// message, and not retryable.
fn assert_unauthenticated(e: &Error, status: u16, code: &str) {
    assert!(e.is_unauthenticated(), "{e:?}");
    let s = e.service_error().unwrap();
    assert_eq!((s.status, s.code.as_str()), (status, code), "{e}");
    assert!(!s.request_id.is_empty(), "{e}");
    assert!(!s.message.is_empty(), "{e}");
    assert!(!e.is_retryable(), "{e}");
    assert!(e.to_string().starts_with("unauthenticated: status "), "{e}");
}

#[tokio::test]
async fn wrong_secret_and_unknown_key_id_are_unauthenticated() {
    let server = server().await;
    let id = server.credentials().access_key_id().to_owned();
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let wrong = builder(&server)
            .with_credentials(Credentials::new(&id, "not-the-secret"))
            .with_signature_version(version)
            .build()
            .unwrap();
        let put = wrong
            .put_object("k", PutPayload::from_bytes("x"), &HeaderMap::new())
            .await
            .unwrap_err();
        assert_unauthenticated(&put, 403, "SignatureDoesNotMatch");
        let get = wrong
            .get_object_bytes("k", &GetOptions::default())
            .await
            .unwrap_err();
        assert_unauthenticated(&get, 403, "SignatureDoesNotMatch");
        // HEAD answers carry no body: the code comes from the x-oss-err header.
        let head = wrong.head_object("k", &HeaderMap::new()).await.unwrap_err();
        assert_unauthenticated(&head, 403, "SignatureDoesNotMatch");
        let list = wrong
            .list_objects_v2(&ListObjectsOptions::default())
            .await
            .unwrap_err();
        assert_unauthenticated(&list, 403, "SignatureDoesNotMatch");
    }
    let unknown = with_secret(&server, "LTAI-no-such-key", "whatever");
    let e = unknown
        .head_object("k", &HeaderMap::new())
        .await
        .unwrap_err();
    assert_unauthenticated(&e, 403, "InvalidAccessKeyId");
    assert_eq!(
        std::io::Error::from(e).kind(),
        std::io::ErrorKind::PermissionDenied
    );
}

#[tokio::test]
async fn a_401_is_unauthenticated_and_access_denied_is_permission_denied() {
    let unauthorized = FaultAction::Status {
        status: 401,
        code: "Unauthorized".into(),
    };
    let denied = FaultAction::Status {
        status: 403,
        code: "AccessDenied".into(),
    };
    let server = server_with(vec![
        FaultRule::new("GetObject", Trigger::Always, unauthorized),
        FaultRule::new("PutObject", Trigger::Always, denied),
    ])
    .await;
    let client = common::client(&server);
    let e = client
        .get_object_bytes("k", &GetOptions::default())
        .await
        .unwrap_err();
    assert_unauthenticated(&e, 401, "Unauthorized");
    let e = client
        .put_object("k", PutPayload::from_bytes("x"), &HeaderMap::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::PermissionDenied(_)), "{e:?}");
    assert!(!e.is_unauthenticated() && !e.is_retryable(), "{e:?}");
    let s = e.service_error().unwrap();
    assert_eq!((s.status, s.code.as_str()), (403, "AccessDenied"));
    assert!(
        e.to_string()
            .starts_with("permission denied: status 403 AccessDenied"),
        "{e}"
    );
    // Each was sent once: neither is retried.
    let fired: Vec<u64> = server.faults().stats().iter().map(|s| s.fired).collect();
    assert_eq!(fired, [1, 1]);
}
