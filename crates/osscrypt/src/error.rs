//! Exit codes and the one error type every command returns.
//!
//! Scripts can rely on these codes (they are also listed in `osscrypt --help`):
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | any other failure (server, local I/O, a file that changed while it was uploaded); a network error (`osscrypt: network error: HOST: OPERATION: CAUSE`, the cause one of connection refused, timed out, DNS lookup failed, TLS failed, connection failed) |
//! | 2 | usage error: bad flags, bad arguments, bad configuration |
//! | 3 | not found: object, bucket or local file |
//! | 4 | key error (wrong or missing master key, KMS refusing the key: not found, disabled, another passphrase or context) or auth error (OSS or KMS refused the AccessKey or denied the request, no credentials found) |
//! | 5 | integrity error: CRC-64/MD5/length mismatch, malformed envelope, a response whose envelope or ETag contradicts the HEAD it was planned from, a server answer the request does not allow, an unencrypted object with `--require-encrypted` |
//! | 130 / 143 | stopped by SIGINT / SIGTERM (partial output files removed) |
//! | 141 | stdout closed early (broken pipe, `osscrypt get ... \| head -c 10`): the shell's code for a process ended by SIGPIPE; nothing is printed |
//!
//! Errors are printed on stderr as one line `osscrypt: <kind>: <message>`, where `<kind>` is
//! `error`, `network error`, `usage`, `not found`, `key error` (the master key), `auth error`
//! (the AccessKey) or `integrity`.

use core::fmt;
use std::process::ExitCode;

/// The class of a failure; it decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Exit code 1.
    Other,
    /// Exit code 2.
    Usage,
    /// Exit code 3.
    NotFound,
    /// Exit code 4: the master key (wrong, missing, refused by KMS).
    Auth,
    /// Exit code 4: the AccessKey (OSS refused it or denied the request, none was found).
    Access,
    /// Exit code 5.
    Integrity,
    /// Exit code 1: a request to OSS or KMS got no answer (the message names the operation
    /// and the cause; [`CliError::at_host`] adds the host).
    Network(Peer),
    /// Exit code 141: stdout was closed early (a broken pipe); nothing is printed.
    BrokenPipe,
    /// Exit code 130: stopped by SIGINT.
    Interrupted,
    /// Exit code 143: stopped by SIGTERM.
    Terminated,
}

impl Kind {
    /// The process exit code of this kind.
    pub(crate) const fn code(self) -> u8 {
        match self {
            Self::Other | Self::Network(_) => 1,
            Self::Usage => 2,
            Self::NotFound => 3,
            Self::Auth | Self::Access => 4,
            Self::Integrity => 5,
            Self::Interrupted => 130,
            Self::BrokenPipe => 141,
            Self::Terminated => 143,
        }
    }

    const fn label(self) -> &'static str {
        match self {
            Self::Other | Self::BrokenPipe => "error",
            Self::Network(_) => "network error",
            Self::Usage => "usage",
            Self::NotFound => "not found",
            Self::Auth => "key error",
            Self::Access => "auth error",
            Self::Integrity => "integrity",
            Self::Interrupted | Self::Terminated => "interrupted",
        }
    }
}

/// The service a network error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Peer {
    /// The OSS endpoint.
    Oss,
    /// The KMS endpoint.
    Kms,
}

/// A failed command: its kind and a one-line message (never containing secrets).
#[derive(Debug)]
pub(crate) struct CliError {
    kind: Kind,
    message: String,
    /// OSS answered 404: [`CliError::on_object`] names the object.
    remote_not_found: bool,
}

/// Result alias of the commands.
pub(crate) type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// A failure of `kind`.
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            remote_not_found: false,
        }
    }

    /// A usage error (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    /// Any other failure (exit code 1).
    pub(crate) fn other(message: impl Into<String>) -> Self {
        Self::new(Kind::Other, message)
    }

    /// The kind of failure.
    pub(crate) const fn kind(&self) -> Kind {
        self.kind
    }

    /// Prefixes the message with context, keeping the kind.
    #[must_use]
    pub(crate) fn context(self, context: impl fmt::Display) -> Self {
        Self {
            message: format!("{context}: {}", self.message),
            ..self
        }
    }

    /// Names `object` (`oss://bucket/key`) when OSS said it does not exist (other errors are
    /// returned as they are: a missing local file already names its path).
    #[must_use]
    pub(crate) fn on_object(self, object: impl fmt::Display) -> Self {
        if self.remote_not_found {
            self.context(object)
        } else {
            self
        }
    }

    /// Names `host` in a network error about `peer` (other errors are returned as they are).
    #[must_use]
    pub(crate) fn at_host(self, peer: Peer, host: &str) -> Self {
        if self.kind == Kind::Network(peer) {
            self.context(host)
        } else {
            self
        }
    }

    /// The process exit code.
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.kind.code())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.label(), self.message)
    }
}

/// Local file errors: a missing file is "not found", everything else "error".
pub(crate) fn io_error(path: impl fmt::Display, e: &std::io::Error) -> CliError {
    let kind = match e.kind() {
        std::io::ErrorKind::NotFound => Kind::NotFound,
        std::io::ErrorKind::BrokenPipe => Kind::BrokenPipe,
        _ => Kind::Other,
    };
    CliError::new(kind, format!("{path}: {e}"))
}

/// A library error about the local file `path`: an i/o failure names the path instead of
/// "local file".
pub(crate) fn bucket_error_at(path: &std::path::Path, e: oss_crypto_bucket::Error) -> CliError {
    match e {
        oss_crypto_bucket::Error::Io(inner) => io_error(path.display(), &inner),
        other => other.into(),
    }
}

impl From<oss_keywrap::Error> for CliError {
    fn from(e: oss_keywrap::Error) -> Self {
        use oss_keywrap::Error as E;
        use oss_keywrap::kms::AccessRefusal;
        // KMS refusing the caller is about the AccessKey, like OSS's 401/403: an auth error,
        // not a key error.
        match e.kms_access_refusal() {
            Some((AccessRefusal::PermissionDenied, answer)) => {
                return Self::new(Kind::Access, denied_request("KMS", answer));
            }
            Some((_, answer)) => {
                let message = refused_credentials("KMS", answer.code(), answer);
                return Self::new(Kind::Access, message);
            }
            None => {}
        }
        let kind = match &e {
            E::Transport { source, .. } => {
                let cause = crate::net::describe_cause(source.as_ref());
                return Self::new(Kind::Network(Peer::Kms), format!("KMS request: {cause}"));
            }
            E::Config(_) => Kind::Usage,
            E::Credentials(_) => Kind::Access,
            _ => Kind::Auth,
        };
        Self::new(kind, e.to_string())
    }
}

impl From<oss_envelope::Error> for CliError {
    fn from(e: oss_envelope::Error) -> Self {
        Self::new(Kind::Integrity, format!("invalid envelope: {e}"))
    }
}

impl From<oss_envelope::HeaderError> for CliError {
    fn from(e: oss_envelope::HeaderError) -> Self {
        Self::new(Kind::Integrity, format!("invalid envelope: {e}"))
    }
}

#[cfg(feature = "embedded-devserver")]
impl From<oss_devserver::Error> for CliError {
    fn from(e: oss_devserver::Error) -> Self {
        Self::other(format!("embedded devserver: {e}"))
    }
}

impl From<oss_client::Error> for CliError {
    fn from(e: oss_client::Error) -> Self {
        use oss_client::Error as E;
        let kind = match &e {
            E::Transport {
                operation, source, ..
            } => {
                let cause = crate::net::describe_cause(source.as_ref());
                return Self::new(Kind::Network(Peer::Oss), format!("{operation}: {cause}"));
            }
            // The label already says "not found": show the server's answer once.
            E::NotFound(service) => {
                return Self {
                    remote_not_found: true,
                    ..Self::new(Kind::NotFound, service.to_string())
                };
            }
            E::Unauthenticated(service) => {
                let message = refused_credentials("OSS", &service.code, service);
                return Self::new(Kind::Access, message);
            }
            E::PermissionDenied(service) => {
                return Self::new(Kind::Access, denied_request("OSS", service));
            }
            E::CrcMismatch { .. } | E::BodyLength { .. } => Kind::Integrity,
            E::Credentials(_) => Kind::Access,
            E::InvalidArgument(_) => Kind::Usage,
            _ => Kind::Other,
        };
        Self::new(kind, e.to_string())
    }
}

/// The message of an AccessKey `service` (OSS, KMS) did not accept with error `code`, with
/// what to check.
fn refused_credentials(service: &str, code: &str, answer: &dyn fmt::Display) -> String {
    // OSS's and KMS's codes for a request time too far from the server's.
    let check = if matches!(code, "RequestTimeTooSkewed" | "InvalidTimeStamp.Expired") {
        "check the system clock"
    } else {
        "check the AccessKey ID and secret, and the session token if one is used"
    };
    format!("{service} did not accept the credentials ({check}): {answer}")
}

/// The message of a request `service` (OSS, KMS) refused to authenticated credentials.
fn denied_request(service: &str, answer: &dyn fmt::Display) -> String {
    format!("{service} denied the request to these credentials: {answer}")
}

impl From<oss_crypto_bucket::Error> for CliError {
    fn from(e: oss_crypto_bucket::Error) -> Self {
        use oss_crypto_bucket::Error as E;
        let kind = match e {
            E::Client(inner) => return inner.into(),
            E::KeyWrap(inner) => return inner.into(),
            E::Io(inner) => return io_error("local file", &inner),
            E::LegacyV1Disabled | E::ResumeNeedsPrivateKey { .. } => Kind::Auth,
            E::Envelope(_) | E::Range(_) | E::Integrity(_) | E::UnexpectedResponse(_) => {
                Kind::Integrity
            }
            E::InvalidInput(_) | E::Refused(_) => Kind::Usage,
            // A runtime failure, not a usage error: the same command works on a quiet file.
            E::SourceChanged { .. } => Kind::Other,
            _ => Kind::Other,
        };
        Self::new(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_ones() {
        let codes: Vec<u8> = [
            Kind::Other,
            Kind::Usage,
            Kind::NotFound,
            Kind::Auth,
            Kind::Access,
            Kind::Integrity,
        ]
        .iter()
        .map(|k| k.code())
        .collect();
        assert_eq!(codes, [1, 2, 3, 4, 4, 5]);
    }

    fn refused(status: u16, code: &str) -> CliError {
        // Classified as the client classifies an error answer.
        let mut answer = oss_client::ServiceError::default();
        answer.status = status;
        answer.code = code.into();
        CliError::from(oss_crypto_bucket::Error::from(oss_client::Error::from(
            answer,
        )))
    }

    #[test]
    fn refused_access_key_is_an_auth_error_not_a_key_error() {
        let wrong_secret = refused(403, "SignatureDoesNotMatch");
        assert_eq!(wrong_secret.kind(), Kind::Access);
        assert_eq!(wrong_secret.exit_code(), ExitCode::from(4));
        let text = wrong_secret.to_string();
        assert!(
            text.starts_with("auth error: OSS did not accept the credentials (check the AccessKey"),
            "{text}"
        );
        assert!(text.contains("403 SignatureDoesNotMatch"), "{text}");
        assert_eq!(refused(401, "Unauthorized").kind(), Kind::Access);
        assert!(
            refused(403, "RequestTimeTooSkewed")
                .to_string()
                .contains("check the system clock")
        );
        let denied = refused(403, "AccessDenied");
        assert_eq!(denied.kind(), Kind::Access);
        assert!(
            denied.to_string().starts_with(
                "auth error: OSS denied the request to these credentials: status 403 AccessDenied"
            ),
            "{denied}"
        );
    }

    #[test]
    fn a_source_changed_during_an_upload_is_a_runtime_failure() {
        let e = CliError::from(oss_crypto_bucket::Error::SourceChanged {
            path: "data.bin".into(),
        });
        assert_eq!(e.exit_code(), ExitCode::from(1));
        assert_eq!(
            e.to_string(),
            "error: data.bin changed during the upload; the object was not written"
        );
    }

    #[test]
    fn wrong_key_is_a_key_error_and_missing_file_not_found() {
        let e = CliError::from(oss_keywrap::Error::Unwrap);
        assert_eq!(e.kind(), Kind::Auth);
        assert_eq!(e.to_string(), "key error: wrong key or corrupt envelope");
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_error("x.pem", &io).kind(), Kind::NotFound);
    }
}
