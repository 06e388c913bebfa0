//! `rm` of several objects and `ls` output, against the dev server.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::common;

use common::{BUCKET, Server, expect_code, stderr};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

#[test]
fn rm_of_several_objects_reports_each_failure_and_deletes_the_rest() {
    let s = Server::start();
    for key in ["a", "b", "c"] {
        s.put_raw(key, key.as_bytes(), &[]);
    }
    let out = s.run(&[
        "rm",
        &uri("a"),
        &uri("missing"),
        &uri("b"),
        &uri("gone"),
        &uri("c"),
    ]);
    expect_code(&out, 3);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    assert_eq!(lines[0], format!("deleted {}", uri("a")));
    assert!(
        lines[1].starts_with(&format!("osscrypt: not found: {}: ", uri("missing"))),
        "{err}"
    );
    assert_eq!(lines[2], format!("deleted {}", uri("b")));
    assert!(
        lines[3].starts_with(&format!("osscrypt: not found: {}: ", uri("gone"))),
        "{err}"
    );
    assert_eq!(lines[4], format!("deleted {}", uri("c")));
    assert_eq!(
        lines[5],
        "osscrypt: not found: 2 of 5 objects not deleted (see above)"
    );
    let out = s.run(&["ls", &uri(""), "--json"]);
    expect_code(&out, 0);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        listed,
        serde_json::json!([]),
        "every existing object was deleted"
    );

    // Quiet still reports the failure; all present: exit 0.
    s.put_raw("d", b"d", &[]);
    let out = s.run(&["rm", "-q", &uri("d"), &uri("d")]);
    expect_code(&out, 3);
    assert!(stderr(&out).starts_with(&format!("osscrypt: not found: {}: ", uri("d"))));
}

/// Stdout lines of a successful run.
fn lines(s: &Server, args: &[&str]) -> Vec<String> {
    let out = s.run(args);
    expect_code(&out, 0);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Asserts that every line has its `oss://` address at the same column.
#[track_caller]
fn assert_aligned(lines: &[String]) {
    let columns: Vec<Option<usize>> = lines.iter().map(|l| l.find("oss://")).collect();
    assert!(
        columns.iter().all(|c| c.is_some() && *c == columns[0]),
        "{lines:#?}"
    );
}

#[test]
fn ls_aligns_columns_with_human_or_exact_sizes_and_long_mode_shows_encryption() {
    let s = Server::start();
    let (_, public) = common::keygen(s.dir.path(), "k");
    std::fs::write(s.path("f"), common::data(1_572_864, 1)).unwrap();
    let out = s.run(&[
        "put",
        &s.path("f"),
        &uri("dir/enc"),
        "--rsa-public",
        &public,
    ]);
    expect_code(&out, 0);
    s.put_raw("dir/plain", b"twelve bytes", &[]);
    s.put_raw("dir/sub/deep", b"x", &[]);

    let text = lines(&s, &["ls", &uri("dir/")]);
    assert_eq!(text.len(), 3, "{text:#?}");
    assert_aligned(&text);
    assert!(text[0].trim_start().starts_with("PRE") && text[0].ends_with("/dir/sub/"));
    assert!(text[1].trim_start().starts_with("1.5 MiB  ") && text[1].ends_with("/dir/enc"));
    assert!(text[2].trim_start().starts_with("12 B  ") && text[2].ends_with("/dir/plain"));
    // The time is shown to the second: `YYYY-MM-DD HH:MM:SS`.
    let time = text[2].split_whitespace().nth(3).unwrap();
    assert_eq!(time.len(), 8, "{time}");

    let exact = lines(&s, &["ls", "-r", "--bytes", &uri("dir/")]);
    assert_aligned(&exact);
    assert!(exact[0].trim_start().starts_with("1572864 "), "{exact:#?}");

    let long = lines(&s, &["ls", "-l", "-r", "--jobs", "2", &uri("dir/")]);
    assert_aligned(&long);
    // The 6-column encryption field ends two spaces before the address.
    let column = |line: &String| {
        let at = line.find("oss://").unwrap();
        line[at - 8..at - 2].trim_end().to_owned()
    };
    let found: Vec<String> = long.iter().map(column).collect();
    assert_eq!(found, ["v2 rsa", "plain", "plain"], "{long:#?}");

    let out = s.run(&["ls", "-l", "-r", "--json", &uri("dir/")]);
    expect_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["key"], "dir/enc");
    assert_eq!(json[0]["encrypted"], true);
    assert_eq!(json[0]["encryption"], "v2");
    assert_eq!(json[1]["encrypted"], false);
    // Without -l the JSON stays what the listing gives (no HEAD per object).
    let out = s.run(&["ls", "-r", "--json", &uri("dir/")]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json[0].get("encrypted").is_none() && json[0]["size"] == 1_572_864);
}
