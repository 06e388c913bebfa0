//! Fault rules applied to KMS requests (operation names `kms:<Action>`): error answers,
//! throttling, delays, dropped connections and corrupted or truncated answers (kms-api.md §8.6).

use axum::body::{Body, Bytes};
use axum::response::Response;
use futures::StreamExt as _;
use http::{HeaderValue, StatusCode, header};

use super::kms_error::KmsError;
use crate::faults::FaultAction;
use crate::server::ConnAbort;

/// The KMS error an error-type fault answers with, if `fault` is one.
///
/// OSS-flavoured default codes are translated: 500 → `InternalFailure`, 503 →
/// `ServiceUnavailableTemporary`, 429 → `Throttling`; other codes are used as given.
pub(crate) fn error_for(fault: &FaultAction) -> Option<KmsError> {
    match fault {
        FaultAction::KmsThrottling => Some(KmsError::new(
            StatusCode::BAD_REQUEST,
            "Throttling",
            "Request was denied due to request throttling.",
        )),
        FaultAction::Status { status, code } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = match code.as_str() {
                "InternalError" => "InternalFailure",
                "ServiceUnavailable" => "ServiceUnavailableTemporary",
                "TooManyRequests" => "Throttling",
                other => other,
            };
            Some(KmsError::owned(status, code.to_owned(), "Injected fault."))
        }
        _ => None,
    }
}

/// Applies a body fault to a finished answer: truncation (then the connection drops) or one
/// flipped bit. Other faults leave the answer unchanged.
pub(crate) fn apply_to_body(
    response: Response,
    fault: Option<&FaultAction>,
    body: Bytes,
    abort: ConnAbort,
) -> Response {
    let (mut parts, _) = response.into_parts();
    // The full length is announced so a truncated answer is visibly short.
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let body = match fault {
        Some(FaultAction::ResetAfter(keep)) => {
            let keep = usize::try_from(*keep).unwrap_or(usize::MAX).min(body.len());
            let prefix = body.slice(..keep);
            // Hyper writes the prefix, polls for more, and the connection is dropped then.
            let tail = futures::stream::once(async move {
                abort.abort();
                core::future::pending::<Result<Bytes, std::io::Error>>().await
            });
            let stream = futures::stream::once(async move { Ok(prefix) }).chain(tail);
            Body::from_stream(stream)
        }
        Some(FaultAction::CorruptByte(at)) => {
            let mut bytes = body.to_vec();
            if let Some(b) = usize::try_from(*at).ok().and_then(|i| bytes.get_mut(i)) {
                *b ^= 0x01;
            }
            Body::from(bytes)
        }
        _ => Body::from(body),
    };
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_faults_use_kms_codes() {
        let code = |f: FaultAction| error_for(&f).map(|e| (e.status.as_u16(), e.code.into_owned()));
        assert_eq!(
            code(FaultAction::status(500)),
            Some((500, "InternalFailure".into()))
        );
        assert_eq!(
            code(FaultAction::status(503)),
            Some((503, "ServiceUnavailableTemporary".into()))
        );
        assert_eq!(
            code(FaultAction::KmsThrottling),
            Some((400, "Throttling".into()))
        );
        let custom = FaultAction::Status {
            status: 400,
            code: "Rejected.Throttling".into(),
        };
        assert_eq!(code(custom), Some((400, "Rejected.Throttling".into())));
        assert_eq!(code(FaultAction::ResetAfter(3)), None);
    }
}
