//! The AWS-LC backend (feature `aws-lc`) against the pure-Rust `rsa` crate: the same keys give
//! the same unwrapped material, what one backend wraps the other unwraps, and every malformed
//! encoded message is the one opaque [`Error::Unwrap`] on both paths.

// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{ContentMaterial, DataKey, Iv, WrapAlg, WrappedValue};
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_keywrap::{Error, WrapKey, WrappedMaterial};
use rsa::BoxedUint;
use rsa::traits::PublicKeyParts;

const OTHER_1024: &str = include_str!("../data/other-rsa1024.pem");
const RSA2048: &str = include_str!("../data/rsa2048-pkcs1.pem");
const RSA3072: &str = include_str!("../data/rsa3072-pkcs8.pem");

fn key(pem: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pem(pem).unwrap()
}

fn raw(pem: &str) -> rsa::PrivateKey {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    rsa::PrivateKey::from_pkcs1_pem(pem)
        .or_else(|_| rsa::PrivateKey::from_pkcs8_pem(pem))
        .unwrap()
}

fn material() -> ContentMaterial {
    ContentMaterial::new(DataKey::from_bytes([0x42; 32]), Iv::from_bytes([0x17; 16]))
}

/// The raw RSA public operation on a chosen encoded message `em` (k bytes).
fn encrypt_raw(pem: &str, em: &[u8]) -> Vec<u8> {
    let public = raw(pem).to_public_key();
    let m = BoxedUint::from_be_slice(em, public.n_bits_precision()).unwrap();
    let c = rsa::hazmat::rsa_encrypt(&public, &m).unwrap().to_be_bytes();
    c[c.len() - public.size()..].to_vec()
}

/// `00 02 PS 00 M` with a non-zero `PS` and `|M| = len`.
fn encoded(k: usize, len: usize) -> Vec<u8> {
    let mut em = vec![0x5a; k];
    em[0] = 0;
    em[1] = 2;
    em[k - len - 1] = 0;
    em
}

fn pkcs1_envelope(key: Vec<u8>, start: Vec<u8>) -> WrappedMaterial {
    WrappedMaterial::v2(
        WrapAlg::RsaPkcs1,
        WrappedValue::from_bytes(key),
        WrappedValue::from_bytes(start),
    )
}

#[test]
fn keys_of_2048_bits_and_more_use_aws_lc_and_smaller_ones_rsa() {
    let expected = if cfg!(feature = "aws-lc") {
        "aws-lc"
    } else {
        "rsa"
    };
    assert_eq!(key(RSA2048).backend(), expected);
    assert_eq!(key(RSA3072).backend(), expected);
    assert_eq!(key(OTHER_1024).backend(), "rsa");
    assert_eq!(key(RSA2048).with_pure_rust_backend().backend(), "rsa");
    assert_eq!(key(RSA2048).public_key().backend(), expected);
    assert_eq!(key(RSA3072).public_key().backend(), expected);
    assert_eq!(key(OTHER_1024).public_key().backend(), "rsa");
    let forced = key(RSA2048).with_pure_rust_backend();
    assert_eq!(forced.public_key().backend(), "rsa");
    assert_eq!(forced.public_key(), key(RSA2048).public_key());
}

#[test]
fn what_one_backend_wraps_the_other_unwraps() {
    for pem in [OTHER_1024, RSA2048, RSA3072] {
        let public = key(pem).public_key();
        for (wrapper, unwrapper) in [
            (public.clone(), key(pem).with_pure_rust_backend()),
            (public.with_pure_rust_backend(), key(pem)),
        ] {
            let wrapped = RsaMasterKey::encrypt_only(wrapper)
                .wrap_material(&material())
                .unwrap();
            let bytes = raw(pem).size();
            assert_eq!(wrapped.key().as_bytes().len(), bytes);
            assert_eq!(wrapped.start().as_bytes().len(), bytes);
            let unwrapped = RsaMasterKey::new(unwrapper)
                .unwrap_material(&wrapped)
                .unwrap();
            assert_eq!(
                unwrapped.data_key().as_bytes(),
                material().data_key().as_bytes()
            );
            assert_eq!(unwrapped.iv().as_bytes(), material().iv().as_bytes());
        }
    }
}

/// Each key twice: with its default backend and forced onto the pure-Rust one, so that the
/// checks below compare AWS-LC and `rsa` on the same ciphertexts in one build.
fn both_backends(pem: &str) -> [RsaMasterKey; 2] {
    [
        RsaMasterKey::new(key(pem)),
        RsaMasterKey::new(key(pem).with_pure_rust_backend()),
    ]
}

#[test]
fn chosen_encoded_messages_decide_acceptance_on_every_key_size() {
    for (pem, master) in [OTHER_1024, RSA2048, RSA3072]
        .into_iter()
        .flat_map(|pem| both_backends(pem).map(|master| (pem, master)))
    {
        let k = raw(pem).size();
        let iv = encrypt_raw(pem, &encoded(k, 16));
        let good = encrypt_raw(pem, &encoded(k, 32));
        let unwrapped = master
            .unwrap_material(&pkcs1_envelope(good.clone(), iv.clone()))
            .unwrap();
        assert_eq!(unwrapped.data_key().as_bytes(), &[0x5a; 32]);
        let mut bad = vec![encoded(k, 31), encoded(k, 33), encoded(k, k - 10)];
        for (index, value) in [(0, 1u8), (1, 1), (2, 0), (9, 0)] {
            let mut em = encoded(k, 32);
            em[index] = value;
            bad.push(em);
        }
        for em in bad {
            let envelope = pkcs1_envelope(encrypt_raw(pem, &em), iv.clone());
            let result = master.unwrap_material(&envelope);
            assert!(
                matches!(result, Err(Error::Unwrap)),
                "{k} bytes: {result:?}"
            );
        }
        // Ciphertexts of the wrong length or not below the modulus.
        for wrong in [
            good[1..].to_vec(),
            [good.clone(), vec![0]].concat(),
            vec![0xff; k],
        ] {
            let result = master.unwrap_material(&pkcs1_envelope(wrong, iv.clone()));
            assert!(matches!(result, Err(Error::Unwrap)), "{result:?}");
        }
    }
}

#[test]
fn both_paddings_round_trip_and_a_wrong_key_is_refused() {
    let mut rng = rand::rngs::SysRng;
    for (pem, master) in [RSA2048, RSA3072]
        .into_iter()
        .flat_map(|pem| both_backends(pem).map(|master| (pem, master)))
    {
        let wrapped = master.wrap_material(&material()).unwrap();
        let unwrapped = master.unwrap_material(&wrapped).unwrap();
        assert_eq!(
            unwrapped.data_key().as_bytes(),
            material().data_key().as_bytes()
        );
        assert_eq!(unwrapped.iv().as_bytes(), material().iv().as_bytes());

        let public = raw(pem).to_public_key();
        let mut oaep = |m: &[u8]| {
            public
                .encrypt(&mut rng, rsa::Oaep::<sha1::Sha1>::new(), m)
                .unwrap()
        };
        let envelope = WrappedMaterial::v2(
            WrapAlg::RsaOaepSha1,
            WrappedValue::from_bytes(oaep(&[0x42; 32])),
            WrappedValue::from_bytes(oaep(&[0x17; 16])),
        );
        let unwrapped = master.unwrap_material(&envelope).unwrap();
        assert_eq!(unwrapped.data_key().as_bytes(), &[0x42; 32]);
        assert_eq!(unwrapped.iv().as_bytes(), &[0x17; 16]);

        let other = RsaMasterKey::new(key(if pem == RSA2048 { RSA3072 } else { RSA2048 }));
        for envelope in [wrapped, envelope] {
            let result = other.unwrap_material(&envelope);
            assert!(matches!(result, Err(Error::Unwrap)), "{result:?}");
        }
    }
}
