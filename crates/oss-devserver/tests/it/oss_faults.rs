//! Fault rules do exactly what they say: which requests fail, how, and deterministically.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use core::time::Duration;
use std::time::Instant;

use client::{crc64, data, start, start_with};
use oss_devserver::{DevServerConfig, FaultAction, FaultRule, Trigger};

#[tokio::test]
async fn every_nth_and_next_n_fail_exactly_those_requests() {
    let rule: FaultRule = "op=GetObject,every=3,status=503".parse().unwrap();
    let (server, c) = start_with(DevServerConfig::default().with_faults(vec![rule], 7)).await;
    c.put("bkt", "k", &[], data(10, 1)).await.expect(200, None);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(c.get("bkt", "k", &[]).await.status);
    }
    assert_eq!(statuses, [200, 200, 503, 200, 200, 503]);
    let r = c.get("bkt", "k", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(server.faults().stats()[0].fired, 2);
    // Changed at run time: the next PutObject fails with 500, then the rule is spent.
    server
        .faults()
        .set_rules(vec!["op=PutObject,next=1,status=500".parse().unwrap()]);
    let r = c.put("bkt", "k", &[], data(10, 2)).await;
    r.expect(500, Some("InternalError"));
    assert!(r.header("x-oss-request-id").is_some());
    c.put("bkt", "k", &[], data(10, 2)).await.expect(200, None);
    server.faults().add_rule(FaultRule::new(
        "*",
        Trigger::Always,
        FaultAction::KmsThrottling,
    ));
    c.get("bkt", "k", &[]).await.expect(503, Some("SlowDown"));
    server.faults().clear();
    c.get("bkt", "k", &[]).await.expect(200, None);
    server.shutdown().await;
}

#[tokio::test]
async fn probability_rules_are_deterministic_per_seed() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let rule = FaultRule::new(
            "HeadObject",
            Trigger::Probability(0.5),
            FaultAction::status(500),
        );
        let (server, c) =
            start_with(DevServerConfig::default().with_faults(vec![rule], 1234)).await;
        let mut pattern = Vec::new();
        for _ in 0..40 {
            pattern.push(c.head("bkt", "missing").await.status);
        }
        server.shutdown().await;
        runs.push(pattern);
    }
    assert_eq!(runs[0], runs[1]);
    let failures = runs[0].iter().filter(|s| **s == 500).count();
    assert!((8..=32).contains(&failures), "{failures}");
    assert!(runs[0].iter().all(|s| *s == 500 || *s == 404));
}

#[tokio::test]
async fn corrupted_get_byte_is_caught_by_crc() {
    let (server, c) = start().await;
    let body = data(200_000, 3);
    c.put("bkt", "k", &[], body.clone()).await.expect(200, None);
    server.faults().set_rules(vec![FaultRule::new(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::CorruptByte(150_000),
    )]);
    let r = c.get("bkt", "k", &[]).await;
    r.expect(200, None);
    assert_eq!(r.body.len(), body.len());
    let diff: Vec<usize> = (0..body.len()).filter(|i| r.body[*i] != body[*i]).collect();
    assert_eq!(diff, [150_000]);
    assert_eq!(r.body[150_000] ^ body[150_000], 1);
    let header_crc: u64 = r.header("x-oss-hash-crc64ecma").unwrap().parse().unwrap();
    assert_eq!(header_crc, crc64(&body));
    assert_ne!(
        crc64(&r.body),
        header_crc,
        "the client detects the corruption through CRC-64"
    );
    assert_eq!(
        c.get("bkt", "k", &[]).await.body,
        body,
        "next N = 1: the second read is clean"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn corrupted_put_byte_is_stored_and_reported_in_the_crc() {
    let (server, c) = start().await;
    let body = data(1000, 4);
    server.faults().set_rules(vec![FaultRule::new(
        "PutObject",
        Trigger::Always,
        FaultAction::CorruptByte(10),
    )]);
    let r = c.put("bkt", "k", &[], body.clone()).await;
    r.expect(200, None);
    let header_crc: u64 = r.header("x-oss-hash-crc64ecma").unwrap().parse().unwrap();
    assert_ne!(
        header_crc,
        crc64(&body),
        "the client sees a CRC that does not match what it sent"
    );
    server.faults().clear();
    let stored = c.get("bkt", "k", &[]).await.body;
    assert_eq!(crc64(&stored), header_crc);
    assert_eq!(stored[10] ^ body[10], 1);
    server.shutdown().await;
}

#[tokio::test]
async fn reset_after_k_bytes_cuts_the_get_body() {
    let (server, c) = start().await;
    let body = data(100_000, 5);
    c.put("bkt", "k", &[], body.clone()).await.expect(200, None);
    server
        .faults()
        .set_rules(vec!["op=GetObject,next=1,reset=4096".parse().unwrap()]);
    let signed = c.sign("GET", Some("bkt"), Some("k"), &[], &[]);
    let mut rb = c.http.get(c.url(Some("bkt"), Some("k"), client::NO_QUERY));
    for (n, v) in &signed {
        rb = rb.header(n.as_str(), v.as_str());
    }
    let mut resp = rb.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let mut got = Vec::new();
    let err = loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => got.extend_from_slice(&chunk),
            Ok(None) => panic!(
                "body completed ({} bytes) despite the reset rule",
                got.len()
            ),
            Err(e) => break e,
        }
    };
    assert_eq!(got, &body[..4096], "{err}");
    assert_eq!(c.get("bkt", "k", &[]).await.body, body);
    server.shutdown().await;
}

#[tokio::test]
async fn reset_during_put_drops_the_connection_and_stores_nothing() {
    let (server, c) = start().await;
    server
        .faults()
        .set_rules(vec!["op=PutObject,next=1,reset=1000".parse().unwrap()]);
    let body = data(2_000_000, 6);
    let signed = c.sign("PUT", Some("bkt"), Some("k"), &[], &[]);
    let mut rb = c
        .http
        .put(c.url(Some("bkt"), Some("k"), client::NO_QUERY))
        .body(body.clone());
    for (n, v) in &signed {
        rb = rb.header(n.as_str(), v.as_str());
    }
    assert!(rb.send().await.is_err(), "the connection must be dropped");
    c.get("bkt", "k", &[]).await.expect(404, Some("NoSuchKey"));
    c.put("bkt", "k", &[], body).await.expect(200, None);
    server.shutdown().await;
}

#[tokio::test]
async fn delay_postpones_the_answer() {
    let (server, c) = start().await;
    server
        .faults()
        .set_rules(vec!["op=ListObjectsV2,delay=300ms".parse().unwrap()]);
    let started = Instant::now();
    c.send(
        "GET",
        Some("bkt"),
        None,
        &[("list-type", "2")],
        &[],
        Vec::new(),
    )
    .await
    .expect(200, None);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    c.send("GET", Some("bkt"), None, &[], &[], Vec::new())
        .await
        .expect(200, None);
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "ListObjects (V1) is another operation"
    );
    server.shutdown().await;
}
