//! The streaming listing every batch operation starts from.

use futures::{Stream, StreamExt as _, TryStreamExt as _, stream};
use oss_client::{Client, ListObjectsOptions, ObjectSummary};

use super::Shard;
use crate::error::Result;

/// How a batch operation walks a prefix.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct BatchOptions {
    /// Objects worked on at once.
    pub jobs: usize,
    /// Keys per listing page (1 to 1000): what the listing holds in memory.
    pub page_size: u32,
    /// The part of the key space this process covers.
    pub shard: Shard,
}

impl Default for BatchOptions {
    fn default() -> Self {
        Self {
            jobs: 16,
            page_size: 1000,
            shard: Shard::ALL,
        }
    }
}

impl BatchOptions {
    /// Objects worked on at once (at least 1).
    #[must_use]
    pub fn with_jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    /// Keys per listing page (clamped to 1..=1000).
    #[must_use]
    pub fn with_page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, 1000);
        self
    }

    /// Only the keys of `shard`.
    #[must_use]
    pub fn with_shard(mut self, shard: Shard) -> Self {
        self.shard = shard;
        self
    }
}

/// Every object under `prefix` in `options.shard`, in key order, one page requested at a
/// time as the stream is read (so at most one page of keys is held).
///
/// # Errors
///
/// The stream yields [`crate::Error::Client`] for a failed page and then ends.
pub fn objects(
    client: &Client,
    prefix: &str,
    options: &BatchOptions,
) -> impl Stream<Item = Result<ObjectSummary>> + Send + 'static {
    let client = client.clone();
    let shard = options.shard;
    let mut first = ListObjectsOptions::default().with_max_keys(options.page_size);
    if !prefix.is_empty() {
        first = first.with_prefix(prefix);
    }
    // State: the options of the next page, `None` after the last one.
    stream::try_unfold(Some(first), move |next| {
        let client = client.clone();
        async move {
            let Some(page_options) = next else {
                return Ok(None);
            };
            let page = client.list_objects_v2(&page_options).await?;
            let next = match page.next_continuation_token {
                Some(token) if page.is_truncated => {
                    Some(page_options.with_continuation_token(token))
                }
                _ => None,
            };
            Ok::<_, crate::Error>(Some((page.objects, next)))
        }
    })
    .map_ok(|objects| stream::iter(objects.into_iter().map(Ok)))
    .try_flatten()
    .try_filter(move |object| futures::future::ready(shard.contains(&object.key)))
    .boxed()
}
