//! The crate-wide [`Error`].
//!
//! Unwrap failures are deliberately opaque: [`Error::Unwrap`] never says whether the padding,
//! the length or the decryption failed, so a caller cannot be turned into a padding oracle.
//! KMS and transport failures keep their source and say whether a retry may help.

#[cfg(feature = "kms")]
use crate::kms::KmsError;
use crate::rsa::KeyError;

/// Result alias of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Boxed source error of a transport failure.
pub type BoxError = Box<dyn core::error::Error + Send + Sync + 'static>;

/// Any error of a master key or keyring.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The wrapped material does not unwrap with this master key: wrong key, corrupt envelope,
    /// or an unwrapped value of the wrong size. Deliberately carries no detail.
    #[error("wrong key or corrupt envelope")]
    Unwrap,
    /// A wrapped header value is malformed before any decryption (for example not base64).
    #[error("invalid envelope header {header}: {reason}")]
    InvalidHeader {
        /// Which value: `key` or `start`.
        header: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The master key cannot handle this wrap algorithm or envelope version.
    #[error("master key {provider} does not support wrap algorithm {algorithm}")]
    UnsupportedAlgorithm {
        /// The provider kind (`rsa`, `kms`, ...).
        provider: &'static str,
        /// The algorithm name of the envelope.
        algorithm: String,
    },
    /// The master key lacks the half needed for the operation (an encrypt-only RSA key asked to
    /// unwrap, or a decrypt-only key asked to wrap).
    #[error("master key cannot {0}: it was configured without the needed key half")]
    MissingCapability(&'static str),
    /// No registered master key matched the object's matdesc, and the default key failed.
    #[error(
        "no registered master key matched matdesc {matdesc} and the default key failed: {source}"
    )]
    NoMatchingMaterial {
        /// The object's material description (canonical JSON, or the raw text and why it
        /// does not parse).
        matdesc: String,
        /// Why the default master key failed.
        #[source]
        source: Box<Error>,
    },
    /// The master key registered for the object's matdesc failed.
    #[error("the master key registered for matdesc {matdesc} failed: {source}")]
    MaterialFailed {
        /// The object's material description (canonical JSON).
        matdesc: String,
        /// Why the registered key failed.
        #[source]
        source: Box<Error>,
    },
    /// The object has no matdesc (absent or `{}`) and the master key failed on it, so there
    /// is no description to name.
    #[error("the master key did not unwrap this object's data key: {source}")]
    KeyFailed {
        /// Why the master key failed.
        #[source]
        source: Box<Error>,
    },
    /// A key could not be loaded.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Invalid configuration (for example the Go/Java KMS flavour with a passphrase).
    #[error("invalid master key configuration: {0}")]
    Config(String),
    /// KMS answered with an error.
    #[cfg(feature = "kms")]
    #[error(transparent)]
    Kms(#[from] KmsError),
    /// The request to a remote key service failed before an answer arrived.
    #[error("key service transport error (retryable: {retryable}): {source}")]
    Transport {
        /// The underlying error.
        #[source]
        source: BoxError,
        /// Whether repeating the request may succeed.
        retryable: bool,
    },
    /// The credentials provider of the KMS client could not supply credentials (no source in
    /// the chain, STS or the metadata service failing).
    #[cfg(feature = "kms")]
    #[error("kms credentials unavailable: {0}")]
    Credentials(#[from] oss_credentials::CredentialsError),
    /// The operating system random number generator failed.
    #[error("operating system randomness unavailable")]
    Randomness,
}

impl Error {
    /// Whether repeating the operation may succeed (throttling, 5xx, connection errors).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            #[cfg(feature = "kms")]
            Self::Kms(e) => e.is_retryable(),
            Self::Transport { retryable, .. } => *retryable,
            Self::NoMatchingMaterial { source, .. }
            | Self::MaterialFailed { source, .. }
            | Self::KeyFailed { source } => source.is_retryable(),
            _ => false,
        }
    }

    /// Whether this is the opaque wrong-key error, directly or behind a matdesc report.
    #[must_use]
    pub fn is_unwrap_failure(&self) -> bool {
        match self {
            Self::Unwrap => true,
            Self::NoMatchingMaterial { source, .. }
            | Self::MaterialFailed { source, .. }
            | Self::KeyFailed { source } => source.is_unwrap_failure(),
            _ => false,
        }
    }

    /// Whether the key lacks the half the operation needs ([`Error::MissingCapability`]),
    /// directly or behind a matdesc report.
    #[must_use]
    pub fn is_missing_capability(&self) -> bool {
        match self {
            Self::MissingCapability(_) => true,
            Self::NoMatchingMaterial { source, .. }
            | Self::MaterialFailed { source, .. }
            | Self::KeyFailed { source } => source.is_missing_capability(),
            _ => false,
        }
    }

    /// The KMS answer that refused the caller rather than the key
    /// ([`KmsError::access_refusal`]), directly or behind a matdesc report: a rejected
    /// AccessKey or a denied permission, not a wrong or missing master key.
    #[cfg(feature = "kms")]
    #[must_use]
    pub fn kms_access_refusal(&self) -> Option<(crate::kms::AccessRefusal, &KmsError)> {
        match self {
            Self::Kms(e) => e.access_refusal().map(|refusal| (refusal, e)),
            Self::NoMatchingMaterial { source, .. }
            | Self::MaterialFailed { source, .. }
            | Self::KeyFailed { source } => source.kms_access_refusal(),
            _ => None,
        }
    }

    #[cfg(feature = "kms")]
    pub(crate) fn transport(source: impl Into<BoxError>, retryable: bool) -> Self {
        Self::Transport {
            source: source.into(),
            retryable,
        }
    }
}
