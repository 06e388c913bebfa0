//! `cargo xtask bench bulk`: the bucket-scale commands of the release `osscrypt` against the
//! release `oss-devserver` in its own process (issue 12, "Measured").
//!
//! * 10 000 files of 4 KiB: `cp -r` up and down, in objects per second, against oss2's
//!   `CryptoBucket` over the same files and server in the same run, in a sequential loop and
//!   with a 16-thread pool (`xtask/interop/bench_oss2_bulk.py`); target: at least 10x the loop
//!   and ahead of the pool.
//! * `rotate --prefix` and `audit` over the same objects, in objects per second.
//! * 2 GiB of mixed sizes with `sync`, up and down: peak RSS against the budget
//!   `jobs x part size + 64 MiB`.
//!
//! The server is pinned to core 0 and every measured client (osscrypt, Python) to core 1 when
//! the machine has two cores and `taskset`. `--quick`: 500 files and 256 MiB.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench_proc::{self, Env, SERVER_CPU, wait_with_peak_rss};
use crate::interop::devserver::DevServerProcess;
use crate::{cmd, interop, metadata};

mod files;
mod oss2;

const MIB: u64 = 1024 * 1024;
const BUCKET: &str = "bulk-bench";
/// `--jobs` of every measured command (osscrypt's default) and the oss2 pool's threads.
const JOBS: u64 = 16;
/// osscrypt's default part size.
const PART_SIZE: u64 = 8 * MIB;
/// What the issue allows `sync` on top of `jobs x part size`.
const RSS_SLACK: u64 = 64 * MIB;
/// The issue's targets for `cp -r` against oss2's sequential loop and its thread pool.
const TARGET_VS_LOOP: f64 = 10.0;
const TARGET_VS_POOL: f64 = 1.0;

/// How much work a run does.
struct Scale {
    small_files: usize,
    small_size: usize,
    sync_bytes: u64,
}

/// Runs the bench.
pub(crate) fn run(quick: bool) -> anyhow::Result<()> {
    let scale = if quick {
        Scale {
            small_files: 500,
            small_size: 4096,
            sync_bytes: 256 * MIB,
        }
    } else {
        Scale {
            small_files: 10_000,
            small_size: 4096,
            sync_bytes: 2048 * MIB,
        }
    };
    let python = match interop::ensure_venv(&cmd::project_root()) {
        Ok(python) => Some(python),
        Err(err) => {
            eprintln!("bench bulk: no Python with oss2 ({err:#}); the oss2 comparison is skipped");
            None
        }
    };
    cmd::run(cmd::cargo().args([
        "build",
        "--release",
        "-p",
        "osscrypt",
        "-p",
        "oss-devserver",
    ]))?;
    let release = metadata::load()?.target_directory.join("release");
    // Work files on the target directory's disk: the system temp directory may be tmpfs.
    let work = tempfile::Builder::new()
        .prefix("bench-bulk-")
        .tempdir_in(release.parent().context("target directory")?)?;
    let bench = Bench::start(&release, work.path())?;
    bench.run(&scale, python.as_deref())
}

/// The started server, the client environment and the keys.
struct Bench {
    osscrypt: PathBuf,
    env: Env,
    dir: PathBuf,
    pinned: bool,
    // Declared last: dropped (killed) after the rest.
    _server: DevServerProcess,
}

impl Bench {
    fn start(release: &Path, dir: &Path) -> anyhow::Result<Self> {
        let pinned = bench_proc::can_pin();
        let devserver = release.join("oss-devserver");
        let log = dir.join("devserver.log");
        let args = ["--bucket", BUCKET, "--fast-etags"];
        let server = if pinned {
            DevServerProcess::start_pinned(&devserver, &log, &args, SERVER_CPU)?
        } else {
            DevServerProcess::start_with(&devserver, &log, &args)?
        };
        let env = Env::new(&server, dir, pinned)?;
        let bench = Self {
            osscrypt: release.join("osscrypt"),
            env,
            dir: dir.to_path_buf(),
            pinned,
            _server: server,
        };
        for name in ["old", "new"] {
            bench.osscrypt_ok(&[
                "keygen",
                "--private",
                &format!("{name}-private.pem"),
                "--public",
                &format!("{name}-public.pem"),
            ])?;
        }
        Ok(bench)
    }

    fn run(&self, scale: &Scale, python: Option<&Path>) -> anyhow::Result<()> {
        let n = scale.small_files;
        println!(
            "bench bulk: {n} files of {} KiB, jobs {JOBS}; {}",
            scale.small_size / 1024,
            if self.pinned {
                "dev server on core 0, clients on core 1"
            } else {
                "not pinned (one core or no taskset)"
            }
        );
        let small = self.dir.join("small");
        files::write_small(&small, n, scale.small_size)?;
        let remote = format!("oss://{BUCKET}/small/");
        let jobs = JOBS.to_string();
        let up = self.rate(
            n,
            &[
                "cp",
                "-r",
                "--md5",
                "--jobs",
                &jobs,
                "--rsa-public",
                "old-public.pem",
                path(&small)?,
                &remote,
            ],
        )?;
        let down_dir = self.dir.join("small-down");
        let down = self.rate(
            n,
            &[
                "cp",
                "-r",
                "--jobs",
                &jobs,
                "--rsa-private",
                "old-private.pem",
                &remote,
                path(&down_dir)?,
            ],
        )?;
        files::same_trees(&small, &down_dir)?;
        println!("osscrypt cp -r up    {up:9.0} objects/s");
        println!("osscrypt cp -r down  {down:9.0} objects/s");
        if let Some(python) = python {
            self.compare_oss2(python, &small, n, up, down)?;
        }
        let rotate = self.rate(
            n,
            &[
                "rotate",
                "--prefix",
                "--jobs",
                &jobs,
                "--rsa-private",
                "old-private.pem",
                "--new-rsa-private",
                "new-private.pem",
                "--journal",
                "rotate.jsonl",
                &remote,
            ],
        )?;
        println!("osscrypt rotate --prefix {rotate:9.0} objects/s");
        // Exit code 0: every object is a V2 object the new key reads, with its MD5.
        let audit = self.rate(
            n,
            &[
                "audit",
                "--jobs",
                &jobs,
                "--rsa-private",
                "new-private.pem",
                &remote,
            ],
        )?;
        println!("osscrypt audit       {audit:9.0} objects/s");
        self.sync_rss(scale.sync_bytes)
    }

    /// Runs the oss2 loop and pool over the same files and prints ours/theirs.
    fn compare_oss2(
        &self,
        python: &Path,
        dir: &Path,
        n: usize,
        up: f64,
        down: f64,
    ) -> anyhow::Result<()> {
        for (label, threads, target) in [
            ("loop", 1, TARGET_VS_LOOP),
            ("16-thread pool", JOBS, TARGET_VS_POOL),
        ] {
            let prefix = format!("oss2-{threads}/");
            let theirs = oss2::run(python, &self.env, dir, &prefix, threads)?;
            if theirs.objects != n {
                bail!("oss2 moved {} objects, not {n}", theirs.objects);
            }
            let (put, get) = theirs.rates();
            println!(
                "oss2 CryptoBucket {label:<15} put {put:9.0} objects/s, get {get:9.0} objects/s"
            );
            for (dir, ours, theirs) in [("up", up, put), ("down", down, get)] {
                let ratio = ours / theirs;
                let verdict = if ratio >= target { "met" } else { "NOT met" };
                println!(
                    "ratio cp -r {dir} / oss2 {label}: {ratio:.2} (target >= {target}: {verdict})"
                );
            }
        }
        Ok(())
    }

    /// `sync` of mixed sizes up and down, with the peak RSS of each against the budget.
    fn sync_rss(&self, bytes: u64) -> anyhow::Result<()> {
        let tree = self.dir.join("mixed");
        let count = files::write_mixed(&tree, bytes)?;
        let remote = format!("oss://{BUCKET}/mixed/");
        let back = self.dir.join("mixed-down");
        let jobs = JOBS.to_string();
        let budget = JOBS * PART_SIZE + RSS_SLACK;
        println!(
            "sync: {count} files, {} MiB, jobs {JOBS}, part size {} MiB; budget {} MiB",
            bytes / MIB,
            PART_SIZE / MIB,
            budget / MIB
        );
        for (label, from, to) in [
            ("up", path(&tree)?, remote.as_str()),
            ("down", remote.as_str(), path(&back)?),
        ] {
            let started = Instant::now();
            let mut child = self
                .command(&[
                    "sync",
                    "--jobs",
                    &jobs,
                    "--rsa-private",
                    "old-private.pem",
                    from,
                    to,
                ])
                // One line per file: noise here.
                .stdout(std::process::Stdio::null())
                .spawn()?;
            let (status, peak) = wait_with_peak_rss(&mut child)?;
            if !status.success() {
                bail!("osscrypt sync {label} failed: {status}");
            }
            let secs = started.elapsed().as_secs_f64();
            let verdict = if peak <= budget { "within" } else { "OVER" };
            println!(
                "osscrypt sync {label:<4} peak RSS {:7.1} MiB ({verdict} the budget), {secs:6.1} s, {:7.1} MiB/s",
                peak as f64 / MIB as f64,
                bytes as f64 / MIB as f64 / secs
            );
        }
        files::same_trees(&tree, &back)
    }

    /// Runs osscrypt with `args` over `n` objects; objects per second.
    fn rate(&self, n: usize, args: &[&str]) -> anyhow::Result<f64> {
        let started = Instant::now();
        self.osscrypt_ok(args)?;
        Ok(n as f64 / started.elapsed().as_secs_f64())
    }

    fn osscrypt_ok(&self, args: &[&str]) -> anyhow::Result<()> {
        cmd::run(&mut self.command(args)).map(drop)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = self.env.command(&self.osscrypt);
        command.arg("-q").args(args);
        command
    }
}

fn path(p: &Path) -> anyhow::Result<&str> {
    p.to_str().context("work directory path is not UTF-8")
}
