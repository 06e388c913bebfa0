//! Fuzz target: `oss_envelope::__fuzz::range_spec`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oss_envelope::__fuzz::range_spec(data);
});
