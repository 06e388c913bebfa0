//! The shared vectors uploaded raw to the dev server read correctly through the CryptoBucket:
//! V2 objects by the Go and Python SDKs (whole and ranged), V1 objects with legacy reading on,
//! and refused without it.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use common::{BUCKET, Harness};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::PutPayload;
use oss_crypto_bucket::{ByteRange, CryptoOptions, Error, GetOptions};

/// Uploads a vector's ciphertext with its headers through the plain client.
async fn upload_raw(h: &Harness, key: &str, vector: &str, with_optional: bool) -> Option<Vec<u8>> {
    let v = oss_testkit::Vectors::locate()?;
    let object = v.object(vector);
    let mut headers = HeaderMap::new();
    let mut pairs = object.headers.pairs();
    if with_optional {
        pairs.extend(object.optional_headers.pairs());
    }
    for (name, value) in pairs {
        headers.insert(
            http::HeaderName::try_from(name).unwrap(),
            value.parse().unwrap(),
        );
    }
    let body = v.bytes(&format!("{vector}.enc"));
    h.client
        .put_object(key, PutPayload::from_bytes(body), &headers)
        .await
        .unwrap();
    let expected = object.expected;
    let plain = expected.plaintext_file.map(|f| v.bytes(&f));
    Some(plain.unwrap_or_else(|| expected.plaintext.unwrap().bytes()))
}

#[tokio::test]
async fn v2_vectors_read_whole_and_ranged() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    for (vector, optional) in [
        ("v2-go-rsa", false),
        ("v2-go-rsa", true),
        ("v2-python-rsa", false),
    ] {
        let key = format!("{vector}-{optional}");
        let Some(plain) = upload_raw(&h, &key, vector, optional).await else {
            return;
        };
        let out = bucket
            .get_object(&key, &GetOptions::default())
            .await
            .unwrap();
        assert!(out.is_encrypted());
        assert_eq!(out.bytes().await.unwrap(), plain, "{vector} whole");
        let size = plain.len() as u64;
        let ranges = [
            (ByteRange::Bounded { start: 0, end: 0 }, 0..1),
            (ByteRange::Bounded { start: 5, end: 99 }, 5..100),
            (
                ByteRange::Bounded {
                    start: 1000,
                    end: 1000 + 4095,
                },
                1000..5096,
            ),
            (ByteRange::From { start: 17 }, 17..plain.len()),
            (
                ByteRange::Bounded {
                    start: 21_800,
                    end: 99_999,
                },
                21_800..plain.len(),
            ),
            (ByteRange::Suffix { len: 33 }, plain.len() - 33..plain.len()),
            (ByteRange::Suffix { len: size + 10 }, 0..plain.len()),
        ];
        for (range, expected) in ranges {
            let out = bucket
                .get_object(&key, &GetOptions::default().with_range(range))
                .await
                .unwrap();
            assert_eq!(out.offset, expected.start as u64, "{vector} {range:?}");
            assert_eq!(out.object_size, size);
            assert_eq!(
                out.bytes().await.unwrap(),
                &plain[expected.clone()],
                "{vector} {range:?}"
            );
        }
        let err = bucket
            .get_object(
                &key,
                &GetOptions::default().with_range(ByteRange::From { start: size }),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::RangeNotSatisfiable { object_size: Some(n) } if n == size),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("range not satisfiable: the object has {size} bytes")
        );
        let head = bucket.head_object(&key).await.unwrap();
        assert_eq!(head.size, size);
        assert!(head.envelope.v2().is_some());
    }
}

#[tokio::test]
async fn v1_vector_needs_legacy_option() {
    let h = Harness::start().await;
    let key = "v1-rsa";
    let Some(plain) = upload_raw(&h, key, "v1-rsa-oaep-1MiB", false).await else {
        return;
    };
    let strict = h.bucket(CryptoOptions::default());
    let err = strict
        .get_object(key, &GetOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LegacyV1Disabled), "{err:?}");
    assert!(err.to_string().contains("with_legacy_v1"));
    let legacy = h.bucket(CryptoOptions::default().with_legacy_v1(true));
    let out = legacy
        .get_object(key, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), plain);
    let range = GetOptions::default().with_range(ByteRange::Bounded {
        start: 100_001,
        end: 100_100,
    });
    let out = legacy.get_object(key, &range).await.unwrap();
    assert_eq!(out.bytes().await.unwrap(), &plain[100_001..=100_100]);
    let _ = BUCKET;
}
