//! The KMS stand-in: the RPC API subset OSS client-side encryption uses (GenerateDataKey,
//! Encrypt, Decrypt; kms-api.md §8), with V1 and V3 signature checks, STS tokens, clock-skew and
//! nonce-replay checks, keys with aliases, ARNs, versions and states, EncryptionContext binding,
//! fixture blobs, fault injection and an inspectable request log.
//!
//! Blob format: see `kms/blob.rs`. Keys: [`KmsKey`], configured through [`KmsConfig`] and
//! changed at run time through [`KmsHandle`], which also reads the request log.
//!
//! The same listener serves the STS stand-in (`Version=2015-04-01`: AssumeRole, signed and
//! checked like KMS calls, and AssumeRoleWithOIDC; see `kms/sts.rs`).
//!
//! Fault rules (see [`crate::faults`]) name KMS operations `kms:<Action>` (`kms:Decrypt`, …):
//! `Status` answers with that status (500 → `InternalFailure`, 503 →
//! `ServiceUnavailableTemporary`, other codes as given, e.g. 400 `Rejected.Throttling`),
//! `KmsThrottling` answers 400 `Throttling`, `Delay` answers late, `ResetAfter(0)` drops the
//! connection before the request body is read, `ResetAfter(k)` runs the action and drops the
//! connection after `k` bytes of the answer, `CorruptByte(k)` flips a bit of answer byte `k`.

mod actions;
mod auth;
mod blob;
mod config;
mod context;
mod faults;
mod keys;
mod kms_error;
mod log;
mod params;
mod registry;
mod service;
mod state;
mod sts;

use core::time::Duration;
use std::sync::Arc;

use axum::Router;

pub use config::{FixtureError, KmsConfig};
pub use keys::{KeyState, KmsKey};
pub use log::{KmsRequestRecord, SignatureVerdict};
pub use state::KmsHandle;

use crate::credentials::CredentialStore;
use crate::faults::FaultInjector;

/// The KMS router: every path and method goes to one handler (KMS serves `/` only, and
/// answers errors for the rest in its own JSON form).
pub(crate) fn router(
    config: KmsConfig,
    credentials: CredentialStore,
    faults: FaultInjector,
    temporary_lifetime: Duration,
) -> Router {
    let service = service::Service {
        handle: config.handle(),
        credentials,
        faults,
        temporary_lifetime,
    };
    Router::new()
        .fallback(service::handle)
        .with_state(Arc::new(service))
}
