//! Multipart uploads in progress survive a restart of a directory-mode server, and a part whose
//! files were damaged or left half-written is never served.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use std::path::{Path, PathBuf};

use client::{Client, Resp, crc64, cse_envelope, data, md5_hex, start_with, xml_all};
use oss_devserver::{DevServer, DevServerConfig};

const KEY: &str = "dir/resumed file";

fn config(dir: &Path) -> DevServerConfig {
    DevServerConfig::default().with_data_dir(dir)
}

async fn restart(server: DevServer, dir: &Path) -> (DevServer, Client) {
    server.shutdown().await;
    let server = DevServer::start(config(dir)).await.unwrap();
    let c = Client::new(&server);
    (server, c)
}

async fn initiate(c: &Client, headers: &[(&str, &str)]) -> String {
    let r = c.initiate("bkt", KEY, headers).await;
    r.expect(200, None);
    r.xml("UploadId").unwrap()
}

async fn part(c: &Client, id: &str, n: u32, headers: &[(&str, &str)], body: Vec<u8>) -> String {
    let n = n.to_string();
    let q = [("partNumber", n.as_str()), ("uploadId", id)];
    let r = c
        .send("PUT", Some("bkt"), Some(KEY), &q, headers, body)
        .await;
    r.expect(200, None);
    r.header("etag").unwrap().to_owned()
}

async fn list_parts(c: &Client, id: &str) -> Resp {
    c.send(
        "GET",
        Some("bkt"),
        Some(KEY),
        &[("uploadId", id)],
        &[],
        Vec::new(),
    )
    .await
}

async fn list_uploads(c: &Client) -> Resp {
    let r = c
        .send(
            "GET",
            Some("bkt"),
            None,
            &[("uploads", "")],
            &[],
            Vec::new(),
        )
        .await;
    r.expect(200, None);
    r
}

async fn complete(c: &Client, id: &str, parts: &[(u32, &str)]) -> Resp {
    let mut xml = String::from("<CompleteMultipartUpload>");
    for (n, etag) in parts {
        xml.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    let q = [("uploadId", id)];
    c.send("POST", Some("bkt"), Some(KEY), &q, &[], xml.into_bytes())
        .await
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// The data file of part `n` (its name starts with the part number).
fn part_file(upload_dir: &Path, n: u32) -> PathBuf {
    let prefix = format!("{n}-");
    let mut found = entries(&upload_dir.join("data")).into_iter().filter(|p| {
        p.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(&prefix)
    });
    let file = found.next().unwrap();
    assert!(found.next().is_none(), "one data file per part");
    file
}

#[tokio::test]
async fn an_upload_resumes_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (server, c) = start_with(config(dir.path())).await;
    let env = cse_envelope("250000", "102400");
    let mut initiate_headers = env.clone();
    initiate_headers.extend([("Content-Type", "text/x"), ("x-oss-meta-origin", "resume")]);
    let id = initiate(&c, &initiate_headers).await;
    let bodies = [data(102_400, 1), data(102_400, 2), data(45_200, 3)];
    let e1 = part(&c, &id, 1, &env, bodies[0].clone()).await;
    let e2 = part(&c, &id, 2, &[], bodies[1].clone()).await;

    let (server, c) = restart(server, dir.path()).await;
    let r = list_parts(&c, &id).await;
    r.expect(200, None);
    assert_eq!(xml_all(&r.text(), "PartNumber"), ["1", "2"]);
    assert_eq!(xml_all(&r.text(), "ETag"), [e1.clone(), e2.clone()]);
    assert_eq!(xml_all(&r.text(), "Size"), ["102400", "102400"]);
    let crcs = [crc64(&bodies[0]).to_string(), crc64(&bodies[1]).to_string()];
    assert_eq!(xml_all(&r.text(), "HashCrc64ecma"), crcs);
    assert_eq!(r.xml("ClientEncryptionDataSize").as_deref(), Some("250000"));
    assert_eq!(e1, format!("\"{}\"", md5_hex(&bodies[0])));
    let listed = list_uploads(&c).await;
    assert_eq!(xml_all(&listed.text(), "UploadId"), [id.as_str()]);
    assert_eq!(xml_all(&listed.text(), "Key"), [KEY]);

    let e3 = part(&c, &id, 3, &[], bodies[2].clone()).await;
    complete(&c, &id, &[(1, &e1), (2, &e2), (3, &e3)])
        .await
        .expect(200, None);
    let g = c.get("bkt", KEY, &[]).await;
    g.expect(200, None);
    assert_eq!(g.body, bodies.concat());
    assert_eq!(g.header("content-type"), Some("text/x"));
    assert_eq!(g.header("x-oss-meta-origin"), Some("resume"));
    for (name, value) in &env {
        assert_eq!(g.header(name), Some(*value), "{name}");
    }
    assert!(entries(&dir.path().join("uploads")).is_empty());
    list_parts(&c, &id).await.expect(404, Some("NoSuchUpload"));
    server.shutdown().await;
}

#[tokio::test]
async fn abort_after_a_restart_removes_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let (server, c) = start_with(config(dir.path())).await;
    let id = initiate(&c, &[]).await;
    part(&c, &id, 1, &[], data(1000, 1)).await;
    let upload_dir = dir.path().join("uploads").join(&id);
    assert!(part_file(&upload_dir, 1).exists());

    let (server, c) = restart(server, dir.path()).await;
    let q = [("uploadId", id.as_str())];
    c.send("DELETE", Some("bkt"), Some(KEY), &q, &[], Vec::new())
        .await
        .expect(204, None);
    assert!(!upload_dir.exists());
    assert!(entries(&dir.path().join("tmp")).is_empty());
    list_parts(&c, &id).await.expect(404, Some("NoSuchUpload"));
    assert!(xml_all(&list_uploads(&c).await.text(), "UploadId").is_empty());

    let (server, c) = restart(server, dir.path()).await;
    list_parts(&c, &id).await.expect(404, Some("NoSuchUpload"));
    server.shutdown().await;
}

#[tokio::test]
async fn damaged_part_files_are_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let (server, c) = start_with(config(dir.path())).await;
    let id = initiate(&c, &[]).await;
    let e1 = part(&c, &id, 1, &[], data(102_400, 1)).await;
    part(&c, &id, 2, &[], data(5000, 2)).await;
    part(&c, &id, 3, &[], data(7000, 3)).await;
    // A second upload of part 3 replaces the first one's bytes.
    let e3 = part(&c, &id, 3, &[], data(6000, 4)).await;
    let upload_dir = dir.path().join("uploads").join(&id);
    let short = part_file(&upload_dir, 2);
    let replaced = part_file(&upload_dir, 3);
    // An Initiate interrupted before its record was written.
    let orphan = dir.path().join("uploads").join("ORPHAN");
    std::fs::create_dir_all(orphan.join("data")).unwrap();
    server.shutdown().await;

    // Part 2's bytes are cut short, part 3's record is garbage, a stray data file appears.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&short)
        .unwrap();
    file.set_len(4000).unwrap();
    drop(file);
    std::fs::write(upload_dir.join("parts/3.json"), b"{not json").unwrap();
    let stray = upload_dir.join("data/stray");
    std::fs::write(&stray, b"x").unwrap();

    let server = DevServer::start(config(dir.path())).await.unwrap();
    let c = Client::new(&server);
    let r = list_parts(&c, &id).await;
    r.expect(200, None);
    assert_eq!(xml_all(&r.text(), "PartNumber"), ["1"]);
    assert!(!short.exists() && !replaced.exists() && !stray.exists());
    assert!(!orphan.exists());
    let q = [("uploadId", id.as_str())];
    let r = c
        .send(
            "POST",
            Some("bkt"),
            Some(KEY),
            &q,
            &[("x-oss-complete-all", "yes")],
            Vec::new(),
        )
        .await;
    r.expect(200, None);
    assert_eq!(c.get("bkt", KEY, &[]).await.body, data(102_400, 1));
    let stale = complete(&c, &id, &[(1, &e1), (3, &e3)]).await;
    stale.expect(404, Some("NoSuchUpload"));
    server.shutdown().await;
}
