//! RSA unwrapping of the shared upstream vectors: Go- and Python-written V2 objects, the Go v2
//! header-only envelope and the oss2 V1 OAEP object.

// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{Envelope, LegacyEnvelope};
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_keywrap::{Error, Keyring, MasterKey, WrappedMaterial};
use oss_testkit::{RSA_TEST_KEY, Vectors, unhex};

fn key_from(v: &Vectors, file: &str) -> RsaMasterKey {
    RsaMasterKey::new(RsaPrivateKey::from_pem(&v.text(file)).unwrap())
}

async fn check_v2(v: &Vectors, name: &str, key: &RsaMasterKey) {
    let vector = v.object(name);
    let envelope = Envelope::from_headers(vector.headers.iter()).unwrap();
    let material = key
        .unwrap(&WrappedMaterial::from_envelope(&envelope))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let cek = unhex(&vector.expected.cek_hex);
    let iv = unhex(vector.expected.iv_hex.as_deref().unwrap());
    assert_eq!(material.data_key().as_bytes()[..], cek[..], "{name} cek");
    assert_eq!(material.iv().as_bytes()[..], iv[..], "{name} iv");
}

#[tokio::test]
async fn v2_vectors_unwrap_with_every_private_key_format() {
    let Some(v) = Vectors::locate() else { return };
    for file in [RSA_TEST_KEY, "keys/rsa1024-private-pkcs8.pem"] {
        let key = key_from(&v, file);
        for name in ["v2-go-rsa", "v2-python-rsa", "v2-envelope-header-only"] {
            check_v2(&v, name, &key).await;
        }
        let decrypt_only =
            RsaMasterKey::decrypt_only(RsaPrivateKey::from_pem(&v.text(file)).unwrap());
        check_v2(&v, "v2-go-rsa", &decrypt_only).await;
    }
}

#[tokio::test]
async fn header_only_vector_matdesc_selects_registered_key() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v2-envelope-header-only");
    let envelope = Envelope::from_headers(vector.headers.iter()).unwrap();
    let matdesc = envelope.matdesc().unwrap().clone();
    assert_eq!(matdesc.get("tag"), Some("value"));
    // The default key is a different key; the registered one has the object's description.
    let keyring =
        Keyring::new(other_key()).with_key(key_from(&v, RSA_TEST_KEY).with_matdesc(matdesc));
    let material = keyring.unwrap_envelope(&envelope).await.unwrap();
    let cek = unhex(&vector.expected.cek_hex);
    assert_eq!(material.data_key().as_bytes()[..], cek[..]);
}

#[test]
fn header_only_vector_negative_cases_fail_to_parse() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v2-envelope-header-only");
    for case in &vector.negative_cases {
        let mut list = vector.headers.pairs();
        for (name, value) in case.change.iter() {
            for header in &mut list {
                if header.0 == name {
                    value.clone_into(&mut header.1);
                }
            }
        }
        assert!(Envelope::from_headers(list).is_err(), "{}", case.expect);
    }
}

#[tokio::test]
async fn v1_oaep_vector_unwraps_to_start_eight() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v1-rsa-oaep-1MiB");
    let envelope = LegacyEnvelope::from_headers(vector.headers.iter()).unwrap();
    let key = key_from(&v, RSA_TEST_KEY);
    let keyring = Keyring::new(key);
    let material = keyring.unwrap_legacy(&envelope).await.unwrap();
    let cek = unhex(&vector.expected.cek_hex);
    let counter = unhex(vector.expected.initial_counter_hex.as_deref().unwrap());
    assert_eq!(material.data_key().as_bytes()[..], cek[..]);
    assert_eq!(material.iv().as_bytes()[..], counter[..]);
}

#[tokio::test]
async fn vectors_do_not_unwrap_with_another_key() {
    let Some(v) = Vectors::locate() else { return };
    let other = other_key();
    for name in ["v2-go-rsa", "v2-python-rsa", "v2-envelope-header-only"] {
        let envelope = Envelope::from_headers(v.object(name).headers.iter()).unwrap();
        let result = other
            .unwrap(&WrappedMaterial::from_envelope(&envelope))
            .await;
        assert!(matches!(result, Err(Error::Unwrap)), "{name}: {result:?}");
    }
    let legacy = LegacyEnvelope::from_headers(v.object("v1-rsa-oaep-1MiB").headers.iter()).unwrap();
    let result = other.unwrap(&WrappedMaterial::from_legacy(&legacy)).await;
    assert!(matches!(result, Err(Error::Unwrap)), "{result:?}");
}

#[tokio::test]
async fn wrong_key_error_names_the_matdesc() {
    let Some(v) = Vectors::locate() else { return };
    let vector = v.object("v2-envelope-header-only");
    let envelope = Envelope::from_headers(vector.headers.iter()).unwrap();
    let keyring = Keyring::new(other_key());
    let err = keyring.unwrap_envelope(&envelope).await.unwrap_err();
    assert!(matches!(err, Error::NoMatchingMaterial { .. }), "{err:?}");
    assert!(err.is_unwrap_failure());
    let text = err.to_string();
    assert!(text.contains(r#"{"tag":"value"}"#), "{text}");
    assert!(text.contains("wrong key or corrupt envelope"), "{text}");
}

fn other_key() -> RsaMasterKey {
    RsaMasterKey::new(RsaPrivateKey::from_pem(OTHER_1024).unwrap())
}

/// An unrelated RSA-1024 key (the second key of the Go v2 mock tests is not shipped, so this
/// one was generated for these tests).
const OTHER_1024: &str = include_str!("../data/other-rsa1024.pem");
