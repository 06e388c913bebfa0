//! Copies keep the envelope (within and across buckets, COPY and guarded REPLACE); append and
//! UploadPartCopy are refused; master-key rotation rewraps without re-encrypting.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use common::{Harness, OTHER_BUCKET, data};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::PutPayload;
use oss_crypto_bucket::oss_envelope::{Matdesc, header};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_crypto_bucket::{
    CopyOptions, CryptoBucket, CryptoOptions, Error, GetOptions, PutOptions, Refusal,
    ResumableOptions,
};

async fn read(bucket: &CryptoBucket, key: &str) -> Vec<u8> {
    bucket
        .get_object(key, &GetOptions::default())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn copies_keep_the_envelope_and_bad_requests_are_refused() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(50_000, 31);
    bucket
        .put_object(
            "src",
            plain.clone().into(),
            &PutOptions::default().with_metadata("a", "1"),
        )
        .await
        .unwrap();
    bucket
        .copy_object("src", "copy", &CopyOptions::default())
        .await
        .unwrap();
    assert_eq!(read(&bucket, "copy").await, plain);
    let replace = CopyOptions::replacing(vec![("b".into(), "2".into())]);
    bucket
        .copy_object("src", "replaced", &replace)
        .await
        .unwrap();
    assert_eq!(read(&bucket, "replaced").await, plain);
    let meta = h
        .client
        .head_object("replaced", &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(
        (meta.header("x-oss-meta-b"), meta.header("x-oss-meta-a")),
        (Some("2"), None)
    );
    // Across buckets.
    let other = CryptoBucket::new(
        common::client_in(&h.server, OTHER_BUCKET),
        Keyring::new(common::test_key()),
    );
    other
        .copy_object_from(&bucket, "src", "far", &CopyOptions::default())
        .await
        .unwrap();
    assert_eq!(read(&other, "far").await, plain);
    // Requests that would alter the envelope.
    let mut bad = CopyOptions::replacing(Vec::new());
    bad.headers.insert(header::START, "AAAA".parse().unwrap());
    let err = bucket.copy_object("src", "x", &bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused(Refusal::EnvelopeChange { name }) if name == header::START),
        "{err:?}"
    );
    let bad = CopyOptions::replacing(vec![("client-side-encryption-key".into(), "AAAA".into())]);
    let err = bucket.copy_object("src", "x", &bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused(Refusal::EnvelopeFromMetadata { name }) if name == header::KEY),
        "{err:?}"
    );
    let mut bad = CopyOptions::default();
    bad.metadata.push(("c".into(), "3".into()));
    assert!(matches!(
        bucket.copy_object("src", "x", &bad).await.unwrap_err(),
        Error::Refused(Refusal::CopyDirectiveMetadata)
    ));
    assert!(matches!(
        bucket.append_object("src").unwrap_err(),
        Error::Refused(Refusal::Append { key }) if key == "src"
    ));
    assert!(matches!(
        bucket.upload_part_copy("src").unwrap_err(),
        Error::Refused(Refusal::UploadPartCopy { source_key }) if source_key == "src"
    ));
}

#[tokio::test]
async fn rotation_rewraps_without_reencrypting_single_and_multipart() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let options = CryptoOptions::default()
        .with_part_size(102_400)
        .with_checkpoint_dir(dir.path());
    let bucket = h.bucket(options.clone());
    let small = data(30_000, 32);
    let big = data(512_345, 33);
    bucket
        .put_object(
            "small",
            small.clone().into(),
            &PutOptions::default().with_metadata("keep", "me"),
        )
        .await
        .unwrap();
    let src = dir.path().join("big.bin");
    std::fs::write(&src, &big).unwrap();
    bucket
        .resumable_upload("big", &src, &ResumableOptions::default())
        .await
        .unwrap();
    let mut desc = Matdesc::new();
    desc.insert("generation", "2");
    let new_keyring = Keyring::new(common::fresh_key().with_matdesc(desc));
    for (key, plain) in [("small", &small), ("big", &big)] {
        let (_, before) = h
            .client
            .get_object_bytes(key, &Default::default())
            .await
            .unwrap();
        let out = bucket.rotate_master_key(key, &new_keyring).await.unwrap();
        assert_eq!(out.envelope.matdesc().unwrap().get("generation"), Some("2"));
        let (meta, after) = h
            .client
            .get_object_bytes(key, &Default::default())
            .await
            .unwrap();
        assert_eq!(before, after, "{key}: ciphertext unchanged");
        if key == "small" {
            assert_eq!(meta.header("x-oss-meta-keep"), Some("me"));
        } else {
            assert_eq!(meta.header(header::PART_SIZE), Some("102400"));
        }
        let rotated = h.bucket_with(new_keyring.clone(), options.clone());
        assert_eq!(&read(&rotated, key).await, plain);
        let err = bucket
            .get_object(key, &GetOptions::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::KeyWrap(_)),
            "old key no longer reads {key}: {err:?}"
        );
    }
    h.client
        .put_object("plain", PutPayload::from_bytes("x"), &HeaderMap::new())
        .await
        .unwrap();
    assert!(matches!(
        bucket
            .rotate_master_key("plain", &new_keyring)
            .await
            .unwrap_err(),
        Error::Refused(Refusal::NoEnvelope { key }) if key == "plain"
    ));
}

#[tokio::test]
async fn rotation_to_a_key_that_cannot_unwrap_is_refused_before_any_write() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(10_000, 34);
    bucket
        .put_object("keep", plain.clone().into(), &PutOptions::default())
        .await
        .unwrap();
    let before = h
        .client
        .head_object("keep", &HeaderMap::new())
        .await
        .unwrap();
    // Another key pair's public half: a rewrite under it would leave the object unreadable.
    let other = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 1024).unwrap();
    let public = RsaPrivateKey::from_rsa(other).unwrap().public_key();
    let encrypt_only = Keyring::new(RsaMasterKey::encrypt_only(public));
    let err = bucket
        .rotate_master_key("keep", &encrypt_only)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::KeyWrap(_)), "{err:?}");
    let after = h
        .client
        .head_object("keep", &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(before.etag(), after.etag(), "the object was not rewritten");
    assert_eq!(read(&bucket, "keep").await, plain);
}
