//! The three actions: GenerateDataKey, Encrypt and Decrypt (kms-api.md §2, §8.4).

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::blob::{self, Blob};
use super::context;
use super::keys::{KmsKey, version_id};
use super::kms_error::KmsError;
use super::params::Params;
use super::registry::{Registry, Scope};
use super::state::Fixture;

/// Longest Encrypt plaintext, in bytes (6 KB).
pub(crate) const MAX_PLAINTEXT: usize = 6 * 1024;
/// Largest GenerateDataKey `NumberOfBytes`.
pub(crate) const MAX_DATA_KEY_BYTES: usize = 1024;

/// What an action needs besides its parameters.
#[derive(Debug)]
pub(crate) struct ActionEnv<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) fixtures: &'a BTreeMap<String, Fixture>,
    pub(crate) scope: Scope<'a>,
    pub(crate) access_key_id: &'a str,
}

/// The supported actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    GenerateDataKey,
    Encrypt,
    Decrypt,
}

impl Action {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "GenerateDataKey" => Some(Self::GenerateDataKey),
            "Encrypt" => Some(Self::Encrypt),
            "Decrypt" => Some(Self::Decrypt),
            _ => None,
        }
    }

    /// Runs the action; the result holds every response field except `RequestId`.
    ///
    /// # Errors
    ///
    /// The KMS error for invalid parameters, unknown or unusable keys, and failed decryption.
    pub(crate) fn run(
        self,
        p: &Params,
        env: &ActionEnv<'_>,
    ) -> Result<Map<String, Value>, KmsError> {
        match self {
            Self::GenerateDataKey => generate_data_key(p, env),
            Self::Encrypt => encrypt(p, env),
            Self::Decrypt => decrypt(p, env),
        }
    }
}

fn usable_key<'a>(p: &Params, env: &ActionEnv<'a>) -> Result<&'a KmsKey, KmsError> {
    let key = env.registry.resolve(p.require("KeyId")?, &env.scope)?;
    key.check_usable(env.access_key_id)?;
    Ok(key)
}

fn fields<const N: usize>(pairs: [(&str, String); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(n, v)| (n.to_owned(), Value::String(v)))
        .collect()
}

fn data_key_len(p: &Params) -> Result<usize, KmsError> {
    let spec = match p.get("KeySpec").filter(|s| !s.is_empty()) {
        None => None,
        Some("AES_256") => Some(32),
        Some("AES_128") => Some(16),
        Some(other) => {
            return Err(KmsError::invalid(format!(
                "The KeySpec \"{other}\" is invalid."
            )));
        }
    };
    match p.get("NumberOfBytes").filter(|s| !s.is_empty()) {
        None => Ok(spec.unwrap_or(32)),
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_DATA_KEY_BYTES).contains(n))
            .ok_or_else(|| {
                KmsError::invalid(format!("The NumberOfBytes \"{n}\" is not in 1..1024."))
            }),
    }
}

fn seal_with(key: &KmsKey, context: &str, plaintext: &[u8]) -> Result<(String, String), KmsError> {
    let (n, version, material) = key
        .current()
        .ok_or_else(|| KmsError::internal("key has no version"))?;
    let blob = blob::seal(key.id(), n, material, context, plaintext)?;
    Ok((blob, version.to_owned()))
}

fn generate_data_key(p: &Params, env: &ActionEnv<'_>) -> Result<Map<String, Value>, KmsError> {
    let len = data_key_len(p)?;
    let context = context::canonical(p.get("EncryptionContext"))?;
    let key = usable_key(p, env)?;
    let mut raw = Zeroizing::new(vec![0u8; len]);
    rand::fill(raw.as_mut_slice());
    let plaintext = Zeroizing::new(STANDARD.encode(raw.as_slice()));
    let (blob, version) = seal_with(key, &context, plaintext.as_bytes())?;
    Ok(fields([
        ("KeyId", key.id().to_owned()),
        ("KeyVersionId", version),
        ("Plaintext", plaintext.as_str().to_owned()),
        ("CiphertextBlob", blob),
    ]))
}

fn encrypt(p: &Params, env: &ActionEnv<'_>) -> Result<Map<String, Value>, KmsError> {
    let plaintext = p.require("Plaintext")?;
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(KmsError::invalid(format!(
            "The Plaintext is longer than {MAX_PLAINTEXT} bytes."
        )));
    }
    let context = context::canonical(p.get("EncryptionContext"))?;
    let key = usable_key(p, env)?;
    let (blob, version) = seal_with(key, &context, plaintext.as_bytes())?;
    Ok(fields([
        ("KeyId", key.id().to_owned()),
        ("KeyVersionId", version),
        ("CiphertextBlob", blob),
    ]))
}

fn decrypt(p: &Params, env: &ActionEnv<'_>) -> Result<Map<String, Value>, KmsError> {
    let text = p.require("CiphertextBlob")?;
    let context = context::canonical(p.get("EncryptionContext"))?;
    if let Some(fixture) = env.fixtures.get(text) {
        if context != "{}" {
            return Err(KmsError::invalid(
                "The CiphertextBlob cannot be decrypted with the given EncryptionContext.",
            ));
        }
        return Ok(fields([
            ("KeyId", fixture.key_id.clone()),
            ("KeyVersionId", version_id(&fixture.key_id, 0)),
            ("Plaintext", fixture.plaintext.clone()),
        ]));
    }
    let blob = Blob::parse(text)?;
    let key = env.registry.by_id(&blob.key_id, &env.scope)?;
    key.check_usable(env.access_key_id)?;
    let (version, material) = key
        .version(blob.version)
        .ok_or_else(|| KmsError::invalid("The CiphertextBlob is invalid."))?;
    let plaintext = blob.open(material, &context)?;
    let plaintext = core::str::from_utf8(&plaintext)
        .map_err(|_| KmsError::invalid("The CiphertextBlob is invalid."))?;
    Ok(fields([
        ("KeyId", key.id().to_owned()),
        ("KeyVersionId", version.to_owned()),
        ("Plaintext", plaintext.to_owned()),
    ]))
}
