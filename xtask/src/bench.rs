//! `cargo xtask bench`: the one registry of every benchmark in the repository.
//!
//! To add a benchmark, add an entry to [`BENCHES`]: a criterion bench of the `benches/` crate,
//! a criterion bench of a workspace crate, or a bench binary of a workspace crate. A bench that
//! compares against oss2 gets the interop venv's Python (see [`with_oss2_python`]); a bench
//! that states its figures against `openssl speed` gets OpenSSL's figure, measured just before
//! it in the same run, as arguments (see [`Baseline`]).

use std::process::Command;

use anyhow::{Context, bail};

use crate::cmd::{self, Timings};
use crate::flags::BenchOptions;
use crate::{interop, metadata, openssl};

/// The variable through which a bench finds a Python that has oss2.
const OSS2_PYTHON_ENV: &str = "OSS_CRYPTO_PYTHON";
/// The variable through which a bench finds the Go SDK v2 bench driver.
const GO_BENCH_ENV: &str = "OSS_CRYPTO_GO_BENCH";
/// The Go bench driver's package, below the interop Go module (not a top-level interop driver).
const GO_BENCH_DRIVER: &str = "bench/gov2";
/// The variable through which a bench finds the Java bench driver's class path (its main class
/// is `ossinterop.Bench` of the interop Maven project).
const JAVA_BENCH_ENV: &str = "OSS_CRYPTO_JAVA_BENCH";

/// How a registered benchmark is run.
#[allow(dead_code, reason = "kinds for the benches other crates register")]
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `cargo bench --manifest-path <manifest> --bench <bench>` (a crate outside the workspace).
    External {
        manifest: &'static str,
        bench: &'static str,
    },
    /// `cargo bench -p <package> --bench <bench>`.
    Criterion {
        package: &'static str,
        bench: &'static str,
    },
    /// `cargo run --release -p <package> --bin <bin> -- <args>` (`quick_args` with `--quick`).
    Binary {
        package: &'static str,
        bin: &'static str,
        args: &'static [&'static str],
        quick_args: &'static [&'static str],
    },
    /// A function of its own xtask module that builds and runs processes itself; it gets
    /// `--quick`.
    Task(fn(bool) -> anyhow::Result<()>),
    /// `cargo run --release -p <package> --example <example> -- <args>`.
    Example {
        package: &'static str,
        example: &'static str,
        args: &'static [&'static str],
        quick_args: &'static [&'static str],
    },
}

/// An `openssl speed` figure a bench compares against, passed as arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Baseline {
    /// `--openssl-aes-ctr-bps <bytes/s>`: single-core AES-256-CTR, 16 KiB blocks, per CPU
    /// second (the floor of a client's CPU time).
    AesCtr,
    /// `--openssl-rsa2048-op-secs <s>` and `--openssl-rsa3072-op-secs <s>`: one private-key
    /// operation.
    RsaPrivateOp,
}

impl Baseline {
    /// Measures the figure (shorter with `--quick`) and returns it as arguments.
    fn arguments(self, quick: bool) -> anyhow::Result<Vec<String>> {
        let seconds = if quick { 1 } else { 3 };
        Ok(match self {
            Self::AesCtr => vec![
                "--openssl-aes-ctr-bps".to_owned(),
                format!(
                    "{:.0}",
                    openssl::aes_ctr_rate(seconds, openssl::Clock::Cpu)?
                ),
            ],
            Self::RsaPrivateOp => openssl::rsa_private_op_secs(&[2048, 3072], seconds)?
                .into_iter()
                .flat_map(|(bits, secs)| {
                    [format!("--openssl-rsa{bits}-op-secs"), format!("{secs}")]
                })
                .collect(),
        })
    }
}

/// A registered benchmark.
#[derive(Debug, Clone, Copy)]
struct Bench {
    name: &'static str,
    about: &'static str,
    kind: Kind,
    /// Runs oss2 for a comparison, so it needs [`OSS2_PYTHON_ENV`].
    oss2: bool,
    /// Runs the Go SDK v2 and Java bench drivers for a comparison, so it needs
    /// [`GO_BENCH_ENV`] and [`JAVA_BENCH_ENV`].
    sdk_peers: bool,
    /// OpenSSL figures the bench prints its own against (only for `Binary`/`Example` kinds).
    baselines: &'static [Baseline],
}

const BENCHES: &[Bench] = &[
    Bench {
        name: "cipher",
        about: "oss-envelope content cipher: 64 MiB streams, 1 MiB buffers, small objects, seek",
        kind: Kind::External {
            manifest: "benches/Cargo.toml",
            bench: "cipher",
        },
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
    Bench {
        name: "client-throughput",
        about: "oss-client put/get against the in-memory dev server, with a loopback TCP baseline",
        kind: Kind::Criterion {
            package: "oss-client",
            bench: "throughput",
        },
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
    Bench {
        name: "devserver-throughput",
        about: "oss-devserver loopback PutObject/GetObject of 256 MiB (bounds client benches)",
        kind: Kind::Criterion {
            package: "oss-devserver",
            bench: "throughput",
        },
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
    Bench {
        name: "bucket-bench",
        about: "CryptoBucket encrypted vs plaintext parallel multipart put/get, resumable peak RSS, \
                throughput vs oss2's CryptoBucket on the same dev server",
        kind: Kind::Example {
            package: "oss-crypto-bucket",
            example: "bucket_bench",
            args: &["--profile"],
            quick_args: &["--size-mib", "64"],
        },
        oss2: true,
        sdk_peers: true,
        baselines: &[Baseline::AesCtr],
    },
    Bench {
        name: "rsa-unwrap",
        about: "RSA-2048/3072 unwrap (two private-key operations) per backend vs openssl speed",
        kind: Kind::Example {
            package: "oss-keywrap",
            example: "rsa_unwrap_bench",
            args: &[],
            quick_args: &["--seconds", "1"],
        },
        oss2: false,
        sdk_peers: false,
        baselines: &[Baseline::RsaPrivateOp],
    },
    Bench {
        name: "small-objects",
        about: "10 000 x 4 KiB encrypted put/get at concurrency 16 (RSA-2048/3072 per backend, KMS), \
                server in its own process",
        kind: Kind::Example {
            package: "oss-crypto-bucket",
            example: "small_objects_bench",
            args: &[],
            quick_args: &["--objects", "500"],
        },
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
    Bench {
        name: "stdin-rss",
        about: "peak RSS of `head -c 2G /dev/urandom | osscrypt put -` (budget 96 MiB) against a \
                1 MiB baseline, server in its own process",
        kind: Kind::Task(crate::bench_stdin::run),
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
    Bench {
        name: "bulk",
        about: "osscrypt cp -r of 10 000 x 4 KiB up and down vs oss2's CryptoBucket (loop and \
                16-thread pool), rotate --prefix and audit objects/s, sync of 2 GiB of mixed \
                sizes: peak RSS vs jobs x part size + 64 MiB (server in its own process)",
        kind: Kind::Task(crate::bench_bulk::run),
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
    Bench {
        name: "scale",
        about: "1 MiB ranged read and head of a 4 GiB vs a 1 MiB object, peak RSS of 1 and 8 GiB \
                resumable transfers (server in its own process, objects on disk)",
        kind: Kind::Example {
            package: "oss-crypto-bucket",
            example: "scale_bench",
            args: &[],
            quick_args: &[
                "--big-mib",
                "256",
                "--rss-mib",
                "64,512",
                "--reads",
                "16",
                "--heads",
                "200",
            ],
        },
        oss2: false,
        sdk_peers: false,
        baselines: &[],
    },
];

/// Runs the selected (default: all) registered benchmarks.
pub(crate) fn run(options: &BenchOptions) -> anyhow::Result<()> {
    check_registry()?;
    let selected = select(&options.names)?;
    let mut timings = Timings::default();
    for bench in selected {
        eprintln!("bench {}: {}", bench.name, bench.about);
        if let Kind::Task(task) = bench.kind {
            task(options.quick)?;
            continue;
        }
        let mut command = command(bench.kind, options.quick);
        for baseline in bench.baselines {
            command.args(baseline.arguments(options.quick)?);
        }
        if bench.oss2 {
            with_oss2_python(&mut command);
        }
        if bench.sdk_peers {
            with_go_bench(&mut command);
            with_java_bench(&mut command);
        }
        timings.step(&format!("bench {}", bench.name), &mut command)?;
    }
    timings.print();
    Ok(())
}

/// Points `command` at the interop venv's Python (created and its pinned SDKs installed as
/// `cargo xtask interop` does) unless the caller chose one; without it the bench skips its
/// oss2 comparison, so a failure here is a warning, not an error.
fn with_oss2_python(command: &mut Command) {
    if std::env::var_os(OSS2_PYTHON_ENV).is_some() {
        return;
    }
    match interop::ensure_venv(&cmd::project_root()) {
        Ok(python) => {
            command.env(OSS2_PYTHON_ENV, python);
        }
        Err(err) => {
            eprintln!("bench: no Python with oss2 ({err:#}); the oss2 comparison is skipped")
        }
    }
}

/// Builds the Go SDK v2 bench driver with the interop Go module's pinned SDK and points
/// `command` at it, unless the caller chose one; without Go the bench skips the comparison.
fn with_go_bench(command: &mut Command) {
    if std::env::var_os(GO_BENCH_ENV).is_some() {
        return;
    }
    let built = metadata::load().and_then(|m| {
        let out = m.target_directory.join("bench-go");
        std::fs::create_dir_all(out.join("bench"))?;
        interop::go::build(&cmd::project_root(), GO_BENCH_DRIVER, &out)
    });
    match built {
        Ok(binary) => {
            command.env(GO_BENCH_ENV, binary);
        }
        Err(err) => eprintln!("bench: no Go bench driver ({err:#}); the Go comparison is skipped"),
    }
}

/// Compiles the interop Maven project as the `java` interop driver does (newest SDK, lockfile
/// validated) and points `command` at its class path, unless the caller chose one; without
/// Java or Maven the bench skips the comparison.
fn with_java_bench(command: &mut Command) {
    if std::env::var_os(JAVA_BENCH_ENV).is_some() {
        return;
    }
    let built = metadata::load().and_then(|m| {
        interop::java::compile(
            &cmd::project_root(),
            interop::java::NEWEST,
            &m.target_directory.join("bench-java"),
        )
    });
    match built {
        Ok(classpath) => {
            command.env(JAVA_BENCH_ENV, classpath);
        }
        Err(err) => {
            eprintln!("bench: no Java bench driver ({err:#}); the Java comparison is skipped")
        }
    }
}

fn select(names: &[String]) -> anyhow::Result<Vec<Bench>> {
    if names.is_empty() {
        return Ok(BENCHES.to_vec());
    }
    names
        .iter()
        .map(|name| {
            BENCHES
                .iter()
                .find(|b| b.name == name)
                .copied()
                .with_context(|| {
                    let known: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
                    format!("unknown bench `{name}` (known: {})", known.join(", "))
                })
        })
        .collect()
}

fn command(kind: Kind, quick: bool) -> Command {
    let mut cmd = cmd::cargo();
    match kind {
        Kind::Task(_) => {}
        Kind::External { manifest, bench } => {
            cmd.args(["bench", "--manifest-path", manifest, "--bench", bench]);
        }
        Kind::Criterion { package, bench } => {
            cmd.args(["bench", "-p", package, "--bench", bench]);
        }
        Kind::Binary {
            package,
            bin,
            args,
            quick_args,
        } => {
            cmd.args(["run", "--release", "-p", package, "--bin", bin, "--"]);
            cmd.args(if quick { quick_args } else { args });
            return cmd;
        }
        Kind::Example {
            package,
            example,
            args,
            quick_args,
        } => {
            cmd.args([
                "run",
                "--release",
                "-p",
                package,
                "--example",
                example,
                "--",
            ]);
            cmd.args(if quick { quick_args } else { args });
            return cmd;
        }
    }
    if quick {
        cmd.args(["--", "--quick"]);
    }
    cmd
}

/// Checks that every registered bench points at something that exists.
fn check_registry() -> anyhow::Result<()> {
    let root = cmd::project_root();
    for bench in BENCHES {
        let path = match bench.kind {
            Kind::Task(_) => continue,
            Kind::External { manifest, bench } => {
                let dir = root.join(manifest);
                let dir = dir.parent().context("manifest without a folder")?;
                dir.join("benches").join(format!("{bench}.rs"))
            }
            Kind::Criterion { package, bench } => root
                .join("crates")
                .join(package)
                .join(format!("benches/{bench}.rs")),
            Kind::Binary { package, bin, .. } => root
                .join("crates")
                .join(package)
                .join(format!("src/bin/{bin}.rs")),
            Kind::Example {
                package, example, ..
            } => root
                .join("crates")
                .join(package)
                .join(format!("examples/{example}.rs")),
        };
        if !path.is_file() {
            bail!(
                "bench `{}` needs {}, which is missing",
                bench.name,
                path.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_benches_exist() {
        check_registry().unwrap();
    }

    #[test]
    fn selection_by_name() {
        assert_eq!(select(&["cipher".to_owned()]).unwrap().len(), 1);
        assert!(select(&["nope".to_owned()]).is_err());
    }

    #[test]
    fn quick_examples_get_their_quick_arguments() {
        let bench = select(&["bucket-bench".to_owned()]).unwrap()[0];
        let line = cmd::display(&command(bench.kind, true));
        assert!(
            line.ends_with("--example bucket_bench -- --size-mib 64"),
            "{line}"
        );
        let line = cmd::display(&command(bench.kind, false));
        assert!(
            line.ends_with("--example bucket_bench -- --profile"),
            "{line}"
        );
    }

    #[test]
    fn quick_is_passed_to_criterion() {
        let cmd = command(BENCHES[0].kind, true);
        let line = cmd::display(&cmd);
        assert!(line.ends_with("--bench cipher -- --quick"), "{line}");
    }
}
