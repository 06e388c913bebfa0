//! [`RetryConfig`]: how many attempts, how long between them, and the one retry loop.

use core::future::Future;

use crate::backoff::BackoffConfig;

/// When and how often a failed request is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Total attempts including the first (1 disables retries). Default 3, like the V2 SDKs.
    pub max_attempts: u32,
    /// Delay between attempts.
    pub backoff: BackoffConfig,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff: BackoffConfig::default(),
        }
    }
}

impl RetryConfig {
    /// No retries at all: one attempt.
    #[must_use]
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the total number of attempts (values below 1 count as 1).
    #[must_use]
    pub const fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the backoff: the first delay's ceiling and the largest ceiling.
    #[must_use]
    pub const fn with_backoff(
        mut self,
        base: core::time::Duration,
        max: core::time::Duration,
    ) -> Self {
        self.backoff = BackoffConfig { base, max };
        self
    }

    /// Whether attempt number `attempt` (0-based) may be followed by another one.
    #[must_use]
    pub const fn allows_another(&self, attempt: u32) -> bool {
        attempt.saturating_add(1) < self.max_attempts
    }

    /// Sleeps before retry number `retry` (0-based), a delay drawn from the thread RNG.
    pub async fn wait(&self, retry: u32) {
        tokio::time::sleep(self.backoff.delay(retry)).await;
    }

    /// Runs `attempt` (given its 0-based number) until it succeeds, fails with an error
    /// `retryable` rejects, or the attempts are used up; waits with backoff in between.
    /// Each retry is announced by a warning naming `host`, `operation` and the cause: the
    /// [`transport_cause`](crate::transport_cause) of a request that got no answer (timed
    /// out, connection refused, DNS lookup failed, TLS failed), as the clients' final errors
    /// give it, else the error itself (a 503 answer).
    ///
    /// # Errors
    ///
    /// The last attempt's error.
    pub async fn run<T, E, F, Fut>(
        &self,
        host: &str,
        operation: &str,
        retryable: impl Fn(&E) -> bool,
        mut attempt: F,
    ) -> Result<T, E>
    where
        E: core::error::Error + 'static,
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut number = 0;
        loop {
            match attempt(number).await {
                Err(error) if self.allows_another(number) && retryable(&error) => {
                    let cause = crate::transport_cause(&error).unwrap_or_else(|| error.to_string());
                    // Visible at the default level: a retry is worth knowing about.
                    tracing::warn!(host, operation, attempt = number + 1, %cause, "request failed, retrying");
                    self.wait(number).await;
                    number += 1;
                }
                outcome => return outcome,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use core::time::Duration;
    use std::io;

    use super::*;

    fn fast(max_attempts: u32) -> RetryConfig {
        RetryConfig::default()
            .with_max_attempts(max_attempts)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(2))
    }

    #[test]
    fn attempts_count_the_first_one() {
        let cfg = RetryConfig::default();
        assert!(cfg.allows_another(0) && cfg.allows_another(1) && !cfg.allows_another(2));
        assert!(!RetryConfig::disabled().allows_another(0));
        assert!(!fast(0).allows_another(0));
        assert!(!fast(u32::MAX).allows_another(u32::MAX));
    }

    #[tokio::test]
    async fn run_stops_at_success_at_a_fatal_error_or_after_the_budget() {
        let mut calls = Vec::new();
        let out: Result<u32, io::Error> = fast(5)
            .run(
                "h",
                "t",
                |_| true,
                |n| {
                    calls.push(n);
                    async move {
                        if n < 2 {
                            Err(io::Error::other(format!("fail {n}")))
                        } else {
                            Ok(n)
                        }
                    }
                },
            )
            .await;
        assert_eq!((out.unwrap(), calls), (2, vec![0, 1, 2]));

        let mut count = 0;
        let out: Result<(), io::Error> = fast(4)
            .run(
                "h",
                "t",
                |e: &io::Error| e.to_string() != "fatal",
                |_| {
                    count += 1;
                    async { Err(io::Error::other("fatal")) }
                },
            )
            .await;
        assert_eq!(
            (out.unwrap_err().to_string(), count),
            ("fatal".to_owned(), 1)
        );

        let mut count = 0;
        let out: Result<(), io::Error> = fast(4)
            .run(
                "h",
                "t",
                |_| true,
                |n| {
                    count += 1;
                    async move { Err(io::Error::other(format!("fail {n}"))) }
                },
            )
            .await;
        assert_eq!(
            (out.unwrap_err().to_string(), count),
            ("fail 3".to_owned(), 4)
        );
    }
}
