//! Property tests of the envelope codec: any envelope written and parsed back is unchanged,
//! whatever the name spelling; the matdesc JSON round-trips any map of strings; arbitrary
//! header input never panics.

// Helpers outside #[test] functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use oss_envelope::{Envelope, Matdesc, WrapAlg, WrappedValue};
use proptest::prelude::*;

fn wrap_alg() -> impl Strategy<Value = WrapAlg> {
    prop_oneof![
        Just(WrapAlg::RsaPkcs1),
        Just(WrapAlg::RsaOaepSha1),
        Just(WrapAlg::KmsAliCloud)
    ]
}

fn matdesc() -> impl Strategy<Value = Matdesc> {
    proptest::collection::btree_map(any::<String>(), any::<String>(), 0..5).prop_map(Matdesc::from)
}

prop_compose! {
    fn envelope()(
        key in proptest::collection::vec(any::<u8>(), 1..300),
        start in proptest::collection::vec(any::<u8>(), 1..300),
        wrap_alg in wrap_alg(),
        matdesc in matdesc(),
        length in proptest::option::of(0u64..=53_687_091_200_000),
        md5 in proptest::option::of(any::<[u8; 16]>()),
        data_size in proptest::option::of(0u64..=53_687_091_200_000),
        part_size in proptest::option::of(0u64..=5_368_709_120),
    ) -> Envelope {
        let mut envelope = Envelope::new(
            WrappedValue::from_bytes(key),
            WrappedValue::from_bytes(start),
            wrap_alg,
        )
        .with_matdesc(matdesc);
        if let Some(length) = length {
            envelope = envelope.with_unencrypted_content_length(length);
        }
        if let Some(md5) = md5 {
            envelope = envelope.with_unencrypted_content_md5(md5);
        }
        // Sizes go through the parser because `with_multipart` needs a valid plan.
        let mut headers = envelope.to_headers();
        headers.extend(data_size.map(|s| ("x-oss-meta-client-side-encryption-data-size", s.to_string())));
        headers.extend(part_size.map(|s| ("x-oss-meta-client-side-encryption-part-size", s.to_string())));
        Envelope::from_headers(&headers).unwrap()
    }
}

proptest! {
    #[test]
    fn written_envelopes_parse_back_unchanged(envelope in envelope(), upper in any::<bool>()) {
        let written = envelope.to_headers();
        for (name, value) in &written {
            prop_assert!(value.is_ascii(), "{name}: {value}");
            prop_assert!(!value.is_empty());
        }
        let renamed: Vec<(String, String)> = written
            .iter()
            .map(|(n, v)| (if upper { n.to_ascii_uppercase() } else { (*n).to_owned() }, v.clone()))
            .collect();
        let parsed = Envelope::from_headers(&renamed).unwrap();
        prop_assert_eq!(&parsed, &envelope);
        prop_assert_eq!(parsed.to_headers(), written);
    }

    #[test]
    fn matdesc_json_round_trips(map in proptest::collection::btree_map(any::<String>(), any::<String>(), 0..8)) {
        let matdesc = Matdesc::from(map.clone());
        let json = matdesc.to_json();
        prop_assert!(json.is_ascii());
        prop_assert!(!json.contains(' ') || map.keys().chain(map.values()).any(|s| s.contains(' ')));
        let parsed = Matdesc::from_json(&json).unwrap();
        prop_assert_eq!(BTreeMap::from(parsed), map);
    }

    #[test]
    fn arbitrary_header_lines_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        oss_envelope::__fuzz::envelope_headers(&data);
        oss_envelope::__fuzz::range_spec(&data);
        oss_envelope::__fuzz::content_range(&data);
    }

    #[test]
    fn mutated_envelope_headers_never_panic(
        envelope in envelope(),
        index in 0usize..9,
        junk in "[ -~]{0,40}",
    ) {
        let mut text = String::new();
        for (i, (name, value)) in envelope.to_headers().iter().enumerate() {
            let value = if i == index { junk.as_str() } else { value };
            text.push_str(&format!("{name}:{value}\n"));
        }
        oss_envelope::__fuzz::envelope_headers(text.as_bytes());
    }
}
