//! The account's buckets, streamed page by page.

use futures::Stream;
use oss_client::{BucketSummary, ListBucketsOptions, ServiceClient};

use super::listing::paged;
use crate::error::Result;

/// Every bucket of the account, by name, one ListBuckets page of `page_size` (1 to 1000)
/// requested at a time as the stream is read.
///
/// # Errors
///
/// The stream yields [`crate::Error::Client`] for a failed page and then ends.
pub fn buckets(
    service: &ServiceClient,
    page_size: u32,
) -> impl Stream<Item = Result<BucketSummary>> + Send + 'static {
    let service = service.clone();
    let first = ListBucketsOptions::default().with_max_keys(page_size.clamp(1, 1000));
    paged(first, move |options: ListBucketsOptions| {
        let service = service.clone();
        async move {
            let page = service.list_buckets(&options).await?;
            let next = page
                .is_truncated
                .then(|| options.with_marker(page.next_marker));
            Ok((page.buckets, next))
        }
    })
}
