//! Raw-HTTP tests of buckets and objects: put/get/head/delete, Content-MD5, forbid-overwrite,
//! ranges in both behaviours, conditionals, copy directives, listing and addressing styles.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{crc64, data, md5_b64, md5_hex, start, xml_all};

#[tokio::test]
async fn put_get_head_delete_roundtrip_with_integrity_headers() {
    let (server, c) = start().await;
    let body = data(300_000, 7);
    let headers = [
        ("Content-Type", "text/plain"),
        ("x-oss-meta-Author", "Alice"),
        ("Cache-Control", "no-cache"),
    ];
    let r = c.put("bkt", "dir/a b+c.txt", &headers, body.clone()).await;
    r.expect(200, None);
    let etag = format!("\"{}\"", md5_hex(&body));
    assert_eq!(r.header("etag"), Some(etag.as_str()));
    assert_eq!(
        r.header("x-oss-hash-crc64ecma"),
        Some(crc64(&body).to_string().as_str())
    );
    assert_eq!(r.header("content-md5"), Some(md5_b64(&body).as_str()));
    assert_eq!(r.header("x-oss-request-id").map(str::len), Some(24));
    assert_eq!(r.header("server"), Some("AliyunOSS"));

    let g = c.get("bkt", "dir/a b+c.txt", &[]).await;
    g.expect(200, None);
    assert_eq!(g.body, body);
    assert_eq!(g.header("content-type"), Some("text/plain"));
    assert_eq!(g.header("x-oss-meta-author"), Some("Alice"));
    assert_eq!(g.header("cache-control"), Some("no-cache"));
    assert_eq!(g.header("x-oss-object-type"), Some("Normal"));
    assert_eq!(g.header("etag"), Some(etag.as_str()));

    let h = c.head("bkt", "dir/a b+c.txt").await;
    h.expect(200, None);
    assert!(h.body.is_empty());
    assert_eq!(h.header("content-length"), Some("300000"));
    assert_eq!(h.header("x-oss-meta-author"), Some("Alice"));
    assert_eq!(
        h.header("x-oss-hash-crc64ecma"),
        Some(crc64(&body).to_string().as_str())
    );

    c.send(
        "DELETE",
        Some("bkt"),
        Some("dir/a b+c.txt"),
        &[],
        &[],
        Vec::new(),
    )
    .await
    .expect(204, None);
    // Deleting a missing key is still 204; reading it is NoSuchKey with the key in the body.
    c.send(
        "DELETE",
        Some("bkt"),
        Some("dir/a b+c.txt"),
        &[],
        &[],
        Vec::new(),
    )
    .await
    .expect(204, None);
    let g = c.get("bkt", "dir/a b+c.txt", &[]).await;
    g.expect(404, Some("NoSuchKey"));
    assert_eq!(g.xml("Key").as_deref(), Some("dir/a b+c.txt"));
    assert_eq!(g.xml("EC").as_deref(), Some("0026-00000001"));
    assert_eq!(g.xml("RequestId").as_deref(), g.header("x-oss-request-id"));
    assert!(g.xml("HostId").is_some());
    // HEAD errors have no body but carry the XML in x-oss-err.
    let h = c.head("bkt", "dir/a b+c.txt").await;
    assert_eq!((h.status, h.body.len()), (404, 0));
    assert_eq!(h.header("x-oss-ec"), Some("0026-00000001"));
    assert!(h.header("x-oss-err").is_some());
    server.shutdown().await;
}

#[tokio::test]
async fn content_md5_and_forbid_overwrite() {
    let (server, c) = start().await;
    let body = data(1000, 1);
    let wrong = md5_b64(b"other");
    let r = c
        .put("bkt", "k", &[("Content-MD5", wrong.as_str())], body.clone())
        .await;
    r.expect(400, Some("InvalidDigest"));
    c.get("bkt", "k", &[]).await.expect(404, Some("NoSuchKey"));
    let good = md5_b64(&body);
    c.put("bkt", "k", &[("Content-MD5", good.as_str())], body.clone())
        .await
        .expect(200, None);
    let r = c
        .put(
            "bkt",
            "k",
            &[("x-oss-forbid-overwrite", "true")],
            data(10, 2),
        )
        .await;
    r.expect(409, Some("FileAlreadyExists"));
    assert_eq!(c.get("bkt", "k", &[]).await.body, body);
    c.put(
        "bkt",
        "k",
        &[("x-oss-forbid-overwrite", "false")],
        data(10, 2),
    )
    .await
    .expect(200, None);
    assert_eq!(c.get("bkt", "k", &[]).await.body, data(10, 2));
    server.shutdown().await;
}

#[tokio::test]
async fn ranges_default_and_standard_behaviour() {
    let (server, c) = start().await;
    let body = data(1000, 3);
    c.put("bkt", "r", &[], body.clone()).await.expect(200, None);
    let whole_crc = crc64(&body).to_string();
    let get = |range: &'static str, standard: bool| {
        let c = c.clone();
        async move {
            let mut h = vec![("Range", range)];
            if standard {
                h.push(("x-oss-range-behavior", "standard"));
            }
            c.get("bkt", "r", &h).await
        }
    };
    let r = get("bytes=10-19", false).await;
    r.expect(206, None);
    assert_eq!(r.body, &body[10..20]);
    assert_eq!(r.header("content-range"), Some("bytes 10-19/1000"));
    assert_eq!(r.header("x-oss-hash-crc64ecma"), Some(whole_crc.as_str()));
    let r = get("bytes=-100", true).await;
    assert_eq!((r.status, r.body.as_slice()), (206, &body[900..]));
    // End beyond the object: OSS default serves everything with 200; standard clamps.
    let r = get("bytes=500-2000", false).await;
    assert_eq!(
        (r.status, r.body.len(), r.header("content-range")),
        (200, 1000, None)
    );
    let r = get("bytes=500-2000", true).await;
    assert_eq!(
        (r.status, r.header("content-range")),
        (206, Some("bytes 500-999/1000"))
    );
    assert_eq!(r.body, &body[500..]);
    // Start beyond the object: default 200 whole, standard 416 InvalidRange.
    assert_eq!(get("bytes=1000-", false).await.status, 200);
    get("bytes=1000-2000", true)
        .await
        .expect(416, Some("InvalidRange"));
    // Invalid syntax is ignored.
    assert_eq!(get("byte=0-1", true).await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn conditional_get() {
    let (server, c) = start().await;
    let body = data(100, 4);
    c.put("bkt", "c", &[], body.clone()).await.expect(200, None);
    let etag = format!("\"{}\"", md5_hex(&body));
    assert_eq!(
        c.get("bkt", "c", &[("If-Match", etag.as_str())])
            .await
            .status,
        200
    );
    c.get("bkt", "c", &[("If-Match", "\"0000\"")])
        .await
        .expect(412, Some("PreconditionFailed"));
    let past = "Mon, 01 Jan 2001 00:00:00 GMT";
    let future = "Fri, 01 Jan 2100 00:00:00 GMT";
    c.get("bkt", "c", &[("If-Unmodified-Since", past)])
        .await
        .expect(412, Some("PreconditionFailed"));
    assert_eq!(
        c.get("bkt", "c", &[("If-Unmodified-Since", future)])
            .await
            .status,
        200
    );
    assert_eq!(
        c.get("bkt", "c", &[("If-None-Match", etag.as_str())])
            .await
            .status,
        304
    );
    assert_eq!(
        c.get("bkt", "c", &[("If-Modified-Since", future)])
            .await
            .status,
        304
    );
    server.shutdown().await;
}

#[tokio::test]
async fn copy_with_copy_and_replace_directives() {
    let (server, c) = start().await;
    let body = data(5000, 5);
    let meta = [("x-oss-meta-color", "red"), ("Content-Type", "image/png")];
    c.put("bkt", "src key+1", &meta, body.clone())
        .await
        .expect(200, None);
    // oss2 encodes everything including '/'; '+' must arrive as %2B.
    let source = "/bkt/src%20key%2B1";
    let r = c
        .send(
            "PUT",
            Some("bkt"),
            Some("dst1"),
            &[],
            &[("x-oss-copy-source", source), ("x-oss-meta-color", "blue")],
            Vec::new(),
        )
        .await;
    r.expect(200, None);
    let etag = format!("\"{}\"", md5_hex(&body));
    assert_eq!(r.xml("ETag").as_deref(), Some(etag.as_str()));
    assert_eq!(
        r.header("x-oss-hash-crc64ecma"),
        Some(crc64(&body).to_string().as_str())
    );
    let g = c.get("bkt", "dst1", &[]).await;
    assert_eq!(g.body, body);
    assert_eq!(
        g.header("x-oss-meta-color"),
        Some("red"),
        "COPY keeps the source metadata"
    );
    assert_eq!(g.header("content-type"), Some("image/png"));
    let replace = [
        ("x-oss-copy-source", source),
        ("x-oss-metadata-directive", "REPLACE"),
        ("x-oss-meta-size", "L"),
    ];
    c.send("PUT", Some("bkt"), Some("dst2"), &[], &replace, Vec::new())
        .await
        .expect(200, None);
    let h = c.head("bkt", "dst2").await;
    assert_eq!(
        h.header("x-oss-meta-color"),
        None,
        "REPLACE drops the source metadata"
    );
    assert_eq!(h.header("x-oss-meta-size"), Some("L"));
    let missing = [("x-oss-copy-source", "/bkt/nope")];
    c.send("PUT", Some("bkt"), Some("dst3"), &[], &missing, Vec::new())
        .await
        .expect(404, Some("NoSuchKey"));
    let bad_md5 = [
        ("x-oss-copy-source", source),
        ("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA=="),
    ];
    c.send("PUT", Some("bkt"), Some("dst4"), &[], &bad_md5, Vec::new())
        .await
        .expect(400, Some("InvalidDigest"));
    server.shutdown().await;
}

#[tokio::test]
async fn list_objects_v2_prefix_delimiter_and_continuation() {
    let (server, c) = start().await;
    for key in ["a/1", "a/2", "b/1", "c", "d e+f", "x/y/z"] {
        c.put("bkt", key, &[], key.as_bytes().to_vec())
            .await
            .expect(200, None);
    }
    let list = |q: Vec<(&'static str, String)>| {
        let c = c.clone();
        async move {
            let q: Vec<(&str, &str)> = q.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let mut all = vec![("list-type", "2")];
            all.extend(q);
            c.send("GET", Some("bkt"), None, &all, &[], Vec::new())
                .await
        }
    };
    let r = list(vec![("delimiter", "/".into())]).await;
    r.expect(200, None);
    assert_eq!(xml_all(&r.text(), "Key"), ["c", "d e+f"]);
    assert_eq!(xml_all(&r.text(), "Prefix")[1..], ["a/", "b/", "x/"]);
    let r = list(vec![("prefix", "a/".into())]).await;
    assert_eq!(xml_all(&r.text(), "Key"), ["a/1", "a/2"]);
    // Pagination over keys and prefixes with max-keys=2.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut q = vec![("delimiter", "/".to_owned()), ("max-keys", "2".to_owned())];
        if let Some(t) = &token {
            q.push(("continuation-token", t.clone()));
        }
        let r = list(q).await;
        r.expect(200, None);
        let text = r.text();
        seen.extend(xml_all(&text, "Key"));
        seen.extend(
            xml_all(&text, "CommonPrefixes")
                .iter()
                .map(|p| client::xml_elem(p, "Prefix").unwrap()),
        );
        match r.xml("IsTruncated").as_deref() {
            Some("true") => token = Some(r.xml("NextContinuationToken").unwrap()),
            _ => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["a/", "b/", "c", "d e+f", "x/"]);
    // encoding-type=url encodes keys (space as %20, '+' as %2B, '/' as %2F).
    let r = list(vec![
        ("encoding-type", "url".into()),
        ("prefix", "d".into()),
    ])
    .await;
    assert_eq!(xml_all(&r.text(), "Key"), ["d%20e%2Bf"]);
    assert_eq!(r.xml("EncodingType").as_deref(), Some("url"));
    // V1 listing with marker.
    let r = c
        .send(
            "GET",
            Some("bkt"),
            None,
            &[("marker", "b/1")],
            &[],
            Vec::new(),
        )
        .await;
    assert_eq!(xml_all(&r.text(), "Key"), ["c", "d e+f", "x/y/z"]);
    server.shutdown().await;
}

#[tokio::test]
async fn delete_multiple_objects() {
    let (server, c) = start().await;
    for key in ["x1", "x 2", "keep"] {
        c.put("bkt", key, &[], vec![1]).await.expect(200, None);
    }
    let body = b"<Delete><Quiet>false</Quiet><Object><Key>x1</Key></Object><Object><Key>x 2</Key></Object><Object><Key>never</Key></Object></Delete>".to_vec();
    let md5 = md5_b64(&body);
    let q = [("delete", ""), ("encoding-type", "url")];
    let r = c
        .send(
            "POST",
            Some("bkt"),
            None,
            &q,
            &[("Content-MD5", md5.as_str())],
            body.clone(),
        )
        .await;
    r.expect(200, None);
    assert_eq!(xml_all(&r.text(), "Key"), ["x1", "x%202", "never"]);
    c.get("bkt", "x 2", &[])
        .await
        .expect(404, Some("NoSuchKey"));
    c.get("bkt", "keep", &[]).await.expect(200, None);
    let r = c.send("POST", Some("bkt"), None, &q, &[], body).await;
    r.expect(400, Some("MissingArgument"));
    server.shutdown().await;
}

#[tokio::test]
async fn buckets_create_list_delete() {
    let (server, c) = start().await;
    c.put_bucket("new-bucket").await.expect(200, None);
    c.put_bucket("Bad_Name")
        .await
        .expect(400, Some("InvalidBucketName"));
    let r = c.send("GET", None, None, &[], &[], Vec::new()).await;
    assert_eq!(xml_all(&r.text(), "Name"), ["bkt", "new-bucket"]);
    c.put("new-bucket", "k", &[], vec![1])
        .await
        .expect(200, None);
    c.send("DELETE", Some("new-bucket"), None, &[], &[], Vec::new())
        .await
        .expect(409, Some("BucketNotEmpty"));
    c.send(
        "DELETE",
        Some("new-bucket"),
        Some("k"),
        &[],
        &[],
        Vec::new(),
    )
    .await
    .expect(204, None);
    c.send("DELETE", Some("new-bucket"), None, &[], &[], Vec::new())
        .await
        .expect(204, None);
    c.put("new-bucket", "k", &[], vec![1])
        .await
        .expect(404, Some("NoSuchBucket"));
    server.shutdown().await;
}

#[tokio::test]
async fn virtual_hosted_addressing() {
    let (server, c) = start().await;
    c.put("bkt", "dir/v.txt", &[], b"hello".to_vec())
        .await
        .expect(200, None);
    // Virtual-hosted: Host bkt.localhost:<port>, path /dir/v.txt; the signature names the bucket.
    let signed = c.sign("GET", Some("bkt"), Some("dir/v.txt"), &[], &[]);
    let host = format!("bkt.localhost:{}", server.oss_addr().port());
    let mut rb = c
        .http
        .get(format!("{}/dir/v.txt", server.oss_url()))
        .header("Host", host);
    for (n, v) in &signed {
        rb = rb.header(n.as_str(), v.as_str());
    }
    let r = client::read(rb.send().await.unwrap()).await;
    r.expect(200, None);
    assert_eq!(r.body, b"hello");
    server.shutdown().await;
}

#[tokio::test]
async fn fast_etag_mode_skips_md5_but_still_checks_content_md5() {
    let config = oss_devserver::DevServerConfig::default().with_fast_etags(true);
    let (server, c) = client::start_with(config).await;
    let body = data(1000, 8);
    let r = c.put("bkt", "f", &[], body.clone()).await;
    r.expect(200, None);
    let expected = format!("\"{:016X}{:016X}\"", crc64(&body), body.len());
    assert_eq!(r.header("etag"), Some(expected.as_str()));
    assert_eq!(r.header("content-md5"), None);
    let good = md5_b64(&body);
    let r = c
        .put("bkt", "f", &[("Content-MD5", good.as_str())], body.clone())
        .await;
    assert_eq!(r.header("etag").unwrap(), format!("\"{}\"", md5_hex(&body)));
    let r = c
        .put("bkt", "f", &[("Content-MD5", md5_b64(b"x").as_str())], body)
        .await;
    r.expect(400, Some("InvalidDigest"));
    server.shutdown().await;
}

#[tokio::test]
async fn chunked_put_without_content_length() {
    let (server, c) = start().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(data(70_000, 1)), Ok(data(5, 2))];
    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    c.send("PUT", Some("bkt"), Some("chunked"), &[], &[], body)
        .await
        .expect(200, None);
    let mut expected = data(70_000, 1);
    expected.extend(data(5, 2));
    assert_eq!(c.get("bkt", "chunked", &[]).await.body, expected);
    server.shutdown().await;
}
