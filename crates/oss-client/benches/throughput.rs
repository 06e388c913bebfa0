//! Put/get throughput against the dev server's in-memory store, single stream and parallel
//! parts, with raw loopback TCP throughput measured in the same run as the baseline.
//!
//! `cargo bench -p oss-client --bench throughput [-- --size-mib 256 --part-mib 8 --concurrency 8]`
//! (`--quick` uses 64 MiB). Registered in `cargo xtask bench` as `client-throughput`.

#![allow(
    clippy::unwrap_used,
    reason = "bench binary: failing loudly is the point"
)]

use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use oss_client::http::HeaderMap;
use oss_client::{
    ByteRange, Client, CompletedPart, Credentials, GetOptions, PutPayload, StreamFactory,
};
use oss_devserver::{DevServer, DevServerConfig};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const MIB: u64 = 1024 * 1024;
const MIB_USIZE: usize = 1024 * 1024;

struct Args {
    size: u64,
    part: u64,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args {
        size: 256 * MIB,
        part: 8 * MIB,
        concurrency: 8,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        match flag.as_str() {
            "--quick" => a.size = 64 * MIB,
            "--size-mib" => a.size = value().max(1) * MIB,
            "--part-mib" => a.part = value().max(1) * MIB,
            "--concurrency" => a.concurrency = usize::try_from(value().max(1)).unwrap(),
            _ => {} // cargo passes `--bench`
        }
    }
    a
}

fn report(name: &str, bytes: u64, elapsed: Duration) {
    let mib_s = bytes as f64 / MIB as f64 / elapsed.as_secs_f64();
    println!(
        "{name:<34} {:>8.1} MiB/s  ({} MiB in {:.3} s)",
        mib_s,
        bytes / MIB,
        elapsed.as_secs_f64()
    );
}

async fn loopback(size: u64) -> Duration {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let reader = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; MIB_USIZE];
        let mut total = 0u64;
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                return total;
            }
            total += n as u64;
        }
    });
    let chunk = vec![7u8; MIB_USIZE];
    let start = Instant::now();
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    for _ in 0..size / MIB {
        socket.write_all(&chunk).await.unwrap();
    }
    socket.shutdown().await.unwrap();
    assert_eq!(reader.await.unwrap(), size / MIB * MIB);
    start.elapsed()
}

fn payload(len: u64, chunk: &Bytes) -> PutPayload {
    let chunk = chunk.clone();
    let factory: StreamFactory = Arc::new(move || {
        let chunk = chunk.clone();
        let count = len / chunk.len() as u64;
        futures::stream::iter((0..count).map(move |_| Ok(chunk.clone()))).boxed()
    });
    PutPayload::from_stream_factory(len, factory)
}

async fn drain(client: &Client, key: &str, options: &GetOptions) -> u64 {
    let (_, body) = client.get_object(key, options).await.unwrap().into_parts();
    body.try_fold(0u64, |n, c| async move { Ok(n + c.len() as u64) })
        .await
        .unwrap()
}

async fn parallel_put(client: &Client, a: &Args, chunk: &Bytes) -> Duration {
    let start = Instant::now();
    let init = client
        .initiate_multipart_upload("parts", &HeaderMap::new())
        .await
        .unwrap();
    let count = u32::try_from(a.size / a.part).unwrap();
    let mut parts: Vec<CompletedPart> = futures::stream::iter(1..=count)
        .map(|n| {
            let (client, id) = (client.clone(), init.upload_id.clone());
            let body = payload(a.part, chunk);
            async move {
                CompletedPart::from_result(
                    n,
                    &client
                        .upload_part("parts", &id, n, body, &HeaderMap::new())
                        .await
                        .unwrap(),
                )
            }
        })
        .buffer_unordered(a.concurrency)
        .collect()
        .await;
    parts.sort_by_key(|p| p.part_number);
    client
        .complete_multipart_upload("parts", &init.upload_id, &parts, &HeaderMap::new())
        .await
        .unwrap();
    start.elapsed()
}

async fn parallel_get(client: &Client, a: &Args) -> Duration {
    let start = Instant::now();
    let total: u64 = futures::stream::iter(0..a.size / a.part)
        .map(|i| {
            let client = client.clone();
            let range = ByteRange::Inclusive(i * a.part, (i + 1) * a.part - 1);
            async move { drain(&client, "parts", &GetOptions::default().with_range(range)).await }
        })
        .buffer_unordered(a.concurrency)
        .fold(0, |acc, n| async move { acc + n })
        .await;
    assert_eq!(total, a.size);
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let a = args();
    let size = a.size / a.part * a.part;
    let a = Args { size, ..a };
    println!(
        "oss-client throughput: {} MiB, parts of {} MiB, concurrency {}",
        a.size / MIB,
        a.part / MIB,
        a.concurrency
    );
    report(
        "raw loopback tcp (baseline)",
        a.size,
        loopback(a.size).await,
    );

    let server = DevServer::start(DevServerConfig::default().with_buckets(["bench"]))
        .await
        .unwrap();
    let cred = server.credentials();
    let client = Client::builder()
        .with_endpoint(server.oss_url())
        .with_region(server.region())
        .with_bucket("bench")
        .with_credentials(Credentials::new(
            cred.access_key_id(),
            cred.access_key_secret(),
        ))
        .build()
        .unwrap();
    let chunk = Bytes::from(vec![0x5au8; MIB_USIZE]);

    let start = Instant::now();
    client
        .put_object("single", payload(a.size, &chunk), &HeaderMap::new())
        .await
        .unwrap();
    report("put, single stream", a.size, start.elapsed());
    let start = Instant::now();
    assert_eq!(
        drain(&client, "single", &GetOptions::default()).await,
        a.size
    );
    report("get, single stream (crc checked)", a.size, start.elapsed());
    client.delete_object("single").await.unwrap();

    report(
        "put, parallel parts",
        a.size,
        parallel_put(&client, &a, &chunk).await,
    );
    report(
        "get, parallel ranges",
        a.size,
        parallel_get(&client, &a).await,
    );
    server.shutdown().await;
}
