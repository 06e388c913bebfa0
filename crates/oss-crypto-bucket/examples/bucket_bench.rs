//! Benchmark: encrypted put/get through the CryptoBucket against plaintext put/get through
//! oss-client, both as parallel multipart transfers of a file, with the dev server in its own
//! process pinned to one core and this client pinned to the other (see
//! `bench_common/server.rs`). For each transfer it records the wall time and the CPU seconds
//! of the client process and of the server process; the client's CPU overhead of encryption
//! per GiB is compared with the AES floor (1 GiB at `openssl speed -evp aes-256-ctr`, which
//! `cargo xtask bench bucket-bench` measures in the same run and passes in). Then the peak RSS
//! of an encrypted resumable upload and download, each in a child process; last, the same
//! resumable transfers through oss2's `CryptoBucket` on the same server (see [`oss2`]).
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
#[path = "bench_common/server.rs"]
mod server;

// A crate root resolves `mod` next to itself, where Cargo would take the file for an example.
#[path = "bucket_bench/oss2.rs"]
mod oss2;
#[path = "bucket_bench/profile.rs"]
mod profile;
#[path = "bucket_bench/transfers.rs"]
mod transfers;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use oss_crypto_bucket::oss_client::{Client, Credentials};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions, ResumableOptions};
use server::{BUCKET, ServerOptions, ServerProcess};
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

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn client(endpoint: &str, ak: &str, sk: &str) -> BoxResult<Client> {
    Ok(Client::builder()
        .with_endpoint(endpoint)
        .with_region("cn-hangzhou")
        .with_bucket(BUCKET)
        .with_credentials(Credentials::new(ak, sk))
        .build()?)
}

/// The shared RSA test key's PEM file (parent, children and oss2 use the same master key).
fn private_key_path() -> BoxResult<PathBuf> {
    let vectors =
        oss_testkit::Vectors::locate().ok_or("the shared vectors (RSA test key) are needed")?;
    Ok(vectors.path("keys/rsa1024-private-pkcs1.pem"))
}

fn master_key() -> BoxResult<RsaMasterKey> {
    let pem = std::fs::read_to_string(private_key_path()?)?;
    Ok(RsaMasterKey::new(RsaPrivateKey::from_pem(&pem)?))
}

fn bucket(client: Client, s: &Settings, cp_dir: &Path) -> BoxResult<CryptoBucket> {
    let key = master_key()?;
    let options = CryptoOptions::default()
        .with_part_size(s.part)
        .with_concurrency(s.concurrency)
        .with_checkpoint_dir(cp_dir);
    Ok(CryptoBucket::with_options(
        client,
        Keyring::new(key),
        options,
    )?)
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

/// Where the bench's files go: `--work-dir`, else tmpfs when there is one, so that the
/// timings measure the clients and not the disk's noise (both downloads sync their file).
fn work_dir(given: Option<String>) -> BoxResult<tempfile::TempDir> {
    let shm = Path::new("/dev/shm");
    Ok(match given {
        Some(dir) => tempfile::tempdir_in(dir)?,
        None if shm.is_dir() => tempfile::tempdir_in(shm)?,
        None => tempfile::tempdir()?,
    })
}

fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Child mode: one encrypted transfer, then report the peak RSS.
async fn rss_child(args: &[String], s: &Settings) -> BoxResult<()> {
    let need = |name: &str| arg(args, name).ok_or_else(|| format!("missing {name}"));
    let client = client(&need("--endpoint")?, &need("--ak")?, &need("--sk")?)?;
    let file = PathBuf::from(need("--file")?);
    let cp = PathBuf::from(need("--cp")?);
    let b = bucket(client, s, &cp)?;
    if need("--rss-child")? == "upload" {
        b.resumable_upload("rss", &file, &ResumableOptions::default())
            .await?;
    } else {
        b.resumable_download(
            "enc",
            &file.with_extension("rss-out"),
            &ResumableOptions::default(),
        )
        .await?;
    }
    println!("peak_rss_bytes {}", peak_rss());
    Ok(())
}

/// Runs each RSS child and prints its peak against the budget.
fn rss_report(
    endpoint: &str,
    ak: &str,
    sk: &str,
    src: &Path,
    dir: &Path,
    s: &Settings,
) -> BoxResult<()> {
    let budget = u64::try_from(s.concurrency)? * s.part + 32 * MIB;
    for mode in ["upload", "download"] {
        let output = Command::new(std::env::current_exe()?)
            .args([
                "--rss-child",
                mode,
                "--endpoint",
                endpoint,
                "--ak",
                ak,
                "--sk",
                sk,
            ])
            .arg("--file")
            .arg(src)
            .arg("--cp")
            .arg(dir.join(format!("cp-{mode}")))
            .args([
                "--size-mib",
                &(s.size / MIB).to_string(),
                "--part-mib",
                &(s.part / MIB).to_string(),
                "--concurrency",
                &s.concurrency.to_string(),
            ])
            .output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let peak = text
            .lines()
            .find_map(|l| l.strip_prefix("peak_rss_bytes "))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| format!("child failed: {}", String::from_utf8_lossy(&output.stderr)))?;
        let verdict = if peak <= budget { "within" } else { "OVER" };
        #[allow(clippy::cast_precision_loss)] // display only
        let (peak_mib, budget_mib) = (peak as f64 / MIB as f64, budget as f64 / MIB as f64);
        println!(
            "peak RSS resumable {mode:<8} {peak_mib:7.1} MiB ({verdict} budget {budget_mib:.1} MiB)"
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
    let pinned = arg(&args, "--rss-child").is_none() && server::pin_client();
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
    if arg(args, "--rss-child").is_some() {
        return rss_child(args, &s).await;
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
    let dir = work_dir(arg(args, "--work-dir"))?;
    println!(
        "work files in {}; {}",
        dir.path().display(),
        server.describe()
    );
    let src = dir.path().join("input.bin");
    write_input(&src, s.size)?;
    let b = bucket(plain_client.clone(), &s, &dir.path().join("cp"))?;
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
    rss_report(&endpoint, ak, sk, &src, dir.path(), &s)?;
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
    Ok(())
}
