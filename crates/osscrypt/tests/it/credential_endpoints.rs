//! The STS and ECS-metadata endpoints of the credential chain come from `--sts-endpoint` /
//! `--metadata-endpoint` or the profile keys `sts_endpoint` / `metadata_endpoint`, not only
//! from the `ALIBABA_CLOUD_*` variables: runs against the dev server's stand-ins with none of
//! those variables set, and a closed port in the same place fails.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use std::net::TcpListener;
use std::path::Path;

use oss_devserver::credentials::{DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET};

use crate::common::{BUCKET, Server, expect_code, run_env, stderr};

/// Endpoint and region only: credentials must come from the chain.
fn env(s: &Server) -> Vec<(&'static str, String)> {
    let d = s.server();
    vec![
        ("OSS_ENDPOINT", d.oss_url()),
        ("OSS_REGION", d.region().to_owned()),
    ]
}

/// A URL on 127.0.0.1 where nothing listens.
fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// `osscrypt EXTRA... ls oss://test-bucket/` with `env` only.
fn ls(home: &Path, extra: &[&str], env: &[(&'static str, String)]) -> std::process::Output {
    let uri = format!("oss://{BUCKET}/");
    let mut args: Vec<&str> = extra.to_vec();
    args.extend(["--connect-timeout", "2s", "ls", uri.as_str()]);
    run_env(home, &args, env, None)
}

#[test]
fn the_metadata_endpoint_comes_from_the_flag_or_the_profile() {
    let s = Server::start();
    let home = s.dir.path();
    let metadata = s.server().metadata_url();
    expect_code(&ls(home, &["--metadata-endpoint", &metadata], &env(&s)), 0);
    let out = ls(home, &["--metadata-endpoint", &closed_url()], &env(&s));
    expect_code(&out, 4);
    assert!(stderr(&out).contains("no credentials"), "{}", stderr(&out));

    let config = home.join("config.toml");
    std::fs::write(
        &config,
        format!("[default]\nmetadata_endpoint = \"{metadata}\"\n"),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    expect_code(&ls(home, &["--config", config], &env(&s)), 0);
    // The flag wins over the profile.
    let out = ls(
        home,
        &["--config", config, "--metadata-endpoint", &closed_url()],
        &env(&s),
    );
    expect_code(&out, 4);
}

#[test]
fn the_sts_endpoint_comes_from_the_flag_or_the_profile() {
    let s = Server::start();
    let home = s.dir.path();
    let aliyun = serde_json::json!({ "current": "role", "profiles": [
        { "name": "role", "mode": "RamRoleArn", "access_key_id": DEV_ACCESS_KEY_ID,
          "access_key_secret": DEV_ACCESS_KEY_SECRET,
          "ram_role_arn": "acs:ram::1234567890:role/backup",
          "ram_session_name": "osscrypt-test" },
    ]});
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(home.join(".aliyun/config.json"), aliyun.to_string()).unwrap();
    let mut env = env(&s);
    env.push(("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".to_owned()));
    let sts = s.server().sts_url();
    expect_code(&ls(home, &["--sts-endpoint", &sts], &env), 0);
    let out = ls(home, &["--sts-endpoint", &closed_url()], &env);
    expect_code(&out, 4);

    let config = home.join("config.toml");
    std::fs::write(&config, format!("[default]\nsts_endpoint = \"{sts}\"\n")).unwrap();
    let config = config.to_str().unwrap();
    expect_code(&ls(home, &["--config", config], &env), 0);
    let out = ls(
        home,
        &["--config", config, "--sts-endpoint", &closed_url()],
        &env,
    );
    expect_code(&out, 4);
}
