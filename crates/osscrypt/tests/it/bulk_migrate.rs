//! `osscrypt migrate` through the binary: a dry run writes nothing, a run encrypts the
//! plaintext objects in place (they then read back decrypted and audit clean), a second run
//! finds nothing to do.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use common::{BUCKET, Server, data, expect_code, keygen};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

fn journal_outcomes(path: &str) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            let field = |name: &str| v[name].as_str().unwrap().to_owned();
            (field("key"), field("outcome"))
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn migrate_dry_run_then_in_place_then_nothing_left() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plains: Vec<(String, Vec<u8>)> = (0..5u64)
        .map(|n| {
            (
                format!("old/{n}"),
                data(1000 + usize::try_from(n).unwrap(), n),
            )
        })
        .collect();
    for (key, plain) in &plains {
        s.put_raw(
            key,
            plain,
            &[("content-type", "text/plain"), ("x-oss-meta-tag", "kept")],
        );
    }
    let journal = s.path("migrate.jsonl");
    let prefix = uri("old/");
    let base = [
        "migrate",
        "-q",
        &prefix,
        "--rsa-public",
        &public,
        "--journal",
        &journal,
    ];

    let mut dry = base.to_vec();
    dry.push("--dry-run");
    expect_code(&s.run(&dry), 0);
    let lines = journal_outcomes(&journal);
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|(_, o)| o == "would_migrate"), "{lines:?}");
    assert_eq!(s.stored_bytes("old/0"), plains[0].1, "the dry run wrote");

    std::fs::remove_file(&journal).unwrap();
    expect_code(&s.run(&[&base[..], &["--jobs", "3"]].concat()), 0);
    assert!(
        journal_outcomes(&journal)
            .iter()
            .all(|(_, o)| o == "migrated")
    );
    for (key, plain) in &plains {
        assert_ne!(&s.stored_bytes(key), plain, "{key} still plaintext");
        let out = s.run(&[
            "get",
            "-q",
            "--require-encrypted",
            &uri(key),
            "--rsa-private",
            &private,
        ]);
        expect_code(&out, 0);
        assert_eq!(&out.stdout, plain);
    }
    let head = s.head("old/3");
    assert_eq!(head.content_type(), Some("text/plain"));
    assert_eq!(head.header("x-oss-meta-tag"), Some("kept"));
    let audit = s.run(&["audit", "-q", &prefix, "--rsa-private", &private, "--deep"]);
    expect_code(&audit, 0);

    std::fs::remove_file(&journal).unwrap();
    expect_code(&s.run(&base), 0);
    assert!(
        journal_outcomes(&journal)
            .iter()
            .all(|(_, o)| o == "already_encrypted")
    );
}
