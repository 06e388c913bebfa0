//! The directory store.
//!
//! Layout under the data directory:
//!
//! ```text
//! tmp/                         bytes being received (emptied at start)
//! buckets/<bucket>/data/<id>   object bytes, renamed here from tmp/ when complete
//! buckets/<bucket>/meta/<h>.json  metadata + key + data file name; h = SHA-256 of the key
//! uploads/<id>/...             multipart uploads in progress (see [`uploads`])
//! ```
//!
//! An object becomes visible when its metadata file is renamed into `meta/`, after its data
//! file is complete and synced; a data file without metadata is removed at the next start.

use core::sync::atomic::{AtomicU64, Ordering};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{Bucket, Data, Object, ObjectMeta, now_ms};

mod uploads;

#[derive(Serialize, Deserialize)]
struct MetaFile {
    key: String,
    data_file: String,
    meta: ObjectMeta,
}

#[derive(Debug)]
pub(crate) struct Disk {
    root: PathBuf,
    counter: AtomicU64,
    run_id: u64,
}

fn io_ctx(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

impl Disk {
    /// Opens (creating if needed) the directory and loads every committed object.
    pub(crate) fn open(root: PathBuf) -> io::Result<(Self, BTreeMap<String, Bucket>)> {
        let tmp = root.join("tmp");
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| io_ctx(&tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| io_ctx(&tmp, e))?;
        let buckets_dir = root.join("buckets");
        fs::create_dir_all(&buckets_dir).map_err(|e| io_ctx(&buckets_dir, e))?;
        let mut buckets = BTreeMap::new();
        for entry in fs::read_dir(&buckets_dir)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            buckets.insert(name, load_bucket(&entry.path())?);
        }
        let disk = Self {
            root,
            counter: AtomicU64::new(0),
            run_id: now_ms(),
        };
        Ok((disk, buckets))
    }

    fn bucket_dir(&self, bucket: &str) -> PathBuf {
        self.root.join("buckets").join(bucket)
    }

    fn unique(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{:x}-{n:x}", self.run_id)
    }

    pub(crate) fn temp_path(&self) -> PathBuf {
        self.root.join("tmp").join(self.unique())
    }

    pub(crate) fn create_bucket(&self, bucket: &str) -> io::Result<()> {
        let dir = self.bucket_dir(bucket);
        fs::create_dir_all(dir.join("data"))?;
        fs::create_dir_all(dir.join("meta"))
    }

    pub(crate) fn delete_bucket(&self, bucket: &str) -> io::Result<()> {
        fs::remove_dir_all(self.bucket_dir(bucket))
    }

    fn meta_path(&self, bucket: &str, key: &str) -> PathBuf {
        let hash = hex::encode(Sha256::digest(key.as_bytes()));
        self.bucket_dir(bucket)
            .join("meta")
            .join(format!("{hash}.json"))
    }

    /// Moves the data into the bucket (copying memory data to a file first), then publishes the
    /// metadata with an atomic rename. Returns the final location of the bytes.
    pub(crate) async fn commit(
        &self,
        bucket: &str,
        key: &str,
        data: Data,
        meta: &ObjectMeta,
    ) -> io::Result<Data> {
        let id = self.unique();
        let final_data = self.bucket_dir(bucket).join("data").join(&id);
        self.place(&data, meta.size, &final_data).await?;
        let record = MetaFile {
            key: key.to_owned(),
            data_file: id,
            meta: meta.clone(),
        };
        let json = serde_json::to_vec(&record).map_err(io::Error::other)?;
        let tmp = self.temp_path();
        tokio::fs::write(&tmp, json).await?;
        tokio::fs::rename(&tmp, self.meta_path(bucket, key)).await?;
        Ok(Data::file(final_data))
    }

    /// Moves `data` (a temporary file, or memory chunks written out first) to `dest`.
    async fn place(&self, data: &Data, size: u64, dest: &Path) -> io::Result<()> {
        match data.path() {
            Some(tmp) => tokio::fs::rename(tmp, dest).await,
            None => {
                let tmp = self.temp_path();
                let sink = super::Sink::file(tmp.clone()).await?;
                Data::concat(&[(data.clone(), size)], sink).await?;
                tokio::fs::rename(&tmp, dest).await
            }
        }
    }

    pub(crate) fn delete_meta(&self, bucket: &str, key: &str) -> io::Result<()> {
        match fs::remove_file(self.meta_path(bucket, key)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

fn load_bucket(dir: &Path) -> io::Result<Bucket> {
    let created_ms = fs::metadata(dir)
        .and_then(|m| m.created().or_else(|_| m.modified()))
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_millis()).ok())
        .unwrap_or_else(now_ms);
    let mut objects = BTreeMap::new();
    let mut referenced = HashSet::new();
    let meta_dir = dir.join("meta");
    let data_dir = dir.join("data");
    fs::create_dir_all(&meta_dir)?;
    fs::create_dir_all(&data_dir)?;
    for entry in fs::read_dir(&meta_dir)? {
        let path = entry?.path();
        let bytes = fs::read(&path).map_err(|e| io_ctx(&path, e))?;
        let Ok(record) = serde_json::from_slice::<MetaFile>(&bytes) else {
            // Not ours or damaged outside the server: skip rather than refuse to start.
            continue;
        };
        let data = Data::file(data_dir.join(&record.data_file));
        referenced.insert(record.data_file);
        objects.insert(
            record.key,
            Arc::new(Object {
                meta: record.meta,
                data,
            }),
        );
    }
    for entry in fs::read_dir(&data_dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !referenced.contains(&name) {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(Bucket {
        created_ms,
        objects,
    })
}
