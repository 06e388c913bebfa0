//! RSA key loading from PEM and DER.
//!
//! Private keys: PKCS#1 (`RSA PRIVATE KEY`), PKCS#8 (`PRIVATE KEY`) and passphrase-encrypted
//! PKCS#8 (`ENCRYPTED PRIVATE KEY`). Public keys: X.509 SubjectPublicKeyInfo (`PUBLIC KEY`) and
//! PKCS#1 (`RSA PUBLIC KEY`). Moduli from 1024 to 4096 bits are accepted (spec §6.1).

use core::fmt;
#[cfg(feature = "aws-lc")]
use std::sync::Arc;

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::der::{Decode, pem};
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef,
    SubjectPublicKeyInfoRef,
};
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

#[cfg(feature = "aws-lc")]
use super::aws_lc::{AwsLcKey, AwsLcPublicKey};

/// Smallest accepted modulus, in bits.
pub const MIN_RSA_BITS: usize = 1024;
/// Largest accepted modulus, in bits.
pub const MAX_RSA_BITS: usize = 4096;

/// A key could not be loaded. Never contains key bytes or the passphrase.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not a PEM document.
    #[error("not a pem document")]
    NotPem,
    /// The PEM label is not one of the supported key kinds.
    #[error("unsupported pem label {0:?} for an rsa {1} key")]
    UnsupportedLabel(String, &'static str),
    /// The DER (or the PEM body) is not a valid RSA key of the expected kind.
    #[error("malformed rsa {0} key")]
    Malformed(&'static str),
    /// An encrypted PKCS#8 key did not decrypt (wrong passphrase or unsupported cipher).
    #[error("cannot decrypt the encrypted private key (wrong passphrase or unsupported scheme)")]
    Decryption,
    /// An encrypted key was given without a passphrase.
    #[error("the private key is encrypted: a passphrase is required")]
    PassphraseRequired,
    /// The modulus size is outside 1024..=4096 bits.
    #[error("rsa modulus of {0} bits is outside {MIN_RSA_BITS}..={MAX_RSA_BITS}")]
    UnsupportedSize(usize),
}

/// An RSA private key. `Debug` shows the modulus size only.
#[derive(Clone)]
pub struct RsaPrivateKey {
    key: rsa::PrivateKey,
    /// The same key in AWS-LC, which does the private operations when it accepts the key.
    #[cfg(feature = "aws-lc")]
    aws_lc: Option<Arc<AwsLcKey>>,
}

/// An RSA public key.
#[derive(Clone)]
pub struct RsaPublicKey {
    key: rsa::PublicKey,
    /// The same key in AWS-LC, which does the public operations (wrapping) when it accepts
    /// the key: about 5x faster than the `rsa` crate for RSA-2048.
    #[cfg(feature = "aws-lc")]
    aws_lc: Option<Arc<AwsLcPublicKey>>,
}

/// Two public keys are equal when their modulus and exponent are: the backend is no part of
/// the key.
impl PartialEq for RsaPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for RsaPublicKey {}

fn check_size(key: &impl PublicKeyParts) -> Result<(), KeyError> {
    let bits = key.size() * 8;
    if (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        Ok(())
    } else {
        Err(KeyError::UnsupportedSize(bits))
    }
}

/// Decodes a PEM document into its label and (secret) DER body.
fn pem_decode(text: &str) -> Result<(String, Zeroizing<Vec<u8>>), KeyError> {
    let (label, der) = pem::decode_vec(text.trim().as_bytes()).map_err(|_| KeyError::NotPem)?;
    Ok((label.to_owned(), Zeroizing::new(der)))
}

/// Why the `rsa` crate refused a DER key: an unsupported modulus size when the structure parses
/// far enough to tell, otherwise malformed.
fn refusal(der: &[u8], kind: &'static str) -> KeyError {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .ok()
        .and_then(|info| info.subject_public_key.as_bytes());
    let pkcs8 = PrivateKeyInfoRef::from_der(der)
        .ok()
        .map(|info| info.private_key.as_bytes());
    let inner = spki.or(pkcs8).unwrap_or(der);
    let modulus = rsa::pkcs1::RsaPublicKeyRef::from_der(inner)
        .map(|key| key.modulus.as_bytes())
        .or_else(|_| {
            rsa::pkcs1::RsaPrivateKeyRef::from_der(inner).map(|key| key.modulus.as_bytes())
        });
    let bits = match modulus {
        Ok([first, rest @ ..]) => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        _ => return KeyError::Malformed(kind),
    };
    if (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        KeyError::Malformed(kind)
    } else {
        KeyError::UnsupportedSize(bits)
    }
}

impl RsaPrivateKey {
    /// Loads an unencrypted private key from PEM (`RSA PRIVATE KEY` or `PRIVATE KEY`).
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the text is not PEM, has another label (an `ENCRYPTED PRIVATE KEY`
    /// gives [`KeyError::PassphraseRequired`]), is malformed or has an unsupported size.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let (label, der) = pem_decode(text)?;
        match label.as_str() {
            "RSA PRIVATE KEY" | "PRIVATE KEY" => Self::from_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(KeyError::PassphraseRequired),
            _ => Err(KeyError::UnsupportedLabel(label, "private")),
        }
    }

    /// Loads a private key from PEM; an `ENCRYPTED PRIVATE KEY` is decrypted with `passphrase`,
    /// other labels are loaded as by [`from_pem`](Self::from_pem).
    ///
    /// # Errors
    ///
    /// As [`from_pem`](Self::from_pem), plus [`KeyError::Decryption`] for a wrong passphrase.
    pub fn from_pem_with_passphrase(text: &str, passphrase: &[u8]) -> Result<Self, KeyError> {
        let (label, der) = pem_decode(text)?;
        if label == "ENCRYPTED PRIVATE KEY" {
            Self::from_encrypted_der(&der, passphrase)
        } else {
            Self::from_pem(text)
        }
    }

    /// Loads an unencrypted private key from DER (PKCS#8 or PKCS#1).
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] or [`KeyError::UnsupportedSize`].
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = rsa::PrivateKey::from_pkcs8_der(der)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_der(der))
            .map_err(|_| refusal(der, "private"))?;
        Self::checked(key)
    }

    /// Loads a passphrase-encrypted PKCS#8 private key from DER.
    ///
    /// # Errors
    ///
    /// [`KeyError::Decryption`] for a wrong passphrase or a malformed document,
    /// [`KeyError::UnsupportedSize`].
    pub fn from_encrypted_der(der: &[u8], passphrase: &[u8]) -> Result<Self, KeyError> {
        let document =
            EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| KeyError::Decryption)?;
        let plain = document
            .decrypt(passphrase)
            .map_err(|_| KeyError::Decryption)?;
        Self::from_der(plain.as_bytes())
    }

    /// Wraps an `rsa` crate key after checking its size.
    ///
    /// # Errors
    ///
    /// [`KeyError::UnsupportedSize`].
    pub fn from_rsa(key: rsa::PrivateKey) -> Result<Self, KeyError> {
        Self::checked(key)
    }

    fn checked(key: rsa::PrivateKey) -> Result<Self, KeyError> {
        check_size(&key)?;
        Ok(Self {
            #[cfg(feature = "aws-lc")]
            aws_lc: AwsLcKey::new(&key).map(Arc::new),
            key,
        })
    }

    /// The matching public key, on the same backend (a key forced onto the pure-Rust
    /// backend gives a public key that is too).
    #[must_use]
    pub fn public_key(&self) -> RsaPublicKey {
        let public = RsaPublicKey::with_backends(self.key.to_public_key());
        if self.aws_lc().is_some() {
            public
        } else {
            public.with_pure_rust_backend()
        }
    }

    /// Modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    /// The library that does this key's private operations: `"aws-lc"` (feature `aws-lc`,
    /// moduli of 2048 bits and more) or `"rsa"` (the pure-Rust `rsa` crate).
    #[must_use]
    pub fn backend(&self) -> &'static str {
        if self.aws_lc().is_some() {
            "aws-lc"
        } else {
            "rsa"
        }
    }

    /// The same key with every private operation done by the pure-Rust `rsa` crate, even
    /// where AWS-LC would take it: for benchmarks and cross-checks of the two backends.
    /// Results are identical; the `rsa` crate is several times slower.
    #[must_use]
    pub fn with_pure_rust_backend(self) -> Self {
        Self {
            #[cfg(feature = "aws-lc")]
            aws_lc: None,
            ..self
        }
    }

    pub(crate) fn inner(&self) -> &rsa::PrivateKey {
        &self.key
    }

    /// The AWS-LC copy of the key, when there is one.
    #[cfg(feature = "aws-lc")]
    pub(crate) fn aws_lc(&self) -> Option<&AwsLcKey> {
        self.aws_lc.as_deref()
    }

    /// Without the `aws-lc` feature there is never an AWS-LC copy.
    #[cfg(not(feature = "aws-lc"))]
    #[allow(clippy::unused_self, reason = "same signature as with the feature")]
    pub(crate) fn aws_lc(&self) -> Option<&NoAwsLc> {
        None
    }
}

impl RsaPublicKey {
    /// Loads a public key from PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the text is not PEM, has another label, is malformed or has an
    /// unsupported size.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let (label, der) = pem_decode(text)?;
        match label.as_str() {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Self::from_der(&der),
            _ => Err(KeyError::UnsupportedLabel(label, "public")),
        }
    }

    /// Loads a public key from DER (SubjectPublicKeyInfo or PKCS#1).
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] or [`KeyError::UnsupportedSize`].
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = rsa::PublicKey::from_public_key_der(der)
            .or_else(|_| rsa::PublicKey::from_pkcs1_der(der))
            .map_err(|_| refusal(der, "public"))?;
        Self::checked(key)
    }

    /// Wraps an `rsa` crate key after checking its size.
    ///
    /// # Errors
    ///
    /// [`KeyError::UnsupportedSize`].
    pub fn from_rsa(key: rsa::PublicKey) -> Result<Self, KeyError> {
        Self::checked(key)
    }

    fn checked(key: rsa::PublicKey) -> Result<Self, KeyError> {
        check_size(&key)?;
        Ok(Self::with_backends(key))
    }

    /// A size-checked key with its AWS-LC copy when AWS-LC accepts it.
    fn with_backends(key: rsa::PublicKey) -> Self {
        Self {
            #[cfg(feature = "aws-lc")]
            aws_lc: AwsLcPublicKey::new(&key).map(Arc::new),
            key,
        }
    }

    /// Modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    /// The library that does this key's public operations: `"aws-lc"` (feature `aws-lc`,
    /// moduli of 2048 bits and more) or `"rsa"` (the pure-Rust `rsa` crate).
    #[must_use]
    pub fn backend(&self) -> &'static str {
        if self.aws_lc().is_some() {
            "aws-lc"
        } else {
            "rsa"
        }
    }

    /// The same key with every public operation done by the pure-Rust `rsa` crate: for
    /// benchmarks and cross-checks of the two backends (PKCS#1 v1.5 padding is random, so
    /// the ciphertexts differ from run to run on both).
    #[must_use]
    pub fn with_pure_rust_backend(self) -> Self {
        Self {
            #[cfg(feature = "aws-lc")]
            aws_lc: None,
            ..self
        }
    }

    pub(crate) fn inner(&self) -> &rsa::PublicKey {
        &self.key
    }

    /// The AWS-LC copy of the key, when there is one.
    #[cfg(feature = "aws-lc")]
    pub(crate) fn aws_lc(&self) -> Option<&AwsLcPublicKey> {
        self.aws_lc.as_deref()
    }

    /// Without the `aws-lc` feature there is never an AWS-LC copy.
    #[cfg(not(feature = "aws-lc"))]
    #[allow(clippy::unused_self, reason = "same signature as with the feature")]
    pub(crate) fn aws_lc(&self) -> Option<&NoAwsLc> {
        None
    }
}

/// Stands in for the AWS-LC key type without the `aws-lc` feature (never constructed).
#[cfg(not(feature = "aws-lc"))]
pub(crate) enum NoAwsLc {}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}
