//! Encrypted put and get through the dev server: round trips from bytes, streams and files,
//! ranges, plain objects, MD5 handling, and the typed errors for bad input and faults.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use common::{Harness, data};
use futures::StreamExt as _;
use http::HeaderMap;
use md5::{Digest as _, Md5};
use oss_crypto_bucket::oss_client::PutPayload;
use oss_crypto_bucket::oss_envelope::{Matdesc, header};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::{
    ByteRange, CryptoOptions, Error, GetOptions, InputError, IntegrityError, PutOptions, PutSource,
    ReadKind, ResponseError,
};
use oss_devserver::{FaultAction, FaultRule, Trigger};

type Edit = Box<dyn FnOnce(&mut HeaderMap)>;
type Headers = Vec<(String, String)>;

fn opts() -> PutOptions {
    PutOptions::default()
}

#[tokio::test]
async fn put_bytes_get_whole_range_and_head() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(300_001, 1);
    let md5 = STANDARD.encode(Md5::digest(&plain));
    let put = bucket
        .put_object(
            "a/b.bin",
            plain.clone().into(),
            &opts()
                .with_content_md5(&md5)
                .with_content_type("image/x")
                .with_metadata("Owner", "me"),
        )
        .await
        .unwrap();
    assert_eq!(put.envelope.unencrypted_content_length(), Some(300_001));
    // The stored body is ciphertext of the same length, with the envelope headers.
    let (meta, raw) = h
        .client
        .get_object_bytes("a/b.bin", &Default::default())
        .await
        .unwrap();
    assert_eq!(raw.len(), plain.len());
    assert_ne!(&raw[..64], &plain[..64]);
    assert_eq!(
        meta.header(header::UNENCRYPTED_CONTENT_MD5),
        Some(md5.as_str())
    );
    assert_eq!(meta.header(header::CEK_ALG), Some("AES/CTR/NoPadding"));
    assert_eq!(meta.header("x-oss-meta-owner"), Some("me"));
    assert_eq!(meta.content_type(), Some("image/x"));
    assert!(meta.header("content-md5").is_none_or(|v| v != md5));

    let out = bucket
        .get_object("a/b.bin", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), plain);
    for text in [
        "0-0",
        "5-99",
        "17-",
        "-1",
        "-300001",
        "299990-400000",
        "bytes=65536-131071",
    ] {
        let out = bucket
            .get_object(
                "a/b.bin",
                &GetOptions::default().with_range_text(text).unwrap(),
            )
            .await
            .unwrap();
        let start = usize::try_from(out.offset).unwrap();
        let got = out.bytes().await.unwrap();
        assert_eq!(got, &plain[start..start + got.len()], "{text}");
    }
    let head = bucket.head_object("a/b.bin").await.unwrap();
    assert_eq!(head.size, 300_001);
}

#[tokio::test]
async fn put_stream_and_file_and_get_to_file() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default().with_compute_md5(true));
    let plain = data(1_000_003, 2);
    let chunks: Vec<std::io::Result<Bytes>> = plain
        .chunks(65_537)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let source = PutSource::Stream {
        stream: futures::stream::iter(chunks).boxed(),
        len: plain.len() as u64,
    };
    let md5 = STANDARD.encode(Md5::digest(&plain));
    bucket
        .put_object("s", source, &opts().with_content_md5(&md5))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    let put = bucket
        .put_object("f", PutSource::File(src), &opts())
        .await
        .unwrap();
    assert!(
        put.envelope.unencrypted_content_md5().is_some(),
        "compute_md5 records the MD5"
    );
    for key in ["s", "f"] {
        let dest = dir.path().join(format!("{key}.out"));
        let info = bucket
            .get_object_to_file(key, &dest, &GetOptions::default())
            .await
            .unwrap();
        assert_eq!(info.size, plain.len() as u64);
        assert_eq!(std::fs::read(&dest).unwrap(), plain, "{key}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "no temp file left"
    );
}

#[tokio::test]
async fn wrong_md5_or_length_never_stores_an_object() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(1000, 3);
    let bad = STANDARD.encode([0_u8; 16]);
    let err = bucket
        .put_object("m", plain.clone().into(), &opts().with_content_md5(&bad))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Md5)),
        "{err:?}"
    );
    let stream = futures::stream::iter(vec![Ok(Bytes::from(plain.clone()))]).boxed();
    let err = bucket
        .put_object(
            "m",
            PutSource::Stream { stream, len: 1000 },
            &opts().with_content_md5(&bad),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Md5)),
        "{err:?}"
    );
    let stream = futures::stream::iter(vec![Ok(Bytes::from(plain.clone()))]).boxed();
    let err = bucket
        .put_object("m", PutSource::Stream { stream, len: 1001 }, &opts())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Length { .. })),
        "{err:?}"
    );
    assert!(
        h.client
            .head_object("m", &HeaderMap::new())
            .await
            .unwrap_err()
            .is_not_found()
    );
    let err = bucket
        .put_object(
            "m",
            plain.into(),
            &opts().with_metadata("client-side-encryption-key", "x"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(InputError::EnvelopeMetadata { name }) if name == "client-side-encryption-key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn plain_object_is_returned_as_stored() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(5000, 4);
    h.client
        .put_object(
            "plain",
            PutPayload::from_bytes(plain.clone()),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    let out = bucket
        .get_object("plain", &GetOptions::default())
        .await
        .unwrap();
    assert!(!out.is_encrypted());
    assert_eq!(out.bytes().await.unwrap(), plain);
    let out = bucket
        .get_object(
            "plain",
            &GetOptions::default().with_range(ByteRange::Bounded { start: 21, end: 40 }),
        )
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), &plain[21..=40]);
}

#[tokio::test]
async fn wrong_master_key_and_unknown_matdesc_are_typed_errors() {
    let h = Harness::start().await;
    let mut desc = Matdesc::new();
    desc.insert("owner", "alice");
    let writer = h.bucket_with(
        Keyring::new(common::test_key().with_matdesc(desc)),
        CryptoOptions::default(),
    );
    writer
        .put_object("k", data(100, 5).into(), &opts())
        .await
        .unwrap();
    let stranger = h.bucket_with(Keyring::new(common::fresh_key()), CryptoOptions::default());
    let err = stranger
        .get_object("k", &GetOptions::default())
        .await
        .unwrap_err();
    let Error::KeyWrap(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(inner.is_unwrap_failure());
    assert!(
        err.to_string().contains("owner"),
        "names the matdesc: {err}"
    );
    // Registered keys are chosen by matdesc: a reader with a different default still reads.
    let reader = h.bucket_with(
        Keyring::new(common::fresh_key()).with_key(common::test_key().with_matdesc({
            let mut d = Matdesc::new();
            d.insert("owner", "alice");
            d
        })),
        CryptoOptions::default(),
    );
    assert_eq!(
        reader
            .get_object("k", &GetOptions::default())
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
        data(100, 5)
    );
}

/// Re-uploads the stored ciphertext of `key` under `to` with edited headers.
async fn tamper(h: &Harness, key: &str, to: &str, edit: impl FnOnce(&mut HeaderMap)) {
    let (meta, raw) = h
        .client
        .get_object_bytes(key, &Default::default())
        .await
        .unwrap();
    let mut headers = HeaderMap::new();
    for (name, value) in &meta.headers {
        if name.as_str().starts_with("x-oss-meta-") {
            headers.insert(name.clone(), value.clone());
        }
    }
    edit(&mut headers);
    h.client
        .put_object(to, PutPayload::from_bytes(raw), &headers)
        .await
        .unwrap();
}

#[tokio::test]
async fn tampered_envelope_headers_fail() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(4096, 6);
    bucket
        .put_object("orig", plain.clone().into(), &opts())
        .await
        .unwrap();
    let other = bucket
        .put_object("other", plain.clone().into(), &opts())
        .await
        .unwrap();
    let start_text = other.envelope.start().as_text().to_owned();
    let cases: Vec<(&str, Edit)> = vec![
        (
            "bad-cek",
            Box::new(|h: &mut HeaderMap| {
                drop(h.insert(header::CEK_ALG, "AES/ECB/NoPadding".parse().unwrap()))
            }),
        ),
        (
            "bad-wrap",
            Box::new(|h: &mut HeaderMap| {
                drop(h.insert(header::WRAP_ALG, "ROT13".parse().unwrap()))
            }),
        ),
        (
            "bad-b64",
            Box::new(|h: &mut HeaderMap| {
                drop(h.insert(header::KEY, "not base64!".parse().unwrap()))
            }),
        ),
        (
            "flipped-key",
            Box::new(|h: &mut HeaderMap| {
                let key = h.get(header::KEY).unwrap().to_str().unwrap().to_owned();
                let flipped = format!(
                    "{}{}",
                    if key.starts_with('A') { "B" } else { "A" },
                    &key[1..]
                );
                h.insert(header::KEY, flipped.parse().unwrap());
            }),
        ),
        (
            "swapped-start",
            Box::new(move |h: &mut HeaderMap| {
                drop(h.insert(header::START, start_text.parse().unwrap()))
            }),
        ),
        (
            "bad-len",
            Box::new(|h: &mut HeaderMap| {
                drop(h.insert(header::UNENCRYPTED_CONTENT_LENGTH, "4097".parse().unwrap()))
            }),
        ),
        (
            "bad-md5",
            Box::new(|h: &mut HeaderMap| {
                drop(h.insert(
                    header::UNENCRYPTED_CONTENT_MD5,
                    STANDARD.encode([1_u8; 16]).parse().unwrap(),
                ))
            }),
        ),
    ];
    for (name, edit) in cases {
        tamper(&h, "orig", name, edit).await;
        let result = match bucket.get_object(name, &GetOptions::default()).await {
            Ok(out) => out.bytes().await,
            Err(e) => Err(e),
        };
        match (name, result) {
            // A validly wrapped but foreign IV cannot be detected by any header check (the
            // ciphertext is intact, so the CRC passes); it must never yield the plaintext.
            ("swapped-start", Ok(bytes)) => assert_ne!(bytes, plain),
            ("bad-len", Err(e)) => assert!(
                matches!(e, Error::Integrity(IntegrityError::Length { .. })),
                "{e:?}"
            ),
            ("bad-md5", Err(e)) => {
                assert!(matches!(e, Error::Integrity(IntegrityError::Md5)), "{e:?}")
            }
            ("flipped-key", Err(e)) => assert!(matches!(e, Error::KeyWrap(_)), "{e:?}"),
            (_, Err(e)) => assert!(matches!(e, Error::Envelope(_)), "{name}: {e:?}"),
            (_, Ok(_)) => panic!("{name}: tampered envelope was accepted"),
        }
    }
}

/// Headers of the Go vector, for canned answers.
fn vector_headers() -> Option<(Headers, Vec<u8>)> {
    let v = oss_testkit::Vectors::locate()?;
    Some((
        v.object("v2-go-rsa").headers.pairs(),
        v.bytes("v2-go-rsa.enc"),
    ))
}

async fn canned_get(
    status: u16,
    headers: Headers,
    body: Vec<u8>,
    range: Option<&str>,
) -> Result<Vec<u8>, Error> {
    let url = common::mock_server(common::Canned {
        status,
        headers,
        body,
    })
    .await;
    let bucket = oss_crypto_bucket::CryptoBucket::new(
        common::client_for_url(&url),
        Keyring::new(common::test_key()),
    );
    let mut options = GetOptions::default();
    if let Some(range) = range {
        options = options.with_range_text(range).unwrap();
    }
    let out = bucket.get_object("obj", &options).await?;
    Ok(out.bytes().await?.to_vec())
}

#[tokio::test]
async fn incomplete_envelope_200_for_206_and_wrong_content_range_are_refused() {
    let Some((headers, body)) = vector_headers() else {
        return;
    };
    let plain = oss_testkit::Vectors::locate().unwrap().bytes("example.jpg");
    // Sanity: the canned object reads correctly.
    assert_eq!(
        canned_get(200, headers.clone(), body.clone(), None)
            .await
            .unwrap(),
        plain
    );
    for missing in [
        header::KEY,
        header::START,
        header::CEK_ALG,
        header::WRAP_ALG,
    ] {
        let partial: Vec<_> = headers
            .iter()
            .filter(|(n, _)| n != missing)
            .cloned()
            .collect();
        let err = canned_get(200, partial, body.clone(), None)
            .await
            .unwrap_err();
        let Error::Envelope(inner) = &err else {
            panic!("{missing}: {err:?}")
        };
        assert!(inner.to_string().contains("incomplete envelope"), "{inner}");
    }
    let err = canned_get(200, headers.clone(), body.clone(), Some("100-199"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedResponse(ResponseError::Status {
                read: ReadKind::Ranged,
                expected: 206,
                actual: 200
            })
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "unexpected response: expected 206 for a ranged read, got 200"
    );
    let mut wrong = headers.clone();
    wrong.push(("content-range".into(), "bytes 0-99/21839".into()));
    let err = canned_get(206, wrong, body[..100].to_vec(), Some("100-199"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Range(_)), "{err:?}");
    let mut missing_cr = headers.clone();
    missing_cr.push(("x-oss-hash-crc64ecma".into(), "1".into()));
    let err = canned_get(206, missing_cr, body[96..200].to_vec(), Some("100-199"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedResponse(ResponseError::MissingHeader {
                response: "206",
                header: "Content-Range"
            })
        ),
        "{err:?}"
    );
    let mut good = headers.clone();
    good.push(("content-range".into(), "bytes 96-199/21839".into()));
    assert_eq!(
        canned_get(206, good, body[96..200].to_vec(), Some("100-199"))
            .await
            .unwrap(),
        &plain[100..200]
    );
}

#[tokio::test]
async fn truncated_object_and_corrupt_body_are_detected() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(200_000, 7);
    bucket
        .put_object("t", plain.clone().into(), &opts())
        .await
        .unwrap();
    // The stored object lost its tail: the envelope's length no longer matches.
    let (meta, raw) = h
        .client
        .get_object_bytes("t", &Default::default())
        .await
        .unwrap();
    let mut headers = HeaderMap::new();
    for (name, value) in &meta.headers {
        if name.as_str().starts_with("x-oss-meta-") {
            headers.insert(name.clone(), value.clone());
        }
    }
    h.client
        .put_object(
            "t-short",
            PutPayload::from_bytes(raw.slice(..150_000)),
            &headers,
        )
        .await
        .unwrap();
    let err = bucket
        .get_object("t-short", &GetOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Integrity(IntegrityError::Length {
                expected: 200_000,
                actual: 150_000
            })
        ),
        "{err:?}"
    );
    // A body corrupted in transit fails the CRC check, and get_object_to_file keeps the old file.
    h.server.faults().add_rule(FaultRule::new(
        "GetObject",
        Trigger::Always,
        FaultAction::CorruptByte(1234),
    ));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("keep.txt");
    std::fs::write(&dest, b"good old file").unwrap();
    let err = bucket
        .get_object_to_file("t", &dest, &GetOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Crc64 { .. })),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&dest).unwrap(), b"good old file");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[tokio::test]
async fn resets_and_5xx_on_get_and_put_still_give_identical_bytes() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(700_000, 8);
    h.server.faults().add_rule(FaultRule::new(
        "PutObject",
        Trigger::NextN(1),
        FaultAction::status(503),
    ));
    h.server.faults().add_rule(FaultRule::new(
        "GetObject",
        Trigger::NextN(2),
        FaultAction::ResetAfter(100_000),
    ));
    bucket
        .put_object("r", plain.clone().into(), &opts())
        .await
        .unwrap();
    let out = bucket
        .get_object("r", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), plain);
    let out = bucket
        .get_object(
            "r",
            &GetOptions::default().with_range(ByteRange::From { start: 33 }),
        )
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), &plain[33..]);
}

#[tokio::test]
async fn debug_output_shows_no_secrets() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let put = bucket
        .put_object("dbg", data(10, 9).into(), &opts())
        .await
        .unwrap();
    let out = bucket
        .get_object("dbg", &GetOptions::default())
        .await
        .unwrap();
    let ctx = bucket
        .initiate_multipart_upload("dbg2", 300_000, Some(102_400), &opts())
        .await
        .unwrap();
    let secret = h.server.credentials().access_key_secret().to_owned();
    let pem = oss_testkit::Vectors::required().text(oss_testkit::RSA_TEST_KEY);
    let pem_body: String = pem
        .lines()
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take(20)
        .collect();
    for text in [
        format!("{bucket:?}"),
        format!("{put:?}"),
        format!("{out:?}"),
        format!("{ctx:?}"),
    ] {
        assert!(!text.contains(&secret), "{text}");
        assert!(pem_body.is_empty() || !text.contains(&pem_body), "{text}");
        assert!(!text.contains(&ctx.envelope.key), "{text}");
    }
}
