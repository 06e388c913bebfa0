//! `put` without `--resumable`: one PutObject up to `--multipart-threshold`, a parallel
//! multipart upload above it, and `put -` streaming stdin through a ciphertext spool, against
//! a devserver whose single-PUT limit is lowered so that `EntityTooLarge` is reachable.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::common;

use common::{BUCKET, Server, data, expect_code, keygen, run_env, stderr};

/// The devserver's single-PUT limit in these tests (OSS: 5 GiB).
const LIMIT: u64 = 400_000;
const PART: &str = "102400";

fn server() -> Server {
    Server::start_with(oss_devserver::DevServerConfig::default().with_max_put_size(LIMIT))
}

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

/// The envelope `inspect --json` shows.
fn inspect(s: &Server, key: &str) -> serde_json::Value {
    let out = s.run(&["inspect", &uri(key), "--json"]);
    expect_code(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn get(s: &Server, key: &str, private: &str) -> Vec<u8> {
    let out = s.run(&["get", &uri(key), "-", "--rsa-private", private]);
    expect_code(&out, 0);
    out.stdout
}

#[test]
fn a_file_over_the_threshold_goes_as_parallel_multipart_below_the_put_limit() {
    let s = server();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(1_000_003, 3);
    std::fs::write(s.path("big"), &plain).unwrap();

    // The default threshold (64 MiB) sends it as one PutObject, which the server refuses.
    let out = s.run(&["put", &s.path("big"), &uri("big"), "--rsa-public", &public]);
    expect_code(&out, 1);
    assert!(stderr(&out).contains("EntityTooLarge"), "{}", stderr(&out));

    let out = s.run(&[
        "put",
        &s.path("big"),
        &uri("big"),
        "--rsa-public",
        &public,
        "--multipart-threshold",
        "300KiB",
        "--part-size",
        PART,
        "--parallel",
        "3",
        "--md5",
    ]);
    expect_code(&out, 0);
    assert!(stderr(&out).contains("10 parts"), "{}", stderr(&out));
    let env = inspect(&s, "big");
    assert_eq!(env["multipart_data_size"], plain.len());
    assert_eq!(env["multipart_part_size"], 102_400);
    assert!(env["plaintext_md5"].is_string());
    assert_eq!(get(&s, "big", &private), plain);
    assert_ne!(s.stored_bytes("big"), plain);

    // Up to the threshold: one PutObject, no multipart layout.
    std::fs::write(s.path("small"), &plain[..300_000]).unwrap();
    let out = s.run(&[
        "put",
        &s.path("small"),
        &uri("small"),
        "--rsa-public",
        &public,
    ]);
    expect_code(&out, 0);
    assert!(stderr(&out).contains("one request"), "{}", stderr(&out));
    assert!(inspect(&s, "small")["multipart_data_size"].is_null());
}

/// Runs `put -` with `stdin` and a spool directory of its own; returns stderr.
fn put_stdin(s: &Server, public: &str, key: &str, stdin: &[u8], extra: &[&str]) -> String {
    let spool = s.path("spool");
    std::fs::create_dir_all(&spool).unwrap();
    let target = uri(key);
    let mut args = vec![
        "put",
        "-",
        &target,
        "--rsa-public",
        public,
        "--spool-dir",
        &spool,
        "--part-size",
        PART,
        "--parallel",
        "2",
    ];
    args.extend_from_slice(extra);
    let out = run_env(s.dir.path(), &args, &s.env(), Some(stdin));
    expect_code(&out, 0);
    let left: Vec<_> = std::fs::read_dir(&spool).unwrap().collect();
    assert!(left.is_empty(), "spool left behind: {left:?}");
    stderr(&out)
}

#[test]
fn stdin_is_streamed_through_a_ciphertext_spool_when_longer_than_the_memory_budget() {
    let s = server();
    let (private, public) = keygen(s.dir.path(), "k");

    // Within --parallel x --part-size (200 KiB): one PutObject from memory.
    let short = data(150_000, 1);
    let err = put_stdin(&s, &public, "short", &short, &[]);
    assert!(err.contains("one request)"), "{err}");
    assert_eq!(get(&s, "short", &private), short);

    // Longer than the budget, up to the threshold: spooled, then one PutObject.
    let medium = data(350_000, 2);
    let err = put_stdin(&s, &public, "medium", &medium, &["--md5"]);
    assert!(err.contains("one request, spooled"), "{err}");
    assert_eq!(inspect(&s, "medium")["plaintext_length"], medium.len());
    assert!(inspect(&s, "medium")["plaintext_md5"].is_string());
    assert_eq!(get(&s, "medium", &private), medium);

    // Longer than the threshold and the server's single-PUT limit: spooled multipart.
    let long = data(1_234_567, 3);
    let err = put_stdin(
        &s,
        &public,
        "long",
        &long,
        &["--multipart-threshold", "300KiB"],
    );
    assert!(err.contains("13 parts, spooled"), "{err}");
    let env = inspect(&s, "long");
    assert_eq!(env["multipart_data_size"], long.len());
    assert_eq!(get(&s, "long", &private), long);
    let stored = s.stored_bytes("long");
    assert_eq!(stored.len(), long.len());
    assert_ne!(stored, long, "the spool must hold (and send) ciphertext");
}

#[test]
fn a_failed_streamed_upload_removes_its_spool() {
    let s = server();
    let (_, public) = keygen(s.dir.path(), "k");
    let spool = s.path("spool");
    std::fs::create_dir_all(&spool).unwrap();
    // Spooled and over the single-PUT limit, with a threshold that keeps it one PutObject.
    let out = run_env(
        s.dir.path(),
        &[
            "put",
            "-",
            &uri("x"),
            "--rsa-public",
            &public,
            "--spool-dir",
            &spool,
            "--part-size",
            PART,
            "--parallel",
            "1",
            "--multipart-threshold",
            "1MiB",
        ],
        &s.env(),
        Some(&data(600_000, 4)),
    );
    expect_code(&out, 1);
    assert!(stderr(&out).contains("EntityTooLarge"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0);
}
