//! Placeholder for the KMS stand-in (owned by the kms helper, who replaces this file).

use axum::Router;
use axum::http::StatusCode;

use crate::credentials::CredentialStore;
use crate::faults::FaultInjector;

/// KMS keys and aliases served by the dev server.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct KmsConfig {}

/// The KMS router (not implemented yet: every request gets 501).
pub(crate) fn router(
    _config: KmsConfig,
    _credentials: CredentialStore,
    _faults: FaultInjector,
) -> Router {
    Router::new().fallback(|| async { StatusCode::NOT_IMPLEMENTED })
}
