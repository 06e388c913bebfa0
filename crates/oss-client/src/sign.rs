//! Glue between a request being built and `oss-signing`: signs headers in place, or
//! produces presigned query parameters.

use http::{HeaderMap, HeaderName, HeaderValue};
use oss_signing::{Credentials, Request, Validity, oss_v1, oss_v4};

use crate::error::{Error, Result};

/// Which OSS signature to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// `OSS4-HMAC-SHA256` (default).
    #[default]
    V4,
    /// The legacy HMAC-SHA1 `OSS` scheme.
    V1,
}

/// Everything about signing that does not change between requests.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    pub(crate) version: SignatureVersion,
    pub(crate) region: String,
    pub(crate) product: String,
    /// `None` for service-level requests (ListBuckets).
    pub(crate) bucket: Option<String>,
}

/// Headers as text pairs (names lower-case); non-UTF-8 values are signed lossily, which only
/// makes the server refuse the request, never sign something else.
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str, sensitive: bool) -> Result<()> {
    let name = HeaderName::try_from(name).map_err(|e| Error::InvalidArgument(e.to_string()))?;
    let mut value = HeaderValue::try_from(value)
        .map_err(|_| Error::InvalidArgument(format!("header {name} has an invalid value")))?;
    value.set_sensitive(sensitive);
    headers.insert(name, value);
    Ok(())
}

impl Signer {
    /// Adds the signer's headers and `Authorization` to `headers`.
    pub(crate) fn sign(
        &self,
        creds: &Credentials,
        method: &str,
        key: Option<&str>,
        query: &[(String, String)],
        headers: &mut HeaderMap,
        now: u64,
    ) -> Result<()> {
        let pairs = header_pairs(headers);
        let request = self.request(method, key, query, &pairs);
        let (added, authorization) = match self.version {
            SignatureVersion::V4 => {
                let s = oss_v4::sign_headers(&request, creds, now, &self.region, &self.product);
                (s.added_headers, s.authorization)
            }
            SignatureVersion::V1 => {
                let s = oss_v1::sign_headers(&request, creds, now);
                (s.added_headers, s.authorization)
            }
        };
        for (name, value) in &added {
            insert(
                headers,
                name,
                value,
                name.eq_ignore_ascii_case("x-oss-security-token"),
            )?;
        }
        insert(headers, "authorization", &authorization, true)
    }

    /// Query parameters that presign a request for `validity` (values raw; the URL builder
    /// encodes them).
    pub(crate) fn presign(
        &self,
        creds: &Credentials,
        method: &str,
        key: &str,
        query: &[(String, String)],
        headers: &HeaderMap,
        validity: Validity,
    ) -> Vec<(String, String)> {
        let pairs = header_pairs(headers);
        let request = self.request(method, Some(key), query, &pairs);
        match self.version {
            SignatureVersion::V4 => {
                oss_v4::presign(&request, creds, validity, &self.region, &self.product).added_query
            }
            SignatureVersion::V1 => oss_v1::presign(&request, creds, validity).added_query,
        }
    }

    /// The request both signature versions sign, on this signer's bucket.
    fn request<'a>(
        &'a self,
        method: &'a str,
        key: Option<&'a str>,
        query: &'a [(String, String)],
        headers: &'a [(String, String)],
    ) -> Request<'a> {
        Request::new(method)
            .bucket(self.bucket.as_deref())
            .key(key)
            .query(query)
            .headers(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_in_place_and_marks_secrets_sensitive() {
        let creds = Credentials::new("ak", "sk").with_security_token("tkn-9f8e7d");
        let signer = Signer {
            version: SignatureVersion::V4,
            region: "cn-hangzhou".into(),
            product: "oss".into(),
            bucket: Some("bucket".into()),
        };
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("text/plain"));
        signer
            .sign(&creds, "PUT", Some("k"), &[], &mut headers, 1_702_743_657)
            .unwrap();
        assert_eq!(headers["x-oss-date"], "20231216T162057Z");
        assert_eq!(headers["date"], "Sat, 16 Dec 2023 16:20:57 GMT");
        assert_eq!(headers["x-oss-content-sha256"], "UNSIGNED-PAYLOAD");
        assert!(
            headers["authorization"].is_sensitive()
                && headers["x-oss-security-token"].is_sensitive()
        );
        assert!(!format!("{headers:?}").contains("tkn-9f8e7d"));
        let v1 = Signer {
            version: SignatureVersion::V1,
            ..signer
        };
        let mut headers = HeaderMap::new();
        v1.sign(&creds, "GET", Some("k"), &[], &mut headers, 0)
            .unwrap();
        assert!(
            headers["authorization"]
                .to_str()
                .unwrap()
                .starts_with("OSS ak:")
        );
    }
}
