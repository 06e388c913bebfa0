//! Where request credentials come from, for the OSS client and the KMS client alike: a
//! provider trait with static, environment and refreshing implementations (oss-api.md §12),
//! and the default Alibaba Cloud chain ([`CredentialsChain`]: environment, RRSA/OIDC, CLI
//! profiles, ECS RAM role, over STS).
//!
//! Secrets (AccessKey secrets, STS tokens, OIDC tokens) are zeroized when dropped and never
//! shown by `Debug`, `Display` or error messages.

use core::fmt;
use core::time::Duration;
use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;
use futures::future::BoxFuture;
use tokio::sync::Mutex;

pub use oss_signing::Credentials;

/// Why no credentials could be obtained (the message names the source, never a secret).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct CredentialsError {
    message: String,
    configuration: bool,
}

impl CredentialsError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            configuration: false,
        }
    }

    /// An error of the configuration itself: the CLI config file or the profile named is
    /// missing, unreadable or incomplete (as opposed to a source that failed or refused).
    pub fn configuration(message: impl Into<String>) -> Self {
        Self {
            configuration: true,
            ..Self::new(message)
        }
    }

    /// Whether this is an error of the configuration (see [`configuration`](Self::configuration)).
    pub fn is_configuration(&self) -> bool {
        self.configuration
    }
}

/// The result type of credential providers.
pub type Result<T> = core::result::Result<T, CredentialsError>;

mod chain;
mod environment;
mod profile;
mod remote;

pub use chain::{
    ChainConfig, CredentialsChain, DEFAULT_METADATA_ENDPOINT, DEFAULT_STS_ENDPOINT, vars,
};
pub use environment::Environment;

/// Environment variable with the AccessKey id.
pub const ENV_ACCESS_KEY_ID: &str = "OSS_ACCESS_KEY_ID";
/// Environment variable with the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "OSS_ACCESS_KEY_SECRET";
/// Environment variable with the optional STS token.
pub const ENV_SESSION_TOKEN: &str = "OSS_SESSION_TOKEN";

/// Supplies credentials for each request attempt. Implement it to plug in another source.
#[async_trait]
pub trait CredentialsProvider: fmt::Debug + Send + Sync + 'static {
    /// Current credentials.
    ///
    /// # Errors
    ///
    /// [`CredentialsError`] when none can be obtained.
    async fn credentials(&self) -> Result<Arc<Credentials>>;
}

/// Fixed credentials.
#[derive(Debug, Clone)]
pub struct StaticCredentials(Arc<Credentials>);

impl StaticCredentials {
    /// Wraps fixed credentials.
    pub fn new(credentials: Credentials) -> Self {
        Self(Arc::new(credentials))
    }
}

#[async_trait]
impl CredentialsProvider for StaticCredentials {
    async fn credentials(&self) -> Result<Arc<Credentials>> {
        Ok(Arc::clone(&self.0))
    }
}

/// Reads `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and `OSS_SESSION_TOKEN`, else
/// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
/// `ALIBABA_CLOUD_SECURITY_TOKEN`, on every call.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl EnvironmentCredentials {
    /// Reads the variables once.
    ///
    /// # Errors
    ///
    /// [`CredentialsError`] when neither family has both an id and a secret.
    pub fn read() -> Result<Credentials> {
        chain::from_env(&Environment::process()).ok_or_else(|| {
            CredentialsError::new(format!(
                "{ENV_ACCESS_KEY_ID}/{ENV_ACCESS_KEY_SECRET} (or {}/{}) are not set",
                vars::ACCESS_KEY_ID,
                vars::ACCESS_KEY_SECRET
            ))
        })
    }
}

#[async_trait]
impl CredentialsProvider for EnvironmentCredentials {
    async fn credentials(&self) -> Result<Arc<Credentials>> {
        Self::read().map(Arc::new)
    }
}

/// Credentials with an optional expiry, as returned by a refresh function.
#[derive(Debug, Clone)]
pub struct ExpiringCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// When they stop working; `None` = never.
    pub expires_at: Option<SystemTime>,
}

/// The refresh function of [`RefreshingCredentials`].
pub type RefreshFn = Arc<dyn Fn() -> BoxFuture<'static, Result<ExpiringCredentials>> + Send + Sync>;

/// Caches credentials from a refresh function (e.g. an STS call) and refreshes them when they
/// are within `min_ttl` of expiring, or past half their lifetime when that is shorter (so that
/// short-lived credentials are not fetched again for every request). Concurrent callers share
/// one refresh.
pub struct RefreshingCredentials {
    refresh: RefreshFn,
    min_ttl: Duration,
    cache: Mutex<Option<Cached>>,
}

/// Cached credentials: when to renew them, and when they stop working.
struct Cached {
    credentials: Arc<Credentials>,
    renew_at: Option<SystemTime>,
    expires_at: Option<SystemTime>,
}

impl RefreshingCredentials {
    /// A provider calling `refresh` when needed; `min_ttl` is the safety margin (5 minutes is
    /// typical for STS).
    pub fn new(refresh: RefreshFn, min_ttl: Duration) -> Self {
        Self {
            refresh,
            min_ttl,
            cache: Mutex::new(None),
        }
    }

    /// When credentials fetched now and expiring at `expires_at` are to be renewed.
    fn renew_at(&self, expires_at: Option<SystemTime>) -> Option<SystemTime> {
        let at = expires_at?;
        let lifetime = at.duration_since(SystemTime::now()).unwrap_or_default();
        Some(at - self.min_ttl.min(lifetime / 2))
    }
}

impl fmt::Debug for RefreshingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingCredentials")
            .field("min_ttl", &self.min_ttl)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialsProvider for RefreshingCredentials {
    async fn credentials(&self) -> Result<Arc<Credentials>> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && cached.renew_at.is_none_or(|at| SystemTime::now() < at)
        {
            return Ok(Arc::clone(&cached.credentials));
        }
        // Holding the lock across the refresh makes concurrent callers share it.
        let fetched = match (self.refresh)().await {
            Ok(fetched) => fetched,
            Err(e) => match cache.as_ref() {
                // A failed early refresh keeps credentials that still work.
                Some(cached) if cached.expires_at.is_some_and(|at| SystemTime::now() < at) => {
                    tracing::warn!(error = %e, "credential refresh failed; the current ones still work");
                    return Ok(Arc::clone(&cached.credentials));
                }
                _ => return Err(e),
            },
        };
        let credentials = Arc::new(fetched.credentials);
        *cache = Some(Cached {
            credentials: Arc::clone(&credentials),
            renew_at: self.renew_at(fetched.expires_at),
            expires_at: fetched.expires_at,
        });
        Ok(credentials)
    }
}

#[cfg(test)]
mod tests {
    use core::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn refreshing_caches_until_near_expiry() {
        let calls = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&calls);
        let lifetime = Arc::new(std::sync::Mutex::new(Duration::from_secs(3600)));
        let life = Arc::clone(&lifetime);
        let refresh: RefreshFn = Arc::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let ttl = *life.lock().unwrap();
            Box::pin(async move {
                Ok(ExpiringCredentials {
                    credentials: Credentials::new(format!("id{n}"), "secret-xyz")
                        .with_security_token("t"),
                    expires_at: Some(SystemTime::now() + ttl),
                })
            })
        });
        let provider = RefreshingCredentials::new(refresh, Duration::from_secs(300));
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id0");
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id0");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Credentials living less than min_ttl are kept for half their life, not refetched
        // for every call.
        *lifetime.lock().unwrap() = Duration::from_millis(400);
        let provider =
            RefreshingCredentials::new(provider.refresh.clone(), Duration::from_secs(300));
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id1");
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id1");
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id2");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // Already expired when fetched: renewed at the next call.
        *lifetime.lock().unwrap() = Duration::ZERO;
        let provider = RefreshingCredentials::new(provider.refresh.clone(), Duration::ZERO);
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id3");
        assert_eq!(provider.credentials().await.unwrap().access_key_id(), "id4");
        assert!(!format!("{provider:?}").contains("secret-xyz"));
    }

    #[tokio::test]
    async fn static_debug_is_redacted() {
        let p = StaticCredentials::new(
            Credentials::new("AKID", "very-secret").with_security_token("tok"),
        );
        let text = format!("{p:?}");
        assert!(text.contains("AKID") && !text.contains("very-secret") && !text.contains("tok\""));
        assert_eq!(
            p.credentials()
                .await
                .unwrap()
                .access_key_secret()
                .expose_secret(),
            "very-secret"
        );
    }
}
