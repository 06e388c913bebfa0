//! A proxy configured in the environment (HTTP_PROXY & co., which reqwest honours) is not
//! used for a loopback endpoint such as the embedded dev server: it could not reach this
//! machine's loopback anyway. Checked in a child process, so the test never mutates its own
//! environment.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use oss_client::{GetOptions, PutPayload};

const CHILD: &str = "OSS_CLIENT_TEST_PROXY_CHILD";
/// A proxy address nothing listens on: a request sent through it fails.
const DEAD_PROXY: &str = "http://127.0.0.1:9";

async fn round_trip_through_loopback() {
    let server = common::server().await;
    let client = common::client(&server);
    client
        .put_object(
            "k",
            PutPayload::from_bytes("through"),
            &http::HeaderMap::new(),
        )
        .await
        .unwrap();
    let (_, body) = client
        .get_object_bytes("k", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(&body[..], b"through");
}

#[tokio::test]
async fn environment_proxy_is_bypassed_for_loopback_endpoints() {
    if std::env::var_os(CHILD).is_some() {
        round_trip_through_loopback().await;
        return;
    }
    common::run_alone_in_child(
        "proxy_env::environment_proxy_is_bypassed_for_loopback_endpoints",
        CHILD,
        |cmd| {
            cmd.env_remove("NO_PROXY").env_remove("no_proxy");
            for var in [
                "HTTP_PROXY",
                "http_proxy",
                "HTTPS_PROXY",
                "https_proxy",
                "ALL_PROXY",
            ] {
                cmd.env(var, DEAD_PROXY);
            }
        },
    );
}
