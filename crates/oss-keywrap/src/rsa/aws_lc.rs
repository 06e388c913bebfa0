//! The AWS-LC backend of the RSA operations (feature `aws-lc`, the default): unwrapping with
//! a private key and wrapping (PKCS#1 v1.5 encryption, padded from AWS-LC's own generator)
//! with a public one.
//!
//! AWS-LC's private operation is constant-time and blinded, and its PKCS#1 v1.5 and OAEP
//! padding checks are constant-time; the only outcome left visible is success or failure,
//! which [`Error::Unwrap`] makes one opaque error, as the pure-Rust path does. AWS-LC refuses
//! moduli below 2048 bits: those keys stay on the pure-Rust path.

use aws_lc_rs::rsa::{
    OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, Pkcs1PrivateDecryptingKey,
    Pkcs1PublicEncryptingKey, PrivateDecryptingKey, PublicEncryptingKey,
};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// One private key loaded into AWS-LC for both paddings.
pub(crate) struct AwsLcKey {
    pkcs1: Pkcs1PrivateDecryptingKey,
    oaep: OaepPrivateDecryptingKey,
}

impl AwsLcKey {
    /// The key in AWS-LC, or `None` when AWS-LC refuses it (moduli below 2048 bits, more than
    /// two primes).
    pub(crate) fn new(key: &rsa::PrivateKey) -> Option<Self> {
        // A zeroizing PKCS#8 document: the only form AWS-LC's safe interface loads.
        let der = key.to_pkcs8_der().ok()?;
        let load = || PrivateDecryptingKey::from_pkcs8(der.as_bytes()).ok();
        Some(Self {
            pkcs1: Pkcs1PrivateDecryptingKey::new(load()?).ok()?,
            oaep: OaepPrivateDecryptingKey::new(load()?).ok()?,
        })
    }

    /// PKCS#1 v1.5 decryption of a message that must be exactly `N` bytes.
    pub(crate) fn pkcs1v15_decrypt_exact<const N: usize>(
        &self,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<[u8; N]>> {
        let mut buffer = Zeroizing::new(vec![0u8; self.pkcs1.min_output_size()]);
        let message = self
            .pkcs1
            .decrypt(ciphertext, &mut buffer)
            .map_err(|_| Error::Unwrap)?;
        let mut out = Zeroizing::new([0u8; N]);
        if message.len() != N {
            return Err(Error::Unwrap);
        }
        out.copy_from_slice(message);
        Ok(out)
    }

    /// RSA-OAEP decryption (SHA-1, MGF1-SHA-1, empty label).
    pub(crate) fn oaep_sha1_decrypt(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let mut buffer = Zeroizing::new(vec![0u8; self.oaep.min_output_size()]);
        let message = self
            .oaep
            .decrypt(&OAEP_SHA1_MGF1SHA1, ciphertext, &mut buffer, None)
            .map_err(|_| Error::Unwrap)?;
        Ok(Zeroizing::new(message.to_vec()))
    }
}

/// One public key loaded into AWS-LC for PKCS#1 v1.5 encryption.
pub(crate) struct AwsLcPublicKey(Pkcs1PublicEncryptingKey);

impl AwsLcPublicKey {
    /// The key in AWS-LC, or `None` when AWS-LC refuses it (moduli below 2048 bits).
    pub(crate) fn new(key: &rsa::PublicKey) -> Option<Self> {
        let der = key.to_public_key_der().ok()?;
        let key = PublicEncryptingKey::from_der(der.as_bytes()).ok()?;
        Pkcs1PublicEncryptingKey::new(key).ok().map(Self)
    }

    /// PKCS#1 v1.5 encryption of `message`; `None` when AWS-LC fails (its generator), for the
    /// caller to fall back on the `rsa` crate.
    pub(crate) fn pkcs1v15_encrypt(&self, message: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; self.0.ciphertext_size()];
        let len = self.0.encrypt(message, &mut out).ok()?.len();
        out.truncate(len);
        Some(out)
    }
}
