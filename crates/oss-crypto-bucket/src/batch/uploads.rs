//! The multipart uploads in progress under a prefix, streamed page by page.

use futures::{Stream, StreamExt as _, TryStreamExt as _, stream};
use oss_client::{Client, ListUploadsOptions, UploadSummary};

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
    stream::try_unfold(Some(first), move |next| {
        let client = client.clone();
        async move {
            let Some(options) = next else {
                return Ok(None);
            };
            let page = client.list_multipart_uploads(&options).await?;
            let next = page.is_truncated.then(|| {
                options.clone().after(
                    page.next_key_marker.clone(),
                    page.next_upload_id_marker.clone(),
                )
            });
            Ok::<_, crate::Error>(Some((page.uploads, next)))
        }
    })
    .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
