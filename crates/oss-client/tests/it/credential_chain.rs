//! The default credential chain against the dev server's STS and ECS-metadata stand-ins over
//! HTTP: the order of the sources, every CLI profile mode, refresh near expiry shared by
//! concurrent callers, and OSS refusing issued credentials once they expire.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use core::time::Duration;
use std::sync::Arc;

use common::BUCKET;
use oss_client::{
    ChainConfig, Client, CredentialsChain, CredentialsProvider as _, Environment, PutPayload, vars,
};
use oss_devserver::credentials::{
    DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET, DEV_ECS_ROLE_NAME, DEV_OIDC_TOKEN,
};
use oss_devserver::{DevServer, DevServerConfig};

const ROLE: &str = "acs:ram::1234567890:role/backup";
const PROVIDER: &str = "acs:ram::1234567890:oidc-provider/ack-rrsa";

async fn server(lifetime: Duration) -> DevServer {
    let config = DevServerConfig::default()
        .with_buckets([BUCKET])
        .with_temporary_credentials_lifetime(lifetime);
    DevServer::start(config).await.unwrap()
}

/// A chain reading only `vars` (plus an empty HOME), with the stand-ins as endpoints.
fn chain(server: &DevServer, home: &std::path::Path, vars: &[(&str, &str)]) -> CredentialsChain {
    let mut all: Vec<(String, String)> = vars
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    all.push(("HOME".into(), home.display().to_string()));
    let config = ChainConfig::default()
        .with_environment(Environment::from_map(all))
        .with_sts_endpoint(server.sts_url())
        .with_metadata_endpoint(server.metadata_url());
    CredentialsChain::new(config)
}

fn client(server: &DevServer, provider: Arc<dyn oss_client::CredentialsProvider>) -> Client {
    Client::builder()
        .with_endpoint(server.oss_url())
        .with_region(server.region())
        .with_bucket(BUCKET)
        .with_credentials_provider(provider)
        .build()
        .unwrap()
}

/// The chain's credentials are accepted by the OSS side.
async fn works(server: &DevServer, chain: CredentialsChain) -> Arc<CredentialsChain> {
    let chain = Arc::new(chain);
    let c = client(server, Arc::clone(&chain) as _);
    c.put_object("k", PutPayload::from_bytes("v"), &http::HeaderMap::new())
        .await
        .unwrap();
    chain
}

fn oidc_token_file(dir: &std::path::Path) -> String {
    let path = dir.join("token");
    std::fs::write(&path, format!("{DEV_OIDC_TOKEN}\n")).unwrap();
    path.display().to_string()
}

fn write_config(home: &std::path::Path, profiles: &serde_json::Value) {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    let config = serde_json::json!({ "current": "default", "profiles": profiles });
    std::fs::write(home.join(".aliyun/config.json"), config.to_string()).unwrap();
}

#[tokio::test]
async fn sources_are_tried_in_the_sdk_order() {
    let server = server(Duration::from_secs(3600)).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = oidc_token_file(home.path());
    write_config(
        home.path(),
        &serde_json::json!([{ "name": "default", "mode": "EcsRamRole", "ram_role_name": DEV_ECS_ROLE_NAME }]),
    );
    let oidc = [
        (vars::ROLE_ARN, ROLE),
        (vars::OIDC_PROVIDER_ARN, PROVIDER),
        (vars::OIDC_TOKEN_FILE, token_file.as_str()),
    ];
    let mut env_and_oidc = oidc.to_vec();
    env_and_oidc.extend([
        (vars::ACCESS_KEY_ID, DEV_ACCESS_KEY_ID),
        (vars::ACCESS_KEY_SECRET, DEV_ACCESS_KEY_SECRET),
    ]);
    let first = works(&server, chain(&server, home.path(), &env_and_oidc)).await;
    assert_eq!(first.source(), Some("environment"));
    // OSS_* wins over ALIBABA_CLOUD_*: a wrong OSS_* pair is what gets used.
    let mut both = env_and_oidc.clone();
    both.extend([
        ("OSS_ACCESS_KEY_ID", "LTAIwrong"),
        ("OSS_ACCESS_KEY_SECRET", "x"),
    ]);
    let wrong = chain(&server, home.path(), &both);
    assert_eq!(
        wrong.credentials().await.unwrap().access_key_id(),
        "LTAIwrong"
    );

    let second = works(&server, chain(&server, home.path(), &oidc)).await;
    assert_eq!(second.source(), Some("oidc"));
    let third = works(&server, chain(&server, home.path(), &[])).await;
    assert_eq!(third.source(), Some("profile"));
    let empty = tempfile::tempdir().unwrap();
    let last = works(&server, chain(&server, empty.path(), &[])).await;
    assert_eq!(last.source(), Some("ecs-ram-role"));
    // Nothing at all: an error naming every source.
    let none = chain(
        &server,
        empty.path(),
        &[(vars::ECS_METADATA_DISABLED, "true")],
    );
    let err = none.credentials().await.unwrap_err().to_string();
    for name in ["OSS_ACCESS_KEY_ID", vars::ROLE_ARN, "config.json", "ECS"] {
        assert!(err.contains(name), "{err}");
    }
    // Through a client, typed: no source had credentials, which is not a configuration error.
    let err = client(&server, Arc::new(none))
        .head_object("k", &http::HeaderMap::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, oss_client::Error::Credentials(e) if !e.is_configuration()),
        "{err:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn every_profile_mode_works_and_profile_selection() {
    let server = server(Duration::from_secs(3600)).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = oidc_token_file(home.path());
    let ak = serde_json::json!({ "mode": "AK", "access_key_id": DEV_ACCESS_KEY_ID, "access_key_secret": DEV_ACCESS_KEY_SECRET });
    let mut profiles = vec![
        serde_json::json!({ "name": "default", "mode": "AK", "access_key_id": "LTAIunknown", "access_key_secret": "x" }),
        serde_json::json!({ "name": "ak" }),
        serde_json::json!({ "name": "sts", "mode": "StsToken", "access_key_id": oss_devserver::credentials::DEV_STS_ACCESS_KEY_ID,
            "access_key_secret": oss_devserver::credentials::DEV_STS_ACCESS_KEY_SECRET,
            "sts_token": oss_devserver::credentials::DEV_STS_SECURITY_TOKEN }),
        serde_json::json!({ "name": "role", "mode": "RamRoleArn", "access_key_id": DEV_ACCESS_KEY_ID,
            "access_key_secret": DEV_ACCESS_KEY_SECRET, "ram_role_arn": ROLE, "ram_session_name": "nightly" }),
        serde_json::json!({ "name": "ecs", "mode": "EcsRamRole" }),
        serde_json::json!({ "name": "rrsa", "mode": "OIDC", "ram_role_arn": ROLE,
            "oidc_provider_arn": PROVIDER, "oidc_token_file": token_file }),
    ];
    if let (Some(p), Some(a)) = (profiles[1].as_object_mut(), ak.as_object()) {
        p.extend(a.clone());
    }
    write_config(home.path(), &serde_json::Value::Array(profiles));
    for name in ["ak", "sts", "role", "ecs", "rrsa"] {
        // By ALIBABA_CLOUD_PROFILE, and by the explicit setting.
        let by_env = chain(&server, home.path(), &[(vars::PROFILE, name)]);
        let chain = works(&server, by_env).await;
        assert_eq!(chain.source(), Some("profile"), "{name}");
        let issued = chain.credentials().await.unwrap();
        assert_eq!(
            issued.access_key_id().starts_with("STS."),
            name != "ak",
            "{name}"
        );
    }
    let explicit = CredentialsChain::new(
        ChainConfig::default()
            .with_environment(Environment::from_map([(
                vars::PROFILE.into(),
                "nope".into(),
            )]))
            .with_config_file(home.path().join(".aliyun/config.json"))
            .with_profile("ak"),
    );
    works(&server, explicit).await;
    // The file's `current` (an unknown key) is refused by OSS; a missing profile is an error.
    let current = chain(&server, home.path(), &[]);
    assert_eq!(
        current.credentials().await.unwrap().access_key_id(),
        "LTAIunknown"
    );
    let missing = chain(&server, home.path(), &[(vars::PROFILE, "nope")]);
    let err = missing.credentials().await.unwrap_err().to_string();
    assert!(err.contains("no profile named \"nope\""), "{err}");
    // Through a client the chain's error stays typed: a missing profile is configuration.
    let err = client(&server, Arc::new(missing))
        .head_object("k", &http::HeaderMap::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, oss_client::Error::Credentials(e) if e.is_configuration()),
        "{err:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn temporary_credentials_refresh_once_and_expire_on_the_server() {
    let server = server(Duration::from_secs(3)).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = oidc_token_file(home.path());
    let oidc = [
        (vars::ROLE_ARN, ROLE),
        (vars::OIDC_PROVIDER_ARN, PROVIDER),
        (vars::OIDC_TOKEN_FILE, token_file.as_str()),
    ];
    let mut all: Vec<(String, String)> = oidc
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    all.push(("HOME".into(), home.path().display().to_string()));
    let chain = Arc::new(CredentialsChain::new(
        ChainConfig::default()
            .with_environment(Environment::from_map(all))
            .with_sts_endpoint(server.sts_url())
            .with_min_ttl(Duration::from_millis(1500)),
    ));
    let calls = || {
        server
            .kms()
            .requests()
            .iter()
            .filter(|r| r.action.as_deref() == Some("AssumeRoleWithOIDC"))
            .count()
    };
    let first = chain.credentials().await.unwrap();
    assert_eq!(
        chain.credentials().await.unwrap().access_key_id(),
        first.access_key_id()
    );
    assert_eq!(calls(), 1, "fresh credentials are reused");
    // Within min_ttl of expiry: 16 concurrent callers share one refresh.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let all = futures::future::join_all((0..16).map(|_| chain.credentials())).await;
    let ids: std::collections::BTreeSet<String> = all
        .into_iter()
        .map(|c| c.unwrap().access_key_id().to_owned())
        .collect();
    assert_eq!(ids.len(), 1);
    assert_ne!(ids.first().map(String::as_str), Some(first.access_key_id()));
    assert_eq!(calls(), 2, "one shared refresh");

    // The first credentials, used past their expiry, are refused by OSS.
    let stale = client(
        &server,
        Arc::new(oss_client::StaticCredentials::new((*first).clone())),
    );
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let err = stale
        .put_object("late", PutPayload::from_bytes("x"), &http::HeaderMap::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().map(|e| e.code.as_str()),
        Some("SecurityTokenExpired"),
        "{err}"
    );
    // The chain renews them and OSS accepts the new ones.
    let fresh = client(&server, Arc::clone(&chain) as _);
    fresh
        .put_object("late", PutPayload::from_bytes("x"), &http::HeaderMap::new())
        .await
        .unwrap();
    assert!(!format!("{chain:?}").contains(first.access_key_secret().expose_secret()));
    server.shutdown().await;
}
