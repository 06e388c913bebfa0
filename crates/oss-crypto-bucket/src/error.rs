//! The error type of the crate: typed causes for every refusal and integrity failure.

mod input;
mod response;

use std::path::PathBuf;

pub use input::{InputError, Refusal};
pub use response::{ReadKind, ResponseError};

/// Result alias of the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong in a [`CryptoBucket`](crate::CryptoBucket) operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The object uses the legacy V1 format and legacy reading is off.
    #[error(
        "the object uses the deprecated V1 client-side encryption format; enable legacy \
         decryption with CryptoOptions::with_legacy_v1(true) to read it"
    )]
    LegacyV1Disabled,
    /// The envelope headers are missing, incomplete or malformed, or a range or multipart
    /// layout is invalid.
    #[error(transparent)]
    Envelope(#[from] oss_envelope::Error),
    /// A range is invalid, or the server's `Content-Range` does not match the request.
    #[error("range: {0}")]
    Range(oss_envelope::RangeError),
    /// The master key could not wrap or unwrap (wrong key, no matching matdesc, KMS failure).
    #[error(transparent)]
    KeyWrap(#[from] oss_keywrap::Error),
    /// The OSS request failed.
    #[error(transparent)]
    Client(oss_client::Error),
    /// The server answered something the request does not allow (wrong status, missing
    /// header); a wrong `Content-Range` is [`Error::Range`].
    #[error("unexpected response: {0}")]
    UnexpectedResponse(ResponseError),
    /// The requested range lies outside the object.
    #[error("range not satisfiable{}", object_size.map(|n| format!(": the object has {n} bytes")).unwrap_or_default())]
    RangeNotSatisfiable {
        /// Size of the object, when known (not from a bare 416 answer, which carries none).
        object_size: Option<u64>,
    },
    /// A check of the data failed: CRC-64, MD5 or length.
    #[error("integrity check failed: {0}")]
    Integrity(#[from] IntegrityError),
    /// The caller's input is invalid (part length, file range, sizes, options, headers).
    #[error("invalid input: {0}")]
    InvalidInput(InputError),
    /// The operation would break the envelope or its CTR layout and is refused client-side.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The local file being uploaded changed (size or modification time) while it was read.
    /// The object was not written (the body was cut before its end, or the multipart upload
    /// was not completed).
    #[error("{} changed during the upload; the object was not written", path.display())]
    SourceChanged {
        /// The file.
        path: PathBuf,
    },
    /// A resumable download was pointed at something that is not a regular file (`/dev/null`,
    /// a FIFO): its parts are written out of order into a temp file, which a stream cannot
    /// take. Nothing was requested.
    #[error("{} is not a regular file: a resumable download needs one", path.display())]
    NotAFile {
        /// The target.
        path: PathBuf,
    },
    /// A multipart upload started with an encrypt-only master key (a public RSA key) cannot be
    /// continued by another process with that key: the upload's data key exists only wrapped
    /// (in the checkpoint and the upload's envelope), and only the private key unwraps it.
    #[error(
        "upload {upload_id} cannot be resumed with an encrypt-only master key: its data key is \
         stored only wrapped, and unwrapping it needs the private key (this is inherent to \
         public-key encryption, not a fault). Resume with the private key (for the CLI: \
         --rsa-private), or abort the upload and start again with the public key"
    )]
    ResumeNeedsPrivateKey {
        /// The multipart upload id.
        upload_id: String,
    },
    /// A checkpoint file cannot be used.
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// Local file I/O failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// Whether repeating the operation may succeed: transient server or network failures,
    /// throttled key services, and transfers cut short or corrupted in transit.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Client(e) => e.is_retryable(),
            Self::KeyWrap(e) => e.is_retryable(),
            Self::Integrity(IntegrityError::Crc64 { .. } | IntegrityError::Length { .. }) => true,
            _ => false,
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Self::InvalidInput(e)
    }
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Self {
        Self::Refused(e)
    }
}

impl From<ResponseError> for Error {
    fn from(e: ResponseError) -> Self {
        Self::UnexpectedResponse(e)
    }
}

impl ResponseError {
    /// An answer without a needed header.
    pub(crate) const fn missing(response: &'static str, header: &'static str) -> Self {
        Self::MissingHeader { response, header }
    }
}

impl From<oss_envelope::RangeError> for Error {
    fn from(e: oss_envelope::RangeError) -> Self {
        match e {
            oss_envelope::RangeError::NotSatisfiable { object_size } => Self::RangeNotSatisfiable {
                object_size: Some(object_size),
            },
            other => Self::Range(other),
        }
    }
}

impl From<oss_client::Error> for Error {
    fn from(e: oss_client::Error) -> Self {
        match e {
            oss_client::Error::CrcMismatch { server, client, .. } => {
                Self::Integrity(IntegrityError::Crc64 {
                    expected: server,
                    actual: client,
                })
            }
            oss_client::Error::BodyLength {
                expected, actual, ..
            } => Self::Integrity(IntegrityError::Length { expected, actual }),
            oss_client::Error::Service(s) if s.status == 416 => {
                Self::RangeNotSatisfiable { object_size: None }
            }
            oss_client::Error::ContentRange {
                problem: oss_client::RangeProblem::Missing,
                ..
            } => Self::UnexpectedResponse(ResponseError::missing("206", "Content-Range")),
            oss_client::Error::ContentRange { problem, .. } => Self::Range(range_error(problem)),
            other => Self::Client(other),
        }
    }
}

/// The envelope's name for a partial answer the client refused: the same refusal whichever
/// layer notices it first.
fn range_error(problem: oss_client::RangeProblem) -> oss_envelope::RangeError {
    use oss_client::{ContentRange, RangeProblem};
    use oss_envelope::{RangeError, RangeField};
    match problem {
        RangeProblem::Malformed(cause) => RangeError::InvalidContentRange(cause),
        RangeProblem::Unsatisfied { received } => RangeError::NotSatisfiable {
            object_size: received.size(),
        },
        RangeProblem::NotRequested {
            requested,
            received: ContentRange::Satisfied { first, last, size },
        } => match requested.span(size) {
            Some((expected, _)) if expected != first => RangeError::Mismatch {
                field: RangeField::FirstByte,
                expected,
                actual: first,
            },
            Some((_, expected)) => RangeError::Mismatch {
                field: RangeField::LastByte,
                expected,
                actual: last,
            },
            None => RangeError::NotSatisfiable { object_size: size },
        },
        RangeProblem::LengthMismatch {
            content_length,
            received,
        } => RangeError::Mismatch {
            field: RangeField::BodyLength,
            expected: received.len(),
            actual: content_length,
        },
        _ => RangeError::MissingContentRange,
    }
}

impl From<oss_envelope::HeaderError> for Error {
    fn from(e: oss_envelope::HeaderError) -> Self {
        Self::Envelope(e.into())
    }
}

impl From<oss_envelope::MultipartError> for Error {
    fn from(e: oss_envelope::MultipartError) -> Self {
        Self::Envelope(e.into())
    }
}

/// Failed integrity checks.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrityError {
    /// CRC-64 of the ciphertext differs from the server's.
    #[error("crc-64 mismatch: expected {expected}, computed {actual}")]
    Crc64 {
        /// Value from the server (or the combined part values).
        expected: u64,
        /// Value computed locally.
        actual: u64,
    },
    /// MD5 of the plaintext differs from `unencrypted-content-md5` or the caller's Content-MD5.
    #[error("plaintext md5 mismatch")]
    Md5,
    /// The body ended before (or ran past) its announced length.
    #[error("body length mismatch: expected {expected} bytes, got {actual}")]
    Length {
        /// Announced length.
        expected: u64,
        /// Bytes received or supplied.
        actual: u64,
    },
    /// A response's envelope is not the one the read was planned from (HEAD, or the
    /// checkpoint): its bytes are neither decrypted nor passed on.
    #[error("envelope mismatch: {0}")]
    Envelope(EnvelopeMismatch),
    /// A response's ETag is not the one the read was pinned to: the server ignored `If-Match`
    /// or served another object.
    #[error("etag mismatch: the read is pinned to {expected}, the response has {}", actual.as_deref().unwrap_or("no ETag"))]
    ETag {
        /// The pinned ETag (from HEAD or the checkpoint).
        expected: String,
        /// The response's ETag, if it had one.
        actual: Option<String>,
    },
    /// The object has no envelope and the read requires one
    /// ([`CryptoOptions::with_require_encrypted`](crate::CryptoOptions::with_require_encrypted)).
    #[error("the object is not client-side encrypted (no envelope) and encryption is required")]
    NotEncrypted,
}

impl IntegrityError {
    /// Compares a computed CRC-64 with the server's.
    pub(crate) fn check_crc64(expected: u64, actual: u64) -> Result<(), Self> {
        if expected == actual {
            Ok(())
        } else {
            Err(Self::Crc64 { expected, actual })
        }
    }
}

/// How a response's envelope differs from the one a read was planned from. Each variant
/// names both sides.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopeMismatch {
    /// One side has an envelope and the other has none.
    #[error("{}", if *planned_encrypted {
        "the read was planned for an encrypted object (envelope present) but the response has no envelope"
    } else {
        "the read was planned for a plain object (no envelope) but the response carries an envelope"
    })]
    Presence {
        /// Whether the plan's side had an envelope (the response's side is the opposite).
        planned_encrypted: bool,
    },
    /// The wrapped data keys differ: the response belongs to another encryption of the object.
    #[error("the response's wrapped data key differs from the one the read was planned with")]
    WrappedKey,
    /// The recorded data sizes differ.
    #[error("data size: planned {}, response {}", show(*planned), show(*response))]
    DataSize {
        /// The plan's `data-size` header, if any.
        planned: Option<u64>,
        /// The response's, if any.
        response: Option<u64>,
    },
    /// Another envelope header differs (IV, algorithms, matdesc, part size, MD5, ...).
    #[error("envelope header {name} differs between the plan and the response")]
    Header {
        /// The header's name.
        name: String,
    },
}

fn show(size: Option<u64>) -> String {
    size.map_or_else(|| "absent".to_owned(), |s| s.to_string())
}

/// Problems with checkpoint files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// The file is not a checkpoint of this format.
    #[error("corrupt checkpoint file: {0}")]
    Corrupt(String),
    /// The file was written by another format version.
    #[error("unsupported checkpoint version {0}")]
    Version(u32),
    /// The checkpoint belongs to another transfer.
    #[error("checkpoint belongs to another transfer ({found})")]
    OtherTransfer {
        /// The transfer the checkpoint describes.
        found: String,
    },
}
