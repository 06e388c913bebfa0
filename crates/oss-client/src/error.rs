//! Errors: server answers (`ServiceError`), transport failures, integrity failures.
//!
//! [`Error::is_retryable`] is the single place that decides what the retry loop retries.

use core::fmt;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// An error answer from OSS (oss-api.md §8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// HTTP status.
    pub status: u16,
    /// OSS error code (`NoSuchKey`, ...); `BadErrorResponse` when the body was unreadable.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// `x-oss-request-id` / `<RequestId>`.
    pub request_id: String,
    /// `x-oss-ec` / `<EC>` when present.
    pub ec: Option<String>,
    /// `<HostId>` when present.
    pub host_id: Option<String>,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A HEAD answer has no body: its code and message are empty and are left out.
        write!(f, "status {}", self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(ec) = &self.ec {
            write!(f, " (ec {ec})")?;
        }
        if !self.request_id.is_empty() {
            write!(f, " (request id {})", self.request_id)?;
        }
        Ok(())
    }
}

/// Errors of the OSS client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The object, bucket or upload does not exist (HTTP 404).
    #[error("not found: {0}")]
    NotFound(Box<ServiceError>),
    /// A condition (`If-Match`, ...) failed: 412, or 304 for `If-None-Match`.
    #[error("precondition failed: {0}")]
    PreconditionFailed(Box<ServiceError>),
    /// The server did not accept the request's credentials: HTTP 401, or a 403 whose code
    /// says so (see [`Error::is_credential_rejection`]: an unknown AccessKeyId, a signature
    /// made with another secret, an invalid or expired security token, a request time too far
    /// from the server's).
    #[error("unauthenticated: {0}")]
    Unauthenticated(Box<ServiceError>),
    /// The credentials were accepted but the request is not allowed: any other 403
    /// (`AccessDenied`: a RAM or bucket policy, an expired presigned URL, ...).
    #[error("permission denied: {0}")]
    PermissionDenied(Box<ServiceError>),
    /// Any other error answer from the server.
    #[error("oss error: {0}")]
    Service(Box<ServiceError>),
    /// The request could not be sent or the response not received.
    #[error("transport error during {operation}: {source}")]
    Transport {
        /// The operation name.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: Box<dyn core::error::Error + Send + Sync>,
        /// Whether sending it again may succeed (connection reset, timeout, ...).
        retryable: bool,
    },
    /// The CRC-64 computed over the transferred bytes differs from the server's.
    #[error("crc-64 mismatch during {operation}: server {server}, client {client}")]
    CrcMismatch {
        /// The operation name.
        operation: &'static str,
        /// `x-oss-hash-crc64ecma` (or the combined part CRCs).
        server: u64,
        /// Computed over the bytes sent or received.
        client: u64,
    },
    /// A body had a different length than declared or announced.
    #[error("body length mismatch during {operation}: expected {expected}, got {actual}")]
    BodyLength {
        /// The operation name.
        operation: &'static str,
        /// Declared or announced length.
        expected: u64,
        /// Bytes actually seen.
        actual: u64,
    },
    /// The server's answer is malformed (bad XML, missing or invalid header).
    #[error("invalid response to {operation}: {detail}")]
    InvalidResponse {
        /// The operation name.
        operation: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The credentials provider failed; [`CredentialsError::is_configuration`] tells a bad
    /// configuration (a missing profile) from a source that failed.
    ///
    /// [`CredentialsError::is_configuration`]: oss_credentials::CredentialsError::is_configuration
    #[error("credentials unavailable: {0}")]
    Credentials(#[from] oss_credentials::CredentialsError),
    /// Invalid configuration or argument (bad endpoint, key, header, range).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A local file or stream error.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// Classifies a server error answer, as the client does with every non-2xx response.
impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Self::from_service(e)
    }
}

impl Error {
    /// Whether the retry loop may send the request again (oss-api.md §11): HTTP 5xx, 408, 429,
    /// `RequestTimeTooSkewed`, connection errors and CRC mismatches.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Service(e) | Self::Unauthenticated(e) => {
                e.status >= 500
                    || e.status == 408
                    || e.status == 429
                    || e.code == "RequestTimeTooSkewed"
            }
            Self::Transport { retryable, .. } => *retryable,
            Self::CrcMismatch { .. } => true,
            _ => false,
        }
    }

    /// Whether this is [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_))
    }

    /// The server's error details, for the variants that carry them.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::NotFound(e)
            | Self::PreconditionFailed(e)
            | Self::Unauthenticated(e)
            | Self::PermissionDenied(e)
            | Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the server refused the request's credentials, not its permissions:
    /// [`Error::Unauthenticated`].
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Unauthenticated(_))
    }

    /// Whether a 403 answer's `code` says the credentials were not accepted (oss-api.md §3,
    /// §8.2), rather than that an authenticated request is not allowed.
    pub fn is_credential_rejection(code: &str) -> bool {
        CREDENTIAL_REJECTIONS.contains(&code)
    }

    /// Classifies a server error answer.
    pub(crate) fn from_service(e: ServiceError) -> Self {
        match e.status {
            404 => Self::NotFound(Box::new(e)),
            304 | 412 => Self::PreconditionFailed(Box::new(e)),
            401 => Self::Unauthenticated(Box::new(e)),
            403 if Self::is_credential_rejection(&e.code) => Self::Unauthenticated(Box::new(e)),
            403 => Self::PermissionDenied(Box::new(e)),
            _ => Self::Service(Box::new(e)),
        }
    }

    pub(crate) fn transport(operation: &'static str, e: reqwest::Error) -> Self {
        let retryable = oss_transport::is_retryable(&e);
        Self::Transport {
            operation,
            source: Box::new(e.without_url()),
            retryable,
        }
    }

    /// A body that broke before its announced end: says how far it got, and keeps the
    /// transport's cause (reset, decode error, ...) as the source.
    pub(crate) fn body_cut(
        operation: &'static str,
        received: u64,
        expected: u64,
        e: reqwest::Error,
    ) -> Self {
        let retryable = oss_transport::is_retryable(&e);
        Self::Transport {
            operation,
            source: Box::new(BodyCut {
                received,
                expected,
                source: e.without_url(),
            }),
            retryable,
        }
    }

    /// A capped body read that failed: a cut connection is a transport error, an oversized
    /// body an invalid response.
    pub(crate) fn body(operation: &'static str, e: oss_transport::BodyError) -> Self {
        match e {
            oss_transport::BodyError::Transport(e) => Self::transport(operation, e),
            too_large => Self::invalid_response(operation, too_large.to_string()),
        }
    }

    pub(crate) fn invalid_response(operation: &'static str, detail: impl Into<String>) -> Self {
        Self::InvalidResponse {
            operation,
            detail: detail.into(),
        }
    }
}

/// The 403 codes OSS (and the dev server) answer when it cannot authenticate the request.
const CREDENTIAL_REJECTIONS: [&str; 5] = [
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidSecurityToken",
    "SecurityTokenExpired",
    "RequestTimeTooSkewed",
];

/// The cause of a [`Error::Transport`] whose body ended early.
#[derive(Debug, thiserror::Error)]
#[error("connection closed after {received} of {expected} bytes")]
struct BodyCut {
    received: u64,
    expected: u64,
    #[source]
    source: reqwest::Error,
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        use std::io::ErrorKind;
        let kind = match &e {
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::PreconditionFailed(_) => ErrorKind::InvalidInput,
            Error::Unauthenticated(_) | Error::PermissionDenied(_) => ErrorKind::PermissionDenied,
            Error::Transport { .. } => ErrorKind::ConnectionAborted,
            Error::CrcMismatch { .. }
            | Error::BodyLength { .. }
            | Error::InvalidResponse { .. } => ErrorKind::InvalidData,
            Error::Io(io) => io.kind(),
            _ => ErrorKind::Other,
        };
        Self::new(kind, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: u16, code: &str) -> Error {
        Error::from_service(ServiceError {
            status,
            code: code.into(),
            ..ServiceError::default()
        })
    }

    #[test]
    fn classification() {
        assert!(service(404, "NoSuchKey").is_not_found());
        assert!(matches!(
            service(412, "PreconditionFailed"),
            Error::PreconditionFailed(_)
        ));
        assert!(service(500, "InternalError").is_retryable());
        assert!(service(503, "ServiceUnavailable").is_retryable());
        assert!(service(429, "TooManyRequests").is_retryable());
        assert!(service(403, "RequestTimeTooSkewed").is_retryable());
        assert!(!service(403, "SignatureDoesNotMatch").is_retryable());
        for (status, code) in [
            (401, ""),
            (403, "SignatureDoesNotMatch"),
            (403, "InvalidAccessKeyId"),
            (403, "SecurityTokenExpired"),
        ] {
            assert!(
                service(status, code).is_unauthenticated(),
                "{status} {code}"
            );
        }
        assert!(matches!(
            service(403, "AccessDenied"),
            Error::PermissionDenied(_)
        ));
        assert_eq!(
            std::io::Error::from(service(403, "AccessDenied")).kind(),
            std::io::ErrorKind::PermissionDenied
        );
        assert!(!service(404, "NoSuchKey").is_retryable());
        let crc = Error::CrcMismatch {
            operation: "GetObject",
            server: 1,
            client: 2,
        };
        assert!(crc.is_retryable());
        assert_eq!(
            std::io::Error::from(service(404, "NoSuchKey")).kind(),
            std::io::ErrorKind::NotFound
        );
    }

    #[test]
    fn service_errors_leave_out_empty_fields() {
        // a HEAD 404: no body, so no code, message or request id
        assert_eq!(service(404, "").to_string(), "not found: status 404");
        let full = ServiceError {
            status: 404,
            code: "NoSuchKey".into(),
            message: "The specified key does not exist.".into(),
            request_id: "R1".into(),
            ..ServiceError::default()
        };
        assert_eq!(
            full.to_string(),
            "status 404 NoSuchKey: The specified key does not exist. (request id R1)"
        );
    }
}
