//! How long a presigned URL is valid, in the one convention both OSS schemes use here.

/// A presigned URL's validity: signed at `signed_at` (Unix seconds), valid for `expires_in`
/// seconds after that.
///
/// V4 puts both on the wire (`x-oss-date`, `x-oss-expires`); V1 signs only the absolute end
/// (`Expires` = `signed_at + expires_in`). A duration from an explicit signing time is the
/// harder one to get wrong (no clock read hidden in the signer, no "expires" mistaken for a
/// duration); [`Validity::until`] builds one from an absolute end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// When the URL is signed, Unix seconds.
    pub signed_at: u64,
    /// Seconds the URL stays valid after `signed_at`.
    pub expires_in: u64,
}

impl Validity {
    /// Valid for `expires_in` seconds from `signed_at`.
    #[must_use]
    pub const fn new(signed_at: u64, expires_in: u64) -> Self {
        Self {
            signed_at,
            expires_in,
        }
    }

    /// Valid from `signed_at` until the absolute time `expires_at`; `None` when that is
    /// before `signed_at`.
    #[must_use]
    pub const fn until(signed_at: u64, expires_at: u64) -> Option<Self> {
        match expires_at.checked_sub(signed_at) {
            Some(expires_in) => Some(Self::new(signed_at, expires_in)),
            None => None,
        }
    }

    /// The absolute end, Unix seconds (saturating at `u64::MAX`, far past any real clock).
    #[must_use]
    pub const fn expires_at(&self) -> u64 {
        self.signed_at.saturating_add(self.expires_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_conventions_meet() {
        let v = Validity::new(1_699_800_000, 7_420);
        assert_eq!(v.expires_at(), 1_699_807_420);
        assert_eq!(Validity::until(1_699_800_000, 1_699_807_420), Some(v));
        assert_eq!(Validity::until(10, 9), None);
        assert_eq!(Validity::new(u64::MAX, 1).expires_at(), u64::MAX);
    }
}
