//! The Go SDK v2 half of `bucket_bench`: the same encrypted multipart transfer through
//! `EncryptionClient`'s Uploader (with a checkpoint) and Downloader, driven by
//! `xtask/interop/go/bench/gov2` on the bench's dev server, same object, part size and
//! parallelism as oss2's; ours/Go throughput ratios (issue 15.5 target: at least 2x).
//!
//! The driver binary is `$OSS_CRYPTO_GO_BENCH` (`cargo xtask bench bucket-bench` builds it);
//! without it the comparison is skipped with a note.

use std::process::{Command, Stdio};

use crate::oss2::{Oss2Setup, Ours, parse, peer_input, report};
use crate::{BoxResult, MIB, Settings};

/// Issue 15.5: ahead of every peer, at least twice the fastest.
const TARGET_RATIO: f64 = 2.0;

/// Runs the Go transfers and prints their throughput and the ratios, or why they were skipped.
///
/// # Errors
///
/// The driver failed, its download differed from the input, or it printed no timings.
pub(crate) fn compare(setup: &Oss2Setup<'_>, s: &Settings, ours: &Ours) -> BoxResult<()> {
    let Some(driver) = std::env::var_os("OSS_CRYPTO_GO_BENCH") else {
        println!(
            "Go v2 comparison skipped: OSS_CRYPTO_GO_BENCH is not set (cargo xtask bench \
             bucket-bench builds the driver)"
        );
        return Ok(());
    };
    if setup.size == 0 {
        return Ok(());
    }
    let input = peer_input(setup, ours)?;
    let public = setup.private_key.with_file_name("rsa1024-public-pkcs1.pem");
    println!(
        "Go SDK v2 EncryptionClient: {} MiB, part {} MiB, ParallelNum {}",
        setup.size / MIB,
        s.part / MIB,
        s.concurrency
    );
    let output = Command::new(driver)
        .args(["-endpoint", setup.endpoint, "-bucket", setup.bucket])
        .arg("-private-key")
        .arg(setup.private_key)
        .arg("-public-key")
        .arg(public)
        .arg("-file")
        .arg(&input)
        .args(["-key", "gov2"])
        .args(["-part-size", &s.part.to_string()])
        .args(["-threads", &s.concurrency.to_string()])
        .env("OSS_ACCESS_KEY_ID", setup.access_key_id)
        .env("OSS_ACCESS_KEY_SECRET", setup.access_key_secret)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("the Go v2 bench driver failed ({}): {text}", output.status).into());
    }
    let theirs = parse(&text, setup.size, "go_v2")?;
    report(
        "go-v2",
        ["Uploader", "Downloader"],
        setup.size,
        &theirs,
        ours,
        TARGET_RATIO,
    );
    Ok(())
}
