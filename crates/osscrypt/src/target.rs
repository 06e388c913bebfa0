//! Where `get` and `decrypt` write: stdout, a stream (a character device, a FIFO, another
//! descriptor link), or a regular file replaced through a temp file. Only regular files and
//! new paths take the temp-and-rename route, so `/dev/null` or a FIFO is never replaced by a
//! file (see [`oss_crypto_bucket::Destination`]). Streams follow stdout's rule: the bytes go
//! out as they are decrypted, and a failed end-of-stream check (CRC-64, MD5, length) still
//! ends the command with its error and exit code.

use std::path::{Path, PathBuf};

use oss_crypto_bucket::Destination;

use crate::error::{CliResult, io_error};

/// An output target.
#[derive(Debug)]
pub(crate) enum Target {
    /// This process's stdout: `-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`.
    Stdout,
    /// An existing file that is not a regular file, opened and written in place.
    Stream(PathBuf),
    /// A regular file or a new path (a symbolic link resolved to its target).
    File(PathBuf),
}

/// Names of this process's own stdout: written through the descriptor already open, so an
/// appending redirection (`>> log`) keeps appending.
const STDOUT_NAMES: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

impl Target {
    /// Classifies `dest`.
    ///
    /// # Errors
    ///
    /// The I/O error of inspecting it (a dangling symbolic link is refused), naming `dest`.
    pub(crate) fn of(dest: &Path) -> CliResult<Self> {
        if STDOUT_NAMES.iter().any(|name| dest == Path::new(name)) {
            return Ok(Self::Stdout);
        }
        match oss_crypto_bucket::destination(dest).map_err(|e| io_error(dest.display(), &e))? {
            Destination::Stream(path) => Ok(Self::Stream(path)),
            Destination::File(path) => Ok(Self::File(path)),
        }
    }

    /// Whether the bytes are streamed (no temp file, nothing to resume into).
    pub(crate) const fn is_stream(&self) -> bool {
        !matches!(self, Self::File(_))
    }
}

/// `<dest>.osscrypt-partial`: where plaintext for a regular-file target waits for its checks
/// (created 0600 beside `dest`, so the final rename is atomic).
pub(crate) fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".osscrypt-partial");
    PathBuf::from(name)
}
