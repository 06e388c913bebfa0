//! The Go SDK v2 and Java halves of `bucket_bench`: the same encrypted multipart transfer
//! through the Go `EncryptionClient`'s Uploader (with a checkpoint) and Downloader, and through
//! the Java `OSSEncryptionClient`'s `uploadFile` (with a checkpoint) and `downloadFile`, driven
//! by `xtask/interop/go/bench/gov2` and `ossinterop.Bench` of `xtask/interop/java` on the
//! bench's dev server, same object, part size and parallelism as oss2's; ours/peer throughput
//! ratios (issue 15.5 target: at least 2x).
//!
//! The Go driver binary is `$OSS_CRYPTO_GO_BENCH`, the Java driver's class path
//! `$OSS_CRYPTO_JAVA_BENCH` (`cargo xtask bench bucket-bench` builds both); without one, its
//! comparison is skipped with a note. Both take the same flags and print
//! `<prefix>_size_bytes`, `<prefix>_put_seconds`, `<prefix>_get_seconds` and, after comparing
//! the download with the input, `<prefix>_verified`.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use crate::oss2::{Oss2Setup, Ours, parse, peer_input, report};
use crate::{BoxResult, MIB, Settings};

/// Issue 15.5: ahead of every peer, at least twice the fastest.
const TARGET_RATIO: f64 = 2.0;

/// One SDK's bench driver.
struct Peer {
    /// What the transfers go through, for the heading.
    title: &'static str,
    /// The variable that points at the driver.
    env: &'static str,
    /// Prefix of the driver's output lines, and of the object key.
    prefix: &'static str,
    /// Name in the report lines.
    label: &'static str,
    /// The upload and download calls, for the report lines.
    calls: [&'static str; 2],
    /// The public half of the vectors' RSA key in the spelling the SDK reads.
    public_key: &'static str,
    /// The command that runs the driver found through `env`.
    command: fn(OsString) -> Command,
}

const PEERS: [Peer; 2] = [
    Peer {
        title: "Go SDK v2 EncryptionClient",
        env: "OSS_CRYPTO_GO_BENCH",
        prefix: "go_v2",
        label: "go-v2",
        calls: ["Uploader", "Downloader"],
        public_key: "rsa1024-public-pkcs1.pem",
        command: Command::new,
    },
    Peer {
        title: "Java OSSEncryptionClient",
        env: "OSS_CRYPTO_JAVA_BENCH",
        prefix: "java",
        label: "java",
        calls: ["uploadFile", "downloadFile"],
        public_key: "rsa1024-public-spki.pem",
        command: java,
    },
];

fn java(classpath: OsString) -> Command {
    let mut command = Command::new("java");
    command.arg("-cp").arg(classpath).arg("ossinterop.Bench");
    command
}

/// Runs each peer's transfers and prints their throughput and the ratios, or why a peer was
/// skipped.
///
/// # Errors
///
/// A driver failed, its download differed from the input, or it printed no timings.
pub(crate) fn compare(setup: &Oss2Setup<'_>, s: &Settings, ours: &Ours) -> BoxResult<()> {
    if setup.size == 0 {
        return Ok(());
    }
    for peer in &PEERS {
        compare_one(peer, setup, s, ours)?;
    }
    Ok(())
}

fn compare_one(peer: &Peer, setup: &Oss2Setup<'_>, s: &Settings, ours: &Ours) -> BoxResult<()> {
    let Some(driver) = std::env::var_os(peer.env) else {
        println!(
            "{} comparison skipped: {} is not set (cargo xtask bench bucket-bench builds the \
             driver)",
            peer.title, peer.env
        );
        return Ok(());
    };
    let input = peer_input(setup, ours)?;
    let public = setup.private_key.with_file_name(peer.public_key);
    println!(
        "{}: {} MiB, part {} MiB, {} parts in parallel",
        peer.title,
        setup.size / MIB,
        s.part / MIB,
        s.concurrency
    );
    let mut command = (peer.command)(driver);
    command
        .args(["-endpoint", setup.endpoint, "-bucket", setup.bucket])
        .arg("-private-key")
        .arg(setup.private_key)
        .arg("-public-key")
        .arg(public)
        .arg("-file")
        .arg(&input)
        .args(["-key", peer.prefix])
        .args(["-part-size", &s.part.to_string()])
        .args(["-threads", &s.concurrency.to_string()])
        .env("OSS_ACCESS_KEY_ID", setup.access_key_id)
        .env("OSS_ACCESS_KEY_SECRET", setup.access_key_secret)
        .stderr(Stdio::inherit());
    let output = oss_testkit::bypass_proxies(&mut command).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the {} bench driver failed ({}): {text}",
            peer.title, output.status
        )
        .into());
    }
    let theirs = parse(&text, setup.size, peer.prefix)?;
    report(
        peer.label,
        peer.calls,
        setup.size,
        &theirs,
        ours,
        TARGET_RATIO,
    );
    Ok(())
}
