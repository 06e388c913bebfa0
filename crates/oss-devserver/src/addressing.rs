//! Which bucket and key a request addresses (virtual-hosted or path style), and its query.
//!
//! The path is percent-decoded exactly once and `+` stays a literal plus (spec `oss-api.md` §2).
//! Query names and values are percent-decoded the same way.

use percent_encoding::percent_decode_str;

use crate::oss_error::OssError;

/// The decoded target of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Target {
    pub(crate) bucket: Option<String>,
    pub(crate) key: Option<String>,
}

fn decode(s: &str) -> Option<String> {
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// Resolves the bucket and key from the `Host` header and the raw (still encoded) path.
pub(crate) fn resolve(host: &str, raw_path: &str, bases: &[String]) -> Result<Target, OssError> {
    let path = decode(raw_path).ok_or_else(|| {
        OssError::new(
            http::StatusCode::BAD_REQUEST,
            "InvalidObjectName",
            "The object name is not valid UTF-8.",
        )
    })?;
    let path = path.strip_prefix('/').unwrap_or(&path);
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    if let Some(bucket) = virtual_host_bucket(host, bases) {
        return Ok(Target {
            bucket: Some(bucket),
            key: non_empty(path),
        });
    }
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    Ok(Target {
        bucket: non_empty(bucket),
        key: non_empty(key),
    })
}

/// `bucket` when `host` (port stripped) is `<bucket>.<base>` for one of `bases`.
fn virtual_host_bucket(host: &str, bases: &[String]) -> Option<String> {
    let host = strip_port(host).to_ascii_lowercase();
    bases.iter().find_map(|base| {
        let bucket = host.strip_suffix(base.as_str())?.strip_suffix('.')?;
        (!bucket.is_empty() && !bucket.contains('.')).then(|| bucket.to_owned())
    })
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split_once(']')
            .map_or(host, |(h, _)| h.trim_start_matches('['));
    }
    host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    })
}

/// Decoded query parameters in request order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Parses a raw query string; a name without `=` has an empty value.
    pub(crate) fn parse(raw: Option<&str>) -> Result<Self, OssError> {
        let mut pairs = Vec::new();
        for item in raw.unwrap_or("").split('&').filter(|i| !i.is_empty()) {
            let (name, value) = item.split_once('=').unwrap_or((item, ""));
            match (decode(name), decode(value)) {
                (Some(n), Some(v)) => pairs.push((n, v)),
                _ => {
                    return Err(OssError::invalid_argument(
                        "The query string is not valid UTF-8 after percent-decoding.",
                        name,
                        value,
                    ));
                }
            }
        }
        Ok(Self { pairs })
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases() -> Vec<String> {
        vec!["localhost".into(), "oss-cn-hangzhou.aliyuncs.com".into()]
    }

    fn t(bucket: Option<&str>, key: Option<&str>) -> Target {
        Target {
            bucket: bucket.map(Into::into),
            key: key.map(Into::into),
        }
    }

    #[test]
    fn path_style() {
        let b = bases();
        assert_eq!(resolve("127.0.0.1:9000", "/", &b).unwrap(), t(None, None));
        assert_eq!(
            resolve("127.0.0.1:9000", "/bkt/", &b).unwrap(),
            t(Some("bkt"), None)
        );
        assert_eq!(
            resolve("127.0.0.1", "/bkt", &b).unwrap(),
            t(Some("bkt"), None)
        );
        // oss2 encodes '/' inside keys as %2F; '+' stays a plus; decoded exactly once.
        let r = resolve("127.0.0.1:1", "/bkt/dir%2Fa%20b+c%2525.txt", &b).unwrap();
        assert_eq!(r, t(Some("bkt"), Some("dir/a b+c%25.txt")));
        assert_eq!(
            resolve("localhost:1", "/bkt/k", &b).unwrap(),
            t(Some("bkt"), Some("k"))
        );
    }

    #[test]
    fn virtual_hosted() {
        let b = bases();
        let r = resolve("bkt.localhost:8080", "/a/b.txt", &b).unwrap();
        assert_eq!(r, t(Some("bkt"), Some("a/b.txt")));
        let r = resolve("Bkt.oss-cn-hangzhou.aliyuncs.com", "/", &b).unwrap();
        assert_eq!(r, t(Some("bkt"), None));
    }

    #[test]
    fn query_decoding() {
        let q = Query::parse(Some("uploads&prefix=a%2Fb+c&max-keys=5&x=")).unwrap();
        assert!(q.has("uploads"));
        assert_eq!(q.get("uploads"), Some(""));
        assert_eq!(q.get("prefix"), Some("a/b+c"));
        assert_eq!(q.get("max-keys"), Some("5"));
        assert!(Query::parse(Some("a=%FF")).is_err());
    }
}
