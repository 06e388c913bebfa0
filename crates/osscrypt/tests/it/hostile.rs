//! The key cases of the hostile-server corpus (the library's `tests/hostile.rs` has them
//! all) through the binary: a proxy-like fault that strips or swaps envelope headers, or
//! serves another object, must end in exit code 5 with no output file and the checkpoint
//! kept; a plain object is returned with a notice unless `--require-encrypted`.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use common::{Server, data, expect_code, keygen, stderr};
use oss_devserver::{FaultAction, FaultRule, Trigger};

/// A server holding `big` and `other` (1 MiB each, encrypted with one key pair, 4 parts of
/// 256 KiB) and `plain` (stored unencrypted).
fn world() -> (Server, String, Vec<u8>) {
    let s = Server::start();
    let (private, _) = keygen(s.dir.path(), "k");
    let plain = data(1_000_000, 8);
    for (name, seed) in [("big", 8), ("other", 9)] {
        std::fs::write(s.path(name), data(1_000_000, seed)).unwrap();
        let put = s.run(&[
            "put",
            &s.path(name),
            &format!("oss://test-bucket/{name}"),
            "--rsa-private",
            &private,
            "--resumable",
            "--part-size",
            "256KiB",
        ]);
        expect_code(&put, 0);
    }
    (s, private, plain)
}

fn resumable_get<'a>(s: &'a Server, private: &'a str, dest: &'a str) -> Vec<String> {
    [
        "get",
        "oss://test-bucket/big",
        dest,
        "--rsa-private",
        private,
        "--resumable",
        "--parallel",
        "1",
        "--part-size",
        "256KiB",
        "--checkpoint-dir",
        &s.path("cp"),
    ]
    .map(str::to_owned)
    .to_vec()
}

fn run(s: &Server, args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    s.run(&args)
}

#[track_caller]
fn refused_without_output(s: &Server, out: &std::process::Output, what: &str) {
    expect_code(out, 5);
    assert!(stderr(out).contains(what), "{}", stderr(out));
    assert!(
        !s.dir.path().join("out").exists(),
        "an output file was written"
    );
}

#[test]
fn resumable_download_refuses_responses_that_contradict_the_head() {
    let (s, private, _) = world();
    let get = resumable_get(&s, &private, &s.path("out"));
    let rule = |op: &str, trigger, action| FaultRule::new(op, trigger, action);
    // The reported bug: HEAD without x-oss-meta-* made the download write ciphertext.
    s.faults().set_rules(vec![rule(
        "HeadObject",
        Trigger::Always,
        FaultAction::StripHeaders("x-oss-meta-".into()),
    )]);
    refused_without_output(&s, &run(&s, &get), "no envelope");
    // One part without its envelope: the parts before it stay in the checkpoint.
    std::fs::remove_dir_all(s.path("cp")).unwrap();
    s.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::Nth(3),
        FaultAction::StripHeaders("x-oss-meta-".into()),
    )]);
    refused_without_output(&s, &run(&s, &get), "envelope mismatch");
    assert_eq!(std::fs::read_dir(s.path("cp")).unwrap().count(), 1);
    // The object swapped between HEAD and part 3 by a server that ignores If-Match; the
    // resumed run's first part is the one swapped.
    s.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::Nth(1),
        FaultAction::ServeKey("other".into()),
    )]);
    refused_without_output(&s, &run(&s, &get), "wrapped data key differs");
    assert_eq!(std::fs::read_dir(s.path("cp")).unwrap().count(), 1);
    // An ETag that is not the pinned one.
    s.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::Always,
        FaultAction::SetHeader {
            name: "etag".into(),
            value: "\"00\"".into(),
        },
    )]);
    refused_without_output(&s, &run(&s, &get), "etag mismatch");
    // Without faults the same command resumes and finishes.
    s.faults().clear();
    let out = run(&s, &get);
    expect_code(&out, 0);
    assert!(!stderr(&out).contains("(0 resumed)"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(s.path("out")).unwrap(),
        data(1_000_000, 8),
        "wrong plaintext"
    );
}

#[test]
fn plain_objects_come_with_a_notice_or_are_refused() {
    let (s, private, _) = world();
    let strip = FaultRule::new(
        "GetObject",
        Trigger::Always,
        FaultAction::StripHeaders("x-oss-meta-".into()),
    );
    s.faults().set_rules(vec![strip]);
    let get = [
        "get",
        "oss://test-bucket/big",
        &s.path("out"),
        "--rsa-private",
        &private,
    ];
    let out = s.run(&get);
    expect_code(&out, 0);
    assert!(
        stderr(&out).contains("has no client-side encryption envelope"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(s.path("out")).unwrap();
    let mut required = get.to_vec();
    required.push("--require-encrypted");
    refused_without_output(&s, &s.run(&required), "not client-side encrypted");
}

#[test]
fn corrupted_or_misplaced_bodies_exit_5_without_output() {
    let (s, private, _) = world();
    let get = [
        "get",
        "oss://test-bucket/big",
        &s.path("out"),
        "--rsa-private",
        &private,
    ];
    s.faults().set_rules(vec![FaultRule::new(
        "GetObject",
        Trigger::Always,
        FaultAction::CorruptByte(4242),
    )]);
    refused_without_output(&s, &s.run(&get), "crc-64 mismatch");
    s.faults().set_rules(vec![FaultRule::new(
        "GetObject",
        Trigger::Always,
        FaultAction::OkForPartial,
    )]);
    let mut ranged = get.to_vec();
    ranged.extend(["--range", "100-5000"]);
    refused_without_output(&s, &s.run(&ranged), "expected 206");
    s.faults().set_rules(vec![FaultRule::new(
        "GetObject",
        Trigger::Always,
        FaultAction::ShiftContentRange(16),
    )]);
    refused_without_output(&s, &s.run(&ranged), "range");
}

#[test]
fn rotation_with_a_swapped_source_part_leaves_the_object_alone() {
    let (s, private, _) = world();
    let (new_private, _) = keygen(s.dir.path(), "new");
    let before = s.stored_bytes("big");
    s.faults().set_rules(vec![FaultRule::new(
        "GetObject",
        Trigger::Nth(2),
        FaultAction::ServeKey("other".into()),
    )]);
    let out = s.run(&[
        "rotate",
        "oss://test-bucket/big",
        "--rsa-private",
        &private,
        "--new-rsa-private",
        &new_private,
    ]);
    expect_code(&out, 5);
    s.faults().clear();
    assert_eq!(s.stored_bytes("big"), before, "the object was rewritten");
}
