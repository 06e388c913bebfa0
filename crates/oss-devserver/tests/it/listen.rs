//! The dev server refuses listen addresses off this machine unless told otherwise: it has
//! well-known credentials and no TLS.

#![allow(clippy::unwrap_used, reason = "tests")]

use core::net::SocketAddr;

use oss_devserver::{DevServer, DevServerConfig, Error};

#[tokio::test]
async fn non_loopback_listen_addresses_are_refused_by_default() {
    let open: SocketAddr = "0.0.0.0:0".parse().unwrap();
    for config in [
        DevServerConfig::default().with_oss_listen(open),
        DevServerConfig::default().with_kms_listen(open),
    ] {
        let err = DevServer::start(config).await.unwrap_err();
        assert!(
            matches!(err, Error::NonLoopbackListen(a) if a == open),
            "{err:?}"
        );
        assert!(err.to_string().contains("well-known credentials"), "{err}");
    }
    let server = DevServer::start(DevServerConfig::default()).await.unwrap();
    assert!(server.oss_url().starts_with("http://127.0.0.1:"));
    server.shutdown().await;
}
