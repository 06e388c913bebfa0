//! The four timed transfers, repeated `--runs` times in turn (plaintext and encrypted
//! interleaved, so load from other processes hits both alike); the best time of each counts.
//!
//! Both downloads produce the same kind of file: written at part offsets into a temp file,
//! synced, then renamed over the destination. The CryptoBucket must do this to never leave a
//! partial file where a good one was; the plaintext baseline does it too, so the ratio
//! measures encryption, not durability.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use futures::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use oss_crypto_bucket::oss_client::{
    ByteRange, Client, CompletedPart, GetOptions, PutPayload, StreamFactory,
};
use oss_crypto_bucket::{CryptoBucket, ResumableOptions};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _, BufWriter};

use crate::{BoxResult, MIB, Settings};

/// The encrypted transfers' best times (seconds).
pub(crate) struct Best {
    pub(crate) put_enc: f64,
    pub(crate) get_enc: f64,
}

/// Runs the transfers, prints each run and the ratios of the best times.
pub(crate) async fn run(
    plain: &Client,
    bucket: &CryptoBucket,
    src: &Path,
    dir: &Path,
    s: &Settings,
) -> BoxResult<Best> {
    let mut best = [f64::INFINITY; 4];
    let out = dir.join("out.bin");
    for run in 1..=s.runs {
        let times = [
            timed(plain_put(plain, "plain", src, s)).await?,
            timed(async {
                bucket
                    .resumable_upload("enc", src, &ResumableOptions::default())
                    .await?;
                Ok(())
            })
            .await?,
            timed(plain_get(plain, "plain", &out, s)).await?,
            timed(async {
                bucket
                    .resumable_download("enc", &out, &ResumableOptions::default())
                    .await?;
                Ok(())
            })
            .await?,
        ];
        let shown: Vec<String> = times.iter().map(|t| format!("{t:6.2}")).collect();
        println!(
            "run {run}: seconds put plain/enc {} / {}, get plain/enc {} / {}",
            shown[0], shown[1], shown[2], shown[3]
        );
        for (b, t) in best.iter_mut().zip(times) {
            *b = b.min(t);
        }
    }
    let labels = [
        "plaintext put (oss-client)",
        "encrypted put (CryptoBucket)",
        "plaintext get (oss-client)",
        "encrypted get (CryptoBucket)",
    ];
    for (label, secs) in labels.iter().zip(best) {
        println!(
            "{label:<30} {secs:8.2} s {:9.1} MiB/s (best of {})",
            mib(s.size) / secs,
            s.runs
        );
    }
    println!(
        "ratio put (encrypted/plaintext throughput) {:.3} (target ≥ 0.85)",
        best[0] / best[1]
    );
    println!(
        "ratio get (encrypted/plaintext throughput) {:.3} (target ≥ 0.85)",
        best[2] / best[3]
    );
    Ok(Best {
        put_enc: best[1],
        get_enc: best[3],
    })
}

#[allow(clippy::cast_precision_loss)] // display only
fn mib(bytes: u64) -> f64 {
    bytes as f64 / MIB as f64
}

async fn timed<F: Future<Output = BoxResult<()>>>(f: F) -> BoxResult<f64> {
    let start = Instant::now();
    f.await?;
    Ok(start.elapsed().as_secs_f64())
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
                let number = u32::try_from(n)?;
                let payload =
                    PutPayload::from_stream_factory(len, file_range(src.to_owned(), offset, len));
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
