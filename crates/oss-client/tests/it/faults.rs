//! Retries under injected faults: 5xx and mid-body resets are retried and succeed, corrupted
//! bytes are detected, one-shot bodies are not replayed.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt as _;
use oss_client::http::HeaderMap;
use oss_client::{ByteRange, Error, GetOptions, PutPayload, StreamFactory};
use oss_devserver::{FaultAction, FaultRule, Trigger};

use common::{client, data, server_with};

fn rule(op: &str, trigger: Trigger, action: FaultAction) -> FaultRule {
    FaultRule::new(op, trigger, action)
}

fn chunked(body: &[u8]) -> oss_client::ByteStream {
    let chunks: Vec<std::io::Result<Bytes>> = body
        .chunks(10_000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    futures::stream::iter(chunks).boxed()
}

#[tokio::test]
async fn server_errors_are_retried_until_success_or_budget() {
    let server = server_with(vec![rule(
        "PutObject",
        Trigger::NextN(2),
        FaultAction::status(500),
    )])
    .await;
    let client = client(&server);
    let body = data(50_000, 5);
    client
        .put_object("k", PutPayload::from_bytes(body.clone()), &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(server.faults().stats()[0].fired, 2);
    assert_eq!(
        client
            .get_object_bytes("k", &GetOptions::default())
            .await
            .unwrap()
            .1,
        body
    );

    server.faults().set_rules(vec![rule(
        "HeadObject",
        Trigger::Always,
        FaultAction::status(503),
    )]);
    let e = client
        .head_object("k", &HeaderMap::new())
        .await
        .unwrap_err();
    assert!(e.is_retryable(), "{e:?}");
    assert_eq!(
        server.faults().stats()[0].matched,
        3,
        "3 attempts, then give up"
    );
}

#[tokio::test]
async fn streaming_uploads_retry_only_when_replayable() {
    let server = server_with(vec![rule(
        "PutObject",
        Trigger::NextN(1),
        FaultAction::status(500),
    )])
    .await;
    let client = client(&server);
    let body = Arc::new(data(80_000, 6));
    let one_shot = PutPayload::from_stream(chunked(&body), body.len() as u64);
    let e = client
        .put_object("s", one_shot, &HeaderMap::new())
        .await
        .unwrap_err();
    assert_eq!(e.service_error().unwrap().status, 500);
    assert_eq!(
        server.faults().stats()[0].matched,
        1,
        "a one-shot stream is sent once"
    );

    server.faults().set_rules(vec![rule(
        "PutObject",
        Trigger::NextN(1),
        FaultAction::ResetAfter(20_000),
    )]);
    let source = Arc::clone(&body);
    let factory: StreamFactory = Arc::new(move || chunked(&source));
    let put = client
        .put_object(
            "s",
            PutPayload::from_stream_factory(body.len() as u64, factory),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    assert_eq!(put.crc64, Some(oss_client::crc64(&body)));
    assert_eq!(server.faults().stats()[0].matched, 2);
    assert_eq!(
        client
            .get_object_bytes("s", &GetOptions::default())
            .await
            .unwrap()
            .1,
        body[..]
    );

    // A stream shorter than declared never becomes an object.
    server.faults().clear();
    let short = PutPayload::from_stream(chunked(&body[..100]), 200);
    let e = client
        .put_object("short", short, &HeaderMap::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::BodyLength {
                expected: 200,
                actual: 100,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        client
            .head_object("short", &HeaderMap::new())
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn download_cut_mid_body_resumes_from_next_byte() {
    let server = server_with(Vec::new()).await;
    let client = client(&server);
    let body = data(700_000, 7);
    client
        .put_object(
            "big",
            PutPayload::from_bytes(body.clone()),
            &HeaderMap::new(),
        )
        .await
        .unwrap();

    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::NextN(2),
        FaultAction::ResetAfter(123_457),
    )]);
    let response = client
        .get_object("big", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(response.meta().status, 200);
    let got = response.bytes().await.unwrap();
    assert_eq!(got.len(), body.len());
    assert_eq!(got, body, "no byte lost or repeated across the resumes");
    assert_eq!(
        server.faults().stats()[0].matched,
        3,
        "initial request + two resumes"
    );

    // Within a caller's range too, and into a file.
    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::ResetAfter(1000),
    )]);
    let ranged = GetOptions::default().with_range(ByteRange::Inclusive(100_000, 399_999));
    let (meta, got) = client.get_object_bytes("big", &ranged).await.unwrap();
    assert_eq!((meta.status, &got[..]), (206, &body[100_000..400_000]));
    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::ResetAfter(5000),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.bin");
    client
        .get_object_to_file("big", &path, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), body);

    // With resumption off, the cut surfaces as a retryable transport error.
    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::ResetAfter(1000),
    )]);
    let e = client
        .get_object_bytes("big", &GetOptions::default().with_resume(false))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                retryable: true,
                ..
            }
        ),
        "{e:?}"
    );
    // The message says how far the body got, not reqwest's "error decoding response body".
    let message = e.to_string();
    let received: u64 = message
        .strip_prefix("transport error during GetObject: connection closed after ")
        .and_then(|rest| rest.strip_suffix(" of 700000 bytes"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected message: {message}"));
    assert!(received <= 1000, "{message}");
    assert!(
        core::error::Error::source(&e)
            .and_then(|s| s.source())
            .is_some(),
        "the transport cause is kept"
    );
}

#[tokio::test]
async fn corrupted_bytes_are_detected() {
    let server = server_with(Vec::new()).await;
    let client = client(&server);
    let body = data(200_000, 8);
    client
        .put_object("c", PutPayload::from_bytes(body.clone()), &HeaderMap::new())
        .await
        .unwrap();

    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::Always,
        FaultAction::CorruptByte(4321),
    )]);
    let response = client
        .get_object("c", &GetOptions::default())
        .await
        .unwrap();
    let e = response.bytes().await.unwrap_err();
    assert!(matches!(e, Error::CrcMismatch { .. }), "{e:?}");
    let e = client
        .get_object_bytes("c", &GetOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::CrcMismatch { .. }), "{e:?}");

    // A single corrupted answer is retried and the read succeeds.
    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::CorruptByte(4321),
    )]);
    assert_eq!(
        client
            .get_object_bytes("c", &GetOptions::default())
            .await
            .unwrap()
            .1,
        body
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.bin");
    server.faults().set_rules(vec![rule(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::CorruptByte(10),
    )]);
    client
        .get_object_to_file("c", &path, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), body);
}
