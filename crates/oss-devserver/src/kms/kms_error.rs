//! KMS error answers: HTTP status plus a JSON body with `RequestId`, `HostId`, `Code`, `Message`
//! and `Recommend` (kms-api.md §2.2).

use std::borrow::Cow;

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

/// The JSON content type KMS answers with.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// A KMS error: the status and code clients act on, and a human-readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KmsError {
    pub(crate) status: StatusCode,
    pub(crate) code: Cow<'static, str>,
    pub(crate) message: String,
}

impl KmsError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }

    /// An error whose code is only known at run time (injected faults).
    pub(crate) fn owned(status: StatusCode, code: String, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Cow::Owned(code),
            message: message.into(),
        }
    }

    pub(crate) fn missing(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidParameter", message)
    }

    pub(crate) fn key_not_found(key_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Forbidden.KeyNotFound",
            format!("The specified Key is not found: {key_id}"),
        )
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            message,
        )
    }

    /// The JSON error body.
    pub(crate) fn to_json(&self, request_id: &str, host_id: &str) -> serde_json::Value {
        serde_json::json!({
            "RequestId": request_id,
            "HostId": host_id,
            "Code": self.code,
            "Message": self.message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product=Kms", self.code),
        })
    }
}

/// A JSON response with the KMS content type.
pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    #[tokio::test]
    async fn error_body_has_the_documented_fields() {
        let error = KmsError::missing("KeyId");
        let response = json_response(
            error.status,
            &error.to_json("req-1", "kms.cn-hangzhou.aliyuncs.com"),
        );
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[header::CONTENT_TYPE], JSON_CONTENT_TYPE);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["Code"], "MissingParameter");
        assert_eq!(json["RequestId"], "req-1");
        assert_eq!(json["HostId"], "kms.cn-hangzhou.aliyuncs.com");
        assert!(json["Message"].as_str().unwrap().contains("KeyId"));
    }
}
