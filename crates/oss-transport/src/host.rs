//! Host classification shared by the OSS and KMS clients.

/// Whether `host` (as in a URL, IPv6 literals in brackets or not) names this machine: a
/// loopback address, `localhost` or a `*.localhost` name. The clients send such requests
/// straight to the socket, never through a proxy from `HTTP_PROXY` & co., which could not
/// reach this machine's loopback.
#[must_use]
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<core::net::IpAddr>().map_or_else(
        |_| bare == "localhost" || bare.ends_with(".localhost"),
        |ip| ip.is_loopback(),
    )
}

/// Whether the host of `url` names this machine (see [`is_loopback_host`]); `false` for text
/// that is not a URL.
#[must_use]
pub fn is_loopback_url(url: &str) -> bool {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(is_loopback_host))
        .unwrap_or(false)
}

/// The host and port of an endpoint URL (`https://oss-cn-hangzhou.aliyuncs.com/` gives
/// `oss-cn-hangzhou.aliyuncs.com`), for messages; text without a scheme is taken as a host.
#[must_use]
pub fn host_of(endpoint: &str) -> &str {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::{host_of, is_loopback_host, is_loopback_url};

    #[test]
    fn hosts() {
        assert_eq!(host_of("http://127.0.0.1:9000"), "127.0.0.1:9000");
        assert_eq!(
            host_of("https://oss-cn-hangzhou.aliyuncs.com/"),
            "oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(host_of("example.com"), "example.com");
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
            "localhost",
            "a.localhost",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "10.0.0.1",
            "kms.cn-hangzhou.aliyuncs.com",
            "localhost.evil.com",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn loopback_urls_are_recognised() {
        assert!(is_loopback_url("http://[::1]:1/") && is_loopback_url("http://localhost:2"));
        assert!(is_loopback_url("http://127.0.0.1:9000/bucket"));
        assert!(!is_loopback_url("https://kms.cn-hangzhou.aliyuncs.com"));
        assert!(!is_loopback_url("not a url"));
    }
}
