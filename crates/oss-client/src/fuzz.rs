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

/// ListBuckets response parser.
pub fn list_buckets_xml(data: &[u8]) {
    let _ = crate::xml::parse_list_buckets(data);
}

/// CompleteMultipartUpload (and Initiate / Copy) response parsers.
pub fn complete_multipart_xml(data: &[u8]) {
    let _ = crate::xml::parse_complete(data);
    let _ = crate::xml::parse_initiate(data);
    let _ = crate::xml::parse_copy(data);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every prefix of valid documents (and some garbage) goes through every parser.
    #[test]
    fn parsers_survive_truncated_and_garbage_input() {
        let docs: [&[u8]; 5] = [
            b"<ListPartsResult><Bucket>b</Bucket><Part><PartNumber>1</PartNumber><ETag>\"A\"</ETag><HashCrc64ecma>5</HashCrc64ecma><Size>3</Size></Part></ListPartsResult>",
            b"<Error><Code>NoSuchKey</Code><Message>m &amp; n</Message><RequestId>r</RequestId><EC>1</EC></Error>",
            b"<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%E4%</Key><Size>1</Size></Contents></ListBucketResult>",
            b"<CompleteMultipartUploadResult><Key>k</Key><ETag>\"E-2\"</ETag></CompleteMultipartUploadResult>",
            b"<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><Buckets><Bucket><Name>b</Name></Bucket></Buckets></ListAllMyBucketsResult>",
        ];
        for doc in docs {
            for end in 0..=doc.len() {
                let slice = &doc[..end];
                list_parts_xml(slice);
                error_xml(slice);
                list_objects_xml(slice);
                list_buckets_xml(slice);
                complete_multipart_xml(slice);
            }
        }
        for garbage in [
            &b"\xff\xfe<"[..],
            b"<a><a><a>",
            b"<!DOCTYPE x [<!ENTITY e \"e\">]><Error>&e;</Error>",
        ] {
            error_xml(garbage);
            list_objects_xml(garbage);
            list_buckets_xml(garbage);
        }
        // An invalid percent-escape in an encoded key is a typed error, not a panic.
        assert!(crate::xml::parse_list_objects(docs[2]).is_err());
    }
}
