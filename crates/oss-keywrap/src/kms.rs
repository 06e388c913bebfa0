//! Alibaba Cloud KMS master keys (wrap algorithm `KMS/ALICLOUD`).
//!
//! [`KmsClient`] speaks the KMS RPC API (GenerateDataKey, Encrypt, Decrypt) over reqwest with
//! signature V1 (HMAC-SHA1), AccessKey or STS credentials, public, VPC or custom endpoints,
//! timeouts, and retries with jittered backoff on throttling, 5xx and connection errors.
//! Credentials come from any [`CredentialsProvider`]: fixed ones, or the Alibaba Cloud
//! chain ([`CredentialsChain`], the same one the OSS client uses: environment, RRSA/OIDC,
//! `~/.aliyun/config.json` profiles, ECS RAM role), whose temporary credentials are refreshed
//! before they expire, one refresh shared by concurrent requests.
//! [`KmsMasterKey`] turns a customer master key into a [`MasterKey`](crate::MasterKey).
//!
//! ```no_run
//! use std::sync::Arc;
//! use oss_keywrap::kms::{ChainConfig, Credentials, CredentialsChain, KmsClient, KmsMasterKey};
//!
//! # fn demo() -> oss_keywrap::Result<()> {
//! let client = KmsClient::builder(Credentials::new("LTAI…", "secret"))
//!     .with_region("cn-hangzhou")
//!     .build()?;
//! let key = KmsMasterKey::new(Arc::new(client), "alias/my-key").with_passphrase("pass")?;
//! // On ECS or ACK, with no static keys: the default chain.
//! let chain = CredentialsChain::new(ChainConfig::default());
//! let client = KmsClient::builder_with_provider(Arc::new(chain))
//!     .with_region("cn-hangzhou")
//!     .build()?;
//! # Ok(()) }
//! ```

mod client;
mod error;
mod flavour;
mod provider;
mod response;

pub use client::{
    API_VERSION, KmsClient, KmsClientBuilder, KmsEndpoint, SignedRequest, default_http_settings,
    default_retry,
};
pub use error::{AccessRefusal, KmsError};
pub use oss_credentials::{
    ChainConfig, CredentialsChain, CredentialsError, CredentialsProvider, Environment,
    StaticCredentials,
};
pub use oss_envelope::KmsFlavour;
pub use oss_signing::Credentials;
pub use oss_transport::{HttpSettings, RetryConfig};
pub use provider::KmsMasterKey;
pub use response::{Decrypted, Encrypted, GeneratedDataKey};
