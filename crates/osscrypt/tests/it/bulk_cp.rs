//! `osscrypt cp` with local files through the binary: a tree up with `-r` (a large file
//! through the multipart path, a symlink and a FIFO skipped) and back down, several files to
//! a prefix, and the usage errors.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use std::path::Path;

use common::{BUCKET, Server, data, expect_code, keygen, stderr};
use oss_crypto_bucket::batch::Shard;

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

fn keys_under(s: &Server, prefix: &str) -> Vec<String> {
    let out = s.run(&["ls", "-r", &uri(prefix), "--json"]);
    expect_code(&out, 0);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn cp_r_up_and_down_skips_links_and_special_files() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let tree = s.dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub/deeper")).unwrap();
    let files = [
        ("a.txt", data(10, 1)),
        ("sub/b.bin", data(9 * 1024 * 1024 + 5, 2)),
        ("sub/deeper/c", data(0, 3)),
        ("z z.txt", data(777, 4)),
    ];
    for (name, body) in &files {
        std::fs::write(tree.join(name), body).unwrap();
    }
    std::os::unix::fs::symlink(tree.join("a.txt"), tree.join("link")).unwrap();
    let fifo = tree.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());

    let tree_arg = tree.to_str().unwrap();
    let up = s.run(&[
        "cp",
        "-r",
        tree_arg,
        &uri("t/"),
        "--rsa-public",
        &public,
        "--jobs",
        "3",
    ]);
    expect_code(&up, 0);
    let err = stderr(&up);
    assert!(err.contains("link: symlink"), "{err}");
    assert!(err.contains("fifo: special file"), "{err}");
    assert_eq!(
        keys_under(&s, "t/"),
        ["t/a.txt", "t/sub/b.bin", "t/sub/deeper/c", "t/z z.txt"]
    );
    assert_ne!(s.stored_bytes("t/a.txt"), files[0].1, "stored in plaintext");

    let back = s.dir.path().join("back");
    let back_arg = back.to_str().unwrap();
    let down = s.run(&[
        "cp",
        "-r",
        "-q",
        &uri("t/"),
        back_arg,
        "--rsa-private",
        &private,
    ]);
    expect_code(&down, 0);
    for (name, body) in &files {
        assert_eq!(&std::fs::read(back.join(name)).unwrap(), body, "{name}");
    }
    assert!(!back.join("link").exists() && !back.join("fifo").exists());

    // Several files to a prefix, each under its own name.
    let one = tree.join("a.txt");
    let two = tree.join("z z.txt");
    let many = [one.to_str().unwrap(), two.to_str().unwrap()];
    let out = s.run(&[
        "cp",
        "-q",
        many[0],
        many[1],
        &uri("m/"),
        "--rsa-public",
        &public,
    ]);
    expect_code(&out, 0);
    assert_eq!(keys_under(&s, "m/"), ["m/a.txt", "m/z z.txt"]);

    // Shards of an upload cover the tree once: each run uploads exactly its shard's keys.
    for index in 0..2 {
        let shard = Shard::new(index, 2).unwrap();
        let text = shard.to_string();
        let before = keys_under(&s, "s/");
        let args = [
            "cp",
            "-r",
            "-q",
            tree_arg,
            &uri("s/"),
            "--rsa-public",
            &public,
            "--shard",
            &text,
        ];
        expect_code(&s.run(&args), 0);
        let added: Vec<String> = keys_under(&s, "s/")
            .into_iter()
            .filter(|k| !before.contains(k))
            .collect();
        let expected: Vec<String> = ["s/a.txt", "s/sub/b.bin", "s/sub/deeper/c", "s/z z.txt"]
            .into_iter()
            .filter(|k| shard.contains(k))
            .map(str::to_owned)
            .collect();
        assert_eq!(added, expected, "shard {text}");
    }
    assert_eq!(
        keys_under(&s, "s/"),
        ["s/a.txt", "s/sub/b.bin", "s/sub/deeper/c", "s/z z.txt"]
    );

    // A directory needs -r; a download needs -r too.
    expect_code(
        &s.run(&["cp", tree_arg, &uri("x/"), "--rsa-public", &public]),
        2,
    );
    let single = s.dir.path().join("single");
    let args = [
        "cp",
        &uri("t/a.txt"),
        single.to_str().unwrap(),
        "--rsa-private",
        &private,
    ];
    expect_code(&s.run(&args), 2);
    assert!(!Path::new(&single).exists());
}
