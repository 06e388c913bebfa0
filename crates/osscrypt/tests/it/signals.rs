//! SIGINT and SIGTERM during commands that write files, as real child processes: `decrypt`
//! (also while it blocks reading stdin) leaves no partial plaintext and exits 130 / 143;
//! `get --resumable` keeps its 0600 temp file and checkpoint, and the same command then
//! resumes; `put -` (waiting on stdin) removes its ciphertext spool and exits 143.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::common;

use core::time::Duration;
use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::{BUCKET, Server, data, expect_code, keygen, run, run_env, spawn, stderr};
use oss_devserver::{FaultAction, FaultRule, Trigger};

fn kill(child: &Child, signal: &str) {
    let pid = child.id().to_string();
    let status = Command::new("kill").args([signal, &pid]).status().unwrap();
    assert!(status.success());
}

/// Polls `ready` until it holds, failing if `child` ends first or a minute passes.
fn wait_until(child: &mut Child, what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        assert!(child.try_wait().unwrap().is_none(), "ended before {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn decrypt_stopped_by_a_signal_leaves_no_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (private, _) = keygen(home, "k");
    let path = |name: &str| home.join(name).to_str().unwrap().to_owned();
    std::fs::write(path("plain"), data(2 << 20, 4)).unwrap();
    let out = run(
        home,
        &[
            "encrypt",
            &path("plain"),
            &path("x.enc"),
            "--rsa-private",
            &private,
        ],
    );
    expect_code(&out, 0);
    let cipher = std::fs::read(path("x.enc")).unwrap();
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let dest = path(&format!("out{code}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_osscrypt"))
            .args(["decrypt", "-", &dest, "--meta", &path("x.enc.meta.json")])
            .args(["--rsa-private", &private])
            .env_clear()
            .env("HOME", home)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Half the ciphertext, then the pipe stays open: decrypt blocks reading stdin.
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&cipher[..cipher.len() / 2]).unwrap();
        let partial = format!("{dest}.osscrypt-partial");
        wait_until(&mut child, "the partial file", || {
            Path::new(&partial).exists()
        });
        std::thread::sleep(Duration::from_millis(200));
        kill(&child, signal);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        assert!(
            !Path::new(&partial).exists(),
            "{signal}: partial plaintext left"
        );
        assert!(!Path::new(&dest).exists(), "{signal}");
        drop(stdin);
    }
}

/// The largest number of finished parts any checkpoint in `dir` lists.
fn checkpoint_parts(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| {
            serde_json::from_slice::<serde_json::Value>(&std::fs::read(e.path()).ok()?).ok()
        })
        .filter_map(|cp| cp["parts"].as_array().map(Vec::len))
        .max()
        .unwrap_or(0)
}

#[test]
fn a_resumable_get_stopped_by_sigint_keeps_its_private_temp_file_and_resumes() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(4 << 20, 6);
    std::fs::write(s.path("big"), &plain).unwrap();
    let uri = format!("oss://{BUCKET}/big");
    expect_code(
        &s.run(&["put", &s.path("big"), &uri, "--rsa-public", &public]),
        0,
    );
    let drip = FaultAction::Drip {
        chunk: 64 * 1024,
        pause: Duration::from_millis(20),
    };
    s.faults()
        .add_rule(FaultRule::new("GetObject", Trigger::Always, drip));
    std::fs::create_dir(s.path("dl")).unwrap();
    let (dest, checkpoints) = (s.path("dl/big"), s.path("cp"));
    let get = [
        "get",
        &uri,
        &dest,
        "--rsa-private",
        &private,
        "--resumable",
        "--parallel",
        "1",
        "--part-size",
        "256KiB",
        "--checkpoint-dir",
        &checkpoints,
    ];
    let mut child = spawn(s.dir.path(), &get, &s.env());
    wait_until(&mut child, "a checkpointed part", || {
        checkpoint_parts(Path::new(&checkpoints)) >= 2
    });
    kill(&child, "-INT");
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(
        !Path::new(&dest).exists(),
        "unverified plaintext under the name"
    );
    let temp = s.path("dl/.big.oss-download");
    let mode = std::fs::metadata(&temp).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "temp file mode {mode:o}");
    assert!(checkpoint_parts(Path::new(&checkpoints)) >= 2);

    s.faults().clear();
    let out = run_env(s.dir.path(), &get, &s.env(), None);
    expect_code(&out, 0);
    let text = stderr(&out);
    let resumed: usize = text
        .split_once(" resumed)")
        .and_then(|(before, _)| before.rsplit('(').next()?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no resumed count in: {text}"));
    assert!(resumed >= 2, "{text}");
    assert!(
        std::fs::read(&dest).unwrap() == plain,
        "downloaded bytes differ"
    );
    assert!(!Path::new(&temp).exists());
}

#[test]
fn put_from_stdin_stopped_by_a_signal_removes_its_spool() {
    let s = Server::start();
    let (_, public) = keygen(s.dir.path(), "k");
    let spool = s.path("spool");
    std::fs::create_dir(&spool).unwrap();
    let uri = format!("oss://{BUCKET}/streamed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_osscrypt"))
        .args([
            "put",
            "-",
            &uri,
            "--rsa-public",
            &public,
            "--spool-dir",
            &spool,
        ])
        .args(["--part-size", "100KiB", "--parallel", "1"])
        .env_clear()
        .env("HOME", s.dir.path())
        .envs(s.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // More than the 100 KiB memory budget, then the pipe stays open: the spool exists and
    // osscrypt waits for the rest of stdin.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&data(1 << 20, 8)).unwrap();
    wait_until(&mut child, "the spool file", || {
        std::fs::read_dir(&spool).unwrap().next().is_some()
    });
    kill(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0, "spool left");
    drop(stdin);
}
