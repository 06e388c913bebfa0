//! The content cipher against every shared ciphertext vector with a known key: whole-object
//! decryption, every chunk size 1..=256, seeded random start offsets, and the `seek_checks`.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{ContentCipher, ContentMaterial, DataKey, Iv};
use oss_testkit::{ObjectVector, Vectors, unhex};

/// A decryptable vector: material, ciphertext, expected plaintext.
struct Case {
    name: &'static str,
    material: ContentMaterial,
    ciphertext: Vec<u8>,
    plaintext: Vec<u8>,
}

fn key(hex: &str) -> DataKey {
    DataKey::try_from_slice(&unhex(hex)).unwrap()
}

fn v2_case(v: &Vectors, name: &'static str) -> (Case, ObjectVector) {
    let vector = v.object(name);
    let expected = &vector.expected;
    let material = ContentMaterial::new(
        key(&expected.cek_hex),
        Iv::try_from_slice(&unhex(expected.iv_hex.as_deref().unwrap())).unwrap(),
    );
    let case = Case {
        name,
        material,
        ciphertext: v.bytes(vector.ciphertext_file.as_deref().unwrap()),
        plaintext: v.bytes(expected.plaintext_file.as_deref().unwrap()),
    };
    (case, vector)
}

/// A V1 vector, its start value read by `start` (the two files keep it in different places).
fn v1_case(v: &Vectors, name: &'static str, start: fn(&ObjectVector) -> String) -> Case {
    let vector = v.object(name);
    let expected = &vector.expected;
    let iv = Iv::from_v1_start(start(&vector).as_bytes()).unwrap();
    assert_eq!(
        iv.as_bytes()[..],
        unhex(expected.initial_counter_hex.as_deref().unwrap())[..],
        "{name}: v1 initial counter"
    );
    Case {
        name,
        material: ContentMaterial::new(key(&expected.cek_hex), iv),
        ciphertext: v.bytes(vector.ciphertext_file.as_deref().unwrap()),
        plaintext: expected.plaintext.as_ref().unwrap().bytes(),
    }
}

/// Deterministic offsets (splitmix64) so failures are reproducible.
fn offsets(seed: u64, count: usize, len: usize) -> Vec<usize> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            usize::try_from((z ^ (z >> 31)) % u64::try_from(len).unwrap()).unwrap()
        })
        .collect()
}

/// Whole, chunked (over `chunk_prefix` bytes), random offsets, and buffer-to-buffer.
fn check_case(case: &Case, chunk_prefix: usize) {
    let name = case.name;
    let mut whole = case.ciphertext.clone();
    ContentCipher::new(&case.material).apply_keystream(&mut whole);
    assert!(whole == case.plaintext, "{name}: whole-object decryption");

    let mut out = vec![0; case.ciphertext.len()];
    ContentCipher::new(&case.material)
        .apply_keystream_b2b(&case.ciphertext, &mut out)
        .unwrap();
    assert!(out == case.plaintext, "{name}: buffer-to-buffer decryption");

    let prefix = chunk_prefix.min(case.ciphertext.len());
    for chunk in 1..=256 {
        let mut buf = case.ciphertext[..prefix].to_vec();
        let mut cipher = ContentCipher::new(&case.material);
        for piece in buf.chunks_mut(chunk) {
            cipher.apply_keystream(piece);
        }
        assert!(
            buf == case.plaintext[..prefix],
            "{name}: chunk size {chunk}"
        );
    }

    for offset in offsets(0x05_5e_ed, 64, case.ciphertext.len()) {
        let end = (offset + 4096).min(case.ciphertext.len());
        let mut buf = case.ciphertext[offset..end].to_vec();
        ContentCipher::at_offset(&case.material, offset as u64).apply_keystream(&mut buf);
        assert!(
            buf == case.plaintext[offset..end],
            "{name}: at_offset {offset}"
        );

        let mut cipher = ContentCipher::new(&case.material);
        let mut skipped = case.ciphertext[..offset.min(37)].to_vec();
        cipher.apply_keystream(&mut skipped);
        cipher.seek(offset as u64);
        let mut buf = case.ciphertext[offset..end].to_vec();
        cipher.apply_keystream(&mut buf);
        assert!(buf == case.plaintext[offset..end], "{name}: seek {offset}");
    }
}

fn check_seek_checks(case: &Case, vector: &ObjectVector) {
    let name = case.name;
    let checks = &vector.seek_checks;
    assert!(!checks.is_empty());
    for check in checks {
        let field = |n: u64| usize::try_from(n).unwrap();
        let (offset, aligned, discard) = (
            field(check.offset),
            field(check.aligned_offset),
            field(check.discard),
        );
        let counter = unhex(&check.counter_hex);
        let block = check.block_index;
        assert_eq!(
            (aligned, discard),
            (offset / 16 * 16, offset % 16),
            "{name}: {offset}"
        );
        let iv = case.material.iv().wrapping_add_blocks(u128::from(block));
        assert_eq!(
            iv.as_bytes()[..],
            counter[..],
            "{name}: counter at {offset}"
        );

        // The SDK way: start a fresh stream at the counter block, decrypt from the aligned
        // offset and drop `discard` bytes.
        let counter_block = Iv::try_from_slice(&counter).unwrap();
        let mut buf = case.ciphertext[aligned..].to_vec();
        ContentCipher::from_counter_block(case.material.data_key(), &counter_block)
            .apply_keystream(&mut buf);
        assert!(
            buf[discard..] == case.plaintext[offset..],
            "{name}: aligned {offset}"
        );

        // Our way: start exactly at the offset.
        let mut buf = case.ciphertext[offset..].to_vec();
        ContentCipher::at_offset(&case.material, offset as u64).apply_keystream(&mut buf);
        assert!(buf == case.plaintext[offset..], "{name}: exact {offset}");
    }
}

#[test]
fn v2_vectors_decrypt_whole_chunked_and_seeked() {
    let Some(v) = Vectors::locate() else { return };
    for name in ["v2-go-rsa", "v2-python-rsa"] {
        let (case, vector) = v2_case(&v, name);
        assert_eq!(case.ciphertext.len(), 21839);
        check_case(&case, usize::MAX);
        check_seek_checks(&case, &vector);
    }
}

#[test]
fn v1_kms_vector_decrypts_from_start_8() {
    let Some(v) = Vectors::locate() else { return };
    let case = v1_case(&v, "v1-kms-1MiB", |vector| {
        vector.test_only.as_ref().unwrap().plain_start.clone()
    });
    let test_only = v.object("v1-kms-1MiB").test_only.unwrap();
    assert_eq!(
        test_only.base64_plain_key,
        "ogO+SR1IiCiBsLxuS5tQVq/OhKQA6uaqoZQfkBcdka4="
    );
    check_case(&case, 16 * 1024);
}

#[test]
fn v1_rsa_oaep_vector_decrypts_from_start_8() {
    let Some(v) = Vectors::locate() else { return };
    let case = v1_case(&v, "v1-rsa-oaep-1MiB", |vector| {
        vector.expected.start_plaintext.clone().unwrap()
    });
    check_case(&case, 16 * 1024);
}

#[test]
fn aes256ctr_known_answers() {
    let Some(v) = Vectors::locate() else { return };
    let answers = v.aes256ctr().known_answers;
    assert_eq!(answers.len(), 3);
    for answer in answers {
        let id = &answer.id;
        let material = ContentMaterial::new(
            DataKey::try_from_slice(&unhex(&answer.key_hex)).unwrap(),
            Iv::try_from_slice(&unhex(&answer.iv_hex)).unwrap(),
        );
        let (plaintext, ciphertext) = (unhex(&answer.plaintext_hex), unhex(&answer.ciphertext_hex));
        let mut buf = plaintext.clone();
        ContentCipher::new(&material).apply_keystream(&mut buf);
        assert_eq!(buf, ciphertext, "{id}: encrypt");
        ContentCipher::new(&material).apply_keystream(&mut buf);
        assert_eq!(buf, plaintext, "{id}: decrypt");

        if let Some(next) = &answer.iv_plus_1_hex {
            let next = Iv::try_from_slice(&unhex(next)).unwrap();
            assert_eq!(
                material.iv().wrapping_add_blocks(1).as_bytes(),
                next.as_bytes()
            );
            let mut second = plaintext[16..32].to_vec();
            ContentCipher::from_counter_block(material.data_key(), &next)
                .apply_keystream(&mut second);
            assert_eq!(
                second,
                ciphertext[16..32],
                "{id}: block 2 with counter IV+1"
            );
        }
    }
}

#[test]
fn counter_arithmetic_is_full_128_bit() {
    let Some(v) = Vectors::locate() else { return };
    let vectors = v.aes256ctr();
    let cases = &vectors.counter_arithmetic;
    assert_eq!(cases.len(), 7);
    let data_key = DataKey::from_bytes([0x5a; 32]);
    for case in cases {
        let iv = Iv::try_from_slice(&unhex(&case.iv_hex)).unwrap();
        let blocks = case.add_blocks;
        let expected = unhex(&case.full_128bit_hex);
        let added = iv.wrapping_add_blocks(u128::from(blocks));
        assert_eq!(added.as_bytes()[..], expected[..], "{case:?}");

        // The cipher seeking to block `blocks` must use exactly that counter block.
        let material = ContentMaterial::new(data_key.clone(), iv);
        let mut seeked = [0u8; 48];
        ContentCipher::at_offset(&material, blocks * 16).apply_keystream(&mut seeked);
        let mut direct = [0u8; 48];
        let counter = Iv::try_from_slice(&expected).unwrap();
        ContentCipher::from_counter_block(&data_key, &counter).apply_keystream(&mut direct);
        assert_eq!(seeked, direct, "{case:?}");
    }
    let java = &vectors.java_upstream_case;
    let iv = Iv::try_from_slice(&unhex(&java.iv_hex)).unwrap();
    let delta = u64::from_str_radix(&java.delta_hex, 16).unwrap();
    let sum = iv.wrapping_add_blocks(u128::from(delta));
    assert_eq!(sum.as_bytes()[..], unhex(&java.expected_hex)[..]);
}
