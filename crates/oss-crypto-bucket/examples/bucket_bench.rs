//! Benchmark: encrypted put/get through the CryptoBucket against plaintext put/get through
//! oss-client, both as parallel multipart transfers of a file, with the dev server in its own
//! process pinned to one core and this client pinned to the other (see
//! `bench_common/server.rs`). For each transfer it records the wall time and the CPU seconds
//! of the client process and of the server process; the client's CPU overhead of encryption
//! per GiB is compared with the AES floor (1 GiB at `openssl speed -evp aes-256-ctr`, which
//! `cargo xtask bench bucket-bench` measures in the same run and passes in). Then the peak RSS
//! of an encrypted resumable upload and download, each in a child process; last, the same
//! resumable transfers through oss2's `CryptoBucket`, the Go SDK v2 `EncryptionClient` and the
//! Java `OSSEncryptionClient` on the same server (see [`oss2`] and [`sdk_peers`]).
//!
//! ```text
//! cargo run --release -p oss-crypto-bucket --example bucket_bench -- [--size-mib 1024]
//!     [--part-mib 8] [--concurrency 4] [--runs 5] [--md5-etags] [--work-dir DIR (default /dev/shm)]
//!     [--oss2-size-mib N (default min(size, 256); 0 skips)] [--openssl-aes-ctr-bps BYTES_PER_SEC]
//!     [--profile (perf record of one more encrypted put and get)]
//! ```
//!
//! Prints the best of each transfer, the CPU overhead against the AES floor (target ≤ 1.25×),
//! the wall-clock encrypted/plaintext ratios (target ≥ 0.90), the peak RSS against the budget
//! `concurrency × part size + 32 MiB`, and the ours/oss2 throughput ratios (target ≥ 10) when
//! a Python with oss2 is available (`cargo xtask interop` creates one).

#[path = "bench_common/cpu.rs"]
mod cpu;
#[path = "bench_common/rss.rs"]
mod rss;
#[path = "bench_common/server.rs"]
mod server;
#[path = "bench_common/setup.rs"]
mod setup;

// A crate root resolves `mod` next to itself, where Cargo would take the file for an example.
#[path = "bucket_bench/oss2.rs"]
mod oss2;
#[path = "bucket_bench/profile.rs"]
mod profile;
#[path = "bucket_bench/sdk_peers.rs"]
mod sdk_peers;
#[path = "bucket_bench/transfers.rs"]
mod transfers;

use std::io::Write as _;
use std::path::Path;

use server::{BUCKET, ServerOptions, ServerProcess};
use setup::{bucket, client, private_key_path, work_dir};
use transfers::Transfer;

type BoxResult<T> = Result<T, Box<dyn core::error::Error>>;
const MIB: u64 = 1024 * 1024;

struct Settings {
    size: u64,
    part: u64,
    concurrency: usize,
    /// Rounds of the four timed transfers; the best time of each counts.
    runs: u32,
}

pub(crate) fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn write_input(path: &Path, size: u64) -> BoxResult<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut block = vec![0_u8; usize::try_from(MIB)?];
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    for written in (0..size).step_by(block.len()) {
        for b in block.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x.to_le_bytes()[0];
        }
        let n = usize::try_from((size - written).min(MIB))?;
        file.write_all(block.get(..n).unwrap_or_default())?;
    }
    Ok(file.flush()?)
}

/// Runs an encrypted resumable upload and download of `src` each in a child and prints
/// their peak RSS against the budget.
fn rss_report(server: &ServerProcess, src: &Path, dir: &Path, s: &Settings) -> BoxResult<()> {
    let budget = u64::try_from(s.concurrency)? * s.part + 32 * MIB;
    let out = dir.join("rss-out.bin");
    for (mode, file) in [("upload", src), ("download", out.as_path())] {
        let cp = dir.join(format!("cp-{mode}"));
        let peak = rss::peak_of(server, mode, "rss", file, &cp, s.part, s.concurrency)?;
        let verdict = if peak <= budget { "within" } else { "OVER" };
        println!(
            "peak RSS resumable {mode:<8} {:7.1} MiB ({verdict} budget {:.1} MiB)",
            rss::mib(peak),
            rss::mib(budget)
        );
    }
    Ok(())
}

fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().collect();
    if server::is_server_mode(&args) {
        return server::serve(&args);
    }
    // The RSS children are clients too: they run on the client core they inherit.
    let pinned = !rss::is_child(&args) && server::pin_client();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(bench(&args, pinned))
}

async fn bench(args: &[String], pinned: bool) -> BoxResult<()> {
    let num = |name: &str, default: u64| {
        arg(args, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let s = Settings {
        size: num("--size-mib", 1024) * MIB,
        part: num("--part-mib", 8) * MIB,
        concurrency: usize::try_from(num("--concurrency", 4))?,
        runs: u32::try_from(num("--runs", 5).max(1))?,
    };
    if rss::is_child(args) {
        return rss::child(args).await;
    }
    let oss2_size = (num("--oss2-size-mib", 256) * MIB).min(s.size);
    let aes_floor: Option<f64> = arg(args, "--openssl-aes-ctr-bps")
        .map(|v| v.parse())
        .transpose()?;
    // Real OSS computes ETags on other machines; here MD5 would take the server's core, so
    // the server runs in its documented benchmark mode unless asked.
    let md5_etags = args.iter().any(|a| a == "--md5-etags");
    let server = ServerProcess::spawn(
        &ServerOptions {
            md5_etags,
            data_dir: None,
        },
        pinned,
    )?;
    let (ak, sk) = (
        server.access_key_id.as_str(),
        server.access_key_secret.as_str(),
    );
    let endpoint = server.oss_url.clone();
    let plain_client = client(&endpoint, ak, sk)?;
    let dir = work_dir(arg(args, "--work-dir"), None)?;
    println!(
        "work files in {}; {}",
        dir.path().display(),
        server.describe()
    );
    let src = dir.path().join("input.bin");
    write_input(&src, s.size)?;
    let b = bucket(
        plain_client.clone(),
        s.part,
        s.concurrency,
        &dir.path().join("cp"),
    )?;
    println!(
        "size {} MiB, part {} MiB, concurrency {}, best of {} runs, server ETags: {}",
        s.size / MIB,
        s.part / MIB,
        s.concurrency,
        s.runs,
        if md5_etags {
            "MD5 (as OSS)"
        } else {
            "fast (benchmark mode; --md5-etags for MD5)"
        }
    );
    let setup = transfers::Setup {
        plain: &plain_client,
        bucket: &b,
        src: &src,
        dir: dir.path(),
        server_pid: server.pid(),
    };
    let results = transfers::run(&setup, &s).await?;
    transfers::report(&results, &s, aes_floor);
    if args.iter().any(|a| a == "--profile") {
        for transfer in [Transfer::EncryptedPut, Transfer::EncryptedGet] {
            profile::profile(&setup, transfer, &s).await?;
        }
    }
    let (put_secs, get_secs) = (
        results.of(Transfer::EncryptedPut).wall,
        results.of(Transfer::EncryptedGet).wall,
    );
    rss_report(&server, &src, dir.path(), &s)?;
    let setup = oss2::Oss2Setup {
        endpoint: &endpoint,
        access_key_id: ak,
        access_key_secret: sk,
        bucket: BUCKET,
        private_key: &private_key_path()?,
        input: &src,
        work_dir: dir.path(),
        size: oss2_size,
    };
    let ours = oss2::Ours {
        size: s.size,
        put_secs,
        get_secs,
    };
    oss2::compare(&setup, &s, &ours)?;
    sdk_peers::compare(&setup, &s, &ours)?;
    Ok(())
}
