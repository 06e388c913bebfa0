//! Files that receive plaintext: created readable by the owner only (mode 0600 on Unix), also
//! when an old file of that name had a looser mode.

use std::io;
use std::path::Path;

/// Creates (or truncates) `path` with mode 0600 on Unix, for plaintext before it is verified
/// and renamed into place.
///
/// # Errors
///
/// The I/O error of opening the file or setting its mode.
pub async fn create_private_file(path: &Path) -> io::Result<tokio::fs::File> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let file = options.open(path).await?;
    // `mode` applies to new files only: an existing file keeps its mode through open.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .await?;
    }
    Ok(file)
}
