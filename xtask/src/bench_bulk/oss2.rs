//! The oss2 baseline: `xtask/interop/bench_oss2_bulk.py` over the bench's files, on the
//! client core, against the same server.

use std::path::Path;
use std::process::Stdio;

use anyhow::bail;

use crate::bench_proc::Env;
use crate::cmd;

const SCRIPT: &str = "xtask/interop/bench_oss2_bulk.py";

/// What the script measured.
pub(super) struct Oss2Run {
    pub(super) objects: usize,
    put_secs: f64,
    get_secs: f64,
}

impl Oss2Run {
    /// Objects per second up and down.
    pub(super) fn rates(&self) -> (f64, f64) {
        let n = self.objects as f64;
        (n / self.put_secs, n / self.get_secs)
    }
}

/// Uploads every file of `dir` under `prefix` with oss2's `CryptoBucket` and downloads it
/// again, `threads` at a time (1: a plain loop).
pub(super) fn run(
    python: &Path,
    env: &Env,
    dir: &Path,
    prefix: &str,
    threads: u64,
) -> anyhow::Result<Oss2Run> {
    let script = cmd::project_root().join(SCRIPT);
    let mut command = env.command(python);
    command
        .arg(script)
        .args([
            "--endpoint",
            env.var("OSS_ENDPOINT"),
            "--bucket",
            super::BUCKET,
        ])
        .args(["--private-key", "old-private.pem", "--prefix", prefix])
        .arg("--dir")
        .arg(dir)
        .args(["--threads", &threads.to_string()])
        .stderr(Stdio::inherit());
    let output = oss_testkit::bypass_proxies(&mut command).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("{SCRIPT} failed ({}): {text}", output.status);
    }
    parse(&text)
}

fn parse(text: &str) -> anyhow::Result<Oss2Run> {
    let value = |name: &str| -> anyhow::Result<&str> {
        text.lines()
            .find_map(|l| {
                l.strip_prefix("oss2bulk_")?
                    .strip_prefix(name)?
                    .strip_prefix(' ')
            })
            .map(str::trim)
            .ok_or_else(|| anyhow::anyhow!("{SCRIPT} printed no `oss2bulk_{name}` line: {text}"))
    };
    let objects = value("objects")?.parse()?;
    if value("verified")?.parse::<usize>()? != objects {
        bail!("{SCRIPT} verified fewer objects than it moved: {text}");
    }
    Ok(Oss2Run {
        objects,
        put_secs: value("put_seconds")?.parse()?,
        get_secs: value("get_seconds")?.parse()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_driver_lines_and_requires_verification() {
        let text = "oss2bulk_objects 4\noss2bulk_put_seconds 2.0\noss2bulk_get_seconds 0.5\n\
                    oss2bulk_verified 4\n";
        let run = parse(text).unwrap();
        assert_eq!(run.rates(), (2.0, 8.0));
        assert!(
            parse("oss2bulk_objects 4\noss2bulk_put_seconds 1\noss2bulk_get_seconds 1\n").is_err()
        );
    }
}
