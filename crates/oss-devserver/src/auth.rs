//! Signature verification for every OSS request: V1 and V4, header and presigned-URL forms,
//! STS tokens, clock skew and expiry (spec `oss-api.md` §3.4 and §4.7).
//!
//! The signature math is `oss-signing`'s; this module only decides which form a request uses,
//! rebuilds the inputs from what was received (decoded bucket, key and query, never the raw
//! path) and maps failures to OSS error answers.

mod v1;
mod v4;

use core::time::Duration;
use std::time::SystemTime;

use http::StatusCode;
use oss_signing::{Request, constant_time_eq};

use crate::credentials::{CredentialStore, DevCredential, LookupFailure};
use crate::oss::Req;
use crate::oss_error::{OssError, OssResult};

/// Checks request signatures against the configured credentials.
#[derive(Debug)]
pub(crate) struct Verifier {
    credentials: CredentialStore,
    region: String,
    max_skew: Duration,
    fixed_clock: Option<u64>,
}

/// The headers whose values are text: the others cannot have been signed.
fn text_headers(req: &Req) -> impl Iterator<Item = (&str, &str)> {
    req.headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
}

/// The request as both signature versions see it: decoded bucket, key and query (never the
/// raw path) and the text headers.
fn signed_view(req: &Req) -> Request<'_> {
    Request::new(req.method.as_str())
        .bucket(req.target.bucket.as_deref())
        .key(req.target.key.as_deref())
        .query(req.query.pairs())
        .headers(text_headers(req))
}

impl Verifier {
    pub(crate) fn new(
        credentials: CredentialStore,
        region: String,
        max_skew: Duration,
        fixed_clock: Option<u64>,
    ) -> Self {
        Self {
            credentials,
            region,
            max_skew,
            fixed_clock,
        }
    }

    /// The server's clock: the fixed clock if configured, else the system's (Unix seconds).
    pub(crate) fn now(&self) -> u64 {
        self.fixed_clock.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
    }

    /// Verifies the request's signature, or explains why it is refused.
    pub(crate) fn verify(&self, req: &Req) -> OssResult<()> {
        let q = &req.query;
        let v1_query = q.has("OSSAccessKeyId") || q.has("Signature");
        let v4_query = q.has("x-oss-signature") || q.has("x-oss-credential");
        let inputs = signed_view(req);
        match req.header("authorization") {
            Some(_) if v1_query || v4_query => Err(OssError::invalid_argument(
                "Authorization header and query-string signature cannot both be present.",
                "Authorization",
                "",
            )),
            Some(a) if a.starts_with("OSS4-HMAC-SHA256") => {
                v4::verify_header(self, req, &inputs, a)
            }
            Some(a) if a.starts_with("OSS ") => v1::verify_header(self, req, &inputs, a),
            Some(a) => Err(OssError::invalid_argument(
                "Authorization header is invalid.",
                "Authorization",
                a,
            )),
            None if v4_query => v4::verify_query(self, req, &inputs),
            None if v1_query => v1::verify_query(self, req, &inputs),
            None => Err(OssError::new(
                StatusCode::FORBIDDEN,
                "AccessDenied",
                "You have no right to access this object because of bucket acl.",
            )
            .ec("0003-00000001")),
        }
    }

    fn lookup(&self, access_key_id: &str) -> OssResult<DevCredential> {
        self.credentials
            .lookup(access_key_id)
            .map_err(|failure| match failure {
                LookupFailure::Expired => OssError::new(
                    StatusCode::FORBIDDEN,
                    "SecurityTokenExpired",
                    "The security token you provided has expired.",
                )
                .with("OSSAccessKeyId", access_key_id),
                LookupFailure::Unknown => OssError::new(
                    StatusCode::FORBIDDEN,
                    "InvalidAccessKeyId",
                    "The OSS Access Key Id you provided does not exist in our records.",
                )
                .with("OSSAccessKeyId", access_key_id)
                .ec("0002-00000902"),
            })
    }

    /// The security token must be present exactly when the key is an STS key, and match
    /// (compared in constant time, like signatures and the KMS stand-in's token check).
    fn check_token(credential: &DevCredential, sent: Option<&str>) -> OssResult<()> {
        let matches = match (credential.security_token(), sent) {
            (None, None) => true,
            (Some(expected), Some(sent)) => constant_time_eq(expected.as_bytes(), sent.as_bytes()),
            _ => false,
        };
        if matches {
            return Ok(());
        }
        Err(OssError::new(
            StatusCode::FORBIDDEN,
            "InvalidSecurityToken",
            "The security token you provided is invalid or does not belong to this access key.",
        ))
    }

    /// Enforces the allowed clock difference for a header-form request time.
    fn check_skew(&self, request_unix: u64, shown: &str) -> OssResult<()> {
        let now = self.now();
        if now.abs_diff(request_unix) <= self.max_skew.as_secs() {
            return Ok(());
        }
        Err(OssError::new(
            StatusCode::FORBIDDEN,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )
        .with("RequestTime", shown)
        .with("ServerTime", oss_signing::time::iso8601_extended(now))
        .with(
            "MaxAllowedSkewMilliseconds",
            (self.max_skew.as_millis()).to_string(),
        )
        .ec("0002-00000504"))
    }
}

/// The answer to a wrong signature, carrying the server's string to sign as OSS does.
fn mismatch(access_key_id: &str, provided: &str, string_to_sign: &str) -> OssError {
    let bytes: Vec<String> = string_to_sign.bytes().map(|b| format!("{b:02X}")).collect();
    OssError::new(
        StatusCode::FORBIDDEN,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check \
         your key and signing method.",
    )
    .with("OSSAccessKeyId", access_key_id)
    .with("SignatureProvided", provided)
    .with("StringToSign", string_to_sign)
    .with("StringToSignBytes", bytes.join(" "))
    .ec("0002-00000040")
}

fn expired(ec: &'static str) -> OssError {
    OssError::new(
        StatusCode::FORBIDDEN,
        "AccessDenied",
        "Request has expired.",
    )
    .ec(ec)
}

fn missing_date() -> OssError {
    OssError::new(
        StatusCode::FORBIDDEN,
        "AccessDenied",
        "OSS authentication requires a valid Date.",
    )
    .ec("0002-00000012")
}
