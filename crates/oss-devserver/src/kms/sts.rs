//! The STS stand-in (API version 2015-04-01), served by the KMS listener: `AssumeRole`, signed
//! with RPC V1/V3 and checked by the KMS signature code, and `AssumeRoleWithOIDC`, unsigned,
//! which accepts [`DEV_OIDC_TOKEN`]. Both issue a fresh temporary key that the OSS and KMS
//! checks accept until it expires.

use core::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use http::StatusCode;
use oss_signing::time;
use serde_json::{Map, Value, json};

use super::kms_error::KmsError;
use super::params::Params;
use crate::credentials::{CredentialStore, DEV_OIDC_TOKEN};

/// The STS API version; requests naming it are STS requests.
pub(crate) const API_VERSION: &str = "2015-04-01";
/// STS's bounds for `DurationSeconds`.
const DURATION_RANGE: core::ops::RangeInclusive<u64> = 900..=43_200;
/// `DurationSeconds` when the request has none.
const DEFAULT_DURATION: u64 = 3600;

/// Whether the action must carry a signature (AssumeRoleWithOIDC is anonymous: the OIDC token
/// is the proof).
pub(crate) fn is_signed(action: Option<&str>) -> bool {
    action != Some("AssumeRoleWithOIDC")
}

/// Runs an STS action; the answer holds every field except `RequestId`.
///
/// # Errors
///
/// `InvalidParameter*` / `MissingParameter` for bad input, an authentication failure for a
/// wrong OIDC token, `InvalidAction.NotFound` for other actions.
pub(crate) fn run(
    action: Option<&str>,
    p: &Params,
    store: &CredentialStore,
    max_lifetime: Duration,
) -> Result<Map<String, Value>, KmsError> {
    match action {
        Some("AssumeRole") => {}
        Some("AssumeRoleWithOIDC") => check_oidc(p)?,
        Some(other) => {
            return Err(KmsError::new(
                StatusCode::NOT_FOUND,
                "InvalidAction.NotFound",
                format!("Specified api is not found, please check your url and method: {other}"),
            ));
        }
        None => return Err(KmsError::missing("Action")),
    }
    let role_arn = p.require("RoleArn")?;
    if !(role_arn.starts_with("acs:ram::") && role_arn.contains(":role/")) {
        return Err(invalid(
            "RoleArn",
            "The parameter RoleArn is wrongly formed.",
        ));
    }
    let session = p.require("RoleSessionName")?;
    let session_ok = (2..=64).contains(&session.len())
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b));
    if !session_ok {
        return Err(invalid(
            "RoleSessionName",
            "The parameter RoleSessionName is wrongly formed.",
        ));
    }
    let lifetime = duration(p)?.min(max_lifetime);
    let (issued, expires_at) = store.issue(lifetime);
    let expiration = time::iso8601_extended(unix(expires_at));
    let mut answer = Map::new();
    answer.insert(
        "Credentials".into(),
        json!({
            "AccessKeyId": issued.access_key_id(),
            "AccessKeySecret": issued.access_key_secret(),
            "SecurityToken": issued.security_token().unwrap_or_default(),
            "Expiration": expiration,
        }),
    );
    answer.insert(
        "AssumedRoleUser".into(),
        json!({ "Arn": format!("{role_arn}/{session}") }),
    );
    Ok(answer)
}

fn check_oidc(p: &Params) -> Result<(), KmsError> {
    let provider = p.require("OIDCProviderArn")?;
    if !(provider.starts_with("acs:ram::") && provider.contains(":oidc-provider/")) {
        return Err(invalid(
            "OIDCProviderArn",
            "The parameter OIDCProviderArn is wrongly formed.",
        ));
    }
    if p.require("OIDCToken")? != DEV_OIDC_TOKEN {
        return Err(KmsError::new(
            StatusCode::BAD_REQUEST,
            "AuthenticationFail.OIDCToken.Invalid",
            "The OIDC token is invalid.",
        ));
    }
    Ok(())
}

fn duration(p: &Params) -> Result<Duration, KmsError> {
    let seconds = match p.get("DurationSeconds").filter(|v| !v.is_empty()) {
        None => DEFAULT_DURATION,
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|s| DURATION_RANGE.contains(s))
            .ok_or_else(|| {
                invalid(
                    "DurationSeconds",
                    "The DurationSeconds must be between 900 and 43200.",
                )
            })?,
    };
    Ok(Duration::from_secs(seconds))
}

fn invalid(name: &'static str, message: &str) -> KmsError {
    let code = match name {
        "RoleArn" => "InvalidParameter.RoleArn",
        "RoleSessionName" => "InvalidParameter.RoleSessionName",
        "DurationSeconds" => "InvalidParameter.DurationSeconds",
        _ => "InvalidParameter",
    };
    KmsError::new(StatusCode::BAD_REQUEST, code, message)
}

fn unix(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
