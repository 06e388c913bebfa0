//! KMS EncryptionContext entries (`--kms-context`) through the binary against the dev server's
//! KMS: every KMS call carries one JSON object (the entries with the passphrase's
//! `x-passphrase`), objects are read only with the same entries (in any order or form),
//! `rotate --new-kms-context` changes them, and the envelope does not record them.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common::{Server, data, expect_code, stderr};

const KEY: &str = "alias/oss-devserver";
const URI: &str = "oss://test-bucket/ctx";

/// `--kms-key-id KEY` and `extra`.
fn kms<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--kms-key-id", KEY];
    args.extend_from_slice(extra);
    args
}

#[test]
fn context_objects_need_the_same_entries() {
    let s = Server::start();
    let plain = data(40_000, 11);
    let (src, out) = (s.path("src"), s.path("out"));
    std::fs::write(&src, &plain).unwrap();
    let get = |extra: &[&str]| {
        let mut args = vec!["get", URI, out.as_str()];
        args.extend(kms(extra));
        s.run(&args)
    };

    let mut put = vec!["put", src.as_str(), URI];
    put.extend(kms(&[
        "--kms-context",
        "tenant=acme",
        "--kms-context",
        "app=backup",
    ]));
    put.extend(["--kms-passphrase", "pw"]);
    expect_code(&s.run(&put), 0);
    let expected = r#"{"app":"backup","tenant":"acme","x-passphrase":"pw"}"#;
    let writes: Vec<_> = s
        .server()
        .kms()
        .requests()
        .into_iter()
        .filter(|r| matches!(r.action.as_deref(), Some("GenerateDataKey" | "Encrypt")))
        .collect();
    assert_eq!(
        writes.len(),
        2,
        "GenerateDataKey for the key, Encrypt for the IV"
    );
    for call in &writes {
        assert_eq!(call.param("EncryptionContext"), Some(expected));
    }
    // The envelope records neither the entries nor the passphrase.
    let inspect = s.run(&["inspect", URI, "--json"]);
    expect_code(&inspect, 0);
    let text = String::from_utf8_lossy(&inspect.stdout);
    assert!(!text.contains("acme") && !text.contains("backup"), "{text}");

    // The same entries in another order and form read it.
    let same = get(&[
        "--kms-context",
        r#"{"tenant":"acme","app":"backup"}"#,
        "--kms-passphrase",
        "pw",
    ]);
    expect_code(&same, 0);
    assert_eq!(std::fs::read(&out).unwrap(), plain);
    // Missing, different or extra entries: KMS refuses, a key error.
    for wrong in [
        vec!["--kms-passphrase", "pw"],
        vec![
            "--kms-context",
            "tenant=acme,app=other",
            "--kms-passphrase",
            "pw",
        ],
        vec![
            "--kms-context",
            "tenant=acme,app=backup,x=1",
            "--kms-passphrase",
            "pw",
        ],
        vec!["--kms-context", "tenant=acme,app=backup"],
    ] {
        expect_code(&get(&wrong), 4);
    }

    // rotate to other entries; only those read it then.
    let mut rotate = vec!["rotate", URI];
    rotate.extend(kms(&[
        "--kms-context",
        "tenant=acme,app=backup",
        "--kms-passphrase",
        "pw",
    ]));
    rotate.extend(["--new-kms-key-id", KEY, "--new-kms-context", "tenant=next"]);
    expect_code(&s.run(&rotate), 0);
    expect_code(
        &get(&[
            "--kms-context",
            "tenant=acme,app=backup",
            "--kms-passphrase",
            "pw",
        ]),
        4,
    );
    expect_code(&get(&["--kms-context", "tenant=next"]), 0);
    assert_eq!(std::fs::read(&out).unwrap(), plain);
}

#[test]
fn the_passphrase_entry_and_bad_entries_are_usage_errors() {
    let s = Server::start();
    std::fs::write(s.path("src"), b"x").unwrap();
    for bad in ["x-passphrase=pw", "no-equals-sign", "{not json"] {
        let out = s.run(&[
            "put",
            &s.path("src"),
            URI,
            "--kms-key-id",
            KEY,
            "--kms-context",
            bad,
        ]);
        expect_code(&out, 2);
        assert!(stderr(&out).contains("usage"), "{}", stderr(&out));
    }
}
