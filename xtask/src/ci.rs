//! `cargo xtask ci`: everything CI checks, the one definition `.ci/run` calls (after it
//! installed what must exist first: Go, a JDK and Maven for the interop drivers).
//!
//! Every step runs even when an earlier one failed, so one run reports all failures. The end
//! prints the test counts, the failed tests, each step's time and outcome, and fails if any
//! step failed.

use core::time::Duration;
use std::process::Command;
use std::time::Instant;

use anyhow::bail;

use crate::cmd::{self, Timings};
use crate::flags::{BenchOptions, FuzzOptions, InteropOptions};
use crate::{bench, fuzz, interop, no_std};

/// Dependencies that a build of oss-keywrap without its `kms` feature must not have.
const KMS_ONLY_CRATES: [&str; 5] = [
    "reqwest",
    "tokio",
    "hyper",
    "oss-transport",
    "oss-credentials",
];

/// Runs every CI step; fails if any failed.
pub(crate) fn run() -> anyhow::Result<()> {
    let mut ci = Ci::default();
    ci.cargo("format", &["fmt", "--all", "--check"]);
    ci.cargo("clippy", &clippy(&["--workspace"]));
    ci.tests("tests: cargo test --workspace", &["--workspace"]);
    // The workspace run unifies features, so oss-envelope is built with the aws-lc backend
    // that oss-crypto-bucket enables by default; this run covers the RustCrypto (no_std) one.
    ci.tests(
        "tests: oss-envelope alone (RustCrypto cipher backend)",
        &["-p", "oss-envelope"],
    );
    feature_builds(&mut ci);
    ci.step("docs", || {
        let mut doc = cmd::cargo();
        doc.args(["doc", "--workspace", "--no-deps", "--locked"])
            .env("RUSTDOCFLAGS", "-D warnings");
        cmd::run(&mut doc).map(drop)
    });
    ci.step("no_std proof", || no_std::check(&mut Timings::default()));
    ci.step("fuzz smoke (20 s per target)", || {
        fuzz::run(&FuzzOptions {
            seconds: 20,
            seeds_only: false,
            targets: Vec::new(),
        })
    });
    ci.step("interop with the official Python, Go and Java SDKs", || {
        interop::run(&InteropOptions {
            scripts: Vec::new(),
        })
    });
    // Quick variants that fit CI's time: each prints its figures as ratios against a baseline
    // measured in the same run. The README's table comes from full `cargo xtask bench` runs.
    ci.step("benchmarks (quick): rsa-unwrap small-objects", || {
        bench::run(&BenchOptions {
            quick: true,
            names: vec!["rsa-unwrap".into(), "small-objects".into()],
        })
    });
    ci.finish()
}

/// The builds without default features that the workspace run (which unifies features)
/// cannot see: osscrypt without the embedded devserver, oss-keywrap and oss-crypto-bucket
/// without KMS.
fn feature_builds(ci: &mut Ci) {
    ci.cargo(
        "clippy: osscrypt without the embedded devserver",
        &clippy(&["-p", "osscrypt", "--no-default-features"]),
    );
    ci.tests(
        "tests: osscrypt without the embedded devserver",
        &[
            "-p",
            "osscrypt",
            "--no-default-features",
            "--test",
            "it",
            "without_devserver::",
        ],
    );
    ci.cargo(
        "clippy: oss-keywrap and oss-crypto-bucket without kms",
        &clippy(&[
            "-p",
            "oss-keywrap",
            "-p",
            "oss-crypto-bucket",
            "--no-default-features",
        ]),
    );
    ci.step("oss-keywrap without kms: no HTTP stack", || {
        let tree = cmd::output(cmd::cargo().args([
            "tree",
            "-p",
            "oss-keywrap",
            "--no-default-features",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--locked",
        ]))?;
        let found = kms_only_crates(&tree);
        if !found.is_empty() {
            bail!("oss-keywrap without `kms` depends on {}", found.join(", "));
        }
        Ok(())
    });
}

/// `cargo clippy <selection> --all-targets --locked -- -D warnings`.
fn clippy<'a>(selection: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["clippy"];
    args.extend_from_slice(selection);
    args.extend(["--all-targets", "--locked", "--", "-D", "warnings"]);
    args
}

/// The crates of [`KMS_ONLY_CRATES`] in a `cargo tree --prefix none` listing.
fn kms_only_crates(tree: &str) -> Vec<&str> {
    let mut found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split(' ').next())
        .filter(|name| KMS_ONLY_CRATES.contains(name))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// One step's name, duration and failure (if any).
#[derive(Debug)]
struct Outcome {
    name: String,
    took: Duration,
    error: Option<String>,
}

/// The steps run so far and the stdout lines of the test runs.
#[derive(Debug)]
struct Ci {
    started: Instant,
    outcomes: Vec<Outcome>,
    test_lines: Vec<String>,
}

impl Default for Ci {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            outcomes: Vec::new(),
            test_lines: Vec::new(),
        }
    }
}

impl Ci {
    /// Runs `work` as step `name` and records its outcome; a failure does not stop the run.
    fn step(&mut self, name: &str, work: impl FnOnce() -> anyhow::Result<()>) {
        eprintln!("\n=== {name} ({}s)", self.started.elapsed().as_secs());
        let start = Instant::now();
        let error = work().err().map(|e| format!("{e:#}"));
        if let Some(error) = &error {
            eprintln!("ci: step `{name}` failed: {error}");
        }
        self.outcomes.push(Outcome {
            name: name.to_owned(),
            took: start.elapsed(),
            error,
        });
    }

    /// A `cargo <args>` step.
    fn cargo(&mut self, name: &str, args: &[&str]) {
        self.step(name, || cmd::run(cmd::cargo().args(args)).map(drop));
    }

    /// A `cargo test --locked <args>` step with the shared vectors required; its `test
    /// result` lines feed the summary.
    fn tests(&mut self, name: &str, args: &[&str]) {
        let mut test: Command = cmd::cargo();
        test.args(["test", "--locked"])
            .args(args)
            .env("OSS_CRYPTO_REQUIRE_VECTORS", "1");
        let mut lines = Vec::new();
        self.step(name, || cmd::run_teed(&mut test, &mut lines).map(drop));
        self.test_lines.append(&mut lines);
    }

    /// Prints the summary; fails if any step failed.
    fn finish(self) -> anyhow::Result<()> {
        eprintln!("\n=== test summary");
        let counts = TestCounts::from_lines(&self.test_lines);
        eprintln!(
            "test binaries: {}, passed: {}, failed: {}, ignored: {}",
            counts.binaries, counts.passed, counts.failed, counts.ignored
        );
        for line in self.test_lines.iter().filter(|l| is_failure_line(l)) {
            eprintln!("{line}");
        }
        eprintln!("\nsteps:");
        for outcome in &self.outcomes {
            let verdict = if outcome.error.is_some() {
                "FAILED"
            } else {
                "ok"
            };
            eprintln!(
                "  {:>7.1} s  {verdict:<6}  {}",
                outcome.took.as_secs_f64(),
                outcome.name
            );
        }
        eprintln!("total time: {}s", self.started.elapsed().as_secs());
        let failed: Vec<&str> = self
            .outcomes
            .iter()
            .filter(|o| o.error.is_some())
            .map(|o| o.name.as_str())
            .collect();
        if !failed.is_empty() {
            bail!("{} step(s) failed: {}", failed.len(), failed.join("; "));
        }
        eprintln!("ci: all checks passed");
        Ok(())
    }
}

/// A failed test (`test a::b ... FAILED`) or a failed binary's result line.
fn is_failure_line(line: &str) -> bool {
    line.starts_with("test result: FAILED")
        || (line.starts_with("test ") && line.ends_with(" FAILED"))
}

/// Totals over libtest's `test result:` lines.
#[derive(Debug, Default, PartialEq, Eq)]
struct TestCounts {
    binaries: u64,
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl TestCounts {
    /// Sums lines like `test result: ok. 28 passed; 0 failed; 1 ignored; 0 measured; ...`.
    fn from_lines(lines: &[String]) -> Self {
        let mut counts = Self::default();
        for rest in lines.iter().filter_map(|l| l.strip_prefix("test result: ")) {
            counts.binaries += 1;
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(label), Some(number)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(number) = number.parse::<u64>() else {
                    continue;
                };
                match label {
                    "passed" => counts.passed += number,
                    "failed" => counts.failed += number,
                    "ignored" => counts.ignored += number,
                    _ => {}
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_sum_every_result_line() {
        let lines: Vec<String> = [
            "running 3 tests",
            "test a::b ... ok",
            "test result: ok. 28 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.09s",
            "test result: FAILED. 5 passed; 2 failed; 0 ignored; 0 measured; 3 filtered out; finished in 1.00s",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            TestCounts::from_lines(&lines),
            TestCounts {
                binaries: 2,
                passed: 33,
                failed: 2,
                ignored: 1
            }
        );
    }

    #[test]
    fn failure_lines_are_failed_tests_and_failed_results() {
        assert!(is_failure_line("test remote::put_get ... FAILED"));
        assert!(is_failure_line("test result: FAILED. 1 passed; 1 failed;"));
        assert!(!is_failure_line("test remote::put_get ... ok"));
        assert!(!is_failure_line("test result: ok. 1 passed; 0 failed;"));
    }

    #[test]
    fn kms_only_crates_are_found_by_name_only() {
        let tree = "oss-keywrap v0.1.0 (/x)\nrsa v0.10.0\ntokio v1.54.1\ntokio v1.54.1 (*)\n\
                    tokio-util v0.7.0\nreqwest v0.13.5\n";
        assert_eq!(kms_only_crates(tree), ["reqwest", "tokio"]);
        assert!(kms_only_crates("oss-keywrap v0.1.0 (/x)\nrsa v0.10.0\n").is_empty());
    }
}
