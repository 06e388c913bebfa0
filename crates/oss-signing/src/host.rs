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

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

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
}
