//! [`KmsConfig`]: the keys, aliases, fixture blobs and checks a KMS stand-in starts with.

use core::time::Duration;

use super::keys::KmsKey;
use super::state::{KmsHandle, Settings};

/// Why a fixture table could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// The text is not JSON.
    #[error("fixture table is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is not an object of blob → plaintext strings.
    #[error("fixture table must be a JSON object of blob -> plaintext strings")]
    Shape,
}

/// Keys, aliases, fixture blobs and check switches of the KMS stand-in.
///
/// `Default` gives one enabled key [`KmsConfig::DEFAULT_KEY_ID`] with the alias [`KmsConfig::DEFAULT_ALIAS`],
/// region [`KmsConfig::DEFAULT_REGION`], a 15-minute skew window, the nonce check on, and no fixtures.
///
/// The configuration holds a [`KmsHandle`]: clones share keys, switches and the request log,
/// and [`KmsConfig::handle`] keeps working after the server started.
#[derive(Debug, Clone)]
pub struct KmsConfig {
    handle: KmsHandle,
}

impl Default for KmsConfig {
    fn default() -> Self {
        Self::empty()
            .with_key(KmsKey::new(Self::DEFAULT_KEY_ID))
            .with_alias(Self::DEFAULT_ALIAS, Self::DEFAULT_KEY_ID)
    }
}

impl KmsConfig {
    /// Id of the key every default configuration has.
    pub const DEFAULT_KEY_ID: &str = "0e55dede-7c3a-4b1e-9d2f-5a6b7c8d9e0f";
    /// Alias of [`KmsConfig::DEFAULT_KEY_ID`].
    pub const DEFAULT_ALIAS: &str = "alias/oss-devserver";
    /// Account id that key ARNs name by default (`acs:kms:<region>:<account>:key/<id>`).
    pub const DEFAULT_ACCOUNT_ID: &str = "1234567890123456";
    /// Region the stand-in claims by default.
    pub const DEFAULT_REGION: &str = "cn-hangzhou";
    /// Default clock-skew window (as real KMS: 15 minutes).
    pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

    /// No keys, no aliases; default region, account and checks.
    pub fn empty() -> Self {
        let settings = Settings {
            region: Self::DEFAULT_REGION.to_owned(),
            account: Self::DEFAULT_ACCOUNT_ID.to_owned(),
            max_skew: Some(Self::DEFAULT_MAX_SKEW),
            check_nonce: true,
            accept_sts_token_param: false,
        };
        Self {
            handle: KmsHandle::new(settings),
        }
    }

    /// The handle on this configuration's live state.
    pub fn handle(&self) -> KmsHandle {
        self.handle.clone()
    }

    /// Adds a key.
    #[must_use]
    pub fn with_key(self, key: KmsKey) -> Self {
        self.handle.add_key(key);
        self
    }

    /// Adds an alias (`alias/<name>` or `<name>`) for `key_id`.
    #[must_use]
    pub fn with_alias(self, alias: &str, key_id: &str) -> Self {
        self.handle.add_alias(alias, key_id);
        self
    }

    /// Adds a foreign blob that decrypts (without EncryptionContext) to `plaintext`.
    #[must_use]
    pub fn with_fixture(self, blob: &str, plaintext: &str) -> Self {
        self.handle.add_fixture(blob, plaintext);
        self
    }

    /// Adds the fixtures of a JSON object `{ "<blob>": "<plaintext>", … }`, or of the
    /// `kms_decrypt_results` member of such a document (the shared V1 KMS vector's format).
    /// Members that are not strings, and `comment`, are skipped.
    ///
    /// # Errors
    ///
    /// [`FixtureError`] when the text is not JSON or not an object.
    pub fn with_fixtures_json(self, text: &str) -> Result<Self, FixtureError> {
        let value: serde_json::Value = serde_json::from_str(text)?;
        let table = value.get("kms_decrypt_results").unwrap_or(&value);
        let object = table.as_object().ok_or(FixtureError::Shape)?;
        for (blob, plaintext) in object {
            if let (Some(plaintext), false) = (plaintext.as_str(), blob == "comment") {
                self.handle.add_fixture(blob, plaintext);
            }
        }
        Ok(self)
    }

    /// Sets the region (ARNs and region-bound keys are checked against it).
    #[must_use]
    pub fn with_region(self, region: &str) -> Self {
        crate::kms::state::lock(&self.handle.shared.settings).region = region.to_owned();
        self
    }

    /// Sets the account id that ARNs name for keys without their own account.
    #[must_use]
    pub fn with_account(self, account: &str) -> Self {
        crate::kms::state::lock(&self.handle.shared.settings).account = account.to_owned();
        self
    }

    /// Sets the skew window; `None` turns the timestamp window check off.
    #[must_use]
    pub fn with_max_skew(self, max_skew: Option<Duration>) -> Self {
        self.handle.set_max_skew(max_skew);
        self
    }

    /// Turns the nonce-replay check on or off.
    #[must_use]
    pub fn with_nonce_check(self, on: bool) -> Self {
        self.handle.set_nonce_check(on);
        self
    }

    /// Switches off the skew and nonce checks, for replaying fixed-time signature vectors.
    #[must_use]
    pub fn for_fixed_time_vectors(self) -> Self {
        self.with_max_skew(None).with_nonce_check(false)
    }

    /// Accepts the legacy `STSToken` parameter as a synonym of `SecurityToken`.
    #[must_use]
    pub fn with_legacy_sts_token_param(self, on: bool) -> Self {
        self.handle.set_accept_sts_token_param(on);
        self
    }

    /// The region.
    pub fn region(&self) -> String {
        self.handle.settings().region
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_has_the_key_and_alias_and_checks_on() {
        let config = KmsConfig::default();
        let h = config.handle();
        assert_eq!(h.key_ids(), [KmsConfig::DEFAULT_KEY_ID]);
        let s = h.settings();
        assert_eq!(s.max_skew, Some(KmsConfig::DEFAULT_MAX_SKEW));
        assert!(s.check_nonce);
        let off = config.for_fixed_time_vectors().handle().settings();
        assert_eq!((off.max_skew, off.check_nonce), (None, false));
    }

    #[test]
    fn fixtures_json_accepts_both_shapes() {
        let doc = r#"{"kms_decrypt_results": {"comment": "x", "YWJj": "8"}, "other": 1}"#;
        let config = KmsConfig::empty().with_fixtures_json(doc).unwrap();
        let fixtures = crate::kms::state::lock(&config.handle().shared.fixtures).clone();
        assert_eq!(fixtures.len(), 1);
        assert_eq!(fixtures["YWJj"].plaintext, "8");
        assert!(KmsConfig::empty().with_fixtures_json("[1]").is_err());
        assert!(KmsConfig::empty().with_fixtures_json("nope").is_err());
    }
}
