//! Checkpoint files of resumable transfers: JSON, written atomically (temp file, fsync,
//! rename), holding only wrapped material, the source file's size and mtime, the part size and
//! the finished parts with their CRC-64 and ETag.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use md5::{Digest, Md5};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::context::MultipartContext;
use crate::error::{CheckpointError, Error, Result};

mod pacer;

pub(crate) use pacer::PacedSaver;

/// Format version written into every checkpoint.
const VERSION: u32 = 1;

/// Size and modification time of a local file, to notice that it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileStamp {
    pub(crate) size: u64,
    pub(crate) mtime_secs: u64,
    pub(crate) mtime_nanos: u32,
}

impl FileStamp {
    /// Reads the stamp of `path`.
    pub(crate) fn of(path: &Path) -> Result<Self> {
        let meta = std::fs::metadata(path)?;
        let since = meta
            .modified()?
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Ok(Self {
            size: meta.len(),
            mtime_secs: since.as_secs(),
            mtime_nanos: since.subsec_nanos(),
        })
    }
}

/// A part that reached the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DonePart {
    pub(crate) number: u32,
    pub(crate) size: u64,
    /// CRC-64 of the part's ciphertext (absent only if the server sent none).
    pub(crate) crc64: Option<u64>,
    /// Part ETag (uploads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) etag: Option<String>,
}

/// Checkpoint of a resumable upload: the local source, and the multipart upload it feeds
/// (flattened, so the file keeps one flat JSON object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UploadCheckpoint {
    pub(crate) version: u32,
    pub(crate) bucket: String,
    pub(crate) file: PathBuf,
    pub(crate) stamp: FileStamp,
    /// Upload id, key, sizes and the wrapped envelope of the upload.
    #[serde(flatten)]
    pub(crate) upload: MultipartContext,
    pub(crate) parts: Vec<DonePart>,
}

/// What a resumable download is: which object version, read in which parts, into which file.
/// A checkpoint resumes only a download of the same identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DownloadIdentity {
    pub(crate) bucket: String,
    pub(crate) key: String,
    /// The destination file.
    pub(crate) file: PathBuf,
    pub(crate) etag: String,
    pub(crate) object_size: u64,
    pub(crate) part_size: u64,
    /// The envelope headers (wrapped values only) the parts are decrypted under; empty for a
    /// plain object (and in checkpoints written before this field existed).
    #[serde(default)]
    pub(crate) envelope: Vec<(String, String)>,
}

/// Checkpoint of a resumable download: its identity (flattened, so the file keeps one flat
/// JSON object) and the parts already in the temp file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DownloadCheckpoint {
    pub(crate) version: u32,
    #[serde(flatten)]
    pub(crate) identity: DownloadIdentity,
    pub(crate) parts: Vec<DonePart>,
}

/// What a loaded checkpoint says about the current transfer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Same transfer, same source: resume.
    Resume,
    /// Same transfer, but the source changed: start over.
    Stale,
}

impl UploadCheckpoint {
    /// A fresh checkpoint without finished parts.
    pub(crate) fn new(
        bucket: &str,
        file: &Path,
        stamp: FileStamp,
        upload: MultipartContext,
    ) -> Self {
        Self {
            version: VERSION,
            bucket: bucket.to_owned(),
            file: file.to_owned(),
            stamp,
            upload,
            parts: Vec::new(),
        }
    }

    /// Checks that this checkpoint describes an upload of `file` to `bucket/key`.
    ///
    /// A checkpoint for another transfer is an error; a changed file means start over.
    pub(crate) fn fit(
        &self,
        bucket: &str,
        key: &str,
        file: &Path,
        stamp: FileStamp,
    ) -> Result<Fit> {
        check_owner(
            self.version,
            (&self.bucket, &self.upload.key, &self.file),
            (bucket, key, file),
        )?;
        let layout_ok = self.upload.data_size == stamp.size
            && self.upload.part_size > 0
            && self.upload.part_size.is_multiple_of(16)
            && self.parts.iter().all(|p| p.number >= 1);
        if self.stamp == stamp && layout_ok {
            Ok(Fit::Resume)
        } else {
            Ok(Fit::Stale)
        }
    }
}

impl DownloadCheckpoint {
    /// A fresh checkpoint without finished parts.
    pub(crate) const fn new(identity: DownloadIdentity) -> Self {
        Self {
            version: VERSION,
            identity,
            parts: Vec::new(),
        }
    }

    /// Checks that this checkpoint describes the download `wanted`.
    ///
    /// A checkpoint for another transfer is an error; another ETag, size or part size means
    /// start over. The envelope is the caller's to compare: a changed one must be confirmed
    /// by a GET before the parts are given up.
    pub(crate) fn fit(&self, wanted: &DownloadIdentity) -> Result<Fit> {
        let have = &self.identity;
        check_owner(
            self.version,
            (&have.bucket, &have.key, &have.file),
            (&wanted.bucket, &wanted.key, &wanted.file),
        )?;
        let same_layout = (&have.etag, have.object_size, have.part_size)
            == (&wanted.etag, wanted.object_size, wanted.part_size);
        if same_layout && have.part_size > 0 {
            Ok(Fit::Resume)
        } else {
            Ok(Fit::Stale)
        }
    }
}

fn check_owner(version: u32, have: (&str, &str, &Path), want: (&str, &str, &Path)) -> Result<()> {
    if version != VERSION {
        return Err(CheckpointError::Version(version).into());
    }
    if have != want {
        return Err(CheckpointError::OtherTransfer {
            found: format!("{}/{} <-> {}", have.0, have.1, have.2.display()),
        }
        .into());
    }
    Ok(())
}

/// The checkpoint file for a transfer between `bucket/key` and `local` in `dir`.
pub(crate) fn path_for(dir: &Path, kind: &str, bucket: &str, key: &str, local: &Path) -> PathBuf {
    let mut hasher = Md5::new();
    for part in [kind, bucket, key, &local.to_string_lossy()] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    dir.join(format!("{kind}-{}.json", hex::encode(hasher.finalize())))
}

/// Loads a checkpoint; `Ok(None)` when there is none.
///
/// A file that is not a valid checkpoint is an error (never silently discarded).
pub(crate) fn load<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| CheckpointError::Corrupt(e.to_string()).into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io(e)),
    }
}

/// Writes a checkpoint atomically: temp file in the same directory, fsync, rename.
pub(crate) fn save<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json =
        serde_json::to_vec_pretty(value).map_err(|e| CheckpointError::Corrupt(e.to_string()))?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("json.tmp{}", std::process::id()));
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&json)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    // Make the rename itself durable; not all platforms can open a directory.
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Deletes a checkpoint if it exists.
pub(crate) fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
