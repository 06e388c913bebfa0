//! V4 (`OSS4-HMAC-SHA256`): header form and presigned URLs.

use oss_signing::oss_v4::{self, ALGORITHM};
use oss_signing::{AccessKeySecret, constant_time_eq};

use super::{Verifier, expired, mismatch, missing_date};
use crate::oss::Req;
use crate::oss_error::{OssError, OssResult};

/// Presigned URLs live at most seven days.
const MAX_EXPIRES: u64 = 604_800;

struct Claim<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    product: &'a str,
    x_oss_date: &'a str,
    additional: Vec<&'a str>,
    provided: &'a str,
}

fn compare(verifier: &Verifier, request: oss_v4::Request<'_>, claim: &Claim<'_>) -> OssResult<()> {
    if claim.x_oss_date.get(..8) != Some(claim.date) {
        return Err(OssError::invalid_argument(
            "The date in x-oss-date does not match the credential scope.",
            "x-oss-date",
            claim.x_oss_date,
        ));
    }
    if claim.region != verifier.region {
        return Err(OssError::invalid_argument(
            format!("The signing region must be {}.", verifier.region),
            "x-oss-credential",
            claim.region,
        ));
    }
    let credential = verifier.lookup(claim.access_key_id)?;
    let secret = AccessKeySecret::new(credential.access_key_secret());
    let request = request.additional_headers(&claim.additional);
    let context = oss_v4::Context {
        x_oss_date: claim.x_oss_date,
        region: claim.region,
        product: claim.product,
    };
    let computed = oss_v4::compute(&request, &context, &secret);
    if constant_time_eq(computed.signature.as_bytes(), claim.provided.as_bytes()) {
        Ok(())
    } else {
        Err(mismatch(
            claim.access_key_id,
            claim.provided,
            &computed.string_to_sign,
        )
        .with("CanonicalRequest", computed.canonical_request))
    }
}

fn bad_auth(value: &str) -> OssError {
    OssError::invalid_argument("Authorization header is invalid.", "Authorization", value)
}

/// `Authorization: OSS4-HMAC-SHA256 Credential=..,AdditionalHeaders=..,Signature=..`.
pub(super) fn verify_header(
    verifier: &Verifier,
    req: &Req,
    inputs: &oss_v4::Request<'_>,
    auth: &str,
) -> OssResult<()> {
    let parsed = oss_v4::parse_authorization(auth).map_err(|_| bad_auth(auth))?;
    let credential = verifier.lookup(&parsed.access_key_id)?;
    Verifier::check_token(&credential, req.header("x-oss-security-token"))?;
    let x_oss_date = req.header("x-oss-date").ok_or_else(missing_date)?;
    let unix = oss_signing::time::parse_iso8601_basic(x_oss_date).map_err(|_| missing_date())?;
    verifier.check_skew(unix, x_oss_date)?;
    let claim = Claim {
        access_key_id: &parsed.access_key_id,
        date: &parsed.scope.date,
        region: &parsed.scope.region,
        product: &parsed.scope.product,
        x_oss_date,
        additional: parsed
            .additional_headers
            .iter()
            .map(String::as_str)
            .collect(),
        provided: &parsed.signature,
    };
    compare(verifier, inputs.clone(), &claim)
}

/// `?x-oss-signature-version=..&x-oss-credential=..&x-oss-date=..&x-oss-expires=..&x-oss-signature=..`.
pub(super) fn verify_query(
    verifier: &Verifier,
    req: &Req,
    inputs: &oss_v4::Request<'_>,
) -> OssResult<()> {
    let q = &req.query;
    let param = |name: &'static str| {
        q.get(name)
            .ok_or_else(|| OssError::invalid_argument(format!("{name} is required."), name, ""))
    };
    let version = param("x-oss-signature-version")?;
    if version != ALGORITHM {
        return Err(OssError::invalid_argument(
            "Unsupported signature version.",
            "x-oss-signature-version",
            version,
        ));
    }
    let credential_text = param("x-oss-credential")?;
    let (access_key_id, scope) = oss_v4::parse_credential(credential_text).map_err(|_| {
        OssError::invalid_argument(
            "x-oss-credential is invalid.",
            "x-oss-credential",
            credential_text,
        )
    })?;
    let x_oss_date = param("x-oss-date")?;
    let expires_text = param("x-oss-expires")?;
    let provided = param("x-oss-signature")?;
    let credential = verifier.lookup(&access_key_id)?;
    Verifier::check_token(&credential, q.get("x-oss-security-token"))?;
    let start = oss_signing::time::parse_iso8601_basic(x_oss_date).map_err(|_| {
        OssError::invalid_argument("x-oss-date is invalid.", "x-oss-date", x_oss_date)
    })?;
    let expires: u64 = expires_text
        .parse()
        .ok()
        .filter(|e| *e <= MAX_EXPIRES)
        .ok_or_else(|| {
            OssError::invalid_argument("x-oss-expires is invalid.", "x-oss-expires", expires_text)
        })?;
    let now = verifier.now();
    if now.saturating_add(verifier.max_skew.as_secs()) < start
        || now > start.saturating_add(expires)
    {
        return Err(expired("0002-00000235"));
    }
    let additional = q
        .get("x-oss-additional-headers")
        .unwrap_or("")
        .split(';')
        .filter(|s| !s.is_empty())
        .collect();
    let claim = Claim {
        access_key_id: &access_key_id,
        date: &scope.date,
        region: &scope.region,
        product: &scope.product,
        x_oss_date,
        additional,
        provided,
    };
    let unsigned = q.pairs().iter().filter(|(n, _)| n != "x-oss-signature");
    compare(verifier, inputs.clone().query(unsigned), &claim)
}
