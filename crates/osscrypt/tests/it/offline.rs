//! `keygen`, `encrypt` and `decrypt` through the binary: round trips, wrong and missing keys,
//! tampered envelopes, bad flags.

use crate::common;

use common::{data, expect_code, keygen, run, run_with_stdin, stderr};

#[test]
fn encrypt_decrypt_round_trip_with_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (private, public) = keygen(d, "k");
    assert!(
        std::fs::read_to_string(&private)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    let plain = data(3 * 1024 * 1024 + 7, 1);
    std::fs::write(d.join("plain.bin"), &plain).unwrap();
    let p = |name: &str| d.join(name).to_str().unwrap().to_owned();

    let out = run(
        d,
        &[
            "encrypt",
            &p("plain.bin"),
            &p("cipher.bin"),
            "--rsa-public",
            &public,
        ],
    );
    expect_code(&out, 0);
    let cipher = std::fs::read(d.join("cipher.bin")).unwrap();
    assert_eq!(cipher.len(), plain.len());
    assert_ne!(cipher, plain);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("cipher.bin.meta.json")).unwrap()).unwrap();
    assert_eq!(
        meta["x-oss-meta-client-side-encryption-wrap-alg"],
        "RSA/NONE/PKCS1Padding"
    );
    assert_eq!(
        meta["x-oss-meta-client-side-encryption-cek-alg"],
        "AES/CTR/NoPadding"
    );
    assert_eq!(
        meta["x-oss-meta-client-side-encryption-unencrypted-content-length"],
        plain.len().to_string()
    );

    let out = run(
        d,
        &[
            "decrypt",
            &p("cipher.bin"),
            &p("back.bin"),
            "--rsa-private",
            &private,
        ],
    );
    expect_code(&out, 0);
    assert_eq!(std::fs::read(d.join("back.bin")).unwrap(), plain);
    #[cfg(unix)]
    {
        // the plaintext went through a 0600 partial file, renamed into place
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(d.join("back.bin"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // stdin to file, then file to stdout
    let out = run_with_stdin(
        d,
        &[
            "encrypt",
            "-",
            &p("s.bin"),
            "--rsa-public",
            &public,
            "--matdesc",
            "k=v",
        ],
        Some(b"hello from stdin"),
    );
    expect_code(&out, 0);
    let out = run(d, &["decrypt", &p("s.bin"), "-", "--rsa-private", &private]);
    expect_code(&out, 0);
    assert_eq!(out.stdout, b"hello from stdin");
}

#[test]
fn wrong_key_missing_key_and_tampering_have_distinct_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, public) = keygen(d, "a");
    let (other_private, _) = keygen(d, "b");
    let p = |name: &str| d.join(name).to_str().unwrap().to_owned();
    std::fs::write(d.join("plain"), data(1000, 2)).unwrap();
    expect_code(
        &run(
            d,
            &["encrypt", &p("plain"), &p("c"), "--rsa-public", &public],
        ),
        0,
    );

    // wrong key: 4, and no plaintext file left behind
    let out = run(
        d,
        &[
            "decrypt",
            &p("c"),
            &p("out"),
            "--rsa-private",
            &other_private,
        ],
    );
    expect_code(&out, 4);
    assert!(stderr(&out).contains("key error"), "{}", stderr(&out));
    assert!(!d.join("out").exists());
    // no key at all: 4
    expect_code(&run(d, &["decrypt", &p("c"), &p("out")]), 4);
    // key file that does not exist: 4
    expect_code(
        &run(
            d,
            &[
                "decrypt",
                &p("c"),
                &p("out"),
                "--rsa-private",
                &p("nope.pem"),
            ],
        ),
        4,
    );
    // input that does not exist: 3
    expect_code(
        &run(
            d,
            &["encrypt", &p("missing"), &p("x"), "--rsa-public", &public],
        ),
        3,
    );
    // bad flags: 2
    expect_code(&run(d, &["encrypt", "--no-such-flag"]), 2);
    expect_code(&run(d, &["keygen", "--bits", "512"]), 2);
    expect_code(&run(d, &["get", "s3://bucket/key"]), 2);

    // a tampered envelope (different plaintext length) is an integrity error: 5
    let (private_a, _) = (d.join("a-private.pem"), ());
    let meta_path = d.join("c.meta.json");
    let text = std::fs::read_to_string(&meta_path).unwrap();
    std::fs::write(&meta_path, text.replace("\"1000\"", "\"999\"")).unwrap();
    let out = run(
        d,
        &[
            "decrypt",
            &p("c"),
            &p("out"),
            "--rsa-private",
            private_a.to_str().unwrap(),
        ],
    );
    expect_code(&out, 5);
    assert!(!d.join("out").exists());
    // a corrupt sidecar: 5
    std::fs::write(&meta_path, "{}").unwrap();
    let out = run(
        d,
        &[
            "decrypt",
            &p("c"),
            &p("out"),
            "--rsa-private",
            private_a.to_str().unwrap(),
        ],
    );
    expect_code(&out, 5);
}

#[test]
fn keygen_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (private, public) = keygen(d, "k");
    let before = std::fs::read(&private).unwrap();
    let args = [
        "keygen",
        "--bits",
        "1024",
        "--private",
        &private,
        "--public",
        &public,
    ];
    expect_code(&run(d, &args), 2);
    assert_eq!(std::fs::read(&private).unwrap(), before);
    // A world-readable file replaced with --force must not stay world-readable.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let loose = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(&private, loose).unwrap();
    }
    let mut forced = args.to_vec();
    forced.push("--force");
    expect_code(&run(d, &forced), 0);
    assert_ne!(std::fs::read(&private).unwrap(), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers = std::fs::read_dir(d)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with("-tmp")
        })
        .count();
    assert_eq!(leftovers, 0, "no temp files left behind");
}
