//! ListMultipartUploads paging: `max-uploads`, `key-marker`, `upload-id-marker`, `prefix` and
//! `encoding-type=url`.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{Client, Resp, start, xml_all};

async fn initiate(c: &Client, key: &str) -> String {
    let r = c.initiate("bkt", key, &[]).await;
    r.expect(200, None);
    r.xml("UploadId").unwrap()
}

async fn list(c: &Client, query: &[(&str, &str)]) -> Resp {
    let mut q = vec![("uploads", "")];
    q.extend_from_slice(query);
    c.send("GET", Some("bkt"), None, &q, &[], Vec::new()).await
}

/// (key, upload id) of every upload in a page, in document order.
fn uploads(r: &Resp) -> Vec<(String, String)> {
    r.expect(200, None);
    let text = r.text();
    let keys = xml_all(&text, "Key");
    keys.into_iter().zip(xml_all(&text, "UploadId")).collect()
}

/// Five uploads, two of them for the same key, in (key, id) order.
async fn five(c: &Client) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for key in ["d +x", "b", "a", "c", "b"] {
        all.push((key.to_owned(), initiate(c, key).await));
    }
    all.sort();
    all
}

#[tokio::test]
async fn pages_visit_every_upload_once_in_order() {
    let (server, c) = start().await;
    let all = five(&c).await;
    let mut seen = Vec::new();
    let (mut key_marker, mut id_marker) = (String::new(), String::new());
    for round in 0.. {
        assert!(round < 5, "paging does not end");
        let q = [
            ("max-uploads", "2"),
            ("key-marker", key_marker.as_str()),
            ("upload-id-marker", id_marker.as_str()),
        ];
        let r = list(&c, &q).await;
        let page = uploads(&r);
        assert!(page.len() <= 2);
        assert_eq!(r.xml("MaxUploads").as_deref(), Some("2"));
        assert_eq!(r.xml("KeyMarker").unwrap(), key_marker);
        assert_eq!(r.xml("UploadIdMarker").unwrap(), id_marker);
        key_marker = r.xml("NextKeyMarker").unwrap();
        id_marker = r.xml("NextUploadIdMarker").unwrap();
        assert_eq!(Some(&(key_marker.clone(), id_marker.clone())), page.last());
        seen.extend(page);
        if r.xml("IsTruncated").as_deref() == Some("false") {
            break;
        }
        assert_eq!(r.xml("IsTruncated").as_deref(), Some("true"));
    }
    assert_eq!(seen, all);
    // The page boundary falls between the two uploads of "b": the upload-id marker counts.
    assert_eq!(all[1].0, "b");
    assert_eq!(all[2].0, "b");
    server.shutdown().await;
}

#[tokio::test]
async fn markers_prefix_and_url_encoding() {
    let (server, c) = start().await;
    let all = five(&c).await;
    let r = list(&c, &[]).await;
    assert_eq!(uploads(&r), all);
    assert_eq!(r.xml("MaxUploads").as_deref(), Some("1000"));
    assert_eq!(r.xml("IsTruncated").as_deref(), Some("false"));
    // A key marker alone skips every upload of that key.
    let r = list(&c, &[("key-marker", "b")]).await;
    assert_eq!(uploads(&r), all[3..]);
    // An id marker without a key marker is ignored.
    let r = list(&c, &[("upload-id-marker", "FFFFFFFF")]).await;
    assert_eq!(uploads(&r), all);
    let r = list(&c, &[("prefix", "b")]).await;
    assert_eq!(uploads(&r), all[1..3]);
    assert_eq!(r.xml("Prefix").as_deref(), Some("b"));
    let q = [
        ("encoding-type", "url"),
        ("key-marker", "c"),
        ("prefix", "d +"),
    ];
    let r = list(&c, &q).await;
    r.expect(200, None);
    assert_eq!(r.xml("EncodingType").as_deref(), Some("url"));
    assert_eq!(xml_all(&r.text(), "Key"), ["d%20%2Bx"]);
    assert_eq!(r.xml("Prefix").as_deref(), Some("d%20%2B"));
    assert_eq!(r.xml("NextKeyMarker").as_deref(), Some("d%20%2Bx"));
    server.shutdown().await;
}

#[tokio::test]
async fn invalid_max_uploads_is_refused() {
    let (server, c) = start().await;
    initiate(&c, "k").await;
    for bad in ["0", "1001", "-1", "two"] {
        let r = list(&c, &[("max-uploads", bad)]).await;
        r.expect(400, Some("InvalidArgument"));
        assert_eq!(r.xml("ArgumentName").as_deref(), Some("max-uploads"));
    }
    let r = list(&c, &[("max-uploads", "1000")]).await;
    assert_eq!(uploads(&r).len(), 1);
    server.shutdown().await;
}
