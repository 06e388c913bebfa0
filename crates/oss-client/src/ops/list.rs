//! ListObjectsV2.

use http::Method;

use crate::client::Client;
use crate::client::send::OssRequest;
use crate::error::Result;
use crate::xml::{ListObjectsResult, parse_list_objects};

/// Options of ListObjectsV2.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListObjectsOptions {
    /// Only keys starting with this.
    pub prefix: Option<String>,
    /// Group keys by this separator into common prefixes.
    pub delimiter: Option<String>,
    /// Start after this key.
    pub start_after: Option<String>,
    /// Token of the page to read (from `next_continuation_token`).
    pub continuation_token: Option<String>,
    /// Page size (default 100, max 1000).
    pub max_keys: Option<u32>,
}

impl ListObjectsOptions {
    /// Only keys under `prefix`.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Groups by `delimiter`.
    #[must_use]
    pub fn with_delimiter(mut self, delimiter: impl Into<String>) -> Self {
        self.delimiter = Some(delimiter.into());
        self
    }

    /// Page size.
    #[must_use]
    pub fn with_max_keys(mut self, max_keys: u32) -> Self {
        self.max_keys = Some(max_keys);
        self
    }

    /// Continues from a previous page.
    #[must_use]
    pub fn with_continuation_token(mut self, token: impl Into<String>) -> Self {
        self.continuation_token = Some(token.into());
        self
    }
}

impl Client {
    /// One page of ListObjectsV2 (keys are decoded from `encoding-type=url`).
    ///
    /// # Errors
    ///
    /// Server and transport errors; [`crate::Error::InvalidResponse`] for an unreadable page.
    pub async fn list_objects_v2(&self, options: &ListObjectsOptions) -> Result<ListObjectsResult> {
        let mut req = OssRequest::new("ListObjectsV2", Method::GET, None)
            .query("list-type", "2")
            .query("encoding-type", "url");
        let optional = [
            ("prefix", &options.prefix),
            ("delimiter", &options.delimiter),
            ("start-after", &options.start_after),
            ("continuation-token", &options.continuation_token),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                req = req.query(name, value.clone());
            }
        }
        if let Some(max) = options.max_keys {
            req = req.query("max-keys", max.to_string());
        }
        let (_, body) = self.run_full(&req).await?;
        parse_list_objects(&body)
    }
}
