//! The request pipeline: fault rules, parameters, version and action, authentication, the
//! action itself, the JSON answer, and the request log entry.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{HeaderValue, Method, StatusCode, header};
use serde_json::{Map, Value};

use super::actions::{Action, ActionEnv};
use super::auth::{self, AuthEnv, AuthRequest};
use super::faults::{apply_to_body, error_for};
use super::kms_error::{KmsError, json_response};
use super::log::KmsRequestRecord;
use super::params::Params;
use super::registry::Scope;
use super::state::{KmsHandle, lock};
use super::sts;
use crate::credentials::CredentialStore;
use crate::faults::{FaultAction, FaultInjector};
use crate::server::ConnAbort;

/// The only API version served.
pub(crate) const API_VERSION: &str = "2016-01-20";
/// Largest request body read.
const MAX_BODY: usize = 1024 * 1024;

/// Everything a request handler needs.
#[derive(Debug)]
pub(crate) struct Service {
    pub(crate) handle: KmsHandle,
    pub(crate) credentials: CredentialStore,
    pub(crate) faults: FaultInjector,
    /// Longest lifetime of the keys the STS stand-in issues.
    pub(crate) temporary_lifetime: core::time::Duration,
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn request_id() -> String {
    let b: [u8; 16] = rand::random();
    let h = hex::encode(b).to_ascii_uppercase();
    let part = |a: usize, z: usize| h.get(a..z).unwrap_or_default().to_owned();
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

/// The action named before the body is read (query `Action`, else `x-acs-action`), for
/// matching fault rules.
fn early_action(req: &Request) -> String {
    let from_query = req
        .uri()
        .query()
        .and_then(|q| Params::parse(Some(q), None).ok())
        .and_then(|p| p.get("Action").map(str::to_owned));
    let from_header = || {
        req.headers()
            .get("x-acs-action")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    from_query
        .or_else(from_header)
        .unwrap_or_else(|| "Unknown".to_owned())
}

fn new_record(req: &Request) -> KmsRequestRecord {
    let headers = req.headers().iter().map(|(n, v)| {
        let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
        (n.as_str().to_owned(), value)
    });
    KmsRequestRecord {
        method: req.method().to_string(),
        uri: req.uri().to_string(),
        headers: headers.collect(),
        ..KmsRequestRecord::default()
    }
}

/// Handles one KMS request.
pub(crate) async fn handle(State(svc): State<Arc<Service>>, req: Request) -> Response {
    let request_id = request_id();
    let abort = req.extensions().get::<ConnAbort>().cloned();
    let mut record = new_record(&req);
    let fault = svc.faults.decide(&format!("kms:{}", early_action(&req)));
    record.fault = fault.as_ref().map(|f| format!("{f:?}"));
    if let Some(FaultAction::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    if let (Some(FaultAction::ResetAfter(0)), Some(abort)) = (&fault, &abort) {
        // Dropped before the request body is read: no answer at all.
        svc.handle.record(record);
        abort.abort();
        return core::future::pending().await;
    }
    let answer = match fault.as_ref().and_then(error_for) {
        Some(error) => Err(error),
        None => process(&svc, req, &mut record).await,
    };
    let (status, body) = match answer {
        Ok(fields) => (StatusCode::OK, Value::Object(fields)),
        Err(e) => {
            record.error_code = Some(e.code.clone().into_owned());
            let host_id = format!("kms.{}.aliyuncs.com", svc.handle.settings().region);
            (e.status, e.to_json(&request_id, &host_id))
        }
    };
    record.status = status.as_u16();
    svc.handle.record(record);
    respond(status, body, &request_id, fault.as_ref(), abort)
}

/// The JSON answer with `RequestId`, and the body fault if one fired.
fn respond(
    status: StatusCode,
    mut body: Value,
    request_id: &str,
    fault: Option<&FaultAction>,
    abort: Option<ConnAbort>,
) -> Response {
    if let Value::Object(map) = &mut body {
        map.entry("RequestId")
            .or_insert_with(|| Value::String(request_id.to_owned()));
    }
    let mut response = json_response(status, &body);
    if let Ok(v) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-acs-request-id", v);
    }
    match (fault, abort) {
        (Some(f @ (FaultAction::ResetAfter(_) | FaultAction::CorruptByte(_))), Some(abort)) => {
            apply_to_body(response, Some(f), Bytes::from(body.to_string()), abort)
        }
        _ => response,
    }
}

/// Reads the body and decodes the parameters (query, and a form body).
async fn read_params(
    parts: &http::request::Parts,
    body: axum::body::Body,
    record: &mut KmsRequestRecord,
) -> Result<(Params, Bytes), KmsError> {
    if parts.method != Method::POST && parts.method != Method::GET {
        let message = "Use POST or GET.";
        return Err(KmsError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UnsupportedHTTPMethod",
            message,
        ));
    }
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| KmsError::invalid("The request body is too large or was cut short."))?;
    record.body = body.to_vec();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let is_form = content_type.is_some_and(|v| {
        let v = v.trim_start().to_ascii_lowercase();
        v.starts_with("application/x-www-form-urlencoded")
    });
    let params = Params::parse(parts.uri.query(), is_form.then_some(&body[..]))?;
    record.params = params
        .all()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    Ok((params, body))
}

/// Parses, authenticates and runs the request.
async fn process(
    svc: &Service,
    req: Request,
    record: &mut KmsRequestRecord,
) -> Result<Map<String, Value>, KmsError> {
    let (parts, body) = req.into_parts();
    let (params, body) = read_params(&parts, body, record).await?;
    let headers: Vec<(String, String)> = record.headers.clone();
    let auth_req = AuthRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        params: &params,
        headers: &headers,
        body: &body,
    };
    let (action, version) = if auth_req.is_v3() {
        (
            header_value(&headers, "x-acs-action"),
            header_value(&headers, "x-acs-version"),
        )
    } else {
        (
            params.get("Action").map(str::to_owned),
            params.get("Version").map(str::to_owned),
        )
    };
    record.action.clone_from(&action);
    let settings = svc.handle.settings();
    let nonces = &svc.handle.shared.nonces;
    let env = AuthEnv {
        credentials: &svc.credentials,
        settings: &settings,
        nonces,
        now: now_unix(),
    };
    if version.as_deref() == Some(sts::API_VERSION) {
        if sts::is_signed(action.as_deref()) {
            auth::authenticate(&auth_req, &env, record)?;
        }
        return sts::run(
            action.as_deref(),
            &params,
            &svc.credentials,
            svc.temporary_lifetime,
        );
    }
    let access_key_id = auth::authenticate(&auth_req, &env, record)?;
    // Only authenticated callers learn whether the action and version exist.
    let action = resolve_action(action.as_deref(), version.as_deref(), &params)?;
    let registry = lock(&svc.handle.shared.registry);
    let fixtures = lock(&svc.handle.shared.fixtures);
    let scope = Scope {
        region: &settings.region,
        account: &settings.account,
    };
    let env = ActionEnv {
        registry: &registry,
        fixtures: &fixtures,
        scope,
        access_key_id: &access_key_id,
    };
    action.run(&params, &env)
}

fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Checks `Version` and `Format` and finds the action.
fn resolve_action(
    action: Option<&str>,
    version: Option<&str>,
    params: &Params,
) -> Result<Action, KmsError> {
    let action = action
        .filter(|a| !a.is_empty())
        .ok_or_else(|| KmsError::missing("Action"))?;
    match version {
        Some(API_VERSION) => {}
        None | Some("") => return Err(KmsError::missing("Version")),
        Some(other) => {
            return Err(KmsError::invalid(format!(
                "The Version \"{other}\" is not supported; use {API_VERSION}."
            )));
        }
    }
    if let Some(format) = params
        .get("Format")
        .filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("json"))
    {
        return Err(KmsError::invalid(format!(
            "The Format \"{format}\" is not supported by the dev server; use JSON."
        )));
    }
    Action::parse(action).ok_or_else(|| {
        KmsError::new(
            StatusCode::NOT_FOUND,
            "InvalidAction.NotFound",
            format!("Specified api is not found, please check your url and method: {action}"),
        )
    })
}
