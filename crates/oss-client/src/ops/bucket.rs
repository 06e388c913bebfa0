//! Bucket-level housekeeping of the client's bucket: create, delete, and the multipart
//! uploads in progress (which are billed until completed or aborted).

use http::Method;

use crate::client::Client;
use crate::client::send::OssRequest;
use crate::error::Result;
use crate::xml::{ListUploadsResult, parse_list_uploads};

/// Options of one ListMultipartUploads page.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListUploadsOptions {
    /// Only uploads whose key starts with this.
    pub prefix: Option<String>,
    /// Start after this key (with `upload_id_marker`: after that upload of it).
    pub key_marker: Option<String>,
    /// See `key_marker`.
    pub upload_id_marker: Option<String>,
    /// Page size (1 to 1000).
    pub max_uploads: Option<u32>,
}

impl ListUploadsOptions {
    /// Only uploads under `prefix`.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The page after the one that returned these markers.
    #[must_use]
    pub fn after(
        mut self,
        key_marker: impl Into<String>,
        upload_id_marker: impl Into<String>,
    ) -> Self {
        self.key_marker = Some(key_marker.into());
        self.upload_id_marker = Some(upload_id_marker.into());
        self
    }

    /// Page size.
    #[must_use]
    pub fn with_max_uploads(mut self, max: u32) -> Self {
        self.max_uploads = Some(max);
        self
    }
}

impl Client {
    /// PutBucket: creates the client's bucket (private ACL, the region's default storage).
    ///
    /// # Errors
    ///
    /// A service error `BucketAlreadyExists` (409) when another account owns the name, and
    /// other server and transport errors.
    pub async fn create_bucket(&self) -> Result<()> {
        let req = OssRequest::new("PutBucket", Method::PUT, None);
        self.run_full(&req).await.map(drop)
    }

    /// DeleteBucket: deletes the client's bucket, which must be empty (objects and uploads).
    ///
    /// # Errors
    ///
    /// A service error `BucketNotEmpty` (409), [`crate::Error::NotFound`] for a missing
    /// bucket, and other server and transport errors.
    pub async fn delete_bucket(&self) -> Result<()> {
        let req = OssRequest::new("DeleteBucket", Method::DELETE, None);
        self.run_full(&req).await.map(drop)
    }

    /// One page of ListMultipartUploads (keys decoded from `encoding-type=url`).
    ///
    /// # Errors
    ///
    /// Server and transport errors; [`crate::Error::InvalidResponse`] for an unreadable page.
    pub async fn list_multipart_uploads(
        &self,
        options: &ListUploadsOptions,
    ) -> Result<ListUploadsResult> {
        let mut req = OssRequest::new("ListMultipartUploads", Method::GET, None)
            .query("uploads", "")
            .query("encoding-type", "url");
        let optional = [
            ("prefix", &options.prefix),
            ("key-marker", &options.key_marker),
            ("upload-id-marker", &options.upload_id_marker),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                req = req.query(name, value.clone());
            }
        }
        if let Some(max) = options.max_uploads {
            req = req.query("max-uploads", max.to_string());
        }
        let (_, body) = self.run_full(&req).await?;
        parse_list_uploads(&body)
    }
}
