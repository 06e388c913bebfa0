//! The multipart uploads in progress under a prefix, streamed page by page.

use futures::Stream;
use oss_client::{Client, ListUploadsOptions, UploadSummary};

use super::listing::paged;
use crate::error::Result;

/// Every multipart upload in progress under `prefix`, by key then upload id, one page of
/// `page_size` (1 to 1000) requested at a time as the stream is read.
///
/// # Errors
///
/// The stream yields [`crate::Error::Client`] for a failed page and then ends.
pub fn uploads(
    client: &Client,
    prefix: &str,
    page_size: u32,
) -> impl Stream<Item = Result<UploadSummary>> + Send + 'static {
    let client = client.clone();
    let mut first = ListUploadsOptions::default().with_max_uploads(page_size.clamp(1, 1000));
    if !prefix.is_empty() {
        first = first.with_prefix(prefix);
    }
    paged(first, move |options: ListUploadsOptions| {
        let client = client.clone();
        async move {
            let page = client.list_multipart_uploads(&options).await?;
            let next = page
                .is_truncated
                .then(|| options.after(page.next_key_marker, page.next_upload_id_marker));
            Ok((page.uploads, next))
        }
    })
}
