//! `cargo xtask ci`: everything CI checks, in the order that fails fastest.

use crate::cmd::{self, Timings};
use crate::{metadata, no_std};

/// Runs fmt, per-package clippy, tests, docs and the no_std proof; stops at the first failure.
pub(crate) fn run() -> anyhow::Result<()> {
    let mut timings = Timings::default();
    timings.step("fmt", cmd::cargo().args(["fmt", "--all", "--check"]))?;
    // Per package, so that one crate's features do not hide another's missing ones.
    for package in metadata::load()?.packages {
        timings.step(
            &format!("clippy {package}"),
            cmd::cargo().args([
                "clippy",
                "-p",
                &package,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    timings.step("test", cmd::cargo().args(["test", "--workspace"]))?;
    timings.step(
        "doc",
        cmd::cargo()
            .args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    no_std::check(&mut timings)?;
    timings.print();
    eprintln!("ci: all checks passed");
    Ok(())
}
