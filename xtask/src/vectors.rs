//! Where the shared upstream vectors are: oss-testkit's lookup (`$OSS_CRYPTO_VECTORS` or
//! `../shared/vectors`), with a missing folder as an error instead of a panic.

use std::path::PathBuf;

use anyhow::bail;

/// Environment variable naming the shared vectors folder.
pub(crate) use oss_testkit::VECTORS_ENV;

/// The shared vectors folder.
pub(crate) fn dir() -> anyhow::Result<PathBuf> {
    match oss_testkit::Vectors::try_locate() {
        Ok(vectors) => Ok(vectors.dir().to_owned()),
        Err(dir) => bail!(
            "shared vectors not found at {} (set {VECTORS_ENV})",
            dir.display()
        ),
    }
}
