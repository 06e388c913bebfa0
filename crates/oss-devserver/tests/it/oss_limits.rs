//! Raw-HTTP tests of request checks: user metadata must stay under 8 KB of names plus values
//! (OSS EC 0011-00000002) on PutObject, InitiateMultipartUpload and CopyObject with REPLACE;
//! a hex `x-oss-content-sha256` (signed by V4) must match the body.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{data, start};
use sha2::{Digest as _, Sha256};

/// One `x-oss-meta-big` header whose name and value add up to `total` bytes.
fn meta_of_total(total: usize) -> String {
    "v".repeat(total - "x-oss-meta-big".len())
}

#[tokio::test]
async fn user_metadata_of_8_kb_or_more_is_refused() {
    let (_server, c) = start().await;
    let under = meta_of_total(8 * 1024 - 1);
    let at = meta_of_total(8 * 1024);
    let ok = c
        .put("bkt", "ok", &[("x-oss-meta-big", &under)], b"x".to_vec())
        .await;
    ok.expect(200, None);
    let g = c.get("bkt", "ok", &[]).await;
    assert_eq!(g.header("x-oss-meta-big"), Some(under.as_str()));

    let r = c
        .put("bkt", "big", &[("x-oss-meta-big", &at)], b"x".to_vec())
        .await;
    r.expect(400, Some("MetadataTooLarge"));
    assert_eq!(r.xml("EC").as_deref(), Some("0011-00000002"));
    c.get("bkt", "big", &[])
        .await
        .expect(404, Some("NoSuchKey"));

    let initiate = c.initiate("bkt", "mp", &[("x-oss-meta-big", &at)]).await;
    initiate.expect(400, Some("MetadataTooLarge"));

    let copy = c
        .send(
            "PUT",
            Some("bkt"),
            Some("copy"),
            &[],
            &[
                ("x-oss-copy-source", "/bkt/ok"),
                ("x-oss-metadata-directive", "REPLACE"),
                ("x-oss-meta-big", &at),
            ],
            Vec::new(),
        )
        .await;
    copy.expect(400, Some("MetadataTooLarge"));
}

#[tokio::test]
async fn a_declared_body_sha256_must_match_the_body() {
    let (_server, c) = start().await;
    let body = data(200_000, 3);
    let right = hex::encode(Sha256::digest(&body));
    let put = |key: &'static str, sha: String, body: Vec<u8>| {
        let c = &c;
        async move {
            c.put("bkt", key, &[("x-oss-content-sha256", &sha)], body)
                .await
        }
    };
    put("good", right.clone(), body.clone())
        .await
        .expect(200, None);
    assert_eq!(c.get("bkt", "good", &[]).await.body, body);

    let mut tampered = body.clone();
    tampered[100_000] ^= 1;
    put("bad", right, tampered)
        .await
        .expect(400, Some("InvalidDigest"));
    c.get("bkt", "bad", &[])
        .await
        .expect(404, Some("NoSuchKey"));

    // UNSIGNED-PAYLOAD (what every SDK sends) is not a digest to check.
    put("unsigned", "UNSIGNED-PAYLOAD".into(), body)
        .await
        .expect(200, None);
}

#[tokio::test]
async fn bodies_over_the_single_put_limit_are_entity_too_large() {
    assert_eq!(oss_devserver::MAX_SINGLE_PUT, 5 << 30);
    let config = oss_devserver::DevServerConfig::default().with_max_put_size(300_000);
    let (_server, c) = client::start_with(config).await;
    c.put("bkt", "at", &[], data(300_000, 1))
        .await
        .expect(200, None);
    c.put("bkt", "over", &[], data(300_001, 1))
        .await
        .expect(400, Some("EntityTooLarge"));
    c.get("bkt", "over", &[])
        .await
        .expect(404, Some("NoSuchKey"));

    let initiate = c.initiate("bkt", "mp", &[]).await;
    initiate.expect(200, None);
    let id = initiate.xml("UploadId").unwrap();
    let part = |n: &'static str, len: usize| {
        let (c, id) = (&c, id.clone());
        async move {
            c.send(
                "PUT",
                Some("bkt"),
                Some("mp"),
                &[("partNumber", n), ("uploadId", &id)],
                &[],
                data(len, 2),
            )
            .await
        }
    };
    part("1", 300_000).await.expect(200, None);
    part("2", 300_001).await.expect(400, Some("EntityTooLarge"));
}
