//! [`KmsMasterKey`]: a customer master key in Alibaba Cloud KMS as a [`MasterKey`].
//!
//! Writes the oss2 flavour by default (GenerateDataKey for the data key, Encrypt for the IV,
//! double base64, optional passphrase and EncryptionContext) or the Go/Java flavour on request (Encrypt for
//! both, single base64, never a context). Reads both flavours, detected per header, and V1
//! KMS objects.

use core::fmt;
use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use oss_envelope::{
    ContentMaterial, DATA_KEY_LEN, DataKey, IV_LEN, Iv, KmsFlavour, Matdesc, WrapAlg, WrappedValue,
};
use zeroize::Zeroizing;

use super::client::KmsClient;
use super::flavour;
use crate::error::{Error, Result};
use crate::material::{EnvelopeVersion, WrappedMaterial};
use crate::traits::{KeyDescription, MasterKey};

/// A KMS customer master key.
#[derive(Clone)]
pub struct KmsMasterKey {
    client: Arc<KmsClient>,
    key_id: String,
    flavour: KmsFlavour,
    passphrase: Option<Zeroizing<String>>,
    /// EncryptionContext entries besides the passphrase's.
    context: BTreeMap<String, String>,
    matdesc: Matdesc,
}

impl KmsMasterKey {
    /// The master key `key_id` (id, alias or ARN), writing the oss2 flavour.
    #[must_use]
    pub fn new(client: Arc<KmsClient>, key_id: impl Into<String>) -> Self {
        Self {
            client,
            key_id: key_id.into(),
            flavour: KmsFlavour::Oss2,
            passphrase: None,
            context: BTreeMap::new(),
            matdesc: Matdesc::new(),
        }
    }

    /// Sets the oss2 passphrase, sent as EncryptionContext `{"x-passphrase":"…"}`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key writes the Go/Java flavour, which has no context.
    pub fn with_passphrase(mut self, passphrase: impl Into<String>) -> Result<Self> {
        self.passphrase = Some(Zeroizing::new(passphrase.into()));
        self.validated()
    }

    /// Adds entries to the KMS EncryptionContext of every GenerateDataKey, Encrypt and
    /// Decrypt (one JSON object with the passphrase's `x-passphrase`, keys sorted). KMS binds
    /// the data key and IV to it, and the envelope does not record it (as oss2 records no
    /// passphrase): a reader must give the same entries, and KMS rejects any other context.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key writes the Go/Java flavour (no EncryptionContext), or
    /// for an `x-passphrase` entry (set that with [`with_passphrase`](Self::with_passphrase)).
    pub fn with_encryption_context<K, V>(
        mut self,
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self>
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.context
            .extend(entries.into_iter().map(|(k, v)| (k.into(), v.into())));
        self.validated()
    }

    /// Chooses the flavour written by [`wrap`](MasterKey::wrap) and
    /// [`generate`](MasterKey::generate). Reading always accepts both.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for the Go/Java flavour on a key with a passphrase.
    pub fn with_write_flavour(mut self, flavour: KmsFlavour) -> Result<Self> {
        self.flavour = flavour;
        self.validated()
    }

    /// Sets the material description this key stands for.
    #[must_use]
    pub fn with_matdesc(mut self, matdesc: Matdesc) -> Self {
        self.matdesc = matdesc;
        self
    }

    /// The configured key id.
    #[must_use]
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The flavour this key writes.
    #[must_use]
    pub const fn write_flavour(&self) -> KmsFlavour {
        self.flavour
    }

    fn validated(self) -> Result<Self> {
        if self.flavour == KmsFlavour::GoJava && self.passphrase.is_some() {
            return Err(Error::Config(
                "the Go/Java kms flavour cannot carry a passphrase (no EncryptionContext)".into(),
            ));
        }
        if self.flavour == KmsFlavour::GoJava && !self.context.is_empty() {
            return Err(Error::Config(
                "the Go/Java kms flavour cannot carry an EncryptionContext".into(),
            ));
        }
        if self.context.contains_key(flavour::PASSPHRASE_CONTEXT_KEY) {
            return Err(Error::Config(format!(
                "the EncryptionContext entry {:?} is the passphrase: set it as the passphrase",
                flavour::PASSPHRASE_CONTEXT_KEY
            )));
        }
        Ok(self)
    }

    /// The EncryptionContext: the passphrase's entry and the others, if any.
    fn context(&self) -> Option<Zeroizing<String>> {
        let passphrase = self
            .passphrase
            .as_deref()
            .map(|p| (flavour::PASSPHRASE_CONTEXT_KEY, p.as_str()));
        let entries = self.context.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        flavour::encryption_context(passphrase.into_iter().chain(entries))
    }

    /// The context to write with: none for the Go/Java flavour.
    fn write_context(&self) -> Option<Zeroizing<String>> {
        match self.flavour {
            KmsFlavour::GoJava => None,
            _ => self.context(),
        }
    }

    /// Encrypts the base64 of `bytes` and returns the header value.
    async fn encrypt_value(&self, bytes: &[u8], context: Option<&str>) -> Result<WrappedValue> {
        let plaintext = Zeroizing::new(STANDARD.encode(bytes));
        let answer = self
            .client
            .encrypt(&self.key_id, &plaintext, context)
            .await?;
        flavour::header_value(self.flavour, answer.ciphertext_blob)
    }

    /// Decrypt of a V2 value, with the context its detected flavour implies.
    ///
    /// The detection can only misjudge one way: a Go/Java blob whose bytes happen to be base64
    /// text looks like the oss2 flavour. So when KMS calls such a blob invalid, the header is
    /// tried once more as a Go/Java blob (spec §6.3 allows this); if that fails too, the first
    /// answer is the error.
    async fn decrypt_v2(&self, value: &WrappedValue) -> Result<Zeroizing<String>> {
        let (detected, blob) = value.kms_ciphertext_blob();
        if detected == KmsFlavour::GoJava {
            return Ok(self.client.decrypt(blob, None).await?.plaintext);
        }
        let context = self.context();
        match self
            .client
            .decrypt(blob, context.as_deref().map(String::as_str))
            .await
        {
            Err(Error::Kms(first)) if first.code() == "InvalidParameter" => {
                match self.client.decrypt(value.as_text(), None).await {
                    Ok(answer) => Ok(answer.plaintext),
                    Err(_) => Err(Error::Kms(first)),
                }
            }
            answer => Ok(answer?.plaintext),
        }
    }

    /// Decrypt of a V1 value: the header is the blob as is.
    async fn decrypt_v1(&self, value: &WrappedValue) -> Result<Zeroizing<String>> {
        let context = self.context();
        let answer = self
            .client
            .decrypt(value.as_text(), context.as_deref().map(String::as_str))
            .await?;
        Ok(answer.plaintext)
    }

    async fn generate_oss2(&self) -> Result<(ContentMaterial, WrappedMaterial)> {
        let context = self.context();
        let context = context.as_deref().map(String::as_str);
        let generated = self.client.generate_data_key(&self.key_id, context).await?;
        let data_key = flavour::base64_exact::<DATA_KEY_LEN>(&generated.plaintext)
            .map_err(|_| Error::transport("kms GenerateDataKey returned a malformed key", false))?;
        let fresh = ContentMaterial::generate_os().map_err(|_| Error::Randomness)?;
        let material = ContentMaterial::new(DataKey::from_bytes(*data_key), fresh.iv().clone());
        let key = flavour::header_value(KmsFlavour::Oss2, generated.ciphertext_blob)?;
        let start = self
            .encrypt_value(material.iv().as_bytes(), context)
            .await?;
        Ok((
            material,
            WrappedMaterial::v2(WrapAlg::KmsAliCloud, key, start),
        ))
    }
}

impl KeyDescription for KmsMasterKey {
    fn wrap_alg(&self) -> WrapAlg {
        WrapAlg::KmsAliCloud
    }

    fn matdesc(&self) -> &Matdesc {
        &self.matdesc
    }
}

#[async_trait]
impl MasterKey for KmsMasterKey {
    async fn generate(&self) -> Result<(ContentMaterial, WrappedMaterial)> {
        if self.flavour == KmsFlavour::GoJava {
            let material = ContentMaterial::generate_os().map_err(|_| Error::Randomness)?;
            let wrapped = self.wrap(&material).await?;
            return Ok((material, wrapped));
        }
        self.generate_oss2().await
    }

    async fn wrap(&self, material: &ContentMaterial) -> Result<WrappedMaterial> {
        let context = self.write_context();
        let context = context.as_deref().map(String::as_str);
        let key = self
            .encrypt_value(material.data_key().as_bytes(), context)
            .await?;
        let start = self
            .encrypt_value(material.iv().as_bytes(), context)
            .await?;
        Ok(WrappedMaterial::v2(WrapAlg::KmsAliCloud, key, start))
    }

    async fn unwrap(&self, wrapped: &WrappedMaterial) -> Result<ContentMaterial> {
        if wrapped.wrap_alg() != WrapAlg::KmsAliCloud {
            return Err(Error::UnsupportedAlgorithm {
                provider: "kms",
                algorithm: wrapped.wrap_alg().as_str().into(),
            });
        }
        let (key, iv) = match wrapped.version() {
            EnvelopeVersion::V1 => {
                let key = self.decrypt_v1(wrapped.key()).await?;
                let start = self.decrypt_v1(wrapped.start()).await?;
                (
                    flavour::base64_exact::<DATA_KEY_LEN>(&key)?,
                    flavour::v1_start(&start)?,
                )
            }
            EnvelopeVersion::V2 => {
                let key = self.decrypt_v2(wrapped.key()).await?;
                let iv = self.decrypt_v2(wrapped.start()).await?;
                let iv = flavour::base64_exact::<IV_LEN>(&iv)?;
                (
                    flavour::base64_exact::<DATA_KEY_LEN>(&key)?,
                    Iv::from_bytes(*iv),
                )
            }
        };
        Ok(ContentMaterial::new(DataKey::from_bytes(*key), iv))
    }
}

impl fmt::Debug for KmsMasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsMasterKey")
            .field("client", &self.client)
            .field("key_id", &self.key_id)
            .field("flavour", &self.flavour)
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "<redacted>"),
            )
            .field("context_keys", &self.context.keys().collect::<Vec<_>>())
            .field("matdesc", &self.matdesc)
            .finish()
    }
}
