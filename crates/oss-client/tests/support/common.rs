//! Shared setup for the dev-server tests: a server with one bucket and a client for it.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use core::time::Duration;

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
