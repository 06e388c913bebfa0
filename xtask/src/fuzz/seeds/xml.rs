//! XML response seeds for the `xml_responses` target, filled with values from the shared
//! vectors (multipart ETags, part sizes, envelope headers).

use std::path::Path;

use serde_json::Value;

use super::json_files;

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// ListParts (plain and with the client-side-encryption elements), ListObjectsV2,
/// Initiate/Complete/Copy results and error bodies.
pub(crate) fn responses(vectors: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let docs = json_files(vectors)?;
    let cases: Vec<&Value> = docs
        .iter()
        .filter_map(|d| d.get("cases")?.as_array())
        .flatten()
        .collect();
    let envelope = docs
        .iter()
        .find_map(|d| Some(d.get("headers")?.as_object()?).filter(|h| h.contains_key(KEY)));
    let mut seeds = vec![
        format!(
            "{DECL}<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>0004B9894A22E5B1888A1E29F8236E2D</UploadId></InitiateMultipartUploadResult>"
        ),
        format!(
            "{DECL}<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>566B6BE93A7B8CFD53D4BAA3</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><Key>k</Key><EC>0026-00000001</EC></Error>"
        ),
        format!(
            "{DECL}<Error><Code>InvalidArgument</Code><Message>m</Message><ArgumentName>part-number-marker</ArgumentName><ArgumentValue></ArgumentValue></Error>"
        ),
    ];
    for case in &cases {
        let Some(etag) = case.get("expected_etag").and_then(Value::as_str) else {
            continue;
        };
        let etag = xml_escape(etag);
        seeds.push(format!("{DECL}<CompleteMultipartUploadResult><EncodingType>url</EncodingType><Location>http://b.oss/k</Location><Bucket>b</Bucket><Key>dir%2Fa%20b%2Bc</Key><ETag>{etag}</ETag></CompleteMultipartUploadResult>"));
        seeds.push(format!("{DECL}<CopyObjectResult><ETag>{etag}</ETag><LastModified>2019-04-09T03:45:32.000Z</LastModified></CopyObjectResult>"));
        seeds.push(list_objects(&etag));
        if let Some(md5s) = case.get("part_md5_hex").and_then(Value::as_array) {
            let sizes = case.get("part_sizes").and_then(Value::as_array);
            seeds.push(list_parts(md5s, sizes, None));
            if let Some(headers) = envelope {
                seeds.push(list_parts(md5s, sizes, Some(headers)));
            }
        }
    }
    Ok(seeds.into_iter().map(String::into_bytes).collect())
}

const KEY: &str = "x-oss-meta-client-side-encryption-key";

fn list_objects(etag: &str) -> String {
    format!(
        "{DECL}<ListBucketResult><Name>b</Name><Prefix></Prefix><MaxKeys>100</MaxKeys>\
         <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><KeyCount>1</KeyCount>\
         <NextContinuationToken>dir%2Fz</NextContinuationToken><Contents><Key>dir%2Fa%20b</Key>\
         <LastModified>2015-12-12T00:36:26.000Z</LastModified><ETag>{etag}</ETag>\
         <Type>Multipart</Type><Size>482048</Size><StorageClass>Standard</StorageClass></Contents>\
         <CommonPrefixes><Prefix>dir%2Fsub%2F</Prefix></CommonPrefixes></ListBucketResult>"
    )
}

fn list_parts(
    md5s: &[Value],
    sizes: Option<&Vec<Value>>,
    envelope: Option<&serde_json::Map<String, Value>>,
) -> String {
    let mut xml = format!(
        "{DECL}<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>\
         <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>{}</NextPartNumberMarker>\
         <MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>",
        md5s.len()
    );
    if let Some(headers) = envelope {
        for (element, header) in [("Key", "key"), ("Start", "start"), ("CekAlg", "cek-alg")] {
            let name = format!("x-oss-meta-client-side-encryption-{header}");
            let value = headers
                .get(&name)
                .and_then(Value::as_str)
                .unwrap_or_default();
            xml.push_str(&format!(
                "<ClientEncryption{element}>{value}</ClientEncryption{element}>"
            ));
        }
        xml.push_str("<ClientEncryptionDataSize>482048</ClientEncryptionDataSize>");
        xml.push_str("<ClientEncryptionPartSize>102400</ClientEncryptionPartSize>");
    }
    for (index, md5) in md5s.iter().enumerate() {
        let size = sizes
            .and_then(|s| s.get(index))
            .and_then(Value::as_u64)
            .unwrap_or(102_400);
        xml.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><LastModified>2012-02-23T07:01:34.000Z</LastModified>\
             <ETag>&quot;{}&quot;</ETag><HashCrc64ecma>8763152386744783419</HashCrc64ecma>\
             <Size>{size}</Size></Part>",
            index + 1,
            md5.as_str().unwrap_or_default()
        ));
    }
    xml.push_str("</ListPartsResult>");
    xml
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}
