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

#[test]
fn counter_carries_across_32_64_and_128_bits_whatever_the_chunking() {
    let key = [0x24; 32];
    let boundaries = [
        0x0000_0000_0000_0000_0000_0000_ffff_fffe_u128,
        0x0000_0000_0000_0000_ffff_ffff_ffff_fffe,
        u128::MAX - 1,
    ];
    for start in boundaries {
        let material = material(key, start.to_be_bytes());
        let data: Vec<u8> = (0..=255u8).cycle().take(100).collect();
        let expected = whole(&material, &data);
        // Block by block, each from its own counter block `start + i` computed here.
        for (index, block) in data.chunks(16).enumerate() {
            let counter = Iv::from_bytes(start.wrapping_add(index as u128).to_be_bytes());
            let mut out = block.to_vec();
            ContentCipher::from_counter_block(material.data_key(), &counter)
                .apply_keystream(&mut out);
            assert_eq!(
                out,
                expected[index * 16..][..block.len()],
                "{start:x} block {index}"
            );
        }
        for chunk in [1, 7, 16, 17, 33] {
            let mut buf = data.clone();
            let mut cipher = ContentCipher::new(&material);
            for piece in buf.chunks_mut(chunk) {
                cipher.apply_keystream(piece);
            }
            assert_eq!(buf, expected, "{start:x} chunk {chunk}");
        }
        for offset in [1usize, 15, 16, 31, 40, 99] {
            let mut buf = data[offset..].to_vec();
            ContentCipher::at_offset(&material, offset as u64).apply_keystream(&mut buf);
            assert_eq!(buf, expected[offset..], "{start:x} offset {offset}");
        }
    }
}
