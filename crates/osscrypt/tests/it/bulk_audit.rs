//! `osscrypt audit` through the binary: a prefix seeded with every kind of object gives the
//! asserted report and exit code 5; shards add up to the whole; a clean prefix exits 0.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use common::{BUCKET, Server, data, expect_code, keygen};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

fn put(s: &Server, key: &str, public: &str, md5: bool) {
    let file = s.path("upload.bin");
    std::fs::write(&file, data(700, key.len() as u64)).unwrap();
    let dest = uri(key);
    let mut args = vec!["put", "-q", &file, &dest, "--rsa-public", public];
    if md5 {
        args.push("--md5");
    }
    expect_code(&s.run(&args), 0);
}

fn audit_json(s: &Server, private: &str, extra: &[&str], code: i32) -> serde_json::Value {
    let mut args = vec!["audit", "-q", "--json", "--rsa-private", private];
    let prefix = uri("data/");
    args.push(&prefix);
    args.extend_from_slice(extra);
    let out = s.run(&args);
    expect_code(&out, code);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn audit_counts_every_kind_and_says_so_in_the_exit_code() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let (_, other_public) = keygen(s.dir.path(), "other");
    put(&s, "data/ok/one", &public, true);
    put(&s, "data/ok/two", &public, true);
    put(&s, "data/ok/no-md5", &public, false);
    s.put_raw("data/legacy/plain", b"stored as is", &[]);
    s.put_raw(
        "data/legacy/v1",
        b"v1 bytes",
        &[
            ("x-oss-meta-oss-crypto-key", "AAAA"),
            ("x-oss-meta-oss-crypto-start", "AAAA"),
            ("x-oss-meta-oss-cek-alg", "AES/CTR/NoPadding"),
            ("x-oss-meta-oss-wrap-alg", "rsa"),
        ],
    );
    put(&s, "data/foreign/x", &other_public, true);
    s.put_raw(
        "data/foreign/malformed",
        b"junk",
        &[
            ("x-oss-meta-client-side-encryption-key", "bm90IGEga2V5"),
            ("x-oss-meta-client-side-encryption-start", "AAAA"),
            ("x-oss-meta-client-side-encryption-cek-alg", "ROT13"),
            (
                "x-oss-meta-client-side-encryption-wrap-alg",
                "RSA/NONE/PKCS1Padding",
            ),
        ],
    );
    put(&s, "elsewhere", &public, true);

    let journal = s.path("audit.jsonl");
    let report = audit_json(&s, &private, &["--journal", &journal, "--deep"], 5);
    let group = |name: &str| &report["groups"][format!("data/{name}/")];
    assert_eq!(group("ok")["objects"], 3);
    assert_eq!(group("ok")["v2"], 3);
    assert_eq!(group("ok")["missing_md5"], 1);
    assert_eq!(group("legacy")["plaintext"], 1);
    assert_eq!(group("legacy")["v1_legacy"], 1);
    assert_eq!(group("foreign")["malformed"], 1);
    assert_eq!(group("foreign")["unwrappable"][""], 1, "{report}");
    assert_eq!(report["total"]["objects"], 7);
    assert_eq!(report["total"]["deep_failed"], 0);
    let lines = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(lines.lines().count(), 7);
    assert!(lines.contains(r#""key":"data/legacy/plain","size":12,"kind":"plaintext""#));

    // The table names every group and the total.
    let table = s.run(&["audit", "-q", &uri("data/"), "--rsa-private", &private]);
    expect_code(&table, 5);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.ends_with(&uri("data/ok/"))),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("7 ") && l.ends_with("total"))
    );
    assert!(
        text.contains("unwrappable: 1 objects with matdesc (none)"),
        "{text}"
    );

    // Shards add up to the whole, without overlap.
    let mut total = 0;
    for index in 0..3 {
        let shard = format!("{index}/3");
        let part = audit_json(&s, &private, &["--shard", &shard, "--jobs", "2"], 5);
        total += part["total"]["objects"].as_u64().unwrap();
    }
    assert_eq!(total, 7);

    // What is left after the findings are removed is clean: exit 0.
    for key in [
        "ok/no-md5",
        "legacy/plain",
        "legacy/v1",
        "foreign/x",
        "foreign/malformed",
    ] {
        expect_code(&s.run(&["rm", "-q", &uri(&format!("data/{key}"))]), 0);
    }
    let clean = audit_json(&s, &private, &["--deep"], 0);
    assert_eq!(clean["total"]["v2"], 2);
}
