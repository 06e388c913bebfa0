//! Where a download to a path writes: a regular file is replaced atomically (temp file beside
//! it, renamed after the checks), anything else is opened and streamed into. Renaming a temp
//! file over `/dev/null` or a FIFO would replace the device node or the pipe with a regular
//! file holding the plaintext.

use std::io;
use std::path::{Path, PathBuf};

/// How a download reaches `path`; see [`destination`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A regular file or a new path: written through a temp file in the same directory that
    /// replaces it only after every check passed. For a symbolic link to a regular file this
    /// is the link's final target: the link is kept and its target replaced atomically.
    File(PathBuf),
    /// An existing file that is not a regular file (a character device such as `/dev/null`,
    /// a FIFO), or a link to an open descriptor (`/dev/stdout`, `/dev/fd/N`,
    /// `/proc/self/fd/N`): opened for writing without truncation and streamed into, like
    /// stdout. The bytes arrive before the end-of-stream checks, which still fail the read.
    Stream(PathBuf),
}

/// Classifies `path` as a download destination.
///
/// # Errors
///
/// The I/O error of inspecting `path`, or [`io::ErrorKind::NotFound`] for a symbolic link
/// whose target does not exist (writing through it would create a file somewhere the caller
/// did not name; `cp` refuses it too).
pub fn destination(path: &Path) -> io::Result<Destination> {
    let link = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Destination::File(path.to_path_buf()));
        }
        Err(e) => return Err(e),
    };
    if link.file_type().is_symlink() && is_descriptor_link(path) {
        return Ok(Destination::Stream(path.to_path_buf()));
    }
    let target = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{} is a symbolic link to a path that does not exist",
                    path.display()
                ),
            ));
        }
        Err(e) => return Err(e),
    };
    if !target.is_file() && !target.is_dir() {
        return Ok(Destination::Stream(path.to_path_buf()));
    }
    if link.file_type().is_symlink() {
        return std::fs::canonicalize(path).map(Destination::File);
    }
    Ok(Destination::File(path.to_path_buf()))
}

/// `/dev/...` and `/proc/...` links (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`) name an
/// open descriptor, even when it is a regular file: replacing what they resolve to would
/// swap the file behind another process's descriptor.
fn is_descriptor_link(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

/// Opens a [`Destination::Stream`] for writing: never created, never truncated.
///
/// # Errors
///
/// The I/O error of opening it.
pub async fn open_stream(path: &Path) -> io::Result<tokio::fs::File> {
    tokio::fs::OpenOptions::new().write(true).open(path).await
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn regular_new_device_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"old").unwrap();
        let new = dir.path().join("new");
        assert_eq!(destination(&file).unwrap(), Destination::File(file.clone()));
        assert_eq!(destination(&new).unwrap(), Destination::File(new.clone()));
        let null = Path::new("/dev/null");
        assert_eq!(
            destination(null).unwrap(),
            Destination::Stream(null.to_path_buf())
        );
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let resolved = std::fs::canonicalize(&file).unwrap();
        assert_eq!(destination(&link).unwrap(), Destination::File(resolved));
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
        let e = destination(&dangling).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert!(e.to_string().contains("does not exist"), "{e}");
    }
}
