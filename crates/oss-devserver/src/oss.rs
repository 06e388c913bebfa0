//! The OSS REST endpoint (being built: answers 501 for now).

use axum::Router;
use axum::http::StatusCode;

use crate::config::DevServerConfig;
use crate::credentials::CredentialStore;
use crate::error::Result;
use crate::faults::FaultInjector;

/// Builds the OSS router.
///
/// # Errors
///
/// Storage setup errors.
pub(crate) async fn router(
    _config: &DevServerConfig,
    _credentials: CredentialStore,
    _faults: FaultInjector,
) -> Result<Router> {
    Ok(Router::new().fallback(|| async { StatusCode::NOT_IMPLEMENTED }))
}
