//! `osscrypt demo` end to end (small size): every step checks itself, so exit 0 means the
//! upload, envelope, ranges, download, rotation and old-key refusal all behaved.

use crate::common;

use common::{expect_code, run};

#[test]
fn demo_runs_and_checks_every_step() {
    let home = tempfile::tempdir().unwrap();
    let out = run(
        home.path(),
        &[
            "demo",
            "--size",
            "2MiB",
            "--bits",
            "1024",
            "--parallel",
            "3",
        ],
    );
    expect_code(&out, 0);
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "started an embedded devserver",
        "x-oss-meta-client-side-encryption-wrap-alg: RSA/NONE/PKCS1Padding",
        "stored bytes are not the plaintext",
        "read unaligned range bytes=",
        "read suffix range bytes=-12345",
        "downloaded the whole object and verified it",
        "rotated the master key",
        "the old key is refused now",
        "throughput: upload",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(text.matches("match the original").count(), 6, "{text}");
    expect_code(&run(home.path(), &["demo", "--size", "1000"]), 2);
}
