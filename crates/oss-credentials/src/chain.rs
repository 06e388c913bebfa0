//! The default credential chain, in the official SDKs' order: explicit credentials (the
//! caller's provider, not this type), environment AccessKeys, RRSA/OIDC from the environment,
//! a profile of `~/.aliyun/config.json`, then the ECS instance RAM role.

use core::fmt;
use core::time::Duration;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use futures::FutureExt as _;
use tokio::sync::OnceCell;

use super::environment::Environment;
use super::profile::{self, Profile};
use super::remote::{self, StsRequest};
use super::{
    Credentials, CredentialsProvider, RefreshFn, RefreshingCredentials, StaticCredentials,
};
use crate::{CredentialsError, Result};

/// Default STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.aliyuncs.com";
/// Default ECS metadata endpoint.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

/// Variables the chain reads (besides `OSS_ACCESS_KEY_ID` & co.).
pub mod vars {
    /// AccessKey id (after `OSS_ACCESS_KEY_ID`).
    pub const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    /// AccessKey secret (after `OSS_ACCESS_KEY_SECRET`).
    pub const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
    /// STS token (after `OSS_SESSION_TOKEN`).
    pub const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
    /// RRSA: the role to assume.
    pub const ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
    /// RRSA: the OIDC provider.
    pub const OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
    /// RRSA: the file holding the OIDC token (re-read at each refresh).
    pub const OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
    /// Session name for AssumeRole / AssumeRoleWithOIDC.
    pub const ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
    /// The profile of the CLI config file.
    pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
    /// The CLI config file (default `~/.aliyun/config.json`).
    pub const CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
    /// STS endpoint override.
    pub const STS_ENDPOINT: &str = "ALIBABA_CLOUD_STS_ENDPOINT";
    /// ECS metadata endpoint override.
    pub const METADATA_ENDPOINT: &str = "ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT";
    /// The ECS RAM role name (otherwise asked of the metadata service).
    pub const ECS_ROLE_NAME: &str = "ALIBABA_CLOUD_ECS_METADATA";
    /// `true` turns the ECS metadata source off.
    pub const ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
}

/// Settings of a [`CredentialsChain`]; explicit settings win over the environment.
#[derive(Debug, Clone)]
pub struct ChainConfig {
    environment: Environment,
    profile: Option<String>,
    config_file: Option<PathBuf>,
    sts_endpoint: Option<String>,
    metadata_endpoint: Option<String>,
    min_ttl: Duration,
    duration_seconds: u64,
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self {
            environment: Environment::process(),
            profile: None,
            config_file: None,
            sts_endpoint: None,
            metadata_endpoint: None,
            min_ttl: Duration::from_secs(180),
            duration_seconds: 3600,
        }
    }
}

impl ChainConfig {
    /// Reads variables from `environment` instead of the process.
    #[must_use]
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// The CLI profile to use (wins over `ALIBABA_CLOUD_PROFILE`); naming one makes a missing
    /// file or profile an error instead of a step to the next source.
    #[must_use]
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The CLI config file (wins over `ALIBABA_CLOUD_CONFIG_FILE`).
    #[must_use]
    pub fn with_config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// The STS endpoint (wins over `ALIBABA_CLOUD_STS_ENDPOINT`; default
    /// [`DEFAULT_STS_ENDPOINT`]). Without a scheme, https.
    #[must_use]
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The ECS metadata endpoint (wins over `ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT`;
    /// default [`DEFAULT_METADATA_ENDPOINT`]).
    #[must_use]
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// Temporary credentials are renewed this long before they expire (default 3 minutes), or
    /// at half their lifetime when that comes first.
    #[must_use]
    pub fn with_min_ttl(mut self, min_ttl: Duration) -> Self {
        self.min_ttl = min_ttl;
        self
    }

    fn sts_endpoint(&self) -> String {
        self.sts_endpoint
            .clone()
            .or_else(|| self.environment.var(vars::STS_ENDPOINT))
            .unwrap_or_else(|| DEFAULT_STS_ENDPOINT.to_owned())
    }

    fn metadata_endpoint(&self) -> String {
        self.metadata_endpoint
            .clone()
            .or_else(|| self.environment.var(vars::METADATA_ENDPOINT))
            .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned())
    }

    fn session_name(&self, given: Option<String>) -> String {
        given
            .or_else(|| self.environment.var(vars::ROLE_SESSION_NAME))
            .unwrap_or_else(|| "oss-crypto".to_owned())
    }
}

/// The first source that applies, found on first use and kept: see the module text for the
/// order. Temporary credentials refresh before expiry, one refresh shared by all callers.
pub struct CredentialsChain {
    config: ChainConfig,
    resolved: OnceCell<(Arc<dyn CredentialsProvider>, &'static str)>,
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsChain")
            .field("source", &self.resolved.get().map(|(_, s)| *s))
            .finish_non_exhaustive()
    }
}

impl CredentialsChain {
    /// A chain with these settings.
    pub fn new(config: ChainConfig) -> Self {
        Self {
            config,
            resolved: OnceCell::new(),
        }
    }

    /// The name of the source in use, once resolved (`environment`, `oidc`, `profile`,
    /// `ecs-ram-role`).
    pub fn source(&self) -> Option<&'static str> {
        self.resolved.get().map(|(_, s)| *s)
    }

    async fn resolve(&self) -> Result<(Arc<dyn CredentialsProvider>, &'static str)> {
        let c = &self.config;
        let env = &c.environment;
        if let Some(credentials) = from_env(env) {
            return Ok((Arc::new(StaticCredentials::new(credentials)), "environment"));
        }
        if let (Some(role_arn), Some(provider_arn), Some(token_file)) = (
            env.var(vars::ROLE_ARN),
            env.var(vars::OIDC_PROVIDER_ARN),
            env.var(vars::OIDC_TOKEN_FILE),
        ) {
            let request = StsRequest::WithOidc {
                role_arn,
                provider_arn,
                token_file: token_file.into(),
            };
            return Ok((self.sts(request, None, None)?, "oidc"));
        }
        let profile_name = c.profile.clone().or_else(|| env.var(vars::PROFILE));
        let file = c
            .config_file
            .clone()
            .or_else(|| env.var(vars::CONFIG_FILE).map(PathBuf::from))
            .or_else(|| env.home().map(|h| h.join(".aliyun").join("config.json")));
        match file {
            Some(path) if path.is_file() || profile_name.is_some() => {
                let profile = profile::load(&path, profile_name.as_deref())?;
                return Ok((self.profile_provider(profile)?, "profile"));
            }
            _ => {}
        }
        if env.flag(vars::ECS_METADATA_DISABLED) {
            return Err(CredentialsError::new(no_source_message()));
        }
        let role = env.var(vars::ECS_ROLE_NAME);
        let provider = self.ecs(role)?;
        // Probe now, so that a machine without a metadata service gets the full explanation.
        provider.credentials().await.map_err(|e| {
            CredentialsError::new(format!(
                "{} (last step, ECS metadata: {e})",
                no_source_message()
            ))
        })?;
        Ok((provider, "ecs-ram-role"))
    }

    fn profile_provider(&self, profile: Profile) -> Result<Arc<dyn CredentialsProvider>> {
        match profile {
            Profile::Static(credentials) => Ok(Arc::new(StaticCredentials::new(credentials))),
            Profile::RamRoleArn {
                source,
                role_arn,
                session_name,
                duration_seconds,
            } => {
                let request = StsRequest::AssumeRole {
                    source,
                    role_arn,
                    external_id: None,
                };
                self.sts(request, session_name, duration_seconds)
            }
            Profile::EcsRamRole { role_name } => self.ecs(role_name),
            Profile::Oidc {
                role_arn,
                provider_arn,
                token_file,
                session_name,
                duration_seconds,
            } => {
                let request = StsRequest::WithOidc {
                    role_arn,
                    provider_arn,
                    token_file: token_file.into(),
                };
                self.sts(request, session_name, duration_seconds)
            }
        }
    }

    fn sts(
        &self,
        request: StsRequest,
        session_name: Option<String>,
        duration_seconds: Option<u64>,
    ) -> Result<Arc<dyn CredentialsProvider>> {
        let endpoint = self.config.sts_endpoint();
        let http = remote::http_client(&remote::base_url(&endpoint), Duration::from_secs(5))?;
        let session = self.config.session_name(session_name);
        let duration = duration_seconds.unwrap_or(self.config.duration_seconds);
        let request = Arc::new(request);
        let refresh: RefreshFn = Arc::new(move || {
            let (http, endpoint, request, session) = (
                http.clone(),
                endpoint.clone(),
                Arc::clone(&request),
                session.clone(),
            );
            async move { remote::assume_role(&http, &endpoint, &request, &session, duration).await }
                .boxed()
        });
        Ok(Arc::new(RefreshingCredentials::new(
            refresh,
            self.config.min_ttl,
        )))
    }

    fn ecs(&self, role_name: Option<String>) -> Result<Arc<dyn CredentialsProvider>> {
        let endpoint = self.config.metadata_endpoint();
        // The metadata service answers at once on ECS; elsewhere do not hang.
        let http = remote::http_client(&remote::base_url(&endpoint), Duration::from_secs(1))?;
        let refresh: RefreshFn = Arc::new(move || {
            let (http, endpoint, role) = (http.clone(), endpoint.clone(), role_name.clone());
            async move { remote::ecs_role(&http, &endpoint, role.as_deref()).await }.boxed()
        });
        Ok(Arc::new(RefreshingCredentials::new(
            refresh,
            self.config.min_ttl,
        )))
    }
}

fn no_source_message() -> String {
    format!(
        "no credentials found: set OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET or {}/{}, or {}+{}+{} \
         (RRSA), or a profile in ~/.aliyun/config.json ({} picks one), or run on ECS with a RAM role",
        vars::ACCESS_KEY_ID,
        vars::ACCESS_KEY_SECRET,
        vars::ROLE_ARN,
        vars::OIDC_PROVIDER_ARN,
        vars::OIDC_TOKEN_FILE,
        vars::PROFILE
    )
}

/// `OSS_*`, then `ALIBABA_CLOUD_*` AccessKeys (id and secret from the same family).
pub(crate) fn from_env(env: &Environment) -> Option<Credentials> {
    let families = [
        (
            super::ENV_ACCESS_KEY_ID,
            super::ENV_ACCESS_KEY_SECRET,
            super::ENV_SESSION_TOKEN,
        ),
        (
            vars::ACCESS_KEY_ID,
            vars::ACCESS_KEY_SECRET,
            vars::SECURITY_TOKEN,
        ),
    ];
    families.iter().find_map(|(id, secret, token)| {
        let credentials = Credentials::new(env.var(id)?, env.var(secret)?);
        Some(match env.var(token) {
            Some(token) => credentials.with_security_token(token),
            None => credentials,
        })
    })
}

#[async_trait]
impl CredentialsProvider for CredentialsChain {
    async fn credentials(&self) -> Result<Arc<Credentials>> {
        let (provider, _) = self.resolved.get_or_try_init(|| self.resolve()).await?;
        provider.credentials().await
    }
}
