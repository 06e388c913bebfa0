//! Alibaba Cloud KMS master keys (wrap algorithm `KMS/ALICLOUD`).
//!
//! [`KmsClient`] speaks the KMS RPC API (GenerateDataKey, Encrypt, Decrypt) over reqwest with
//! signature V1 (HMAC-SHA1), AccessKey or STS credentials, public, VPC or custom endpoints,
//! timeouts, and retries with jittered backoff on throttling, 5xx and connection errors.
//! [`KmsMasterKey`] turns a customer master key into a [`MasterKey`](crate::MasterKey).
//!
//! ```no_run
//! use std::sync::Arc;
//! use oss_keywrap::kms::{Credentials, KmsClient, KmsMasterKey};
//!
//! # fn demo() -> oss_keywrap::Result<()> {
//! let client = KmsClient::builder(Credentials::new("LTAI…", "secret"))
//!     .with_region("cn-hangzhou")
//!     .build()?;
//! let key = KmsMasterKey::new(Arc::new(client), "alias/my-key").with_passphrase("pass")?;
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
pub use error::KmsError;
pub use oss_envelope::KmsFlavour;
pub use oss_signing::Credentials;
pub use oss_transport::{HttpSettings, RetryConfig};
pub use provider::KmsMasterKey;
pub use response::{Decrypted, Encrypted, GeneratedDataKey};
