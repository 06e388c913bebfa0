//! Service-level requests, which name no bucket: ListBuckets.

use http::Method;

use crate::client::ServiceClient;
use crate::client::send::OssRequest;
use crate::error::Result;
use crate::xml::{ListBucketsResult, parse_list_buckets};

/// Options of one ListBuckets page.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListBucketsOptions {
    /// Only buckets whose name starts with this.
    pub prefix: Option<String>,
    /// Start after this bucket name (`next_marker` of the previous page).
    pub marker: Option<String>,
    /// Page size (1 to 1000; OSS's default is 100).
    pub max_keys: Option<u32>,
}

impl ListBucketsOptions {
    /// Only buckets whose name starts with `prefix`.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The page after the bucket named `marker`.
    #[must_use]
    pub fn with_marker(mut self, marker: impl Into<String>) -> Self {
        self.marker = Some(marker.into());
        self
    }

    /// Page size.
    #[must_use]
    pub fn with_max_keys(mut self, max_keys: u32) -> Self {
        self.max_keys = Some(max_keys);
        self
    }
}

impl ServiceClient {
    /// One page of ListBuckets: the account's buckets (in every region), by name.
    ///
    /// # Errors
    ///
    /// Server and transport errors; [`crate::Error::InvalidResponse`] for an unreadable page.
    pub async fn list_buckets(&self, options: &ListBucketsOptions) -> Result<ListBucketsResult> {
        let mut req = OssRequest::new("ListBuckets", Method::GET, None);
        for (name, value) in [("prefix", &options.prefix), ("marker", &options.marker)] {
            if let Some(value) = value {
                req = req.query(name, value.clone());
            }
        }
        if let Some(max) = options.max_keys {
            req = req.query("max-keys", max.to_string());
        }
        let (_, body) = self.client.run_full(&req).await?;
        parse_list_buckets(&body)
    }
}
