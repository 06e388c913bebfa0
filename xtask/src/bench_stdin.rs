//! `cargo xtask bench stdin-rss`: peak RSS of `head -c 2G /dev/urandom | osscrypt put - ...`
//! against the release `oss-devserver` in its own process (issue 11.4: at most 96 MiB).
//!
//! The baseline, measured in the same run, is the peak RSS of the same command with 1 MiB of
//! stdin (the process's fixed cost); the bench prints both, their difference against the
//! `--parallel` x `--part-size` bound, and fails when the large run exceeds the budget. The
//! peak is the kernel's high-water mark (`VmHWM` in `/proc/<pid>/status`), read every 10 ms
//! while the process runs (`bench_proc`).

use core::time::Duration;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_proc::{Env, wait_with_peak_rss};
use crate::interop::devserver::DevServerProcess;
use crate::{cmd, metadata};

const MIB: u64 = 1024 * 1024;
/// The budget for the 2 GiB run.
const BUDGET: u64 = 96 * MIB;
/// osscrypt's defaults: 4 parts of 8 MiB in flight, so at most 32 MiB of stdin in memory.
const BOUND: u64 = 4 * 8 * MIB;
const BUCKET: &str = "stdin-bench";

/// One measured run.
struct Run {
    bytes: u64,
    peak_rss: u64,
    elapsed: Duration,
}

/// Runs the bench (`quick`: 256 MiB instead of 2 GiB).
pub(crate) fn run(quick: bool) -> anyhow::Result<()> {
    cmd::run(cmd::cargo().args([
        "build",
        "--release",
        "-p",
        "osscrypt",
        "-p",
        "oss-devserver",
    ]))?;
    let release = metadata::load()?.target_directory.join("release");
    // Work files on the target directory's disk: the system temp directory may be tmpfs.
    let work = tempfile::Builder::new()
        .prefix("bench-stdin-")
        .tempdir_in(release.parent().context("target directory")?)?;
    let server = DevServerProcess::start_with(
        &release.join("oss-devserver"),
        &work.path().join("devserver.log"),
        &["--bucket", BUCKET, "--fast-etags"],
    )?;
    let osscrypt = release.join("osscrypt");
    let spool = work.path().join("spool");
    fs::create_dir_all(&spool)?;
    let env = Env::new(&server, work.path(), false)?;
    cmd::run(env.command(&osscrypt).args(["keygen", "--bits", "2048"]))?;
    let baseline = measure(&osscrypt, &env, &spool, MIB)?;
    let size = if quick { 256 * MIB } else { 2048 * MIB };
    let large = measure(&osscrypt, &env, &spool, size)?;
    report(&baseline, &large);
    if large.peak_rss > BUDGET {
        bail!(
            "peak RSS {} MiB exceeds the {} MiB budget",
            large.peak_rss / MIB,
            BUDGET / MIB
        );
    }
    Ok(())
}

fn report(baseline: &Run, large: &Run) {
    let mib = |b: u64| b as f64 / MIB as f64;
    eprintln!("\nstdin-rss: osscrypt put - (parallel 4 x part size 8 MiB, ciphertext spool)");
    for run in [baseline, large] {
        eprintln!(
            "  {:>8.0} MiB of stdin: peak RSS {:>6.1} MiB, {:>6.1} s, {:>6.1} MiB/s",
            mib(run.bytes),
            mib(run.peak_rss),
            run.elapsed.as_secs_f64(),
            mib(run.bytes) / run.elapsed.as_secs_f64().max(1e-6)
        );
    }
    eprintln!(
        "  growth over the 1 MiB baseline: {:.1} MiB (bound parallel x part size: {} MiB); \
         ratio large/baseline {:.2}; budget {} MiB",
        mib(large.peak_rss.saturating_sub(baseline.peak_rss)),
        BOUND / MIB,
        large.peak_rss as f64 / baseline.peak_rss.max(1) as f64,
        BUDGET / MIB
    );
}

/// Runs `head -c BYTES /dev/urandom | osscrypt put - oss://BUCKET/stdin-BYTES` and records
/// the peak RSS of osscrypt.
fn measure(osscrypt: &Path, env: &Env, spool: &Path, bytes: u64) -> anyhow::Result<Run> {
    let mut head = Command::new("head")
        .args(["-c", &bytes.to_string(), "/dev/urandom"])
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run head")?;
    let stdin = head.stdout.take().context("no pipe from head")?;
    let target = format!("oss://{BUCKET}/stdin-{bytes}");
    let started = Instant::now();
    let mut put = env
        .command(osscrypt)
        .args([
            "-q",
            "put",
            "-",
            &target,
            "--rsa-public",
            "osscrypt-public.pem",
        ])
        .arg("--spool-dir")
        .arg(spool)
        .stdin(stdin)
        .spawn()
        .context("cannot run osscrypt")?;
    let (status, peak) = wait_with_peak_rss(&mut put)?;
    let elapsed = started.elapsed();
    head.wait()?;
    if !status.success() {
        bail!("osscrypt put of {bytes} bytes failed: {status}");
    }
    if fs::read_dir(spool)?.next().is_some() {
        bail!("osscrypt left a spool file in {}", spool.display());
    }
    Ok(Run {
        bytes,
        peak_rss: peak,
        elapsed,
    })
}
