//! [`KmsError`]: an error answer of KMS, with its code, message and request id.

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
}
