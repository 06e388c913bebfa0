//! The environment provider, checked in child processes (the test never mutates its own
//! environment, which is unsafe with threads).

#![allow(clippy::unwrap_used, reason = "tests")]

use std::process::Command;

use oss_client::{
    CredentialsProvider as _, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SESSION_TOKEN,
    EnvironmentCredentials,
};

const MODE: &str = "OSS_CLIENT_TEST_ENV_MODE";

async fn child(mode: &str) {
    let result = EnvironmentCredentials.credentials().await;
    match mode {
        "full" => {
            let c = result.unwrap();
            assert_eq!(c.access_key_id(), "env-id");
            assert_eq!(c.access_key_secret().expose_secret(), "env-secret");
            assert_eq!(c.security_token().unwrap().expose_secret(), "env-token");
            assert!(!format!("{c:?}").contains("env-secret"));
        }
        "missing" => assert!(result.unwrap_err().to_string().contains(ENV_ACCESS_KEY_ID)),
        other => panic!("unknown mode {other}"),
    }
}

#[tokio::test]
async fn environment_provider_reads_the_three_variables() {
    if let Ok(mode) = std::env::var(MODE) {
        child(&mode).await;
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let run = |mode: &str, with_secret: bool| {
        let mut cmd = Command::new(&exe);
        cmd.args([
            "--exact",
            "env_credentials::environment_provider_reads_the_three_variables",
            "--test-threads=1",
        ])
        .env(MODE, mode);
        cmd.env(ENV_ACCESS_KEY_ID, "env-id")
            .env(ENV_SESSION_TOKEN, "env-token");
        if with_secret {
            cmd.env(ENV_ACCESS_KEY_SECRET, "env-secret");
        } else {
            cmd.env_remove(ENV_ACCESS_KEY_SECRET);
        }
        cmd.output().unwrap()
    };
    for (mode, with_secret) in [("full", true), ("missing", false)] {
        let out = run(mode, with_secret);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{mode}: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("1 passed"),
            "{mode}: the child ran the test: {stdout}"
        );
    }
}
