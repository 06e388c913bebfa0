//! `osscrypt sync` through the binary against the dev server: a round trip, then changes,
//! additions and deletions synced both ways (asserting exactly what moved), `--dry-run`,
//! `--checksum` on a same-size same-mtime change, the filters, and `--shard`.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::SystemTime;

use common::{BUCKET, Server, data, expect_code, keygen};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

/// Runs `sync ARGS` with the key and returns its stdout lines (the actions).
fn sync(s: &Server, key: &str, args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["sync", "-q", "--rsa-private", key];
    all.extend_from_slice(args);
    let out = s.run(&all);
    expect_code(&out, 0);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn lines(expected: &[&str]) -> BTreeSet<String> {
    expected.iter().map(|l| (*l).to_owned()).collect()
}

fn write(dir: &Path, name: &str, body: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn whole_seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn sync_round_trip_then_changes_adds_and_deletes() {
    let s = Server::start();
    let (private, _) = keygen(s.dir.path(), "k");
    let tree = s.dir.path().join("tree");
    let back = s.dir.path().join("back");
    let (tree_arg, back_arg) = (tree.to_str().unwrap(), back.to_str().unwrap());
    write(&tree, "a.txt", &data(100, 1));
    write(&tree, "sub/b.txt", &data(2000, 2));
    write(&tree, "c.log", &data(9 * 1024 * 1024 + 3, 3));

    let up = sync(&s, &private, &[tree_arg, &uri("s")]);
    assert_eq!(
        up,
        lines(&["upload s/a.txt", "upload s/c.log", "upload s/sub/b.txt"])
    );
    assert_ne!(
        s.stored_bytes("s/a.txt"),
        data(100, 1),
        "stored in plaintext"
    );
    let recorded = whole_seconds(mtime(&tree.join("a.txt"))).to_string();
    let meta = s.head("s/a.txt");
    let header = meta.headers.get("x-oss-meta-osscrypt-mtime").unwrap();
    assert_eq!(header.to_str().unwrap(), recorded);
    assert!(
        meta.headers
            .get("x-oss-meta-client-side-encryption-unencrypted-content-md5")
            .is_some(),
        "sync uploads record the plaintext MD5"
    );
    assert!(sync(&s, &private, &[tree_arg, &uri("s/")]).is_empty());

    let down = sync(&s, &private, &[&uri("s/"), back_arg]);
    assert_eq!(
        down,
        lines(&[
            "download s/a.txt",
            "download s/c.log",
            "download s/sub/b.txt"
        ])
    );
    for name in ["a.txt", "sub/b.txt", "c.log"] {
        assert_eq!(
            std::fs::read(back.join(name)).unwrap(),
            std::fs::read(tree.join(name)).unwrap()
        );
        assert_eq!(
            whole_seconds(mtime(&back.join(name))),
            whole_seconds(mtime(&tree.join(name))),
            "{name}: mtime from the object"
        );
    }
    assert!(sync(&s, &private, &[&uri("s/"), back_arg]).is_empty());

    // Change one (new size), add one, delete one; --dry-run first changes nothing.
    write(&tree, "a.txt", &data(101, 4));
    write(&tree, "d/new.txt", &data(5, 5));
    std::fs::remove_file(tree.join("c.log")).unwrap();
    let plan = lines(&["upload s/a.txt", "upload s/d/new.txt", "delete s/c.log"]);
    let dry: BTreeSet<String> = plan.iter().map(|l| format!("{l} (dry run)")).collect();
    let args = [tree_arg, &uri("s/"), "--delete"];
    assert_eq!(
        sync(&s, &private, &[&args[..], &["--dry-run"]].concat()),
        dry
    );
    assert_eq!(
        s.head("s/c.log").content_length(),
        Some(9 * 1024 * 1024 + 3)
    );
    assert_eq!(sync(&s, &private, &args), plan);
    assert_eq!(
        sync(&s, &private, &[&args[..], &["--dry-run"]].concat()),
        lines(&[])
    );

    let back_c = back.join("c.log");
    let args = [&uri("s/"), back_arg, "--delete"];
    let expected = lines(&[
        "download s/a.txt",
        "download s/d/new.txt",
        &format!("delete {}", back_c.display()),
    ]);
    let dry: BTreeSet<String> = expected.iter().map(|l| format!("{l} (dry run)")).collect();
    assert_eq!(
        sync(&s, &private, &[&args[..], &["--dry-run"]].concat()),
        dry
    );
    assert!(back_c.exists(), "--dry-run deleted");
    assert_eq!(sync(&s, &private, &args), expected);
    assert!(!back_c.exists());
    for name in ["a.txt", "sub/b.txt", "d/new.txt"] {
        assert_eq!(
            std::fs::read(back.join(name)).unwrap(),
            std::fs::read(tree.join(name)).unwrap()
        );
    }

    // Same size, same mtime, other bytes: only --checksum sees it.
    let b = tree.join("sub/b.txt");
    let before = mtime(&b);
    write(&tree, "sub/b.txt", &data(2000, 6));
    std::fs::File::options()
        .write(true)
        .open(&b)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert!(sync(&s, &private, &[tree_arg, &uri("s/")]).is_empty());
    let checksum = [tree_arg, &uri("s/"), "--checksum"];
    assert_eq!(
        sync(&s, &private, &checksum),
        lines(&["upload s/sub/b.txt"])
    );
    assert!(sync(&s, &private, &checksum).is_empty());
}

#[test]
fn sync_include_exclude_and_exclude_from() {
    let s = Server::start();
    let (private, _) = keygen(s.dir.path(), "k");
    let tree = s.dir.path().join("tree");
    let tree_arg = tree.to_str().unwrap();
    for (name, seed) in [
        ("x.txt", 1),
        ("y.log", 2),
        ("skip/z.txt", 3),
        ("deep/w.txt", 4),
    ] {
        write(&tree, name, &data(10, seed));
    }
    let excludes = s.dir.path().join("excludes");
    std::fs::write(&excludes, "# comment\n\nskip/*\n").unwrap();
    let excludes = excludes.to_str().unwrap();

    let filtered = [
        tree_arg,
        &uri("f/"),
        "--include",
        "*.txt",
        "--exclude-from",
        excludes,
    ];
    assert_eq!(
        sync(&s, &private, &filtered),
        lines(&["upload f/deep/w.txt", "upload f/x.txt"])
    );
    // --delete leaves excluded objects alone: only *.log is in view here.
    std::fs::remove_file(tree.join("x.txt")).unwrap();
    let logs = [tree_arg, &uri("f/"), "--include", "*.log", "--delete"];
    assert_eq!(sync(&s, &private, &logs), lines(&["upload f/y.log"]));
    let all = [tree_arg, &uri("f/"), "--exclude", "skip/*", "--delete"];
    assert_eq!(sync(&s, &private, &all), lines(&["delete f/x.txt"]));

    // Filters apply to downloads too.
    let back = s.dir.path().join("back");
    let down = [&uri("f/"), back.to_str().unwrap(), "--exclude", "deep/*"];
    assert_eq!(sync(&s, &private, &down), lines(&["download f/y.log"]));
    assert!(!back.join("deep").exists());
}

#[test]
fn sync_shards_cover_the_tree_once_and_delete_only_their_keys() {
    let s = Server::start();
    let (private, _) = keygen(s.dir.path(), "k");
    let tree = s.dir.path().join("tree");
    let tree_arg = tree.to_str().unwrap();
    let names: Vec<String> = (0..12).map(|i| format!("f{i}.txt")).collect();
    for (i, name) in names.iter().enumerate() {
        write(&tree, name, &data(10, i as u64));
    }
    let mut union = BTreeSet::new();
    for index in 0..2 {
        let shard = oss_crypto_bucket::batch::Shard::new(index, 2).unwrap();
        let text = shard.to_string();
        let moved = sync(&s, &private, &[tree_arg, &uri("h/"), "--shard", &text]);
        let expected: BTreeSet<String> = names
            .iter()
            .map(|n| format!("h/{n}"))
            .filter(|k| shard.contains(k))
            .map(|k| format!("upload {k}"))
            .collect();
        assert_eq!(moved, expected, "shard {text}");
        assert!(union.is_disjoint(&moved), "shards overlap");
        union.extend(moved);
    }
    assert_eq!(union.len(), names.len());
    // --delete in one shard removes only that shard's missing keys.
    for name in &names {
        std::fs::remove_file(tree.join(name)).unwrap();
    }
    let shard = oss_crypto_bucket::batch::Shard::new(0, 2).unwrap();
    let deleted = sync(
        &s,
        &private,
        &[tree_arg, &uri("h/"), "--delete", "--shard", "0/2"],
    );
    let expected: BTreeSet<String> = names
        .iter()
        .map(|n| format!("h/{n}"))
        .filter(|k| shard.contains(k))
        .map(|k| format!("delete {k}"))
        .collect();
    assert_eq!(deleted, expected);
}
