//! Diagnostics on stderr through `tracing-subscriber`: `RUST_LOG` when set (its full filter
//! syntax), otherwise warnings (retries, for example), `-v` for our crates' info, `-vv` for
//! debug (requests, retries, checkpoints) and `-vvv` for trace; `-q` keeps errors only.
//!
//! Secrets never reach the log: the libraries log operation names, keys, sizes and error
//! codes, and their secret types are redacted in `Debug`. A test runs `-vv` transfers and
//! checks that no credential, token, data key or private key appears (`tests/it/logs.rs`).

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

/// Our crates: what `-v` and `-vv` make verbose.
const CRATES: [&str; 8] = [
    "osscrypt",
    "oss_client",
    "oss_crypto_bucket",
    "oss_keywrap",
    "oss_credentials",
    "oss_envelope",
    "oss_signing",
    "oss_devserver",
];

/// The filter for `verbosity` (`-v` count) when `RUST_LOG` is not set.
fn default_filter(verbosity: u8, quiet: bool) -> String {
    let ours = match (quiet, verbosity) {
        (true, 0) => return "error".to_owned(),
        (_, 0) => return "warn".to_owned(),
        (_, 1) => "info",
        (_, 2) => "debug",
        _ => "trace",
    };
    let mut filter = String::from("warn");
    for name in CRATES {
        filter.push_str(&format!(",{name}={ours}"));
    }
    filter
}

/// Installs the stderr subscriber.
pub(crate) fn init(verbosity: u8, quiet: bool) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(text) if !text.trim().is_empty() => EnvFilter::new(text),
        _ => EnvFilter::new(default_filter(verbosity, quiet)),
    };
    // A second subscriber (only in tests of this module) is not an error worth reporting.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbosity >= 2);
    // Timestamps only when asked for detail; a warning alone reads better without one.
    let _ = if verbosity == 0 {
        builder.without_time().try_init()
    } else {
        builder.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_levels() {
        assert_eq!(default_filter(0, true), "error");
        assert_eq!(default_filter(0, false), "warn");
        assert!(default_filter(1, false).contains("oss_client=info"));
        assert!(default_filter(2, true).contains("osscrypt=debug"));
        assert!(default_filter(5, false).contains("oss_crypto_bucket=trace"));
        for filter in [default_filter(1, false), default_filter(3, false)] {
            assert!(EnvFilter::try_new(&filter).is_ok(), "{filter}");
        }
    }
}
