//! Keyring selection (exact matdesc first, then the default; errors name the matdesc) and the
//! trait plumbing: user-written `MasterKey` and `WrapKey` implementations behind `Arc<dyn …>`.

// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use core::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use oss_envelope::{ContentMaterial, Envelope, Matdesc, WrapAlg};
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_keywrap::{
    DynMasterKey, Error, KeyDescription, Keyring, MasterKey, Result, WrapKey, WrappedMaterial,
};

const KEY_A: &str = include_str!("../data/other-rsa1024.pem");
const KEY_B: &str = include_str!("../data/rsa2048-pkcs1.pem");

fn matdesc(pairs: &[(&str, &str)]) -> Matdesc {
    pairs.iter().copied().collect()
}

fn rsa(pem: &str, desc: &Matdesc) -> RsaMasterKey {
    RsaMasterKey::new(RsaPrivateKey::from_pem(pem).unwrap()).with_matdesc(desc.clone())
}

fn same(a: &ContentMaterial, b: &ContentMaterial) -> bool {
    a.data_key().as_bytes() == b.data_key().as_bytes() && a.iv().as_bytes() == b.iv().as_bytes()
}

/// The envelope as a reader sees it: headers written, then parsed back, with a matdesc header
/// spelled as `spelling` (another SDK's spelling of the same map, or garbage).
fn reread(envelope: &Envelope, spelling: Option<&str>) -> Envelope {
    let mut headers: Vec<(String, String)> = envelope
        .to_headers()
        .into_iter()
        .filter(|(name, _)| !name.ends_with("-matdesc"))
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    if let Some(text) = spelling {
        headers.push((
            "x-oss-meta-client-side-encryption-matdesc".into(),
            text.into(),
        ));
    }
    Envelope::from_headers(headers).unwrap()
}

#[tokio::test]
async fn exact_matdesc_match_wins_over_the_default() {
    let old = matdesc(&[("key", "old"), ("owner", "ops")]);
    let new = matdesc(&[("key", "new")]);
    let old_keyring = Keyring::new(rsa(KEY_A, &old));
    let (material, envelope) = old_keyring.generate().await.unwrap();
    // The reader's default is another key; the old key is registered by its description.
    let keyring = Keyring::new(rsa(KEY_B, &new)).with_key(rsa(KEY_A, &old));
    // Python's spelling of the same map: spaces and another key order.
    let python = reread(&envelope, Some(r#"{"owner": "ops", "key": "old"}"#));
    assert!(same(
        &material,
        &keyring.unwrap_envelope(&python).await.unwrap()
    ));
    let selection = keyring.select(Some(python.matdesc().unwrap()));
    assert!(selection.exact);
    assert_eq!(*selection.key.matdesc(), old);
}

#[tokio::test]
async fn objects_without_a_match_use_the_default() {
    let desc = matdesc(&[("k", "v")]);
    let keyring = Keyring::new(rsa(KEY_A, &desc));
    let (material, envelope) = keyring.generate().await.unwrap();
    // No matdesc header at all (as C++ strips it) and an unparseable one both fall back.
    for spelling in [None, Some("not json"), Some(r#"{"other":"x"}"#)] {
        let object = reread(&envelope, spelling);
        assert!(same(
            &material,
            &keyring.unwrap_envelope(&object).await.unwrap()
        ));
    }
}

#[tokio::test]
async fn failures_name_the_objects_matdesc() {
    let writer = Keyring::new(rsa(KEY_A, &matdesc(&[("k", "é")])));
    let (_, envelope) = writer.generate().await.unwrap();
    let reader = Keyring::new(rsa(KEY_B, &Matdesc::new()));
    let err = reader.unwrap_envelope(&envelope).await.unwrap_err();
    assert!(matches!(err, Error::NoMatchingMaterial { .. }), "{err:?}");
    assert!(err.to_string().contains(r#"{"k":"\u00e9"}"#), "{err}");
    assert!(err.is_unwrap_failure() && !err.is_retryable());

    let garbage = reread(&envelope, Some("{broken"));
    let err = reader.unwrap_envelope(&garbage).await.unwrap_err();
    assert!(err.to_string().contains("{broken"), "{err}");

    // A registered key that matches exactly but cannot unwrap is reported as such.
    let registered = reader.with_key(rsa(KEY_B, &matdesc(&[("k", "é")])));
    let err = registered.unwrap_envelope(&envelope).await.unwrap_err();
    assert!(matches!(err, Error::MaterialFailed { .. }), "{err:?}");
    assert!(err.is_unwrap_failure());
}

#[tokio::test]
async fn a_failure_on_an_object_without_matdesc_names_no_matdesc() {
    let (_, envelope) = Keyring::new(rsa(KEY_A, &Matdesc::new()))
        .generate()
        .await
        .unwrap();
    // exact match of the empty description, fallback to a described default, and no header
    for reader in [
        Keyring::new(rsa(KEY_B, &Matdesc::new())),
        Keyring::new(rsa(KEY_B, &matdesc(&[("k", "v")]))),
    ] {
        for object in [envelope.clone(), reread(&envelope, None)] {
            let err = reader.unwrap_envelope(&object).await.unwrap_err();
            assert!(matches!(err, Error::KeyFailed { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                "the master key did not unwrap this object's data key: wrong key or corrupt envelope"
            );
            assert!(err.is_unwrap_failure() && !err.is_retryable());
        }
    }
}

#[tokio::test]
async fn later_entries_replace_earlier_ones() {
    let desc = matdesc(&[("k", "v")]);
    let (material, envelope) = Keyring::new(rsa(KEY_A, &desc)).generate().await.unwrap();
    let keyring = Keyring::new(rsa(KEY_B, &Matdesc::new()))
        .with_key(rsa(KEY_B, &desc))
        .with_key(rsa(KEY_A, &desc));
    assert!(same(
        &material,
        &keyring.unwrap_envelope(&envelope).await.unwrap()
    ));
}

#[tokio::test]
async fn rotation_rewraps_under_the_new_default() {
    let old = matdesc(&[("key", "old")]);
    let new = matdesc(&[("key", "new")]);
    let (material, envelope) = Keyring::new(rsa(KEY_A, &old)).generate().await.unwrap();
    let keyring = Keyring::new(rsa(KEY_B, &new)).with_key(rsa(KEY_A, &old));
    let unwrapped = keyring.unwrap_envelope(&envelope).await.unwrap();
    let rotated = keyring.wrap(&unwrapped).await.unwrap();
    assert_eq!(rotated.matdesc().unwrap(), &new);
    let only_new = Keyring::new(rsa(KEY_B, &new));
    assert!(same(
        &material,
        &only_new.unwrap_envelope(&rotated).await.unwrap()
    ));
    assert!(only_new.unwrap_envelope(&envelope).await.is_err());
}

/// A user-written async master key (think HSM): delegates to RSA and counts calls.
#[derive(Debug)]
struct CountingHsm {
    inner: RsaMasterKey,
    calls: AtomicUsize,
}

impl KeyDescription for CountingHsm {
    fn wrap_alg(&self) -> WrapAlg {
        self.inner.wrap_alg()
    }

    fn matdesc(&self) -> &Matdesc {
        self.inner.matdesc()
    }
}

#[async_trait]
impl MasterKey for CountingHsm {
    async fn wrap(&self, material: &ContentMaterial) -> Result<WrappedMaterial> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.wrap_material(material)
    }

    async fn unwrap(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.unwrap_material(wrapped)
    }
}

/// A user-written sync key: lifted to `MasterKey` by the blanket impl.
#[derive(Debug)]
struct SyncWrapper(RsaMasterKey);

impl KeyDescription for SyncWrapper {
    fn wrap_alg(&self) -> WrapAlg {
        self.0.wrap_alg()
    }

    fn matdesc(&self) -> &Matdesc {
        self.0.matdesc()
    }
}

impl WrapKey for SyncWrapper {
    fn wrap_material(&self, material: &ContentMaterial) -> Result<WrappedMaterial> {
        self.0.wrap_material(material)
    }

    fn unwrap_material(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        self.0.unwrap_material(wrapped)
    }
}

#[tokio::test]
async fn user_keys_work_as_shared_trait_objects() {
    let hsm = Arc::new(CountingHsm {
        inner: rsa(KEY_A, &matdesc(&[("hsm", "1")])),
        calls: AtomicUsize::new(0),
    });
    let shared: DynMasterKey = hsm.clone();
    let keyring = Keyring::from_arc(shared).with_entry(
        matdesc(&[("sync", "1")]),
        Arc::new(SyncWrapper(rsa(KEY_B, &Matdesc::new()))),
    );
    let (material, envelope) = keyring.generate().await.unwrap();
    assert!(same(
        &material,
        &keyring.unwrap_envelope(&envelope).await.unwrap()
    ));
    assert_eq!(hsm.calls.load(Ordering::SeqCst), 2);

    let sync: DynMasterKey = Arc::new(SyncWrapper(rsa(KEY_B, &matdesc(&[("sync", "1")]))));
    let (material, wrapped) = sync.generate().await.unwrap();
    let envelope = wrapped.into_envelope(sync.matdesc().clone());
    // Found by its entry although the default (the HSM) is another key; used from many tasks.
    let keyring = Arc::new(keyring);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let keyring = Arc::clone(&keyring);
            let envelope = envelope.clone();
            tokio::spawn(async move { keyring.unwrap_envelope(&envelope).await })
        })
        .collect();
    for task in tasks {
        assert!(same(&material, &task.await.unwrap().unwrap()));
    }
    assert_eq!(
        hsm.calls.load(Ordering::SeqCst),
        2,
        "the default was not asked"
    );
}
