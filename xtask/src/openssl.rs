//! `openssl speed`: the physical baselines our benches are measured against in the same run.
//!
//! * AES-256-CTR: the `-evp aes-256-ctr` row, 16384-byte column (bytes/s, one core).
//! * RSA private operations: the `sign` column of `rsa2048` / `rsa3072` (seconds per
//!   operation, one core). A PKCS#1 v1.5 decryption is the same private-key operation.

use std::process::Command;

use anyhow::{Context, bail};

use crate::cmd;

/// The AES-CTR block size whose figure counts (OpenSSL's largest).
pub(crate) const AES_BLOCK: u64 = 16384;

/// How `openssl speed` divides its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// By wall time (`-elapsed`): comparable with our wall-time probes.
    Wall,
    /// By its own user CPU time (the default): bytes per CPU second, comparable with CPU
    /// seconds of our processes and unaffected by other load on a shared machine.
    Cpu,
}

/// Single-core AES-256-CTR throughput in bytes per second of `clock`.
pub(crate) fn aes_ctr_rate(seconds: u32, clock: Clock) -> anyhow::Result<f64> {
    let mut speed = Command::new("openssl");
    speed.arg("speed");
    if clock == Clock::Wall {
        speed.arg("-elapsed");
    }
    // Only the block size that counts: the whole run measures it, not one sixth of the run.
    speed.arg("-seconds").arg(seconds.to_string()).args([
        "-bytes",
        &AES_BLOCK.to_string(),
        "-evp",
        "aes-256-ctr",
    ]);
    parse_aes(&cmd::output(&mut speed)?, AES_BLOCK)
}

/// Seconds per RSA private-key (sign) operation for each modulus size in `bits`.
pub(crate) fn rsa_private_op_secs(bits: &[u32], seconds: u32) -> anyhow::Result<Vec<(u32, f64)>> {
    let mut speed = Command::new("openssl");
    speed
        .args(["speed", "-elapsed", "-seconds"])
        .arg(seconds.to_string());
    for b in bits {
        speed.arg(format!("rsa{b}"));
    }
    let output = cmd::output(&mut speed)?;
    bits.iter()
        .map(|&b| Ok((b, parse_rsa_sign(&output, b)?)))
        .collect()
}

/// The bytes/s of `openssl speed`'s `aes-256-ctr` row in the `block`-byte column.
pub(crate) fn parse_aes(output: &str, block: u64) -> anyhow::Result<f64> {
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

/// The sign time of the `rsa <bits> bits <sign>s <verify>s ...` row.
fn parse_rsa_sign(output: &str, bits: u32) -> anyhow::Result<f64> {
    let prefix = format!("rsa {bits} bits ");
    let row = output
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(&prefix))
        .with_context(|| format!("`openssl speed` printed no rsa {bits} row"))?;
    let cell = row.split_whitespace().next().unwrap_or_default();
    let secs: f64 = cell
        .trim_end_matches('s')
        .parse()
        .with_context(|| format!("bad openssl rsa figure `{cell}`"))?;
    if secs <= 0.0 {
        bail!("openssl rsa {bits} sign time {secs} is not positive");
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AES_3_0: &str = "\
The 'numbers' are in 1000s of bytes per second processed.
type             16 bytes     64 bytes    256 bytes   1024 bytes   8192 bytes  16384 bytes
AES-256-CTR     589390.05k  2000961.02k  4718174.98k  6707652.61k  7822696.45k  7958740.99k
";

    const RSA_3_0: &str = "\
                  sign    verify    sign/s verify/s
rsa 2048 bits 0.000732s 0.000051s   1366.0  19569.0
rsa 3072 bits 0.004856s 0.000102s    205.9   9819.0
";

    #[test]
    fn reads_the_16384_column_of_openssl_speed() {
        let rate = parse_aes(AES_3_0, 16384).unwrap();
        assert!((rate - 7_958_740_990.0).abs() < 1.0);
        assert!(parse_aes(AES_3_0, 32768).is_err());
        assert!(parse_aes("type 16 bytes\n", 16).is_err());
    }

    #[test]
    fn reads_the_single_column_of_speed_bytes() {
        let one = "type          16384 bytes\nAES-256-CTR    7366404.78k\n";
        assert!((parse_aes(one, 16384).unwrap() - 7_366_404_780.0).abs() < 1.0);
    }

    #[test]
    fn reads_the_rsa_sign_column() {
        assert!((parse_rsa_sign(RSA_3_0, 2048).unwrap() - 0.000_732).abs() < 1e-12);
        assert!((parse_rsa_sign(RSA_3_0, 3072).unwrap() - 0.004_856).abs() < 1e-12);
        assert!(parse_rsa_sign(RSA_3_0, 4096).is_err());
        assert!(parse_rsa_sign("rsa 2048 bits fast\n", 2048).is_err());
    }
}
