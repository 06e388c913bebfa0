//! A transfer killed in the middle resumes from its checkpoint: the example binary runs the
//! transfer in a child process, which is killed once a few parts are recorded; this process
//! then finishes the transfer from the checkpoint.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use core::time::Duration;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use common::{BUCKET, Harness, data};
use oss_crypto_bucket::{CryptoOptions, ResumableOptions};
use oss_devserver::{FaultAction, FaultRule, Trigger};

const PART: u64 = 102_400;

fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(Path::parent).unwrap();
    let path = debug
        .join("examples")
        .join(format!("bucket_interop{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} missing (cargo test builds the examples)",
        path.display()
    );
    path
}

fn spawn(h: &Harness, command: &str, key: &str, file: &Path, cp_dir: &Path) -> Child {
    let cred = h.server.credentials();
    Command::new(example_binary())
        .arg(command)
        .args([
            "--endpoint",
            &h.server.oss_url(),
            "--region",
            h.server.region(),
            "--bucket",
            BUCKET,
            "--key",
            key,
        ])
        .args([
            "--access-key-id",
            cred.access_key_id(),
            "--access-key-secret",
            cred.access_key_secret(),
        ])
        .arg("--file")
        .arg(file)
        .arg("--private-key")
        .arg(oss_testkit::Vectors::required().path(oss_testkit::RSA_TEST_KEY))
        .args(["--part-size", &PART.to_string(), "--concurrency", "1"])
        .arg("--checkpoint-dir")
        .arg(cp_dir)
        .spawn()
        .unwrap()
}

/// Waits until a checkpoint in `dir` records at least `parts` parts.
async fn wait_for_parts(dir: &Path, parts: usize, child: &mut Child) {
    for _ in 0..600 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "child finished before it could be killed"
        );
        let recorded = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            // Only renamed checkpoints count: a temp file may be killed before its rename.
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| {
                let json: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
                json["parts"].as_array().map(Vec::len)
            });
        if recorded.max().unwrap_or(0) >= parts {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no checkpoint with {parts} parts appeared");
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_upload_and_download_resume_from_checkpoint() {
    if oss_testkit::Vectors::locate().is_none() {
        return;
    }
    let slow = |op: &str| {
        FaultRule::new(
            op,
            Trigger::Always,
            FaultAction::Delay(Duration::from_millis(250)),
        )
    };
    let h = Harness::with_faults(vec![slow("UploadPart")]).await;
    let dir = tempfile::tempdir().unwrap();
    let cp_dir = dir.path().join("cp");
    let plain = data(2_000_000, 41);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();

    let mut child = spawn(&h, "resumable-upload", "crash", &src, &cp_dir);
    wait_for_parts(&cp_dir, 3, &mut child).await;
    child.kill().unwrap();
    child.wait().unwrap();
    h.server.faults().clear();
    let options = CryptoOptions::default()
        .with_part_size(PART)
        .with_checkpoint_dir(&cp_dir);
    let bucket = h.bucket(options);
    let up = bucket
        .resumable_upload("crash", &src, &ResumableOptions::default())
        .await
        .unwrap();
    assert!(up.parts_resumed >= 3, "resumed {} parts", up.parts_resumed);
    assert_eq!(up.parts_resumed + up.parts_uploaded, 20);

    h.server.faults().set_rules(vec![slow("GetObject")]);
    let dest = dir.path().join("out.bin");
    let mut child = spawn(&h, "resumable-download", "crash", &dest, &cp_dir);
    wait_for_parts(&cp_dir, 3, &mut child).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!dest.exists(), "no partial file at the destination");
    h.server.faults().clear();
    let down = bucket
        .resumable_download("crash", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert!(
        down.parts_resumed >= 3,
        "resumed {} parts",
        down.parts_resumed
    );
    assert_eq!(std::fs::read(&dest).unwrap(), plain);
}
