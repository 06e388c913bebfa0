//! OSS error responses: `<Error>` XML with Code, Message, RequestId, HostId, context, EC.
//!
//! HEAD responses carry no body; OSS then puts the Base64 of the XML in `x-oss-err`.

use std::borrow::Cow;

use axum::body::Body;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderValue, StatusCode, header};

use crate::store::StoreError;
use crate::xml::XmlWriter;

/// An OSS error answer.
#[derive(Debug, Clone)]
pub(crate) struct OssError {
    pub(crate) status: StatusCode,
    pub(crate) code: Cow<'static, str>,
    pub(crate) message: String,
    pub(crate) ec: Option<&'static str>,
    /// Context elements written between HostId and EC.
    pub(crate) context: Vec<(&'static str, String)>,
}

/// Result of an OSS handler.
pub(crate) type OssResult<T = Response> = Result<T, OssError>;

impl OssError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Cow::Borrowed(code),
            message: message.into(),
            ec: None,
            context: Vec::new(),
        }
    }

    #[must_use]
    pub(crate) fn ec(mut self, ec: &'static str) -> Self {
        self.ec = Some(ec);
        self
    }

    #[must_use]
    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.context.push((name, value.into()));
        self
    }

    pub(crate) fn no_such_bucket(bucket: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist.",
        )
        .with("BucketName", bucket)
        .ec("0015-00000101")
    }

    pub(crate) fn no_such_key(key: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        )
        .with("Key", key)
        .ec("0026-00000001")
    }

    pub(crate) fn no_such_upload(upload_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may \
             have been aborted or completed.",
        )
        .with("UploadId", upload_id)
        .ec("0042-00000104")
    }

    pub(crate) fn invalid_argument(message: impl Into<String>, name: &str, value: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
            .with("ArgumentName", name)
            .with("ArgumentValue", value)
    }

    pub(crate) fn invalid_digest() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidDigest",
            "The Content-MD5 you specified was invalid",
        )
    }

    /// OSS's answer to a PutObject or UploadPart body over the single-request limit.
    pub(crate) fn entity_too_large() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size.",
        )
    }

    pub(crate) fn malformed_xml() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published \
             schema.",
        )
    }

    pub(crate) fn file_already_exists() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "FileAlreadyExists",
            "The object you specified already exists and can not be overwritten.",
        )
    }

    pub(crate) fn precondition_failed(condition: &str) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold.",
        )
        .with("Condition", condition)
    }

    pub(crate) fn invalid_range() -> Self {
        Self::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "InvalidRange",
            "The requested range cannot be satisfied",
        )
    }

    pub(crate) fn invalid_encryption(ec: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidEncryptionRequest", message).ec(ec)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", message)
    }

    /// Maps a store failure in the context of `bucket` / `key`.
    pub(crate) fn from_store(e: StoreError, bucket: &str, key: &str) -> Self {
        match e {
            StoreError::NoSuchBucket => Self::no_such_bucket(bucket),
            StoreError::NoSuchKey => Self::no_such_key(key),
            StoreError::BucketNotEmpty => Self::new(
                StatusCode::CONFLICT,
                "BucketNotEmpty",
                "The bucket you tried to delete is not empty.",
            )
            .with("BucketName", bucket),
            StoreError::FileAlreadyExists => Self::file_already_exists(),
            StoreError::Io(e) => Self::internal(format!("storage error: {e}")),
        }
    }

    /// The XML body.
    pub(crate) fn to_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut w = XmlWriter::new();
        w.open("Error");
        w.elem("Code", &self.code);
        w.elem("Message", &self.message);
        w.elem("RequestId", request_id);
        w.elem("HostId", host_id);
        for (name, value) in &self.context {
            w.elem(name, value);
        }
        if let Some(ec) = self.ec {
            w.elem("EC", ec);
            w.elem(
                "RecommendDoc",
                &format!("https://api.aliyun.com/troubleshoot?q={ec}"),
            );
        }
        w.close("Error");
        w.finish()
    }

    /// The HTTP response (no body for HEAD requests, `x-oss-err` instead).
    pub(crate) fn into_response(self, request_id: &str, host_id: &str, head: bool) -> Response {
        let xml = self.to_xml(request_id, host_id);
        let mut builder = Response::builder()
            .status(self.status)
            .header(header::CONTENT_TYPE, "application/xml");
        if let Some(ec) = self.ec {
            builder = builder.header("x-oss-ec", ec);
        }
        let body = if head {
            builder = builder.header("x-oss-err", STANDARD.encode(xml.as_bytes()));
            Body::empty()
        } else {
            Body::from(xml)
        };
        builder.body(body).unwrap_or_else(|_| {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r.headers_mut()
                .insert("x-oss-ec", HeaderValue::from_static("0000-00000000"));
            r
        })
    }
}
