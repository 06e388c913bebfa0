//! Bucket-scale commands through the binary against a devserver started in the test:
//! `ls` by level and `-r`, `rm -r`, and `rotate --prefix` killed mid-way and run again.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use core::time::Duration;
use std::collections::BTreeMap;
use std::time::Instant;

use common::{BUCKET, Server, data, expect_code, keygen, spawn};
use oss_devserver::{FaultAction, FaultRule, Trigger};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

fn put(s: &Server, key: &str, public: &str, seed: u64) -> Vec<u8> {
    let plain = data(300 + usize::try_from(seed).unwrap(), seed);
    let file = s.path("upload.bin");
    std::fs::write(&file, &plain).unwrap();
    expect_code(
        &s.run(&["put", "-q", &file, &uri(key), "--rsa-public", public]),
        0,
    );
    plain
}

fn listed_keys(s: &Server, args: &[&str]) -> Vec<String> {
    let out = s.run(args);
    expect_code(&out, 0);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["key"]
                .as_str()
                .or_else(|| e["prefix"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn ls_by_level_and_recursive_and_rm_recursive() {
    let s = Server::start();
    let (_, public) = keygen(s.dir.path(), "k");
    for (n, key) in ["top", "dir/a", "dir/sub/b", "dirt"].iter().enumerate() {
        put(&s, key, &public, n as u64);
    }
    let level = listed_keys(&s, &["ls", &uri(""), "--json"]);
    assert_eq!(level, ["dir/", "dirt", "top"]);
    let text = s.run(&["ls", &uri("dir/")]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("PRE ") && l.ends_with("/dir/sub/"))
    );
    let all = listed_keys(&s, &["ls", "-r", &uri(""), "--json"]);
    assert_eq!(all, ["dir/a", "dir/sub/b", "dirt", "top"]);

    expect_code(&s.run(&["rm", "-r", &uri("dir/")]), 0);
    assert_eq!(
        listed_keys(&s, &["ls", "-r", &uri(""), "--json"]),
        ["dirt", "top"]
    );
    // nothing left under the prefix is not an error
    expect_code(&s.run(&["rm", "-r", &uri("dir/")]), 0);
    assert_eq!(
        listed_keys(&s, &["ls", "-r", &uri("none/"), "--json"]),
        Vec::<String>::new()
    );
}

/// Journal lines as (key, outcome) pairs.
fn journal(path: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["key"].as_str().unwrap().to_owned(),
                v["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn rotate_prefix_killed_mid_way_resumes_with_the_same_command() {
    let s = Server::start();
    let (old_private, old_public) = keygen(s.dir.path(), "old");
    let (new_private, _) = keygen(s.dir.path(), "new");
    let count = 24;
    let plains: Vec<(String, Vec<u8>)> = (0..count)
        .map(|n| {
            let key = format!("rot/{n:02}");
            let plain = put(&s, &key, &old_public, n);
            (key, plain)
        })
        .collect();
    let journal_path = s.path("rotate.jsonl");
    let args = [
        "rotate",
        "--prefix",
        &uri("rot/"),
        "--rsa-private",
        &old_private,
        "--new-rsa-private",
        &new_private,
        "--jobs",
        "2",
        "--journal",
        &journal_path,
    ];
    // Slow writes, so that the run is still going when it is killed.
    let delay = FaultAction::Delay(Duration::from_millis(150));
    s.faults()
        .add_rule(FaultRule::new("PutObject", Trigger::Always, delay));
    let mut child = spawn(s.dir.path(), &args, &s.env());
    let deadline = Instant::now() + Duration::from_secs(120);
    while journal(&journal_path).len() < 3 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be killed"
        );
        assert!(Instant::now() < deadline, "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first = journal(&journal_path);
    assert!(first.len() < plains.len(), "the run was not interrupted");
    s.faults().clear();

    expect_code(&s.run(&args), 0);
    let lines = journal(&journal_path);
    let mut per_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (key, outcome) in &lines {
        per_key.entry(key).or_default().push(outcome);
    }
    for (key, plain) in &plains {
        let outcomes = &per_key[key.as_str()];
        assert!(!outcomes.contains(&"failed"), "{key}: {outcomes:?}");
        let rotated = outcomes.iter().filter(|o| **o == "rotated").count();
        assert!(rotated <= 1, "{key} rotated twice: {outcomes:?}");
        // The second run reports every object once.
        assert!(
            outcomes
                .last()
                .is_some_and(|o| *o == "rotated" || *o == "already_rotated"),
            "{key}: {outcomes:?}"
        );
        let out = s.run(&["get", &uri(key), "-", "--rsa-private", &new_private]);
        expect_code(&out, 0);
        assert_eq!(&out.stdout, plain);
    }
    assert_eq!(lines.len() - first.len(), plains.len());
    // The old key reads nothing any more.
    let out = s.run(&["get", &uri("rot/00"), "-", "--rsa-private", &old_private]);
    expect_code(&out, 4);
}
