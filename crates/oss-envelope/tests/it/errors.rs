//! The crate-wide error: conversions, messages and sources.

use core::error::Error as _;

use oss_envelope::{
    Error, HeaderError, HeaderErrorKind, KeyMaterialError, LengthMismatch, MultipartError,
    RangeError, header,
};

#[test]
fn every_error_converts_and_keeps_its_message_and_source() {
    let header_error = HeaderError::new(header::START, HeaderErrorKind::InvalidBase64);
    let cases: [(Error, &str); 5] = [
        (
            header_error.into(),
            "invalid envelope header x-oss-meta-client-side-encryption-start: not valid base64",
        ),
        (
            RangeError::NotSatisfiable { object_size: 20 }.into(),
            "range not satisfiable: the object has 20 bytes",
        ),
        (
            MultipartError::EmptyData.into(),
            "multipart data size is 0; use a single put",
        ),
        (
            KeyMaterialError::DataKeyLength { actual: 7 }.into(),
            "data key must be 32 bytes, got 7",
        ),
        (
            LengthMismatch {
                input: 3,
                output: 4,
            }
            .into(),
            "keystream buffers differ in length: input 3 bytes, output 4 bytes",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
        assert_eq!(
            error.source().map(ToString::to_string).as_deref(),
            Some(message)
        );
    }
    assert_eq!(
        Error::RandomnessUnavailable.to_string(),
        "operating system randomness unavailable"
    );
    assert!(Error::RandomnessUnavailable.source().is_none());
}
