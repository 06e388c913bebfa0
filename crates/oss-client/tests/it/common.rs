//! Shared setup for the dev-server tests: a server with one bucket and a client for it.

use core::time::Duration;
use std::process::Command;

use oss_client::{BackoffConfig, Client, ClientBuilder, Credentials, RetryConfig};
use oss_devserver::{DevServer, DevServerConfig, FaultRule};

pub(crate) const BUCKET: &str = "client-test";

/// Fast retries so fault tests do not sleep long.
pub(crate) fn fast_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        backoff: BackoffConfig {
            base: Duration::from_millis(2),
            max: Duration::from_millis(20),
        },
    }
}

pub(crate) async fn server_with(faults: Vec<FaultRule>) -> DevServer {
    let config = DevServerConfig::default()
        .with_buckets([BUCKET])
        .with_faults(faults, 7);
    DevServer::start(config).await.expect("dev server starts")
}

pub(crate) async fn server() -> DevServer {
    server_with(Vec::new()).await
}

pub(crate) fn builder(server: &DevServer) -> ClientBuilder {
    let cred = server.credentials();
    let mut creds = Credentials::new(cred.access_key_id(), cred.access_key_secret());
    if let Some(token) = cred.security_token() {
        creds = creds.with_security_token(token);
    }
    Client::builder()
        .with_endpoint(server.oss_url())
        .with_region(server.region())
        .with_bucket(BUCKET)
        .with_credentials(creds)
        .with_retry(fast_retry(3))
}

pub(crate) fn client(server: &DevServer) -> Client {
    builder(server).build().expect("client builds")
}

/// Deterministic test data.
pub(crate) fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i.to_le_bytes()[0]).wrapping_mul(31).wrapping_add(seed) ^ i.to_le_bytes()[1])
        .collect()
}

/// Runs one test of this binary alone in a child process, for checks of process-wide state
/// (the environment, peak memory) that the other tests of the binary must not disturb.
/// `test` is the full name (`module::function`); the child is recognised by `child_var`.
/// Asserts the child ran exactly that test and it passed.
pub(crate) fn run_alone_in_child(
    test: &str,
    child_var: &str,
    configure: impl FnOnce(&mut Command),
) {
    let exe = std::env::current_exe().expect("test binary path");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", test, "--test-threads=1"])
        .env(child_var, "1");
    configure(&mut cmd);
    let out = cmd.output().expect("child test runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child ran {test}: {stdout}"
    );
}
