//! The ECS instance-metadata stand-in, served by the KMS listener, in the hardened mode only:
//! `PUT /latest/api/token` (with `X-aliyun-ecs-metadata-token-ttl-seconds`) gives a session
//! token; with it, `GET /latest/meta-data/ram/security-credentials/` names the instance's RAM
//! role ([`DEV_ECS_ROLE_NAME`]) and `GET …/security-credentials/<role>` issues a temporary key
//! (JSON, as ECS answers). A request without a valid session token is refused with 401.

use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use http::{HeaderMap, StatusCode, header};
use oss_signing::{constant_time_eq, time};
use rand::RngExt as _;

use crate::credentials::{CredentialStore, DEV_ECS_ROLE_NAME};

/// Header carrying the session token's requested lifetime.
const TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
/// Header carrying the session token.
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
/// ECS's bounds for the session token lifetime.
const TTL_RANGE: core::ops::RangeInclusive<u64> = 1..=21_600;
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

#[derive(Debug)]
struct Metadata {
    credentials: CredentialStore,
    lifetime: Duration,
    /// Session tokens and their end of life.
    tokens: Mutex<HashMap<String, SystemTime>>,
}

/// The metadata routes (merged into the KMS listener's router).
pub(crate) fn router(credentials: CredentialStore, lifetime: Duration) -> Router {
    let state = Metadata {
        credentials,
        lifetime,
        tokens: Mutex::default(),
    };
    Router::new()
        .route("/latest/api/token", put(session_token))
        .route(CREDENTIALS_PATH, get(role_name))
        .route(
            &format!("{CREDENTIALS_PATH}{{role}}"),
            get(role_credentials),
        )
        .with_state(Arc::new(state))
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain")], body.into()).into_response()
}

async fn session_token(State(md): State<Arc<Metadata>>, headers: HeaderMap) -> Response {
    let ttl = headers
        .get(TTL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|t| TTL_RANGE.contains(t));
    let Some(ttl) = ttl else {
        return text(
            StatusCode::BAD_REQUEST,
            "X-aliyun-ecs-metadata-token-ttl-seconds must be between 1 and 21600",
        );
    };
    let token: String = {
        let mut rng = rand::rng();
        (0..56)
            .map(|_| {
                char::from(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                        [rng.random_range(0..62)],
                )
            })
            .collect()
    };
    let now = SystemTime::now();
    let mut tokens = md.tokens.lock().unwrap_or_else(PoisonError::into_inner);
    tokens.retain(|_, until| *until > now);
    tokens.insert(token.clone(), now + Duration::from_secs(ttl));
    text(StatusCode::OK, token)
}

/// Whether the request carries a live session token.
fn authorised(md: &Metadata, headers: &HeaderMap) -> bool {
    let Some(given) = headers.get(TOKEN_HEADER).map(http::HeaderValue::as_bytes) else {
        return false;
    };
    let now = SystemTime::now();
    let tokens = md.tokens.lock().unwrap_or_else(PoisonError::into_inner);
    tokens
        .iter()
        .any(|(token, until)| *until > now && constant_time_eq(token.as_bytes(), given))
}

fn unauthorised() -> Response {
    text(StatusCode::UNAUTHORIZED, "metadata session token required")
}

async fn role_name(State(md): State<Arc<Metadata>>, headers: HeaderMap) -> Response {
    if !authorised(&md, &headers) {
        return unauthorised();
    }
    text(StatusCode::OK, DEV_ECS_ROLE_NAME)
}

async fn role_credentials(
    State(md): State<Arc<Metadata>>,
    Path(role): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&md, &headers) {
        return unauthorised();
    }
    if role != DEV_ECS_ROLE_NAME {
        return text(StatusCode::NOT_FOUND, "role not found");
    }
    let (issued, expires_at) = md.credentials.issue(md.lifetime);
    let unix = |at: SystemTime| at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let body = serde_json::json!({
        "AccessKeyId": issued.access_key_id(),
        "AccessKeySecret": issued.access_key_secret(),
        "SecurityToken": issued.security_token().unwrap_or_default(),
        "Expiration": time::iso8601_extended(unix(expires_at)),
        "LastUpdated": time::iso8601_extended(unix(SystemTime::now())),
        "Code": "Success",
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
