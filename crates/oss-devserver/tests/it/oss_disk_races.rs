//! A directory-mode server under concurrent requests for the same object or upload: a
//! retried CompleteMultipartUpload, an Abort racing a Complete, and reads racing overwrites
//! never see a data file removed under them (which used to surface as a 500 "No such file or
//! directory").

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use std::sync::Arc;

use client::{Client, Resp, data, start_with};
use futures::future::join_all;
use oss_devserver::DevServerConfig;

const KEY: &str = "race/object";
const PART: usize = 4 * 1024 * 1024;

async fn upload_parts(c: &Client, parts: &[Vec<u8>]) -> (String, String) {
    let r = c.initiate("bkt", KEY, &[]).await;
    r.expect(200, None);
    let id = r.xml("UploadId").unwrap();
    let mut xml = String::from("<CompleteMultipartUpload>");
    for (i, body) in parts.iter().enumerate() {
        let n = (i + 1).to_string();
        let q = [("partNumber", n.as_str()), ("uploadId", id.as_str())];
        let r = c
            .send("PUT", Some("bkt"), Some(KEY), &q, &[], body.clone())
            .await;
        r.expect(200, None);
        let etag = r.header("etag").unwrap();
        xml.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    (id, xml)
}

async fn complete(c: &Client, id: &str, xml: &str) -> Resp {
    let q = [("uploadId", id)];
    c.send(
        "POST",
        Some("bkt"),
        Some(KEY),
        &q,
        &[],
        xml.as_bytes().to_vec(),
    )
    .await
}

async fn abort(c: &Client, id: &str) -> Resp {
    let q = [("uploadId", id)];
    c.send("DELETE", Some("bkt"), Some(KEY), &q, &[], Vec::new())
        .await
}

fn assert_done_or_gone(r: &Resp) {
    assert!(
        r.status == 200 || (r.status == 404 && r.code().as_deref() == Some("NoSuchUpload")),
        "status {} body {}",
        r.status,
        r.text()
    );
}

#[tokio::test]
async fn concurrent_completes_of_one_upload_succeed_once_and_never_fail_internally() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, c) = start_with(DevServerConfig::default().with_data_dir(dir.path())).await;
    let c = Arc::new(c);
    for round in 0..3u8 {
        let parts: Vec<Vec<u8>> = (0..3).map(|i| data(PART, round * 8 + i)).collect();
        let (id, xml) = upload_parts(&c, &parts).await;
        let answers = join_all((0..4).map(|_| complete(&c, &id, &xml))).await;
        answers.iter().for_each(assert_done_or_gone);
        let done = answers.iter().filter(|r| r.status == 200).count();
        assert!(done >= 1, "round {round}: no Complete succeeded");
        let etags: Vec<_> = answers
            .iter()
            .filter(|r| r.status == 200)
            .map(|r| r.xml("ETag").unwrap())
            .collect();
        assert!(etags.windows(2).all(|w| w[0] == w[1]), "{etags:?}");
        assert_eq!(c.get("bkt", KEY, &[]).await.body, parts.concat());
    }
}

#[tokio::test]
async fn an_abort_racing_a_complete_leaves_either_the_object_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, c) = start_with(DevServerConfig::default().with_data_dir(dir.path())).await;
    for round in 0..3u8 {
        let parts: Vec<Vec<u8>> = (0..3).map(|i| data(PART, round * 8 + i)).collect();
        c.send("DELETE", Some("bkt"), Some(KEY), &[], &[], Vec::new())
            .await;
        let (id, xml) = upload_parts(&c, &parts).await;
        let (completed, aborted) = tokio::join!(complete(&c, &id, &xml), abort(&c, &id));
        assert_done_or_gone(&completed);
        assert!(
            aborted.status == 204 || aborted.code().as_deref() == Some("NoSuchUpload"),
            "abort: {} {}",
            aborted.status,
            aborted.text()
        );
        let got = c.get("bkt", KEY, &[]).await;
        if completed.status == 200 {
            assert_eq!(got.body, parts.concat());
        } else {
            got.expect(404, Some("NoSuchKey"));
        }
    }
}

#[tokio::test]
async fn reads_racing_overwrites_see_one_whole_version() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, c) = start_with(DevServerConfig::default().with_data_dir(dir.path())).await;
    let versions: Vec<Vec<u8>> = (0..2).map(|i| data(256 * 1024, i)).collect();
    c.put("bkt", KEY, &[], versions[0].clone())
        .await
        .expect(200, None);
    let writer = async {
        for i in 0..60 {
            c.put("bkt", KEY, &[], versions[i % 2].clone())
                .await
                .expect(200, None);
        }
    };
    let reader = async {
        for _ in 0..120 {
            let r = c.get("bkt", KEY, &[]).await;
            assert_eq!(r.status, 200, "{}", r.text());
            assert!(versions.contains(&r.body), "a torn or foreign body");
        }
    };
    tokio::join!(writer, reader);
}
