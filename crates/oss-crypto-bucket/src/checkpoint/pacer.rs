//! Checkpoint saves paced to at most one per interval and run on the blocking pool: a save
//! costs fsyncs (and, for downloads, a sync of the data it vouches for), so one per part would
//! hold a fast transfer to the disk's latency. Progress between saves is not lost on errors:
//! the transfer saves once more on its way out; only a crash can cost the last interval.

use core::time::Duration;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{Error, Result};

/// Least time between two saves of one transfer's checkpoint.
pub(crate) const SAVE_INTERVAL: Duration = Duration::from_millis(500);

/// Saves one transfer's checkpoint, paced.
#[derive(Debug)]
pub(crate) struct PacedSaver {
    path: PathBuf,
    /// When the next save may run; locked while a save runs so saves never overlap.
    next_due: Mutex<Instant>,
}

impl PacedSaver {
    /// A saver whose first save may run at once.
    pub(crate) fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            next_due: Mutex::new(Instant::now()),
        }
    }

    /// Saves what `snapshot` yields, unless a save ran within the interval or runs now (a
    /// later save will include this progress).
    ///
    /// # Errors
    ///
    /// Those of `snapshot` and of writing the checkpoint.
    pub(crate) async fn save_if_due<T, F, Fut>(&self, snapshot: F) -> Result<()>
    where
        T: Serialize + Send + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let Ok(mut next_due) = self.next_due.try_lock() else {
            return Ok(());
        };
        if Instant::now() < *next_due {
            return Ok(());
        }
        self.write(snapshot().await?).await?;
        *next_due = Instant::now() + SAVE_INTERVAL;
        Ok(())
    }

    /// Saves now, after any running save: for the way out of a failed transfer.
    ///
    /// # Errors
    ///
    /// Those of `snapshot` and of writing the checkpoint.
    pub(crate) async fn save_now<T, F, Fut>(&self, snapshot: F) -> Result<()>
    where
        T: Serialize + Send + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut next_due = self.next_due.lock().await;
        self.write(snapshot().await?).await?;
        *next_due = Instant::now() + SAVE_INTERVAL;
        Ok(())
    }

    async fn write<T: Serialize + Send + 'static>(&self, value: T) -> Result<()> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || super::save(&path, &value))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e)))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn saved(path: &Path) -> u32 {
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    #[tokio::test]
    async fn saves_at_most_once_per_interval_but_always_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.json");
        let saver = PacedSaver::new(&path);
        saver.save_if_due(|| async { Ok(1_u32) }).await.unwrap();
        assert_eq!(saved(&path).await, 1, "the first save runs at once");
        saver.save_if_due(|| async { Ok(2_u32) }).await.unwrap();
        assert_eq!(
            saved(&path).await,
            1,
            "a save within the interval is skipped"
        );
        saver.save_now(|| async { Ok(3_u32) }).await.unwrap();
        assert_eq!(saved(&path).await, 3, "save_now always writes");
        tokio::time::sleep(SAVE_INTERVAL).await;
        saver.save_if_due(|| async { Ok(4_u32) }).await.unwrap();
        assert_eq!(saved(&path).await, 4, "due again after the interval");
    }

    #[tokio::test]
    async fn a_failed_snapshot_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.json");
        let saver = PacedSaver::new(&path);
        let failing = || async { Err::<u32, _>(Error::Io(std::io::Error::other("boom"))) };
        assert!(saver.save_if_due(failing).await.is_err());
        assert!(!path.exists());
        saver.save_if_due(|| async { Ok(5_u32) }).await.unwrap();
        assert_eq!(saved(&path).await, 5, "still due after a failed attempt");
    }
}
