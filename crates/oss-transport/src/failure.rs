//! Which transport failures a retry may cure, and how to describe them.

/// Whether sending the request again may succeed after `error`: connection failures, timeouts
/// and bodies cut mid-way may; a request that could not be built or a redirect (the clients
/// follow none) will fail the same way again. Without content-decoding features, reqwest's
/// "decode" errors are cut bodies, hence retryable.
#[must_use]
pub fn is_retryable(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect())
}

/// Why a request got no answer, for messages: the class of the first error in `error`'s
/// source chain that tells (connection refused, timed out, DNS lookup failed, TLS failed),
/// then the innermost message (`timed out (operation timed out)`); `connection failed
/// (...)` when none tells. The clients' final errors and the retry warnings both use it.
#[must_use]
pub fn describe_cause(error: &(dyn core::error::Error + 'static)) -> String {
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

/// [`describe_cause`] of the failure inside `error` when a [`reqwest::Error`] is in its
/// source chain (a request that got no answer), `None` for other errors (a service's error
/// response).
#[must_use]
pub fn transport_cause(error: &(dyn core::error::Error + 'static)) -> Option<String> {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.is::<reqwest::Error>() {
            // The clients wrap the transport failure once (`transport error during OP`):
            // describe what they wrap, as their final errors do.
            return Some(describe_cause(error.source().unwrap_or(error)));
        }
        next = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refused_connections_are_retryable_bad_requests_are_not() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let refused = http
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(refused.is_connect() && is_retryable(&refused), "{refused}");
        let unbuildable = http.get("not a url").send().await.unwrap_err();
        assert!(unbuildable.is_builder() && !is_retryable(&unbuildable));
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
