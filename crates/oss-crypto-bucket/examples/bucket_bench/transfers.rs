//! The timed transfers, repeated `--runs` times in turn (plaintext and encrypted interleaved,
//! so load from other processes hits both alike); the best wall time and the least CPU time of
//! each count.
//!
//! Each direction has plaintext variants besides the encrypted transfer, and the cheapest of
//! them is the baseline, so that the overhead is that of encryption and not of a slower way to
//! move the bytes:
//! * put: oss-client multipart from file streams, or from each part read into memory;
//! * get: oss-client ranged GETs written through `tokio::fs`, or the CryptoBucket's resumable
//!   download of the plaintext object (the same positional writer as the encrypted download,
//!   without a cipher). Every download writes a temp file, syncs it and renames it over the
//!   destination, as the CryptoBucket must.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::{
    ByteRange, Client, CompletedPart, GetOptions, PutPayload, StreamFactory,
};
use oss_crypto_bucket::{CryptoBucket, ResumableOptions};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _, BufWriter};

use crate::cpu::{cpu_seconds_of, own_cpu_seconds};
use crate::{BoxResult, MIB, Settings};

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
/// Issue 15.1: client CPU overhead of encryption at most this many times the AES floor.
const TARGET_OVERHEAD: f64 = 1.25;
/// Issue 15.1: encrypted throughput at least this fraction of plaintext's.
const TARGET_WALL_RATIO: f64 = 0.90;

/// What one transfer cost.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cost {
    pub(crate) wall: f64,
    /// CPU seconds (user + system) of the bench process, which is only the client.
    pub(crate) client_cpu: f64,
    pub(crate) server_cpu: f64,
}

impl Cost {
    const NONE: Self = Self {
        wall: f64::INFINITY,
        client_cpu: f64::INFINITY,
        server_cpu: f64::INFINITY,
    };

    fn best(self, other: Self) -> Self {
        Self {
            wall: self.wall.min(other.wall),
            client_cpu: self.client_cpu.min(other.client_cpu),
            server_cpu: self.server_cpu.min(other.server_cpu),
        }
    }
}

/// The transfers, in the order each run does them (puts create what the gets read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transfer {
    PlainPutStream,
    PlainPutMemory,
    EncryptedPut,
    PlainGetTokioFs,
    PlainGetPositional,
    EncryptedGet,
}

impl Transfer {
    pub(crate) const ALL: [Self; 6] = [
        Self::PlainPutStream,
        Self::PlainPutMemory,
        Self::EncryptedPut,
        Self::PlainGetTokioFs,
        Self::PlainGetPositional,
        Self::EncryptedGet,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::PlainPutStream => "plain put (oss-client, file streams)",
            Self::PlainPutMemory => "plain put (oss-client, parts in memory)",
            Self::EncryptedPut => "encrypted put (CryptoBucket resumable)",
            Self::PlainGetTokioFs => "plain get (oss-client, tokio::fs)",
            Self::PlainGetPositional => "plain get (positional writes, no cipher)",
            Self::EncryptedGet => "encrypted get (CryptoBucket resumable)",
        }
    }

    fn is_put(self) -> bool {
        matches!(
            self,
            Self::PlainPutStream | Self::PlainPutMemory | Self::EncryptedPut
        )
    }

    fn is_encrypted(self) -> bool {
        matches!(self, Self::EncryptedPut | Self::EncryptedGet)
    }
}

/// Where the transfers run and what they move.
pub(crate) struct Setup<'a> {
    pub(crate) plain: &'a Client,
    pub(crate) bucket: &'a CryptoBucket,
    pub(crate) src: &'a Path,
    pub(crate) dir: &'a Path,
    pub(crate) server_pid: u32,
}

/// Runs `transfer` once.
pub(crate) async fn perform(t: &Setup<'_>, transfer: Transfer, s: &Settings) -> BoxResult<()> {
    let out = t.dir.join("out.bin");
    let resumable = ResumableOptions::default();
    match transfer {
        Transfer::PlainPutStream => plain_put(t.plain, t.src, s, false).await,
        Transfer::PlainPutMemory => plain_put(t.plain, t.src, s, true).await,
        Transfer::EncryptedPut => {
            t.bucket.resumable_upload("enc", t.src, &resumable).await?;
            Ok(())
        }
        Transfer::PlainGetTokioFs => plain_get(t.plain, "plain", &out, s).await,
        Transfer::PlainGetPositional => {
            t.bucket
                .resumable_download("plain", &out, &resumable)
                .await?;
            Ok(())
        }
        Transfer::EncryptedGet => {
            t.bucket.resumable_download("enc", &out, &resumable).await?;
            Ok(())
        }
    }
}

async fn measure(t: &Setup<'_>, transfer: Transfer, s: &Settings) -> BoxResult<Cost> {
    let (cpu, server, start) = (
        own_cpu_seconds(),
        cpu_seconds_of(t.server_pid),
        Instant::now(),
    );
    perform(t, transfer, s).await?;
    Ok(Cost {
        wall: start.elapsed().as_secs_f64(),
        client_cpu: own_cpu_seconds() - cpu,
        server_cpu: cpu_seconds_of(t.server_pid) - server,
    })
}

/// The best of every transfer.
pub(crate) struct Results {
    best: Vec<(Transfer, Cost)>,
}

impl Results {
    pub(crate) fn of(&self, transfer: Transfer) -> Cost {
        self.best
            .iter()
            .find(|(t, _)| *t == transfer)
            .map_or(Cost::NONE, |(_, c)| *c)
    }

    /// The cheapest plaintext variant of a direction (by client CPU), and its best wall time
    /// among all plaintext variants of that direction.
    fn baseline(&self, put: bool) -> (Transfer, Cost) {
        let plain = self
            .best
            .iter()
            .filter(|(t, _)| t.is_put() == put && !t.is_encrypted());
        let wall = plain
            .clone()
            .map(|(_, c)| c.wall)
            .fold(f64::INFINITY, f64::min);
        let (transfer, cost) = plain
            .min_by(|a, b| a.1.client_cpu.total_cmp(&b.1.client_cpu))
            .copied()
            .unwrap_or((Transfer::PlainPutStream, Cost::NONE));
        (transfer, Cost { wall, ..cost })
    }
}

/// Runs every transfer `s.runs` times and prints each run and the best figures.
pub(crate) async fn run(t: &Setup<'_>, s: &Settings) -> BoxResult<Results> {
    let mut best = [Cost::NONE; Transfer::ALL.len()];
    for run in 1..=s.runs {
        let mut shown = Vec::new();
        for (slot, transfer) in best.iter_mut().zip(Transfer::ALL) {
            let cost = measure(t, transfer, s).await?;
            shown.push(format!("{:.2}/{:.2}", cost.wall, cost.client_cpu));
            *slot = slot.best(cost);
        }
        println!("run {run}: wall/client-CPU seconds {}", shown.join("  "));
    }
    println!(
        "{:<42} {:>8} {:>10} {:>12} {:>12}",
        "best of each", "wall s", "MiB/s", "client CPU s", "server CPU s"
    );
    for (transfer, cost) in Transfer::ALL.iter().zip(best) {
        println!(
            "{:<42} {:8.2} {:10.1} {:12.3} {:12.3}",
            transfer.label(),
            cost.wall,
            mib(s.size) / cost.wall,
            cost.client_cpu,
            cost.server_cpu
        );
    }
    Ok(Results {
        best: Transfer::ALL.into_iter().zip(best).collect(),
    })
}

/// Prints the client CPU overhead of encryption per GiB against the AES floor and the
/// wall-clock ratio, for both directions.
pub(crate) fn report(results: &Results, s: &Settings, aes_bytes_per_sec: Option<f64>) {
    #[allow(clippy::cast_precision_loss)] // sizes far below 2^52
    let gib = s.size as f64 / GIB;
    let floor = aes_bytes_per_sec.map(|rate| GIB / rate);
    match floor {
        Some(f) => println!(
            "AES floor (openssl speed -evp aes-256-ctr per CPU second, same run): {:.3} s CPU per GiB",
            f
        ),
        None => println!(
            "AES floor unknown: pass --openssl-aes-ctr-bps (cargo xtask bench bucket-bench does)"
        ),
    }
    for (put, encrypted) in [
        (true, Transfer::EncryptedPut),
        (false, Transfer::EncryptedGet),
    ] {
        let direction = if put { "put" } else { "get" };
        let (base, plain) = results.baseline(put);
        let enc = results.of(encrypted);
        let overhead = (enc.client_cpu - plain.client_cpu) / gib;
        let mut line = format!(
            "{direction}: client CPU encrypted {:.3} s, plaintext {:.3} s ({}): overhead {overhead:.3} s/GiB",
            enc.client_cpu,
            plain.client_cpu,
            base.label()
        );
        if let Some(f) = floor {
            let ratio = overhead / f;
            line.push_str(&format!(
                " = {ratio:.2}x the AES floor ({})",
                verdict(
                    ratio <= TARGET_OVERHEAD,
                    &format!("target ≤ {TARGET_OVERHEAD}")
                )
            ));
        }
        println!("{line}");
        let wall = plain.wall / enc.wall;
        println!(
            "{direction}: wall-clock throughput encrypted/plaintext {wall:.3} ({})",
            verdict(
                wall >= TARGET_WALL_RATIO,
                &format!("target ≥ {TARGET_WALL_RATIO}")
            )
        );
    }
}

fn verdict(met: bool, target: &str) -> String {
    format!("{target}: {}", if met { "met" } else { "NOT met" })
}

#[allow(clippy::cast_precision_loss)] // display only
fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB as f64
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

/// `len` bytes of `path` from `offset`, read with one positional read in the blocking pool.
async fn read_range(path: PathBuf, offset: u64, len: u64) -> BoxResult<Bytes> {
    let bytes = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(path)?;
        let mut buf = vec![0; usize::try_from(len).map_err(std::io::Error::other)?];
        std::os::unix::fs::FileExt::read_exact_at(&file, &mut buf, offset)?;
        Ok::<_, std::io::Error>(buf)
    })
    .await??;
    Ok(bytes.into())
}

async fn plain_put(client: &Client, src: &Path, s: &Settings, in_memory: bool) -> BoxResult<()> {
    let key = "plain";
    let upload = client
        .initiate_multipart_upload(key, &HeaderMap::new())
        .await?;
    let count = s.size.div_ceil(s.part);
    let parts: Vec<CompletedPart> = futures::stream::iter(1..=count)
        .map(|n| {
            let (offset, upload_id) = ((n - 1) * s.part, &upload.upload_id);
            let len = s.part.min(s.size - offset);
            async move {
                let number = u32::try_from(n)?;
                let payload = if in_memory {
                    PutPayload::from_bytes(read_range(src.to_owned(), offset, len).await?)
                } else {
                    PutPayload::from_stream_factory(len, file_range(src.to_owned(), offset, len))
                };
                let r = client
                    .upload_part(key, upload_id, number, payload, &HeaderMap::new())
                    .await?;
                Ok::<_, Box<dyn core::error::Error>>(CompletedPart::from_result(number, &r))
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
    let temp = dest.with_extension("plain-tmp");
    tokio::fs::File::create(&temp)
        .await?
        .set_len(s.size)
        .await?;
    let count = s.size.div_ceil(s.part);
    futures::stream::iter(0..count)
        .map(|i| plain_get_part(client, key, &temp, i * s.part, s))
        .buffer_unordered(s.concurrency)
        .try_collect::<Vec<()>>()
        .await?;
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&temp)
        .await?;
    file.sync_data().await?;
    tokio::fs::rename(&temp, dest).await?;
    Ok(())
}

async fn plain_get_part(
    client: &Client,
    key: &str,
    temp: &Path,
    offset: u64,
    s: &Settings,
) -> BoxResult<()> {
    let last = (offset + s.part).min(s.size) - 1;
    let options = GetOptions::default().with_range(ByteRange::Inclusive(offset, last));
    let (_, mut body) = client.get_object(key, &options).await?.into_parts();
    let mut file = tokio::fs::OpenOptions::new().write(true).open(temp).await?;
    file.seek(std::io::SeekFrom::Start(offset)).await?;
    let mut file = BufWriter::with_capacity(1 << 20, file);
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk?).await?;
    }
    file.flush().await?;
    Ok(())
}
