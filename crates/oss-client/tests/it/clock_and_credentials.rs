//! Over real HTTP against the dev server: a client whose clock is hours off learns the
//! server's time from `RequestTimeTooSkewed` and succeeds; refreshing (STS-style) credentials
//! are fetched once, reused while fresh, fetched again near expiry, and carry their token.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use common::{BUCKET, builder, client, fast_retry};
use futures::FutureExt as _;
use oss_client::{
    Credentials, ExpiringCredentials, GetOptions, PutPayload, RefreshFn, RefreshingCredentials,
};
use oss_devserver::credentials::{
    DEV_STS_ACCESS_KEY_ID, DEV_STS_ACCESS_KEY_SECRET, DEV_STS_SECURITY_TOKEN,
};
use oss_devserver::{DevServer, DevServerConfig};

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_servers_answer() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // The server lives two hours ahead: every signature from local time is 2 h old to it.
    let config = DevServerConfig::default()
        .with_buckets([BUCKET])
        .with_fixed_clock(now + 2 * 3600);
    let server = DevServer::start(config).await.unwrap();
    let c = client(&server);
    c.put_object(
        "skew",
        PutPayload::from_bytes("on time"),
        &http::HeaderMap::new(),
    )
    .await
    .unwrap();
    let (_, body) = c
        .get_object_bytes("skew", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(&body[..], b"on time");

    // The same with retries off: the first request fails, the learnt offset makes the next
    // one pass without a retry.
    let once = builder(&server).with_retry(fast_retry(1)).build().unwrap();
    let err = once
        .head_object("skew", &http::HeaderMap::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("RequestTimeTooSkewed"), "{err}");
    once.head_object("skew", &http::HeaderMap::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn refreshing_sts_credentials_are_reused_then_renewed() {
    let server = DevServer::start(DevServerConfig::default().with_buckets([BUCKET]))
        .await
        .unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let refresh: RefreshFn = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async {
            Ok(ExpiringCredentials {
                credentials: Credentials::new(DEV_STS_ACCESS_KEY_ID, DEV_STS_ACCESS_KEY_SECRET)
                    .with_security_token(DEV_STS_SECURITY_TOKEN),
                expires_at: Some(SystemTime::now() + Duration::from_millis(1500)),
            })
        }
        .boxed()
    });
    let provider = RefreshingCredentials::new(refresh, Duration::from_millis(500));
    let c = builder(&server)
        .with_credentials_provider(Arc::new(provider))
        .build()
        .unwrap();
    for key in ["a", "b"] {
        c.put_object(key, PutPayload::from_bytes("sts"), &http::HeaderMap::new())
            .await
            .unwrap();
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "fresh credentials are reused"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.head_object("a", &http::HeaderMap::new()).await.unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "renewed within min_ttl of expiry"
    );
}
