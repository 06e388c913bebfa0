//! Request authentication: RPC V1 (HMAC-SHA1 over the received parameters) and V3
//! (`ACS3-HMAC-SHA256` over the signed headers), STS security tokens, the timestamp window and
//! nonce replay (kms-api.md §4.3, §5, §8.2). The signature math is `oss_signing::rpc`.

mod v3;

use core::time::Duration;
use std::sync::Mutex;

use http::StatusCode;
use oss_signing::{AccessKeySecret, constant_time_eq, rpc, time};

use super::kms_error::KmsError;
use super::log::{KmsRequestRecord, SignatureVerdict};
use super::params::Params;
use super::state::{NonceCache, Settings, lock};
use crate::credentials::{CredentialStore, DevCredential, LookupFailure};

/// Nonces are remembered at least this long, even with a shorter (or no) skew window.
const MIN_NONCE_RETENTION: Duration = Duration::from_secs(15 * 60);

/// What authentication looks at.
#[derive(Debug)]
pub(crate) struct AuthRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) params: &'a Params,
    /// Header names in lower case.
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: &'a [u8],
}

/// The server side of authentication.
#[derive(Debug)]
pub(crate) struct AuthEnv<'a> {
    pub(crate) credentials: &'a CredentialStore,
    pub(crate) settings: &'a Settings,
    pub(crate) nonces: &'a Mutex<NonceCache>,
    /// The server clock, Unix seconds.
    pub(crate) now: u64,
}

impl AuthRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the request is signed with V3 (an `ACS3-HMAC-SHA256` Authorization header).
    pub(crate) fn is_v3(&self) -> bool {
        self.header("authorization")
            .is_some_and(|a| a.trim_start().starts_with(rpc::v3::ALGORITHM))
    }
}

/// Verifies the request and returns the AccessKeyId it was signed with. Fills the record's
/// access key, nonce and verdict as far as it gets.
///
/// # Errors
///
/// The KMS error for the first failed check.
pub(crate) fn authenticate(
    req: &AuthRequest<'_>,
    env: &AuthEnv<'_>,
    record: &mut KmsRequestRecord,
) -> Result<String, KmsError> {
    if req.is_v3() {
        v3::authenticate(req, env, record)
    } else {
        authenticate_v1(req, env, record)
    }
}

fn authenticate_v1(
    req: &AuthRequest<'_>,
    env: &AuthEnv<'_>,
    record: &mut KmsRequestRecord,
) -> Result<String, KmsError> {
    let p = req.params;
    let access_key_id = p.require("AccessKeyId")?;
    record.access_key_id = Some(access_key_id.to_owned());
    let nonce = p.require("SignatureNonce")?;
    record.nonce = Some(nonce.to_owned());
    let signature = p.require("Signature")?;
    expect_param(p, "SignatureMethod", "HMAC-SHA1")?;
    expect_param(p, "SignatureVersion", "1.0")?;
    check_time(p.require("Timestamp")?, env)?;
    let credential = lookup(env.credentials, access_key_id)?;
    let secret = AccessKeySecret::new(credential.access_key_secret());
    let expected = rpc::v1::sign(req.method, p.all(), &secret);
    if !constant_time_eq(expected.signature.as_bytes(), signature.as_bytes()) {
        record.signature = SignatureVerdict::Invalid;
        return Err(signature_mismatch(&expected.string_to_sign));
    }
    let mut token = p.get("SecurityToken");
    if token.is_none() && env.settings.accept_sts_token_param {
        token = p.get("STSToken");
    }
    finish(
        &credential,
        token,
        nonce,
        env,
        record,
        SignatureVerdict::ValidV1,
    )
}

/// The checks after a valid signature: STS token, then nonce replay.
fn finish(
    credential: &DevCredential,
    token: Option<&str>,
    nonce: &str,
    env: &AuthEnv<'_>,
    record: &mut KmsRequestRecord,
    valid: SignatureVerdict,
) -> Result<String, KmsError> {
    if let Err(e) = check_token(credential, token) {
        record.signature = SignatureVerdict::Invalid;
        return Err(e);
    }
    record.signature = valid;
    if env.settings.check_nonce {
        let retain = env
            .settings
            .max_skew
            .unwrap_or_default()
            .saturating_mul(2)
            .max(MIN_NONCE_RETENTION);
        if !lock(env.nonces).insert(credential.access_key_id(), nonce, retain) {
            return Err(KmsError::new(
                StatusCode::BAD_REQUEST,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ));
        }
    }
    Ok(credential.access_key_id().to_owned())
}

fn expect_param(p: &Params, name: &str, value: &str) -> Result<(), KmsError> {
    match p.require(name)? {
        v if v == value => Ok(()),
        v => Err(KmsError::invalid(format!(
            "The {name} \"{v}\" is not supported; use \"{value}\"."
        ))),
    }
}

fn lookup(credentials: &CredentialStore, access_key_id: &str) -> Result<DevCredential, KmsError> {
    credentials
        .lookup(access_key_id)
        .map_err(|failure| match failure {
            LookupFailure::Expired => KmsError::new(
                StatusCode::BAD_REQUEST,
                "InvalidSecurityToken.Expired",
                "Specified SecurityToken is expired.",
            ),
            LookupFailure::Unknown => KmsError::new(
                StatusCode::NOT_FOUND,
                "InvalidAccessKeyId.NotFound",
                format!("Specified access key is not found: {access_key_id}"),
            ),
        })
}

/// Checks the strict `YYYY-MM-DDThh:mm:ssZ` form and the skew window.
fn check_time(text: &str, env: &AuthEnv<'_>) -> Result<(), KmsError> {
    let Ok(at) = time::parse_iso8601_extended(text) else {
        return Err(KmsError::new(
            StatusCode::BAD_REQUEST,
            "IllegalTimestamp",
            format!(
                "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or has an illegal format: {text}"
            ),
        ));
    };
    match env.settings.max_skew {
        Some(window) if at.abs_diff(env.now) > window.as_secs() => Err(KmsError::new(
            StatusCode::BAD_REQUEST,
            "InvalidTimeStamp.Expired",
            format!("Specified time stamp or date value is expired: {text}"),
        )),
        _ => Ok(()),
    }
}

/// Temporary keys need their token; long-term keys must not send one.
fn check_token(credential: &DevCredential, given: Option<&str>) -> Result<(), KmsError> {
    let mismatch = |message: &str| {
        KmsError::new(
            StatusCode::BAD_REQUEST,
            "InvalidSecurityToken.MismatchWithAccessKey",
            message,
        )
    };
    match (credential.security_token(), given) {
        (None, None | Some("")) => Ok(()),
        (Some(_), None | Some("")) => Err(KmsError::new(
            StatusCode::BAD_REQUEST,
            "MissingSecurityToken",
            "The SecurityToken is required for temporary (STS) access keys.",
        )),
        (Some(expected), Some(given))
            if constant_time_eq(expected.as_bytes(), given.as_bytes()) =>
        {
            Ok(())
        }
        (Some(_), Some(_)) => Err(mismatch(
            "The security token does not match the access key.",
        )),
        (None, Some(_)) => Err(mismatch(
            "A security token was sent with a long-term access key.",
        )),
    }
}

fn signature_mismatch(string_to_sign: &str) -> KmsError {
    KmsError::new(
        StatusCode::BAD_REQUEST,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
        ),
    )
}
