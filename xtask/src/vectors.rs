//! Where the shared upstream vectors are: `$OSS_CRYPTO_VECTORS` or `../shared/vectors`.

use std::path::PathBuf;

use anyhow::bail;

use crate::cmd;

/// Environment variable naming the shared vectors folder (the same one `oss-testkit` reads).
pub(crate) const VECTORS_ENV: &str = "OSS_CRYPTO_VECTORS";

/// The shared vectors folder: `$OSS_CRYPTO_VECTORS` (relative to the repository root if
/// relative) or `../shared/vectors`.
pub(crate) fn dir() -> anyhow::Result<PathBuf> {
    let root = cmd::project_root();
    let dir = match std::env::var_os(VECTORS_ENV).map(PathBuf::from) {
        Some(path) if path.is_absolute() => path,
        Some(path) => root.join(path),
        None => root.join("../shared/vectors"),
    };
    if !dir.join("README.md").is_file() {
        bail!(
            "shared vectors not found at {} (set {VECTORS_ENV})",
            dir.display()
        );
    }
    Ok(dir)
}
