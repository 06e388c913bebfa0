//! The CLI without static keys: real `osscrypt` processes against the dev server, whose STS
//! and ECS-metadata stand-ins issue temporary credentials, for every source of the chain
//! (ALIBABA_CLOUD_* variables, `~/.aliyun/config.json` AK / RamRoleArn / EcsRamRole profiles
//! chosen by `--profile`, RRSA with an OIDC token file, the ECS RAM role as the last step);
//! credentials that expire during a run are renewed; no secret or token is ever printed.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use core::time::Duration;
use std::path::Path;
use std::process::Output;

use oss_devserver::credentials::{
    DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET, DEV_ECS_ROLE_NAME, DEV_OIDC_TOKEN,
};
use oss_devserver::{DevServerConfig, FaultAction, FaultRule, Trigger};

use crate::common::{Server, data, expect_code, keygen, run_env, stderr};

const KMS_KEY: &str = "alias/oss-devserver";
const ROLE: &str = "acs:ram::1234567890:role/backup";
const PROVIDER: &str = "acs:ram::1234567890:oidc-provider/ack-rrsa";

/// Where everything but the credentials comes from; the stand-ins as STS and metadata service.
fn base_env(s: &Server) -> Vec<(&'static str, String)> {
    let d = s.server();
    vec![
        ("OSS_ENDPOINT", d.oss_url()),
        ("OSS_REGION", d.region().to_owned()),
        ("OSS_KMS_ENDPOINT", d.kms_url()),
        ("ALIBABA_CLOUD_STS_ENDPOINT", d.sts_url()),
        (
            "ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT",
            d.metadata_url(),
        ),
        ("RUST_LOG", "trace".to_owned()),
    ]
}

fn with(
    mut env: Vec<(&'static str, String)>,
    extra: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    env.extend(extra.iter().map(|(n, v)| (*n, (*v).to_owned())));
    env
}

/// `~/.aliyun/config.json` in `home` with an AK, a RamRoleArn and an EcsRamRole profile.
fn write_aliyun_config(home: &Path) {
    let config = serde_json::json!({ "current": "ak", "profiles": [
        { "name": "ak", "mode": "AK", "access_key_id": DEV_ACCESS_KEY_ID,
          "access_key_secret": DEV_ACCESS_KEY_SECRET },
        { "name": "role", "mode": "RamRoleArn", "access_key_id": DEV_ACCESS_KEY_ID,
          "access_key_secret": DEV_ACCESS_KEY_SECRET, "ram_role_arn": ROLE,
          "ram_session_name": "osscrypt-test" },
        { "name": "ecs", "mode": "EcsRamRole", "ram_role_name": DEV_ECS_ROLE_NAME },
    ]});
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(home.join(".aliyun/config.json"), config.to_string()).unwrap();
}

/// Every secret the runs could leak: the source AccessKey secret, the OIDC token, and the
/// STS tokens the CLI actually sent to KMS (the stand-in logs them).
fn secrets(s: &Server) -> Vec<String> {
    let mut all = vec![DEV_ACCESS_KEY_SECRET.to_owned(), DEV_OIDC_TOKEN.to_owned()];
    all.extend(
        s.server()
            .kms()
            .requests()
            .iter()
            .filter_map(|r| r.param("SecurityToken").map(str::to_owned)),
    );
    all
}

fn assert_silent_about_secrets(s: &Server, outputs: &[Output]) {
    let secrets = secrets(s);
    assert!(secrets.len() > 2, "the runs used STS credentials with KMS");
    for out in outputs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "printed a secret: {text}");
        }
    }
}

/// put (KMS key) -> head -> ls -> cp -> get -> rotate -> get -> rm, all with `env` as the only
/// configuration; returns the outputs.
fn every_command(s: &Server, env: &[(&'static str, String)], key: &str) -> Vec<Output> {
    let home = s.dir.path();
    let plain = data(300_000, key.len() as u64);
    let src = home.join(format!("{key}.in"));
    std::fs::write(&src, &plain).unwrap();
    let (src, uri) = (
        src.to_str().unwrap().to_owned(),
        format!("oss://test-bucket/{key}"),
    );
    let copy = format!("{uri}.copy");
    let out_file = home.join(format!("{key}.out"));
    let out_path = out_file.to_str().unwrap().to_owned();
    let (new_private, _) = keygen(home, &format!("{key}-new"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["put", &src, &uri, "--kms-key-id", KMS_KEY],
        vec!["head", &uri],
        vec!["ls", "oss://test-bucket/"],
        vec!["cp", &uri, &copy],
        vec!["get", &copy, &out_path, "--kms-key-id", KMS_KEY],
        vec![
            "rotate",
            &uri,
            "--kms-key-id",
            KMS_KEY,
            "--new-rsa-private",
            &new_private,
        ],
        vec!["rm", &copy],
    ];
    let mut outputs = Vec::new();
    for args in runs {
        let out = run_env(home, &args, env, None);
        expect_code(&out, 0);
        outputs.push(out);
    }
    assert_eq!(std::fs::read(&out_file).unwrap(), plain, "{key}");
    let rotated = run_env(
        home,
        &["get", &uri, &out_path, "--rsa-private", &new_private],
        env,
        None,
    );
    expect_code(&rotated, 0);
    assert_eq!(
        std::fs::read(&out_file).unwrap(),
        plain,
        "{key} after rotate"
    );
    outputs.push(rotated);
    outputs
}

#[test]
fn every_source_of_the_chain_runs_every_command() {
    let s = Server::start();
    let home = s.dir.path();
    write_aliyun_config(home);
    let token_file = home.join("oidc-token");
    std::fs::write(&token_file, format!("{DEV_OIDC_TOKEN}\n")).unwrap();
    let token_file = token_file.to_str().unwrap().to_owned();
    let base = base_env(&s);
    // The ECS step is tried only when no earlier source applies: off unless wanted.
    let no_ecs = with(
        base.clone(),
        &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
    );
    let cases: Vec<(&str, Vec<(&'static str, String)>)> = vec![
        (
            "env",
            with(
                no_ecs.clone(),
                &[
                    ("ALIBABA_CLOUD_ACCESS_KEY_ID", DEV_ACCESS_KEY_ID),
                    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEV_ACCESS_KEY_SECRET),
                ],
            ),
        ),
        ("ak-current", no_ecs.clone()),
        (
            "role",
            with(no_ecs.clone(), &[("OSSCRYPT_PROFILE", "role")]),
        ),
        (
            "ecs-profile",
            with(no_ecs.clone(), &[("ALIBABA_CLOUD_PROFILE", "ecs")]),
        ),
        (
            "rrsa",
            with(
                no_ecs,
                &[
                    ("ALIBABA_CLOUD_ROLE_ARN", ROLE),
                    ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER),
                    ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_file),
                ],
            ),
        ),
    ];
    let mut outputs = Vec::new();
    for (name, env) in &cases {
        outputs.extend(every_command(&s, env, name));
    }
    // `--profile` picks a config.json profile that osscrypt's own file does not have.
    let out = run_env(
        home,
        &["--profile", "role", "ls", "oss://test-bucket/"],
        &base,
        None,
    );
    expect_code(&out, 0);
    outputs.push(out);
    // Nothing but the instance: the ECS RAM role, the chain's last step.
    std::fs::remove_dir_all(home.join(".aliyun")).unwrap();
    outputs.extend(every_command(&s, &base, "ecs-instance"));
    assert_silent_about_secrets(&s, &outputs);
}

#[test]
fn no_source_and_unknown_profile_are_explained() {
    let s = Server::start();
    let home = s.dir.path();
    let env = with(
        base_env(&s),
        &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
    );
    let out = run_env(home, &["ls", "oss://test-bucket/"], &env, None);
    expect_code(&out, 4);
    let err = stderr(&out);
    for source in [
        "--access-key-id",
        "config.toml",
        "OSS_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ROLE_ARN",
        "config.json",
        "ECS",
    ] {
        assert!(err.contains(source), "{source}: {err}");
    }
    write_aliyun_config(home);
    let out = run_env(
        home,
        &["--profile", "nope", "ls", "oss://test-bucket/"],
        &env,
        None,
    );
    expect_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("\"nope\"") && err.contains("config.toml"),
        "{err}"
    );
    // A refused role: exit 4, and the source secret is not in the message.
    let bad = serde_json::json!({ "profiles": [{ "name": "bad", "mode": "RamRoleArn",
        "access_key_id": DEV_ACCESS_KEY_ID, "access_key_secret": "not-the-secret-value",
        "ram_role_arn": ROLE }]});
    std::fs::write(home.join(".aliyun/config.json"), bad.to_string()).unwrap();
    let out = run_env(
        home,
        &["--profile", "bad", "ls", "oss://test-bucket/"],
        &env,
        None,
    );
    expect_code(&out, 4);
    assert!(
        !stderr(&out).contains("not-the-secret-value"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn credentials_expiring_mid_run_are_renewed() {
    // Issued credentials live 2 s; the upload takes several seconds of slow parts.
    let s = Server::start_with(
        DevServerConfig::default().with_temporary_credentials_lifetime(Duration::from_secs(2)),
    );
    let home = s.dir.path();
    write_aliyun_config(home);
    let plain = data(1_300_000, 7);
    let src = home.join("slow.in");
    std::fs::write(&src, &plain).unwrap();
    let delay = FaultAction::Delay(Duration::from_millis(350));
    s.faults()
        .add_rule(FaultRule::new("UploadPart", Trigger::Always, delay));
    let env = with(base_env(&s), &[("OSSCRYPT_PROFILE", "role")]);
    let started = std::time::Instant::now();
    let put = run_env(
        home,
        &[
            "put",
            src.to_str().unwrap(),
            "oss://test-bucket/slow",
            "--kms-key-id",
            KMS_KEY,
            "--resumable",
            "--part-size",
            "100KiB",
            "--parallel",
            "1",
        ],
        &env,
        None,
    );
    expect_code(&put, 0);
    assert!(
        started.elapsed() > Duration::from_secs(4),
        "the run outlived the credentials"
    );
    s.faults().clear();
    let assumed = s
        .server()
        .kms()
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("AssumeRole") && r.status == 200)
        .count();
    assert!(
        assumed >= 3,
        "renewed during the run: {assumed} AssumeRole calls"
    );
    let out = home.join("slow.out");
    let get = run_env(
        home,
        &[
            "get",
            "oss://test-bucket/slow",
            out.to_str().unwrap(),
            "--kms-key-id",
            KMS_KEY,
        ],
        &env,
        None,
    );
    expect_code(&get, 0);
    assert_eq!(std::fs::read(&out).unwrap(), plain);
    assert_silent_about_secrets(&s, &[put, get]);
}
