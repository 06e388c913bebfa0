//! What the caller asked for that cannot be done: invalid input, and operations refused
//! client-side because they would break an envelope.

use std::path::PathBuf;

/// Why the caller's input is invalid ([`Error::InvalidInput`](crate::Error::InvalidInput)).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputError {
    /// The configured part size is not a multiple of 16 of at least `minimum` bytes.
    #[error("part size {part_size} must be a multiple of 16 and at least {minimum}")]
    PartSize {
        /// The configured part size.
        part_size: u64,
        /// The smallest part size allowed.
        minimum: u64,
    },
    /// The configured concurrency is zero.
    #[error("concurrency must be at least 1")]
    Concurrency,
    /// A part's data is not the length the upload's layout gives that part.
    #[error("part {number} must be exactly {expected} bytes, got {actual}")]
    PartLength {
        /// The part number.
        number: u32,
        /// The length the layout gives it.
        expected: u64,
        /// The length supplied.
        actual: u64,
    },
    /// A file range reaches past the end of the file.
    #[error("{}: range {offset}+{len} beyond the file's {file_size} bytes", path.display())]
    FileRange {
        /// The file.
        path: PathBuf,
        /// First byte of the range.
        offset: u64,
        /// Length of the range.
        len: u64,
        /// Size of the file.
        file_size: u64,
    },
    /// A file range was given where a whole object is expected.
    #[error("a file range is a part, not an object; use File")]
    RangeAsObject,
    /// A plaintext MD5 was asked for a one-shot stream, which can be read only once.
    #[error("cannot compute the MD5 of a one-shot stream before sending it; pass content_md5")]
    StreamMd5,
    /// The given `content_md5` is not the Base64 of 16 bytes.
    #[error("content_md5 must be the base64 of a 16-byte MD5")]
    ContentMd5,
    /// The caller set a header that only the client writes (an envelope header).
    #[error("header {name} is written by the client, not the caller")]
    EnvelopeHeader {
        /// The header name.
        name: String,
    },
    /// A user metadata name is one the envelope uses.
    #[error("metadata {name} is reserved for the envelope")]
    EnvelopeMetadata {
        /// The metadata name as given (without `x-oss-meta-`).
        name: String,
    },
    /// A header name is not a valid HTTP header name.
    #[error("invalid header name {name:?}")]
    HeaderName {
        /// The name as given.
        name: String,
    },
    /// A header value is not a valid HTTP header value (the value itself is not repeated).
    #[error("invalid value for header {name}")]
    HeaderValue {
        /// The header name.
        name: String,
    },
}

/// Why an operation is refused client-side ([`Error::Refused`](crate::Error::Refused)): it
/// would drop, change or misuse an envelope.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The object has no envelope, so there is no master key to rotate.
    #[error("{key} has no envelope to rotate")]
    NoEnvelope {
        /// The object key.
        key: String,
    },
    /// Metadata was given for a copy that keeps the source's (OSS ignores it there).
    #[error("metadata in a COPY-directive copy is ignored by OSS; use replace_metadata")]
    CopyDirectiveMetadata,
    /// A copy's headers would give the destination another value of an envelope header.
    #[error("copy would change envelope header {name}")]
    EnvelopeChange {
        /// The header name.
        name: String,
    },
    /// A copy's metadata names an envelope header.
    #[error("copy would set envelope header {name} from metadata")]
    EnvelopeFromMetadata {
        /// The header name.
        name: String,
    },
    /// AppendObject: each append would need the object under a fresh envelope.
    #[error("append to {key}: AppendObject is not supported for client-side encrypted objects")]
    Append {
        /// The object key.
        key: String,
    },
    /// UploadPartCopy: a copied range keeps the source's key and counters.
    #[error("UploadPartCopy from {source_key}: not supported for client-side encrypted objects")]
    UploadPartCopy {
        /// The key the range would be copied from.
        source_key: String,
    },
    /// An object key does not map to a path inside the download directory (`..`, an
    /// absolute path, a backslash, an empty segment).
    #[error("key {key:?} does not map to a path inside the directory")]
    KeyOutsideDirectory {
        /// The object key.
        key: String,
    },
}
