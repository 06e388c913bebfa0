//! RSA key loading in every supported format and size, round trips, capability limits, wrong
//! keys, and `Debug` redaction.

// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{ContentMaterial, DataKey, Iv, Matdesc, WrapAlg, WrappedValue};
use oss_keywrap::rsa::{KeyError, RsaMasterKey, RsaPrivateKey, RsaPublicKey};
use oss_keywrap::{Error, KeyDescription, MasterKey, WrapKey, WrappedMaterial};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

const PASSPHRASE: &str = "correct horse";
const OTHER_1024: &str = include_str!("../data/other-rsa1024.pem");
const RSA2048: &str = include_str!("../data/rsa2048-pkcs1.pem");
const RSA3072: &str = include_str!("../data/rsa3072-pkcs8.pem");
const RSA4096_ENCRYPTED: &str = include_str!("../data/rsa4096-pkcs8-encrypted.pem");
const RSA512_PUBLIC: &str = include_str!("../data/rsa512-public-spki.pem");
const RSA8192_PUBLIC: &str = include_str!("../data/rsa8192-public-spki.pem");

fn material() -> ContentMaterial {
    ContentMaterial::generate_os().unwrap()
}

fn same(a: &ContentMaterial, b: &ContentMaterial) -> bool {
    a.data_key().as_bytes() == b.data_key().as_bytes() && a.iv().as_bytes() == b.iv().as_bytes()
}

/// Wraps with an encrypt-only key built from `public` and unwraps with a decrypt-only key
/// built from `private`, then the reverse direction through a full key.
async fn round_trip(public: RsaPublicKey, private: RsaPrivateKey) {
    let bits = private.bits();
    let original = material();
    let wrapped = RsaMasterKey::encrypt_only(public)
        .wrap(&original)
        .await
        .unwrap();
    assert_eq!(wrapped.wrap_alg(), WrapAlg::RsaPkcs1);
    assert_eq!(wrapped.key().as_bytes().len(), bits / 8);
    assert_eq!(wrapped.start().as_bytes().len(), bits / 8);
    let full = RsaMasterKey::new(private.clone());
    let unwrapped = RsaMasterKey::decrypt_only(private)
        .unwrap(&wrapped)
        .await
        .unwrap();
    assert!(same(&original, &unwrapped), "{bits} bits");
    let (generated, wrapped) = full.generate().await.unwrap();
    assert!(same(&generated, &full.unwrap(&wrapped).await.unwrap()));
}

/// Every public and private encoding of `private`, as (public, private) pairs.
fn encodings(private: &RsaPrivateKey, raw: &rsa::PrivateKey) -> Vec<(RsaPublicKey, RsaPrivateKey)> {
    let public = raw.to_public_key();
    let lf = LineEnding::LF;
    let publics = [
        RsaPublicKey::from_pem(&public.to_public_key_pem(lf).unwrap()).unwrap(),
        RsaPublicKey::from_pem(&public.to_pkcs1_pem(lf).unwrap()).unwrap(),
        RsaPublicKey::from_der(public.to_public_key_der().unwrap().as_bytes()).unwrap(),
        RsaPublicKey::from_der(public.to_pkcs1_der().unwrap().as_bytes()).unwrap(),
    ];
    let privates = [
        RsaPrivateKey::from_pem(&raw.to_pkcs1_pem(lf).unwrap()).unwrap(),
        RsaPrivateKey::from_pem(&raw.to_pkcs8_pem(lf).unwrap()).unwrap(),
        RsaPrivateKey::from_der(raw.to_pkcs1_der().unwrap().as_bytes()).unwrap(),
        RsaPrivateKey::from_der(raw.to_pkcs8_der().unwrap().as_bytes()).unwrap(),
        RsaPrivateKey::from_encrypted_der(encrypt_pkcs8(raw).as_bytes(), b"pw").unwrap(),
    ];
    for key in &publics {
        assert_eq!(*key, private.public_key());
    }
    publics.into_iter().zip(privates).collect()
}

/// PKCS#8 encrypted with PBKDF2-SHA256 (a small iteration count keeps debug builds fast).
fn encrypt_pkcs8(raw: &rsa::PrivateKey) -> rsa::pkcs8::SecretDocument {
    let der = raw.to_pkcs8_der().unwrap();
    let info = rsa::pkcs8::PrivateKeyInfoRef::try_from(der.as_bytes()).unwrap();
    let params = rsa::pkcs8::pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
        1000,
        b"0123456789abcdef",
        [7; 16],
    )
    .unwrap();
    info.encrypt_with_params(params, b"pw").unwrap()
}

fn raw_of(pem: &str) -> rsa::PrivateKey {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    rsa::PrivateKey::from_pkcs1_pem(pem)
        .or_else(|_| rsa::PrivateKey::from_pkcs8_pem(pem).map_err(|_| rsa::pkcs1::Error::Crypto))
        .unwrap()
}

#[tokio::test]
async fn every_format_round_trips_at_1024_and_2048_bits() {
    for pem in [OTHER_1024, RSA2048] {
        let private = RsaPrivateKey::from_pem(pem).unwrap();
        for (public, private) in encodings(&private, &raw_of(pem)) {
            round_trip(public, private).await;
        }
    }
}

#[tokio::test]
async fn openssl_keys_of_3072_and_4096_bits_round_trip() {
    let k3072 = RsaPrivateKey::from_pem(RSA3072).unwrap();
    assert_eq!(k3072.bits(), 3072);
    round_trip(k3072.public_key(), k3072).await;
    let k4096 =
        RsaPrivateKey::from_pem_with_passphrase(RSA4096_ENCRYPTED, PASSPHRASE.as_bytes()).unwrap();
    assert_eq!(k4096.bits(), 4096);
    round_trip(k4096.public_key(), k4096).await;
}

#[test]
fn generated_2048_bit_key_is_accepted() {
    let raw = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 2048).unwrap();
    let key = RsaPrivateKey::from_rsa(raw).unwrap();
    assert_eq!(key.bits(), 2048);
    let master = RsaMasterKey::new(key);
    let original = material();
    let wrapped = master.wrap_material(&original).unwrap();
    assert!(same(&original, &master.unwrap_material(&wrapped).unwrap()));
}

#[test]
fn bad_key_inputs_are_typed_errors() {
    let encrypted = RsaPrivateKey::from_pem(RSA4096_ENCRYPTED);
    assert_eq!(encrypted.unwrap_err(), KeyError::PassphraseRequired);
    let wrong = RsaPrivateKey::from_pem_with_passphrase(RSA4096_ENCRYPTED, b"wrong");
    assert_eq!(wrong.unwrap_err(), KeyError::Decryption);
    assert_eq!(
        RsaPrivateKey::from_pem("hello").unwrap_err(),
        KeyError::NotPem
    );
    assert!(matches!(
        RsaPrivateKey::from_pem(RSA512_PUBLIC),
        Err(KeyError::UnsupportedLabel(..))
    ));
    assert!(matches!(
        RsaPublicKey::from_pem(OTHER_1024),
        Err(KeyError::UnsupportedLabel(..))
    ));
    assert_eq!(
        RsaPublicKey::from_pem(RSA512_PUBLIC).unwrap_err(),
        KeyError::UnsupportedSize(512)
    );
    assert_eq!(
        RsaPublicKey::from_pem(RSA8192_PUBLIC).unwrap_err(),
        KeyError::UnsupportedSize(8192)
    );
    assert!(matches!(
        RsaPrivateKey::from_der(b"\x30\x03\x02\x01\x00"),
        Err(KeyError::Malformed(_))
    ));
    let corrupt = OTHER_1024.replace("MII", "MIJ");
    assert!(RsaPrivateKey::from_pem(&corrupt).is_err());
}

#[test]
fn crlf_pem_loads() {
    let crlf = OTHER_1024.replace('\n', "\r\n");
    let key = RsaPrivateKey::from_pem(&crlf).unwrap();
    assert_eq!(key.bits(), 1024);
}

#[tokio::test]
async fn wrong_key_never_yields_material() {
    let right = RsaMasterKey::new(RsaPrivateKey::from_pem(OTHER_1024).unwrap());
    let wrong_same_size = {
        let pem = raw_of(RSA2048).to_pkcs1_pem(LineEnding::LF).unwrap();
        RsaMasterKey::new(RsaPrivateKey::from_pem(&pem).unwrap())
    };
    let k1024 = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 1024).unwrap();
    let wrong_1024 = RsaMasterKey::new(RsaPrivateKey::from_rsa(k1024).unwrap());
    for _ in 0..32 {
        let wrapped = right.wrap(&material()).await.unwrap();
        for wrong in [&wrong_same_size, &wrong_1024] {
            let result = wrong.unwrap(&wrapped).await;
            assert!(matches!(result, Err(Error::Unwrap)), "{result:?}");
        }
        // A flipped bit in the wrapped key is the same opaque error.
        let mut bytes = wrapped.key().as_bytes().to_vec();
        bytes[40] ^= 1;
        let tampered = WrappedMaterial::v2(
            WrapAlg::RsaPkcs1,
            WrappedValue::from_bytes(bytes),
            wrapped.start().clone(),
        );
        assert!(matches!(right.unwrap(&tampered).await, Err(Error::Unwrap)));
    }
}

#[tokio::test]
async fn wrapped_values_of_the_wrong_size_are_rejected() {
    let key = RsaMasterKey::new(RsaPrivateKey::from_pem(OTHER_1024).unwrap());
    let raw = raw_of(OTHER_1024).to_public_key();
    let mut rng = rand::rngs::SysRng;
    // A 31-byte key and a 17-byte IV, correctly encrypted, are still wrong-key errors.
    for (key_len, iv_len) in [(31, 16), (32, 17), (33, 16), (32, 15)] {
        let k = raw
            .encrypt(&mut rng, rsa::Pkcs1v15Encrypt, &vec![1; key_len])
            .unwrap();
        let s = raw
            .encrypt(&mut rng, rsa::Pkcs1v15Encrypt, &vec![2; iv_len])
            .unwrap();
        let wrapped = WrappedMaterial::v2(
            WrapAlg::RsaPkcs1,
            WrappedValue::from_bytes(k),
            WrappedValue::from_bytes(s),
        );
        assert!(matches!(key.unwrap(&wrapped).await, Err(Error::Unwrap)));
    }
}

#[tokio::test]
async fn v2_oaep_declared_objects_unwrap() {
    let key = RsaMasterKey::new(RsaPrivateKey::from_pem(OTHER_1024).unwrap());
    let raw = raw_of(OTHER_1024).to_public_key();
    let original = material();
    let k = raw
        .oaep_encrypt::<sha1::Sha1>(original.data_key().as_bytes())
        .unwrap();
    let s = raw
        .oaep_encrypt::<sha1::Sha1>(original.iv().as_bytes())
        .unwrap();
    let wrapped = WrappedMaterial::v2(
        WrapAlg::RsaOaepSha1,
        WrappedValue::from_bytes(k.clone()),
        WrappedValue::from_bytes(s),
    );
    assert!(same(&original, &key.unwrap(&wrapped).await.unwrap()));
    // A PKCS#1 v1.5 label on OAEP data does not unwrap.
    let mislabelled = WrappedMaterial::v2(
        WrapAlg::RsaPkcs1,
        WrappedValue::from_bytes(k),
        wrapped.start().clone(),
    );
    assert!(matches!(key.unwrap(&mislabelled).await, Err(Error::Unwrap)));
}

#[tokio::test]
async fn capabilities_and_algorithms_are_enforced() {
    let private = RsaPrivateKey::from_pem(OTHER_1024).unwrap();
    let encrypt_only = RsaMasterKey::encrypt_only(private.public_key());
    let decrypt_only = RsaMasterKey::decrypt_only(private.clone());
    let wrapped = encrypt_only.wrap(&material()).await.unwrap();
    assert!(matches!(
        encrypt_only.unwrap(&wrapped).await,
        Err(Error::MissingCapability(_))
    ));
    assert!(matches!(
        decrypt_only.wrap(&material()).await,
        Err(Error::MissingCapability(_))
    ));
    let kms = WrappedMaterial::v2(
        WrapAlg::KmsAliCloud,
        wrapped.key().clone(),
        wrapped.start().clone(),
    );
    assert!(matches!(
        decrypt_only.unwrap(&kms).await,
        Err(Error::UnsupportedAlgorithm { .. })
    ));
    let other = RsaPrivateKey::from_pem(RSA2048).unwrap().public_key();
    assert!(matches!(
        RsaMasterKey::from_pair(other, private.clone()),
        Err(Error::Config(_))
    ));
    assert!(RsaMasterKey::from_pair(private.public_key(), private).is_ok());
}

#[test]
fn matdesc_and_algorithm_are_reported() {
    let mut matdesc = Matdesc::new();
    matdesc.insert("k", "v");
    let key = RsaMasterKey::new(RsaPrivateKey::from_pem(OTHER_1024).unwrap())
        .with_matdesc(matdesc.clone());
    assert_eq!(*key.matdesc(), matdesc);
    assert_eq!(key.wrap_alg(), WrapAlg::RsaPkcs1);
}

#[test]
fn debug_output_contains_no_secret() {
    use rsa::traits::PrivateKeyParts;
    let raw = raw_of(OTHER_1024);
    let private = RsaPrivateKey::from_pem(OTHER_1024).unwrap();
    let master = RsaMasterKey::new(private.clone());
    let material =
        ContentMaterial::new(DataKey::from_bytes([0xab; 32]), Iv::from_bytes([0xcd; 16]));
    let d_hex = hex::encode(raw.d().to_be_bytes());
    let p_hex = hex::encode(raw.primes()[0].to_be_bytes());
    let pem_body: String = OTHER_1024.lines().nth(3).unwrap().into();
    for text in [
        format!("{private:?}"),
        format!("{master:?}"),
        format!("{master:#?}"),
        format!("{material:?}"),
        format!("{:?}", KeyError::Decryption),
    ] {
        let lower = text.to_lowercase();
        assert!(!lower.contains(&d_hex[d_hex.len() - 16..]), "{text}");
        assert!(!lower.contains(&p_hex[p_hex.len() - 16..]), "{text}");
        assert!(!text.contains(&pem_body[..20]), "{text}");
        assert!(
            !lower.contains("abababab") && !lower.contains("cdcdcdcd"),
            "{text}"
        );
        assert!(
            !lower.contains("171, 171") && !lower.contains("205, 205"),
            "{text}"
        );
    }
}
