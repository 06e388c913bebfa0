//! [`Keyring`]: one default master key for writing plus master keys registered by matdesc for
//! reading (spec §8.2 and the Project decisions).
//!
//! Selection on read: the key registered under a description map exactly equal to the
//! object's; otherwise the default key. When unwrapping then fails, the error names the
//! object's description.

use std::sync::Arc;

use oss_envelope::{ContentMaterial, Envelope, HeaderError, LegacyEnvelope, Matdesc};

use crate::error::{Error, Result};
use crate::material::WrappedMaterial;
use crate::traits::{DynMasterKey, MasterKey};

/// A default master key and any number of (matdesc → master key) entries.
#[derive(Debug, Clone)]
pub struct Keyring {
    default: DynMasterKey,
    entries: Vec<(Matdesc, DynMasterKey)>,
}

/// The outcome of [`Keyring::select`].
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    /// The chosen key.
    pub key: &'a DynMasterKey,
    /// Whether a registered key matched the description exactly (else it is the default).
    pub exact: bool,
}

impl Keyring {
    /// A keyring whose default (writing) key is `default`.
    ///
    /// The default key is also registered under its own matdesc.
    #[must_use]
    pub fn new(default: impl MasterKey) -> Self {
        Self::from_arc(Arc::new(default))
    }

    /// As [`new`](Self::new), from a shared key.
    #[must_use]
    pub fn from_arc(default: DynMasterKey) -> Self {
        Self {
            entries: vec![(default.matdesc().clone(), Arc::clone(&default))],
            default,
        }
    }

    /// Registers `key` for reading under its own matdesc (replacing an earlier entry with the
    /// same description).
    #[must_use]
    pub fn with_key(self, key: impl MasterKey) -> Self {
        let key: DynMasterKey = Arc::new(key);
        self.with_entry(key.matdesc().clone(), key)
    }

    /// Registers `key` for reading under `matdesc` (replacing an earlier entry with the same
    /// description).
    #[must_use]
    pub fn with_entry(mut self, matdesc: Matdesc, key: DynMasterKey) -> Self {
        self.entries.retain(|(existing, _)| *existing != matdesc);
        self.entries.push((matdesc, key));
        self
    }

    /// The default (writing) key.
    #[must_use]
    pub fn default_key(&self) -> &DynMasterKey {
        &self.default
    }

    /// Chooses the key for an object's description; `None` stands for a description that did
    /// not parse, which matches no entry.
    #[must_use]
    pub fn select(&self, matdesc: Option<&Matdesc>) -> Selection<'_> {
        let found = matdesc.and_then(|wanted| {
            self.entries
                .iter()
                .find(|(registered, _)| registered == wanted)
        });
        match found {
            Some((_, key)) => Selection { key, exact: true },
            None => Selection {
                key: &self.default,
                exact: false,
            },
        }
    }

    /// Creates and wraps the content material of a new object with the default key and
    /// returns it with its V2 envelope (carrying the default key's matdesc).
    ///
    /// # Errors
    ///
    /// The default key's errors.
    pub async fn generate(&self) -> Result<(ContentMaterial, Envelope)> {
        let (material, wrapped) = self.default.generate().await?;
        Ok((
            material,
            wrapped.into_envelope(self.default.matdesc().clone()),
        ))
    }

    /// Wraps existing material with the default key into a V2 envelope, for example to
    /// rotate an object to a new master key without re-encrypting its data.
    ///
    /// # Errors
    ///
    /// The default key's errors.
    pub async fn wrap(&self, material: &ContentMaterial) -> Result<Envelope> {
        let wrapped = self.default.wrap(material).await?;
        Ok(wrapped.into_envelope(self.default.matdesc().clone()))
    }

    /// Unwraps the material of a V2 envelope with the selected key.
    ///
    /// # Errors
    ///
    /// [`Error::MaterialFailed`] or [`Error::NoMatchingMaterial`] naming the object's matdesc,
    /// or [`Error::KeyFailed`] when the object has none; the key's error is the source.
    pub async fn unwrap_envelope(&self, envelope: &Envelope) -> Result<ContentMaterial> {
        let wrapped = WrappedMaterial::from_envelope(envelope);
        self.unwrap(&wrapped, envelope.matdesc(), envelope.matdesc_text())
            .await
    }

    /// Unwraps the material of a V1 (legacy) envelope with the selected key.
    ///
    /// # Errors
    ///
    /// As [`unwrap_envelope`](Self::unwrap_envelope).
    pub async fn unwrap_legacy(&self, envelope: &LegacyEnvelope) -> Result<ContentMaterial> {
        let wrapped = WrappedMaterial::from_legacy(envelope);
        self.unwrap(&wrapped, envelope.matdesc(), envelope.matdesc_text())
            .await
    }

    /// Unwraps `wrapped` for an object whose parsed description is `matdesc` (`Err` when the
    /// header did not parse) and whose header text was `matdesc_text`.
    ///
    /// # Errors
    ///
    /// As [`unwrap_envelope`](Self::unwrap_envelope).
    pub async fn unwrap(
        &self,
        wrapped: &WrappedMaterial,
        matdesc: Result<&Matdesc, HeaderError>,
        matdesc_text: Option<&str>,
    ) -> Result<ContentMaterial> {
        let selection = self.select(matdesc.as_ref().ok().copied());
        selection.key.unwrap(wrapped).await.map_err(|source| {
            let source = Box::new(source);
            if matdesc.as_ref().is_ok_and(|m| m.is_empty()) {
                return Error::KeyFailed { source };
            }
            let matdesc = describe(matdesc, matdesc_text);
            if selection.exact {
                Error::MaterialFailed { matdesc, source }
            } else {
                Error::NoMatchingMaterial { matdesc, source }
            }
        })
    }
}

/// The object's description for error messages: canonical JSON when it parsed, else the raw
/// text with the parse problem.
fn describe(matdesc: Result<&Matdesc, HeaderError>, text: Option<&str>) -> String {
    match matdesc {
        Ok(map) => map.to_json(),
        Err(e) => format!("{} ({e})", text.unwrap_or_default()),
    }
}
