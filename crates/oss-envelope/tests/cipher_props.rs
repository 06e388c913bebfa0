//! Property tests of the content cipher: chunking, seeking and buffer-to-buffer agree with a
//! single whole-buffer application.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use oss_envelope::{ContentCipher, ContentMaterial, DataKey, Iv, LengthMismatch};
use proptest::prelude::*;

fn material(key: [u8; 32], iv: [u8; 16]) -> ContentMaterial {
    ContentMaterial::new(DataKey::from_bytes(key), Iv::from_bytes(iv))
}

fn whole(material: &ContentMaterial, data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    ContentCipher::new(material).apply_keystream(&mut out);
    out
}

proptest! {
    #[test]
    fn chunked_equals_whole(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
        data in proptest::collection::vec(any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(1usize..100, 1..40),
    ) {
        let material = material(key, iv);
        let expected = whole(&material, &data);
        let mut buf = data.clone();
        let mut cipher = ContentCipher::new(&material);
        let mut rest = buf.as_mut_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (head, tail) = rest.split_at_mut((*cut).min(rest.len()));
            cipher.apply_keystream(head);
            rest = tail;
        }
        prop_assert_eq!(buf, expected);
    }

    #[test]
    fn seek_then_rest_equals_suffix(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
        data in proptest::collection::vec(any::<u8>(), 1..1024),
        first in 0usize..1024,
        n in 0usize..1024,
    ) {
        let material = material(key, iv);
        let expected = whole(&material, &data);
        let n = n % data.len();
        // Consume some bytes first so seek has to move backwards or forwards.
        let mut cipher = ContentCipher::new(&material);
        let mut scratch = vec![0u8; first];
        cipher.apply_keystream(&mut scratch);
        cipher.seek(n as u64);
        let mut rest = data[n..].to_vec();
        cipher.apply_keystream(&mut rest);
        prop_assert_eq!(&rest[..], &expected[n..]);

        let mut fresh = data[n..].to_vec();
        ContentCipher::at_offset(&material, n as u64).apply_keystream(&mut fresh);
        prop_assert_eq!(&fresh[..], &expected[n..]);
    }

    #[test]
    fn buffer_to_buffer_equals_in_place(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
        data in proptest::collection::vec(any::<u8>(), 0..600),
        offset in 0u64..(1 << 40),
    ) {
        let material = material(key, iv);
        let mut in_place = data.clone();
        ContentCipher::at_offset(&material, offset).apply_keystream(&mut in_place);
        let mut out = vec![0u8; data.len()];
        ContentCipher::at_offset(&material, offset).apply_keystream_b2b(&data, &mut out).unwrap();
        prop_assert_eq!(out, in_place);
    }

    #[test]
    fn far_offsets_use_iv_plus_block_index(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
        offset in any::<u64>(),
    ) {
        let material = material(key, iv);
        let mut seeked = [0u8; 40];
        ContentCipher::at_offset(&material, offset).apply_keystream(&mut seeked);
        let block_start = material.iv().wrapping_add_blocks(u128::from(offset / 16));
        let mut direct = [0u8; 56];
        ContentCipher::from_counter_block(material.data_key(), &block_start)
            .apply_keystream(&mut direct);
        let skip = usize::try_from(offset % 16).unwrap();
        prop_assert_eq!(&seeked[..], &direct[skip..skip + 40]);
    }
}

#[test]
fn buffer_to_buffer_refuses_length_mismatch_without_advancing() {
    let material = material([1; 32], [2; 16]);
    let mut cipher = ContentCipher::new(&material);
    let mut out = [0u8; 5];
    assert_eq!(
        cipher.apply_keystream_b2b(&[0u8; 6], &mut out),
        Err(LengthMismatch {
            input: 6,
            output: 5
        })
    );
    assert_eq!(out, [0; 5], "nothing written");
    let mut first = [0u8; 5];
    cipher.apply_keystream_b2b(&[0u8; 5], &mut first).unwrap();
    let mut expected = [0u8; 5];
    ContentCipher::new(&material).apply_keystream(&mut expected);
    assert_eq!(
        first, expected,
        "the failed call did not advance the keystream"
    );
}
