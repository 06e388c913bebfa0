//! KMS passphrases through the binary against the dev server's KMS: the passphrase travels as
//! oss2's EncryptionContext `{"x-passphrase":"…"}` on every KMS call, objects written with one
//! are read only with the same one, `rotate` can change it, and it is never printed.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common::{Server, data, expect_code, run_env};

const KEY: &str = "alias/oss-devserver";
const PASSPHRASE: &str = "correct horse battery";

#[test]
fn passphrase_objects_need_the_same_passphrase() {
    let s = Server::start();
    let plain = data(50_000, 9);
    let (src, out) = (s.path("src"), s.path("out"));
    std::fs::write(&src, &plain).unwrap();
    let uri = "oss://test-bucket/pass";
    let with_env = |name: &'static str, value: &str| {
        let mut env = s.env();
        env.push((name, value.to_owned()));
        env.push(("RUST_LOG", "trace".to_owned()));
        env
    };
    let run = |args: &[&str], env: &[(&str, String)]| run_env(s.dir.path(), args, env, None);
    let pass_env = with_env("OSSCRYPT_KMS_PASSPHRASE", PASSPHRASE);
    let put = run(&["put", &src, uri, "--kms-key-id", KEY], &pass_env);
    expect_code(&put, 0);
    // Every KMS call carried oss2's context.
    let expected = format!("{{\"x-passphrase\":\"{PASSPHRASE}\"}}");
    let calls = s.server().kms().requests();
    let kms_calls: Vec<_> = calls
        .iter()
        .filter(|r| matches!(r.action.as_deref(), Some("GenerateDataKey" | "Encrypt")))
        .collect();
    assert_eq!(
        kms_calls.len(),
        2,
        "GenerateDataKey for the key, Encrypt for the IV"
    );
    for call in kms_calls {
        assert_eq!(call.param("EncryptionContext"), Some(expected.as_str()));
    }

    let get = run(&["get", uri, &out, "--kms-key-id", KEY], &pass_env);
    expect_code(&get, 0);
    assert_eq!(std::fs::read(&out).unwrap(), plain);
    // Without it, or with another one, KMS refuses: a key error.
    expect_code(&run(&["get", uri, &out, "--kms-key-id", KEY], &s.env()), 4);
    let flag = run(
        &[
            "get",
            uri,
            &out,
            "--kms-key-id",
            KEY,
            "--kms-passphrase",
            "wrong",
        ],
        &s.env(),
    );
    expect_code(&flag, 4);

    // rotate to another passphrase; only the new one reads it then.
    let mut rotate_env = pass_env.clone();
    rotate_env.push(("OSSCRYPT_NEW_KMS_PASSPHRASE", "second".to_owned()));
    let rotated = run(
        &["rotate", uri, "--kms-key-id", KEY, "--new-kms-key-id", KEY],
        &rotate_env,
    );
    expect_code(&rotated, 0);
    expect_code(&run(&["get", uri, &out, "--kms-key-id", KEY], &pass_env), 4);
    let second = run(
        &[
            "get",
            uri,
            &out,
            "--kms-key-id",
            KEY,
            "--kms-passphrase",
            "second",
        ],
        &s.env(),
    );
    expect_code(&second, 0);
    assert_eq!(std::fs::read(&out).unwrap(), plain);

    for output in [&put, &get, &flag, &rotated, &second] {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !text.contains(PASSPHRASE) && !text.contains("second\""),
            "{text}"
        );
    }
}
