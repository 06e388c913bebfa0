//! Network behaviour: the connect and read-idle timeouts (`--connect-timeout`,
//! `--read-timeout`) given to the OSS and KMS clients, and network errors that name the
//! host, the operation and the cause (refused, timed out, TLS, DNS).

use core::time::Duration;

/// Default time to establish a TCP (and TLS) connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a response may stay silent (between bytes, or before its headers). Both
/// defaults are those of the alibabacloud-oss-v2 SDK, and the `--connect-timeout` /
/// `--read-timeout` defaults in `cli.rs`.
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// The timeouts of every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    /// Connect timeout.
    pub(crate) connect: Duration,
    /// Read-idle timeout.
    pub(crate) read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: DEFAULT_CONNECT_TIMEOUT,
            read: DEFAULT_READ_TIMEOUT,
        }
    }
}

/// Parses `30s`, `1.5s`, `500ms`, `2m` or a bare number of seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 30s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        other => return Err(format!("unknown unit {other:?} in {text:?} (ms, s, m)")),
    };
    if !(seconds > 0.0 && seconds.is_finite()) {
        return Err(format!("{text:?}: a timeout must be positive"));
    }
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

/// The host (and port) of an endpoint URL, for messages.
pub(crate) fn host_of(endpoint: &str) -> &str {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// Why a request got no answer: the class of the first cause that tells (refused, timed out,
/// DNS, TLS), then the innermost message.
pub(crate) fn describe_cause(error: &(dyn core::error::Error + 'static)) -> String {
    let mut class = None;
    let outermost = error.to_string();
    let mut innermost = outermost.clone();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        class = class.or_else(|| classify(e, &text));
        innermost = text;
        next = e.source();
    }
    match class {
        Some(class) if !innermost.to_ascii_lowercase().contains(class) => {
            format!("{class} ({innermost})")
        }
        Some(class) => class.to_owned(),
        // oss-client says how far a body got before it broke: keep that over hyper's text.
        None if outermost.starts_with("connection closed after") && outermost != innermost => {
            format!("{outermost} ({innermost})")
        }
        None => format!("connection failed ({innermost})"),
    }
}

fn classify(error: &(dyn core::error::Error + 'static), text: &str) -> Option<&'static str> {
    if let Some(e) = error.downcast_ref::<reqwest::Error>()
        && e.is_timeout()
    {
        return Some("timed out");
    }
    if let Some(e) = error.downcast_ref::<std::io::Error>() {
        if wraps_rustls(e) {
            return Some("TLS failed");
        }
        match e.kind() {
            std::io::ErrorKind::ConnectionRefused => return Some("connection refused"),
            std::io::ErrorKind::TimedOut => return Some("timed out"),
            _ => {}
        }
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        Some("DNS lookup failed")
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        Some("TLS failed")
    } else if lower.contains("timed out") {
        Some("timed out")
    } else if lower.contains("connection refused") {
        Some("connection refused")
    } else {
        None
    }
}

/// Whether `e` wraps (through nested `io::Error`s, whose `source` skips the wrapped error
/// itself) a rustls error.
fn wraps_rustls(e: &std::io::Error) -> bool {
    let mut inner = e.get_ref();
    while let Some(error) = inner {
        if error.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        inner = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3h").is_err());
    }

    #[test]
    fn the_flag_defaults_are_the_constants() {
        use clap::Parser as _;
        let cli = crate::cli::Cli::try_parse_from(["osscrypt", "ls", "oss://bucket"]).unwrap();
        assert_eq!(cli.global.timeouts(), Timeouts::default());
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("http://127.0.0.1:9000"), "127.0.0.1:9000");
        assert_eq!(
            host_of("https://oss-cn-hangzhou.aliyuncs.com/"),
            "oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(host_of("example.com"), "example.com");
    }

    #[derive(Debug)]
    struct Wrapped(std::io::Error);
    impl core::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("error sending request")
        }
    }
    impl core::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn causes_are_classified_through_the_chain() {
        let refused = Wrapped(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(describe_cause(&refused).starts_with("connection refused"));
        let dns = Wrapped(std::io::Error::other(
            "dns error: failed to lookup address information",
        ));
        assert!(describe_cause(&dns).starts_with("DNS lookup failed"));
        let tls = Wrapped(std::io::Error::other(
            "invalid peer certificate: UnknownIssuer",
        ));
        assert!(describe_cause(&tls).starts_with("TLS failed"));
        let other = Wrapped(std::io::Error::other("reset"));
        assert_eq!(describe_cause(&other), "connection failed (reset)");
    }

    #[derive(Debug)]
    struct Cut(std::io::Error);
    impl core::fmt::Display for Cut {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("connection closed after 10 of 20 bytes")
        }
    }
    impl core::error::Error for Cut {
        fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cut_body_says_how_far_it_got() {
        let cut = Cut(std::io::Error::other("unexpected end of file"));
        assert_eq!(
            describe_cause(&cut),
            "connection closed after 10 of 20 bytes (unexpected end of file)"
        );
    }
}
