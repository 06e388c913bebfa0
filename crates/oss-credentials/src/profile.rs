//! Profiles of the Alibaba Cloud CLI's `~/.aliyun/config.json` (modes `AK`, `StsToken`,
//! `RamRoleArn`, `EcsRamRole`, `OIDC`).

use std::path::Path;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::Credentials;
use crate::{CredentialsError, Result};

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<RawProfile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
    sts_token: Zeroizing<String>,
    ram_role_arn: String,
    ram_session_name: String,
    ram_role_name: String,
    expired_seconds: u64,
    oidc_provider_arn: String,
    oidc_token_file: String,
}

/// What a profile says to do.
#[derive(Debug, Clone)]
pub(crate) enum Profile {
    /// `AK` and `StsToken`: fixed credentials.
    Static(Credentials),
    /// `RamRoleArn`: AssumeRole with the profile's AccessKey.
    RamRoleArn {
        source: Credentials,
        role_arn: String,
        session_name: Option<String>,
        duration_seconds: Option<u64>,
    },
    /// `EcsRamRole`: the instance's role (named, or asked of the metadata service).
    EcsRamRole { role_name: Option<String> },
    /// `OIDC`: AssumeRoleWithOIDC.
    Oidc {
        role_arn: String,
        provider_arn: String,
        token_file: String,
        session_name: Option<String>,
        duration_seconds: Option<u64>,
    },
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// Reads profile `name` (or the file's `current`, else `default`) from `path`.
///
/// # Errors
///
/// [`CredentialsError`] when the file cannot be read or parsed, the profile is missing, or
/// its mode is unknown or lacks a field.
pub(crate) fn load(path: &Path, name: Option<&str>) -> Result<Profile> {
    let fail =
        |what: String| CredentialsError::configuration(format!("{}: {what}", path.display()));
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?,
    );
    let file: ConfigFile =
        serde_json::from_str(&text).map_err(|e| fail(format!("not a CLI config file: {e}")))?;
    let wanted = name
        .map(str::to_owned)
        .or_else(|| some(&file.current))
        .unwrap_or_else(|| "default".to_owned());
    let raw = file
        .profiles
        .into_iter()
        .find(|p| p.name == wanted)
        .ok_or_else(|| fail(format!("no profile named {wanted:?}")))?;
    let need = |value: &str, field: &str| {
        some(value).ok_or_else(|| {
            fail(format!(
                "profile {wanted:?} (mode {}) has no {field}",
                raw.mode
            ))
        })
    };
    let access_key = || -> Result<Credentials> {
        let id = need(&raw.access_key_id, "access_key_id")?;
        need(&raw.access_key_secret, "access_key_secret")?;
        let credentials = Credentials::new(id, raw.access_key_secret.as_str());
        Ok(match some(&raw.sts_token) {
            Some(_) => credentials.with_security_token(raw.sts_token.as_str()),
            None => credentials,
        })
    };
    let duration = (raw.expired_seconds > 0).then_some(raw.expired_seconds);
    Ok(match raw.mode.as_str() {
        "AK" | "" => Profile::Static(access_key()?),
        "StsToken" => {
            need(&raw.sts_token, "sts_token")?;
            Profile::Static(access_key()?)
        }
        "RamRoleArn" => Profile::RamRoleArn {
            source: access_key()?,
            role_arn: need(&raw.ram_role_arn, "ram_role_arn")?,
            session_name: some(&raw.ram_session_name),
            duration_seconds: duration,
        },
        "EcsRamRole" => Profile::EcsRamRole {
            role_name: some(&raw.ram_role_name),
        },
        "OIDC" => Profile::Oidc {
            role_arn: need(&raw.ram_role_arn, "ram_role_arn")?,
            provider_arn: need(&raw.oidc_provider_arn, "oidc_provider_arn")?,
            token_file: need(&raw.oidc_token_file, "oidc_token_file")?,
            session_name: some(&raw.ram_session_name),
            duration_seconds: duration,
        },
        other => {
            return Err(fail(format!(
                "profile {wanted:?} has unsupported mode {other:?}"
            )));
        }
    })
}
