//! `cargo xtask no-std`: proves `oss-envelope` builds without `std`.
//!
//! rustup cannot fetch a bare-metal target here, so the proof has three parts: the crate
//! declares `#![no_std]`, it builds (and is clippy-clean) with default features off, with and
//! without `alloc`, and `cargo tree -e features` shows that no dependency has its `std` feature
//! turned on in those configurations.

use std::fs;

use anyhow::{Context, bail};

use crate::cmd::{self, Timings};

const CRATE: &str = "oss-envelope";
const LIB_RS: &str = "crates/oss-envelope/src/lib.rs";
const FEATURE_SETS: [&[&str]; 2] = [
    &["--no-default-features"],
    &["--no-default-features", "--features", "alloc"],
];

/// Runs only the no_std proof.
pub(crate) fn run() -> anyhow::Result<()> {
    let mut timings = Timings::default();
    check(&mut timings)?;
    timings.print();
    Ok(())
}

/// The no_std proof, recording each step in `timings`.
pub(crate) fn check(timings: &mut Timings) -> anyhow::Result<()> {
    let lib_rs = cmd::project_root().join(LIB_RS);
    let source =
        fs::read_to_string(&lib_rs).with_context(|| format!("cannot read {}", lib_rs.display()))?;
    if !declares_no_std(&source) {
        bail!("{LIB_RS} does not declare `#![no_std]`");
    }
    for features in FEATURE_SETS {
        let label = features.join(" ");
        timings.step(
            &format!("build {CRATE} {label}"),
            cmd::cargo().args(["build", "-p", CRATE]).args(features),
        )?;
        timings.step(
            &format!("clippy {CRATE} {label}"),
            cmd::cargo()
                .args(["clippy", "-p", CRATE, "--lib"])
                .args(features)
                .args(["--", "-D", "warnings"]),
        )?;
        // `normal` leaves out dev- and build-dependencies and `no-proc-macro` host-only macros,
        // which may all use std freely.
        let tree = cmd::output(
            cmd::cargo()
                .args(["tree", "-p", CRATE, "-e", "features,normal,no-proc-macro"])
                .args(features),
        )?;
        let offenders = std_features(&tree);
        if !offenders.is_empty() {
            bail!(
                "`{CRATE}` with `{label}` turns on `std` in its dependencies:\n  {}",
                offenders.join("\n  ")
            );
        }
        eprintln!("no-std: `{CRATE}` with `{label}`: no dependency has `std` enabled");
    }
    Ok(())
}

/// Whether a crate root declares `#![no_std]`, plainly or through `cfg_attr`.
fn declares_no_std(source: &str) -> bool {
    source.lines().map(str::trim).any(|line| {
        line.starts_with("#![no_std]")
            || (line.starts_with("#![cfg_attr(") && line.contains("no_std"))
    })
}

/// The `cargo tree -e features` lines that enable some crate's `std` feature.
fn std_features(tree: &str) -> Vec<&str> {
    tree.lines()
        .filter(|line| line.contains("feature \"std\""))
        .map(str::trim)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_std_features_anywhere_in_the_tree() {
        let tree = "\
oss-envelope v0.1.0 (/w/crates/oss-envelope)
├── aes feature \"default\"
│   └── aes v0.9.0
├── base64 feature \"alloc\"
│   └── base64 v0.23.0
└── getrandom feature \"std\"
    └── getrandom v0.4.0
";
        assert_eq!(std_features(tree), ["└── getrandom feature \"std\""]);
        assert!(std_features("oss-envelope v0.1.0\n├── aes feature \"zeroize\"\n").is_empty());
    }

    #[test]
    fn recognises_no_std_declarations() {
        assert!(declares_no_std("//! Docs.\n\n#![no_std]\n"));
        assert!(declares_no_std(
            "#![cfg_attr(not(feature = \"std\"), no_std)]\n"
        ));
        assert!(!declares_no_std("//! Mentions #![no_std] in a doc line.\n"));
        assert!(!declares_no_std("#![forbid(unsafe_code)]\n"));
    }
}
