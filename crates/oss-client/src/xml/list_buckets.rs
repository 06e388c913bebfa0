//! `ListAllMyBucketsResult` of ListBuckets (`GET /` on the service, no bucket).

use serde::Deserialize;

use super::from_xml;
use crate::error::Result;

const OP: &str = "ListBuckets";

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(rename = "IsTruncated", default)]
    is_truncated: bool,
    #[serde(rename = "NextMarker", default)]
    next_marker: String,
    #[serde(rename = "Buckets", default)]
    buckets: RawBuckets,
}

#[derive(Debug, Default, Deserialize)]
struct RawBuckets {
    #[serde(rename = "Bucket", default)]
    bucket: Vec<RawBucket>,
}

#[derive(Debug, Deserialize)]
struct RawBucket {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "CreationDate", default)]
    creation_date: String,
    #[serde(rename = "Region", default)]
    region: String,
    #[serde(rename = "Location", default)]
    location: String,
    #[serde(rename = "StorageClass", default)]
    storage_class: String,
    #[serde(rename = "ExtranetEndpoint", default)]
    extranet_endpoint: String,
    #[serde(rename = "IntranetEndpoint", default)]
    intranet_endpoint: String,
}

/// One bucket of a ListBuckets page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BucketSummary {
    /// Bucket name.
    pub name: String,
    /// ISO 8601 creation time.
    pub creation_date: String,
    /// Region id, e.g. `cn-hangzhou`.
    pub region: String,
    /// Location, e.g. `oss-cn-hangzhou`.
    pub location: String,
    /// Default storage class.
    pub storage_class: String,
    /// Public endpoint of the bucket's region.
    pub extranet_endpoint: String,
    /// Internal (same-region) endpoint.
    pub intranet_endpoint: String,
}

/// A page of ListBuckets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListBucketsResult {
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// `marker` of the next page (the last name of this one).
    pub next_marker: String,
    /// The buckets, by name.
    pub buckets: Vec<BucketSummary>,
}

/// Parses the body.
pub(crate) fn parse(body: &[u8]) -> Result<ListBucketsResult> {
    let raw: Raw = from_xml(OP, body)?;
    let buckets = raw
        .buckets
        .bucket
        .into_iter()
        .map(|b| BucketSummary {
            name: b.name,
            creation_date: b.creation_date,
            region: b.region,
            location: b.location,
            storage_class: b.storage_class,
            extranet_endpoint: b.extranet_endpoint,
            intranet_endpoint: b.intranet_endpoint,
        })
        .collect();
    Ok(ListBucketsResult {
        is_truncated: raw.is_truncated,
        next_marker: raw.next_marker,
        buckets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_page_an_empty_list_and_refuses_garbage() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult><Prefix></Prefix><Marker></Marker><MaxKeys>2</MaxKeys>
<IsTruncated>true</IsTruncated><NextMarker>beta</NextMarker>
<Owner><ID>512</ID><DisplayName>512</DisplayName></Owner>
<Buckets>
<Bucket><CreationDate>2026-01-01T00:00:00.000Z</CreationDate>
<ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>
<IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>
<Location>oss-cn-hangzhou</Location><Name>alpha</Name><Region>cn-hangzhou</Region>
<StorageClass>Standard</StorageClass></Bucket>
<Bucket><Name>beta</Name></Bucket>
</Buckets></ListAllMyBucketsResult>"#;
        let page = parse(body).unwrap();
        assert!(page.is_truncated);
        assert_eq!(page.next_marker, "beta");
        let names: Vec<&str> = page.buckets.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["alpha", "beta"]);
        assert_eq!(page.buckets[0].region, "cn-hangzhou");
        assert_eq!(page.buckets[0].location, "oss-cn-hangzhou");
        assert_eq!(page.buckets[0].creation_date, "2026-01-01T00:00:00.000Z");
        assert_eq!(page.buckets[1].storage_class, "");
        let empty = parse(b"<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>").unwrap();
        assert!(empty.buckets.is_empty() && !empty.is_truncated);
        let none = parse(b"<ListAllMyBucketsResult></ListAllMyBucketsResult>").unwrap();
        assert!(none.buckets.is_empty());
        assert!(parse(b"<nope").is_err());
        assert!(parse(b"<ListAllMyBucketsResult><Buckets><Bucket/></Buckets>").is_err());
    }
}
