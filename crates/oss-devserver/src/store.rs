//! Buckets, objects and multipart uploads, in memory or in a directory.
//!
//! The index (bucket → key → object) always lives in memory; object bytes live either in memory
//! as a list of `Bytes` chunks exactly as they arrived (no copy, ranges are served by slicing
//! chunks) or in files. The directory store writes every object to a temporary file that is
//! renamed into place, then commits by renaming a metadata file, so a restart never sees a
//! half-written object (see [`disk`]). Multipart uploads in progress are kept in memory and,
//! in directory mode, on disk too, so a restarted server resumes them (see [`uploads`]).

mod data;
mod disk;
mod uploads;

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub(crate) use data::{Data, Sink};
pub(crate) use uploads::{Part, Upload};

/// How an object was created (`x-oss-object-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ObjectType {
    Normal,
    Multipart,
}

impl ObjectType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "Normal",
            Self::Multipart => "Multipart",
        }
    }
}

/// Everything about an object except its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ObjectMeta {
    pub(crate) size: u64,
    /// ETag without quotes.
    pub(crate) etag: String,
    pub(crate) crc64: u64,
    /// Milliseconds since the Unix epoch.
    pub(crate) last_modified_ms: u64,
    pub(crate) object_type: ObjectType,
    /// Stored content headers (`content-type`, `cache-control`, …), lower-case names.
    pub(crate) headers: Vec<(String, String)>,
    /// `x-oss-meta-*` headers, lower-case names.
    pub(crate) user_meta: Vec<(String, String)>,
}

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> u64 {
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

/// A stored object.
#[derive(Debug)]
pub(crate) struct Object {
    pub(crate) meta: ObjectMeta,
    pub(crate) data: Data,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    #[error("no such bucket")]
    NoSuchBucket,
    #[error("no such key")]
    NoSuchKey,
    #[error("bucket not empty")]
    BucketNotEmpty,
    #[error("object exists and overwrite is forbidden")]
    FileAlreadyExists,
    #[error("storage i/o: {0}")]
    Io(#[from] io::Error),
}

#[derive(Debug, Default)]
pub(crate) struct Bucket {
    pub(crate) created_ms: u64,
    pub(crate) objects: BTreeMap<String, Arc<Object>>,
}

/// The store. Index operations take a short lock and never hold it across an `.await`.
#[derive(Debug)]
pub(crate) struct Store {
    disk: Option<disk::Disk>,
    buckets: RwLock<BTreeMap<String, Bucket>>,
    /// Serialises commits so the index and the directory agree on the last writer.
    commit: tokio::sync::Mutex<()>,
    pub(crate) uploads: uploads::Uploads,
}

impl Store {
    /// An in-memory store, or a directory store loaded from `dir`.
    pub(crate) fn open(dir: Option<PathBuf>) -> io::Result<Self> {
        let (disk, buckets, uploads) = match dir {
            Some(dir) => {
                let (disk, buckets) = disk::Disk::open(dir)?;
                let uploads = uploads::Uploads::loaded(disk.load_uploads(&buckets)?);
                (Some(disk), buckets, uploads)
            }
            None => (None, BTreeMap::new(), uploads::Uploads::default()),
        };
        Ok(Self {
            disk,
            buckets: RwLock::new(buckets),
            commit: tokio::sync::Mutex::new(()),
            uploads,
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Bucket>> {
        self.buckets.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Bucket>> {
        self.buckets.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Creates a bucket; an existing bucket is left as is.
    pub(crate) async fn create_bucket(&self, name: &str) -> Result<(), StoreError> {
        let _commit = self.commit.lock().await;
        if self.read().contains_key(name) {
            return Ok(());
        }
        if let Some(disk) = &self.disk {
            disk.create_bucket(name)?;
        }
        let bucket = Bucket {
            created_ms: now_ms(),
            objects: BTreeMap::new(),
        };
        self.write().insert(name.to_owned(), bucket);
        Ok(())
    }

    /// Deletes an empty bucket.
    pub(crate) async fn delete_bucket(&self, name: &str) -> Result<(), StoreError> {
        let _commit = self.commit.lock().await;
        match self.read().get(name) {
            None => return Err(StoreError::NoSuchBucket),
            Some(b) if !b.objects.is_empty() => return Err(StoreError::BucketNotEmpty),
            Some(_) => {}
        }
        if let Some(disk) = &self.disk {
            disk.delete_bucket(name)?;
        }
        self.write().remove(name);
        Ok(())
    }

    pub(crate) fn bucket_exists(&self, name: &str) -> bool {
        self.read().contains_key(name)
    }

    /// Runs `f` on a bucket under the read lock.
    pub(crate) fn with_bucket<T>(
        &self,
        name: &str,
        f: impl FnOnce(&Bucket) -> T,
    ) -> Result<T, StoreError> {
        self.read().get(name).map(f).ok_or(StoreError::NoSuchBucket)
    }

    /// Bucket names with creation times, sorted by name.
    pub(crate) fn bucket_names(&self) -> Vec<(String, u64)> {
        self.read()
            .iter()
            .map(|(n, b)| (n.clone(), b.created_ms))
            .collect()
    }

    /// A copy of `data` that can be committed as another object (memory data is shared).
    pub(crate) async fn duplicate(&self, data: &Data, size: u64) -> Result<Data, StoreError> {
        match data {
            Data::Memory(_) => Ok(data.clone()),
            Data::File(_) => {
                let sink = self.sink().await?;
                Ok(Data::concat(&[(data.clone(), size)], sink).await?)
            }
        }
    }

    pub(crate) fn get(&self, bucket: &str, key: &str) -> Result<Arc<Object>, StoreError> {
        let guard = self.read();
        let bucket = guard.get(bucket).ok_or(StoreError::NoSuchBucket)?;
        bucket
            .objects
            .get(key)
            .cloned()
            .ok_or(StoreError::NoSuchKey)
    }

    /// A sink for new object or part bytes (memory, or a temporary file).
    pub(crate) async fn sink(&self) -> Result<Sink, StoreError> {
        match &self.disk {
            Some(disk) => Ok(Sink::file(disk.temp_path()).await?),
            None => Ok(Sink::memory()),
        }
    }

    /// Stores an object whose bytes were written to `data` (from [`Store::sink`]).
    pub(crate) async fn put(
        &self,
        bucket: &str,
        key: &str,
        data: Data,
        meta: ObjectMeta,
        forbid_overwrite: bool,
    ) -> Result<(), StoreError> {
        let _commit = self.commit.lock().await;
        let exists = self.get(bucket, key).map(|_| true).or_else(|e| match e {
            StoreError::NoSuchKey => Ok(false),
            other => Err(other),
        })?;
        if exists && forbid_overwrite {
            data.discard();
            return Err(StoreError::FileAlreadyExists);
        }
        let data = match &self.disk {
            Some(disk) => disk.commit(bucket, key, data, &meta).await?,
            None => data,
        };
        let object = Arc::new(Object { meta, data });
        let old = {
            let mut guard = self.write();
            let b = guard.get_mut(bucket).ok_or(StoreError::NoSuchBucket)?;
            b.objects.insert(key.to_owned(), object)
        };
        // Removed once the last request reading the old bytes is done.
        if let Some(old) = old {
            old.data.discard();
        }
        Ok(())
    }

    /// Deletes an object; a missing key is not an error (OSS answers 204 either way).
    pub(crate) async fn delete(&self, bucket: &str, key: &str) -> Result<(), StoreError> {
        let _commit = self.commit.lock().await;
        if !self.bucket_exists(bucket) {
            return Err(StoreError::NoSuchBucket);
        }
        if let Some(disk) = &self.disk {
            disk.delete_meta(bucket, key)?;
        }
        let old = self
            .write()
            .get_mut(bucket)
            .and_then(|b| b.objects.remove(key));
        // Removed once the last request reading the old bytes is done.
        if let Some(old) = old {
            old.data.discard();
        }
        Ok(())
    }
}
