//! V3 (`ACS3-HMAC-SHA256`): the Authorization header, the signed `x-acs-*` headers, the payload
//! hash, and the signature over the canonical request rebuilt from `SignedHeaders`.

use http::StatusCode;
use oss_signing::{AccessKeySecret, constant_time_eq, rpc, sha256_hex};

use super::{AuthEnv, AuthRequest, check_time, finish, lookup, signature_mismatch};
use crate::kms::kms_error::KmsError;
use crate::kms::log::{KmsRequestRecord, SignatureVerdict};

fn incomplete(message: impl Into<String>) -> KmsError {
    KmsError::new(StatusCode::BAD_REQUEST, "IncompleteSignature", message)
}

fn required<'r>(req: &'r AuthRequest<'_>, name: &str) -> Result<&'r str, KmsError> {
    req.header(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| KmsError::missing(name))
}

/// Verifies a V3 request; see [`super::authenticate`].
pub(super) fn authenticate(
    req: &AuthRequest<'_>,
    env: &AuthEnv<'_>,
    record: &mut KmsRequestRecord,
) -> Result<String, KmsError> {
    let header = req.header("authorization").unwrap_or_default();
    let auth = rpc::v3::parse_authorization(header)
        .map_err(|_| incomplete("The Authorization header is malformed."))?;
    record.access_key_id = Some(auth.access_key_id.clone());
    let nonce = required(req, "x-acs-signature-nonce")?;
    record.nonce = Some(nonce.to_owned());
    let content_sha256 = required(req, "x-acs-content-sha256")?;
    for name in ["host", "x-acs-action", "x-acs-version", "x-acs-date"] {
        required(req, name)?;
    }
    let must_sign = req
        .headers
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| *n == "host" || *n == "content-type" || n.starts_with("x-acs-"));
    for name in must_sign {
        if !auth.signed_headers.iter().any(|s| s == name) {
            return Err(incomplete(format!("The header \"{name}\" must be signed.")));
        }
    }
    if !content_sha256.eq_ignore_ascii_case(&sha256_hex(req.body)) {
        return Err(KmsError::invalid(
            "The x-acs-content-sha256 header does not match the body.",
        ));
    }
    check_time(required(req, "x-acs-date")?, env)?;
    let credential = lookup(env.credentials, &auth.access_key_id)?;
    let request = rpc::v3::Request::new(req.method)
        .path(req.path)
        .query(&req.params.query)
        .headers(req.headers)
        .signed_headers(&auth.signed_headers);
    let secret = AccessKeySecret::new(credential.access_key_secret());
    let expected = rpc::v3::compute(&request, &secret);
    if !constant_time_eq(
        expected.signature.as_bytes(),
        auth.signature.to_ascii_lowercase().as_bytes(),
    ) {
        record.signature = SignatureVerdict::Invalid;
        return Err(signature_mismatch(&expected.string_to_sign));
    }
    let token = req.header("x-acs-security-token");
    finish(
        &credential,
        token,
        nonce,
        env,
        record,
        SignatureVerdict::ValidV3,
    )
}
