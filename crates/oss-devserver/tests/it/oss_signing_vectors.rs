//! Every shared OSS signing vector (V1 and V4, header and presigned forms) verifies on the server
//! over real HTTP, and the same request with a tampered signature gets `SignatureDoesNotMatch`
//! carrying the vector's string to sign.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{Resp, read, xml_elem};
use oss_devserver::{DevCredential, DevServer, DevServerConfig};
use oss_signing::percent_encode;
use serde_json::Value;

fn pairs(v: &Value) -> Vec<(String, String)> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect(),
        _ => Vec::new(),
    }
}

async fn server_for(case: &Value, clock: u64) -> DevServer {
    let mut cred = DevCredential::new("ak", "sk");
    if let Some(token) = case["security_token"].as_str() {
        cred = cred.with_security_token(token);
    }
    let region = case["region"].as_str().unwrap_or("cn-hangzhou");
    let config = DevServerConfig::default()
        .with_credentials(vec![cred])
        .with_region(region)
        .with_fixed_clock(clock);
    DevServer::start(config).await.unwrap()
}

fn url(server: &DevServer, case: &Value, query: &[(String, String)]) -> String {
    let mut url = format!("{}/{}/", server.oss_url(), case["bucket"].as_str().unwrap());
    if let Some(key) = case["key"].as_str() {
        url.push_str(&oss_signing::percent_encode_path(key));
    }
    for (i, (n, v)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&percent_encode(n));
        if !v.is_empty() {
            url.push('=');
            url.push_str(&percent_encode(v));
        }
    }
    url
}

async fn send(url: &str, method: &str, headers: &[(String, String)]) -> Resp {
    let mut rb = reqwest::Client::new().request(method.parse().unwrap(), url);
    for (n, v) in headers {
        rb = rb.header(n.as_str(), v.as_str());
    }
    read(rb.send().await.unwrap()).await
}

fn tamper(sig: &str) -> String {
    let mut chars: Vec<char> = sig.chars().collect();
    chars[1] = if chars[1] == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}

/// The authenticated request reaches the handler (the bucket does not exist there).
#[track_caller]
fn assert_verified(r: &Resp, id: &str) {
    assert_eq!(r.status, 404, "{id}: {}", r.text());
    assert_eq!(r.code().as_deref(), Some("NoSuchBucket"), "{id}");
}

#[track_caller]
fn assert_mismatch(r: &Resp, id: &str, expected_sts: &str) {
    assert_eq!(r.status, 403, "{id}: {}", r.text());
    assert_eq!(r.code().as_deref(), Some("SignatureDoesNotMatch"), "{id}");
    assert_eq!(
        xml_elem(&r.text(), "StringToSign").as_deref(),
        Some(expected_sts),
        "{id}"
    );
    assert!(r.header("x-oss-request-id").is_some());
}

async fn run_case(case: &Value, v4: bool) {
    let id = case["id"].as_str().unwrap();
    let method = case["method"].as_str().unwrap();
    let query = pairs(&case["query"]);
    let expected_sts = case["expected"]["string_to_sign"].as_str().unwrap();
    let presigned = case["form"].as_str().unwrap().starts_with("query");
    let headers = pairs(if v4 {
        &case["caller_headers"]
    } else {
        &case["headers"]
    });
    let clock = if v4 {
        case["signing_time_unix"].as_u64().unwrap()
    } else if presigned {
        case["expires_unix"].as_u64().unwrap() - 60
    } else {
        let date = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-oss-date"))
            .unwrap();
        oss_signing::time::parse_rfc1123(&date.1).unwrap()
    };
    let server = server_for(case, clock).await;
    let signature = case["expected"]["signature"].as_str().unwrap();
    let build = |sig: &str| -> (String, Vec<(String, String)>) {
        let mut q = query.clone();
        let mut h = headers.clone();
        if presigned {
            for (n, v) in pairs(&case["query_parameters_added_by_signer"]) {
                let is_sig = n == "Signature" || n == "x-oss-signature";
                q.push((n, if is_sig { sig.to_owned() } else { v }));
            }
        } else {
            h.extend(pairs(&case["signer_added_headers"]));
            let auth = if v4 {
                let scope = case["expected"]["scope"].as_str().unwrap();
                let extra = case["expected"]["additional_headers"].as_str().unwrap();
                let extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!(",AdditionalHeaders={extra}")
                };
                format!("OSS4-HMAC-SHA256 Credential=ak/{scope}{extra},Signature={sig}")
            } else {
                format!("OSS ak:{sig}")
            };
            h.push(("Authorization".to_owned(), auth));
        }
        (url(&server, case, &q), h)
    };
    let (good_url, good_headers) = build(signature);
    assert_verified(&send(&good_url, method, &good_headers).await, id);
    let (bad_url, bad_headers) = build(&tamper(signature));
    assert_mismatch(
        &send(&bad_url, method, &bad_headers).await,
        id,
        expected_sts,
    );
    server.shutdown().await;
}

#[tokio::test]
async fn every_v1_vector_verifies_and_tampering_fails() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let json = v.json("oss-signature-v1.json");
    let cases = json["cases"].as_array().unwrap();
    assert!(cases.len() >= 6);
    for case in cases {
        run_case(case, false).await;
    }
}

#[tokio::test]
async fn every_v4_vector_verifies_and_tampering_fails() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let json = v.json("oss-signature-v4.json");
    let cases = json["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        run_case(case, true).await;
    }
}

/// The exact Go v1 presigned URL: virtual-hosted, `/` inside the key sent as `%2F`.
#[tokio::test]
async fn go_v1_presigned_url_verifies_virtual_hosted() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let json = v.json("oss-signature-v4.json");
    let case = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "V4-Q1")
        .unwrap();
    let server = server_for(case, case["signing_time_unix"].as_u64().unwrap()).await;
    let go_url = case["expected"]["url_go_v1"].as_str().unwrap();
    let path_and_query = go_url
        .strip_prefix("http://bucket.oss-cn-hangzhou.aliyuncs.com")
        .unwrap();
    let mut headers = pairs(&case["caller_headers"]);
    headers.push((
        "Host".to_owned(),
        "bucket.oss-cn-hangzhou.aliyuncs.com".to_owned(),
    ));
    let r = send(
        &format!("{}{path_and_query}", server.oss_url()),
        "PUT",
        &headers,
    )
    .await;
    assert_verified(&r, "V4-Q1 go v1 url");
}
