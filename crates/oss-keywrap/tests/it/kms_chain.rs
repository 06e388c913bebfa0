//! The KMS client on the Alibaba Cloud credential chain, against the dev server over HTTP:
//! temporary credentials from the STS stand-in (a `RamRoleArn` profile, AssumeRole) and from
//! the ECS-metadata stand-in (an `EcsRamRole` profile) sign KMS requests, expire on the
//! server, and are renewed by the chain before they do; concurrent requests share one refresh.

#![allow(clippy::unwrap_used, reason = "tests")]

use core::time::Duration;
use std::sync::Arc;

use oss_devserver::credentials::{DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET, DEV_ECS_ROLE_NAME};
use oss_devserver::{DevServer, DevServerConfig};
use oss_envelope::ContentMaterial;
use oss_keywrap::kms::{
    ChainConfig, CredentialsChain, CredentialsProvider, Environment, KmsClient, KmsEndpoint,
    KmsMasterKey, StaticCredentials,
};
use oss_keywrap::{Error, MasterKey as _};

const KEY: &str = "alias/oss-devserver";
const ROLE: &str = "acs:ram::1234567890:role/kms-user";
/// Issued credentials live this long on the server; the chain renews them within `MIN_TTL`.
const LIFETIME: Duration = Duration::from_secs(3);
const MIN_TTL: Duration = Duration::from_millis(1500);

fn write_profiles(home: &std::path::Path) {
    let profiles = serde_json::json!({ "current": "role", "profiles": [
        { "name": "role", "mode": "RamRoleArn", "access_key_id": DEV_ACCESS_KEY_ID,
          "access_key_secret": DEV_ACCESS_KEY_SECRET, "ram_role_arn": ROLE },
        { "name": "ecs", "mode": "EcsRamRole", "ram_role_name": DEV_ECS_ROLE_NAME },
    ]});
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(home.join(".aliyun/config.json"), profiles.to_string()).unwrap();
}

fn chain(server: &DevServer, home: &std::path::Path, profile: &str) -> Arc<CredentialsChain> {
    Arc::new(CredentialsChain::new(
        ChainConfig::default()
            .with_environment(only_home(home, &[]))
            .with_profile(profile)
            .with_sts_endpoint(server.sts_url())
            .with_metadata_endpoint(server.metadata_url())
            .with_min_ttl(MIN_TTL),
    ))
}

/// HOME and `extra` only: no AccessKey or RRSA variables of the test process reach the chain.
fn only_home(home: &std::path::Path, extra: &[(&str, &str)]) -> Environment {
    let mut vars = vec![("HOME".to_owned(), home.display().to_string())];
    vars.extend(
        extra
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    Environment::from_map(vars)
}

fn kms_client(server: &DevServer, provider: Arc<dyn CredentialsProvider>) -> Arc<KmsClient> {
    Arc::new(
        KmsClient::builder_with_provider(provider)
            .with_region(server.region())
            .with_endpoint(KmsEndpoint::Custom(server.kms_url()))
            .build()
            .unwrap(),
    )
}

/// How many AssumeRole calls the STS stand-in (on the KMS listener) answered.
fn assume_role_calls(server: &DevServer) -> usize {
    server
        .kms()
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("AssumeRole") && r.status == 200)
        .count()
}

async fn round_trip(key: &KmsMasterKey) {
    let (material, wrapped) = key.generate().await.unwrap();
    let back = key.unwrap(&wrapped).await.unwrap();
    assert_eq!(back.data_key().as_bytes(), material.data_key().as_bytes());
    assert_eq!(back.iv().as_bytes(), material.iv().as_bytes());
}

async fn expiring_credentials_are_renewed(profile: &str) {
    let server =
        DevServer::start(DevServerConfig::default().with_temporary_credentials_lifetime(LIFETIME))
            .await
            .unwrap();
    let home = tempfile::tempdir().unwrap();
    write_profiles(home.path());
    let chain = chain(&server, home.path(), profile);
    let key = KmsMasterKey::new(kms_client(&server, Arc::clone(&chain) as _), KEY);
    round_trip(&key).await;
    let first = chain.credentials().await.unwrap();
    assert!(first.access_key_id().starts_with("STS."), "{profile}");
    assert!(first.security_token().is_some(), "{profile}");
    let before = assume_role_calls(&server);

    // Past the server-side expiry: the first credentials are refused by KMS ...
    tokio::time::sleep(LIFETIME + Duration::from_millis(300)).await;
    let stale = KmsMasterKey::new(
        kms_client(&server, Arc::new(StaticCredentials::new((*first).clone()))),
        KEY,
    );
    let err = stale.generate().await.unwrap_err();
    match &err {
        Error::Kms(e) => assert_eq!(e.code(), "InvalidSecurityToken.Expired", "{err}"),
        other => panic!("{profile}: expected a KMS error, got {other:?}"),
    }
    // ... while the chain renewed them: 8 concurrent wraps share one refresh.
    let material = ContentMaterial::generate_os().unwrap();
    let wraps = concurrent_wraps(&key, &material, 8).await;
    assert!(wraps.iter().all(Result::is_ok), "{profile}: {wraps:?}");
    let renewed = chain.credentials().await.unwrap();
    assert_ne!(renewed.access_key_id(), first.access_key_id(), "{profile}");
    if profile == "role" {
        assert_eq!(
            assume_role_calls(&server),
            before + 1,
            "one shared AssumeRole"
        );
    }
    round_trip(&key).await;
    server.shutdown().await;
}

async fn concurrent_wraps(
    key: &KmsMasterKey,
    material: &ContentMaterial,
    n: usize,
) -> Vec<oss_keywrap::Result<oss_keywrap::WrappedMaterial>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (key, material) = (key.clone(), material.clone());
        tasks.spawn(async move { key.wrap(&material).await });
    }
    tasks.join_all().await
}

#[tokio::test]
async fn ram_role_arn_profile_credentials_expire_and_are_renewed() {
    expiring_credentials_are_renewed("role").await;
}

#[tokio::test]
async fn ecs_ram_role_credentials_expire_and_are_renewed() {
    expiring_credentials_are_renewed("ecs").await;
}

#[tokio::test]
async fn no_credential_source_is_a_credentials_error() {
    let server = DevServer::start(DevServerConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let chain = CredentialsChain::new(
        ChainConfig::default()
            .with_environment(only_home(
                home.path(),
                &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
            ))
            .with_sts_endpoint(server.sts_url()),
    );
    let key = KmsMasterKey::new(kms_client(&server, Arc::new(chain)), KEY);
    let err = key.generate().await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("no credentials found"), "{err}");
    assert!(
        server.kms().requests().is_empty(),
        "nothing unsigned was sent"
    );
    server.shutdown().await;
}
