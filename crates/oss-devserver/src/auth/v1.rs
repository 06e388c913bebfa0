//! V1 (`OSS <AccessKeyId>:<Signature>`): header form and presigned URLs.

use oss_signing::{AccessKeySecret, constant_time_eq, oss_v1};

use super::{Verifier, expired, mismatch, missing_date, text_headers};
use crate::oss::Req;
use crate::oss_error::{OssError, OssResult};

fn compare(
    verifier: &Verifier,
    inputs: &oss_v1::Request<'_>,
    access_key_id: &str,
    date_line: &str,
    provided: &str,
) -> OssResult<()> {
    let credential = verifier.lookup(access_key_id)?;
    let secret = AccessKeySecret::new(credential.access_key_secret());
    let computed = oss_v1::compute(inputs, date_line, &secret);
    if constant_time_eq(computed.signature.as_bytes(), provided.as_bytes()) {
        Ok(())
    } else {
        Err(mismatch(access_key_id, provided, &computed.string_to_sign))
    }
}

/// `Authorization: OSS ak:sig`; the date line is `x-oss-date`, else `Date`.
pub(super) fn verify_header(
    verifier: &Verifier,
    req: &Req,
    inputs: &oss_v1::Request<'_>,
    auth: &str,
) -> OssResult<()> {
    let (access_key_id, provided) = oss_v1::parse_authorization(auth).map_err(|_| {
        OssError::invalid_argument("Authorization header is invalid.", "Authorization", auth)
    })?;
    let credential = verifier.lookup(access_key_id)?;
    let token = req
        .header("x-oss-security-token")
        .or_else(|| req.header("security-token"));
    Verifier::check_token(&credential, token)?;
    let date_line = oss_v1::date_line(text_headers(req)).ok_or_else(missing_date)?;
    let unix = oss_signing::time::parse_rfc1123(date_line).map_err(|_| missing_date())?;
    verifier.check_skew(unix, date_line)?;
    compare(verifier, inputs, access_key_id, date_line, provided)
}

/// `?OSSAccessKeyId=..&Expires=..&Signature=..[&security-token=..]`; the date line is `Expires`.
pub(super) fn verify_query(
    verifier: &Verifier,
    req: &Req,
    inputs: &oss_v1::Request<'_>,
) -> OssResult<()> {
    let q = &req.query;
    let param = |name: &'static str| {
        q.get(name)
            .ok_or_else(|| OssError::invalid_argument(format!("{name} is required."), name, ""))
    };
    let access_key_id = param("OSSAccessKeyId")?;
    let expires_text = param("Expires")?;
    let provided = param("Signature")?;
    let credential = verifier.lookup(access_key_id)?;
    Verifier::check_token(&credential, q.get("security-token"))?;
    let expires: u64 = expires_text.parse().map_err(|_| {
        OssError::invalid_argument("Expires is not a Unix time.", "Expires", expires_text)
    })?;
    if verifier.now() > expires {
        return Err(expired("0002-00000069").with("Expires", expires_text));
    }
    compare(verifier, inputs, access_key_id, expires_text, provided)
}
