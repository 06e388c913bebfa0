//! Master keys whose private half is offline, through the binary against a dev server:
//! `rotate` to a public key alone (verified by comparing the stored envelope, or skipped with
//! `--no-verify`, and said so), and a resumable upload started with a public key that cannot
//! be resumed without the private key (exit 4, the reason and the remedy).

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use oss_devserver::{FaultAction, FaultRule, Trigger};

use crate::common::{Server, data, expect_code, keygen, stderr};

#[test]
fn rotate_to_a_public_key_alone() {
    let s = Server::start();
    let (old_private, old_public) = keygen(s.dir.path(), "old");
    let (new_private, new_public) = keygen(s.dir.path(), "new");
    let plain = data(200_000, 3);
    let (src, out) = (s.path("src"), s.path("out"));
    std::fs::write(&src, &plain).unwrap();
    let uri = "oss://test-bucket/offline";
    expect_code(
        &s.run(&["put", &src, uri, "--rsa-private", &old_private]),
        0,
    );

    let rotated = s.run(&[
        "-q",
        "rotate",
        uri,
        "--rsa-private",
        &old_private,
        "--new-rsa-public",
        &new_public,
    ]);
    expect_code(&rotated, 0);
    let note = stderr(&rotated);
    assert!(note.contains("verified: the stored envelope"), "{note}");
    assert!(
        note.contains("not verified: that the new private key"),
        "{note}"
    );
    // The offline private half reads it; the old key no longer does.
    expect_code(
        &s.run(&["get", uri, &out, "--rsa-private", &new_private]),
        0,
    );
    assert_eq!(std::fs::read(&out).unwrap(), plain);
    expect_code(
        &s.run(&["get", uri, &out, "--rsa-private", &old_private]),
        4,
    );

    // A server that answers the check's HEAD with another envelope fails the rotation.
    let tamper = FaultAction::SetHeader {
        name: "x-oss-meta-client-side-encryption-key".into(),
        value: "AAAAAAAAAAAAAAAAAAAAAA==".into(),
    };
    s.faults()
        .add_rule(FaultRule::new("HeadObject", Trigger::Nth(2), tamper));
    let refused = s.run(&[
        "rotate",
        uri,
        "--rsa-private",
        &new_private,
        "--new-rsa-public",
        &old_public,
    ]);
    expect_code(&refused, 5);
    s.faults().clear();

    // --no-verify: no read-back, and the notice says what was not checked.
    let unchecked = s.run(&[
        "rotate",
        uri,
        "--rsa-private",
        &old_private,
        "--new-rsa-public",
        &new_public,
        "--no-verify",
    ]);
    expect_code(&unchecked, 0);
    let note = stderr(&unchecked);
    assert!(note.contains("not verified (--no-verify)"), "{note}");
    expect_code(
        &s.run(&["get", uri, &out, "--rsa-private", &new_private]),
        0,
    );
    assert_eq!(std::fs::read(&out).unwrap(), plain);
    // No new key at all is a usage error; so is a public key alone with --prefix.
    expect_code(&s.run(&["rotate", uri, "--rsa-private", &new_private]), 2);
    let prefix = s.run(&[
        "rotate",
        "oss://test-bucket/",
        "--prefix",
        "--rsa-private",
        &new_private,
        "--new-rsa-public",
        &old_public,
    ]);
    expect_code(&prefix, 2);
}

#[test]
fn resumable_upload_with_a_public_key_needs_the_private_key_to_resume() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(700_000, 5);
    let (src, out, cps) = (s.path("src"), s.path("out"), s.path("cps"));
    std::fs::write(&src, &plain).unwrap();
    std::fs::create_dir_all(&cps).unwrap();
    let uri = "oss://test-bucket/big";
    let put = |key_flag: &str, key: &str| {
        s.run(&[
            "put",
            &src,
            uri,
            key_flag,
            key,
            "--resumable",
            "--part-size",
            "100KiB",
            "--checkpoint-dir",
            &cps,
        ])
    };
    // The first run stops at its parts (refused by the server) and keeps its checkpoint.
    let refuse = FaultAction::Status {
        status: 403,
        code: "AccessDenied".into(),
    };
    s.faults()
        .add_rule(FaultRule::new("UploadPart", Trigger::Always, refuse));
    expect_code(&put("--rsa-public", &public), 4);
    s.faults().clear();
    assert_eq!(
        std::fs::read_dir(&cps).unwrap().count(),
        1,
        "checkpoint kept"
    );

    let resumed = put("--rsa-public", &public);
    expect_code(&resumed, 4);
    let err = stderr(&resumed);
    for words in ["inherent", "private key", "--rsa-private", "abort"] {
        assert!(err.contains(words), "{words}: {err}");
    }
    // The remedy works: the private key resumes the same upload.
    expect_code(&put("--rsa-private", &private), 0);
    expect_code(&s.run(&["get", uri, &out, "--rsa-private", &private]), 0);
    assert_eq!(std::fs::read(&out).unwrap(), plain);
}
