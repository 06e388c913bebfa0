//! Retry policy of the KMS client: jittered exponential backoff (kms-api §2.2).
//!
//! Retried: transport errors and timeouts, HTTP 5xx, and the throttling and availability
//! codes ([`KmsError::is_retryable`](super::KmsError::is_retryable)). Every attempt is signed
//! afresh (new nonce and timestamp) by the caller.

use core::time::Duration;

use rand::RngExt as _;

/// How often and how patiently a KMS call is repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Upper bound of the first backoff.
    pub initial_backoff: Duration,
    /// Upper bound of any backoff.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryConfig {
    /// No retries.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Sets the number of retries.
    #[must_use]
    pub const fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the first and the largest backoff.
    #[must_use]
    pub const fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The backoff ceiling before retry number `retry` (0-based): `initial · 2^retry`, capped.
    #[must_use]
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// A "full jitter" delay before retry number `retry`: uniform in `[ceiling/2, ceiling]`,
    /// so concurrent clients spread out but never hammer the service immediately.
    #[must_use]
    pub fn delay(&self, retry: u32) -> Duration {
        let ceiling = self.ceiling(retry);
        let half = ceiling / 2;
        let spread = u64::try_from((ceiling - half).as_micros()).unwrap_or(u64::MAX);
        let jitter = rand::rng().random_range(0..=spread);
        half + Duration::from_micros(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let config = RetryConfig::default();
        assert_eq!(config.ceiling(0), Duration::from_millis(100));
        assert_eq!(config.ceiling(3), Duration::from_millis(800));
        assert_eq!(config.ceiling(10), Duration::from_secs(5));
        assert_eq!(config.ceiling(u32::MAX), Duration::from_secs(5));
        for retry in 0..8 {
            let delay = config.delay(retry);
            assert!(delay >= config.ceiling(retry) / 2 && delay <= config.ceiling(retry));
        }
    }
}
