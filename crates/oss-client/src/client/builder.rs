//! [`ClientBuilder`]: endpoint, region, bucket, addressing, signing, timeouts, retries.

use core::fmt;
use core::sync::atomic::AtomicI64;
use core::time::Duration;
use std::sync::Arc;

use super::endpoint::{Addressing, Endpoint};
use super::{Client, Inner, ServiceClient};
use crate::RetryConfig;
use crate::error::{Error, Result};
use crate::sign::{SignatureVersion, Signer};
use oss_credentials::{
    ChainConfig, Credentials, CredentialsChain, CredentialsProvider, StaticCredentials,
};
use oss_transport::HttpSettings;

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    bucket: Option<String>,
    addressing: Addressing,
    signature_version: SignatureVersion,
    product: String,
    credentials: Option<Arc<dyn CredentialsProvider>>,
    http: HttpSettings,
    retry: RetryConfig,
    user_agent_suffix: Option<String>,
    check_crc: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("addressing", &self.addressing)
            .field("signature_version", &self.signature_version)
            .field("credentials", &self.credentials)
            .field("http", &self.http)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// Defaults: V4, automatic addressing, [`HttpSettings::default`] (connect 10 s, read-idle
    /// 20 s, no total timeout: the alibabacloud-oss-v2 defaults), 3 attempts, CRC checks on.
    pub fn new() -> Self {
        Self {
            endpoint: None,
            region: None,
            bucket: None,
            addressing: Addressing::Auto,
            signature_version: SignatureVersion::V4,
            product: oss_signing::oss_v4::PRODUCT.to_owned(),
            credentials: None,
            http: HttpSettings::default(),
            retry: RetryConfig::default(),
            user_agent_suffix: None,
            check_crc: true,
        }
    }

    /// Endpoint: `oss-cn-hangzhou.aliyuncs.com` (https), or with an explicit `http://`.
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Region id used by V4 signing (e.g. `cn-hangzhou`). Without an endpoint, the endpoint
    /// becomes `oss-<region>.aliyuncs.com`.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The bucket.
    #[must_use]
    pub fn with_bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// Addressing style (default: virtual-hosted, path style for IP endpoints).
    #[must_use]
    pub fn with_addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// Signature version (default V4).
    #[must_use]
    pub fn with_signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// V4 product in the scope (`oss`; `oss-cloudbox` for CloudBox).
    #[must_use]
    pub fn with_product(mut self, product: impl Into<String>) -> Self {
        self.product = product.into();
        self
    }

    /// Any credentials provider.
    #[must_use]
    pub fn with_credentials_provider(mut self, provider: Arc<dyn CredentialsProvider>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Fixed credentials.
    #[must_use]
    pub fn with_credentials(self, credentials: Credentials) -> Self {
        self.with_credentials_provider(Arc::new(StaticCredentials::new(credentials)))
    }

    /// All timeouts at once (see [`HttpSettings`]).
    #[must_use]
    pub fn with_http_settings(mut self, http: HttpSettings) -> Self {
        self.http = http;
        self
    }

    /// Connect timeout.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.http.connect_timeout = timeout;
        self
    }

    /// Longest wait for any single read (a stalled transfer fails and may be retried).
    #[must_use]
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.http.read_timeout = timeout;
        self
    }

    /// Total time limit per attempt, including the body (none by default: bodies are large).
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.http.request_timeout = Some(timeout);
        self
    }

    /// Retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Appended to the User-Agent as `/<suffix>`.
    #[must_use]
    pub fn with_user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Turns CRC-64 verification of transfers on or off (on by default).
    #[must_use]
    pub fn with_crc_check(mut self, on: bool) -> Self {
        self.check_crc = on;
        self
    }

    fn user_agent(&self) -> String {
        let base = format!(
            "oss-crypto-client/{} ({}/{})",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        match &self.user_agent_suffix {
            Some(suffix) => format!("{base}/{suffix}"),
            None => base,
        }
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a missing bucket/region/endpoint or a bad endpoint or
    /// bucket name; [`Error::Transport`] when the HTTP stack cannot be initialised.
    pub fn build(self) -> Result<Client> {
        let bucket = self
            .bucket
            .clone()
            .ok_or_else(|| Error::InvalidArgument("bucket is required".into()))?;
        self.build_for(Some(bucket))
    }

    /// Builds a client of the service itself, for requests that name no bucket
    /// (ListBuckets); the bucket, if one was set, is not used.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a missing region or a bad endpoint;
    /// [`Error::Transport`] when the HTTP stack cannot be initialised.
    pub fn build_service(self) -> Result<ServiceClient> {
        Ok(ServiceClient {
            client: self.build_for(None)?,
        })
    }

    fn build_for(self, bucket: Option<String>) -> Result<Client> {
        let region = self
            .region
            .clone()
            .ok_or_else(|| Error::InvalidArgument("region is required".into()))?;
        let endpoint_text = self
            .endpoint
            .clone()
            .unwrap_or_else(|| format!("oss-{region}.aliyuncs.com"));
        let endpoint = Endpoint::parse(&endpoint_text, bucket.as_deref(), self.addressing)?;
        let credentials = match self.credentials.clone() {
            Some(provider) => provider,
            None => Arc::new(CredentialsChain::new(ChainConfig::default())),
        };
        let http = self
            .http
            .build_client(endpoint.base(), &self.user_agent())
            .map_err(|e| Error::transport("build client", e))?;
        let signer = Signer {
            version: self.signature_version,
            region,
            product: self.product,
            bucket,
        };
        let inner = Inner {
            http,
            endpoint,
            signer,
            credentials,
            retry: self.retry,
            check_crc: self.check_crc,
            clock_offset: AtomicI64::new(0),
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_debug_hides_secrets() {
        let client = ClientBuilder::new()
            .with_region("cn-hangzhou")
            .with_bucket("bucket")
            .with_credentials(
                Credentials::new("AKID", "the-secret").with_security_token("the-token"),
            )
            .build()
            .unwrap();
        let text = format!("{client:?}");
        assert!(
            text.contains("bucket.oss-cn-hangzhou.aliyuncs.com"),
            "{text}"
        );
        assert!(!text.contains("the-secret") && !text.contains("the-token"));
        assert!(ClientBuilder::new().with_region("r").build().is_err());
        assert!(ClientBuilder::new().with_bucket("bucket").build().is_err());
        let service = ClientBuilder::new()
            .with_region("cn-hangzhou")
            .with_credentials(Credentials::new("AKID", "the-secret"))
            .build_service()
            .unwrap();
        let text = format!("{service:?}");
        assert!(
            text.contains("\"https://oss-cn-hangzhou.aliyuncs.com\"")
                && !text.contains("the-secret"),
            "{text}"
        );
        let bad = ClientBuilder::new()
            .with_region("r")
            .with_bucket("bucket")
            .with_endpoint("ftp://x");
        assert!(
            bad.with_credentials(Credentials::new("a", "b"))
                .build()
                .is_err()
        );
    }
}
