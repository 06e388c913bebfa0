//! Starting the `oss-devserver` binary and reading the connection details it prints.
//!
//! The binary prints `NAME=value` lines (`OSS_ENDPOINT`, `OSS_REGION`, `OSS_ACCESS_KEY_ID`,
//! `OSS_ACCESS_KEY_SECRET`, `KMS_ENDPOINT`), then a `#` comment line, then serves until killed.

use core::time::Duration;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, bail};

/// Variables the dev server must print before it is usable.
const REQUIRED: [&str; 5] = [
    "OSS_ENDPOINT",
    "OSS_REGION",
    "OSS_ACCESS_KEY_ID",
    "OSS_ACCESS_KEY_SECRET",
    "KMS_ENDPOINT",
];
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// A running dev server process; killed when dropped.
#[derive(Debug)]
pub(crate) struct DevServerProcess {
    child: Child,
    /// The `NAME=value` pairs it printed.
    pub(crate) vars: BTreeMap<String, String>,
    /// Its stderr, for diagnosing failures.
    pub(crate) log: PathBuf,
}

impl DevServerProcess {
    /// Starts `binary` on ephemeral loopback ports, logging stderr to `log`, and waits for its
    /// connection details.
    pub(crate) fn start(binary: &Path, log: &Path) -> anyhow::Result<Self> {
        Self::start_with(binary, log, &[])
    }

    /// As [`start`](Self::start), with extra command-line arguments (`--bucket`, ...).
    pub(crate) fn start_with(binary: &Path, log: &Path, extra: &[&str]) -> anyhow::Result<Self> {
        Self::start_on(Command::new(binary), binary, log, extra)
    }

    /// As [`start_with`](Self::start_with), every thread of the server on core `cpu`
    /// (`taskset`, which execs the server: the child is the server itself).
    pub(crate) fn start_pinned(
        binary: &Path,
        log: &Path,
        extra: &[&str],
        cpu: usize,
    ) -> anyhow::Result<Self> {
        let mut taskset = Command::new("taskset");
        taskset.args(["-c", &cpu.to_string()]).arg(binary);
        Self::start_on(taskset, binary, log, extra)
    }

    fn start_on(
        mut command: Command,
        binary: &Path,
        log: &Path,
        extra: &[&str],
    ) -> anyhow::Result<Self> {
        let log_file =
            File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut child = command
            .args(["--listen", "127.0.0.1:0", "--kms-listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout pipe")?;
        let mut server = Self {
            child,
            vars: BTreeMap::new(),
            log: log.to_path_buf(),
        };
        let (tx, rx) = mpsc::channel();
        // Reads until the comment line; keeps draining afterwards so the server never blocks.
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        while !REQUIRED.iter().all(|k| server.vars.contains_key(*k)) {
            let line = rx.recv_timeout(STARTUP_TIMEOUT).map_err(|_| {
                anyhow::anyhow!(
                    "oss-devserver printed no connection details within {STARTUP_TIMEOUT:?} (log: {})",
                    server.log.display()
                )
            })?;
            if let Some((name, value)) = parse_line(&line) {
                server.vars.insert(name.to_owned(), value.to_owned());
            }
        }
        Ok(server)
    }

    /// A printed variable.
    pub(crate) fn var(&self, name: &str) -> anyhow::Result<&str> {
        match self.vars.get(name) {
            Some(value) => Ok(value),
            None => bail!("oss-devserver did not print {name}"),
        }
    }
}

impl Drop for DevServerProcess {
    fn drop(&mut self) {
        // The server runs until killed; a failed kill means it already exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `NAME=value` -> `(NAME, value)`; comments and other lines -> `None`.
fn parse_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.trim_end().split_once('=')?;
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    valid.then_some((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_value_lines_only() {
        assert_eq!(
            parse_line("OSS_ENDPOINT=http://127.0.0.1:4000\n"),
            Some(("OSS_ENDPOINT", "http://127.0.0.1:4000"))
        );
        assert_eq!(parse_line("# path-style addressing"), None);
        assert_eq!(parse_line("lower=case"), None);
        assert_eq!(parse_line("=x"), None);
        assert_eq!(parse_line("KEY=a=b"), Some(("KEY", "a=b")));
    }
}
