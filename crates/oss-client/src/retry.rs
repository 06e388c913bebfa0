//! Retry policy: how many attempts, and how long to wait between them.

use core::time::Duration;

use crate::backoff::BackoffConfig;
use crate::error::Error;

/// When and how often to retry idempotent requests.
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
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether attempt number `attempt` (0-based) that failed with `error` may be followed by
    /// another one.
    pub fn should_retry(&self, attempt: u32, error: &Error) -> bool {
        attempt + 1 < self.max_attempts && error.is_retryable()
    }

    /// Sleeps before retry number `retry` (0-based).
    pub async fn wait(&self, retry: u32) {
        let delay: Duration = self.backoff.delay(retry);
        tracing::debug!(retry, ?delay, "retrying oss request");
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_bounded() {
        let cfg = RetryConfig::default();
        let retryable = Error::CrcMismatch {
            operation: "x",
            server: 1,
            client: 2,
        };
        let fatal = Error::InvalidArgument("x".into());
        assert!(cfg.should_retry(0, &retryable));
        assert!(cfg.should_retry(1, &retryable));
        assert!(!cfg.should_retry(2, &retryable));
        assert!(!cfg.should_retry(0, &fatal));
        assert!(!RetryConfig::disabled().should_retry(0, &retryable));
    }
}
