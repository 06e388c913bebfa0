//! Helpers shared by the CLI tests: running the binary and checking its exit code.

// Test support: panicking on a broken test setup is the right outcome.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `osscrypt` with `args`, isolated from the user's configuration and data.
pub fn run(home: &Path, args: &[&str]) -> Output {
    run_with_stdin(home, args, None)
}

/// As [`run`], feeding `stdin`.
pub fn run_with_stdin(home: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osscrypt"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn osscrypt");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().expect("wait for osscrypt")
}

/// Asserts the exit code, showing stderr when it differs.
#[track_caller]
pub fn expect_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes a 1024-bit key pair (fast to generate in debug builds) as `<name>-private.pem` and
/// `<name>-public.pem` in `dir`; returns their paths as strings.
pub fn keygen(dir: &Path, name: &str) -> (String, String) {
    let private = dir.join(format!("{name}-private.pem"));
    let public = dir.join(format!("{name}-public.pem"));
    let (private, public) = (private.to_str().unwrap(), public.to_str().unwrap());
    let out = run(
        dir,
        &[
            "keygen",
            "--bits",
            "1024",
            "--private",
            private,
            "--public",
            public,
        ],
    );
    expect_code(&out, 0);
    (private.to_owned(), public.to_owned())
}

/// Deterministic pseudo-random test data.
pub fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}
