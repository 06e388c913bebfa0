//! [`KmsClient`]: GenerateDataKey, Encrypt and Decrypt over HTTP with RPC signature V1
//! (kms-api §2, §4), timeouts and retries.

use core::fmt;
use core::time::Duration;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use oss_credentials::{CredentialsProvider, StaticCredentials};
use oss_signing::{Credentials, percent_encode, rpc, time};
use oss_transport::{HttpSettings, RetryConfig};
use rand::RngExt as _;
use zeroize::Zeroizing;

use super::response::{self, Decrypted, Encrypted, GeneratedDataKey};
use crate::error::{Error, Result};

/// KMS API version.
pub const API_VERSION: &str = "2016-01-20";

/// KMS answers are small JSON documents (a data key, a blob); larger ones are refused.
const MAX_ANSWER: usize = 64 * 1024;

/// The KMS client's default retry policy (kms-api §2.2): 4 attempts, backoff from 100 ms up
/// to 5 s.
#[must_use]
pub fn default_retry() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(5))
}

/// The KMS client's default timeouts: [`HttpSettings::default`] with 10 s for a whole attempt
/// (answers are small, so a slow one is a stalled one).
#[must_use]
pub fn default_http_settings() -> HttpSettings {
    HttpSettings::default().with_request_timeout(Some(Duration::from_secs(10)))
}

/// Where the KMS API is reached (kms-api §1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KmsEndpoint {
    /// `https://kms.<region>.aliyuncs.com`.
    Public,
    /// `https://kms-vpc.<region>.aliyuncs.com`.
    Vpc,
    /// Any base URL, for example a KMS instance or `http://127.0.0.1:<port>`.
    Custom(String),
}

/// Builder of a [`KmsClient`].
#[derive(Debug)]
pub struct KmsClientBuilder {
    credentials: Arc<dyn CredentialsProvider>,
    region: Option<String>,
    endpoint: KmsEndpoint,
    http: HttpSettings,
    retry: RetryConfig,
}

impl KmsClientBuilder {
    /// The region id; selects the public or VPC endpoint and is sent as `RegionId`.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The endpoint kind (default [`KmsEndpoint::Public`]).
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: KmsEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Total time allowed for one attempt (default 10 s).
    #[must_use]
    pub const fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http.request_timeout = Some(timeout);
        self
    }

    /// Time allowed to connect (default 10 s).
    #[must_use]
    pub const fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.http.connect_timeout = timeout;
        self
    }

    /// All timeouts at once (default [`default_http_settings`]).
    #[must_use]
    pub const fn with_http_settings(mut self, http: HttpSettings) -> Self {
        self.http = http;
        self
    }

    /// The retry policy (default [`default_retry`]).
    #[must_use]
    pub const fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a public or VPC endpoint has no region, or the HTTP client
    /// cannot be created.
    pub fn build(self) -> Result<KmsClient> {
        let base_url = match (&self.endpoint, &self.region) {
            (KmsEndpoint::Custom(url), _) => url.trim_end_matches('/').to_owned(),
            (KmsEndpoint::Public, Some(region)) => format!("https://kms.{region}.aliyuncs.com"),
            (KmsEndpoint::Vpc, Some(region)) => format!("https://kms-vpc.{region}.aliyuncs.com"),
            (_, None) => return Err(Error::Config("kms endpoint needs a region".into())),
        };
        let user_agent = concat!("oss-crypto-keywrap/", env!("CARGO_PKG_VERSION"));
        let http = self
            .http
            .build_client(&base_url, user_agent)
            .map_err(|e| Error::Config(format!("cannot create the http client: {e}")))?;
        Ok(KmsClient {
            http,
            base_url,
            region: self.region,
            credentials: self.credentials,
            retry: self.retry,
        })
    }
}

/// A signed request: every intermediate string of the signature and the URL to POST.
///
/// The URL may carry a plaintext (Encrypt) and is therefore zeroized on drop and not printed.
pub struct SignedRequest {
    /// The sorted, encoded parameters without `Signature`.
    pub canonical_query: String,
    /// `POST&%2F&…`.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1.
    pub signature: String,
    /// `<base>/?<canonical query>&Signature=<encoded signature>`.
    pub url: Zeroizing<String>,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// An Alibaba Cloud KMS client (RPC API, signature V1).
#[derive(Clone)]
pub struct KmsClient {
    http: reqwest::Client,
    base_url: String,
    region: Option<String>,
    credentials: Arc<dyn CredentialsProvider>,
    retry: RetryConfig,
}

impl KmsClient {
    /// A builder with fixed AccessKey (or STS, see [`Credentials::with_security_token`])
    /// credentials.
    #[must_use]
    pub fn builder(credentials: Credentials) -> KmsClientBuilder {
        Self::builder_with_provider(Arc::new(StaticCredentials::new(credentials)))
    }

    /// A builder whose requests take their credentials from `provider`, asked before every
    /// attempt (for example a [`CredentialsChain`](oss_credentials::CredentialsChain), whose
    /// temporary credentials are refreshed before they expire).
    #[must_use]
    pub fn builder_with_provider(provider: Arc<dyn CredentialsProvider>) -> KmsClientBuilder {
        KmsClientBuilder {
            credentials: provider,
            region: None,
            endpoint: KmsEndpoint::Public,
            http: default_http_settings(),
            retry: default_retry(),
        }
    }

    /// The base URL requests go to.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Builds and signs a request with `credentials`: `params` are the action's own
    /// parameters; the common parameters (kms-api §4.1, as the Python core SDK sends them) are
    /// added here.
    #[must_use]
    pub fn sign_request(
        &self,
        credentials: &Credentials,
        action: &str,
        params: &[(&str, &str)],
        nonce: &str,
        unix_time: u64,
    ) -> SignedRequest {
        let timestamp = time::iso8601_extended(unix_time);
        let mut all: Vec<(&str, &str)> = params.to_vec();
        all.extend([
            ("Action", action),
            ("Version", API_VERSION),
            ("Format", "JSON"),
            ("AccessKeyId", credentials.access_key_id()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", nonce),
            ("SignatureType", ""),
            ("Timestamp", &timestamp),
        ]);
        if let Some(region) = &self.region {
            all.push(("RegionId", region));
        }
        if let Some(token) = credentials.security_token() {
            all.push(("SecurityToken", token.expose_secret()));
        }
        let signed = rpc::v1::sign("POST", &all, credentials.access_key_secret());
        let url = Zeroizing::new(format!(
            "{}/?{}&Signature={}",
            self.base_url,
            signed.canonical_query,
            percent_encode(&signed.signature)
        ));
        SignedRequest {
            canonical_query: signed.canonical_query,
            string_to_sign: signed.string_to_sign,
            signature: signed.signature,
            url,
        }
    }

    /// GenerateDataKey with `KeySpec=AES_256` and `NumberOfBytes=32`.
    ///
    /// # Errors
    ///
    /// [`Error::Kms`] for an error answer, [`Error::Transport`] when no usable answer arrived,
    /// [`Error::Credentials`] when the provider has no credentials.
    pub async fn generate_data_key(
        &self,
        key_id: &str,
        context: Option<&str>,
    ) -> Result<GeneratedDataKey> {
        let mut params = vec![
            ("KeyId", key_id),
            ("KeySpec", "AES_256"),
            ("NumberOfBytes", "32"),
        ];
        params.extend(context.map(|c| ("EncryptionContext", c)));
        response::generated(&self.call("GenerateDataKey", &params).await?)
    }

    /// Encrypt of a (base64 or decimal) text.
    ///
    /// # Errors
    ///
    /// As [`generate_data_key`](Self::generate_data_key).
    pub async fn encrypt(
        &self,
        key_id: &str,
        plaintext: &str,
        context: Option<&str>,
    ) -> Result<Encrypted> {
        let mut params = vec![("KeyId", key_id), ("Plaintext", plaintext)];
        params.extend(context.map(|c| ("EncryptionContext", c)));
        response::encrypted(&self.call("Encrypt", &params).await?)
    }

    /// Decrypt of a blob.
    ///
    /// # Errors
    ///
    /// As [`generate_data_key`](Self::generate_data_key); a context mismatch is a KMS error.
    pub async fn decrypt(&self, ciphertext_blob: &str, context: Option<&str>) -> Result<Decrypted> {
        let mut params = vec![("CiphertextBlob", ciphertext_blob)];
        params.extend(context.map(|c| ("EncryptionContext", c)));
        response::decrypted(&self.call("Decrypt", &params).await?)
    }

    /// Sends a request, re-signing (with the provider's current credentials) and retrying
    /// retryable failures with backoff.
    async fn call(&self, action: &str, params: &[(&str, &str)]) -> Result<Zeroizing<Vec<u8>>> {
        self.retry
            .run(
                oss_transport::host_of(&self.base_url),
                action,
                Error::is_retryable,
                |_| async {
                    let credentials = self.credentials.credentials().await?;
                    let request =
                        self.sign_request(&credentials, action, params, &hex_nonce(), unix_now());
                    self.attempt(action, &request.url).await
                },
            )
            .await
    }

    async fn attempt(&self, action: &str, url: &str) -> Result<Zeroizing<Vec<u8>>> {
        let response = self
            .http
            .post(url)
            .header("x-acs-action", action)
            .header("x-acs-version", API_VERSION)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let mut body = Zeroizing::new(Vec::new());
        oss_transport::read_capped(response, MAX_ANSWER, &mut body)
            .await
            .map_err(|e| match e {
                oss_transport::BodyError::Transport(e) => transport(e),
                too_large => Error::transport(too_large, false),
            })?;
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(Error::Kms(response::error(status, &body)))
        }
    }
}

/// A transport error without its URL (which can carry an Encrypt plaintext).
fn transport(error: reqwest::Error) -> Error {
    let retryable = oss_transport::is_retryable(&error);
    Error::transport(error.without_url(), retryable)
}

fn hex_nonce() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl fmt::Debug for KmsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsClient")
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
