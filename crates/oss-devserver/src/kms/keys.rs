//! The key registry: keys with versions and states, aliases, and `KeyId` resolution (plain id,
//! `alias/<name>`, key ARN, alias ARN; kms-api.md §8.3).

use core::fmt;

use http::StatusCode;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::kms_error::KmsError;

/// The lifecycle state of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum KeyState {
    /// Usable.
    #[default]
    Enabled,
    /// Every use answers 409 `Rejected.Disabled`.
    Disabled,
    /// Every use answers 409 `Rejected.PendingDeletion`.
    PendingDeletion,
}

/// One version of a key: its id and AES-256 material.
#[derive(Clone)]
struct KeyVersion {
    id: String,
    material: Zeroizing<[u8; 32]>,
}

/// A customer master key of the KMS stand-in.
///
/// Key material is derived from the key id and version number unless set explicitly, so blobs
/// stay decryptable across server restarts (this is a dev server: the material is not secret,
/// but it is still kept out of `Debug`).
#[derive(Clone)]
pub struct KmsKey {
    id: String,
    region: Option<String>,
    account: Option<String>,
    allowed_access_keys: Option<Vec<String>>,
    state: KeyState,
    versions: Vec<KeyVersion>,
}

fn derive(label: &str, key_id: &str, version: u32) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"oss-devserver/kms/");
    hash.update(label.as_bytes());
    hash.update([0]);
    hash.update(key_id.as_bytes());
    hash.update(version.to_be_bytes());
    hash.finalize().into()
}

pub(crate) fn version_id(key_id: &str, version: u32) -> String {
    let h = hex::encode(derive("version-id", key_id, version));
    let part = |a: usize, b: usize| h.get(a..b).unwrap_or_default().to_owned();
    format!(
        "{}-{}-4{}-a{}-{}",
        part(0, 8),
        part(8, 12),
        part(13, 16),
        part(17, 20),
        part(20, 32)
    )
}

impl KmsKey {
    /// An enabled key with one version, usable in every region and by every access key.
    pub fn new(id: impl Into<String>) -> Self {
        let mut key = Self {
            id: id.into(),
            region: None,
            account: None,
            allowed_access_keys: None,
            state: KeyState::Enabled,
            versions: Vec::new(),
        };
        key.rotate();
        key
    }

    /// Sets the material of the current version.
    #[must_use]
    pub fn with_material(mut self, material: [u8; 32]) -> Self {
        if let Some(v) = self.versions.last_mut() {
            v.material = Zeroizing::new(material);
        }
        self
    }

    /// Restricts the key to one region (other regions answer `Forbidden.KeyNotFound`).
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the owning account id that ARNs must name (default: the server's account).
    #[must_use]
    pub fn with_account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Only these AccessKeyIds may use the key (others get 403 `Forbidden.NoPermission`).
    #[must_use]
    pub fn with_allowed_access_keys<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_access_keys = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the state.
    #[must_use]
    pub fn with_state(mut self, state: KeyState) -> Self {
        self.state = state;
        self
    }

    /// The key id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The region the key is bound to, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The owning account, if set.
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The state.
    pub fn state(&self) -> KeyState {
        self.state
    }

    /// The id of the newest version (used for new blobs).
    pub fn current_version_id(&self) -> &str {
        self.versions.last().map_or("", |v| v.id.as_str())
    }

    /// Every version id, oldest first.
    pub fn version_ids(&self) -> Vec<String> {
        self.versions.iter().map(|v| v.id.clone()).collect()
    }

    /// Adds a new version that new blobs use; old blobs still decrypt. Returns its id.
    pub fn rotate(&mut self) -> String {
        let n = u32::try_from(self.versions.len()).unwrap_or(u32::MAX);
        let id = version_id(&self.id, n);
        let material = Zeroizing::new(derive("material", &self.id, n));
        self.versions.push(KeyVersion {
            id: id.clone(),
            material,
        });
        id
    }

    pub(crate) fn set_state(&mut self, state: KeyState) {
        self.state = state;
    }

    /// The newest version's number, id and material.
    pub(crate) fn current(&self) -> Option<(u32, &str, &[u8; 32])> {
        let n = self.versions.len().checked_sub(1)?;
        let v = self.versions.get(n)?;
        Some((u32::try_from(n).ok()?, v.id.as_str(), &v.material))
    }

    /// Version `n`'s id and material.
    pub(crate) fn version(&self, n: u32) -> Option<(&str, &[u8; 32])> {
        let v = self.versions.get(usize::try_from(n).ok()?)?;
        Some((v.id.as_str(), &v.material))
    }

    /// Checks that `access_key_id` may use the key in its current state.
    ///
    /// # Errors
    ///
    /// 409 `Rejected.Disabled` / `Rejected.PendingDeletion`, 403 `Forbidden.NoPermission`.
    pub(crate) fn check_usable(&self, access_key_id: &str) -> Result<(), KmsError> {
        if let Some(allowed) = &self.allowed_access_keys
            && !allowed.iter().any(|a| a == access_key_id)
        {
            return Err(KmsError::new(
                StatusCode::FORBIDDEN,
                "Forbidden.NoPermission",
                format!(
                    "This action is not authorized for {access_key_id} on key {}.",
                    self.id
                ),
            ));
        }
        match self.state {
            KeyState::Enabled => Ok(()),
            KeyState::Disabled => Err(KmsError::new(
                StatusCode::CONFLICT,
                "Rejected.Disabled",
                format!("The key {} is disabled.", self.id),
            )),
            KeyState::PendingDeletion => Err(KmsError::new(
                StatusCode::CONFLICT,
                "Rejected.PendingDeletion",
                format!("The key {} is pending deletion.", self.id),
            )),
        }
    }
}

impl fmt::Debug for KmsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsKey")
            .field("id", &self.id)
            .field("region", &self.region)
            .field("account", &self.account)
            .field("allowed_access_keys", &self.allowed_access_keys)
            .field("state", &self.state)
            .field("versions", &self.version_ids())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "9f1c2e3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

    #[test]
    fn rotation_keeps_old_versions_and_material_is_deterministic() {
        let mut key = KmsKey::new(ID);
        let first = key.current_version_id().to_owned();
        let second = key.rotate();
        assert_ne!(first, second);
        assert_eq!(key.version_ids(), [first.clone(), second.clone()]);
        assert_eq!(key.current().unwrap().1, second);
        assert_eq!(
            key.version(0).unwrap().1,
            KmsKey::new(ID).version(0).unwrap().1
        );
        assert_eq!(first.len(), 36);
    }

    #[test]
    fn states_and_allow_list() {
        let key = KmsKey::new(ID).with_allowed_access_keys(["AK1"]);
        assert!(key.check_usable("AK1").is_ok());
        assert_eq!(
            key.check_usable("AK2").unwrap_err().code,
            "Forbidden.NoPermission"
        );
        let disabled = KmsKey::new(ID).with_state(KeyState::Disabled);
        assert_eq!(
            disabled.check_usable("AK1").unwrap_err().code,
            "Rejected.Disabled"
        );
        let pending = KmsKey::new(ID).with_state(KeyState::PendingDeletion);
        assert_eq!(
            pending.check_usable("AK1").unwrap_err().status,
            StatusCode::CONFLICT
        );
    }

    #[test]
    fn debug_hides_material() {
        let key = KmsKey::new(ID).with_material([0xAB; 32]);
        let text = format!("{key:?}");
        assert!(text.contains(ID));
        assert!(!text.to_lowercase().contains("abababab"));
        assert!(!text.contains("171"));
    }
}
