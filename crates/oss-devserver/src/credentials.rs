//! Access keys the dev server accepts, for OSS and KMS alike.
//!
//! The defaults are fixed and documented so that any client can connect without setup:
//!
//! | | AccessKeyId | AccessKeySecret | SecurityToken |
//! |---|---|---|---|
//! | long-term key | `LTAI5tOssDevServer` | `oss-devserver-dev-secret` | — |
//! | STS key | `STS.OssDevServerTemporary` | `oss-devserver-sts-secret` | `oss-devserver-sts-token` |
//!
//! These are test credentials for a loopback server, not secrets; the types still treat the
//! secret as one (redacted `Debug`, zeroized on drop) so the habit carries over.

use core::fmt;
use std::collections::HashMap;
use std::sync::Arc;

use zeroize::Zeroize;

/// The documented dev access key id.
pub const DEV_ACCESS_KEY_ID: &str = "LTAI5tOssDevServer";
/// The documented dev access key secret.
pub const DEV_ACCESS_KEY_SECRET: &str = "oss-devserver-dev-secret";
/// The documented dev STS access key id (requires [`DEV_STS_SECURITY_TOKEN`]).
pub const DEV_STS_ACCESS_KEY_ID: &str = "STS.OssDevServerTemporary";
/// The documented dev STS access key secret.
pub const DEV_STS_ACCESS_KEY_SECRET: &str = "oss-devserver-sts-secret";
/// The security token that goes with [`DEV_STS_ACCESS_KEY_ID`].
pub const DEV_STS_SECURITY_TOKEN: &str = "oss-devserver-sts-token";

/// One access key the server accepts. With a security token, requests must carry that token.
#[derive(Clone, PartialEq, Eq)]
pub struct DevCredential {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

impl DevCredential {
    /// A long-term access key.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// The same key as temporary (STS) credentials that require `token`.
    #[must_use]
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The documented long-term dev key.
    pub fn dev_default() -> Self {
        Self::new(DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET)
    }

    /// The documented STS dev key.
    pub fn dev_sts() -> Self {
        Self::new(DEV_STS_ACCESS_KEY_ID, DEV_STS_ACCESS_KEY_SECRET)
            .with_security_token(DEV_STS_SECURITY_TOKEN)
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The access key secret.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The security token, for STS credentials.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for DevCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevCredential")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"******")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "******"),
            )
            .finish()
    }
}

impl Drop for DevCredential {
    fn drop(&mut self) {
        self.access_key_secret.zeroize();
        if let Some(token) = &mut self.security_token {
            token.zeroize();
        }
    }
}

/// The accepted keys, looked up by access key id. Cloning shares the same set.
#[derive(Clone, Default)]
pub struct CredentialStore {
    by_id: Arc<HashMap<String, DevCredential>>,
}

impl CredentialStore {
    /// A store holding exactly these keys (a later duplicate id replaces an earlier one).
    pub fn new(credentials: impl IntoIterator<Item = DevCredential>) -> Self {
        let by_id = credentials
            .into_iter()
            .map(|c| (c.access_key_id.clone(), c))
            .collect();
        Self {
            by_id: Arc::new(by_id),
        }
    }

    /// The documented dev keys: [`DevCredential::dev_default`] and [`DevCredential::dev_sts`].
    pub fn dev_defaults() -> Self {
        Self::new([DevCredential::dev_default(), DevCredential::dev_sts()])
    }

    /// The key with this access key id.
    pub fn lookup(&self, access_key_id: &str) -> Option<&DevCredential> {
        self.by_id.get(access_key_id)
    }

    /// Every key, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &DevCredential> {
        self.by_id.values()
    }
}

impl fmt::Debug for CredentialStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.by_id.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_or_token() {
        let store = CredentialStore::dev_defaults();
        let text = format!(
            "{:?} {:?} {store:?}",
            DevCredential::dev_sts(),
            DevCredential::dev_default()
        );
        assert!(text.contains(DEV_ACCESS_KEY_ID));
        for secret in [
            DEV_ACCESS_KEY_SECRET,
            DEV_STS_ACCESS_KEY_SECRET,
            DEV_STS_SECURITY_TOKEN,
        ] {
            assert!(!text.contains(secret), "{text}");
        }
    }

    #[test]
    fn lookup_by_id() {
        let store = CredentialStore::dev_defaults();
        let sts = store.lookup(DEV_STS_ACCESS_KEY_ID).unwrap();
        assert_eq!(sts.security_token(), Some(DEV_STS_SECURITY_TOKEN));
        assert_eq!(
            store.lookup(DEV_ACCESS_KEY_ID).unwrap().access_key_secret(),
            DEV_ACCESS_KEY_SECRET
        );
        assert!(store.lookup("nope").is_none());
    }
}
