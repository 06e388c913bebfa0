//! Benchmark: encrypted put/get through the CryptoBucket against plaintext put/get through
//! oss-client, both as parallel multipart transfers of a file against the in-memory dev
//! server; then the peak RSS of an encrypted resumable upload and download, each measured in
//! a child process (the dev server, which holds the object, stays in this one); last, the same
//! resumable transfers through oss2's `CryptoBucket` on the same server (see [`oss2`]).
//!
//! ```text
//! cargo run --release -p oss-crypto-bucket --example bucket_bench -- [--size-mib 1024]
//!     [--part-mib 8] [--concurrency 4] [--oss2-size-mib N (default min(size, 256); 0 skips)]
//! ```
//!
//! Prints throughput, the encrypted/plaintext ratios (target ≥ 0.85), the peak RSS against
//! the budget `concurrency × part size + 32 MiB`, and the ours/oss2 throughput ratios (target
//! ≥ 10) when a Python with oss2 is available (`cargo xtask interop` creates one).

// A crate root resolves `mod` next to itself, where Cargo would take the file for an example.
#[path = "bucket_bench/oss2.rs"]
mod oss2;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::{
    ByteRange, Client, CompletedPart, Credentials, GetOptions, PutPayload, StreamFactory,
};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions, ResumableOptions};
use oss_devserver::{DevServer, DevServerConfig};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

type BoxResult<T> = Result<T, Box<dyn core::error::Error>>;
const MIB: u64 = 1024 * 1024;
const BUCKET: &str = "bench";

struct Settings {
    size: u64,
    part: u64,
    concurrency: usize,
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

fn file_range(path: PathBuf, start: u64, len: u64) -> StreamFactory {
    Arc::new(move || {
        let path = path.clone();
        futures::stream::once(async move {
            let mut file = tokio::fs::File::open(&path).await?;
            file.seek(std::io::SeekFrom::Start(start)).await?;
            Ok::<_, std::io::Error>(tokio_util::io::ReaderStream::with_capacity(
                file.take(len),
                256 * 1024,
            ))
        })
        .try_flatten()
        .boxed()
    })
}

async fn plain_put(client: &Client, key: &str, src: &Path, s: &Settings) -> BoxResult<()> {
    let upload = client
        .initiate_multipart_upload(key, &HeaderMap::new())
        .await?;
    let count = s.size.div_ceil(s.part);
    let parts: Vec<CompletedPart> = futures::stream::iter(1..=count)
        .map(|n| {
            let (offset, upload_id) = ((n - 1) * s.part, &upload.upload_id);
            let len = s.part.min(s.size - offset);
            async move {
                let payload =
                    PutPayload::from_stream_factory(len, file_range(src.to_owned(), offset, len));
                let r = client
                    .upload_part(
                        key,
                        upload_id,
                        u32::try_from(n)?,
                        payload,
                        &HeaderMap::new(),
                    )
                    .await?;
                Ok::<_, Box<dyn core::error::Error>>(CompletedPart::from_result(
                    u32::try_from(n)?,
                    &r,
                ))
            }
        })
        .buffer_unordered(s.concurrency)
        .try_collect()
        .await?;
    client
        .complete_multipart_upload(key, &upload.upload_id, &parts, &HeaderMap::new())
        .await?;
    Ok(())
}

async fn plain_get(client: &Client, key: &str, dest: &Path, s: &Settings) -> BoxResult<()> {
    tokio::fs::File::create(dest).await?.set_len(s.size).await?;
    let count = s.size.div_ceil(s.part);
    futures::stream::iter(0..count)
        .map(|i| async move {
            let offset = i * s.part;
            let last = (offset + s.part).min(s.size) - 1;
            let options = GetOptions::default().with_range(ByteRange::Inclusive(offset, last));
            let (_, mut body) = client.get_object(key, &options).await?.into_parts();
            let mut file = tokio::fs::OpenOptions::new().write(true).open(dest).await?;
            file.seek(std::io::SeekFrom::Start(offset)).await?;
            while let Some(chunk) = body.next().await {
                file.write_all(&chunk?).await?;
            }
            Ok::<_, Box<dyn core::error::Error>>(())
        })
        .buffer_unordered(s.concurrency)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
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

fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

async fn timed<F: Future<Output = BoxResult<()>>>(label: &str, size: u64, f: F) -> BoxResult<f64> {
    let start = Instant::now();
    f.await?;
    let secs = start.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)] // display only
    let mib = size as f64 / MIB as f64;
    println!("{label:<28} {secs:8.2} s {:9.1} MiB/s", mib / secs);
    Ok(secs)
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

/// Our four timed transfers; returns the encrypted put and get times.
async fn rust_transfers(
    plain_client: &Client,
    b: &CryptoBucket,
    src: &Path,
    dir: &Path,
    s: &Settings,
) -> BoxResult<(f64, f64)> {
    let put_plain = timed(
        "plaintext put (oss-client)",
        s.size,
        plain_put(plain_client, "plain", src, s),
    )
    .await?;
    let put_enc = timed("encrypted put (CryptoBucket)", s.size, async {
        b.resumable_upload("enc", src, &ResumableOptions::default())
            .await?;
        Ok(())
    })
    .await?;
    let out = dir.join("out.bin");
    let get_plain = timed(
        "plaintext get (oss-client)",
        s.size,
        plain_get(plain_client, "plain", &out, s),
    )
    .await?;
    let get_enc = timed("encrypted get (CryptoBucket)", s.size, async {
        b.resumable_download("enc", &out, &ResumableOptions::default())
            .await?;
        Ok(())
    })
    .await?;
    println!(
        "ratio put (encrypted/plaintext throughput) {:.3}",
        put_plain / put_enc
    );
    println!(
        "ratio get (encrypted/plaintext throughput) {:.3}",
        get_plain / get_enc
    );
    Ok((put_enc, get_enc))
}

#[tokio::main]
async fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().collect();
    let num = |name: &str, default: u64| {
        arg(&args, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let s = Settings {
        size: num("--size-mib", 1024) * MIB,
        part: num("--part-mib", 8) * MIB,
        concurrency: usize::try_from(num("--concurrency", 4))?,
    };
    if arg(&args, "--rss-child").is_some() {
        return rss_child(&args, &s).await;
    }
    let oss2_size = (num("--oss2-size-mib", 256) * MIB).min(s.size);
    let server = DevServer::start(DevServerConfig::default().with_buckets([BUCKET])).await?;
    let cred = server.credentials();
    let (ak, sk) = (cred.access_key_id(), cred.access_key_secret());
    let endpoint = server.oss_url();
    let plain_client = client(&endpoint, ak, sk)?;
    let dir = tempfile::tempdir()?;
    let src = dir.path().join("input.bin");
    write_input(&src, s.size)?;
    let b = bucket(plain_client.clone(), &s, &dir.path().join("cp"))?;
    println!(
        "size {} MiB, part {} MiB, concurrency {}",
        s.size / MIB,
        s.part / MIB,
        s.concurrency
    );
    let (put_secs, get_secs) = rust_transfers(&plain_client, &b, &src, dir.path(), &s).await?;
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
    server.shutdown().await;
    Ok(())
}
