//! Directory trees to and from a prefix: every regular file below a directory is encrypted
//! and uploaded under `prefix + relative path`, every object under a prefix is downloaded and
//! decrypted to `dir + relative key`, in parallel. Files larger than the bucket's part size
//! go through the resumable multipart path (parallel parts).
//!
//! Symbolic links are not followed and special files (FIFOs, sockets, devices) are not read:
//! both are reported as [`Skipped`], so a link cannot pull files from outside the tree into
//! the bucket and a FIFO cannot hang the run. On download, a key that does not map to a path
//! inside the directory (`..`, `.`, empty segments, a leading `/`, a backslash) is refused.

use std::path::{Component, Path, PathBuf};

use futures::{Stream, StreamExt as _, TryStreamExt as _, stream};
use oss_client::ObjectSummary;
use serde::Serialize;

use super::listing::for_each_object;
use super::sync::apply_recorded_mtime;
use super::{BatchOptions, objects};
use crate::bucket::CryptoBucket;
use crate::error::{Refusal, Result};
use crate::get::GetOptions;
use crate::put::{PutOptions, PutSource};
use crate::resumable::ResumableOptions;

/// A local regular file and the key it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocalFile {
    /// The file.
    pub path: PathBuf,
    /// Its object key.
    pub key: String,
    /// Its size when it was found.
    pub size: u64,
}

impl LocalFile {
    /// The file at `path`, of `size` bytes, going to `key`.
    #[must_use]
    pub fn new(path: PathBuf, key: String, size: u64) -> Self {
        Self { path, key, size }
    }
}

/// A path a walk did not upload, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Skipped {
    /// The path.
    pub path: PathBuf,
    /// `symlink`, `special file` or the walk's error.
    pub reason: String,
}

/// One file moved (or not): a line of a transfer journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TransferRecord {
    /// Object key.
    pub key: String,
    /// Local path.
    pub path: PathBuf,
    /// Plaintext bytes moved.
    pub bytes: u64,
    /// Why it failed; `None` when it was moved and verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The regular files below `dir`, in path order, with their keys `prefix + relative path`
/// (`/`-separated), and what was skipped. Symlinks are not followed.
#[must_use]
pub fn local_files(dir: &Path, prefix: &str) -> (Vec<LocalFile>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(Path::to_owned).unwrap_or_default();
                skipped.push(Skipped {
                    path,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let path = entry.path().to_owned();
        let reason = if kind.is_symlink() {
            "symlink (not followed)"
        } else if !kind.is_file() {
            "special file (not read)"
        } else {
            match (key_for(dir, &path, prefix), entry.metadata()) {
                (Some(key), Ok(meta)) => {
                    files.push(LocalFile {
                        path,
                        key,
                        size: meta.len(),
                    });
                    continue;
                }
                (None, _) => "name is not UTF-8",
                (_, Err(_)) => "metadata unreadable",
            }
        };
        skipped.push(Skipped {
            path,
            reason: reason.to_owned(),
        });
    }
    (files, skipped)
}

fn key_for(dir: &Path, path: &Path, prefix: &str) -> Option<String> {
    let relative = path.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(format!("{prefix}{}", parts?.join("/")))
}

/// Uploads `files` (each encrypted under a fresh data key; with its plaintext MD5 when the
/// bucket computes MD5s), `jobs` at a time. `metadata` gives extra user metadata per file
/// (`sync` records the source mtime there). Records arrive in completion order; a failed
/// file is a record with an error and the run goes on.
pub fn upload_files<'a, M>(
    bucket: &'a CryptoBucket,
    files: Vec<LocalFile>,
    jobs: usize,
    metadata: M,
) -> impl Stream<Item = TransferRecord> + Send + 'a
where
    M: Fn(&LocalFile) -> Vec<(String, String)> + Send + Sync + 'a,
{
    let metadata = std::sync::Arc::new(metadata);
    stream::iter(files)
        .map(move |file| {
            let metadata = std::sync::Arc::clone(&metadata);
            async move {
                let result = upload_one(bucket, &file, metadata(&file)).await;
                TransferRecord {
                    error: result.err().map(|e| e.to_string()),
                    key: file.key,
                    path: file.path,
                    bytes: file.size,
                }
            }
        })
        .buffer_unordered(jobs.max(1))
}

async fn upload_one(
    bucket: &CryptoBucket,
    file: &LocalFile,
    metadata: Vec<(String, String)>,
) -> Result<()> {
    let put = PutOptions {
        metadata,
        ..PutOptions::default()
    };
    if file.size > bucket.options().part_size {
        let options = ResumableOptions::default().with_put_options(put);
        bucket
            .resumable_upload(&file.key, &file.path, &options)
            .await?;
    } else {
        let source = PutSource::File(file.path.clone());
        bucket.put_object(&file.key, source, &put).await?;
    }
    Ok(())
}

/// Downloads every object under `prefix` (in `options.shard`) into `dir`, at
/// `dir + key without the prefix`, `options.jobs` at a time (see [`download_objects`]).
/// Keys ending in `/` (directory markers) are skipped.
///
/// # Errors
///
/// The stream yields an error, and ends, only when a listing page fails.
pub fn download_prefix<'a>(
    bucket: &'a CryptoBucket,
    prefix: &str,
    dir: &'a Path,
    options: &BatchOptions,
) -> impl Stream<Item = Result<TransferRecord>> + Send + 'a {
    let listing = objects(bucket.client(), prefix, options)
        .try_filter(|object| futures::future::ready(!object.key.ends_with('/')));
    download_objects(bucket, prefix.to_owned(), dir, listing, options.jobs)
}

/// Downloads `listing` (objects under `prefix`) into `dir`, at `dir + key without the
/// prefix`, `jobs` at a time, each through a temp file that replaces the destination only
/// after its checks passed; a recorded source mtime ([`super::MTIME_METADATA`]) becomes the
/// file's. Keys that would leave `dir` fail.
///
/// # Errors
///
/// The stream yields an error, and ends, when `listing` does.
pub fn download_objects<'a, L>(
    bucket: &'a CryptoBucket,
    prefix: String,
    dir: &'a Path,
    listing: L,
    jobs: usize,
) -> impl Stream<Item = Result<TransferRecord>> + Send + 'a
where
    L: Stream<Item = Result<ObjectSummary>> + Send + 'a,
{
    for_each_object(listing, jobs, move |object| {
        let prefix = prefix.clone();
        async move { download_one(bucket, &prefix, dir, object).await }
    })
}

async fn download_one(
    bucket: &CryptoBucket,
    prefix: &str,
    dir: &Path,
    object: ObjectSummary,
) -> TransferRecord {
    let (path, result) = match local_path(dir, prefix, &object.key) {
        Ok(path) => {
            let fetched = fetch(bucket, &object, &path).await;
            (path, fetched)
        }
        Err(e) => (PathBuf::new(), Err(e)),
    };
    TransferRecord {
        error: result.err().map(|e| e.to_string()),
        path,
        bytes: object.size,
        key: object.key,
    }
}

async fn fetch(bucket: &CryptoBucket, object: &ObjectSummary, path: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let meta = if object.size > bucket.options().part_size {
        bucket
            .resumable_download(&object.key, path, &ResumableOptions::default())
            .await?;
        // The resumable path does not hand out its headers: one more HEAD for the mtime.
        bucket
            .client()
            .head_object(&object.key, &Default::default())
            .await?
    } else {
        bucket
            .get_object_to_file(&object.key, path, &GetOptions::default())
            .await?
            .meta
    };
    apply_recorded_mtime(path, &meta)?;
    Ok(())
}

/// Where `key` goes under `dir`: `dir` joined with the key's segments after `prefix`, each
/// a plain name.
///
/// # Errors
///
/// [`Refusal::KeyOutsideDirectory`] when a segment is empty, `.`, `..`, contains `\` or is
/// not a plain name.
pub fn local_path(dir: &Path, prefix: &str, key: &str) -> Result<PathBuf> {
    let relative = key.strip_prefix(prefix).unwrap_or(key);
    let mut path = dir.to_owned();
    for segment in relative.split('/') {
        let plain = !segment.is_empty()
            && !segment.contains('\\')
            && matches!(
                Path::new(segment).components().next(),
                Some(Component::Normal(_))
            )
            && Path::new(segment).components().count() == 1;
        if !plain {
            return Err(Refusal::KeyOutsideDirectory { key: key.into() }.into());
        }
        path.push(segment);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn keys_that_leave_the_directory_are_refused() {
        let dir = Path::new("/d");
        assert_eq!(
            local_path(dir, "p/", "p/a/b.txt").unwrap(),
            PathBuf::from("/d/a/b.txt")
        );
        for bad in [
            "p/../x",
            "p/a//b",
            "p/./a",
            "p/",
            "p/a\\b",
            "p//etc/passwd",
            "p/..",
        ] {
            let err = local_path(dir, "p/", bad).unwrap_err();
            assert!(
                matches!(&err, Error::Refused(Refusal::KeyOutsideDirectory { key }) if key == bad),
                "{bad}: {err:?}"
            );
        }
    }
}
