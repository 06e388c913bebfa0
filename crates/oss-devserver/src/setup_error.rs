//! The library's error type (starting the server, storage setup).

use core::net::SocketAddr;
use std::io;
use std::path::PathBuf;

/// Why the dev server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A listener could not bind.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The OS error.
        source: io::Error,
    },
    /// The data directory could not be opened or read.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory or file involved.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// A listen address is not a loopback address and the configuration does not allow it.
    #[error(
        "refusing to listen on {0}: the dev server has well-known credentials and no TLS; \
         allow non-loopback addresses explicitly to expose it"
    )]
    NonLoopbackListen(SocketAddr),
    /// A configured bucket name is not a valid OSS bucket name.
    #[error("invalid bucket name {0:?}")]
    InvalidBucketName(String),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
