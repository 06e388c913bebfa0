//! Multipart layouts: size rules, the worked example of spec §5.6, part-wise encryption equal
//! to a single upload, default part sizes, and property tests of the plan invariants.

// Helpers outside #[test] functions unwrap too (a failure there is a test failure), and object
// offsets of the small vectors are cast to usize.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use oss_envelope::{
    ContentCipher, ContentMaterial, DEFAULT_PART_SIZE, DataKey, Iv, MAX_DATA_SIZE, MAX_PART_SIZE,
    MAX_PARTS, MultipartError, MultipartPlan, default_part_size,
};
use oss_testkit::{Vectors, unhex};
use proptest::prelude::*;

#[test]
fn worked_example_of_spec_5_6() {
    let plan = MultipartPlan::new(250_000, 102_400).unwrap();
    assert_eq!(plan.part_count(), 3);
    let parts: Vec<_> = plan
        .parts()
        .map(|p| (p.number(), p.offset(), p.len(), p.counter_offset()))
        .collect();
    assert_eq!(
        parts,
        [
            (1, 0, 102_400, 0),
            (2, 102_400, 102_400, 6400),
            (3, 204_800, 45_200, 12_800)
        ]
    );
    assert_eq!(
        plan.part(0),
        Err(MultipartError::PartNumberOutOfRange {
            number: 0,
            part_count: 3
        })
    );
    assert_eq!(
        plan.part(4),
        Err(MultipartError::PartNumberOutOfRange {
            number: 4,
            part_count: 3
        })
    );
}

#[test]
fn size_rules() {
    use MultipartError as E;
    assert_eq!(MultipartPlan::new(0, 102_400), Err(E::EmptyData));
    assert_eq!(
        MultipartPlan::new(1000, 0),
        Err(E::PartSizeNotBlockMultiple { part_size: 0 })
    );
    assert_eq!(
        MultipartPlan::new(300_000, 102_401),
        Err(E::PartSizeNotBlockMultiple { part_size: 102_401 })
    );
    assert_eq!(
        MultipartPlan::new(300_000, 102_384),
        Err(E::PartSizeTooSmall { part_size: 102_384 })
    );
    // A single part may be smaller than 100 KiB.
    assert_eq!(MultipartPlan::new(100, 112).unwrap().part_count(), 1);
    assert_eq!(
        MultipartPlan::new(102_400, 102_400).unwrap().part_count(),
        1
    );
    assert_eq!(
        MultipartPlan::new(10_001 * 102_400, 102_400),
        Err(E::TooManyParts { parts: 10_001 })
    );
    assert_eq!(
        MultipartPlan::new(10_000 * 102_400, 102_400)
            .unwrap()
            .part_count(),
        MAX_PARTS
    );
    assert_eq!(
        MultipartPlan::new(MAX_DATA_SIZE + 1, MAX_PART_SIZE),
        Err(E::DataTooLarge {
            data_size: MAX_DATA_SIZE + 1
        })
    );
    assert_eq!(
        MultipartPlan::new(1 << 40, MAX_PART_SIZE + 16),
        Err(E::PartSizeTooLarge {
            part_size: MAX_PART_SIZE + 16
        })
    );
    let last = MultipartPlan::new(MAX_DATA_SIZE, MAX_PART_SIZE).unwrap();
    assert_eq!(
        last.part(MAX_PARTS).unwrap().offset(),
        MAX_DATA_SIZE - MAX_PART_SIZE
    );
    assert!(
        E::PartSizeTooSmall { part_size: 16 }
            .to_string()
            .contains("102400")
    );
}

#[test]
fn default_part_size_is_8_mib_or_enough_for_10000_parts() {
    assert_eq!(default_part_size(1), DEFAULT_PART_SIZE);
    assert_eq!(
        default_part_size(10_000 * DEFAULT_PART_SIZE),
        DEFAULT_PART_SIZE
    );
    let bigger = 10_000 * DEFAULT_PART_SIZE + 1;
    let part = default_part_size(bigger);
    assert_eq!(part % 16, 0);
    assert!(part > DEFAULT_PART_SIZE && part - 16 < bigger.div_ceil(10_000));
    assert_eq!(default_part_size(MAX_DATA_SIZE), MAX_PART_SIZE);
    assert_eq!(
        MultipartPlan::with_default_part_size(bigger)
            .unwrap()
            .part_count(),
        10_000
    );
    assert!(MultipartPlan::with_default_part_size(MAX_DATA_SIZE).is_ok());
    assert!(MultipartPlan::with_default_part_size(0).is_err());
}

#[test]
fn part_wise_encryption_equals_a_single_upload() {
    let Some(v) = Vectors::locate() else { return };
    let plaintext = v.bytes("bing-wallpaper-482048.jpg");
    // The Python vector's IV; the vector file pins IV + 6400 for part 2 at 102400 bytes.
    let iv = Iv::try_from_slice(&unhex("10706cb7468cd52e000000008771048a")).unwrap();
    let material = ContentMaterial::new(DataKey::from_bytes([0x42; 32]), iv);
    let mut whole = plaintext.clone();
    ContentCipher::new(&material).apply_keystream(&mut whole);

    let plan = MultipartPlan::new(plaintext.len() as u64, 102_400).unwrap();
    assert_eq!(plan.part_count(), 5);
    let counter2 = material
        .iv()
        .wrapping_add_blocks(u128::from(plan.part(2).unwrap().counter_offset()));
    assert_eq!(
        hex::encode(counter2.as_bytes()),
        "10706cb7468cd52e0000000087711d8a"
    );
    let mut joined = Vec::new();
    for part in plan.parts() {
        let range = part.offset() as usize..(part.offset() + part.len()) as usize;
        let mut body = plaintext[range].to_vec();
        ContentCipher::at_offset(&material, part.offset()).apply_keystream(&mut body);
        joined.extend_from_slice(&body);
    }
    assert!(joined == whole);
}

proptest! {
    #[test]
    fn valid_plans_tile_the_data(data_size in 1u64..(1 << 42), factor in 1u64..400_000) {
        let part_size = factor * 16;
        let Ok(plan) = MultipartPlan::new(data_size, part_size) else {
            // Refused only for a rule of spec §5.2.
            let parts = data_size.div_ceil(part_size);
            prop_assert!(parts > 10_000 || (parts > 1 && part_size < 102_400));
            return Ok(());
        };
        prop_assert!(plan.part_count() >= 1 && plan.part_count() <= MAX_PARTS);
        prop_assert_eq!(plan.parts().len(), plan.part_count() as usize);
        let mut next = 0;
        for part in plan.parts() {
            prop_assert_eq!(part.offset(), next);
            prop_assert_eq!(part.counter_offset() * 16, part.offset());
            prop_assert!(!part.is_empty());
            if part.number() < plan.part_count() {
                prop_assert_eq!(part.len(), part_size);
            }
            next += part.len();
        }
        prop_assert_eq!(next, data_size);
        prop_assert_eq!(plan.part(plan.part_count()).unwrap().len(), data_size - (u64::from(plan.part_count()) - 1) * part_size);
    }

    #[test]
    fn default_part_size_is_always_valid(data_size in 1u64..=MAX_DATA_SIZE) {
        let plan = MultipartPlan::with_default_part_size(data_size).unwrap();
        prop_assert!(plan.part_size() >= DEFAULT_PART_SIZE);
        prop_assert_eq!(plan.part_size() % 16, 0);
    }
}
