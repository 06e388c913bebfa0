//! Helpers shared by the CLI tests: running the binary and checking its exit code.

// Test support: panicking on a broken test setup is the right outcome.
#![allow(unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// Runs `osscrypt` with `args`, isolated from the user's configuration and data.
pub fn run(home: &Path, args: &[&str]) -> Output {
    run_with_stdin(home, args, None)
}

/// As [`run`], feeding `stdin`.
pub fn run_with_stdin(home: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_env(home, args, &[], stdin)
}

/// Asserts the exit code, showing stderr when it differs.
#[track_caller]
pub fn expect_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes a 1024-bit key pair (fast to generate in debug builds) as `<name>-private.pem` and
/// `<name>-public.pem` in `dir`; returns their paths as strings.
pub fn keygen(dir: &Path, name: &str) -> (String, String) {
    let private = dir.join(format!("{name}-private.pem"));
    let public = dir.join(format!("{name}-public.pem"));
    let (private, public) = (private.to_str().unwrap(), public.to_str().unwrap());
    let out = run(
        dir,
        &[
            "keygen",
            "--bits",
            "1024",
            "--private",
            private,
            "--public",
            public,
        ],
    );
    expect_code(&out, 0);
    (private.to_owned(), public.to_owned())
}

/// Deterministic pseudo-random test data.
pub fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// A devserver started in the test process (in memory, one bucket `test-bucket`), with a
/// temporary home directory for key files and outputs.
pub struct Server {
    server: Option<oss_devserver::DevServer>,
    runtime: tokio::runtime::Runtime,
    /// Scratch directory (also `$HOME` of the runs).
    pub dir: tempfile::TempDir,
}

/// The bucket every [`Server`] has.
pub const BUCKET: &str = "test-bucket";

impl Server {
    /// Starts the devserver.
    pub fn start() -> Self {
        Self::start_with(oss_devserver::DevServerConfig::default())
    }

    /// Starts the devserver with `config` (plus the bucket).
    pub fn start_with(config: oss_devserver::DevServerConfig) -> Self {
        Self::start_exactly(config.with_buckets([BUCKET]))
    }

    /// Starts the devserver with `config` as it is (its buckets only).
    pub fn start_exactly(config: oss_devserver::DevServerConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(oss_devserver::DevServer::start(config))
            .unwrap();
        Self {
            server: Some(server),
            runtime,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The devserver.
    pub fn server(&self) -> &oss_devserver::DevServer {
        self.server.as_ref().unwrap()
    }

    /// The server's fault rules.
    pub fn faults(&self) -> &oss_devserver::FaultInjector {
        self.server().faults()
    }

    /// The environment that points `osscrypt` at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let s = self.server();
        vec![
            ("OSS_ENDPOINT", s.oss_url()),
            ("OSS_REGION", s.region().to_owned()),
            (
                "OSS_ACCESS_KEY_ID",
                s.credentials().access_key_id().to_owned(),
            ),
            (
                "OSS_ACCESS_KEY_SECRET",
                s.credentials().access_key_secret().to_owned(),
            ),
            ("OSS_KMS_ENDPOINT", s.kms_url()),
        ]
    }

    /// Runs `osscrypt` against this server.
    pub fn run(&self, args: &[&str]) -> Output {
        run_env(self.dir.path(), args, &self.env(), None)
    }

    /// A path inside the scratch directory, as a string.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    /// A plain (no encryption) OSS client of the bucket.
    pub fn client(&self) -> oss_client::Client {
        self.client_in(BUCKET)
    }

    /// A plain OSS client of another bucket.
    pub fn client_in(&self, bucket: &str) -> oss_client::Client {
        let s = self.server();
        oss_client::Client::builder()
            .with_endpoint(s.oss_url())
            .with_region(s.region())
            .with_bucket(bucket)
            .with_credentials(oss_client::Credentials::new(
                s.credentials().access_key_id(),
                s.credentials().access_key_secret(),
            ))
            .build()
            .unwrap()
    }

    /// Starts a multipart upload of `key` in `bucket` and leaves it unfinished.
    pub fn start_upload(&self, bucket: &str, key: &str) -> String {
        let headers = oss_client::http::HeaderMap::new();
        let client = self.client_in(bucket);
        self.runtime
            .block_on(client.initiate_multipart_upload(key, &headers))
            .unwrap()
            .upload_id
    }

    /// The stored (encrypted) bytes of an object, read with a plain OSS client.
    pub fn stored_bytes(&self, key: &str) -> Vec<u8> {
        let options = oss_client::GetOptions::default();
        let (_, body) = self
            .runtime
            .block_on(self.client().get_object_bytes(key, &options))
            .unwrap();
        body.to_vec()
    }

    /// The stored object's HEAD (headers as OSS has them).
    pub fn head(&self, key: &str) -> oss_client::ObjectMeta {
        let headers = oss_client::http::HeaderMap::new();
        self.runtime
            .block_on(self.client().head_object(key, &headers))
            .unwrap()
    }

    /// Stores `body` as is (no encryption) with the given extra headers.
    pub fn put_raw(&self, key: &str, body: &[u8], headers: &[(&str, &str)]) {
        let mut map = oss_client::http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                oss_client::http::HeaderName::try_from(*name).unwrap(),
                oss_client::http::HeaderValue::try_from(*value).unwrap(),
            );
        }
        let payload = oss_client::PutPayload::from_bytes(body.to_vec());
        self.runtime
            .block_on(self.client().put_object(key, payload, &map))
            .unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// Runs `osscrypt` with extra environment variables and optional stdin.
pub fn run_env(home: &Path, args: &[&str], env: &[(&str, String)], stdin: Option<&[u8]>) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_osscrypt"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn osscrypt");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().expect("wait for osscrypt")
}

/// Starts `osscrypt` in the background, as `run_env` would run it.
pub fn spawn(home: &Path, args: &[&str], env: &[(&str, String)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_osscrypt"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}
