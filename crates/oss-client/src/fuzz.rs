//! Entry points for the fuzz targets in `fuzz/`: each feeds untrusted bytes to one XML
//! response parser, which must return (Ok or a typed error) without panicking.

/// ListParts response parser.
pub fn list_parts_xml(data: &[u8]) {
    let _ = crate::xml::parse_list_parts(data);
}

/// Error body parser (body and `x-oss-err` header forms).
pub fn error_xml(data: &[u8]) {
    let _ = crate::xml::parse_error_body(500, None, None, None, data);
    let _ = crate::xml::parse_error_body(404, None, None, core::str::from_utf8(data).ok(), b"");
}

/// ListObjectsV2 response parser.
pub fn list_objects_xml(data: &[u8]) {
    let _ = crate::xml::parse_list_objects(data);
}

/// CompleteMultipartUpload (and Initiate / Copy) response parsers.
pub fn complete_multipart_xml(data: &[u8]) {
    let _ = crate::xml::parse_complete(data);
    let _ = crate::xml::parse_initiate(data);
    let _ = crate::xml::parse_copy(data);
}
