//! Access keys the dev server accepts, for OSS and KMS alike.
//!
//! The defaults are fixed and documented so that any client can connect without setup:
//!
//! | | AccessKeyId | AccessKeySecret | SecurityToken |
//! |---|---|---|---|
//! | long-term key | `LTAI5tOssDevServer` | `oss-devserver-dev-secret` | — |
//! | STS key | `STS.OssDevServerTemporary` | `oss-devserver-sts-secret` | `oss-devserver-sts-token` |
//!
//! Besides these fixed keys, the STS and ECS-metadata stand-ins issue short-lived keys
//! ([`CredentialStore::issue`]); the OSS and KMS checks accept them until they expire and then
//! answer `SecurityTokenExpired`.
//!
//! These are test credentials for a loopback server, not secrets; the types still treat the
//! secret as one (redacted `Debug`, zeroized on drop) so the habit carries over.

use core::fmt;
use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use rand::RngExt as _;
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
/// The OIDC token the STS stand-in accepts in `AssumeRoleWithOIDC`.
pub const DEV_OIDC_TOKEN: &str = "oss-devserver-oidc-token";
/// The RAM role name the ECS-metadata stand-in reports for the instance.
pub const DEV_ECS_ROLE_NAME: &str = "OssDevServerEcsRole";

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

/// Why a key is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupFailure {
    /// No such access key id.
    Unknown,
    /// An issued temporary key whose lifetime is over.
    Expired,
}

/// An issued temporary key and the end of its lifetime.
#[derive(Clone)]
struct Issued {
    credential: DevCredential,
    expires_at: SystemTime,
}

/// Issued keys are forgotten this long after they expire (until then they answer "expired").
const EXPIRED_RETENTION: Duration = Duration::from_secs(3600);

/// The accepted keys, looked up by access key id: the configured ones and the temporary keys
/// issued while the server runs. Cloning shares the same set.
#[derive(Clone, Default)]
pub struct CredentialStore {
    by_id: Arc<HashMap<String, DevCredential>>,
    issued: Arc<Mutex<HashMap<String, Issued>>>,
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
            issued: Arc::default(),
        }
    }

    /// The documented dev keys: [`DevCredential::dev_default`] and [`DevCredential::dev_sts`].
    pub fn dev_defaults() -> Self {
        Self::new([DevCredential::dev_default(), DevCredential::dev_sts()])
    }

    /// The key with this access key id, if it is accepted now.
    ///
    /// # Errors
    ///
    /// [`LookupFailure::Unknown`] for an id never configured nor issued,
    /// [`LookupFailure::Expired`] for an issued key past its lifetime.
    pub fn lookup(&self, access_key_id: &str) -> Result<DevCredential, LookupFailure> {
        if let Some(fixed) = self.by_id.get(access_key_id) {
            return Ok(fixed.clone());
        }
        let issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        match issued.get(access_key_id) {
            Some(i) if SystemTime::now() < i.expires_at => Ok(i.credential.clone()),
            Some(_) => Err(LookupFailure::Expired),
            None => Err(LookupFailure::Unknown),
        }
    }

    /// Issues a new temporary key (id `STS.…`, random secret and token) valid for `lifetime`.
    pub fn issue(&self, lifetime: Duration) -> (DevCredential, SystemTime) {
        let random = |n: usize| -> String {
            let mut rng = rand::rng();
            (0..n)
                .map(|_| {
                    char::from(b"0123456789abcdefghijklmnopqrstuvwxyz"[rng.random_range(0..36)])
                })
                .collect()
        };
        let credential = DevCredential::new(format!("STS.{}", random(20)), random(32))
            .with_security_token(random(48));
        let now = SystemTime::now();
        let expires_at = now + lifetime;
        let mut issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        issued.retain(|_, i| i.expires_at + EXPIRED_RETENTION > now);
        let entry = Issued {
            credential: credential.clone(),
            expires_at,
        };
        issued.insert(credential.access_key_id.clone(), entry);
        (credential, expires_at)
    }

    /// Every configured key, in no particular order (issued keys are not included).
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
        assert_eq!(store.lookup("nope").unwrap_err(), LookupFailure::Unknown);
    }

    #[test]
    fn issued_keys_expire() {
        let store = CredentialStore::dev_defaults();
        let (live, _) = store.issue(Duration::from_secs(60));
        let found = store.lookup(live.access_key_id()).unwrap();
        assert_eq!(found.security_token(), live.security_token());
        assert!(live.access_key_id().starts_with("STS."));
        let (dead, _) = store.issue(Duration::ZERO);
        assert_eq!(
            store.lookup(dead.access_key_id()).unwrap_err(),
            LookupFailure::Expired
        );
    }
}
