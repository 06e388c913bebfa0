//! Progress reporting for long transfers.

use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt as _;
use futures::stream::BoxStream;

/// Called with (bytes done, bytes total): after each finished part, and as the body of a
/// single request (PutObject, a rotation's copy) is sent.
pub type ProgressFn = dyn Fn(u64, u64) + Send + Sync;

/// A request body stream.
type ByteStream = BoxStream<'static, io::Result<Bytes>>;

/// A shared progress counter that forwards to an optional callback.
#[derive(Clone)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: u64,
    callback: Option<Arc<ProgressFn>>,
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done())
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Progress {
    /// A counter for `total` bytes, starting at `already_done` (resumed parts).
    pub(crate) fn new(total: u64, already_done: u64, callback: Option<Arc<ProgressFn>>) -> Self {
        let progress = Self {
            done: Arc::new(AtomicU64::new(already_done)),
            total,
            callback,
        };
        progress.report();
        progress
    }

    /// Adds `bytes` and reports.
    pub(crate) fn add(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
        self.report();
    }

    /// Bytes done so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Reports `stream`'s bytes as they pass (a body read once, not retried).
    pub(crate) fn counting(&self, stream: ByteStream) -> ByteStream {
        let progress = self.clone();
        stream
            .inspect(move |chunk| {
                if let Ok(chunk) = chunk {
                    progress.add(chunk.len() as u64);
                }
            })
            .boxed()
    }

    /// Reports the bytes of the streams `factory` makes (one per attempt of a retried
    /// request); a new attempt takes back what the one before it reported, so the count
    /// stays the bytes of the body, not of all attempts.
    pub(crate) fn replayable(
        &self,
        factory: oss_client::StreamFactory,
    ) -> oss_client::StreamFactory {
        let progress = self.clone();
        let attempt = Arc::new(AtomicU64::new(0));
        Arc::new(move || {
            let earlier = attempt.swap(0, Ordering::Relaxed);
            progress.done.fetch_sub(earlier, Ordering::Relaxed);
            let (progress, attempt) = (progress.clone(), Arc::clone(&attempt));
            factory()
                .inspect(move |chunk| {
                    if let Ok(chunk) = chunk {
                        attempt.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        progress.add(chunk.len() as u64);
                    }
                })
                .boxed()
        })
    }

    /// `factory` itself without `progress`, else [`replayable`](Self::replayable).
    pub(crate) fn maybe_replayable(
        progress: Option<&Self>,
        factory: oss_client::StreamFactory,
    ) -> oss_client::StreamFactory {
        match progress {
            Some(progress) => progress.replayable(factory),
            None => factory,
        }
    }

    fn report(&self) {
        if let Some(callback) = &self.callback {
            callback(self.done(), self.total);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use futures::TryStreamExt as _;

    use super::*;

    fn body() -> ByteStream {
        futures::stream::iter([
            Ok(Bytes::from_static(b"abc")),
            Ok(Bytes::from_static(b"de")),
        ])
        .boxed()
    }

    /// Every (done, total) reported.
    type Seen = Arc<Mutex<Vec<(u64, u64)>>>;

    fn recording() -> (Progress, Seen) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let callback: Arc<ProgressFn> = Arc::new(move |done, total| {
            sink.lock().unwrap().push((done, total));
        });
        (Progress::new(5, 0, Some(callback)), seen)
    }

    #[tokio::test]
    async fn counting_reports_each_chunk() {
        let (progress, seen) = recording();
        let _: Vec<Bytes> = progress.counting(body()).try_collect().await.unwrap();
        assert_eq!(*seen.lock().unwrap(), [(0, 5), (3, 5), (5, 5)]);
    }

    #[tokio::test]
    async fn a_retried_attempt_does_not_count_twice() {
        let (progress, seen) = recording();
        let factory = progress.replayable(Arc::new(body));
        // The first attempt breaks after its first chunk; the retry sends everything.
        let _ = factory().next().await;
        let _: Vec<Bytes> = factory().try_collect().await.unwrap();
        assert_eq!(progress.done(), 5);
        assert_eq!(seen.lock().unwrap().last(), Some(&(5, 5)));
        assert!(seen.lock().unwrap().iter().all(|&(done, _)| done <= 5));
    }
}
