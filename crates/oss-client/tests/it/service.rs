//! ListBuckets through a `ServiceClient` (no bucket in the host, path or signature), paged
//! by marker, signed with V4 and V1, against the dev server.
#![allow(clippy::unwrap_used, reason = "tests")]

use oss_client::{Credentials, ListBucketsOptions, ServiceClient, SignatureVersion};
use oss_devserver::{DevServer, DevServerConfig};

use crate::common::{builder, fast_retry};

const BUCKETS: [&str; 5] = ["alpha-1", "alpha-2", "beta-1", "beta-2", "gamma"];

async fn server() -> DevServer {
    DevServer::start(DevServerConfig::default().with_buckets(BUCKETS))
        .await
        .expect("dev server starts")
}

/// Every page of `options` (its marker advanced), and the names on each.
async fn pages(service: &ServiceClient, mut options: ListBucketsOptions) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    loop {
        let page = service.list_buckets(&options).await.unwrap();
        pages.push(page.buckets.iter().map(|b| b.name.clone()).collect());
        if !page.is_truncated {
            return pages;
        }
        options = options.with_marker(page.next_marker);
    }
}

#[tokio::test]
async fn lists_every_bucket_page_by_page_with_v4_and_v1() {
    let server = server().await;
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let service = builder(&server)
            .with_signature_version(version)
            .build_service()
            .unwrap();
        let all = service
            .list_buckets(&ListBucketsOptions::default())
            .await
            .unwrap();
        assert!(!all.is_truncated, "{version:?}");
        let names: Vec<&str> = all.buckets.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, BUCKETS, "{version:?}");
        let first = &all.buckets[0];
        assert_eq!(first.region, server.region());
        assert!(first.creation_date.ends_with('Z'), "{first:?}");
        assert_eq!(first.storage_class, "Standard");

        let paged = pages(&service, ListBucketsOptions::default().with_max_keys(2)).await;
        assert_eq!(
            paged,
            [
                vec!["alpha-1", "alpha-2"],
                vec!["beta-1", "beta-2"],
                vec!["gamma"]
            ],
            "{version:?}"
        );
        let beta = pages(
            &service,
            ListBucketsOptions::default()
                .with_prefix("beta")
                .with_max_keys(1),
        )
        .await;
        assert_eq!(beta, [vec!["beta-1"], vec!["beta-2"]], "{version:?}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_bucket_set_on_the_builder_is_not_used_and_bad_input_is_refused() {
    let server = server().await;
    // `builder` names the bucket `client-test`, which does not exist here: the service
    // client must not address it.
    let service = builder(&server).build_service().unwrap();
    let page = service
        .list_buckets(&ListBucketsOptions::default().with_marker("beta-2"))
        .await
        .unwrap();
    let names: Vec<&str> = page.buckets.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["gamma"]);

    let err = service
        .list_buckets(&ListBucketsOptions::default().with_max_keys(1001))
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().map(|e| e.code.as_str()),
        Some("InvalidArgument")
    );

    let cred = server.credentials();
    let wrong = builder(&server)
        .with_retry(fast_retry(1))
        .with_credentials(Credentials::new(cred.access_key_id(), "not-the-secret"))
        .build_service()
        .unwrap();
    let err = wrong
        .list_buckets(&ListBucketsOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().map(|e| e.code.as_str()),
        Some("SignatureDoesNotMatch"),
        "{err}"
    );
    server.shutdown().await;
}
