//! Operation names (as used by fault rules) and dispatch to their handlers.

use axum::body::Body;
use axum::response::Response;
use http::{Method, StatusCode};

use super::{OssState, Req, bucket, copy, list, multipart, object};
use crate::oss_error::{OssError, OssResult};

/// The OSS operations the dev server implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    ListBuckets,
    PutBucket,
    DeleteBucket,
    GetBucketInfo,
    ListObjects,
    ListObjectsV2,
    ListMultipartUploads,
    DeleteMultipleObjects,
    PutObject,
    GetObject,
    HeadObject,
    GetObjectMeta,
    DeleteObject,
    CopyObject,
    InitiateMultipartUpload,
    UploadPart,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
}

impl Operation {
    /// The name used in fault rules (the OSS API name).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::ListBuckets => "ListBuckets",
            Self::PutBucket => "PutBucket",
            Self::DeleteBucket => "DeleteBucket",
            Self::GetBucketInfo => "GetBucketInfo",
            Self::ListObjects => "ListObjects",
            Self::ListObjectsV2 => "ListObjectsV2",
            Self::ListMultipartUploads => "ListMultipartUploads",
            Self::DeleteMultipleObjects => "DeleteMultipleObjects",
            Self::PutObject => "PutObject",
            Self::GetObject => "GetObject",
            Self::HeadObject => "HeadObject",
            Self::GetObjectMeta => "GetObjectMeta",
            Self::DeleteObject => "DeleteObject",
            Self::CopyObject => "CopyObject",
            Self::InitiateMultipartUpload => "InitiateMultipartUpload",
            Self::UploadPart => "UploadPart",
            Self::UploadPartCopy => "UploadPartCopy",
            Self::CompleteMultipartUpload => "CompleteMultipartUpload",
            Self::AbortMultipartUpload => "AbortMultipartUpload",
            Self::ListParts => "ListParts",
        }
    }

    /// Whether body faults (reset, corruption) act on the request body rather than the response.
    pub(crate) fn has_request_body(self) -> bool {
        matches!(self, Self::PutObject | Self::UploadPart)
    }

    /// Identifies the operation from method, target and query.
    pub(crate) fn identify(req: &Req) -> Result<Self, OssError> {
        let q = &req.query;
        let copy = req.headers.contains_key("x-oss-copy-source");
        let op = match (&req.target.bucket, &req.target.key, &req.method) {
            (None, None, &Method::GET) => Self::ListBuckets,
            (Some(_), None, &Method::PUT) if q.pairs().is_empty() => Self::PutBucket,
            (Some(_), None, &Method::DELETE) if q.pairs().is_empty() => Self::DeleteBucket,
            (Some(_), None, &Method::GET) if q.has("bucketInfo") => Self::GetBucketInfo,
            (Some(_), None, &Method::GET) if q.has("uploads") => Self::ListMultipartUploads,
            (Some(_), None, &Method::GET) if q.get("list-type") == Some("2") => Self::ListObjectsV2,
            (Some(_), None, &Method::GET) => Self::ListObjects,
            (Some(_), None, &Method::POST) if q.has("delete") => Self::DeleteMultipleObjects,
            (Some(_), Some(_), &Method::PUT) if q.has("partNumber") || q.has("uploadId") => {
                if copy {
                    Self::UploadPartCopy
                } else {
                    Self::UploadPart
                }
            }
            (Some(_), Some(_), &Method::PUT) if copy => Self::CopyObject,
            (Some(_), Some(_), &Method::PUT) => Self::PutObject,
            (Some(_), Some(_), &Method::GET) if q.has("uploadId") => Self::ListParts,
            (Some(_), Some(_), &Method::GET) => Self::GetObject,
            (Some(_), Some(_), &Method::HEAD) if q.has("objectMeta") => Self::GetObjectMeta,
            (Some(_), Some(_), &Method::HEAD) => Self::HeadObject,
            (Some(_), Some(_), &Method::DELETE) if q.has("uploadId") => Self::AbortMultipartUpload,
            (Some(_), Some(_), &Method::DELETE) => Self::DeleteObject,
            (Some(_), Some(_), &Method::POST) if q.has("uploads") => Self::InitiateMultipartUpload,
            (Some(_), Some(_), &Method::POST) if q.has("uploadId") => Self::CompleteMultipartUpload,
            _ => {
                return Err(OssError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "MethodNotAllowed",
                    "The specified method is not allowed against this resource.",
                ));
            }
        };
        Ok(op)
    }
}

/// Runs the operation's handler.
pub(crate) async fn dispatch(
    state: &OssState,
    op: Operation,
    req: &Req,
    body: Body,
) -> OssResult<Response> {
    match op {
        Operation::ListBuckets => bucket::list_buckets(state, req),
        Operation::PutBucket => bucket::put_bucket(state, req).await,
        Operation::DeleteBucket => bucket::delete_bucket(state, req).await,
        Operation::GetBucketInfo => bucket::bucket_info(state, req),
        Operation::ListObjects => list::list_objects(state, req, false),
        Operation::ListObjectsV2 => list::list_objects(state, req, true),
        Operation::ListMultipartUploads => list::list_uploads(state, req),
        Operation::DeleteMultipleObjects => bucket::delete_multiple(state, req, body).await,
        Operation::PutObject => object::put_object(state, req, body).await,
        Operation::GetObject => object::get_object(state, req, false).await,
        Operation::HeadObject => object::get_object(state, req, true).await,
        Operation::GetObjectMeta => object::object_meta(state, req),
        Operation::DeleteObject => object::delete_object(state, req).await,
        Operation::CopyObject => copy::copy_object(state, req).await,
        Operation::InitiateMultipartUpload => multipart::initiate(state, req, body).await,
        Operation::UploadPart => multipart::upload_part(state, req, body).await,
        Operation::UploadPartCopy => copy::upload_part_copy(state, req).await,
        Operation::CompleteMultipartUpload => multipart::complete(state, req, body).await,
        Operation::AbortMultipartUpload => multipart::abort(state, req).await,
        Operation::ListParts => multipart::list_parts(state, req),
    }
}
