//! Master keys for OSS client-side encryption: RSA and Alibaba Cloud KMS providers behind
//! traits, and a [`Keyring`] that picks the key for an object by its material description.
//!
//! A master key wraps and unwraps the content material of an object (its 32-byte data key and
//! 16-byte IV, [`oss_envelope::ContentMaterial`]) and says which wrap algorithm and which
//! matdesc it stands for. Users plug in their own (an HSM, another KMS) by implementing
//! [`MasterKey`] (async) or [`WrapKey`] (sync, CPU-only; lifted to [`MasterKey`] by a blanket
//! impl).
//!
//! * [`rsa::RsaMasterKey`]: PKCS#1 v1.5 wrapping; OAEP-SHA1 unwrapping for V1 objects and V2
//!   objects that declare it. Keys from PEM or DER (PKCS#1, PKCS#8, encrypted PKCS#8, SPKI).
//! * `kms::KmsMasterKey`: Alibaba Cloud KMS, both header flavours (spec §6.3; feature `kms`).
//!
//! Use this crate if you need to wrap or unwrap OSS envelope key material yourself, or to plug a
//! custom master key into `oss-crypto-bucket` (whose `CryptoBucket` takes a [`Keyring`]).
//!
//! # Example
//!
//! An RSA round trip: a fresh data key and IV are wrapped into a V2 envelope and unwrapped
//! again; another RSA key cannot unwrap them.
//!
//! ```
//! use oss_keywrap::{Keyring, MasterKey};
//! use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
//! # fn key() -> RsaPrivateKey {
//! #     let rsa = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 1024).unwrap();
//! #     RsaPrivateKey::from_rsa(rsa).unwrap()
//! # }
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let keyring = Keyring::new(RsaMasterKey::new(key()));
//! let (material, envelope) = keyring.generate().await?;
//! let unwrapped = keyring.unwrap_envelope(&envelope).await?;
//! assert_eq!(unwrapped.data_key().as_bytes(), material.data_key().as_bytes());
//! assert_eq!(unwrapped.iv().as_bytes(), material.iv().as_bytes());
//!
//! let stranger = Keyring::new(RsaMasterKey::new(key()));
//! match stranger.unwrap_envelope(&envelope).await {
//!     // no matdesc on this object, so no description to name
//!     Err(oss_keywrap::Error::KeyFailed { source }) => {
//!         assert!(matches!(*source, oss_keywrap::Error::Unwrap));
//!     }
//!     other => panic!("expected an unwrap failure, got {other:?}"),
//! }
//! # Ok::<_, oss_keywrap::Error>(())
//! # }).unwrap();
//! ```
//!
//! # ⚠️ Security
//!
//! Every unwrap failure is the single opaque [`Error::Unwrap`] ("wrong key or corrupt
//! envelope"): no padding, length or decryption detail that could serve as an oracle. A wrong
//! key does not yield `Ok` with garbage: RSA PKCS#1 v1.5 unwrapping checks the complete padding
//! for the exact expected length in constant time instead of relying on implicit rejection (a
//! wrong key would have to pass that check by chance, about 2^-24, for both the data key and
//! the IV).
//!
//! RSA private operations and RUSTSEC-2023-0071 (Marvin, a timing side channel in the `rsa`
//! crate's private operation, no patched release at its last update): with the default
//! feature `aws-lc`, keys of 2048 bits and more are decrypted by AWS-LC, whose private
//! operation is constant-time and blinded and whose padding checks are constant-time; the
//! advisory does not apply to them. Keys below 2048 bits (AWS-LC refuses them), and every key
//! in builds without `aws-lc`, use the `rsa` crate with blinding and the CRT check and our
//! constant-time padding check: the advisory still applies to its raw operation there, so use
//! keys of at least 2048 bits with the default features where timing is observable. Success or
//! failure of an unwrap stays visible by nature; it is one opaque error either way.
//! Keys, credentials and unwrapped material never appear in `Debug` output; intermediate
//! buffers of RSA unwrapping are zeroized, and so is unwrapped material ([`oss_envelope`]).
//!
//! KMS `GenerateDataKey` and `Decrypt` answers carry the plaintext data key: the default
//! endpoints are `https://kms[-vpc].<region>.aliyuncs.com`; a custom `http://` endpoint is for
//! local test servers only. KMS requests carry the RPC V1 signature (HMAC-SHA1) of
//! `oss-signing`; the plaintext from the answers is held in zeroizing buffers.
//!
//! # Crate features
//!
//! * `aws-lc` (default): RSA operations from AWS-LC for keys of 2048 bits and more: the
//!   private ones (unwrapping, about 6x faster for RSA-2048, constant-time; see above) and the
//!   public ones (wrapping, about 5x faster). Without it the pure-Rust `rsa` crate does them.
//! * `kms` (default): the `kms` module: Alibaba Cloud KMS master keys
//!   and their HTTP client. Without it the crate does not depend on reqwest, tokio or the
//!   credential chain (`cargo tree -p oss-keywrap --no-default-features -e normal` lists
//!   neither), and [`Error`] has no `Kms` / `Credentials` variants.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod keyring;
mod material;
mod traits;

#[cfg(feature = "kms")]
#[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
pub mod kms;
pub mod rsa;

// The public interface.
pub use crate::error::{BoxError, Error, Result};
pub use crate::keyring::{Keyring, Selection};
pub use crate::material::{EnvelopeVersion, WrappedMaterial};
pub use crate::traits::{DynMasterKey, KeyDescription, MasterKey, WrapKey};
pub use oss_envelope;
