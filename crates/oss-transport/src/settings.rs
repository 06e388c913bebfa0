//! [`HttpSettings`]: timeouts and the construction of the shared [`reqwest::Client`].

use core::time::Duration;

/// Timeouts of an HTTP client, and how it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpSettings {
    /// Longest wait for a TCP (and TLS) connection. Default 10 s.
    pub connect_timeout: Duration,
    /// Longest wait for any single read once connected: a server that accepts and then stays
    /// silent, or stalls mid-body, fails after this (and may be retried). Default 20 s.
    pub read_timeout: Duration,
    /// Limit on a whole attempt including its body; none by default (object bodies are large).
    pub request_timeout: Option<Duration>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
            request_timeout: None,
        }
    }
}

impl HttpSettings {
    /// The default connect timeout, 10 s: the alibabacloud-oss-v2 SDKs' `ConnectTimeout`.
    /// The one home of this default (`osscrypt --connect-timeout` shows it).
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default read-idle timeout, 20 s: the alibabacloud-oss-v2 SDKs' `ReadWriteTimeout`.
    /// With the 3 attempts of [`RetryConfig`](crate::RetryConfig), a server that accepts and
    /// never answers fails an idempotent request after about 60 s. The one home of this
    /// default (`osscrypt --read-timeout` shows it).
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(20);

    /// Sets the connect timeout.
    #[must_use]
    pub const fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the read-idle timeout.
    #[must_use]
    pub const fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets (or with `None` removes) the limit on a whole attempt.
    #[must_use]
    pub const fn with_request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// A client for requests to `base_url`, sending `user_agent`. It follows no redirects (a
    /// signed request must not go elsewhere) and, when `base_url` names this machine, ignores
    /// `HTTP_PROXY` & co.: a proxy cannot reach this machine's loopback.
    ///
    /// # Errors
    ///
    /// reqwest's error when the TLS stack cannot be initialised.
    pub fn build_client(
        &self,
        base_url: &str,
        user_agent: &str,
    ) -> reqwest::Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(50))
            .tcp_nodelay(true);
        if let Some(timeout) = self.request_timeout {
            builder = builder.timeout(timeout);
        }
        if crate::is_loopback_url(base_url) {
            builder = builder.no_proxy();
        }
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use tokio::net::TcpListener;

    use super::*;

    /// A listener that accepts and never answers: the read timeout ends the wait.
    #[tokio::test]
    async fn a_silent_server_fails_after_the_read_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let accept = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(socket);
        });
        let settings = HttpSettings::default().with_read_timeout(Duration::from_millis(300));
        let http = settings.build_client(&url, "test").unwrap();
        let started = Instant::now();
        let error = http.get(&url).send().await.unwrap_err();
        let waited = started.elapsed();
        assert!(error.is_timeout(), "{error}");
        assert!(crate::is_retryable(&error));
        assert!(
            waited >= Duration::from_millis(300) && waited < Duration::from_secs(5),
            "{waited:?}"
        );
        accept.abort();
    }

    #[tokio::test]
    async fn redirects_are_not_followed() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = socket.read(&mut request).await.unwrap();
            socket
                .write_all(b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://elsewhere.invalid/\r\nContent-Length: 0\r\n\r\n")
                .await
                .unwrap();
        });
        let http = HttpSettings::default().build_client(&url, "test").unwrap();
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 307);
    }
}
