//! `--profile`: where the client's CPU goes during one more encrypted put and get, from
//! `perf record` attached to this process (the client only; the server is another process),
//! summarised as the hottest symbols by `perf report`.

use core::time::Duration;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::BoxResult;
use crate::Settings;
use crate::transfers::{Setup, Transfer, perform};

/// Symbols below this share of the samples are left out of the summary.
const PERCENT_LIMIT: &str = "1.5";

/// Profiles `transfer` and prints the summary, or says why it could not.
pub(crate) async fn profile(t: &Setup<'_>, transfer: Transfer, s: &Settings) -> BoxResult<()> {
    let data = t.dir.join(format!("perf-{transfer:?}.data"));
    let recorder = Command::new("perf")
        .args(["record", "-F", "1999", "-g", "-o"])
        .arg(&data)
        .args(["-p", &std::process::id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut recorder) = recorder else {
        println!("profile: `perf` is not available on this machine; no profile");
        return Ok(());
    };
    // perf needs a moment to attach to every thread.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let transferred = perform(t, transfer, s).await;
    let _ = Command::new("kill")
        .args(["-INT", &recorder.id().to_string()])
        .status();
    let _ = recorder.wait();
    transferred?;
    summarise(&data, transfer)
}

fn summarise(data: &Path, transfer: Transfer) -> BoxResult<()> {
    let report = Command::new("perf")
        .args(["report", "--stdio", "--no-children", "-g", "none"])
        .args(["--sort", "dso,sym", "--percent-limit", PERCENT_LIMIT, "-i"])
        .arg(data)
        .stderr(Stdio::null())
        .output()?;
    let text = String::from_utf8_lossy(&report.stdout);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .collect();
    if !report.status.success() || rows.is_empty() {
        println!("profile {transfer:?}: perf recorded nothing (perf_event access refused?)");
        return Ok(());
    }
    println!("profile {transfer:?} (client CPU by symbol, ≥ {PERCENT_LIMIT}%):");
    for row in rows {
        println!("  {}", row.trim());
    }
    Ok(())
}
