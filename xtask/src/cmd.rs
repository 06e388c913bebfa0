//! Running external commands: `$CARGO`, the project root, echoing and timing.

use core::time::Duration;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

/// The repository root (the parent of `xtask/`).
pub(crate) fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// A `cargo` command (the one running us, from `$CARGO`) in the project root.
pub(crate) fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(program);
    cmd.current_dir(project_root());
    cmd
}

/// A command run through the rustup proxy with `+<toolchain>`, for tools that need nightly.
///
/// `$CARGO` is a concrete toolchain's cargo that does not understand `+toolchain`, and the
/// variables rustup and cargo set for us would pin nested invocations to that toolchain.
pub(crate) fn rustup_cargo(toolchain: &str) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.arg(format!("+{toolchain}"))
        .current_dir(project_root())
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC");
    cmd
}

/// The command line as a shell would show it (for logs).
pub(crate) fn display(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `cmd` with inherited stdio; fails unless it exits 0. Returns how long it took.
pub(crate) fn run(cmd: &mut Command) -> anyhow::Result<Duration> {
    let line = display(cmd);
    eprintln!("$ {line}");
    let start = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed: {status}");
    }
    Ok(start.elapsed())
}

/// As [`run`], also appending the lines `cmd` prints on stdout to `lines` (they are passed
/// through as they come, and kept when the command fails).
pub(crate) fn run_teed(cmd: &mut Command, lines: &mut Vec<String>) -> anyhow::Result<Duration> {
    use std::io::{BufRead as _, Write as _};
    let line = display(cmd);
    eprintln!("$ {line}");
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start `{line}`"))?;
    let mut reader = std::io::BufReader::new(child.stdout.take().context("no stdout pipe")?);
    let mut stdout = std::io::stdout().lock();
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf)? > 0 {
        stdout.write_all(&buf)?;
        lines.push(String::from_utf8_lossy(&buf).trim_end().to_owned());
        buf.clear();
    }
    stdout.flush()?;
    let status = child.wait()?;
    if !status.success() {
        bail!("`{line}` failed: {status}");
    }
    Ok(start.elapsed())
}

/// Runs `cmd` and returns its stdout; stderr passes through. Fails unless it exits 0.
pub(crate) fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let line = display(cmd);
    eprintln!("$ {line}");
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start `{line}`"))?;
    if !out.status.success() {
        bail!("`{line}` failed: {}", out.status);
    }
    String::from_utf8(out.stdout).with_context(|| format!("`{line}` printed non-UTF-8 output"))
}

/// Whether `cmd` starts and exits 0 (its output is discarded).
pub(crate) fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Collects named step durations and prints them as a summary.
#[derive(Debug, Default)]
pub(crate) struct Timings {
    steps: Vec<(String, Duration)>,
}

impl Timings {
    /// Runs `cmd` as step `name`, recording its duration.
    pub(crate) fn step(&mut self, name: &str, cmd: &mut Command) -> anyhow::Result<()> {
        eprintln!("\n==> {name}");
        let took = run(cmd).with_context(|| format!("step `{name}` failed"))?;
        self.steps.push((name.to_owned(), took));
        Ok(())
    }

    /// Prints every step and the total.
    pub(crate) fn print(&self) {
        eprintln!("\nsteps:");
        let mut total = Duration::ZERO;
        for (name, took) in &self.steps {
            eprintln!("  {:>7.1} s  {name}", took.as_secs_f64());
            total += *took;
        }
        eprintln!("  {:>7.1} s  total", total.as_secs_f64());
    }
}
