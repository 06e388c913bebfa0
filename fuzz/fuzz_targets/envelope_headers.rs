//! Fuzz target: `oss_envelope::__fuzz::envelope_headers`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oss_envelope::__fuzz::envelope_headers(data);
});
