//! The streaming listing every batch operation starts from.

use core::future::Future;

use futures::{FutureExt as _, Stream, StreamExt as _, TryStreamExt as _, future, stream};
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
    paged(first, move |page_options: ListObjectsOptions| {
        let client = client.clone();
        async move {
            let page = client.list_objects_v2(&page_options).await?;
            let next = match page.next_continuation_token {
                Some(token) if page.is_truncated => {
                    Some(page_options.with_continuation_token(token))
                }
                _ => None,
            };
            Ok((page.objects, next))
        }
    })
    .try_filter(move |object| future::ready(shard.contains(&object.key)))
    .boxed()
}

/// Runs `one` on every object of `listing`, `jobs` at a time: what every prefix-wide
/// operation does. Records arrive in completion order.
///
/// `one` records an object's own failure in its record; the stream yields an error, and
/// ends, only when `listing` does.
pub(crate) fn for_each_object<'a, T, L, F, Fut>(
    listing: L,
    jobs: usize,
    one: F,
) -> impl Stream<Item = Result<T>> + Send + 'a
where
    T: Send + 'a,
    L: Stream<Item = Result<ObjectSummary>> + Send + 'a,
    F: FnMut(ObjectSummary) -> Fut + Send + 'a,
    Fut: Future<Output = T> + Send + 'a,
{
    listing
        .map_ok(one)
        .map_ok(|record| record.map(Ok))
        .try_buffer_unordered(jobs.max(1))
        .boxed()
}

/// The items of a paged listing, one page requested at a time as the stream is read:
/// `fetch` turns the request of a page into its items and the request of the next page
/// (`None` after the last one).
pub(crate) fn paged<Q, T, F, Fut>(
    first: Q,
    fetch: F,
) -> impl Stream<Item = Result<T>> + Send + 'static
where
    Q: Send + 'static,
    T: Send + 'static,
    F: Fn(Q) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<Q>)>> + Send + 'static,
{
    stream::try_unfold(Some(first), move |next| {
        let page = next.map(&fetch);
        async move {
            match page {
                None => Ok(None),
                Some(page) => page.await.map(Some),
            }
        }
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
