//! `cargo xtask bench-cipher`: our AES-256-CTR throughput against `openssl speed`, same run,
//! same machine, one core each.
//!
//! OpenSSL's figure is its 16384-byte column; ours comes from the `cipher-speed` probe in
//! `benches/` (release build), which streams 64 MiB through `oss_envelope::ContentCipher` in
//! 16 KiB and 64 KiB chunks. The target is ours/openssl >= 0.95. When `oss-envelope` has an
//! `aws-lc` backend feature, that backend is measured too.

use std::fs;

use anyhow::{Context, bail};

use crate::cmd;

/// The ratio we aim for; below it the task still succeeds but says so.
const TARGET_RATIO: f64 = 0.95;
const OPENSSL_BLOCK: u64 = 16384;

/// Runs the comparison and prints both figures and their ratio.
pub(crate) fn run() -> anyhow::Result<()> {
    let mut backends = vec![("rustcrypto", None)];
    if envelope_has_feature("aws-lc")? {
        backends.push(("aws-lc", Some("oss-envelope/aws-lc")));
    }
    // OpenSSL runs before and after our probes and its better figure counts, as our probe
    // keeps its best of five: both sides get the quietest moment of a shared machine.
    let before = openssl_rate()?;
    let mut ours = Vec::new();
    for (backend, feature) in backends {
        let mut probe = cmd::cargo();
        probe.args(["run", "--release", "--manifest-path", "benches/Cargo.toml"]);
        probe.args(["--bin", "cipher-speed"]);
        if let Some(feature) = feature {
            probe.args(["--features", feature]);
        }
        for (chunk, rate) in parse_probe(&cmd::output(&mut probe)?)? {
            ours.push((backend, chunk, rate));
        }
    }
    let openssl = before.max(openssl_rate()?);
    println!(
        "openssl speed aes-256-ctr, {OPENSSL_BLOCK}-byte blocks: {}",
        gbps(openssl)
    );
    for (backend, chunk, rate) in &ours {
        println!(
            "oss-envelope ({backend}), {} KiB chunks: {}  ours/openssl = {:.3}",
            chunk / 1024,
            gbps(*rate),
            rate / openssl
        );
    }
    let mut backends: Vec<&str> = ours.iter().map(|(b, _, _)| *b).collect();
    backends.dedup();
    for backend in backends {
        let worst = ours
            .iter()
            .filter(|(b, _, _)| *b == backend)
            .map(|(_, _, rate)| rate / openssl)
            .fold(f64::INFINITY, f64::min);
        let verdict = if worst >= TARGET_RATIO {
            "meets"
        } else {
            "is BELOW"
        };
        println!(
            "bench-cipher: {backend} {verdict} the {TARGET_RATIO} target (worst ratio {worst:.3})"
        );
    }
    Ok(())
}

fn openssl_rate() -> anyhow::Result<f64> {
    let speed = cmd::output(std::process::Command::new("openssl").args([
        "speed",
        "-elapsed",
        "-seconds",
        "3",
        "-evp",
        "aes-256-ctr",
    ]))?;
    parse_openssl(&speed, OPENSSL_BLOCK)
}

fn gbps(bytes_per_sec: f64) -> String {
    format!(
        "{:.3} GB/s ({bytes_per_sec:.0} bytes/s)",
        bytes_per_sec / 1e9
    )
}

/// Whether `crates/oss-envelope/Cargo.toml` declares `feature` in its `[features]` table.
fn envelope_has_feature(feature: &str) -> anyhow::Result<bool> {
    let path = cmd::project_root().join("crates/oss-envelope/Cargo.toml");
    let manifest =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut in_features = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features && line.split('=').next().map(str::trim) == Some(feature) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `cipher-speed chunk=<n> bytes_per_sec=<r>` lines -> `(n, r)`.
fn parse_probe(output: &str) -> anyhow::Result<Vec<(u64, f64)>> {
    let mut results = Vec::new();
    for line in output.lines().filter(|l| l.starts_with("cipher-speed ")) {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .with_context(|| format!("no `{name}` in `{line}`"))
        };
        let chunk: u64 = field("chunk")?.parse().context("bad chunk size")?;
        let rate: f64 = field("bytes_per_sec")?.parse().context("bad rate")?;
        results.push((chunk, rate));
    }
    if results.is_empty() {
        bail!("the cipher-speed probe printed no measurement");
    }
    Ok(results)
}

/// The bytes/s of `openssl speed`'s `aes-256-ctr` row in the `block`-byte column.
fn parse_openssl(output: &str, block: u64) -> anyhow::Result<f64> {
    let header = output
        .lines()
        .find(|l| l.starts_with("type "))
        .context("`openssl speed` printed no `type` header")?;
    let sizes: Vec<u64> = header
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    let column = sizes
        .iter()
        .position(|&s| s == block)
        .with_context(|| format!("`openssl speed` has no {block}-byte column"))?;
    let row = output
        .lines()
        .find(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("aes-256-ctr"))
        })
        .context("`openssl speed` printed no aes-256-ctr row")?;
    let cell = row
        .split_whitespace()
        .nth(column + 1)
        .context("the aes-256-ctr row is short")?;
    let thousands: f64 = cell
        .trim_end_matches('k')
        .parse()
        .with_context(|| format!("bad openssl figure `{cell}`"))?;
    Ok(thousands * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENSSL_3_0: &str = "\
The 'numbers' are in 1000s of bytes per second processed.
type             16 bytes     64 bytes    256 bytes   1024 bytes   8192 bytes  16384 bytes
AES-256-CTR     589390.05k  2000961.02k  4718174.98k  6707652.61k  7822696.45k  7958740.99k
";

    #[test]
    fn reads_the_16384_column_of_openssl_speed() {
        let rate = parse_openssl(OPENSSL_3_0, 16384).unwrap();
        assert!((rate - 7_958_740_990.0).abs() < 1.0);
        assert!(parse_openssl(OPENSSL_3_0, 32768).is_err());
        assert!(parse_openssl("type 16 bytes\n", 16).is_err());
    }

    #[test]
    fn reads_probe_lines() {
        let out = "noise\ncipher-speed chunk=16384 bytes_per_sec=123\ncipher-speed chunk=65536 bytes_per_sec=456\n";
        assert_eq!(parse_probe(out).unwrap(), [(16384, 123.0), (65536, 456.0)]);
        assert!(parse_probe("nothing\n").is_err());
        assert!(parse_probe("cipher-speed chunk=x bytes_per_sec=1\n").is_err());
    }

    #[test]
    fn envelope_features_are_read_from_its_manifest() {
        assert!(envelope_has_feature("alloc").unwrap());
        assert!(!envelope_has_feature("no-such-feature").unwrap());
    }
}
