//! Object operations against the dev server: put/get/head/delete, metadata pass-through,
//! range semantics, conditionals, copy, error mapping, V1 and STS signing.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use common::{BUCKET, builder, client, data, server};
use oss_client::http::{HeaderMap, Method};
use oss_client::{
    ByteRange, CopyRequest, Credentials, Error, GetOptions, MetadataDirective, PutPayload,
    SignatureVersion, crc64, header,
};

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (n, v) in pairs {
        let (n, v) = header(n, v).unwrap();
        map.insert(n, v);
    }
    map
}

#[tokio::test]
async fn put_get_head_delete_round_trip() {
    let server = server().await;
    let client = client(&server);
    let body = data(300_000, 1);
    let key = "dir/a b+c~ä.bin";
    let meta = headers(&[
        ("x-oss-meta-author", "alice"),
        ("content-type", "application/x-test"),
    ]);
    let put = client
        .put_object(key, PutPayload::from_bytes(body.clone()), &meta)
        .await
        .unwrap();
    assert_eq!(put.crc64, Some(crc64(&body)));
    assert_eq!(put.etag.len(), 34);

    let (got_meta, got) = client
        .get_object_bytes(key, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got, body);
    assert_eq!(got_meta.status, 200);
    assert_eq!(got_meta.etag(), Some(put.etag.as_str()));
    assert_eq!(got_meta.header("x-oss-meta-author"), Some("alice"));
    assert_eq!(got_meta.content_type(), Some("application/x-test"));

    let head = client.head_object(key, &HeaderMap::new()).await.unwrap();
    assert_eq!(head.content_length(), Some(300_000));
    assert_eq!(head.crc64(), Some(crc64(&body)));
    assert_eq!(
        head.user_metadata(),
        vec![("author".to_owned(), "alice".to_owned())]
    );

    client.delete_object(key).await.unwrap();
    let missing = client
        .head_object(key, &HeaderMap::new())
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    let missing = client
        .get_object(key, &GetOptions::default())
        .await
        .unwrap_err();
    assert_eq!(missing.service_error().unwrap().code, "NoSuchKey");
    assert!(missing.is_not_found() && !missing.is_retryable());
    // Deleting a missing key succeeds, as on OSS.
    client.delete_object(key).await.unwrap();
}

#[tokio::test]
async fn range_semantics() {
    let server = server().await;
    let client = client(&server);
    let body = data(1000, 2);
    client
        .put_object("r", PutPayload::from_bytes(body.clone()), &HeaderMap::new())
        .await
        .unwrap();
    let get = |range, standard| {
        let options = GetOptions::default()
            .with_range(range)
            .with_standard_range_behavior(standard);
        let client = client.clone();
        async move { client.get_object_bytes("r", &options).await }
    };
    let (m, b) = get(ByteRange::Inclusive(10, 19), true).await.unwrap();
    assert_eq!((m.status, &b[..]), (206, &body[10..20]));
    assert_eq!(m.header("content-range"), Some("bytes 10-19/1000"));
    let (m, b) = get(ByteRange::Suffix(7), true).await.unwrap();
    assert_eq!((m.status, &b[..]), (206, &body[993..]));
    let (m, b) = get(ByteRange::From(990), true).await.unwrap();
    assert_eq!((m.status, &b[..]), (206, &body[990..]));
    // End past the object: clamped with standard behaviour, whole object without it.
    let (m, b) = get(ByteRange::Inclusive(500, 2000), true).await.unwrap();
    assert_eq!((m.status, &b[..]), (206, &body[500..]));
    assert_eq!(
        m.content_range(),
        Ok(Some(oss_client::ContentRange::Satisfied {
            first: 500,
            last: 999,
            size: 1000
        }))
    );
    let (m, b) = get(ByteRange::Inclusive(500, 2000), false).await.unwrap();
    assert_eq!((m.status, &b[..]), (200, &body[..]));
    // Start past the object: 416 with standard behaviour.
    let e = get(ByteRange::From(1000), true).await.unwrap_err();
    assert_eq!(
        e.service_error().map(|s| (s.status, s.code.as_str())),
        Some((416, "InvalidRange"))
    );
}

#[tokio::test]
async fn conditionals_and_extra_headers_pass_through() {
    let server = server().await;
    let client = client(&server);
    let put = client
        .put_object("c", PutPayload::from_bytes("abc"), &HeaderMap::new())
        .await
        .unwrap();
    let ok = GetOptions::default().with_headers(&headers(&[("if-match", &put.etag)]));
    assert_eq!(
        &client.get_object_bytes("c", &ok).await.unwrap().1[..],
        b"abc"
    );
    let wrong = GetOptions::default().with_headers(&headers(&[(
        "if-match",
        "\"00000000000000000000000000000000\"",
    )]));
    assert!(matches!(
        client.get_object("c", &wrong).await.unwrap_err(),
        Error::PreconditionFailed(_)
    ));
    let not_modified =
        GetOptions::default().with_headers(&headers(&[("if-none-match", &put.etag)]));
    assert!(matches!(
        client.get_object("c", &not_modified).await.unwrap_err(),
        Error::PreconditionFailed(_)
    ));
    let forbid = headers(&[("x-oss-forbid-overwrite", "true")]);
    let e = client
        .put_object("c", PutPayload::from_bytes("x"), &forbid)
        .await
        .unwrap_err();
    assert_eq!(
        e.service_error().map(|s| s.code.as_str()),
        Some("FileAlreadyExists")
    );
}

#[tokio::test]
async fn copy_with_metadata_directives() {
    let server = server().await;
    let client = client(&server);
    let src_meta = headers(&[("x-oss-meta-color", "red")]);
    let put = client
        .put_object("src/one", PutPayload::from_bytes("payload"), &src_meta)
        .await
        .unwrap();
    let copied = client
        .copy_object(&CopyRequest::new("src/one", "dst/copy"))
        .await
        .unwrap();
    assert_eq!(copied.etag, put.etag);
    let head = client
        .head_object("dst/copy", &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(head.header("x-oss-meta-color"), Some("red"));
    let replace = CopyRequest::new("src/one", "dst/replaced")
        .with_metadata_directive(MetadataDirective::Replace)
        .with_headers(&headers(&[("x-oss-meta-shape", "square")]));
    client.copy_object(&replace).await.unwrap();
    let head = client
        .head_object("dst/replaced", &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(
        (
            head.header("x-oss-meta-color"),
            head.header("x-oss-meta-shape")
        ),
        (None, Some("square"))
    );
    let (_, body) = client
        .get_object_bytes("dst/replaced", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(&body[..], b"payload");
    let missing = client
        .copy_object(&CopyRequest::new("nope", "dst/x"))
        .await
        .unwrap_err();
    assert!(missing.is_not_found());
}

#[tokio::test]
async fn v1_and_sts_signing_are_accepted_and_bad_secrets_refused() {
    let server = server().await;
    let v1 = builder(&server)
        .with_signature_version(SignatureVersion::V1)
        .build()
        .unwrap();
    v1.put_object(
        "v1/key with space",
        PutPayload::from_bytes("one"),
        &HeaderMap::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        &v1.get_object_bytes("v1/key with space", &GetOptions::default())
            .await
            .unwrap()
            .1[..],
        b"one"
    );
    let sts = oss_devserver::DevCredential::dev_sts();
    let creds = Credentials::new(sts.access_key_id(), sts.access_key_secret())
        .with_security_token(sts.security_token().unwrap());
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let c = builder(&server)
            .with_credentials(creds.clone())
            .with_signature_version(version)
            .build()
            .unwrap();
        c.put_object("sts", PutPayload::from_bytes("two"), &HeaderMap::new())
            .await
            .unwrap();
    }
    let bad = builder(&server)
        .with_credentials(Credentials::new(
            server.credentials().access_key_id(),
            "wrong",
        ))
        .build()
        .unwrap();
    let e = bad.head_object("sts", &HeaderMap::new()).await.unwrap_err();
    assert_eq!(e.service_error().map(|s| s.status), Some(403));
    let e = bad
        .get_object("sts", &GetOptions::default())
        .await
        .unwrap_err();
    let s = e.service_error().unwrap();
    assert_eq!(
        (s.status, s.code.as_str(), e.is_retryable()),
        (403, "SignatureDoesNotMatch", false)
    );
    assert!(!s.request_id.is_empty());
}

#[tokio::test]
async fn presigned_urls_work_and_expire() {
    let server = server().await;
    let http = reqwest::Client::new();
    for version in [SignatureVersion::V4, SignatureVersion::V1] {
        let client = builder(&server)
            .with_signature_version(version)
            .build()
            .unwrap();
        client
            .put_object(
                "p/k+1",
                PutPayload::from_bytes("presigned"),
                &HeaderMap::new(),
            )
            .await
            .unwrap();
        let url = client
            .presign(
                Method::GET,
                "p/k+1",
                core::time::Duration::from_secs(600),
                &HeaderMap::new(),
                &[],
            )
            .await
            .unwrap();
        assert!(!format!("{url:?}").contains("Signature") && !format!("{url:?}").contains(BUCKET));
        let body = http.get(url.expose_url()).send().await.unwrap();
        assert_eq!(body.status(), 200, "{version:?}");
        assert_eq!(body.text().await.unwrap(), "presigned");
        let short = client
            .presign(
                Method::GET,
                "p/k+1",
                core::time::Duration::from_secs(1),
                &HeaderMap::new(),
                &[],
            )
            .await
            .unwrap();
        tokio::time::sleep(core::time::Duration::from_millis(2100)).await;
        assert_eq!(
            http.get(short.expose_url()).send().await.unwrap().status(),
            403,
            "{version:?}"
        );
    }
}

#[tokio::test]
async fn put_from_file_and_get_to_file() {
    let server = server().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.bin");
    let body = data(1_000_003, 9);
    std::fs::write(&src, &body).unwrap();
    let payload = PutPayload::from_file(&src).await.unwrap();
    assert!(payload.is_replayable() && payload.len() == 1_000_003);
    let put = client
        .put_object("file", payload, &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(put.crc64, Some(crc64(&body)));
    let dst = dir.path().join("dst.bin");
    let meta = client
        .get_object_to_file("file", &dst, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(meta.etag(), Some(put.etag.as_str()));
    assert_eq!(std::fs::read(&dst).unwrap(), body);
    assert!(
        PutPayload::from_file(dir.path().join("missing"))
            .await
            .is_err()
    );
}
