//! Master keys from the command line: RSA PEM files, KMS key ids, and `--matdesc-key` entries
//! for reading objects written under other keys.
//!
//! Every problem with keys (none given, unreadable file, bad PEM, wrong key) is a key error
//! (exit code 4).

use std::collections::BTreeMap;
use std::path::Path;

use oss_envelope::Matdesc;
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey, RsaPublicKey};
use oss_keywrap::{DynMasterKey, Keyring};
use zeroize::Zeroizing;

use crate::cli::KeyArgs;
use crate::error::{CliError, CliResult, Kind};

/// Environment variable holding the passphrase of encrypted PKCS#8 private keys.
pub(crate) const PASSPHRASE_ENV: &str = "OSSCRYPT_KEY_PASSPHRASE";

/// A KMS passphrase from the command line or the environment: zeroized, never shown.
#[derive(Clone)]
pub(crate) struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// The text.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl core::str::FromStr for Passphrase {
    type Err = core::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(Zeroizing::new(text.to_owned())))
    }
}

impl core::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

fn key_error(message: impl Into<String>) -> CliError {
    CliError::new(Kind::Auth, message)
}

fn read_pem(path: &Path) -> CliResult<Zeroizing<String>> {
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| key_error(format!("cannot read key file {}: {e}", path.display())))
}

/// Loads a private key PEM, using [`PASSPHRASE_ENV`] for encrypted keys.
pub(crate) fn load_private(path: &Path) -> CliResult<RsaPrivateKey> {
    let text = read_pem(path)?;
    let result = match std::env::var(PASSPHRASE_ENV) {
        Ok(pass) if !pass.is_empty() => {
            let pass = Zeroizing::new(pass);
            RsaPrivateKey::from_pem(&text)
                .or_else(|_| RsaPrivateKey::from_pem_with_passphrase(&text, pass.as_bytes()))
        }
        _ => RsaPrivateKey::from_pem(&text),
    };
    result.map_err(|e| key_error(format!("{}: {e}", path.display())))
}

/// Loads a public key PEM.
pub(crate) fn load_public(path: &Path) -> CliResult<RsaPublicKey> {
    let text = read_pem(path)?;
    RsaPublicKey::from_pem(&text).map_err(|e| key_error(format!("{}: {e}", path.display())))
}

/// Parses a material description: a JSON object, or `k=v,k2=v2`.
pub(crate) fn parse_matdesc(text: &str) -> CliResult<Matdesc> {
    parse_pairs("matdesc", text)
}

/// Parses `k=v,k2=v2` or a JSON object of strings (`what` names the flag in errors).
fn parse_pairs(what: &str, text: &str) -> CliResult<Matdesc> {
    let text = text.trim();
    if text.starts_with('{') {
        return Matdesc::from_json(text)
            .map_err(|e| CliError::usage(format!("{what} {text:?}: {e}")));
    }
    let mut pairs = Matdesc::new();
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| CliError::usage(format!("{what} entry {pair:?} is not key=value")))?;
        pairs.insert(k.trim(), v.trim());
    }
    Ok(pairs)
}

/// The KMS EncryptionContext entries of every `--kms-context` value, merged.
fn kms_context(values: &[String]) -> CliResult<BTreeMap<String, String>> {
    let mut context = BTreeMap::new();
    for value in values {
        context.extend(BTreeMap::from(parse_pairs("--kms-context", value)?));
    }
    Ok(context)
}

/// What every KMS key of the flags is built with: the passphrase and the other
/// EncryptionContext entries.
pub(crate) struct KmsContext<'a> {
    /// `--kms-passphrase`.
    pub(crate) passphrase: Option<&'a Passphrase>,
    /// `--kms-context` entries.
    pub(crate) entries: BTreeMap<String, String>,
}

impl<'a> KmsContext<'a> {
    fn of(args: &'a KeyArgs) -> CliResult<Self> {
        Ok(Self {
            passphrase: args.kms_passphrase.as_ref(),
            entries: kms_context(&args.kms_context)?,
        })
    }
}

/// The RSA master key described by `--rsa-public` / `--rsa-private`, if any.
fn rsa_key(args: &KeyArgs) -> CliResult<Option<RsaMasterKey>> {
    let public = args.rsa_public.as_deref().map(load_public).transpose()?;
    let private = args.rsa_private.as_deref().map(load_private).transpose()?;
    Ok(match (public, private) {
        (Some(public), Some(private)) => Some(
            RsaMasterKey::from_pair(public, private)
                .map_err(|_| key_error("--rsa-public is not the public half of --rsa-private"))?,
        ),
        (Some(public), None) => Some(RsaMasterKey::encrypt_only(public)),
        (None, Some(private)) => Some(RsaMasterKey::new(private)),
        (None, None) => None,
    })
}

/// The default master key from the flags (before `--matdesc`).
fn default_key(
    args: &KeyArgs,
    context: &KmsContext<'_>,
    kms: Option<&crate::kms::KmsSettings>,
) -> CliResult<DynMasterKey> {
    let matdesc = args
        .matdesc
        .as_deref()
        .map(parse_matdesc)
        .transpose()?
        .unwrap_or_default();
    match (rsa_key(args)?, &args.kms_key_id) {
        (Some(_), Some(_)) => Err(CliError::usage(
            "give either an RSA key or --kms-key-id as the master key, not both",
        )),
        (Some(rsa), None) => Ok(std::sync::Arc::new(rsa.with_matdesc(matdesc))),
        (None, Some(key_id)) => crate::kms::master_key(key_id, matdesc, context, kms),
        (None, None) if !args.matdesc_keys.is_empty() => Err(key_error(
            "no default master key: --matdesc-key entries only add keys for reading",
        )),
        (None, None) => Err(key_error(
            "no master key: pass --rsa-public and/or --rsa-private, or --kms-key-id",
        )),
    }
}

/// Builds the keyring: the default key from the flags plus every `--matdesc-key`.
///
/// # Errors
///
/// Key errors (exit 4) for missing or unreadable keys; usage errors for bad matdesc syntax.
pub(crate) fn keyring(args: &KeyArgs, kms: Option<&crate::kms::KmsSettings>) -> CliResult<Keyring> {
    let context = KmsContext::of(args)?;
    let mut ring = Keyring::from_arc(default_key(args, &context, kms)?);
    for entry in &args.matdesc_keys {
        // At the last `@`: a matdesc value may hold one (`owner=ops@example.com`), a key
        // path or KMS key id does not.
        let (desc, key) = entry.rsplit_once('@').ok_or_else(|| {
            CliError::usage(format!("--matdesc-key {entry:?} is not MATDESC@KEY"))
        })?;
        let matdesc = parse_matdesc(desc)?;
        let key: DynMasterKey = match key.strip_prefix("kms:") {
            Some(key_id) => crate::kms::master_key(key_id, matdesc.clone(), &context, kms)?,
            None => std::sync::Arc::new(
                RsaMasterKey::decrypt_only(load_private(Path::new(key))?)
                    .with_matdesc(matdesc.clone()),
            ),
        };
        ring = ring.with_entry(matdesc, key);
    }
    Ok(ring)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matdesc_forms() {
        let a = parse_matdesc("owner=ops, key=2").unwrap();
        let b = parse_matdesc(r#"{"key":"2","owner":"ops"}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_json(), r#"{"key":"2","owner":"ops"}"#);
        assert!(parse_matdesc("novalue").is_err());
        assert!(parse_matdesc("{bad json").is_err());
        assert!(parse_matdesc("").unwrap().is_empty());
    }

    #[test]
    fn kms_context_values_merge_in_both_forms() {
        let values = ["tenant=a, app=b".to_owned(), r#"{"env":"prod"}"#.to_owned()];
        let context = kms_context(&values).unwrap();
        let pairs: Vec<(&str, &str)> = context
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, [("app", "b"), ("env", "prod"), ("tenant", "a")]);
        let e = kms_context(&["novalue".to_owned()]).unwrap_err();
        assert_eq!(e.kind(), Kind::Usage);
        assert!(e.to_string().contains("--kms-context entry"), "{e}");
    }

    #[test]
    fn no_key_and_missing_key_file_are_key_errors() {
        let none = KeyArgs::default();
        assert_eq!(keyring(&none, None).unwrap_err().kind(), Kind::Auth);
        let missing = KeyArgs {
            rsa_private: Some("/nonexistent/key.pem".into()),
            ..KeyArgs::default()
        };
        assert_eq!(keyring(&missing, None).unwrap_err().kind(), Kind::Auth);
    }
}
