//! What `sync` compares: a local file and an object are in sync when their sizes match and
//! either the source mtime recorded in the object's user metadata ([`MTIME_METADATA`],
//! whole seconds since the Unix epoch) equals the file's mtime, or, with
//! [`Compare::Checksum`], the file's MD5 equals the object's `unencrypted-content-md5`.
//! Uploads by `sync` record the mtime; downloads set the file's mtime from it.

use core::time::Duration;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest as _, Md5};
use oss_client::ObjectMeta;
use tokio::io::AsyncReadExt as _;

use crate::bucket::CryptoBucket;
use crate::error::Result;

/// The user metadata (`x-oss-meta-osscrypt-mtime`) holding the source file's mtime.
pub const MTIME_METADATA: &str = "osscrypt-mtime";

/// How an existing destination is judged unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compare {
    /// Same size and same recorded mtime (the default).
    SizeAndMtime,
    /// Same size and the same plaintext MD5.
    Checksum,
}

/// The mtime of `path` in whole seconds since the epoch, `None` when unreadable or before it.
#[must_use]
pub fn file_mtime(path: &Path) -> Option<u64> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(modified.duration_since(UNIX_EPOCH).ok()?.as_secs())
}

/// The user metadata an upload of `path` records (its mtime), empty when unreadable.
#[must_use]
pub fn mtime_metadata(path: &Path) -> Vec<(String, String)> {
    file_mtime(path)
        .map(|secs| vec![(MTIME_METADATA.to_owned(), secs.to_string())])
        .unwrap_or_default()
}

fn recorded_mtime(meta: &ObjectMeta) -> Option<u64> {
    meta.user_metadata()
        .into_iter()
        .find(|(name, _)| name == MTIME_METADATA)
        .and_then(|(_, value)| value.parse().ok())
}

/// Sets the mtime of `path` to the one recorded in `meta`, if any.
pub(crate) fn apply_recorded_mtime(path: &Path, meta: &ObjectMeta) -> std::io::Result<()> {
    let Some(secs) = recorded_mtime(meta) else {
        return Ok(());
    };
    let file = std::fs::File::options().write(true).open(path)?;
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// Whether the local file `path` and the object `key`, both existing with the same size, are
/// in sync under `compare` (one HEAD; with [`Compare::Checksum`] the file is read).
///
/// # Errors
///
/// The HEAD's errors; [`crate::Error::Io`] when the file cannot be read.
pub async fn in_sync(
    bucket: &CryptoBucket,
    key: &str,
    path: &Path,
    compare: Compare,
) -> Result<bool> {
    let head = bucket.head_object(key).await?;
    Ok(match compare {
        Compare::SizeAndMtime => {
            recorded_mtime(&head.meta).is_some_and(|secs| file_mtime(path) == Some(secs))
        }
        Compare::Checksum => match head.envelope.plaintext_md5() {
            Some(recorded) => file_md5(path).await? == recorded,
            None => false,
        },
    })
}

async fn file_md5(path: &Path) -> Result<[u8; 16]> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&buf[..n]);
    }
}
