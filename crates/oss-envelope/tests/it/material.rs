//! Key material: generation layout, constructors, V1 start values, zeroizing types' Debug.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{ContentCipher, ContentMaterial, DataKey, Iv, KeyMaterialError};
use rand::SeedableRng;
use rand::rngs::StdRng;

#[test]
fn generated_iv_has_bytes_8_to_11_zero_and_material_differs() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut seen = Vec::new();
    for _ in 0..64 {
        let material = ContentMaterial::generate(&mut rng);
        assert_eq!(material.iv().as_bytes()[8..12], [0; 4]);
        assert!(material.iv().is_writer_conformant());
        seen.push((*material.data_key().as_bytes(), *material.iv().as_bytes()));
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 64, "every generated key/iv pair is distinct");
    // 12 random IV bytes: at least one of the outer bytes is non-zero in 64 draws.
    assert!(
        seen.iter()
            .any(|(_, iv)| iv[..8] != [0; 8] && iv[12..] != [0; 4])
    );
}

#[test]
fn os_generation_works_and_is_fresh() {
    let a = ContentMaterial::generate_os().unwrap();
    let b = ContentMaterial::generate_os().unwrap();
    assert_ne!(a.data_key().as_bytes(), b.data_key().as_bytes());
    assert_ne!(a.iv().as_bytes(), b.iv().as_bytes());
    assert!(a.iv().is_writer_conformant() && b.iv().is_writer_conformant());
}

#[test]
fn slice_constructors_check_lengths() {
    assert_eq!(
        DataKey::try_from_slice(&[1; 31]).err(),
        Some(KeyMaterialError::DataKeyLength { actual: 31 })
    );
    assert_eq!(
        DataKey::try_from_slice(&[1; 33]).err(),
        Some(KeyMaterialError::DataKeyLength { actual: 33 })
    );
    assert_eq!(
        Iv::try_from_slice(&[]).err(),
        Some(KeyMaterialError::IvLength { actual: 0 })
    );
    assert_eq!(
        DataKey::try_from_slice(&[9; 32]).unwrap().as_bytes(),
        &[9; 32]
    );
    assert_eq!(Iv::try_from_slice(&[3; 16]).unwrap().as_bytes(), &[3; 16]);
    let e = Iv::try_from_slice(&[0; 17]).unwrap_err();
    assert_eq!(e.to_string(), "iv must be 16 bytes, got 17");
}

#[test]
fn v1_start_values() {
    let counter = |s: &str| Iv::from_v1_start(s.as_bytes()).map(|iv| *iv.as_bytes());
    let mut eight = [0u8; 16];
    eight[15] = 8;
    assert_eq!(counter("8"), Ok(eight));
    assert_eq!(counter("0008"), Ok(eight));
    assert_eq!(counter("0"), Ok([0; 16]));
    assert_eq!(counter("4294967296").unwrap()[8..12], [0, 0, 0, 1]);
    let max = u128::MAX.to_string();
    assert_eq!(max.len(), 39);
    assert_eq!(counter(&max), Ok([0xff; 16]));
    let invalid = Err(KeyMaterialError::InvalidV1Start);
    // 2^128 overflows; 40 digits are too many even with leading zeros.
    assert_eq!(counter("340282366920938463463374607431768211456"), invalid);
    assert_eq!(counter(&format!("0{max}")), invalid);
    for bad in ["", " 8", "8 ", "+8", "-8", "8a", "0x8", "８"] {
        assert_eq!(counter(bad), invalid, "{bad:?}");
    }
}

#[test]
fn debug_output_never_shows_key_material() {
    let key_bytes: [u8; 32] = core::array::from_fn(|i| 0xa0 + u8::try_from(i).unwrap());
    let iv_bytes: [u8; 16] = core::array::from_fn(|i| 0x30 + u8::try_from(i).unwrap());
    let material = ContentMaterial::new(DataKey::from_bytes(key_bytes), Iv::from_bytes(iv_bytes));
    let cipher = ContentCipher::new(&material);
    let outputs = [
        format!("{:?}", material.data_key()),
        format!("{:?}", material.iv()),
        format!("{material:?}"),
        format!("{material:#?}"),
        format!("{cipher:?}"),
    ];
    for out in &outputs {
        for secret in [&key_bytes[..], &iv_bytes[..]] {
            let hex = hex::encode(secret);
            assert!(!out.contains(&hex[..8]), "{out} shows hex bytes");
            let decimal = format!("{}, {}", secret[0], secret[1]);
            assert!(!out.contains(&decimal), "{out} shows decimal bytes");
        }
        assert!(out.contains("{ .. }"), "{out}");
    }
}
