//! Endpoint parsing and URL building: virtual-hosted or path style (oss-api.md §2).

use reqwest::Url;

use crate::error::{Error, Result};

/// How the bucket is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Addressing {
    /// Virtual-hosted (`bucket.host`), except path style for IP-literal and `localhost`
    /// endpoints (where `bucket.host` names nothing a resolver knows).
    #[default]
    Auto,
    /// Always `bucket.host`.
    VirtualHosted,
    /// Always `host/bucket/key`.
    PathStyle,
}

/// A parsed endpoint bound to a bucket, or to none for service-level requests (ListBuckets).
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// `scheme://authority` of the requests (bucket host for virtual-hosted style).
    base: String,
    path_style: bool,
    bucket: Option<String>,
}

/// Whether the URL's host is an IPv4 or IPv6 literal.
fn is_ip(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<core::net::IpAddr>().is_ok()
}

impl Endpoint {
    /// Parses `host`, `host:port` or `scheme://host[:port]` (`https` when no scheme is given);
    /// `bucket` is `None` for the service itself (requests to `scheme://host/`).
    pub(crate) fn parse(
        endpoint: &str,
        bucket: Option<&str>,
        addressing: Addressing,
    ) -> Result<Self> {
        let bad = |why: &str| Error::InvalidArgument(format!("endpoint {endpoint:?}: {why}"));
        let text = if endpoint.contains("://") {
            endpoint.to_owned()
        } else {
            format!("https://{endpoint}")
        };
        let url = Url::parse(&text).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("scheme must be http or https"));
        }
        if url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
            return Err(bad("must not have a path, query or user"));
        }
        let host = url.host_str().ok_or_else(|| bad("no host"))?;
        if let Some(bucket) = bucket {
            validate_bucket(bucket)?;
        }
        let path_style = match addressing {
            Addressing::PathStyle => true,
            Addressing::VirtualHosted => false,
            Addressing::Auto => is_ip(host) || host.eq_ignore_ascii_case("localhost"),
        };
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        let authority = match bucket {
            Some(bucket) if !path_style => format!("{bucket}.{host}{port}"),
            _ => format!("{host}{port}"),
        };
        Ok(Self {
            base: format!("{}://{authority}", url.scheme()),
            path_style,
            bucket: bucket.map(str::to_owned),
        })
    }

    /// `scheme://authority` the requests go to.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// The bucket (`None` for the service).
    pub(crate) fn bucket(&self) -> Option<&str> {
        self.bucket.as_deref()
    }

    /// Full URL for a bucket-level (`key = None`) or object request, with an encoded query;
    /// for the service, `scheme://host/` and the query.
    pub(crate) fn url(&self, key: Option<&str>, query: &[(String, String)]) -> String {
        let mut url = self.base.clone();
        if let Some(bucket) = self.bucket.as_deref().filter(|_| self.path_style) {
            url.push('/');
            url.push_str(bucket);
        }
        url.push('/');
        if let Some(key) = key {
            url.push_str(&encode_key(key));
        }
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&oss_signing::percent_encode(name));
            if !value.is_empty() {
                url.push('=');
                url.push_str(&oss_signing::percent_encode(value));
            }
        }
        url
    }
}

/// Encodes a key for the path, keeping `/` (V2 SDK style) unless a segment is `.` or `..`,
/// which URL normalisation would remove; then every `/` is encoded too.
fn encode_key(key: &str) -> String {
    if key.split('/').any(|s| s == "." || s == "..") {
        oss_signing::percent_encode(key)
    } else {
        oss_signing::percent_encode_path(key)
    }
}

/// Bucket names: 3–63 of `a-z 0-9 -`, starting and ending with a letter or digit.
pub(crate) fn validate_bucket(bucket: &str) -> Result<()> {
    let b = bucket.as_bytes();
    let ok_char = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
    let edge = |c: Option<&u8>| c.is_some_and(|c| *c != b'-');
    if (3..=63).contains(&b.len()) && b.iter().all(ok_char) && edge(b.first()) && edge(b.last()) {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!(
            "invalid bucket name {bucket:?}"
        )))
    }
}

/// Object keys: 1–1023 bytes, not starting with `/` or `\`.
pub(crate) fn validate_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 1023 || key.starts_with('/') || key.starts_with('\\') {
        return Err(Error::InvalidArgument(format!(
            "invalid object key of {} bytes",
            key.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn addressing_styles() {
        let v = Endpoint::parse(
            "oss-cn-hangzhou.aliyuncs.com",
            Some("bucket"),
            Addressing::Auto,
        )
        .unwrap();
        assert_eq!(
            v.url(Some("key+123"), &[]),
            "https://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123"
        );
        let ip =
            Endpoint::parse("http://127.0.0.1:9000", Some("bucket"), Addressing::Auto).unwrap();
        assert_eq!(
            ip.url(Some("a b/c"), &q(&[("uploads", "")])),
            "http://127.0.0.1:9000/bucket/a%20b/c?uploads"
        );
        assert_eq!(
            ip.url(None, &q(&[("list-type", "2"), ("prefix", "a/b")])),
            "http://127.0.0.1:9000/bucket/?list-type=2&prefix=a%2Fb"
        );
        let p =
            Endpoint::parse("http://localhost:1", Some("bucket"), Addressing::PathStyle).unwrap();
        assert_eq!(p.url(Some("../x"), &[]), "http://localhost:1/bucket/..%2Fx");
        let local =
            Endpoint::parse("http://localhost:9", Some("bucket"), Addressing::Auto).unwrap();
        assert_eq!(local.url(None, &[]), "http://localhost:9/bucket/");
        let forced =
            Endpoint::parse("http://oss.test:9", Some("bucket"), Addressing::PathStyle).unwrap();
        assert_eq!(forced.url(Some("k"), &[]), "http://oss.test:9/bucket/k");
        let v6 = Endpoint::parse("http://[::1]:8080", Some("bucket"), Addressing::Auto).unwrap();
        assert_eq!(v6.url(None, &[]), "http://[::1]:8080/bucket/");
        // The service: no bucket in the host or the path, whatever the addressing.
        for (e, addressing) in [
            ("oss-cn-hangzhou.aliyuncs.com", Addressing::Auto),
            ("oss-cn-hangzhou.aliyuncs.com", Addressing::PathStyle),
        ] {
            let service = Endpoint::parse(e, None, addressing).unwrap();
            assert_eq!(
                service.url(None, &q(&[("marker", "b c")])),
                "https://oss-cn-hangzhou.aliyuncs.com/?marker=b%20c"
            );
        }
        let local = Endpoint::parse("http://127.0.0.1:9000", None, Addressing::Auto).unwrap();
        assert_eq!(local.url(None, &[]), "http://127.0.0.1:9000/");
    }

    #[test]
    fn loopback_endpoints_are_recognised() {
        let local = |e: &str| {
            let endpoint = Endpoint::parse(e, Some("bucket"), Addressing::Auto).unwrap();
            oss_transport::is_loopback_url(endpoint.base())
        };
        for e in [
            "http://127.0.0.1:9000",
            "http://127.1.2.3",
            "http://[::1]:1",
            "localhost:1",
        ] {
            assert!(local(e), "{e}");
        }
        for e in [
            "http://10.0.0.1",
            "oss-cn-hangzhou.aliyuncs.com",
            "http://localhost.evil.com",
        ] {
            assert!(!local(e), "{e}");
        }
    }

    #[test]
    fn rejects_bad_input() {
        assert!(Endpoint::parse("ftp://x", Some("bucket"), Addressing::Auto).is_err());
        assert!(Endpoint::parse("http://x/path", Some("bucket"), Addressing::Auto).is_err());
        assert!(Endpoint::parse("x.com", Some("Bucket"), Addressing::Auto).is_err());
        for bad in ["ab", "-abc", "abc-", "a_bc", &"a".repeat(64)] {
            assert!(validate_bucket(bad).is_err(), "{bad}");
        }
        assert!(
            validate_key("").is_err()
                && validate_key("/a").is_err()
                && validate_key(&"k".repeat(1024)).is_err()
        );
        assert!(validate_key("a/b c").is_ok());
    }
}
