//! The directory store survives a restart and never exposes a half-written object.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{Client, crc64, data, md5_hex, start_with};
use oss_devserver::{DevServer, DevServerConfig};

async fn multipart(c: &Client, key: &str, parts: &[Vec<u8>]) -> String {
    let r = c.initiate("bkt", key, &[]).await;
    let id = r.xml("UploadId").unwrap();
    let mut xml = String::from("<CompleteMultipartUpload>");
    for (i, body) in parts.iter().enumerate() {
        let n = (i + 1).to_string();
        let r = c
            .send(
                "PUT",
                Some("bkt"),
                Some(key),
                &[("partNumber", &n), ("uploadId", &id)],
                &[],
                body.clone(),
            )
            .await;
        r.expect(200, None);
        xml.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{}</ETag></Part>",
            r.header("etag").unwrap()
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    let r = c
        .send(
            "POST",
            Some("bkt"),
            Some(key),
            &[("uploadId", &id)],
            &[],
            xml.into_bytes(),
        )
        .await;
    r.expect(200, None);
    r.xml("ETag").unwrap()
}

#[tokio::test]
async fn objects_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = || DevServerConfig::default().with_data_dir(dir.path());
    let (server, c) = start_with(config()).await;
    let small = data(70_000, 1);
    let meta = [("x-oss-meta-k", "v"), ("Content-Type", "text/x")];
    c.put("bkt", "dir/small obj", &meta, small.clone())
        .await
        .expect(200, None);
    let parts = vec![data(102_400, 2), data(5000, 3)];
    let mp_etag = multipart(&c, "mp", &parts).await;
    c.send(
        "PUT",
        Some("bkt"),
        Some("copy"),
        &[],
        &[("x-oss-copy-source", "/bkt/dir/small%20obj")],
        Vec::new(),
    )
    .await
    .expect(200, None);
    c.put("bkt", "gone", &[], vec![1]).await.expect(200, None);
    c.put("bkt", "overwritten", &[], vec![1])
        .await
        .expect(200, None);
    c.put("bkt", "overwritten", &[], vec![2, 2])
        .await
        .expect(200, None);
    c.send("DELETE", Some("bkt"), Some("gone"), &[], &[], Vec::new())
        .await
        .expect(204, None);
    c.put_bucket("second").await.expect(200, None);
    server.shutdown().await;
    // A stray file in a data folder (a crash between data and metadata) is cleaned up.
    let stray = dir.path().join("buckets/bkt/data/stray");
    std::fs::write(&stray, b"x").unwrap();

    let server = DevServer::start(config()).await.unwrap();
    let c = Client::new(&server);
    assert!(!stray.exists());
    let g = c.get("bkt", "dir/small obj", &[]).await;
    g.expect(200, None);
    assert_eq!(g.body, small);
    assert_eq!(
        g.header("etag").unwrap(),
        format!("\"{}\"", md5_hex(&small))
    );
    assert_eq!(g.header("x-oss-meta-k"), Some("v"));
    assert_eq!(g.header("content-type"), Some("text/x"));
    let g = c.get("bkt", "mp", &[]).await;
    let whole = [parts[0].clone(), parts[1].clone()].concat();
    assert_eq!(g.body, whole);
    assert_eq!(g.header("etag"), Some(mp_etag.as_str()));
    assert_eq!(
        g.header("x-oss-hash-crc64ecma").unwrap(),
        crc64(&whole).to_string()
    );
    assert_eq!(g.header("x-oss-object-type"), Some("Multipart"));
    assert_eq!(c.get("bkt", "copy", &[]).await.body, small);
    assert_eq!(c.get("bkt", "overwritten", &[]).await.body, [2, 2]);
    c.get("bkt", "gone", &[])
        .await
        .expect(404, Some("NoSuchKey"));
    let r = c
        .get(
            "bkt",
            "mp",
            &[
                ("Range", "bytes=102398-102401"),
                ("x-oss-range-behavior", "standard"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.body.as_slice()),
        (206, &whole[102_398..102_402])
    );
    c.put("second", "k", &[], vec![7]).await.expect(200, None);
    // Exactly one data file per live object: replaced and deleted bytes were removed.
    let files = std::fs::read_dir(dir.path().join("buckets/bkt/data"))
        .unwrap()
        .count();
    assert_eq!(files, 4);
    server.shutdown().await;
}

#[tokio::test]
async fn interrupted_upload_is_never_visible() {
    let dir = tempfile::tempdir().unwrap();
    let config = || DevServerConfig::default().with_data_dir(dir.path());
    let (server, c) = start_with(config()).await;
    c.put("bkt", "k", &[], data(10, 1)).await.expect(200, None);
    server
        .faults()
        .set_rules(vec!["op=PutObject,next=1,reset=100000".parse().unwrap()]);
    let signed = c.sign("PUT", Some("bkt"), Some("k"), &[], &[]);
    let mut rb = c
        .http
        .put(c.url(Some("bkt"), Some("k"), client::NO_QUERY))
        .body(data(3_000_000, 2));
    for (n, v) in &signed {
        rb = rb.header(n.as_str(), v.as_str());
    }
    assert!(rb.send().await.is_err());
    assert_eq!(
        c.get("bkt", "k", &[]).await.body,
        data(10, 1),
        "the old object stays whole"
    );
    server.shutdown().await;
    let server = DevServer::start(config()).await.unwrap();
    let c = Client::new(&server);
    assert_eq!(c.get("bkt", "k", &[]).await.body, data(10, 1));
    let tmp = std::fs::read_dir(dir.path().join("tmp")).unwrap().count();
    assert_eq!(tmp, 0, "partial bytes never outlive a restart");
    server.shutdown().await;
}
