//! A refused AccessKey or a denied request is an auth error (exit code 4, `auth error: ...`),
//! told apart from a wrong master key (`key error: ...`, also exit code 4), against a
//! devserver: a wrong secret (403 `SignatureDoesNotMatch`), an unknown AccessKeyId, a 401 and
//! a 403 `AccessDenied`; and the same for the dev server's KMS (`SignatureDoesNotMatch`,
//! `InvalidAccessKeyId.NotFound`, `Forbidden.NoPermission`) against a missing KMS key.

use crate::common;

use common::{BUCKET, Server, expect_code, keygen, run_env, stderr};
use oss_devserver::{FaultAction, FaultRule, Trigger};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

/// `s`'s environment with `name` set to `value` instead.
fn env_with(s: &Server, name: &'static str, value: &str) -> Vec<(&'static str, String)> {
    let mut env = s.env();
    env.retain(|(k, _)| *k != name);
    env.push((name, value.to_owned()));
    env
}

#[test]
fn wrong_secret_and_unknown_key_id_are_auth_errors_not_key_errors() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("p"), b"secret text").unwrap();
    expect_code(
        &s.run(&["put", &s.path("p"), &uri("x"), "--rsa-public", &public]),
        0,
    );
    let wrong_secret = env_with(&s, "OSS_ACCESS_KEY_SECRET", "not-the-secret");
    let unknown_id = env_with(&s, "OSS_ACCESS_KEY_ID", "LTAI-no-such-key");
    let get = ["get", &uri("x"), &s.path("out"), "--rsa-private", &private];
    for (env, code) in [
        (&wrong_secret, "SignatureDoesNotMatch"),
        (&unknown_id, "InvalidAccessKeyId"),
    ] {
        for args in [&get[..], &["head", &uri("x")], &["ls", &uri("")]] {
            let out = run_env(s.dir.path(), args, env, None);
            expect_code(&out, 4);
            let err = stderr(&out);
            assert!(
                err.starts_with(
                    "osscrypt: auth error: OSS did not accept the credentials (check the \
                     AccessKey ID and secret"
                ),
                "{args:?}: {err}"
            );
            assert!(
                err.contains(&format!("status 403 {code}")),
                "{args:?}: {err}"
            );
            assert!(err.contains("request id"), "{args:?}: {err}");
            assert!(!err.contains("not-the-secret"), "{err}");
        }
    }
    assert!(!s.dir.path().join("out").exists(), "no output left behind");

    // The right AccessKey with the wrong master key: a key error, same exit code.
    let (other, _) = keygen(s.dir.path(), "other");
    let out = s.run(&["get", &uri("x"), &s.path("out"), "--rsa-private", &other]);
    expect_code(&out, 4);
    assert!(
        stderr(&out).starts_with("osscrypt: key error: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_401_and_access_denied_are_auth_errors() {
    let s = Server::start();
    let (_, public) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("p"), b"text").unwrap();
    let unauthorized = FaultAction::Status {
        status: 401,
        code: "Unauthorized".into(),
    };
    s.faults()
        .add_rule(FaultRule::new("HeadObject", Trigger::Always, unauthorized));
    let out = s.run(&["head", &uri("x")]);
    expect_code(&out, 4);
    let err = stderr(&out);
    assert!(
        err.starts_with("osscrypt: auth error: OSS did not accept the credentials")
            && err.contains("status 401 Unauthorized"),
        "{err}"
    );

    s.faults().clear();
    let denied = FaultAction::Status {
        status: 403,
        code: "AccessDenied".into(),
    };
    s.faults()
        .add_rule(FaultRule::new("PutObject", Trigger::Always, denied));
    let out = s.run(&["put", &s.path("p"), &uri("y"), "--rsa-public", &public]);
    expect_code(&out, 4);
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "osscrypt: auth error: OSS denied the request to these credentials: status 403 \
             AccessDenied"
        ),
        "{err}"
    );
}

#[test]
fn kms_refusing_the_access_key_is_an_auth_error_and_a_missing_kms_key_a_key_error() {
    let s = Server::start();
    s.server().kms().add_key(
        oss_devserver::KmsKey::new("locked").with_allowed_access_keys(["LTAI-someone-else"]),
    );
    std::fs::write(s.path("p"), b"secret text").unwrap();
    let put = |env: &[(&'static str, String)], key_id: &str| {
        let args = ["put", &s.path("p"), &uri("k"), "--kms-key-id", key_id];
        run_env(s.dir.path(), &args, env, None)
    };
    let wrong_secret = env_with(&s, "OSS_ACCESS_KEY_SECRET", "not-the-secret");
    let unknown_id = env_with(&s, "OSS_ACCESS_KEY_ID", "LTAI-no-such-key");
    let key = "alias/oss-devserver";
    for (env, code) in [
        (&wrong_secret, "kms error SignatureDoesNotMatch"),
        (&unknown_id, "kms error InvalidAccessKeyId.NotFound"),
    ] {
        let out = put(env, key);
        // Not "not found" (3) for KMS's 404 InvalidAccessKeyId.NotFound.
        expect_code(&out, 4);
        let err = stderr(&out);
        assert!(
            err.starts_with(
                "osscrypt: auth error: KMS did not accept the credentials (check the AccessKey \
                 ID and secret"
            ) && err.contains(code),
            "{err}"
        );
        assert!(!err.contains("not-the-secret"), "{err}");
    }

    let denied = put(&s.env(), "locked");
    expect_code(&denied, 4);
    let err = stderr(&denied);
    assert!(
        err.starts_with(
            "osscrypt: auth error: KMS denied the request to these credentials: kms error \
             Forbidden.NoPermission"
        ),
        "{err}"
    );

    let missing = put(&s.env(), "no-such-key");
    expect_code(&missing, 4);
    let err = stderr(&missing);
    assert!(
        err.starts_with("osscrypt: key error: ") && err.contains("Forbidden.KeyNotFound"),
        "{err}"
    );
    // Nothing was written.
    expect_code(&s.run(&["head", &uri("k")]), 3);
}
