//! Raw-HTTP tests of multipart uploads: the OSS ETag and CRC rules, Complete's checks, Abort,
//! ListParts pagination, UploadPartCopy.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{Client, Resp, crc64, data, md5_hex, start, xml_all};

async fn initiate(c: &Client, key: &str, headers: &[(&str, &str)]) -> String {
    let r = c.initiate("bkt", key, headers).await;
    r.expect(200, None);
    let id = r.xml("UploadId").unwrap();
    assert_eq!(id.len(), 32);
    id
}

async fn part(
    c: &Client,
    key: &str,
    id: &str,
    n: u32,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Resp {
    let n = n.to_string();
    c.send(
        "PUT",
        Some("bkt"),
        Some(key),
        &[("partNumber", &n), ("uploadId", id)],
        headers,
        body,
    )
    .await
}

fn complete_xml(parts: &[(u32, String)]) -> Vec<u8> {
    let mut s = String::from("<CompleteMultipartUpload>");
    for (n, etag) in parts {
        s.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    s.push_str("</CompleteMultipartUpload>");
    s.into_bytes()
}

async fn complete(c: &Client, key: &str, id: &str, parts: &[(u32, String)]) -> Resp {
    c.send(
        "POST",
        Some("bkt"),
        Some(key),
        &[("uploadId", id)],
        &[],
        complete_xml(parts),
    )
    .await
}

#[tokio::test]
async fn multipart_roundtrip_matches_the_real_oss_etag_vector() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let file = v.bytes("bing-wallpaper-482048.jpg");
    let (server, c) = start().await;
    let id = initiate(&c, "bing.jpg", &[("x-oss-meta-origin", "go-sdk")]).await;
    let mut etags = Vec::new();
    for (i, chunk) in file.chunks(102_400).enumerate() {
        let n = u32::try_from(i + 1).unwrap();
        let r = part(&c, "bing.jpg", &id, n, &[], chunk.to_vec()).await;
        r.expect(200, None);
        assert_eq!(r.header("etag").unwrap(), format!("\"{}\"", md5_hex(chunk)));
        assert_eq!(
            r.header("x-oss-hash-crc64ecma").unwrap(),
            crc64(chunk).to_string()
        );
        etags.push((n, r.header("etag").unwrap().to_owned()));
    }
    let r = complete(&c, "bing.jpg", &id, &etags).await;
    r.expect(200, None);
    let cases = v.multipart_etag().cases;
    let expected = cases.iter().find(|c| c.id == "go1-bing-5-parts").unwrap();
    let expected = expected.expected_etag.clone();
    assert_eq!(r.xml("ETag").as_deref(), Some(expected.as_str()));
    assert_eq!(r.header("etag"), Some(expected.as_str()));
    assert_eq!(
        r.header("x-oss-hash-crc64ecma").unwrap(),
        crc64(&file).to_string()
    );
    let g = c.get("bkt", "bing.jpg", &[]).await;
    assert_eq!(g.body, file);
    assert_eq!(g.header("x-oss-object-type"), Some("Multipart"));
    assert_eq!(g.header("x-oss-meta-origin"), Some("go-sdk"));
    assert_eq!(
        g.header("x-oss-hash-crc64ecma").unwrap(),
        crc64(&file).to_string()
    );
    // The upload id is gone.
    part(&c, "bing.jpg", &id, 1, &[], vec![1])
        .await
        .expect(404, Some("NoSuchUpload"));
    server.shutdown().await;
}

#[tokio::test]
async fn complete_checks_order_parts_and_sizes() {
    let (server, c) = start().await;
    let id = initiate(&c, "k", &[]).await;
    let big = data(102_400, 1);
    let e1 = part(&c, "k", &id, 1, &[], big.clone())
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let e2 = part(&c, "k", &id, 2, &[], data(10, 2))
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let e3 = part(&c, "k", &id, 3, &[], data(10, 3))
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let r = complete(&c, "k", &id, &[(2, e2.clone()), (1, e1.clone())]).await;
    r.expect(400, Some("InvalidPartOrder"));
    let r = complete(&c, "k", &id, &[(1, e1.clone()), (2, "\"0123\"".into())]).await;
    r.expect(400, Some("InvalidPart"));
    let r = complete(&c, "k", &id, &[(1, e1.clone()), (4, e2.clone())]).await;
    r.expect(400, Some("InvalidPart"));
    let r = complete(&c, "k", &id, &[(2, e2.clone()), (3, e3.clone())]).await;
    r.expect(400, Some("EntityTooSmall"));
    let r = c
        .send(
            "POST",
            Some("bkt"),
            Some("k"),
            &[("uploadId", &id)],
            &[],
            b"<nope".to_vec(),
        )
        .await;
    r.expect(400, Some("MalformedXML"));
    complete(&c, "k", &id, &[])
        .await
        .expect(400, Some("MalformedXML"));
    // Gaps are allowed; unlisted parts are discarded. ETags compare without quotes/case.
    let r = complete(
        &c,
        "k",
        &id,
        &[(1, e1.to_lowercase()), (3, e3.trim_matches('"').to_owned())],
    )
    .await;
    r.expect(200, None);
    let mut expected = big;
    expected.extend(data(10, 3));
    assert_eq!(c.get("bkt", "k", &[]).await.body, expected);
    server.shutdown().await;
}

#[tokio::test]
async fn complete_honours_forbid_overwrite_and_complete_all() {
    let (server, c) = start().await;
    c.put("bkt", "taken", &[], vec![1]).await.expect(200, None);
    let id = initiate(&c, "taken", &[]).await;
    let e = part(&c, "taken", &id, 1, &[], data(5, 1))
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let r = c
        .send(
            "POST",
            Some("bkt"),
            Some("taken"),
            &[("uploadId", &id)],
            &[("x-oss-forbid-overwrite", "true")],
            complete_xml(&[(1, e.clone())]),
        )
        .await;
    r.expect(409, Some("FileAlreadyExists"));
    let all = [("x-oss-complete-all", "yes")];
    let r = c
        .send(
            "POST",
            Some("bkt"),
            Some("taken"),
            &[("uploadId", &id)],
            &all,
            complete_xml(&[(1, e)]),
        )
        .await;
    r.expect(400, Some("InvalidArgument"));
    assert_eq!(r.xml("EC").as_deref(), Some("0042-00000216"));
    let r = c
        .send(
            "POST",
            Some("bkt"),
            Some("taken"),
            &[("uploadId", &id)],
            &all,
            Vec::new(),
        )
        .await;
    r.expect(200, None);
    assert_eq!(c.get("bkt", "taken", &[]).await.body, data(5, 1));
    server.shutdown().await;
}

#[tokio::test]
async fn abort_list_parts_and_part_number_bounds() {
    let (server, c) = start().await;
    let id = initiate(&c, "lp", &[]).await;
    for n in 1..=5 {
        part(&c, "lp", &id, n, &[], data(100, u8::try_from(n).unwrap()))
            .await
            .expect(200, None);
    }
    part(&c, "lp", &id, 0, &[], vec![1])
        .await
        .expect(400, Some("InvalidArgument"));
    part(&c, "lp", &id, 10_001, &[], vec![1])
        .await
        .expect(400, Some("InvalidArgument"));
    let list = |marker: &'static str| {
        let (c, id) = (c.clone(), id.clone());
        async move {
            let q = [
                ("uploadId", id.as_str()),
                ("max-parts", "2"),
                ("part-number-marker", marker),
            ];
            c.send("GET", Some("bkt"), Some("lp"), &q, &[], Vec::new())
                .await
        }
    };
    let r = list("0").await;
    r.expect(200, None);
    assert_eq!(xml_all(&r.text(), "PartNumber"), ["1", "2"]);
    assert_eq!(r.xml("IsTruncated").as_deref(), Some("true"));
    assert_eq!(r.xml("NextPartNumberMarker").as_deref(), Some("2"));
    assert_eq!(xml_all(&r.text(), "Size"), ["100", "100"]);
    assert_eq!(
        xml_all(&r.text(), "HashCrc64ecma")[0],
        crc64(&data(100, 1)).to_string()
    );
    // oss2 sends the marker empty on the first page.
    let r = list("").await;
    assert_eq!(xml_all(&r.text(), "PartNumber"), ["1", "2"]);
    let r = list("4").await;
    assert_eq!(xml_all(&r.text(), "PartNumber"), ["5"]);
    assert_eq!(r.xml("IsTruncated").as_deref(), Some("false"));
    assert_eq!(r.xml("ClientEncryptionKey"), None);
    c.send(
        "DELETE",
        Some("bkt"),
        Some("lp"),
        &[("uploadId", &id)],
        &[],
        Vec::new(),
    )
    .await
    .expect(204, None);
    c.send(
        "DELETE",
        Some("bkt"),
        Some("lp"),
        &[("uploadId", &id)],
        &[],
        Vec::new(),
    )
    .await
    .expect(404, Some("NoSuchUpload"));
    list("0").await.expect(404, Some("NoSuchUpload"));
    server.shutdown().await;
}

#[tokio::test]
async fn upload_part_copy_with_range() {
    let (server, c) = start().await;
    let src = data(300_000, 9);
    c.put("bkt", "src", &[], src.clone())
        .await
        .expect(200, None);
    let id = initiate(&c, "dst", &[]).await;
    let q = [("partNumber", "1"), ("uploadId", id.as_str())];
    let h = [
        ("x-oss-copy-source", "/bkt/src"),
        ("x-oss-copy-source-range", "bytes=0-199999"),
    ];
    let r = c
        .send("PUT", Some("bkt"), Some("dst"), &q, &h, Vec::new())
        .await;
    r.expect(200, None);
    let e1 = r.xml("ETag").unwrap();
    assert_eq!(e1, format!("\"{}\"", md5_hex(&src[..200_000])));
    let e2 = part(&c, "dst", &id, 2, &[], src[200_000..].to_vec())
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    complete(&c, "dst", &id, &[(1, e1), (2, e2)])
        .await
        .expect(200, None);
    assert_eq!(c.get("bkt", "dst", &[]).await.body, src);
    server.shutdown().await;
}
