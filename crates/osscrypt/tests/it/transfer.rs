//! Resumable, parallel transfers through the binary: an upload and a download interrupted by
//! server faults are finished by running the same command again, which resumes from the
//! checkpoint instead of starting over.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use crate::common;

use core::time::Duration;
use std::path::Path;
use std::process::Child;
use std::time::Instant;

use common::{Server, data, expect_code, keygen, run_env, spawn, stderr};
use oss_devserver::{FaultAction, FaultRule, Trigger};

/// A fault that fails for good (not retried): the 3rd matching request gets 400.
fn third_request_fails(op: &str) -> FaultRule {
    let action = FaultAction::Status {
        status: 400,
        code: "InvalidRequest".into(),
    };
    FaultRule::new(op, Trigger::EveryNth(3), action)
}

#[test]
fn interrupted_upload_and_download_resume_with_the_same_command() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(1_300_000, 5);
    std::fs::write(s.path("big"), &plain).unwrap();
    let checkpoints = s.path("checkpoints");
    let put = [
        "put",
        &s.path("big"),
        "oss://test-bucket/big",
        "--rsa-private",
        &private,
        "--resumable",
        "--parallel",
        "1",
        "--part-size",
        "128KiB",
        "--checkpoint-dir",
        &checkpoints,
    ];

    s.faults().add_rule(third_request_fails("UploadPart"));
    let out = s.run(&put);
    assert_ne!(
        out.status.code(),
        Some(0),
        "the upload should have been interrupted"
    );
    assert!(
        std::fs::read_dir(&checkpoints).unwrap().count() > 0,
        "no checkpoint left"
    );
    s.faults().clear();
    // continuing needs the data key, so the public key alone cannot resume
    let mut public_only = put.to_vec();
    public_only[3] = "--rsa-public";
    public_only[4] = &public;
    let out = s.run(&public_only);
    expect_code(&out, 4);
    assert!(
        stderr(&out).contains("inherent") && stderr(&out).contains("--rsa-private"),
        "{}",
        stderr(&out)
    );
    let out = s.run(&put);
    expect_code(&out, 0);
    assert!(stderr(&out).contains("(2 resumed)"), "{}", stderr(&out));
    assert_ne!(s.stored_bytes("big"), plain);

    let get = [
        "get",
        "oss://test-bucket/big",
        &s.path("back"),
        "--rsa-private",
        &private,
        "--resumable",
        "--parallel",
        "1",
        "--part-size",
        "128KiB",
        "--checkpoint-dir",
        &checkpoints,
    ];
    s.faults().add_rule(third_request_fails("GetObject"));
    let out = s.run(&get);
    assert_ne!(
        out.status.code(),
        Some(0),
        "the download should have been interrupted"
    );
    assert!(
        !s.dir.path().join("back").exists(),
        "unverified plaintext left at the destination"
    );
    s.faults().clear();
    let out = s.run(&get);
    expect_code(&out, 0);
    assert!(stderr(&out).contains("resumed)"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("(0 resumed)"), "{}", stderr(&out));
    assert_eq!(std::fs::read(s.path("back")).unwrap(), plain);
}

#[test]
fn parallel_resumable_round_trip_and_refusals() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(900_001, 6);
    std::fs::write(s.path("f"), &plain).unwrap();
    let out = s.run(&[
        "put",
        &s.path("f"),
        "oss://test-bucket/f",
        "--rsa-public",
        &public,
        "--resumable",
        "--parallel",
        "4",
        "--part-size",
        "100KiB",
    ]);
    expect_code(&out, 0);
    let inspect = s.run(&["inspect", "oss://test-bucket/f", "--json"]);
    let env: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(env["multipart_part_size"], 102_400);
    assert_eq!(env["multipart_data_size"], plain.len());
    let out = s.run(&[
        "get",
        "oss://test-bucket/f",
        &s.path("g"),
        "--rsa-private",
        &private,
        "--resumable",
        "--parallel",
        "3",
    ]);
    expect_code(&out, 0);
    assert_eq!(std::fs::read(s.path("g")).unwrap(), plain);
    // resumable uploads need files; a part size that breaks the rules is a usage error
    expect_code(
        &s.run(&[
            "put",
            "-",
            "oss://test-bucket/x",
            "--rsa-public",
            &public,
            "--resumable",
        ]),
        2,
    );
    // stdout has nothing to resume into: the object is streamed with one GET, and said so
    let streamed = s.run(&[
        "get",
        "oss://test-bucket/f",
        "-",
        "--rsa-private",
        &private,
        "--resumable",
    ]);
    expect_code(&streamed, 0);
    assert_eq!(streamed.stdout, plain);
    assert!(stderr(&streamed).contains("stdout is not a regular file"));
    expect_code(
        &s.run(&[
            "put",
            &s.path("f"),
            "oss://test-bucket/x",
            "--rsa-public",
            &public,
            "--part-size",
            "1000",
        ]),
        2,
    );
}

/// Waits until a checkpoint in `dir` lists at least `parts` finished parts.
fn wait_for_checkpoint(dir: &Path, parts: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be killed"
        );
        let most = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| {
                serde_json::from_slice::<serde_json::Value>(&std::fs::read(e.path()).ok()?).ok()
            })
            .filter_map(|cp| cp["parts"].as_array().map(Vec::len))
            .max();
        if most.unwrap_or(0) >= parts {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no checkpoint with {parts} parts");
}

/// The first-five-minutes case: local mode, so each command starts the embedded dev server
/// on the persistent data directory. A killed upload resumes with the same command, because
/// the server keeps the upload in progress across restarts.
#[test]
fn a_killed_upload_to_the_embedded_devserver_resumes_with_the_same_command() {
    let home = tempfile::tempdir().unwrap();
    let (private, _) = keygen(home.path(), "k");
    let path = |name: &str| home.path().join(name).to_str().unwrap().to_owned();
    let plain = data(64 * 1024 * 1024, 8);
    std::fs::write(path("big"), &plain).unwrap();
    let env = [
        ("OSSCRYPT_DATA_DIR", path("data")),
        ("OSS_ENDPOINT", "local".to_owned()),
    ];
    let (src, checkpoints) = (path("big"), path("cp"));
    let put = [
        "put",
        &src,
        "oss://local-bucket/big",
        "--rsa-private",
        &private,
        "--resumable",
        "--parallel",
        "1",
        "--part-size",
        "512KiB",
        "--checkpoint-dir",
        &checkpoints,
    ];
    let mut child = spawn(home.path(), &put, &env);
    wait_for_checkpoint(Path::new(&checkpoints), 2, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();

    let out = run_env(home.path(), &put, &env, None);
    expect_code(&out, 0);
    let text = stderr(&out);
    let resumed: usize = text
        .split_once(" resumed)")
        .and_then(|(before, _)| before.rsplit('(').next()?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no resumed count in: {text}"));
    assert!(resumed >= 2, "{text}");
    let get = [
        "get",
        "oss://local-bucket/big",
        &path("back"),
        "--rsa-private",
        &private,
    ];
    expect_code(&run_env(home.path(), &get, &env, None), 0);
    assert!(
        std::fs::read(path("back")).unwrap() == plain,
        "downloaded bytes differ"
    );
}

/// Ctrl-C in the middle of a plain `get` to a file: the CLI removes its partial plaintext
/// and exits 130; SIGTERM gives 143.
#[test]
fn a_get_stopped_by_sigint_or_sigterm_leaves_no_file() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("big"), data(4 << 20, 21)).unwrap();
    expect_code(
        &s.run(&[
            "put",
            &s.path("big"),
            "oss://test-bucket/big",
            "--rsa-public",
            &public,
        ]),
        0,
    );
    let drip = FaultAction::Drip {
        chunk: 64 * 1024,
        pause: Duration::from_millis(50),
    };
    s.faults()
        .add_rule(FaultRule::new("GetObject", Trigger::Always, drip));
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let out_dir = s.dir.path().join(format!("out{code}"));
        std::fs::create_dir(&out_dir).unwrap();
        let dest = out_dir.join("big").to_str().unwrap().to_owned();
        let get = [
            "get",
            "oss://test-bucket/big",
            &dest,
            "--rsa-private",
            &private,
        ];
        let mut child = spawn(s.dir.path(), &get, &s.env());
        let partial = format!("{dest}.osscrypt-partial");
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::fs::metadata(&partial).map_or(0, |m| m.len()) == 0 {
            assert!(Instant::now() < deadline, "no partial file appeared");
            assert!(child.try_wait().unwrap().is_none(), "finished too early");
            std::thread::sleep(Duration::from_millis(10));
        }
        let pid = child.id().to_string();
        let killed = std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        assert_eq!(child.wait().unwrap().code(), Some(code));
        assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 0, "{signal}");
    }
}
