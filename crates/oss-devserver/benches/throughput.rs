//! Loopback throughput of the in-memory dev server: one 256 MiB PutObject and GetObject.
//!
//! `cargo bench -p oss-devserver --bench throughput` prints the best of a few rounds in GB/s
//! (10^9 bytes per second). The server hashes (MD5 + CRC-64) while receiving and serves the
//! stored chunks without copying, so the figures bound what a client benchmark can measure.

#![allow(clippy::unwrap_used, missing_docs)] // a bench binary: a panic is a failed run

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use oss_devserver::{DevServer, DevServerConfig};
use oss_signing::{Credentials, oss_v4};

const SIZE: usize = 256 * 1024 * 1024;
const ROUNDS: usize = 3;

fn signed(server: &DevServer, method: &str) -> Vec<(String, String)> {
    let c = server.credentials();
    let creds = Credentials::new(c.access_key_id(), c.access_key_secret());
    let req = oss_v4::Request::new(method).bucket("bench").key("big");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let s = oss_v4::sign_headers(&req, &creds, now, server.region(), oss_v4::PRODUCT);
    let mut h = s.added_headers;
    h.push(("Authorization".into(), s.authorization));
    h
}

fn gbps(bytes: usize, secs: f64) -> f64 {
    #[allow(clippy::cast_precision_loss)] // sizes far below 2^53
    let bytes = bytes as f64;
    bytes / secs / 1e9
}

async fn put(http: &reqwest::Client, server: &DevServer, url: &str, body: Bytes) -> f64 {
    let mut rb = http.put(url).body(body);
    for (n, v) in signed(server, "PUT") {
        rb = rb.header(n, v);
    }
    let started = Instant::now();
    let r = rb.send().await.unwrap();
    assert_eq!(r.status(), 200);
    started.elapsed().as_secs_f64()
}

async fn get(http: &reqwest::Client, server: &DevServer, url: &str) -> f64 {
    let mut rb = http.get(url);
    for (n, v) in signed(server, "GET") {
        rb = rb.header(n, v);
    }
    let started = Instant::now();
    let mut r = rb.send().await.unwrap();
    assert_eq!(r.status(), 200);
    let mut total = 0;
    while let Some(chunk) = r.chunk().await.unwrap() {
        total += chunk.len();
    }
    assert_eq!(total, SIZE);
    started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    for fast_etags in [false, true] {
        run(fast_etags).await;
    }
}

async fn run(fast_etags: bool) {
    let config = DevServerConfig::default()
        .with_buckets(["bench"])
        .with_fast_etags(fast_etags);
    let server = DevServer::start(config).await.unwrap();
    let mode = if fast_etags {
        "fast-etags"
    } else {
        "md5-etags"
    };
    let url = format!("{}/bench/big", server.oss_url());
    let http = reqwest::Client::new();
    let body = Bytes::from(
        (0..SIZE)
            .map(|i| i.to_le_bytes()[0] ^ i.to_le_bytes()[2])
            .collect::<Vec<u8>>(),
    );
    let (mut best_put, mut best_get) = (f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        best_put = best_put.min(put(&http, &server, &url, body.clone()).await);
        best_get = best_get.min(get(&http, &server, &url).await);
    }
    println!(
        "devserver {mode} put 256 MiB: {:.2} GB/s ({best_put:.3} s)",
        gbps(SIZE, best_put)
    );
    println!(
        "devserver {mode} get 256 MiB: {:.2} GB/s ({best_get:.3} s)",
        gbps(SIZE, best_get)
    );
    server.shutdown().await;
}
