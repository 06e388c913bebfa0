//! The remote subcommands through the binary against a devserver started in the test:
//! put/get (files, stdin/stdout, ranges), head, inspect, ls, cp, rm, raw uploads, KMS,
//! several master keys by matdesc, wrong and missing keys, bad credentials.

use crate::common;

use common::{BUCKET, Server, data, expect_code, keygen, run_env, stderr};

fn uri(key: &str) -> String {
    format!("oss://{BUCKET}/{key}")
}

#[test]
fn put_get_head_inspect_ls_cp_rm() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(1_000_003, 7);
    std::fs::write(s.path("plain"), &plain).unwrap();

    let out = s.run(&[
        "put",
        &s.path("plain"),
        &uri("dir/a.bin"),
        "--rsa-public",
        &public,
        "--md5",
    ]);
    expect_code(&out, 0);
    let stored = s.stored_bytes("dir/a.bin");
    assert_eq!(stored.len(), plain.len());
    assert_ne!(stored, plain, "the stored bytes must not be the plaintext");

    let out = s.run(&[
        "get",
        &uri("dir/a.bin"),
        &s.path("back"),
        "--rsa-private",
        &private,
    ]);
    expect_code(&out, 0);
    assert_eq!(std::fs::read(s.path("back")).unwrap(), plain);

    let out = s.run(&["head", &uri("dir/a.bin"), "--json"]);
    expect_code(&out, 0);
    let head: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(head["encrypted"], true);
    assert_eq!(head["size"], plain.len());

    let out = s.run(&["inspect", &uri("dir/a.bin"), "--json"]);
    expect_code(&out, 0);
    let env: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(env["wrap_alg"], "RSA/NONE/PKCS1Padding");
    assert_eq!(env["cek_alg"], "AES/CTR/NoPadding");
    assert_eq!(env["plaintext_length"], plain.len());
    assert!(env["plaintext_md5"].is_string());
    assert_eq!(env["wrapped_key_bytes"], 128);
    let text = s.run(&["inspect", &uri("dir/a.bin")]);
    expect_code(&text, 0);
    assert!(String::from_utf8_lossy(&text.stdout).contains("wrap alg:"));

    expect_code(&s.run(&["cp", &uri("dir/a.bin"), &uri("copy.bin")]), 0);
    let out = s.run(&["get", &uri("copy.bin"), "-", "--rsa-private", &private]);
    expect_code(&out, 0);
    assert_eq!(out.stdout, plain);

    let out = s.run(&["ls", "-r", &format!("oss://{BUCKET}"), "--json"]);
    expect_code(&out, 0);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["copy.bin", "dir/a.bin"]);
    let out = s.run(&["ls", &uri("dir/")]);
    expect_code(&out, 0);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);

    expect_code(&s.run(&["rm", &uri("copy.bin")]), 0);
    let out = s.run(&["get", &uri("copy.bin"), "-", "--rsa-private", &private]);
    expect_code(&out, 3);
    let err = stderr(&out);
    assert!(
        err.starts_with("osscrypt: not found: oss://test-bucket/copy.bin: status 404"),
        "{err}"
    );
    expect_code(&s.run(&["rm", &uri("copy.bin")]), 3);
    // HEAD answers have no body: no empty code, and "not found" said once
    let out = s.run(&["head", &uri("nothing")]);
    expect_code(&out, 3);
    let err = stderr(&out);
    assert!(
        err.starts_with("osscrypt: not found: oss://test-bucket/nothing: status 404"),
        "{err}"
    );
    assert!(
        err.matches("not found").count() == 1 && !err.contains("code"),
        "{err}"
    );
}

#[test]
fn ranges_stdin_and_stdout() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(5000, 3);
    let env = s.env();
    let out = run_env(
        s.dir.path(),
        &["put", "-", &uri("r"), "--rsa-public", &public],
        &env,
        Some(&plain),
    );
    expect_code(&out, 0);
    for (range, expected) in [
        ("5-20", &plain[5..=20]),
        ("bytes=1000-", &plain[1000..]),
        ("-100", &plain[4900..]),
        ("4990-9999", &plain[4990..]),
    ] {
        let out = s.run(&[
            "get",
            &uri("r"),
            "--range",
            range,
            "--rsa-private",
            &private,
        ]);
        expect_code(&out, 0);
        assert_eq!(out.stdout, expected, "range {range}");
    }
    expect_code(
        &s.run(&[
            "get",
            &uri("r"),
            "--range",
            "9-3",
            "--rsa-private",
            &private,
        ]),
        2,
    );
    expect_code(
        &s.run(&[
            "get",
            &uri("r"),
            "--range",
            "0-1,5-6",
            "--rsa-private",
            &private,
        ]),
        2,
    );
    // past the end: the message states the object's size
    let out = s.run(&[
        "get",
        &uri("r"),
        "-",
        "--range",
        "5000-",
        "--rsa-private",
        &private,
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("range not satisfiable: the object has 5000 bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn wrong_key_missing_key_and_bad_credentials() {
    let s = Server::start();
    let (_, public) = keygen(s.dir.path(), "a");
    let (other, _) = keygen(s.dir.path(), "b");
    std::fs::write(s.path("p"), b"secret text").unwrap();
    expect_code(
        &s.run(&["put", &s.path("p"), &uri("x"), "--rsa-public", &public]),
        0,
    );

    let out = s.run(&["get", &uri("x"), &s.path("out"), "--rsa-private", &other]);
    expect_code(&out, 4);
    assert!(!s.dir.path().join("out").exists());
    assert!(
        stderr(&out).starts_with("osscrypt: key error: "),
        "{}",
        stderr(&out)
    );
    expect_code(&s.run(&["get", &uri("x"), &s.path("out")]), 4);
    expect_code(&s.run(&["put", &s.path("p"), &uri("y")]), 4);
    expect_code(
        &s.run(&[
            "put",
            &s.path("missing"),
            &uri("y"),
            "--rsa-public",
            &public,
        ]),
        3,
    );

    let mut env = s.env();
    env.retain(|(k, _)| *k != "OSS_ACCESS_KEY_SECRET");
    env.push(("OSS_ACCESS_KEY_SECRET", "not-the-secret".to_owned()));
    let out = run_env(s.dir.path(), &["head", &uri("x")], &env, None);
    expect_code(&out, 4);
}

#[test]
fn raw_upload_of_offline_encryption() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(300_000, 9);
    std::fs::write(s.path("plain"), &plain).unwrap();
    let out = s.run(&[
        "encrypt",
        &s.path("plain"),
        &s.path("c.bin"),
        "--rsa-public",
        &public,
    ]);
    expect_code(&out, 0);
    expect_code(
        &s.run(&["put", &s.path("c.bin"), &uri("raw"), "--raw-with-meta"]),
        0,
    );
    assert_eq!(
        s.stored_bytes("raw"),
        std::fs::read(s.path("c.bin")).unwrap()
    );
    let out = s.run(&["get", &uri("raw"), "-", "--rsa-private", &private]);
    expect_code(&out, 0);
    assert_eq!(out.stdout, plain);
    // a sidecar that does not describe the file is refused
    std::fs::write(s.path("short.bin"), b"abc").unwrap();
    std::fs::copy(s.path("c.bin.meta.json"), s.path("short.bin.meta.json")).unwrap();
    expect_code(
        &s.run(&["put", &s.path("short.bin"), &uri("bad"), "--raw-with-meta"]),
        5,
    );
}

#[test]
fn kms_and_several_master_keys_by_matdesc() {
    let s = Server::start();
    std::fs::write(s.path("p"), data(4096, 1)).unwrap();
    let kms = ["--kms-key-id", "alias/oss-devserver"];
    let mut put = vec!["put", "--quiet"];
    let p = s.path("p");
    put.extend([p.as_str(), "oss://test-bucket/kms"]);
    put.extend(kms);
    let out = s.run(&put);
    expect_code(&out, 0);
    assert!(out.stderr.is_empty(), "--quiet printed {}", stderr(&out));
    let out = s.run(&["inspect", &uri("kms"), "--json"]);
    let env: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(env["wrap_alg"], "KMS/ALICLOUD");
    let mut get = vec!["get", "oss://test-bucket/kms", "-"];
    get.extend(kms);
    let out = s.run(&get);
    expect_code(&out, 0);
    assert_eq!(out.stdout, data(4096, 1));

    // two objects under two RSA keys with matdescs, read with a third default key
    let (a_private, a_public) = keygen(s.dir.path(), "a");
    let (b_private, b_public) = keygen(s.dir.path(), "b");
    let (c_private, _) = keygen(s.dir.path(), "c");
    // "key=a@ops": the matdesc itself holds an `@` (the entry splits at the last one)
    for (key, public, desc) in [("ka", &a_public, "key=a@ops"), ("kb", &b_public, "key=b")] {
        expect_code(
            &s.run(&[
                "put",
                &p,
                &uri(key),
                "--rsa-public",
                public,
                "--matdesc",
                desc,
            ]),
            0,
        );
    }
    let a_entry = format!("key=a@ops@{a_private}");
    let b_entry = format!("{{\"key\":\"b\"}}@{b_private}");
    for key in ["ka", "kb"] {
        let out = s.run(&[
            "get",
            &uri(key),
            "-",
            "--rsa-private",
            &c_private,
            "--matdesc-key",
            &a_entry,
            "--matdesc-key",
            &b_entry,
        ]);
        expect_code(&out, 0);
        assert_eq!(out.stdout, data(4096, 1));
    }
    // without the matching entry the default key fails: a key error naming the matdesc
    let out = s.run(&[
        "get",
        &uri("kb"),
        "-",
        "--rsa-private",
        &c_private,
        "--matdesc-key",
        &a_entry,
    ]);
    expect_code(&out, 4);
    assert!(stderr(&out).contains(r#"{"key":"b"}"#), "{}", stderr(&out));
}

#[test]
fn no_endpoint_is_a_usage_error_naming_every_source() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["ls", "oss://b"][..],
        &["rm", "oss://b/k"],
        &["-q", "head", "oss://b/k"],
    ] {
        let out = run_env(home.path(), args, &[], None);
        expect_code(&out, 2);
        let text = stderr(&out);
        for source in [
            "--endpoint",
            "OSS_ENDPOINT",
            "config.toml",
            "[default]",
            "--local",
            "OSS_ENDPOINT=local",
        ] {
            assert!(text.contains(source), "{source:?} missing in: {text}");
        }
    }
    assert!(!home.path().join(".local/share/osscrypt").exists());
}

#[test]
fn local_mode_uses_the_embedded_devserver_and_says_so_even_when_quiet() {
    let home = tempfile::tempdir().unwrap();
    let (private, public) = keygen(home.path(), "k");
    let file = home.path().join("p");
    std::fs::write(&file, b"persisted").unwrap();
    let data_dir = home.path().join("data");
    let env = [("OSSCRYPT_DATA_DIR", data_dir.to_str().unwrap().to_owned())];
    let put = [
        "--local",
        "-q",
        "put",
        file.to_str().unwrap(),
        "oss://local-bucket/p",
        "--rsa-public",
        &public,
    ];
    let out = run_env(home.path(), &put, &env, None);
    expect_code(&out, 0);
    let text = stderr(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("local mode") && text.contains("embedded devserver"));
    assert!(text.contains(data_dir.to_str().unwrap()), "{text}");
    // a second process sees the object: the data directory persists
    let get = [
        "get",
        "oss://local-bucket/p",
        "-",
        "--rsa-private",
        &private,
    ];
    let mut local_env = env.to_vec();
    local_env.push(("OSS_ENDPOINT", "local".to_owned()));
    let out = run_env(home.path(), &get, &local_env, None);
    expect_code(&out, 0);
    assert_eq!(out.stdout, b"persisted");
    // without OSSCRYPT_DATA_DIR the default lives under $HOME/.local/share
    let out = run_env(
        home.path(),
        &["--local", "ls", "oss://other-bucket"],
        &[],
        None,
    );
    expect_code(&out, 0);
    assert!(home.path().join(".local/share/osscrypt/devserver").is_dir());
    // --local and --endpoint contradict each other
    let both = [
        "--local",
        "--endpoint",
        "http://127.0.0.1:1",
        "ls",
        "oss://b",
    ];
    expect_code(&run_env(home.path(), &both, &[], None), 2);
}

#[test]
fn rotate_rewraps_under_the_new_key() {
    let s = Server::start();
    let (old, _) = keygen(s.dir.path(), "old");
    let (new, new_public) = keygen(s.dir.path(), "new");
    let plain = data(200_000, 4);
    std::fs::write(s.path("p"), &plain).unwrap();
    expect_code(
        &s.run(&["put", &s.path("p"), &uri("rot"), "--rsa-private", &old]),
        0,
    );
    let before = s.stored_bytes("rot");

    expect_code(&s.run(&["rotate", &uri("rot"), "--rsa-private", &old]), 2);
    let out = s.run(&[
        "rotate",
        &uri("rot"),
        "--rsa-private",
        &old,
        "--new-rsa-private",
        &new,
        "--new-rsa-public",
        &new_public,
        "--new-matdesc",
        "gen=2",
    ]);
    expect_code(&out, 0);
    assert_eq!(
        s.stored_bytes("rot"),
        before,
        "rotation must not re-encrypt the data"
    );
    let out = s.run(&["inspect", &uri("rot"), "--json"]);
    let env: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(env["matdesc"]["gen"], "2");
    let out = s.run(&["get", &uri("rot"), "-", "--rsa-private", &new]);
    expect_code(&out, 0);
    assert_eq!(out.stdout, plain);
    expect_code(&s.run(&["get", &uri("rot"), "-", "--rsa-private", &old]), 4);
    // rotating with a key that cannot unwrap the current envelope is a key error
    let out = s.run(&[
        "rotate",
        &uri("rot"),
        "--rsa-private",
        &old,
        "--new-rsa-private",
        &new,
    ]);
    expect_code(&out, 4);
}

#[test]
fn a_directory_target_means_into_it_and_a_failed_get_leaves_nothing() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let plain = data(300_001, 11);
    std::fs::write(s.path("plain"), &plain).unwrap();
    let put = [
        "put",
        &s.path("plain"),
        &uri("reports/r.bin"),
        "--rsa-public",
        &public,
    ];
    expect_code(&s.run(&put), 0);
    let dl = s.dir.path().join("dl");
    std::fs::create_dir(&dl).unwrap();
    for (target, resumable) in [
        (format!("{}/", dl.display()), false),
        (dl.display().to_string(), true),
    ] {
        let mut get = vec!["get", "oss://test-bucket/reports/r.bin"];
        get.extend([target.as_str(), "--rsa-private", &private]);
        if resumable {
            get.push("--resumable");
        }
        expect_code(&s.run(&get), 0);
        let names: Vec<_> = std::fs::read_dir(&dl)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["r.bin"], "resumable: {resumable}");
        assert_eq!(std::fs::read(dl.join("r.bin")).unwrap(), plain);
        std::fs::remove_file(dl.join("r.bin")).unwrap();
    }
    // a wrong key fails: nothing is left in the directory, neither the file nor a partial
    let (stranger, _) = keygen(s.dir.path(), "stranger");
    let get = [
        "get",
        "oss://test-bucket/reports/r.bin",
        &s.path("dl"),
        "--rsa-private",
        &stranger,
    ];
    let out = s.run(&get);
    expect_code(&out, 4);
    let err = stderr(&out);
    assert!(
        err.contains("the master key did not unwrap this object's data key")
            && !err.contains("matdesc"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&dl).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn the_partial_file_is_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("plain"), data(5000, 3)).unwrap();
    expect_code(
        &s.run(&["put", &s.path("plain"), &uri("p"), "--rsa-public", &public]),
        0,
    );
    // a stale partial file with a loose mode is reused with mode 0600 and renamed over `out`
    let partial = s.path("out.osscrypt-partial");
    std::fs::write(&partial, b"stale").unwrap();
    std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o644)).unwrap();
    expect_code(
        &s.run(&["get", &uri("p"), &s.path("out"), "--rsa-private", &private]),
        0,
    );
    let mode = std::fs::metadata(s.path("out"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(!std::path::Path::new(&partial).exists());
    // the resumable download's temp file (renamed into place) is private too
    let get = [
        "get",
        &uri("p"),
        &s.path("res"),
        "--rsa-private",
        &private,
        "--resumable",
    ];
    expect_code(&s.run(&get), 0);
    let mode = std::fs::metadata(s.path("res"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_missing_local_directory_is_named() {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    let missing = s.path("no-such-dir/file");
    std::fs::write(s.path("p"), b"text").unwrap();
    expect_code(
        &s.run(&["put", &s.path("p"), &uri("m"), "--rsa-public", &public]),
        0,
    );
    let out = s.run(&[
        "get",
        &uri("m"),
        &missing,
        "--resumable",
        "--rsa-private",
        &private,
    ]);
    expect_code(&out, 3);
    let err = stderr(&out);
    assert!(
        err.contains("no-such-dir") && !err.contains("local file"),
        "{err}"
    );
}
