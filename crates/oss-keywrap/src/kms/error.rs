//! [`KmsError`]: an error answer of KMS, with its code, message and request id, and what it
//! says about the caller ([`AccessRefusal`]) as opposed to the key.

/// KMS answered with an error (spec kms-api §2.2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("kms error {code} (http {status}, request id {request_id}): {message}")]
pub struct KmsError {
    status: u16,
    code: String,
    message: String,
    request_id: String,
}

impl KmsError {
    /// An error answer.
    #[must_use]
    pub fn new(
        status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            request_id: request_id.into(),
        }
    }

    /// The HTTP status.
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.status
    }

    /// The error code (`Throttling`, `Forbidden.KeyNotFound`, ...).
    #[must_use]
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The error message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request id KMS assigned (empty when the answer had none).
    #[must_use]
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Whether a retry may succeed: HTTP 5xx and the throttling and availability codes.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        self.status >= 500
            || self.code.starts_with("Throttling")
            || matches!(
                self.code.as_str(),
                "Rejected.Throttling" | "ServiceUnavailableTemporary" | "InternalFailure"
            )
    }

    /// Whether KMS refused the caller rather than the key (spec kms-api §2.2): the
    /// AccessKey was not accepted ([`AccessRefusal::Unauthenticated`]), or an authenticated
    /// caller may not use KMS or this key ([`AccessRefusal::PermissionDenied`]). `None` for
    /// the key's own errors (`Forbidden.KeyNotFound`, `Forbidden.AliasNotFound`,
    /// `Rejected.Disabled`, a context mismatch) and for everything else.
    #[must_use]
    pub fn access_refusal(&self) -> Option<AccessRefusal> {
        let code = self.code.as_str();
        if self.status == 401 || CREDENTIAL_REJECTIONS.iter().any(|p| code.starts_with(p)) {
            Some(AccessRefusal::Unauthenticated)
        } else if KEY_NOT_FOUND.contains(&code) {
            None
        } else if self.status == 403 || code.starts_with("Forbidden.") {
            Some(AccessRefusal::PermissionDenied)
        } else {
            None
        }
    }
}

/// How KMS refused the caller ([`KmsError::access_refusal`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessRefusal {
    /// The request's credentials were not accepted: wrong secret, unknown or disabled
    /// AccessKeyId, missing, wrong or expired security token, a timestamp off the clock.
    Unauthenticated,
    /// The caller is authenticated but not allowed: a RAM policy, KMS not enabled, an account
    /// in debt.
    PermissionDenied,
}

/// Code prefixes of answers that refuse the request's credentials (spec kms-api §2.2, and the
/// common error codes of the RPC API).
const CREDENTIAL_REJECTIONS: [&str; 8] = [
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId",
    "InvalidSecurityToken",
    "MissingSecurityToken",
    "Forbidden.AccessKey",
    "IllegalTimestamp",
    "InvalidTimeStamp",
];

/// The `Forbidden.` codes that are about the key id, not the caller.
const KEY_NOT_FOUND: [&str; 2] = ["Forbidden.KeyNotFound", "Forbidden.AliasNotFound"];

#[cfg(test)]
mod tests {
    use super::{AccessRefusal, KmsError};

    fn refusal(status: u16, code: &str) -> Option<AccessRefusal> {
        KmsError::new(status, code, "m", "r").access_refusal()
    }

    #[test]
    fn caller_refusals_are_told_from_key_errors() {
        use AccessRefusal::{PermissionDenied, Unauthenticated};
        for (status, code) in [
            (400, "SignatureDoesNotMatch"),
            (400, "IncompleteSignature"),
            (404, "InvalidAccessKeyId.NotFound"),
            (400, "InvalidSecurityToken.Expired"),
            (400, "InvalidSecurityToken.MismatchWithAccessKey"),
            (400, "MissingSecurityToken"),
            (403, "Forbidden.AccessKeyDisabled"),
            (400, "InvalidTimeStamp.Expired"),
            (401, "Unauthorized"),
        ] {
            assert_eq!(refusal(status, code), Some(Unauthenticated), "{code}");
        }
        for code in [
            "Forbidden.NoPermission",
            "Forbidden.KmsServiceNotEnabled",
            "Forbidden.InDebtOverdue",
        ] {
            assert_eq!(refusal(403, code), Some(PermissionDenied), "{code}");
        }
        for (status, code) in [
            (404, "Forbidden.KeyNotFound"),
            (404, "Forbidden.AliasNotFound"),
            (409, "Rejected.Disabled"),
            (400, "InvalidParameter"),
            (400, "Throttling"),
            (500, "InternalFailure"),
        ] {
            assert_eq!(refusal(status, code), None, "{code}");
        }
    }
}
