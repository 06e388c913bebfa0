//! RSA master keys: PKCS#1 v1.5 wrapping (`RSA/NONE/PKCS1Padding`), and OAEP-SHA1 unwrapping
//! for V1 objects and V2 objects that declare `RSA/NONE/OAEPWithSHA-1AndMGF1Padding`.

#[cfg(feature = "aws-lc")]
mod aws_lc;
mod keys;
mod wrap;

use core::fmt;

use oss_envelope::{
    ContentMaterial, DATA_KEY_LEN, DataKey, IV_LEN, Iv, Matdesc, WrapAlg, WrappedValue,
};

pub use keys::{KeyError, MAX_RSA_BITS, MIN_RSA_BITS, RsaPrivateKey, RsaPublicKey};

use crate::error::{Error, Result};
use crate::material::{EnvelopeVersion, WrappedMaterial};
use crate::traits::{KeyDescription, WrapKey};

/// An RSA master key: both halves, the public key only (encrypt-only) or the private key only
/// (decrypt-only).
///
/// It is a synchronous [`WrapKey`] and therefore also a [`MasterKey`](crate::MasterKey).
#[derive(Clone)]
pub struct RsaMasterKey {
    public: Option<RsaPublicKey>,
    private: Option<RsaPrivateKey>,
    matdesc: Matdesc,
}

impl RsaMasterKey {
    /// A key that wraps with the public half of `private` and unwraps with `private`.
    #[must_use]
    pub fn new(private: RsaPrivateKey) -> Self {
        Self {
            public: Some(private.public_key()),
            private: Some(private),
            matdesc: Matdesc::new(),
        }
    }

    /// A key pair given as two separate keys (for example two PEM files).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when `public` is not the public half of `private`.
    pub fn from_pair(public: RsaPublicKey, private: RsaPrivateKey) -> Result<Self> {
        if private.public_key() != public {
            return Err(Error::Config(
                "rsa public key does not match the private key".into(),
            ));
        }
        Ok(Self::new(private))
    }

    /// An encrypt-only key: it wraps, and refuses to unwrap.
    #[must_use]
    pub fn encrypt_only(public: RsaPublicKey) -> Self {
        Self {
            public: Some(public),
            private: None,
            matdesc: Matdesc::new(),
        }
    }

    /// A decrypt-only key: it unwraps, and refuses to wrap.
    #[must_use]
    pub fn decrypt_only(private: RsaPrivateKey) -> Self {
        Self {
            public: None,
            private: Some(private),
            matdesc: Matdesc::new(),
        }
    }

    /// Sets the material description this key stands for.
    #[must_use]
    pub fn with_matdesc(mut self, matdesc: Matdesc) -> Self {
        self.matdesc = matdesc;
        self
    }

    fn private(&self) -> Result<&RsaPrivateKey> {
        self.private
            .as_ref()
            .ok_or(Error::MissingCapability("unwrap"))
    }

    fn unwrap_oaep(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        let private = self.private()?;
        let key = wrap::oaep_sha1_decrypt(private, wrapped.key().as_bytes())?;
        let start = wrap::oaep_sha1_decrypt(private, wrapped.start().as_bytes())?;
        let data_key = DataKey::try_from_slice(&key).map_err(|_| Error::Unwrap)?;
        let iv = match wrapped.version() {
            EnvelopeVersion::V1 => Iv::from_v1_start(&start),
            EnvelopeVersion::V2 => Iv::try_from_slice(&start),
        };
        Ok(ContentMaterial::new(
            data_key,
            iv.map_err(|_| Error::Unwrap)?,
        ))
    }

    fn unwrap_pkcs1(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        if wrapped.version() != EnvelopeVersion::V2 {
            return Err(unsupported(wrapped.wrap_alg()));
        }
        let private = self.private()?;
        let key = wrap::pkcs1v15_decrypt_exact::<DATA_KEY_LEN>(private, wrapped.key().as_bytes())?;
        let iv = wrap::pkcs1v15_decrypt_exact::<IV_LEN>(private, wrapped.start().as_bytes())?;
        Ok(ContentMaterial::new(
            DataKey::from_bytes(*key),
            Iv::from_bytes(*iv),
        ))
    }
}

fn unsupported(alg: WrapAlg) -> Error {
    Error::UnsupportedAlgorithm {
        provider: "rsa",
        algorithm: alg.as_str().into(),
    }
}

impl KeyDescription for RsaMasterKey {
    fn wrap_alg(&self) -> WrapAlg {
        WrapAlg::RsaPkcs1
    }

    fn matdesc(&self) -> &Matdesc {
        &self.matdesc
    }
}

impl WrapKey for RsaMasterKey {
    fn wrap_material(&self, material: &ContentMaterial) -> Result<WrappedMaterial> {
        let public = self
            .public
            .as_ref()
            .ok_or(Error::MissingCapability("wrap"))?;
        let key = wrap::pkcs1v15_encrypt(public, material.data_key().as_bytes())?;
        let start = wrap::pkcs1v15_encrypt(public, material.iv().as_bytes())?;
        Ok(WrappedMaterial::v2(
            WrapAlg::RsaPkcs1,
            WrappedValue::from_bytes(key),
            WrappedValue::from_bytes(start),
        ))
    }

    fn unwrap_material(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        match wrapped.wrap_alg() {
            WrapAlg::RsaPkcs1 => self.unwrap_pkcs1(wrapped),
            WrapAlg::RsaOaepSha1 => self.unwrap_oaep(wrapped),
            other => Err(unsupported(other)),
        }
    }
}

impl fmt::Debug for RsaMasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaMasterKey")
            .field("public", &self.public)
            .field("private", &self.private)
            .field("matdesc", &self.matdesc)
            .finish()
    }
}
