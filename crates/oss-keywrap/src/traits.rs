//! The master-key traits: the extension points for RSA, KMS, HSMs or any other key service.
//!
//! * [`MasterKey`] is the async trait the rest of the workspace uses, object safe and usable as
//!   `Arc<dyn MasterKey>` ([`DynMasterKey`]).
//! * [`WrapKey`] is the sync trait for CPU-only providers (RSA); every `WrapKey` is a
//!   `MasterKey` through a blanket impl, as RustCrypto lifts `Signer` to `AsyncSigner`.
//! * [`KeyDescription`] is shared by both: which wrap algorithm a key writes and which material
//!   description (matdesc) it stands for.

use core::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use oss_envelope::{ContentMaterial, Matdesc, WrapAlg};

use crate::error::{Error, Result};
use crate::material::WrappedMaterial;

/// A shared, dynamically dispatched master key.
pub type DynMasterKey = Arc<dyn MasterKey>;

/// What a master key says about itself.
pub trait KeyDescription: Debug + Send + Sync + 'static {
    /// The wrap algorithm this key writes (`wrap-alg` header).
    fn wrap_alg(&self) -> WrapAlg;

    /// The material description this key stands for (`matdesc` header; empty for none).
    fn matdesc(&self) -> &Matdesc;
}

/// A synchronous (CPU-only) master key.
///
/// Implementations must report every unwrap failure as [`Error::Unwrap`] with no further
/// detail, and must never return material that did not unwrap cleanly.
pub trait WrapKey: KeyDescription {
    /// Wraps a data key and IV (V2).
    ///
    /// # Errors
    ///
    /// [`Error::MissingCapability`] for a key that cannot encrypt; provider errors.
    fn wrap_material(&self, material: &ContentMaterial) -> Result<WrappedMaterial>;

    /// Unwraps a data key and IV (or V1 start value).
    ///
    /// # Errors
    ///
    /// [`Error::Unwrap`] for a wrong key or corrupt values; [`Error::UnsupportedAlgorithm`]
    /// for an algorithm this key cannot handle; [`Error::MissingCapability`].
    fn unwrap_material(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial>;
}

/// An asynchronous master key (a remote KMS, an HSM, or any [`WrapKey`]).
#[async_trait]
pub trait MasterKey: KeyDescription {
    /// Creates the content material of a new object and wraps it.
    ///
    /// The default draws a fresh data key and IV from the OS generator and calls
    /// [`wrap`](Self::wrap); a KMS may instead have the service generate the data key.
    ///
    /// # Errors
    ///
    /// [`Error::Randomness`]; the errors of [`wrap`](Self::wrap).
    async fn generate(&self) -> Result<(ContentMaterial, WrappedMaterial)> {
        let material = ContentMaterial::generate_os().map_err(|_| Error::Randomness)?;
        let wrapped = self.wrap(&material).await?;
        Ok((material, wrapped))
    }

    /// Wraps a data key and IV (V2), for example to re-wrap an object under a new key.
    ///
    /// # Errors
    ///
    /// Provider errors; [`Error::MissingCapability`] for a key that cannot encrypt.
    async fn wrap(&self, material: &ContentMaterial) -> Result<WrappedMaterial>;

    /// Unwraps a data key and IV (or V1 start value).
    ///
    /// # Errors
    ///
    /// [`Error::Unwrap`] for a wrong key or corrupt values (never `Ok` with garbage);
    /// [`Error::UnsupportedAlgorithm`]; KMS and transport errors.
    async fn unwrap(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial>;
}

#[async_trait]
impl<T: WrapKey> MasterKey for T {
    async fn wrap(&self, material: &ContentMaterial) -> Result<WrappedMaterial> {
        self.wrap_material(material)
    }

    async fn unwrap(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        self.unwrap_material(wrapped)
    }
}
