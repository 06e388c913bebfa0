//! Multipart uploads in progress (kept in memory; part bytes follow the store's mode).

use core::sync::atomic::{AtomicU64, Ordering};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use sha2::{Digest as _, Sha256};

use super::{Data, now_ms};

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
}

impl Uploads {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Upload>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers an upload and returns its id (32 upper-case hex characters, like OSS).
    pub(crate) fn create(&self, upload: Upload) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let seed = format!("{}:{n}:{}:{}", now_ms(), upload.bucket, upload.key);
        let digest = Sha256::digest(seed.as_bytes());
        let id = hex::encode_upper(digest.get(..16).unwrap_or_default());
        self.lock().insert(id.clone(), upload);
        id
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

    /// Removes and returns the upload if it exists for this bucket and key.
    pub(crate) fn remove(&self, id: &str, bucket: &str, key: &str) -> Option<Upload> {
        let mut map = self.lock();
        if map
            .get(id)
            .is_some_and(|u| u.bucket == bucket && u.key == key)
        {
            map.remove(id)
        } else {
            None
        }
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
