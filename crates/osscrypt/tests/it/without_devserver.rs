//! A build without the `embedded-devserver` feature: `serve`, `demo` and local mode fail with
//! a usage error that says the build lacks the embedded devserver, while offline commands and
//! remote commands against a real endpoint work. Only compiled by
//! `cargo test -p osscrypt --no-default-features` (a CI step).
#![cfg(not(feature = "embedded-devserver"))]

use crate::common;

use common::{Server, expect_code, keygen, run, run_env, stderr};

/// Asserts exit code 2 and the message naming `what` and the missing feature.
#[track_caller]
fn expect_refused(output: &std::process::Output, what: &str) {
    expect_code(output, 2);
    let text = stderr(output);
    assert!(
        text.contains(what)
            && text.contains("built without it (cargo feature `embedded-devserver`)"),
        "{text}"
    );
}

#[test]
fn serve_and_demo_say_the_build_lacks_the_embedded_devserver() {
    let home = tempfile::tempdir().unwrap();
    let serve = run(home.path(), &["serve", "--in-memory"]);
    expect_refused(&serve, "`serve` needs the embedded devserver");
    assert!(serve.stdout.is_empty(), "no connection lines were printed");
    let demo = run(home.path(), &["demo", "--size", "1MiB"]);
    expect_refused(&demo, "`demo` needs the embedded devserver");
}

#[test]
fn local_mode_is_refused_by_flag_and_by_environment() {
    let home = tempfile::tempdir().unwrap();
    let (_, public) = keygen(home.path(), "k");
    let file = home.path().join("f");
    std::fs::write(&file, b"local bytes").unwrap();
    let put = [
        "put",
        file.to_str().unwrap(),
        "oss://b/f",
        "--rsa-public",
        &public,
    ];
    let by_flag: Vec<&str> = ["--local"].iter().chain(&put).copied().collect();
    expect_refused(
        &run(home.path(), &by_flag),
        "local mode (--local, OSS_ENDPOINT=local)",
    );
    let by_env = run_env(
        home.path(),
        &put,
        &[("OSS_ENDPOINT", "local".to_owned())],
        None,
    );
    expect_refused(&by_env, "local mode (--local, OSS_ENDPOINT=local)");
    let data_dir = home.path().join(".local/share/osscrypt/devserver");
    assert!(
        !data_dir.exists(),
        "no devserver data directory was created"
    );
}

#[test]
fn remote_commands_work_against_a_real_endpoint() {
    let server = Server::start();
    let (private, public) = keygen(server.dir.path(), "k");
    std::fs::write(server.path("f"), b"remote bytes").unwrap();
    let f = server.path("f");
    expect_code(
        &server.run(&["put", &f, "oss://test-bucket/f", "--rsa-public", &public]),
        0,
    );
    let get = server.run(&["get", "oss://test-bucket/f", "-", "--rsa-private", &private]);
    expect_code(&get, 0);
    assert_eq!(get.stdout, b"remote bytes");
    assert_ne!(
        server.stored_bytes("f"),
        b"remote bytes",
        "stored encrypted"
    );
}
