//! Multipart uploads in progress: kept in memory, and in directory mode also on disk (see
//! [`super::disk`]) so a restarted server resumes them. Part bytes follow the store's mode.

use core::sync::atomic::{AtomicU64, Ordering};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::{OwnedRwLockWriteGuard, RwLock};

use sha2::{Digest as _, Sha256};

use super::{Data, Store, StoreError, now_ms};

/// One uploaded part.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) size: u64,
    /// Upper-case hex MD5, without quotes.
    pub(crate) etag: String,
    pub(crate) crc64: u64,
    pub(crate) last_modified_ms: u64,
    pub(crate) data: Data,
}

/// An upload between Initiate and Complete/Abort.
#[derive(Debug)]
pub(crate) struct Upload {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) initiated_ms: u64,
    /// Content headers for the final object.
    pub(crate) headers: Vec<(String, String)>,
    /// `x-oss-meta-*` for the final object (includes the client-side-encryption envelope).
    pub(crate) user_meta: Vec<(String, String)>,
    pub(crate) parts: BTreeMap<u32, Part>,
    /// Part commits share it; Complete and Abort hold it alone, so neither removes the part
    /// files that another Complete is still reading (a retried Complete, an Abort racing one).
    pub(crate) gate: Arc<RwLock<()>>,
}

impl Upload {
    pub(crate) fn new(
        bucket: &str,
        key: &str,
        headers: Vec<(String, String)>,
        user_meta: Vec<(String, String)>,
    ) -> Self {
        Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            initiated_ms: now_ms(),
            headers,
            user_meta,
            parts: BTreeMap::new(),
            gate: Arc::default(),
        }
    }

    pub(crate) fn user_meta(&self, name: &str) -> Option<&str> {
        self.user_meta
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Uploads by id.
#[derive(Debug, Default)]
pub(crate) struct Uploads {
    map: Mutex<HashMap<String, Upload>>,
    counter: AtomicU64,
    /// Serialises part commits and removals so the map and the directory agree.
    commit: tokio::sync::Mutex<()>,
}

impl Uploads {
    /// Uploads loaded from the data directory.
    pub(crate) fn loaded(map: HashMap<String, Upload>) -> Self {
        Self {
            map: Mutex::new(map),
            ..Self::default()
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Upload>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A fresh upload id (32 upper-case hex characters, like OSS).
    fn new_id(&self, upload: &Upload) -> String {
        loop {
            let n = self.counter.fetch_add(1, Ordering::Relaxed);
            let seed = format!("{}:{n}:{}:{}", now_ms(), upload.bucket, upload.key);
            let digest = Sha256::digest(seed.as_bytes());
            let id = hex::encode_upper(digest.get(..16).unwrap_or_default());
            if !self.lock().contains_key(&id) {
                return id;
            }
        }
    }

    /// Runs `f` on the upload if it exists for this bucket and key.
    pub(crate) fn with<T>(
        &self,
        id: &str,
        bucket: &str,
        key: &str,
        f: impl FnOnce(&mut Upload) -> T,
    ) -> Option<T> {
        let mut map = self.lock();
        map.get_mut(id)
            .filter(|u| u.bucket == bucket && u.key == key)
            .map(f)
    }

    fn gate(&self, id: &str, bucket: &str, key: &str) -> Option<Arc<RwLock<()>>> {
        self.with(id, bucket, key, |u| Arc::clone(&u.gate))
    }

    /// Waits until no part commit or other Complete/Abort of the upload is running, and keeps
    /// them out while the guard lives. `None` when the upload does not exist (any more).
    pub(crate) async fn exclusive(
        &self,
        id: &str,
        bucket: &str,
        key: &str,
    ) -> Option<OwnedRwLockWriteGuard<()>> {
        let guard = self.gate(id, bucket, key)?.write_owned().await;
        self.exists(id, bucket, key).then_some(guard)
    }

    fn exists(&self, id: &str, bucket: &str, key: &str) -> bool {
        self.with(id, bucket, key, |_| ()).is_some()
    }

    /// Uploads of a bucket as (key, id, initiated), sorted by key then id.
    pub(crate) fn list(&self, bucket: &str) -> Vec<(String, String, u64)> {
        let mut out: Vec<_> = self
            .lock()
            .iter()
            .filter(|(_, u)| u.bucket == bucket)
            .map(|(id, u)| (u.key.clone(), id.clone(), u.initiated_ms))
            .collect();
        out.sort();
        out
    }
}

impl Store {
    /// Registers an upload (on disk first in directory mode) and returns its id.
    pub(crate) async fn create_upload(&self, upload: Upload) -> Result<String, StoreError> {
        let id = self.uploads.new_id(&upload);
        if let Some(disk) = &self.disk {
            disk.save_upload(&id, &upload).await?;
        }
        self.uploads.lock().insert(id.clone(), upload);
        Ok(id)
    }

    /// Records a part, replacing one with the same number. `Ok(false)` when the upload does not
    /// exist for this bucket and key (the part's bytes are dropped).
    pub(crate) async fn put_part(
        &self,
        id: &str,
        bucket: &str,
        key: &str,
        number: u32,
        part: Part,
    ) -> Result<bool, StoreError> {
        let Some(gate) = self.uploads.gate(id, bucket, key) else {
            part.data.discard();
            return Ok(false);
        };
        let _shared = gate.read().await;
        let _commit = self.uploads.commit.lock().await;
        if !self.uploads.exists(id, bucket, key) {
            part.data.discard();
            return Ok(false);
        }
        let part = match &self.disk {
            Some(disk) => disk.save_part(id, number, part).await?,
            None => part,
        };
        let old = self
            .uploads
            .with(id, bucket, key, |u| u.parts.insert(number, part))
            .flatten();
        if let Some(old) = old {
            old.data.discard();
        }
        Ok(true)
    }

    /// Removes an upload and its parts (after Complete, or Abort). `Ok(false)` when the upload
    /// does not exist for this bucket and key.
    pub(crate) async fn remove_upload(
        &self,
        id: &str,
        bucket: &str,
        key: &str,
    ) -> Result<bool, StoreError> {
        let _commit = self.uploads.commit.lock().await;
        if !self.uploads.exists(id, bucket, key) {
            return Ok(false);
        }
        if let Some(disk) = &self.disk {
            disk.delete_upload(id).await?;
        }
        let removed = self.uploads.lock().remove(id);
        for part in removed.iter().flat_map(|u| u.parts.values()) {
            part.data.discard();
        }
        Ok(true)
    }
}
