//! Full-jitter exponential backoff: attempt `n` waits a uniform random time in
//! `[0, min(base · 2^n, max))` (the V2 SDKs' policy, oss-api.md §11), for OSS and KMS alike.

use core::time::Duration;

use rand::RngExt as _;

/// Backoff parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffConfig {
    /// Ceiling of the first retry's delay.
    pub base: Duration,
    /// Upper bound of any delay.
    pub max: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(200),
            max: Duration::from_secs(20),
        }
    }
}

impl BackoffConfig {
    /// The exclusive ceiling of the delay before retry number `retry` (0-based).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// A delay for retry number `retry`, drawn with `rng`.
    pub fn delay_with_rng(&self, retry: u32, rng: &mut impl rand::Rng) -> Duration {
        let ceiling = self.ceiling(retry);
        if ceiling.is_zero() {
            return Duration::ZERO;
        }
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..nanos))
    }

    /// A delay for retry number `retry`, drawn from the thread RNG.
    pub fn delay(&self, retry: u32) -> Duration {
        self.delay_with_rng(retry, &mut rand::rng())
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;

    use super::*;

    #[test]
    fn delays_stay_under_the_growing_ceiling() {
        let cfg = BackoffConfig::default();
        assert_eq!(cfg.ceiling(0), Duration::from_millis(200));
        assert_eq!(cfg.ceiling(3), Duration::from_millis(1600));
        assert_eq!(cfg.ceiling(10), Duration::from_secs(20));
        assert_eq!(cfg.ceiling(40), Duration::from_secs(20));
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut distinct = std::collections::HashSet::new();
        for retry in 0..8 {
            for _ in 0..50 {
                let d = cfg.delay_with_rng(retry, &mut rng);
                assert!(d < cfg.ceiling(retry));
                distinct.insert(d);
            }
        }
        assert!(distinct.len() > 300, "jitter must spread delays");
        let zero = BackoffConfig {
            base: Duration::ZERO,
            max: Duration::ZERO,
        };
        assert_eq!(zero.delay(5), Duration::ZERO);
    }
}
