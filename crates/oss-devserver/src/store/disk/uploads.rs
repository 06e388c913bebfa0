//! Multipart uploads in progress, in the data directory.
//!
//! ```text
//! uploads/<id>/upload.json     bucket, key, initiated time, content headers, user metadata
//! uploads/<id>/parts/<n>.json  part n: size, ETag, CRC-64, last-modified, data file name
//! uploads/<id>/data/<file>     part bytes, renamed here from tmp/ when complete and synced
//! ```
//!
//! Every JSON file is written to `tmp/`, synced and renamed into place, so a restart sees either
//! the old or the new record. An upload exists once `upload.json` is in place; a part exists once
//! its `<n>.json` is in place and its data file has the recorded size. Anything else (a folder
//! without `upload.json`, a part with a missing or short data file, a data file no record names)
//! is removed at start. Removing an upload renames its folder into `tmp/` first, so it disappears
//! at once even if the deletion of its files is interrupted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt as _;

use super::{Disk, io_ctx};
use crate::store::{Bucket, Data, Part, Upload};

const UPLOAD_FILE: &str = "upload.json";
const PARTS: &str = "parts";
const DATA: &str = "data";

#[derive(Serialize, Deserialize)]
struct UploadRecord {
    bucket: String,
    key: String,
    initiated_ms: u64,
    headers: Vec<(String, String)>,
    user_meta: Vec<(String, String)>,
}

#[derive(Serialize, Deserialize)]
struct PartRecord {
    number: u32,
    size: u64,
    etag: String,
    crc64: u64,
    last_modified_ms: u64,
    data_file: String,
}

impl Disk {
    fn upload_dir(&self, id: &str) -> PathBuf {
        self.root.join("uploads").join(id)
    }

    /// Writes `bytes` to a temporary file, syncs it and renames it to `dest`.
    async fn publish(&self, bytes: &[u8], dest: &Path) -> io::Result<()> {
        let tmp = self.temp_path();
        let written = async {
            let mut file = tokio::fs::File::create(&tmp).await?;
            file.write_all(bytes).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&tmp, dest).await
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&tmp).await;
        }
        written
    }

    /// Creates the upload's folder and publishes its record.
    pub(crate) async fn save_upload(&self, id: &str, upload: &Upload) -> io::Result<()> {
        let dir = self.upload_dir(id);
        tokio::fs::create_dir_all(dir.join(PARTS)).await?;
        tokio::fs::create_dir_all(dir.join(DATA)).await?;
        let record = UploadRecord {
            bucket: upload.bucket.clone(),
            key: upload.key.clone(),
            initiated_ms: upload.initiated_ms,
            headers: upload.headers.clone(),
            user_meta: upload.user_meta.clone(),
        };
        let json = serde_json::to_vec(&record).map_err(io::Error::other)?;
        self.publish(&json, &dir.join(UPLOAD_FILE)).await
    }

    /// Moves a part's bytes into the upload's folder, then publishes its record (replacing the
    /// record of an earlier part with the same number). Returns the part at its new location.
    pub(crate) async fn save_part(&self, id: &str, number: u32, part: Part) -> io::Result<Part> {
        let dir = self.upload_dir(id);
        let data_file = format!("{number}-{}", self.unique());
        let dest = dir.join(DATA).join(&data_file);
        if let Err(e) = self.place(&part.data, part.size, &dest).await {
            part.data.discard();
            return Err(e);
        }
        let record = PartRecord {
            number,
            size: part.size,
            etag: part.etag.clone(),
            crc64: part.crc64,
            last_modified_ms: part.last_modified_ms,
            data_file,
        };
        let json = serde_json::to_vec(&record).map_err(io::Error::other)?;
        let meta = dir.join(PARTS).join(format!("{number}.json"));
        if let Err(e) = self.publish(&json, &meta).await {
            let _ = tokio::fs::remove_file(&dest).await;
            return Err(e);
        }
        Ok(Part {
            data: Data::file(dest),
            ..part
        })
    }

    /// Removes an upload's folder (first renamed into `tmp/`, which is emptied at start).
    pub(crate) async fn delete_upload(&self, id: &str) -> io::Result<()> {
        let trash = self.temp_path();
        match tokio::fs::rename(self.upload_dir(id), &trash).await {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            other => other?,
        }
        // Best effort: leftovers in tmp/ are removed at the next start.
        let _ = tokio::fs::remove_dir_all(&trash).await;
        Ok(())
    }

    /// Loads every upload whose bucket exists; removes the rest and anything incomplete.
    ///
    /// # Errors
    ///
    /// The uploads folder cannot be created or listed.
    pub(crate) fn load_uploads(
        &self,
        buckets: &BTreeMap<String, Bucket>,
    ) -> io::Result<HashMap<String, Upload>> {
        let root = self.root.join("uploads");
        fs::create_dir_all(&root).map_err(|e| io_ctx(&root, e))?;
        let mut uploads = HashMap::new();
        for entry in fs::read_dir(&root).map_err(|e| io_ctx(&root, e))? {
            let path = entry?.path();
            let id = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
            match (id, load_upload(&path)) {
                (Some(id), Some(upload)) if buckets.contains_key(&upload.bucket) => {
                    uploads.insert(id, upload);
                }
                _ => {
                    let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
                }
            }
        }
        Ok(uploads)
    }
}

/// An upload folder's record and valid parts; `None` when it has no readable record.
fn load_upload(dir: &Path) -> Option<Upload> {
    let bytes = fs::read(dir.join(UPLOAD_FILE)).ok()?;
    let record: UploadRecord = serde_json::from_slice(&bytes).ok()?;
    Some(Upload {
        bucket: record.bucket,
        key: record.key,
        initiated_ms: record.initiated_ms,
        headers: record.headers,
        user_meta: record.user_meta,
        parts: load_parts(dir),
        gate: std::sync::Arc::default(),
    })
}

/// The parts whose record and data agree; every other part file is removed.
fn load_parts(dir: &Path) -> BTreeMap<u32, Part> {
    let (parts_dir, data_dir) = (dir.join(PARTS), dir.join(DATA));
    let mut parts = BTreeMap::new();
    let mut referenced = HashSet::new();
    for entry in fs::read_dir(&parts_dir).into_iter().flatten().flatten() {
        let path = entry.path();
        match load_part(&path, &data_dir) {
            Some((number, part, data_file)) => {
                referenced.insert(data_file);
                parts.insert(number, part);
            }
            None => {
                let _ = fs::remove_file(&path);
            }
        }
    }
    for entry in fs::read_dir(&data_dir).into_iter().flatten().flatten() {
        if !referenced.contains(&entry.file_name().to_string_lossy().into_owned()) {
            let _ = fs::remove_file(entry.path());
        }
    }
    parts
}

/// One part record, if it is well-formed and its data file has the recorded size.
fn load_part(path: &Path, data_dir: &Path) -> Option<(u32, Part, String)> {
    let bytes = fs::read(path).ok()?;
    let record: PartRecord = serde_json::from_slice(&bytes).ok()?;
    let expected_name = format!("{}.json", record.number);
    let plain = Path::new(&record.data_file).file_name() == Some(record.data_file.as_ref());
    let numbered = (1..=10_000).contains(&record.number);
    if path.file_name()? != expected_name.as_str() || !plain || !numbered {
        return None;
    }
    let data = data_dir.join(&record.data_file);
    if fs::metadata(&data).ok()?.len() != record.size {
        return None;
    }
    let part = Part {
        size: record.size,
        etag: record.etag,
        crc64: record.crc64,
        last_modified_ms: record.last_modified_ms,
        data: Data::file(data),
    };
    Some((record.number, part, record.data_file))
}
