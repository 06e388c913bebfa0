//! Fuzz target: `oss_envelope::__fuzz::content_range`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oss_envelope::__fuzz::content_range(data);
});
