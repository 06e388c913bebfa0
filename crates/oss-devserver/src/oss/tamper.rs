//! Hostile rewrites of a finished response (fault actions that act like a broken proxy or a
//! non-conforming server): headers stripped, altered or duplicated, 200 for 206, a shifted
//! `Content-Range`, a slow-drip body, a corrupted byte under a recomputed CRC-64, a garbage
//! body.

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use crc_fast::{CrcAlgorithm, Digest as CrcDigest};
use futures::StreamExt as _;
use http::{HeaderName, HeaderValue, StatusCode, header};
use http_body_util::BodyExt as _;

use crate::faults::FaultAction;

/// Whether `fault` is one of the rewrites [`apply`] performs.
pub(crate) fn is_rewrite(fault: &FaultAction) -> bool {
    matches!(
        fault,
        FaultAction::StripHeaders(_)
            | FaultAction::SetHeader { .. }
            | FaultAction::DuplicateHeader { .. }
            | FaultAction::OkForPartial
            | FaultAction::ShiftContentRange(_)
            | FaultAction::Drip { .. }
            | FaultAction::CorruptByteRecomputeCrc(_)
            | FaultAction::ReplaceBody(_)
    )
}

/// Rewrites `response` as `fault` says (other actions leave it unchanged).
pub(crate) async fn apply(mut response: Response, fault: &FaultAction) -> Response {
    let partial = response.status() == StatusCode::PARTIAL_CONTENT;
    let headers = response.headers_mut();
    match fault {
        FaultAction::StripHeaders(prefix) => {
            let doomed: Vec<HeaderName> = headers
                .keys()
                .filter(|n| n.as_str().starts_with(prefix.as_str()))
                .cloned()
                .collect();
            for name in doomed {
                headers.remove(name);
            }
        }
        FaultAction::SetHeader { name, value } => set(headers, name, value, false),
        FaultAction::DuplicateHeader { name, value } => {
            let copy = headers
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(value) = value.clone().or(copy) {
                set(headers, name, &value, true);
            }
        }
        FaultAction::OkForPartial if partial => {
            headers.remove(header::CONTENT_RANGE);
            *response.status_mut() = StatusCode::OK;
        }
        FaultAction::ShiftContentRange(by) => shift_range(headers, *by),
        FaultAction::Drip { chunk, pause } => return drip(response, *chunk, *pause),
        FaultAction::CorruptByteRecomputeCrc(at) => return corrupt_recompute(response, *at).await,
        FaultAction::ReplaceBody(text) => {
            let (mut parts, _) = response.into_parts();
            parts
                .headers
                .insert(header::CONTENT_LENGTH, text.len().into());
            return Response::from_parts(parts, Body::from(text.clone()));
        }
        _ => {}
    }
    response
}

fn set(headers: &mut http::HeaderMap, name: &str, value: &str, append: bool) {
    let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) else {
        return;
    };
    if append {
        headers.append(name, value);
    } else {
        headers.insert(name, value);
    }
}

/// `bytes a-b/n` becomes `bytes (a+by)-(b+by)/n` (clamped at 0).
fn shift_range(headers: &mut http::HeaderMap, by: i64) {
    let Some(range) = headers
        .get(header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
    else {
        return;
    };
    let parsed = range.strip_prefix("bytes ").and_then(|r| {
        let (span, total) = r.split_once('/')?;
        let (a, b) = span.split_once('-')?;
        Some((
            a.parse::<i64>().ok()?,
            b.parse::<i64>().ok()?,
            total.to_owned(),
        ))
    });
    if let Some((a, b, total)) = parsed {
        let shifted = format!("bytes {}-{}/{total}", (a + by).max(0), (b + by).max(0));
        set(headers, "content-range", &shifted, false);
    }
}

fn drip(response: Response, chunk: usize, pause: core::time::Duration) -> Response {
    let (parts, body) = response.into_parts();
    let chunk = chunk.max(1);
    let pieces = body.into_data_stream().flat_map(move |item| {
        let pieces: Vec<Result<Bytes, axum::Error>> = match item {
            Ok(bytes) => (0..bytes.len())
                .step_by(chunk)
                .map(|i| Ok(bytes.slice(i..(i + chunk).min(bytes.len()))))
                .collect(),
            Err(e) => vec![Err(e)],
        };
        futures::stream::iter(pieces)
    });
    let paced = pieces.then(move |piece| async move {
        tokio::time::sleep(pause).await;
        piece
    });
    Response::from_parts(parts, Body::from_stream(paced))
}

async fn corrupt_recompute(response: Response, at: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(collected) = body.collect().await else {
        return Response::from_parts(parts, Body::empty());
    };
    let mut bytes = collected.to_bytes().to_vec();
    if let Some(byte) = usize::try_from(at).ok().and_then(|i| bytes.get_mut(i)) {
        *byte ^= 0x01;
    }
    let mut crc = CrcDigest::new(CrcAlgorithm::Crc64Xz);
    crc.update(&bytes);
    set(
        &mut parts.headers,
        "x-oss-hash-crc64ecma",
        &crc.finalize().to_string(),
        false,
    );
    Response::from_parts(parts, Body::from(bytes))
}
