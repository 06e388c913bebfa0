//! What the benches that run `osscrypt` as a process share: the environment that points it at
//! a dev server process, pinning client and server to cores of their own, and the peak RSS of
//! a child (the kernel's high-water mark, `VmHWM` in `/proc/<pid>/status`, read every 10 ms).

use core::time::Duration;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};

use crate::interop::devserver::DevServerProcess;

/// The core of the dev server when the bench pins; the clients run on [`CLIENT_CPU`].
pub(crate) const SERVER_CPU: usize = 0;
/// The core of the measured clients when the bench pins.
pub(crate) const CLIENT_CPU: usize = 1;

/// Whether client and server can each have a core: two or more cores and `taskset`.
pub(crate) fn can_pin() -> bool {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores >= 2 && crate::cmd::succeeds(Command::new("taskset").args(["-c", "0", "true"]))
}

/// The environment that points osscrypt at the bench's server, in the work directory.
pub(crate) struct Env {
    vars: Vec<(&'static str, String)>,
    dir: PathBuf,
    /// Run the clients on [`CLIENT_CPU`].
    pin: bool,
}

impl Env {
    /// The server's connection variables; commands run in `dir` (also their `$HOME`).
    pub(crate) fn new(server: &DevServerProcess, dir: &Path, pin: bool) -> anyhow::Result<Self> {
        let var = |name: &str| server.var(name).map(str::to_owned);
        let vars = vec![
            ("OSS_ENDPOINT", var("OSS_ENDPOINT")?),
            ("OSS_REGION", var("OSS_REGION")?),
            ("OSS_ACCESS_KEY_ID", var("OSS_ACCESS_KEY_ID")?),
            ("OSS_ACCESS_KEY_SECRET", var("OSS_ACCESS_KEY_SECRET")?),
            ("OSS_KMS_ENDPOINT", var("KMS_ENDPOINT")?),
        ];
        Ok(Self {
            vars,
            dir: dir.to_path_buf(),
            pin,
        })
    }

    /// A variable of the server (`OSS_ENDPOINT`, ...).
    pub(crate) fn var(&self, name: &str) -> &str {
        self.vars
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// `program` with the environment, in the work directory, on the client core when pinning.
    pub(crate) fn command(&self, program: &Path) -> Command {
        let mut command = if self.pin {
            let mut taskset = Command::new("taskset");
            taskset.args(["-c", &CLIENT_CPU.to_string()]).arg(program);
            taskset
        } else {
            Command::new(program)
        };
        command
            .current_dir(&self.dir)
            .env("HOME", &self.dir)
            .envs(self.vars.iter().map(|(k, v)| (*k, v.as_str())));
        command
    }
}

/// Waits for `child`, reading its peak RSS in bytes while it runs.
pub(crate) fn wait_with_peak_rss(child: &mut Child) -> anyhow::Result<(ExitStatus, u64)> {
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak = 0;
    loop {
        if let Some(kb) = fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(high_water_kib)
        {
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = child.try_wait()? {
            return Ok((status, peak));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `VmHWM:   12345 kB` -> 12345.
fn high_water_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_high_water_mark() {
        let status = "Name:\tosscrypt\nVmPeak:\t  999 kB\nVmHWM:\t   20480 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(high_water_kib(status), Some(20480));
        assert_eq!(high_water_kib("Name: x\n"), None);
    }
}
