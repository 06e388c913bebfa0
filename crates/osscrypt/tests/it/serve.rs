//! `osscrypt serve`: prints shell-`eval`-able connection lines, serves put/get from another
//! `osscrypt` process, and exits 0 on Ctrl-C (SIGINT).

use crate::common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use common::{expect_code, keygen, run_env};

#[test]
fn serve_answers_other_processes_and_stops_on_sigint() {
    let home = tempfile::tempdir().unwrap();
    let (private, public) = keygen(home.path(), "k");
    let mut child = Command::new(env!("CARGO_BIN_EXE_osscrypt"))
        .args(["serve", "--in-memory", "--bucket", "served"])
        .env_clear()
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut env = Vec::new();
    for _ in 0..5 {
        let line = lines.next().unwrap().unwrap();
        let (name, value) = line.split_once('=').unwrap();
        let name: &'static str = match name {
            "OSS_ENDPOINT" => "OSS_ENDPOINT",
            "OSS_REGION" => "OSS_REGION",
            "OSS_ACCESS_KEY_ID" => "OSS_ACCESS_KEY_ID",
            "OSS_ACCESS_KEY_SECRET" => "OSS_ACCESS_KEY_SECRET",
            "OSS_KMS_ENDPOINT" => "OSS_KMS_ENDPOINT",
            other => panic!("unexpected line {other}"),
        };
        env.push((name, value.to_owned()));
    }
    let file = home.path().join("f");
    std::fs::write(&file, b"served bytes").unwrap();
    let put = [
        "put",
        file.to_str().unwrap(),
        "oss://served/f",
        "--rsa-public",
        &public,
    ];
    expect_code(&run_env(home.path(), &put, &env, None), 0);
    let out = run_env(
        home.path(),
        &["get", "oss://served/f", "-", "--rsa-private", &private],
        &env,
        None,
    );
    expect_code(&out, 0);
    assert_eq!(out.stdout, b"served bytes");

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
