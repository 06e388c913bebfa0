//! Peak RSS of one encrypted resumable transfer, each run in a child process (the bench's own
//! executable with `--rss-child`), so that nothing else the bench did counts.

#![allow(dead_code, reason = "shared by the bench examples; each uses a part")]

use std::path::{Path, PathBuf};
use std::process::Command;

use oss_crypto_bucket::ResumableOptions;

use crate::server::ServerProcess;
use crate::setup::{bucket, client};
use crate::{BoxResult, arg};

const MIB: u64 = 1024 * 1024;

/// Whether this process was started as an RSS child.
pub(crate) fn is_child(args: &[String]) -> bool {
    args.iter().any(|a| a == "--rss-child")
}

/// This process's peak resident set (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Child mode: one resumable upload of `--file` to `--key`, or download of `--key` to
/// `--file`, then `peak_rss_bytes N` on stdout.
pub(crate) async fn child(args: &[String]) -> BoxResult<()> {
    let need = |name: &str| arg(args, name).ok_or_else(|| format!("missing {name}"));
    let client = client(&need("--endpoint")?, &need("--ak")?, &need("--sk")?)?;
    let part = need("--part-mib")?.parse::<u64>()? * MIB;
    let concurrency = need("--concurrency")?.parse()?;
    let b = bucket(client, part, concurrency, Path::new(&need("--cp")?))?;
    let (file, key) = (PathBuf::from(need("--file")?), need("--key")?);
    if need("--rss-child")? == "upload" {
        b.resumable_upload(&key, &file, &ResumableOptions::default())
            .await?;
    } else {
        b.resumable_download(&key, &file, &ResumableOptions::default())
            .await?;
    }
    println!("peak_rss_bytes {}", peak_rss());
    Ok(())
}

/// One transfer in a child: `mode` is `upload` (from `file`) or `download` (to `file`).
/// Returns the child's peak RSS in bytes.
pub(crate) fn peak_of(
    server: &ServerProcess,
    mode: &str,
    key: &str,
    file: &Path,
    cp_dir: &Path,
    part: u64,
    concurrency: usize,
) -> BoxResult<u64> {
    let output = Command::new(std::env::current_exe()?)
        .args(["--rss-child", mode, "--key", key])
        .args(["--endpoint", &server.oss_url])
        .args([
            "--ak",
            &server.access_key_id,
            "--sk",
            &server.access_key_secret,
        ])
        .arg("--file")
        .arg(file)
        .arg("--cp")
        .arg(cp_dir)
        .args(["--part-mib", &(part / MIB).to_string()])
        .args(["--concurrency", &concurrency.to_string()])
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("peak_rss_bytes "))
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(|| {
            format!(
                "RSS child ({mode}) failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into()
        })
}

#[allow(clippy::cast_precision_loss)] // display only
pub(crate) fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB as f64
}
