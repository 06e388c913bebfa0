//! Where the commands send requests: the configured endpoint, or, in local mode only
//! (`--local`, `OSS_ENDPOINT=local`), an embedded devserver with a persistent data directory,
//! announced in one line on stderr even with `--quiet`. No endpoint is a usage error.
//!
//! A [`Connection`] also builds the OSS clients and crypto buckets the commands use.

use core::fmt;
use std::sync::Arc;

#[cfg(feature = "embedded-devserver")]
use oss_client::Credentials;
use oss_client::{Addressing, Client, ClientBuilder, CredentialsProvider, ServiceClient};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions};
#[cfg(feature = "embedded-devserver")]
use oss_devserver::{DevServer, DevServerConfig};
use oss_keywrap::Keyring;

use crate::cli::TransferArgs;
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::kms::KmsSettings;
use crate::net::Timeouts;
use crate::output::Output;

/// An endpoint with credentials, possibly backed by an embedded devserver.
pub(crate) struct Connection {
    /// OSS endpoint URL.
    pub(crate) endpoint: String,
    /// Region id for signing.
    pub(crate) region: String,
    /// Who signs: static keys or the Alibaba Cloud chain (shared with the KMS client).
    pub(crate) credentials: Arc<dyn CredentialsProvider>,
    /// KMS connection settings.
    pub(crate) kms: KmsSettings,
    /// Path-style addressing was asked for.
    pub(crate) path_style: bool,
    /// Connect and read-idle timeouts of OSS requests.
    pub(crate) timeouts: Timeouts,
    #[cfg(feature = "embedded-devserver")]
    server: Option<DevServer>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("embedded", &self.is_embedded())
            .finish()
    }
}

impl Connection {
    /// Connects to the configured endpoint, or starts the embedded devserver (creating
    /// `buckets` in it) in local mode.
    ///
    /// # Errors
    ///
    /// Usage errors for a missing endpoint or region; an authentication error when no
    /// credential source applies; devserver start failures.
    pub(crate) async fn open(
        settings: &Settings,
        buckets: &[&str],
        out: &Output,
    ) -> CliResult<Self> {
        if settings.local {
            return Self::embedded(settings, buckets, out).await;
        }
        let Some(endpoint) = settings.endpoint.clone() else {
            return Err(no_endpoint(settings));
        };
        let region = match settings
            .region
            .clone()
            .or_else(|| region_from_endpoint(&endpoint))
        {
            Some(region) => region,
            None => {
                return Err(CliError::usage(format!(
                    "cannot tell the region of {endpoint}: pass --region"
                )));
            }
        };
        let credentials = crate::credentials::provider(settings).await?;
        Ok(Self {
            endpoint,
            region,
            kms: KmsSettings::from_settings(settings, Arc::clone(&credentials)),
            credentials,
            path_style: settings.path_style,
            timeouts: Timeouts::default(),
            #[cfg(feature = "embedded-devserver")]
            server: None,
        })
    }

    /// Without the embedded devserver, local mode is refused, never sent elsewhere.
    #[cfg(not(feature = "embedded-devserver"))]
    async fn embedded(_: &Settings, _: &[&str], _: &Output) -> CliResult<Self> {
        Err(without_embedded_devserver(
            "local mode (--local, OSS_ENDPOINT=local)",
        ))
    }

    #[cfg(feature = "embedded-devserver")]
    async fn embedded(settings: &Settings, buckets: &[&str], out: &Output) -> CliResult<Self> {
        let dir = &settings.data_dir;
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::other(format!("devserver data dir {}: {e}", dir.display())))?;
        let config = DevServerConfig::default()
            .with_data_dir(dir.clone())
            .with_buckets(buckets.iter().copied());
        let server = DevServer::start(config).await?;
        out.notice(format!(
            "local mode: using an embedded devserver at {} (data in {}), not OSS",
            server.oss_url(),
            dir.display()
        ));
        Ok(Self::for_devserver(server))
    }

    /// A connection to a devserver started by the caller (kept alive until [`close`](Self::close)).
    #[cfg(feature = "embedded-devserver")]
    pub(crate) fn for_devserver(server: DevServer) -> Self {
        let cred = server.credentials();
        let credentials = crate::credentials::fixed(Credentials::new(
            cred.access_key_id(),
            cred.access_key_secret(),
        ));
        let kms = KmsSettings {
            endpoint: Some(server.kms_url()),
            region: Some(server.region().to_owned()),
            credentials: Some(Arc::clone(&credentials)),
            timeouts: Timeouts::default(),
        };
        Self {
            endpoint: server.oss_url(),
            region: server.region().to_owned(),
            credentials,
            kms,
            path_style: false,
            timeouts: Timeouts::default(),
            server: Some(server),
        }
    }

    /// Uses `timeouts` for OSS and KMS requests.
    pub(crate) fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
        self.kms.timeouts = timeouts;
    }

    /// The host (and port) requests go to, for messages.
    pub(crate) fn host(&self) -> &str {
        crate::net::host_of(&self.endpoint)
    }

    /// Whether requests go to an embedded devserver.
    const fn is_embedded(&self) -> bool {
        #[cfg(feature = "embedded-devserver")]
        return self.server.is_some();
        #[cfg(not(feature = "embedded-devserver"))]
        false
    }

    /// Stops the embedded devserver, if any, after in-flight requests finished.
    pub(crate) async fn close(self) {
        #[cfg(feature = "embedded-devserver")]
        if let Some(server) = self.server {
            server.shutdown().await;
        }
    }

    /// A plaintext OSS client for `bucket`.
    ///
    /// # Errors
    ///
    /// Usage errors for a bad endpoint or bucket name.
    pub(crate) fn client(&self, bucket: &str) -> CliResult<Client> {
        self.builder()
            .with_bucket(bucket)
            .build()
            .map_err(CliError::from)
    }

    /// A client of the service itself (ListBuckets).
    ///
    /// # Errors
    ///
    /// Usage errors for a bad endpoint.
    pub(crate) fn service_client(&self) -> CliResult<ServiceClient> {
        self.builder().build_service().map_err(CliError::from)
    }

    fn builder(&self) -> ClientBuilder {
        Client::builder()
            .with_endpoint(self.endpoint.clone())
            .with_region(self.region.clone())
            .with_credentials_provider(Arc::clone(&self.credentials))
            .with_addressing(if self.path_style {
                Addressing::PathStyle
            } else {
                Addressing::Auto
            })
            .with_user_agent_suffix(concat!("osscrypt/", env!("CARGO_PKG_VERSION")))
            .with_connect_timeout(self.timeouts.connect)
            .with_read_timeout(self.timeouts.read)
    }

    /// A crypto bucket over `bucket` with `keyring` and `options`.
    ///
    /// # Errors
    ///
    /// Usage errors for bad endpoint, bucket name, part size or concurrency.
    pub(crate) fn crypto_bucket(
        &self,
        bucket: &str,
        keyring: Keyring,
        options: CryptoOptions,
    ) -> CliResult<CryptoBucket> {
        CryptoBucket::with_options(self.client(bucket)?, keyring, options).map_err(CliError::from)
    }
}

/// The crypto options of a transfer.
pub(crate) fn crypto_options(transfer: Option<&TransferArgs>, md5: bool) -> CryptoOptions {
    let mut options = CryptoOptions::default().with_compute_md5(md5);
    if let Some(t) = transfer {
        options = options.with_concurrency(t.parallel);
        if let Some(size) = t.part_size {
            options = options.with_part_size(size);
        }
        if let Some(dir) = &t.checkpoint_dir {
            options = options.with_checkpoint_dir(dir.clone());
        }
    }
    options
}

/// The usage error for a command with no endpoint: it names every place one can come from.
fn no_endpoint(settings: &Settings) -> CliError {
    let (file, profile) = (&settings.profile_source.file, &settings.profile_source.name);
    CliError::usage(format!(
        "no OSS endpoint configured: pass --endpoint URL, set OSS_ENDPOINT, or put \
         `endpoint = \"URL\"` in profile [{profile}] of {} (--profile / OSSCRYPT_PROFILE, \
         --config / OSSCRYPT_CONFIG); for the embedded local devserver pass --local or set \
         OSS_ENDPOINT=local",
        file.display()
    ))
}

/// The usage error for `what` (`serve`, `demo`, local mode) in a build without the
/// `embedded-devserver` feature.
#[cfg(not(feature = "embedded-devserver"))]
pub(crate) fn without_embedded_devserver(what: &str) -> CliError {
    CliError::usage(format!(
        "{what} needs the embedded devserver, and this osscrypt was built without it (cargo \
         feature `embedded-devserver`): pass --endpoint URL for OSS or an OSS-compatible \
         server, such as a separately started `oss-devserver`"
    ))
}

/// `cn-hangzhou` from `oss-cn-hangzhou.aliyuncs.com` or `oss-cn-hangzhou-internal...`.
fn region_from_endpoint(endpoint: &str) -> Option<String> {
    let host = endpoint.split("://").last()?.split(['/', ':']).next()?;
    let first = host.strip_prefix("oss-")?.split('.').next()?;
    let region = first.strip_suffix("-internal").unwrap_or(first);
    (host.ends_with(".aliyuncs.com") && !region.is_empty()).then(|| region.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_from_public_endpoints() {
        let r = |e: &str| region_from_endpoint(e);
        assert_eq!(
            r("https://oss-cn-hangzhou.aliyuncs.com").as_deref(),
            Some("cn-hangzhou")
        );
        assert_eq!(
            r("oss-eu-west-1-internal.aliyuncs.com").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(r("http://127.0.0.1:9000"), None);
        assert_eq!(r("https://oss-cn-hangzhou.example.com"), None);
    }
}
