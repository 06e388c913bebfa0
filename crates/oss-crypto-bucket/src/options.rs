//! Options of a [`CryptoBucket`](crate::CryptoBucket): legacy reading, MD5, part size,
//! concurrency and the checkpoint directory.
//!
//! The KMS write flavour (oss2 or Go/Java) is a property of the KMS master key in the keyring
//! (`oss_keywrap::kms::KmsMasterKey::with_write_flavour`), since it decides how that key wraps.

use std::path::PathBuf;

use oss_envelope::{DEFAULT_PART_SIZE, MAX_PARTS, MIN_PART_SIZE};

use crate::error::InputError;

/// Default number of parts in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Options of a [`CryptoBucket`](crate::CryptoBucket). Build with [`Default`] and the `with_*`
/// methods.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CryptoOptions {
    /// Read legacy V1 objects (oss2 ≤ 2.10). Off by default (spec §13).
    pub legacy_v1: bool,
    /// Compute the plaintext MD5 on upload and store it as `unencrypted-content-md5`.
    pub compute_md5: bool,
    /// Part size for multipart and resumable transfers (multiple of 16, at least 100 KiB).
    pub part_size: u64,
    /// Parts transferred in parallel by resumable transfers.
    pub concurrency: usize,
    /// Directory for resumable-transfer checkpoints; `None` uses the system temp directory.
    pub checkpoint_dir: Option<PathBuf>,
    /// Refuse to read objects without an envelope ([`IntegrityError::NotEncrypted`]) instead
    /// of returning them as stored, flagged [`ObjectEnvelope::Plain`]. Off by default.
    ///
    /// [`IntegrityError::NotEncrypted`]: crate::IntegrityError::NotEncrypted
    /// [`ObjectEnvelope::Plain`]: crate::ObjectEnvelope::Plain
    pub require_encrypted: bool,
}

impl Default for CryptoOptions {
    fn default() -> Self {
        Self {
            legacy_v1: false,
            compute_md5: false,
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            checkpoint_dir: None,
            require_encrypted: false,
        }
    }
}

impl CryptoOptions {
    /// Enables or disables reading legacy V1 objects.
    #[must_use]
    pub fn with_legacy_v1(mut self, enabled: bool) -> Self {
        self.legacy_v1 = enabled;
        self
    }

    /// Enables or disables computing the plaintext MD5 on upload.
    #[must_use]
    pub fn with_compute_md5(mut self, enabled: bool) -> Self {
        self.compute_md5 = enabled;
        self
    }

    /// Sets the part size of multipart and resumable transfers.
    #[must_use]
    pub fn with_part_size(mut self, part_size: u64) -> Self {
        self.part_size = part_size;
        self
    }

    /// Sets how many parts resumable transfers move at once.
    #[must_use]
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Makes reads of objects without an envelope an error (see
    /// [`require_encrypted`](Self::require_encrypted)).
    #[must_use]
    pub fn with_require_encrypted(mut self, required: bool) -> Self {
        self.require_encrypted = required;
        self
    }

    /// Sets the checkpoint directory of resumable transfers.
    #[must_use]
    pub fn with_checkpoint_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.checkpoint_dir = Some(dir.into());
        self
    }

    /// Checks the values that have hard limits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) with [`InputError::PartSize`] when
    /// the part size is not a multiple of 16 of at least 100 KiB, [`InputError::Concurrency`]
    /// when the concurrency is zero.
    pub fn validate(&self) -> crate::Result<()> {
        check_part_size(self.part_size)?;
        if self.concurrency == 0 {
            return Err(InputError::Concurrency.into());
        }
        Ok(())
    }

    /// The checkpoint directory in use.
    pub(crate) fn checkpoint_dir(&self) -> PathBuf {
        self.checkpoint_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("oss-crypto-checkpoints"))
    }
}

/// Checks a configured part size: a multiple of 16 and at least 100 KiB.
pub(crate) fn check_part_size(part_size: u64) -> crate::Result<()> {
    if part_size == 0 || !part_size.is_multiple_of(16) || part_size < MIN_PART_SIZE {
        return Err(InputError::PartSize {
            part_size,
            minimum: MIN_PART_SIZE,
        }
        .into());
    }
    Ok(())
}

/// Picks a part size for `data_size`: the configured one, or the smallest multiple of 16 that
/// keeps the upload within [`MAX_PARTS`] parts when the configured one is too small.
pub(crate) fn fit_part_size(configured: u64, data_size: u64) -> u64 {
    if data_size.div_ceil(configured.max(1)) <= u64::from(MAX_PARTS) {
        configured
    } else {
        oss_envelope::default_part_size(data_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_size_rules() {
        assert!(check_part_size(102_400).is_ok());
        assert!(check_part_size(102_401).is_err());
        assert!(check_part_size(16).is_err());
        assert!(check_part_size(0).is_err());
        assert!(
            CryptoOptions::default()
                .with_concurrency(0)
                .validate()
                .is_err()
        );
        assert!(CryptoOptions::default().validate().is_ok());
    }

    #[test]
    fn fit_part_size_keeps_multiple_of_16_and_part_limit() {
        let data = 200 * 1024 * 1024 * 1024_u64;
        let part = fit_part_size(DEFAULT_PART_SIZE, data);
        assert_eq!(part % 16, 0);
        assert!(data.div_ceil(part) <= u64::from(MAX_PARTS));
        assert_eq!(fit_part_size(DEFAULT_PART_SIZE, 1), DEFAULT_PART_SIZE);
    }
}
