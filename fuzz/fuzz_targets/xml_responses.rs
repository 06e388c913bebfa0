//! Fuzz target: every XML response parser of `oss_client::__fuzz`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oss_client::__fuzz::list_parts_xml(data);
    oss_client::__fuzz::list_objects_xml(data);
    oss_client::__fuzz::list_buckets_xml(data);
    oss_client::__fuzz::complete_multipart_xml(data);
    oss_client::__fuzz::error_xml(data);
});
