//! Hand-parsed command line: `cargo xtask <task> [options]`.

use anyhow::{Context, bail};

/// Usage text printed by `cargo xtask help`.
pub(crate) const HELP: &str = "\
cargo xtask <task> [options]

tasks:
  ci                          everything CI checks (.ci/run calls it): fmt, clippy, tests, builds
                              without default features, docs, no_std, fuzz smoke, interop,
                              quick benches; all steps run, then a summary
  no-std                      only the no_std proof for oss-envelope
  fuzz [--seconds N] [--seeds-only] [target...]
                              regenerate seed corpora and run cargo-fuzz targets (default 10 s each)
  bench [--quick] [name...]   run the registered benchmarks (criterion and bench binaries)
  bench-cipher                our AES-256-CTR throughput against `openssl speed`
  interop [driver...]         run the Python and Go SDK drivers of xtask/interop against the dev server
  help                        this text
";

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Task {
    Help,
    Ci,
    NoStd,
    Fuzz(FuzzOptions),
    Bench(BenchOptions),
    BenchCipher,
    Interop(InteropOptions),
}

/// Options of `cargo xtask fuzz`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FuzzOptions {
    /// libFuzzer's `-max_total_time` per target.
    pub(crate) seconds: u64,
    /// Only regenerate the seed corpora.
    pub(crate) seeds_only: bool,
    /// Targets to run; empty means all.
    pub(crate) targets: Vec<String>,
}

/// Options of `cargo xtask bench`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BenchOptions {
    /// Pass criterion's `--quick`.
    pub(crate) quick: bool,
    /// Registered benchmarks to run; empty means all.
    pub(crate) names: Vec<String>,
}

/// Options of `cargo xtask interop`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct InteropOptions {
    /// Script stems to run (`devserver_pyv2`); empty means all.
    pub(crate) scripts: Vec<String>,
}

/// Parses the arguments after `cargo xtask`.
pub(crate) fn parse(args: &[String]) -> anyhow::Result<Task> {
    let Some((task, rest)) = args.split_first() else {
        return Ok(Task::Help);
    };
    let task = match task.as_str() {
        "help" | "-h" | "--help" => Task::Help,
        "ci" => no_args(Task::Ci, rest)?,
        "no-std" => no_args(Task::NoStd, rest)?,
        "fuzz" => Task::Fuzz(parse_fuzz(rest)?),
        "bench" => Task::Bench(parse_bench(rest)?),
        "bench-cipher" => no_args(Task::BenchCipher, rest)?,
        "interop" => Task::Interop(InteropOptions {
            scripts: positional(rest)?,
        }),
        other => bail!("unknown task `{other}`; run `cargo xtask help`"),
    };
    Ok(task)
}

fn no_args(task: Task, rest: &[String]) -> anyhow::Result<Task> {
    match rest.first() {
        None => Ok(task),
        Some(arg) => bail!("unexpected argument `{arg}`"),
    }
}

fn positional(rest: &[String]) -> anyhow::Result<Vec<String>> {
    if let Some(flag) = rest.iter().find(|a| a.starts_with('-')) {
        bail!("unknown option `{flag}`");
    }
    Ok(rest.to_vec())
}

fn parse_fuzz(rest: &[String]) -> anyhow::Result<FuzzOptions> {
    let mut options = FuzzOptions {
        seconds: 10,
        seeds_only: false,
        targets: Vec::new(),
    };
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        if let Some(value) = arg.strip_prefix("--seconds=") {
            options.seconds = parse_seconds(value)?;
        } else if arg == "--seconds" {
            let value = iter.next().context("`--seconds` needs a value")?;
            options.seconds = parse_seconds(value)?;
        } else if arg == "--seeds-only" {
            options.seeds_only = true;
        } else if arg.starts_with('-') {
            bail!("unknown option `{arg}`");
        } else {
            options.targets.push(arg.clone());
        }
    }
    Ok(options)
}

fn parse_seconds(value: &str) -> anyhow::Result<u64> {
    let seconds: u64 = value
        .parse()
        .with_context(|| format!("`--seconds {value}` is not a whole number"))?;
    if seconds == 0 {
        bail!("`--seconds` must be at least 1");
    }
    Ok(seconds)
}

fn parse_bench(rest: &[String]) -> anyhow::Result<BenchOptions> {
    let quick = rest.iter().any(|a| a == "--quick");
    let names: Vec<String> = rest.iter().filter(|a| *a != "--quick").cloned().collect();
    Ok(BenchOptions {
        quick,
        names: positional(&names)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn no_arguments_prints_help() {
        assert_eq!(parse(&[]).unwrap(), Task::Help);
    }

    #[test]
    fn fuzz_takes_seconds_in_both_spellings_and_targets() {
        let expected = Task::Fuzz(FuzzOptions {
            seconds: 20,
            seeds_only: false,
            targets: vec!["range_spec".into(), "content_range".into()],
        });
        assert_eq!(
            parse(&args("fuzz --seconds 20 range_spec content_range")).unwrap(),
            expected
        );
        assert_eq!(
            parse(&args("fuzz range_spec --seconds=20 content_range")).unwrap(),
            expected
        );
    }

    #[test]
    fn fuzz_rejects_bad_seconds() {
        assert!(parse(&args("fuzz --seconds")).is_err());
        assert!(parse(&args("fuzz --seconds ten")).is_err());
        assert!(parse(&args("fuzz --seconds 0")).is_err());
    }

    #[test]
    fn unknown_tasks_and_options_are_errors() {
        assert!(parse(&args("deploy")).is_err());
        assert!(parse(&args("ci --fast")).is_err());
        assert!(parse(&args("bench --slow")).is_err());
        assert!(parse(&args("interop --verbose")).is_err());
    }

    #[test]
    fn bench_and_interop_take_names() {
        assert_eq!(
            parse(&args("bench --quick cipher")).unwrap(),
            Task::Bench(BenchOptions {
                quick: true,
                names: vec!["cipher".into()],
            })
        );
        assert_eq!(
            parse(&args("interop devserver_pyv2")).unwrap(),
            Task::Interop(InteropOptions {
                scripts: vec!["devserver_pyv2".into()],
            })
        );
    }
}
