//! The protections OSS enforces for client-side-encrypted objects (spec `oss-api.md` §9).

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{CSE_PREFIX, Client, Resp, cse_envelope as envelope, data, start, start_with};
use oss_devserver::{CseStrictness, DevServerConfig};

/// `h` without the envelope header `{CSE_PREFIX}{suffix}`.
fn without<'a>(h: &[(&'a str, &'a str)], suffix: &str) -> Vec<(&'a str, &'a str)> {
    h.iter()
        .copied()
        .filter(|(n, _)| n.strip_prefix(CSE_PREFIX) != Some(suffix))
        .collect()
}

/// `h` with the envelope header `{CSE_PREFIX}{suffix}` (present in `h`) set to `value`.
fn with<'a>(h: &[(&'a str, &'a str)], suffix: &str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    h.iter()
        .map(|&(n, v)| {
            let replaced = n.strip_prefix(CSE_PREFIX) == Some(suffix);
            (n, if replaced { value } else { v })
        })
        .collect()
}

#[track_caller]
fn expect_ec(r: &Resp, ec: &str) {
    r.expect(400, Some("InvalidEncryptionRequest"));
    assert_eq!(r.xml("EC").as_deref(), Some(ec), "{}", r.text());
    assert_eq!(r.header("x-oss-ec"), Some(ec));
}

async fn initiate(c: &Client, key: &str, h: &[(&str, &str)]) -> Resp {
    c.send(
        "POST",
        Some("bkt"),
        Some(key),
        &[("uploads", "")],
        h,
        Vec::new(),
    )
    .await
}

async fn part(c: &Client, key: &str, id: &str, n: u32, h: &[(&str, &str)], body: Vec<u8>) -> Resp {
    let n = n.to_string();
    c.send(
        "PUT",
        Some("bkt"),
        Some(key),
        &[("partNumber", &n), ("uploadId", id)],
        h,
        body,
    )
    .await
}

#[tokio::test]
async fn initiate_requires_a_complete_envelope_and_valid_layout() {
    let (server, c) = start().await;
    let env = envelope("250000", "102400");
    for (suffix, ec) in [
        ("key", "0005-00000401"),
        ("start", "0005-00000402"),
        ("cek-alg", "0005-00000403"),
        ("wrap-alg", "0005-00000404"),
        ("data-size", "0005-00000406"),
        ("part-size", "0005-00000407"),
    ] {
        expect_ec(&initiate(&c, "k", &without(&env, suffix)).await, ec);
    }
    expect_ec(
        &initiate(&c, "k", &with(&env, "data-size", "ten")).await,
        "0005-00000408",
    );
    expect_ec(
        &initiate(&c, "k", &with(&env, "part-size", "x")).await,
        "0005-00000409",
    );
    let too_many = with(&envelope("1024001", "100"), "data-size", "1000001");
    expect_ec(&initiate(&c, "k", &too_many).await, "0005-00000410");
    // PutObject with a partial envelope.
    let r = c
        .send(
            "PUT",
            Some("bkt"),
            Some("p"),
            &[],
            &without(&env, "start"),
            vec![1],
        )
        .await;
    expect_ec(&r, "0005-00000402");
    server.shutdown().await;
}

#[tokio::test]
async fn encrypted_upload_enforces_part_layout_and_lists_envelope() {
    let (server, c) = start().await;
    let env = envelope("250000", "102400");
    let r = initiate(&c, "enc", &env).await;
    r.expect(200, None);
    let id = r.xml("UploadId").unwrap();
    // Parts without envelope headers are accepted (Java/C++ behaviour), but sizes are checked.
    expect_ec(
        &part(&c, "enc", &id, 1, &[], data(1000, 1)).await,
        "0005-00000419",
    );
    expect_ec(
        &part(&c, "enc", &id, 3, &[], data(1000, 1)).await,
        "0005-00000420",
    );
    expect_ec(
        &part(&c, "enc", &id, 4, &[], data(1000, 1)).await,
        "0005-00000411",
    );
    // With headers present they must equal the Initiate values.
    expect_ec(
        &part(
            &c,
            "enc",
            &id,
            1,
            &with(&env, "start", "b3RoZXI="),
            data(102_400, 1),
        )
        .await,
        "0005-00000413",
    );
    expect_ec(
        &part(
            &c,
            "enc",
            &id,
            1,
            &with(&env, "part-size", "204800"),
            data(102_400, 1),
        )
        .await,
        "0005-00000418",
    );
    expect_ec(
        &part(&c, "enc", &id, 1, &without(&env, "key"), data(102_400, 1)).await,
        "0005-00000401",
    );
    let mut etags = Vec::new();
    for (n, len) in [(1, 102_400), (2, 102_400), (3, 45_200)] {
        let r = part(
            &c,
            "enc",
            &id,
            n,
            if n == 2 { &env } else { &[] },
            data(len, 2),
        )
        .await;
        r.expect(200, None);
        etags.push((n, r.header("etag").unwrap().to_owned()));
    }
    let r = c
        .send(
            "GET",
            Some("bkt"),
            Some("enc"),
            &[("uploadId", &id)],
            &[],
            Vec::new(),
        )
        .await;
    r.expect(200, None);
    assert_eq!(
        r.xml("ClientEncryptionKey").as_deref(),
        Some("d3JhcHBlZA==")
    );
    assert_eq!(r.xml("ClientEncryptionStart").as_deref(), Some("c3RhcnQ="));
    assert_eq!(
        r.xml("ClientEncryptionCekAlg").as_deref(),
        Some("AES/CTR/NoPadding")
    );
    assert_eq!(
        r.xml("ClientEncryptionWrapAlg").as_deref(),
        Some("RSA/NONE/PKCS1Padding")
    );
    assert_eq!(r.xml("ClientEncryptionDataSize").as_deref(), Some("250000"));
    assert_eq!(r.xml("ClientEncryptionPartSize").as_deref(), Some("102400"));
    let mut xml = String::from("<CompleteMultipartUpload>");
    for (n, e) in &etags {
        xml.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    c.send(
        "POST",
        Some("bkt"),
        Some("enc"),
        &[("uploadId", &id)],
        &[],
        xml.into_bytes(),
    )
    .await
    .expect(200, None);
    let h = c.head("bkt", "enc").await;
    assert_eq!(h.header(&format!("{CSE_PREFIX}part-size")), Some("102400"));
    assert_eq!(h.header(&format!("{CSE_PREFIX}key")), Some("d3JhcHBlZA=="));
    server.shutdown().await;
}

#[tokio::test]
async fn strict_mode_requires_headers_on_every_part() {
    let config = DevServerConfig::default()
        .with_cse_strictness(CseStrictness::default().with_headers_required_on_upload_part(true));
    let (server, c) = start_with(config).await;
    let env = envelope("1000", "1000");
    let id = initiate(&c, "s", &env).await.xml("UploadId").unwrap();
    expect_ec(
        &part(&c, "s", &id, 1, &[], data(1000, 1)).await,
        "0005-00000401",
    );
    part(&c, "s", &id, 1, &env, data(1000, 1))
        .await
        .expect(200, None);
    server.shutdown().await;
}

#[tokio::test]
async fn copy_cannot_change_the_envelope_and_part_copy_is_refused() {
    let (server, c) = start().await;
    let env = envelope("10", "10");
    let mut put = env.clone();
    put.push(("x-oss-meta-client-side-encryption-matdesc", "{}"));
    c.send("PUT", Some("bkt"), Some("e"), &[], &put, data(10, 1))
        .await
        .expect(200, None);
    let src = ("x-oss-copy-source", "/bkt/e");
    let replace = ("x-oss-metadata-directive", "REPLACE");
    // COPY keeps the envelope.
    c.send("PUT", Some("bkt"), Some("c1"), &[], &[src], Vec::new())
        .await
        .expect(200, None);
    assert_eq!(
        c.head("bkt", "c1")
            .await
            .header(&format!("{CSE_PREFIX}key")),
        Some("d3JhcHBlZA==")
    );
    // REPLACE that drops, changes or adds envelope headers is refused.
    let mut dropped = vec![src, replace];
    dropped.push(("x-oss-meta-other", "1"));
    expect_ec(
        &c.send("PUT", Some("bkt"), Some("c2"), &[], &dropped, Vec::new())
            .await,
        "0005-00000421",
    );
    let mut changed = with(&put, "start", "bmV3");
    changed.extend([src, replace]);
    expect_ec(
        &c.send("PUT", Some("bkt"), Some("c2"), &[], &changed, Vec::new())
            .await,
        "0005-00000421",
    );
    // REPLACE carrying the envelope unchanged is accepted by default.
    let mut same = put.clone();
    same.extend([src, replace, ("x-oss-meta-extra", "y")]);
    c.send("PUT", Some("bkt"), Some("e"), &[], &same, Vec::new())
        .await
        .expect(200, None);
    // UploadPartCopy from an encrypted source.
    let id = c
        .send(
            "POST",
            Some("bkt"),
            Some("u"),
            &[("uploads", "")],
            &[],
            Vec::new(),
        )
        .await
        .xml("UploadId")
        .unwrap();
    let r = c
        .send(
            "PUT",
            Some("bkt"),
            Some("u"),
            &[("partNumber", "1"), ("uploadId", &id)],
            &[src],
            Vec::new(),
        )
        .await;
    expect_ec(&r, "0042-00000309");
    server.shutdown().await;
}

#[tokio::test]
async fn strict_copy_refuses_any_replace() {
    let config = DevServerConfig::default()
        .with_cse_strictness(CseStrictness::default().with_any_replace_copy_refused(true));
    let (server, c) = start_with(config).await;
    let env = envelope("10", "10");
    c.send("PUT", Some("bkt"), Some("e"), &[], &env, data(10, 1))
        .await
        .expect(200, None);
    let mut same = env.clone();
    same.extend([
        ("x-oss-copy-source", "/bkt/e"),
        ("x-oss-metadata-directive", "REPLACE"),
    ]);
    expect_ec(
        &c.send("PUT", Some("bkt"), Some("e"), &[], &same, Vec::new())
            .await,
        "0005-00000421",
    );
    server.shutdown().await;
}
