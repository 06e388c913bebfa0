//! Network behaviour through the binary: a server that accepts and never answers fails after
//! the read timeout (with the host, the operation and "timed out" in the message), a closed
//! port says "connection refused", an unresolvable name "DNS", a plain-HTTP port spoken to
//! over TLS "TLS" (in the final error and in each retry's warning); and a reader that closes stdout early ends osscrypt quietly with 141.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::common;

use core::time::Duration;
use std::net::TcpListener;
use std::time::Instant;

use common::{Server, data, expect_code, keygen, run_env, stderr};

/// The environment of a run against `endpoint` with dummy keys.
fn env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("OSS_ENDPOINT", endpoint.to_owned()),
        ("OSS_REGION", "cn-hangzhou".to_owned()),
        ("OSS_ACCESS_KEY_ID", "id".to_owned()),
        ("OSS_ACCESS_KEY_SECRET", "secret".to_owned()),
    ]
}

/// A listener on 127.0.0.1 that accepts connections and never answers.
fn silent_listener() -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        // Ends when the test process exits.
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    (addr, handle)
}

#[test]
fn a_server_that_never_answers_fails_after_the_read_timeout_naming_host_and_cause() {
    let (addr, _listener) = silent_listener();
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = run_env(
        home.path(),
        &["ls", "oss://some-bucket/", "--read-timeout", "1s"],
        &env(&format!("http://{addr}")),
        None,
    );
    let took = started.elapsed();
    expect_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("network error: {addr}: ListObjectsV2: timed out")),
        "{err}"
    );
    // Each retry is announced with the host, the operation and the classified cause, as
    // the final error gives them (not reqwest's "error sending request").
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("retrying")).collect();
    assert_eq!(warnings.len(), 2, "{err}");
    for line in warnings {
        assert!(
            line.contains(&addr) && line.contains("ListObjectsV2") && line.contains("timed out"),
            "{line}"
        );
        assert!(!line.contains("error sending request"), "{line}");
    }
    // Three attempts of one second each, plus the backoff between them.
    assert!(took >= Duration::from_secs(3), "{took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    eprintln!("silent server, --read-timeout 1s: failed after {took:.2?}");
}

#[test]
fn refused_dns_and_tls_failures_are_named() {
    let home = tempfile::tempdir().unwrap();
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let run = |endpoint: &str| {
        let out = run_env(
            home.path(),
            &["head", "oss://some-bucket/k", "--connect-timeout", "5s"],
            &env(endpoint),
            None,
        );
        expect_code(&out, 1);
        stderr(&out)
    };
    let err = run(&format!("http://{closed}"));
    assert!(
        err.contains(&format!(
            "network error: {closed}: HeadObject: connection refused"
        )),
        "{err}"
    );
    let retries = err.lines().filter(|l| l.contains("retrying"));
    assert!(
        retries.clone().count() == 2
            && retries
                .clone()
                .all(|l| l.contains("connection refused") && l.contains(&closed)),
        "{err}"
    );
    let err = run("http://no-such-host.invalid");
    assert!(err.contains("no-such-host.invalid"), "{err}");
    assert!(err.contains("DNS lookup failed"), "{err}");

    let s = Server::start();
    let plain_http = s.env()[0].1.replace("http://", "https://");
    let err = run(&plain_http);
    assert!(err.contains("TLS failed"), "{err}");
}

#[test]
fn a_closed_stdout_ends_quietly_with_141() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("big"), data(8 << 20, 5)).unwrap();
    let uri = format!("oss://{}/big", common::BUCKET);
    expect_code(
        &s.run(&["put", &s.path("big"), &uri, "--rsa-public", &public]),
        0,
    );
    // `osscrypt get ... - | head -c 10`: read ten bytes, then close the pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_osscrypt"))
        .args(["get", &uri, "-", "--rsa-private", &private])
        .env_clear()
        .env("HOME", s.dir.path())
        .envs(s.env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0_u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    expect_code(&out, 141);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}
