//! What a parser found malformed.
//!
//! The messages name the part of the input that is wrong, never the values around it: an
//! `Authorization` header carries a signature and a presigned URL may carry an STS token.

/// A header, credential, timestamp or escaped text this crate could not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The value does not start with the expected scheme name followed by a space.
    #[error("not an {expected} authorization")]
    Scheme {
        /// The scheme the parser expected (`OSS`, `OSS4-HMAC-SHA256`, `ACS3-HMAC-SHA256`).
        expected: &'static str,
    },
    /// A comma-separated item is not `name=value`.
    #[error("an authorization item is not name=value")]
    Item,
    /// An item name the scheme does not define.
    #[error("unknown authorization item {0:?}")]
    UnknownItem(String),
    /// A required part is absent.
    #[error("{0} is missing")]
    Missing(&'static str),
    /// A V4 credential is not `<AccessKeyId>/<YYYYMMDD>/<region>/<product>/aliyun_v4_request`.
    #[error("the credential {0}")]
    Credential(CredentialFault),
    /// Text that is not the named timestamp form (or not a real date and time).
    #[error("not a valid {0} timestamp")]
    Timestamp(TimeFormat),
    /// Percent-decoded bytes that are not UTF-8.
    #[error("the decoded text is not UTF-8")]
    NotUtf8,
}

/// How a V4 credential is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialFault {
    /// Fewer than five `/`-separated parts.
    #[error("has fewer than five /-separated parts")]
    TooFewParts,
    /// The last part is not `aliyun_v4_request`.
    #[error("does not end in aliyun_v4_request")]
    Terminator,
    /// The date part is not eight characters.
    #[error("date is not YYYYMMDD")]
    Date,
    /// The AccessKey id is empty.
    #[error("has an empty AccessKey id")]
    EmptyAccessKeyId,
}

/// The timestamp forms of [`crate::time`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeFormat {
    /// `20231216T162057Z`.
    #[error("ISO 8601 basic (20231216T162057Z)")]
    Iso8601Basic,
    /// `2024-01-02T03:04:05Z`.
    #[error("ISO 8601 extended (2024-01-02T03:04:05Z)")]
    Iso8601Extended,
    /// `Sat, 16 Dec 2023 16:20:57 GMT`.
    #[error("RFC 1123 (Sat, 16 Dec 2023 16:20:57 GMT)")]
    Rfc1123,
}
