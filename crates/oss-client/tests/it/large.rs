//! A large streaming put and get with bounded memory: the body is generated chunk by chunk,
//! the server stores on disk, and the process's peak RSS must grow far less than the object.
//! Measured in a child process that runs this test alone: peak RSS is process-wide, and the
//! other tests of this binary would add to it.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt as _;
use oss_client::http::HeaderMap;
use oss_client::{Crc64, GetOptions, PutPayload, StreamFactory};
use oss_devserver::{DevServer, DevServerConfig};

const CHUNK: usize = 256 * 1024;
const CHUNKS: usize = 256; // 64 MiB

/// Peak resident set size (VmHWM) in bytes, from /proc.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

const CHILD: &str = "OSS_CLIENT_TEST_LARGE_CHILD";

#[test]
fn large_streaming_put_and_get_use_bounded_memory() {
    if std::env::var_os(CHILD).is_some() {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(put_and_get_with_bounded_memory());
    } else {
        common::run_alone_in_child(
            "large::large_streaming_put_and_get_use_bounded_memory",
            CHILD,
            |_| {},
        );
    }
}

async fn put_and_get_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let config = DevServerConfig::default()
        .with_buckets([common::BUCKET])
        .with_data_dir(dir.path());
    let server = DevServer::start(config).await.unwrap();
    let client = common::client(&server);
    let pattern: Arc<Vec<Bytes>> = Arc::new(
        (0..4)
            .map(|i| Bytes::from(common::data(CHUNK, i)))
            .collect(),
    );
    let mut expected = Crc64::new();
    for i in 0..CHUNKS {
        expected.update(&pattern[i % 4]);
    }
    let total = (CHUNK * CHUNKS) as u64;
    let before = peak_rss();

    let source = Arc::clone(&pattern);
    let factory: StreamFactory = Arc::new(move || {
        let source = Arc::clone(&source);
        futures::stream::iter((0..CHUNKS).map(move |i| Ok(source[i % 4].clone()))).boxed()
    });
    let put = client
        .put_object(
            "large",
            PutPayload::from_stream_factory(total, factory),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    assert_eq!(put.crc64, Some(expected.value()));

    let (meta, mut body) = client
        .get_object("large", &GetOptions::default())
        .await
        .unwrap()
        .into_parts();
    assert_eq!(meta.content_length(), Some(total));
    let mut got = Crc64::new();
    while let Some(chunk) = body.next().await {
        got.update(&chunk.unwrap());
    }
    assert_eq!((got.value(), got.len()), (expected.value(), total));

    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let growth = after.saturating_sub(before);
        assert!(
            growth < total / 2,
            "peak RSS grew by {growth} bytes for a {total}-byte object"
        );
    }
}
