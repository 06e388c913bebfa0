//! The benches' dev server in its own process, pinned to one core, with the bench (the client)
//! pinned to the other: the client's CPU time and the server's then do not mix, and neither
//! steals the other's core.
//!
//! The server process is the bench's own executable started with `--serve` (see [`serve`]):
//! it prints its endpoints, serves until its stdin closes, and so never outlives the bench.

#![allow(dead_code, reason = "shared by the bench examples; each uses a part")]

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

use oss_devserver::{DevServer, DevServerConfig};

use crate::BoxResult;

/// The core the server runs on; the client takes [`CLIENT_CPU`].
const SERVER_CPU: u32 = 0;
const CLIENT_CPU: u32 = 1;
/// The bucket every bench uses.
pub(crate) const BUCKET: &str = "bench";

/// How the server process is started.
#[derive(Debug, Default, Clone)]
pub(crate) struct ServerOptions {
    /// MD5 ETags as real OSS computes them (default: the fast benchmark mode).
    pub(crate) md5_etags: bool,
    /// Keep objects in this directory instead of memory.
    pub(crate) data_dir: Option<PathBuf>,
}

/// A running server process; it stops when this is dropped.
pub(crate) struct ServerProcess {
    child: Child,
    /// Closing it tells the server to stop.
    stdin: Option<ChildStdin>,
    pub(crate) oss_url: String,
    pub(crate) kms_url: String,
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    /// Whether server and client each have their own core.
    pub(crate) pinned: bool,
}

/// Whether this process was started as the bench's server.
pub(crate) fn is_server_mode(args: &[String]) -> bool {
    args.iter().any(|a| a == "--serve")
}

/// Pins this process (every thread, so call it before starting a runtime) to the client core.
/// Returns false, with a note, when the machine has one core or `taskset` is missing.
pub(crate) fn pin_client() -> bool {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores < 2 {
        println!("note: {cores} core(s): server and client are not pinned apart");
        return false;
    }
    let pid = std::process::id().to_string();
    let status = Command::new("taskset")
        .args(["-a", "-p", "-c", &CLIENT_CPU.to_string(), &pid])
        .stdout(Stdio::null())
        .status();
    let pinned = status.is_ok_and(|s| s.success());
    if !pinned {
        println!("note: taskset failed: server and client are not pinned apart");
    }
    pinned
}

impl ServerProcess {
    /// Starts `current_exe --serve` (under `taskset -c 0` when `pinned`) and waits for its
    /// endpoints.
    pub(crate) fn spawn(options: &ServerOptions, pinned: bool) -> BoxResult<Self> {
        let exe = std::env::current_exe()?;
        let mut command = if pinned {
            let mut c = Command::new("taskset");
            c.args(["-c", &SERVER_CPU.to_string()]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        command.arg("--serve");
        if options.md5_etags {
            command.arg("--md5-etags");
        }
        if let Some(dir) = &options.data_dir {
            command.arg("--serve-data-dir").arg(dir);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or("server without stdout")?;
        let mut values = std::collections::HashMap::new();
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            if line == "READY" {
                break;
            }
            if let Some((name, value)) = line.split_once('=') {
                values.insert(name.to_owned(), value.to_owned());
            }
        }
        let mut take = |name: &str| {
            values
                .remove(name)
                .ok_or_else(|| format!("the server process printed no {name}"))
        };
        Ok(Self {
            oss_url: take("OSS_ENDPOINT")?,
            kms_url: take("KMS_ENDPOINT")?,
            access_key_id: take("OSS_ACCESS_KEY_ID")?,
            access_key_secret: take("OSS_ACCESS_KEY_SECRET")?,
            child,
            stdin,
            pinned,
        })
    }

    /// The server's process id (for its CPU time).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// One line saying where server and client run.
    pub(crate) fn describe(&self) -> String {
        if self.pinned {
            format!(
                "dev server in its own process (pid {}) on core {SERVER_CPU}, client on core {CLIENT_CPU}",
                self.pid()
            )
        } else {
            format!(
                "dev server in its own process (pid {}), unpinned",
                self.pid()
            )
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Server mode: start the dev server, print its endpoints, serve until stdin closes.
pub(crate) fn serve(args: &[String]) -> BoxResult<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut config = DevServerConfig::default()
            .with_buckets([BUCKET])
            .with_fast_etags(!args.iter().any(|a| a == "--md5-etags"));
        if let Some(i) = args.iter().position(|a| a == "--serve-data-dir") {
            let dir = args.get(i + 1).ok_or("--serve-data-dir needs a value")?;
            config = config.with_data_dir(dir);
        }
        let server = DevServer::start(config).await?;
        let cred = server.credentials();
        // Fixed dev credentials of a loopback server, printed for the parent only.
        println!("OSS_ENDPOINT={}", server.oss_url());
        println!("KMS_ENDPOINT={}", server.kms_url());
        println!("OSS_ACCESS_KEY_ID={}", cred.access_key_id());
        println!("OSS_ACCESS_KEY_SECRET={}", cred.access_key_secret());
        println!("READY");
        // Stdin closes when the bench ends (or dies): then stop.
        let _ = tokio::task::spawn_blocking(|| {
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new())
        })
        .await;
        server.shutdown().await;
        Ok::<_, Box<dyn core::error::Error>>(())
    })
}
