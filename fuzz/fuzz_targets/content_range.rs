//! Fuzz target: the one `Content-Range` parser (`oss_range`) and the envelope's validation of
//! what it accepts (`oss_envelope::__fuzz::content_range`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oss_range::__fuzz::content_range(data);
    oss_envelope::__fuzz::content_range(data);
});
