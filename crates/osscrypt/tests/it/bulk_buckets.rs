//! Bucket housekeeping through the binary: `mb`, `rb` (refused while not empty, `--force`
//! empties), `uploads ls` and `uploads abort` under a prefix, `ls oss://` (the buckets).

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use common::{BUCKET, Server, expect_code, keygen};

fn upload_keys(s: &Server, prefix: &str) -> Vec<String> {
    let out = s.run(&["uploads", "ls", prefix, "--json"]);
    expect_code(&out, 0);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| {
            assert!(u["upload_id"].as_str().is_some_and(|id| !id.is_empty()));
            u["key"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn uploads_are_listed_and_aborted_under_a_prefix() {
    let s = Server::start();
    for key in ["up/a", "up/b", "up/b", "other/c"] {
        s.start_upload(BUCKET, key);
    }
    let all = format!("oss://{BUCKET}");
    let up = format!("oss://{BUCKET}/up/");
    assert_eq!(upload_keys(&s, &up), ["up/a", "up/b", "up/b"]);
    let text = s.run(&["uploads", "ls", &all]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.lines()
            .all(|l| l.contains(&format!("oss://{BUCKET}/")))
    );

    expect_code(&s.run(&["uploads", "abort", "-q", &up]), 0);
    assert_eq!(upload_keys(&s, &up), Vec::<String>::new());
    assert_eq!(upload_keys(&s, &all), ["other/c"]);
}

#[test]
fn mb_and_rb_with_and_without_force() {
    let s = Server::start();
    let (_, public) = keygen(s.dir.path(), "k");
    let bucket = "made-here";
    let uri = format!("oss://{bucket}");
    expect_code(&s.run(&["mb", "-q", &uri]), 0);
    // an object URI is not a bucket
    expect_code(&s.run(&["mb", "-q", &format!("{uri}/key")]), 2);
    let file = s.path("f.txt");
    std::fs::write(&file, b"hello").unwrap();
    expect_code(
        &s.run(&[
            "put",
            "-q",
            &file,
            &format!("{uri}/f.txt"),
            "--rsa-public",
            &public,
        ]),
        0,
    );
    s.start_upload(bucket, "pending");
    // not empty: refused, and the object is still there
    let refused = s.run(&["rb", "-q", &uri]);
    assert_ne!(refused.status.code(), Some(0));
    expect_code(&s.run(&["ls", &uri]), 0);

    expect_code(&s.run(&["rb", "-q", "--force", &uri]), 0);
    expect_code(&s.run(&["ls", &uri]), 3);
    // an empty bucket goes without --force
    expect_code(&s.run(&["mb", "-q", &uri]), 0);
    expect_code(&s.run(&["rb", "-q", &uri]), 0);
}

#[test]
fn ls_of_the_service_lists_every_bucket_across_pages() {
    // More buckets than one ListBuckets page (1000) holds: the listing follows the marker.
    let expected: Vec<String> = (0..1001).map(|n| format!("b-{n:04}")).collect();
    let config = oss_devserver::DevServerConfig::default().with_buckets(expected.clone());
    let s = Server::start_exactly(config);

    let out = s.run(&["ls", "oss://", "--json"]);
    expect_code(&out, 0);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    let listed: Vec<&str> = list.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(listed, expected);
    let region = s.server().region();
    assert!(list.iter().all(|b| b["region"] == region), "{:?}", list[0]);
    assert!(list[0]["creation_date"].as_str().unwrap().ends_with('Z'));

    let text = String::from_utf8(s.run(&["ls", "oss://"]).stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), expected.len());
    assert!(
        lines[0].contains(region) && lines[0].ends_with("  oss://b-0000"),
        "{}",
        lines[0]
    );

    // A bucket made by `mb` shows up; `-r` over every bucket is refused.
    expect_code(&s.run(&["mb", "-q", "oss://zz-new"]), 0);
    let text = String::from_utf8(s.run(&["ls", "oss://"]).stdout).unwrap();
    assert!(
        text.lines().last().unwrap().ends_with("oss://zz-new"),
        "{text}"
    );
    expect_code(&s.run(&["ls", "-r", "oss://"]), 2);
}
