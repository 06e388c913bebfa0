//! `-vv` and `RUST_LOG`: diagnostics on stderr that never contain a secret. Transfers with an
//! STS token, an RSA key and a KMS key run at debug level; neither the AccessKey secret, the
//! token, the private key nor the data keys of the objects written appear in the output.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::common;

use base64::Engine as _;
use common::{BUCKET, Server, data, expect_code, keygen, run_env, stderr};
use oss_devserver::DevCredential;
use oss_envelope::Envelope;
use oss_keywrap::Keyring;
use oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};

/// The server's environment with the STS credential (key, secret and token) instead of the
/// plain one.
fn sts_env(s: &Server) -> (Vec<(&'static str, String)>, DevCredential) {
    let sts = DevCredential::dev_sts();
    let mut env: Vec<_> = s
        .env()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("OSS_ACCESS_KEY"))
        .collect();
    env.push(("OSS_ACCESS_KEY_ID", sts.access_key_id().to_owned()));
    env.push(("OSS_ACCESS_KEY_SECRET", sts.access_key_secret().to_owned()));
    env.push((
        "OSS_SESSION_TOKEN",
        sts.security_token().unwrap().to_owned(),
    ));
    (env, sts)
}

/// The data key of a stored RSA-wrapped object, as base64 and hex.
fn data_key(s: &Server, key: &str, private_pem: &str) -> [String; 2] {
    let head = s.run(&["inspect", &format!("oss://{BUCKET}/{key}"), "--json"]);
    expect_code(&head, 0);
    let value: serde_json::Value = serde_json::from_slice(&head.stdout).unwrap();
    let headers: Vec<(String, String)> = value["envelope_headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let envelope =
        Envelope::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.clone()))).unwrap();
    let ring = Keyring::new(RsaMasterKey::new(
        RsaPrivateKey::from_pem(private_pem).unwrap(),
    ));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let material = runtime.block_on(ring.unwrap_envelope(&envelope)).unwrap();
    let bytes = material.data_key().as_bytes();
    [
        base64::engine::general_purpose::STANDARD.encode(bytes),
        hex::encode(bytes),
    ]
}

#[test]
fn debug_logs_of_transfers_hold_no_secrets() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let private_pem = std::fs::read_to_string(&private).unwrap();
    let (env, sts) = sts_env(&s);
    std::fs::write(s.path("plain"), data(300_000, 9)).unwrap();
    let uri = |key: &str| format!("oss://{BUCKET}/{key}");
    let runs: [Vec<String>; 4] = [
        vec![
            "put".into(),
            s.path("plain"),
            uri("rsa"),
            "--rsa-public".into(),
            public.clone(),
        ],
        vec![
            "get".into(),
            uri("rsa"),
            s.path("back"),
            "--rsa-private".into(),
            private.clone(),
        ],
        vec![
            "put".into(),
            s.path("plain"),
            uri("kms"),
            "--kms-key-id".into(),
            "alias/oss-devserver".into(),
        ],
        vec![
            "get".into(),
            uri("kms"),
            "-".into(),
            "--kms-key-id".into(),
            "alias/oss-devserver".into(),
        ],
    ];
    let mut logs = String::new();
    for args in &runs {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.insert(0, "-vv");
        let out = run_env(s.dir.path(), &args, &env, None);
        expect_code(&out, 0);
        logs.push_str(&stderr(&out));
    }
    // RUST_LOG takes over from -v: everything of ours at trace.
    let mut traced = env.clone();
    traced.push((
        "RUST_LOG",
        "oss_client=trace,oss_crypto_bucket=trace,osscrypt=trace".into(),
    ));
    let out = run_env(
        s.dir.path(),
        &["get", &uri("rsa"), "-", "--rsa-private", &private],
        &traced,
        None,
    );
    expect_code(&out, 0);
    logs.push_str(&stderr(&out));

    assert!(logs.contains("DEBUG"), "-vv logged nothing:\n{logs}");
    assert!(logs.contains("GetObject"), "{logs}");
    assert!(
        logs.contains(sts.access_key_id()),
        "the (public) key id is fine to log"
    );
    let pem_lines = private_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::to_owned);
    let secrets = [
        sts.access_key_secret().to_owned(),
        sts.security_token().unwrap().to_owned(),
    ]
    .into_iter()
    .chain(pem_lines)
    .chain(data_key(&s, "rsa", &private_pem));
    for secret in secrets {
        assert!(!logs.contains(&secret), "a secret was logged: {secret}");
    }
}
