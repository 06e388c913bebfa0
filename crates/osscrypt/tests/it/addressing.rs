//! Path-style addressing from the CLI: `--path-style`, `OSS_PATH_STYLE` and the profile key
//! `path_style`, and `localhost` endpoints (the oss-emulator's `http://localhost:PORT`) that
//! use path style without being told.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::common;

use common::{Server, data, expect_code, keygen};

/// A server holding `obj` (encrypted with a fresh key pair); returns the private key path.
fn world() -> (Server, String) {
    let s = Server::start();
    let (private, _) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("obj"), data(100_000, 3)).unwrap();
    let put = s.run(&[
        "put",
        &s.path("obj"),
        "oss://test-bucket/obj",
        "--rsa-private",
        &private,
    ]);
    expect_code(&put, 0);
    (s, private)
}

fn get_args(private: &str) -> Vec<&str> {
    vec![
        "get",
        "oss://test-bucket/obj",
        "-",
        "--rsa-private",
        private,
    ]
}

/// The environment of `s` with the endpoint replaced by `endpoint`.
fn env_with_endpoint(s: &Server, endpoint: String) -> Vec<(&'static str, String)> {
    let mut env = s.env();
    let slot = env
        .iter_mut()
        .find(|(name, _)| *name == "OSS_ENDPOINT")
        .unwrap();
    slot.1 = endpoint;
    env
}

fn server_port(s: &Server) -> String {
    let env = s.env();
    let url = &env
        .iter()
        .find(|(name, _)| *name == "OSS_ENDPOINT")
        .unwrap()
        .1;
    url.rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned()
}

#[test]
fn localhost_endpoints_use_path_style_without_a_flag() {
    let (s, private) = world();
    let env = env_with_endpoint(&s, format!("http://localhost:{}", server_port(&s)));
    let out = common::run_env(s.dir.path(), &get_args(&private), &env, None);
    expect_code(&out, 0);
    assert_eq!(out.stdout, data(100_000, 3));
}

/// An HTTP forward proxy on 127.0.0.1 that sends every connection to `upstream` and keeps a
/// copy of what the client sent, so a test can read the request lines (absolute URLs).
struct RecordingProxy {
    url: String,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl RecordingProxy {
    fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let server = TcpStream::connect(&upstream).unwrap();
                let log = Arc::clone(&log);
                std::thread::spawn(move || forward(client, server, &log));
            }
        });
        Self { url, sent }
    }

    fn request_text(&self) -> String {
        String::from_utf8_lossy(&self.sent.lock().unwrap()).into_owned()
    }
}

/// Copies `client` to `server` (recording it) and `server` back to `client` until both close.
fn forward(mut client: TcpStream, mut server: TcpStream, log: &Mutex<Vec<u8>>) {
    let (mut server_out, mut client_in) =
        (server.try_clone().unwrap(), client.try_clone().unwrap());
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut server_out, &mut client_in);
        let _ = client_in.shutdown(Shutdown::Write);
    });
    let mut buf = [0_u8; 16 * 1024];
    while let Ok(n @ 1..) = client.read(&mut buf) {
        log.lock().unwrap().extend_from_slice(&buf[..n]);
        if server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Write);
    let _ = back.join();
}

/// A host name that is neither an IP literal nor `localhost` gets virtual-hosted addressing
/// unless path style is asked for; the requests go through a recording proxy, so the test
/// sees which form was sent (`oss.test` resolves nowhere: only the proxy can reach it).
#[test]
fn path_style_by_flag_environment_or_profile() {
    let (s, private) = world();
    let port = server_port(&s);
    let proxy = RecordingProxy::start(format!("127.0.0.1:{port}"));
    let mut env = env_with_endpoint(&s, format!("http://oss.test:{port}"));
    env.push(("HTTP_PROXY", proxy.url.clone()));
    let path_style_line = format!(" http://oss.test:{port}/test-bucket/obj ");
    let virtual_line = format!(" http://test-bucket.oss.test:{port}/obj ");

    // Default: virtual-hosted, which this server does not know for `oss.test`.
    let out = common::run_env(s.dir.path(), &get_args(&private), &env, None);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        proxy.request_text().contains(&virtual_line),
        "{}",
        proxy.request_text()
    );
    assert!(!proxy.request_text().contains(&path_style_line));

    let mut flagged = get_args(&private);
    flagged.push("--path-style");
    let out = common::run_env(s.dir.path(), &flagged, &env, None);
    expect_code(&out, 0);
    assert_eq!(out.stdout, data(100_000, 3));
    assert!(proxy.request_text().contains(&path_style_line));

    let mut by_env = env.clone();
    by_env.push(("OSS_PATH_STYLE", "true".to_owned()));
    let out = common::run_env(s.dir.path(), &get_args(&private), &by_env, None);
    expect_code(&out, 0);
    assert_eq!(out.stdout, data(100_000, 3));

    let profile = s.path("config.toml");
    std::fs::write(&profile, "[default]\npath_style = true\n").unwrap();
    let mut by_profile = env.clone();
    by_profile.push(("OSSCRYPT_CONFIG", profile));
    let out = common::run_env(s.dir.path(), &get_args(&private), &by_profile, None);
    expect_code(&out, 0);
    assert_eq!(out.stdout, data(100_000, 3));

    // A value that is not a boolean is a usage error, not a silent default.
    let mut bad = env;
    bad.push(("OSS_PATH_STYLE", "maybe".to_owned()));
    let out = common::run_env(s.dir.path(), &get_args(&private), &bad, None);
    expect_code(&out, 2);
    assert!(common::stderr(&out).contains("OSS_PATH_STYLE"));
}
