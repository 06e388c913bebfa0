//! Who signs the requests: osscrypt's own static keys when configured, else the Alibaba Cloud
//! credential chain, shared by the OSS client and the KMS client (one refresh for both).
//!
//! Order (first that applies):
//! 1. `--access-key-id` / `--access-key-secret` / `--session-token`, then `OSS_ACCESS_KEY_ID` /
//!    `OSS_ACCESS_KEY_SECRET` / `OSS_SESSION_TOKEN`, then the keys of the osscrypt profile
//!    (each value from the first of these that has it, like every other setting);
//! 2. the chain of [`oss_client::CredentialsChain`]: `ALIBABA_CLOUD_ACCESS_KEY_ID` & co.,
//!    RRSA (`ALIBABA_CLOUD_ROLE_ARN` + `_OIDC_PROVIDER_ARN` + `_OIDC_TOKEN_FILE`), a profile of
//!    `~/.aliyun/config.json` (AK, StsToken, RamRoleArn, EcsRamRole, OIDC), the ECS RAM role;
//!    its STS and metadata endpoints from `--sts-endpoint` / `--metadata-endpoint`, the
//!    `ALIBABA_CLOUD_*` variables or the profile keys `sts_endpoint` / `metadata_endpoint`.

use std::sync::Arc;

use oss_client::{
    ChainConfig, CredentialsChain, CredentialsError, CredentialsProvider, StaticCredentials,
};

use crate::config::Settings;
use crate::error::{CliError, CliResult, Kind};

/// The provider for `settings`, checked once so that a missing source fails before any
/// transfer starts (the chain's temporary credentials are then cached and renewed).
///
/// # Errors
///
/// An authentication error (exit 4) naming every source when none has credentials or a source
/// fails; a usage error (exit 2) when the `~/.aliyun/config.json` profile asked for is
/// missing or incomplete (for example `--profile` naming a profile that neither file has).
pub(crate) async fn provider(settings: &Settings) -> CliResult<Arc<dyn CredentialsProvider>> {
    if let Some(credentials) = &settings.credentials {
        return Ok(Arc::new(StaticCredentials::new(credentials.clone())));
    }
    let mut config = ChainConfig::default();
    if let Some(profile) = &settings.aliyun_profile {
        config = config.with_profile(profile.clone());
    }
    if let Some(endpoint) = &settings.sts_endpoint {
        config = config.with_sts_endpoint(endpoint.clone());
    }
    if let Some(endpoint) = &settings.metadata_endpoint {
        config = config.with_metadata_endpoint(endpoint.clone());
    }
    let chain = Arc::new(CredentialsChain::new(config));
    match chain.credentials().await {
        Ok(_) => Ok(chain),
        Err(e) => Err(no_credentials(settings, &e)),
    }
}

fn no_credentials(settings: &Settings, cause: &CredentialsError) -> CliError {
    let source = &settings.profile_source;
    if cause.is_configuration() {
        let hint = if source.found {
            String::new()
        } else {
            format!(
                " (profile {:?} is not in {} either)",
                source.name,
                source.file.display()
            )
        };
        return CliError::usage(format!("{cause}{hint}"));
    }
    CliError::new(
        Kind::Access,
        format!(
            "no credentials (none given by --access-key-id/--access-key-secret or in profile \
             [{}] of {}): {cause}",
            source.name,
            source.file.display()
        ),
    )
}

/// Fixed credentials (the embedded devserver's).
#[cfg(feature = "embedded-devserver")]
pub(crate) fn fixed(credentials: oss_client::Credentials) -> Arc<dyn CredentialsProvider> {
    Arc::new(StaticCredentials::new(credentials))
}
