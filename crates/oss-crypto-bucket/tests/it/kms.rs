//! KMS master keys through the dev server's KMS stand-in: both write flavours, passphrase
//! contexts, the legacy V1 KMS vector, and several master keys chosen by matdesc.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use std::sync::Arc;

use common::{Harness, data};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::PutPayload;
use oss_crypto_bucket::oss_envelope::{KmsFlavour, Matdesc, WrappedValue, header};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::kms::{Credentials, KmsClient, KmsEndpoint, KmsMasterKey};
use oss_crypto_bucket::{CryptoOptions, Error, GetOptions, PutOptions};
use oss_devserver::{DevServerConfig, KmsConfig};

async fn harness() -> Harness {
    let mut kms = KmsConfig::default();
    if let Some(v) = oss_testkit::Vectors::locate() {
        kms = kms.with_fixtures_json(&v.text("v1-kms-1MiB.json")).unwrap();
    }
    Harness::start_with(DevServerConfig::default().with_kms(kms)).await
}

fn kms_key(h: &Harness) -> KmsMasterKey {
    let cred = h.server.credentials();
    let client = KmsClient::builder(Credentials::new(
        cred.access_key_id(),
        cred.access_key_secret(),
    ))
    .with_region("cn-hangzhou")
    .with_endpoint(KmsEndpoint::Custom(h.server.kms_url()))
    .build()
    .unwrap();
    KmsMasterKey::new(Arc::new(client), KmsConfig::DEFAULT_KEY_ID)
}

async fn read(bucket: &oss_crypto_bucket::CryptoBucket, key: &str) -> Result<Vec<u8>, Error> {
    Ok(bucket
        .get_object(key, &GetOptions::default())
        .await?
        .bytes()
        .await?
        .to_vec())
}

async fn stored_flavour(h: &Harness, key: &str) -> KmsFlavour {
    let meta = h.client.head_object(key, &HeaderMap::new()).await.unwrap();
    assert_eq!(meta.header(header::WRAP_ALG), Some("KMS/ALICLOUD"));
    WrappedValue::from_header(header::KEY, meta.header(header::KEY).unwrap())
        .unwrap()
        .kms_flavour()
}

#[tokio::test]
async fn kms_flavours_and_passphrases_round_trip() {
    let h = harness().await;
    let plain = data(150_000, 51);
    let oss2 = h.bucket_with(Keyring::new(kms_key(&h)), CryptoOptions::default());
    oss2.put_object("oss2", plain.clone().into(), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(stored_flavour(&h, "oss2").await, KmsFlavour::Oss2);
    let go = h.bucket_with(
        Keyring::new(kms_key(&h).with_write_flavour(KmsFlavour::GoJava).unwrap()),
        CryptoOptions::default(),
    );
    go.put_object("go", plain.clone().into(), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(stored_flavour(&h, "go").await, KmsFlavour::GoJava);
    // Each reads the other's objects: the flavour is detected per header.
    for bucket in [&oss2, &go] {
        for key in ["oss2", "go"] {
            assert_eq!(read(bucket, key).await.unwrap(), plain, "{key}");
        }
    }
    let secret = h.bucket_with(
        Keyring::new(kms_key(&h).with_passphrase("open sesame").unwrap()),
        CryptoOptions::default(),
    );
    secret
        .put_object("secret", plain.clone().into(), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(read(&secret, "secret").await.unwrap(), plain);
    let err = read(&oss2, "secret").await.unwrap_err();
    assert!(matches!(err, Error::KeyWrap(_)), "{err:?}");
    assert!(
        kms_key(&h)
            .with_passphrase("p")
            .unwrap()
            .with_write_flavour(KmsFlavour::GoJava)
            .is_err()
    );
}

#[tokio::test]
async fn v1_kms_vector_reads_with_legacy_enabled() {
    let h = harness().await;
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let mut headers = HeaderMap::new();
    for (name, value) in v.object("v1-kms-1MiB").headers.pairs() {
        headers.insert(
            http::HeaderName::try_from(name).unwrap(),
            value.parse().unwrap(),
        );
    }
    h.client
        .put_object(
            "v1kms",
            PutPayload::from_bytes(v.bytes("v1-kms-1MiB.enc")),
            &headers,
        )
        .await
        .unwrap();
    let legacy = h.bucket_with(
        Keyring::new(kms_key(&h)),
        CryptoOptions::default().with_legacy_v1(true),
    );
    assert_eq!(read(&legacy, "v1kms").await.unwrap(), vec![b'a'; 1_048_576]);
    let strict = h.bucket_with(Keyring::new(kms_key(&h)), CryptoOptions::default());
    assert!(matches!(
        read(&strict, "v1kms").await.unwrap_err(),
        Error::LegacyV1Disabled
    ));
}

#[tokio::test]
async fn several_master_keys_are_chosen_by_matdesc() {
    let h = harness().await;
    let desc = |k: &str| {
        let mut m = Matdesc::new();
        m.insert("key", k);
        m
    };
    let rsa = h.bucket_with(
        Keyring::new(common::test_key().with_matdesc(desc("rsa"))),
        CryptoOptions::default(),
    );
    let kms = h.bucket_with(
        Keyring::new(kms_key(&h).with_matdesc(desc("kms"))),
        CryptoOptions::default(),
    );
    rsa.put_object("by-rsa", data(1000, 52).into(), &PutOptions::default())
        .await
        .unwrap();
    kms.put_object("by-kms", data(1000, 53).into(), &PutOptions::default())
        .await
        .unwrap();
    let reader = Keyring::new(common::fresh_key())
        .with_key(common::test_key().with_matdesc(desc("rsa")))
        .with_key(kms_key(&h).with_matdesc(desc("kms")));
    let reader = h.bucket_with(reader, CryptoOptions::default());
    assert_eq!(read(&reader, "by-rsa").await.unwrap(), data(1000, 52));
    assert_eq!(read(&reader, "by-kms").await.unwrap(), data(1000, 53));
    let err = read(
        &h.bucket_with(Keyring::new(common::fresh_key()), CryptoOptions::default()),
        "by-kms",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("kms"), "{err}");
}
