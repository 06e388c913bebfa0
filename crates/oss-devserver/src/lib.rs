//! A local server that speaks the OSS REST subset and the KMS RPC API, for tests and demos.
//!
//! The full description (dev credentials, a runnable example, binary flags, Python SDK
//! examples, fault rules, security notes, crate features, performance) is the crate README,
//! included below.
#![doc = include_str!("../README.md")]

mod addressing;
mod auth;
mod config;
pub mod credentials;
mod etag;
pub mod faults;
mod kms;
mod metadata;
mod oss;
mod oss_error;
mod server;
mod setup_error;
mod store;
mod xml;

use core::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

// The public interface is:
pub use config::{CseStrictness, DEFAULT_REGION, DevServerConfig, MAX_SINGLE_PUT};
pub use credentials::{CredentialStore, DevCredential};
pub use faults::{FaultAction, FaultInjector, FaultRule, Trigger};
pub use kms::{
    FixtureError, KeyState, KmsConfig, KmsHandle, KmsKey, KmsRequestRecord, SignatureVerdict,
};
pub use setup_error::{Error, Result};

/// A running dev server (OSS and KMS listeners). Dropping it stops accepting connections;
/// [`DevServer::shutdown`] also waits for open connections to finish.
#[derive(Debug)]
pub struct DevServer {
    oss_addr: SocketAddr,
    kms_addr: SocketAddr,
    region: String,
    credentials: CredentialStore,
    default_credential: DevCredential,
    faults: FaultInjector,
    kms: KmsHandle,
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })
}

fn local_addr(listener: &TcpListener, addr: SocketAddr) -> Result<SocketAddr> {
    listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })
}

impl DevServer {
    /// Binds both listeners and starts serving.
    ///
    /// # Errors
    ///
    /// [`Error::NonLoopbackListen`] for a listen address off this machine that the
    /// configuration does not allow, [`Error::Bind`] when a listener cannot bind,
    /// [`Error::DataDir`] when the data directory cannot be used, [`Error::InvalidBucketName`]
    /// for a bad configured bucket.
    pub async fn start(config: DevServerConfig) -> Result<Self> {
        for addr in [config.oss_listen, config.kms_listen] {
            if !addr.ip().is_loopback() && !config.allow_non_loopback {
                return Err(Error::NonLoopbackListen(addr));
            }
        }
        let default_credential = config
            .credentials
            .first()
            .cloned()
            .unwrap_or_else(DevCredential::dev_default);
        let credentials = CredentialStore::new(config.credentials.clone());
        let faults = FaultInjector::new(config.faults.clone(), config.fault_seed);
        let oss_listener = bind(config.oss_listen).await?;
        let kms_listener = bind(config.kms_listen).await?;
        let oss_addr = local_addr(&oss_listener, config.oss_listen)?;
        let kms_addr = local_addr(&kms_listener, config.kms_listen)?;
        let oss_router = oss::router(&config, credentials.clone(), faults.clone()).await?;
        let kms_config = config.kms.clone().with_region(&config.region);
        let kms = kms_config.handle();
        let lifetime = config.temporary_credentials_lifetime;
        let kms_router = kms::router(kms_config, credentials.clone(), faults.clone(), lifetime)
            .merge(metadata::router(credentials.clone(), lifetime));
        let cancel = CancellationToken::new();
        let tasks = vec![
            tokio::spawn(server::serve(oss_listener, oss_router, cancel.clone())),
            tokio::spawn(server::serve(kms_listener, kms_router, cancel.clone())),
        ];
        Ok(Self {
            oss_addr,
            kms_addr,
            region: config.region,
            credentials,
            default_credential,
            faults,
            kms,
            cancel,
            tasks,
        })
    }

    /// Base URL of the OSS endpoint, `http://127.0.0.1:<port>` (no trailing slash).
    pub fn oss_url(&self) -> String {
        format!("http://{}", self.oss_addr)
    }

    /// Base URL of the KMS endpoint.
    pub fn kms_url(&self) -> String {
        format!("http://{}", self.kms_addr)
    }

    /// Base URL of the STS stand-in (the KMS listener; `AssumeRole`, `AssumeRoleWithOIDC`).
    pub fn sts_url(&self) -> String {
        self.kms_url()
    }

    /// Base URL of the ECS instance-metadata stand-in (the KMS listener, paths `/latest/…`).
    pub fn metadata_url(&self) -> String {
        self.kms_url()
    }

    /// The OSS listen address.
    pub fn oss_addr(&self) -> SocketAddr {
        self.oss_addr
    }

    /// The KMS listen address.
    pub fn kms_addr(&self) -> SocketAddr {
        self.kms_addr
    }

    /// The region id to sign V4 requests with.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The first configured access key (the documented dev key by default).
    pub fn credentials(&self) -> &DevCredential {
        &self.default_credential
    }

    /// Every accepted access key.
    pub fn credential_store(&self) -> &CredentialStore {
        &self.credentials
    }

    /// The fault rules, changeable while the server runs.
    pub fn faults(&self) -> &FaultInjector {
        &self.faults
    }

    /// The KMS keys, aliases and request log, changeable while the server runs.
    pub fn kms(&self) -> &KmsHandle {
        &self.kms
    }

    /// Stops accepting, lets in-flight requests finish, and waits for every connection to close.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        for task in self.tasks.drain(..) {
            // A panicked serve task has nothing left to clean up.
            let _ = task.await;
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
