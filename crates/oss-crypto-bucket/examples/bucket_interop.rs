//! Command-line driver of the CryptoBucket for interop scripts and crash tests.
//!
//! ```text
//! bucket_interop <put|get|get-range|multipart-put|resumable-upload|resumable-download>
//!     --endpoint URL --region R --access-key-id AK --access-key-secret SK --bucket B --key K
//!     --file PATH [--range a-b|a-|-N] [--private-key PEM] [--public-key PEM] [--matdesc JSON]
//!     [--read-key PEM:JSON ...] [--kms-endpoint URL --kms-key-id ID [--kms-region R]
//!     [--kms-flavour oss2|go-java] [--kms-passphrase P]] [--part-size N] [--concurrency N]
//!     [--checkpoint-dir D] [--legacy-v1]
//! ```
//!
//! `put`, `multipart-put` and `resumable-upload` read `--file`; `get`, `get-range` and
//! `resumable-download` write it. Exit status 0 on success; errors go to stderr.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, ValueEnum};
use oss_crypto_bucket::oss_client::{Client, Credentials};
use oss_crypto_bucket::oss_envelope::{KmsFlavour, Matdesc};
use oss_crypto_bucket::oss_keywrap::kms::{KmsClient, KmsEndpoint, KmsMasterKey};
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey, RsaPublicKey};
use oss_crypto_bucket::oss_keywrap::{DynMasterKey, Keyring, MasterKey};
use oss_crypto_bucket::{
    CryptoBucket, CryptoOptions, GetOptions, PutOptions, PutSource, ResumableOptions,
};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Command {
    Put,
    Get,
    GetRange,
    MultipartPut,
    ResumableUpload,
    ResumableDownload,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Flavour {
    Oss2,
    GoJava,
}

/// Drives a CryptoBucket from the command line.
#[derive(Debug, Parser)]
struct Args {
    command: Command,
    #[arg(long)]
    endpoint: String,
    #[arg(long, default_value = "cn-hangzhou")]
    region: String,
    #[arg(long, env = "OSS_ACCESS_KEY_ID")]
    access_key_id: String,
    #[arg(long, env = "OSS_ACCESS_KEY_SECRET", hide_env_values = true)]
    access_key_secret: String,
    #[arg(long)]
    bucket: String,
    #[arg(long)]
    key: String,
    #[arg(long)]
    file: PathBuf,
    #[arg(long)]
    range: Option<String>,
    #[arg(long)]
    private_key: Option<PathBuf>,
    #[arg(long)]
    public_key: Option<PathBuf>,
    #[arg(long)]
    matdesc: Option<String>,
    /// Extra reading keys as `PEM_PATH:MATDESC_JSON`.
    #[arg(long)]
    read_key: Vec<String>,
    #[arg(long)]
    kms_endpoint: Option<String>,
    #[arg(long)]
    kms_key_id: Option<String>,
    #[arg(long, default_value = "cn-hangzhou")]
    kms_region: String,
    #[arg(long, value_enum, default_value = "oss2")]
    kms_flavour: Flavour,
    #[arg(long)]
    kms_passphrase: Option<String>,
    #[arg(long)]
    part_size: Option<u64>,
    #[arg(long)]
    concurrency: Option<usize>,
    #[arg(long)]
    checkpoint_dir: Option<PathBuf>,
    #[arg(long)]
    legacy_v1: bool,
}

type BoxResult<T> = Result<T, Box<dyn core::error::Error>>;

fn matdesc(text: Option<&str>) -> BoxResult<Matdesc> {
    Ok(text
        .map(Matdesc::from_json)
        .transpose()
        .map_err(|e| format!("bad matdesc: {e}"))?
        .unwrap_or_default())
}

fn rsa_key(
    private: Option<&PathBuf>,
    public: Option<&PathBuf>,
    desc: Matdesc,
) -> BoxResult<RsaMasterKey> {
    let private = private
        .map(std::fs::read_to_string)
        .transpose()?
        .map(|t| RsaPrivateKey::from_pem(&t))
        .transpose()?;
    let public = public
        .map(std::fs::read_to_string)
        .transpose()?
        .map(|t| RsaPublicKey::from_pem(&t))
        .transpose()?;
    let key = match (public, private) {
        (Some(public), Some(private)) => RsaMasterKey::from_pair(public, private)?,
        (None, Some(private)) => RsaMasterKey::new(private),
        (Some(public), None) => RsaMasterKey::encrypt_only(public),
        (None, None) => return Err("give --private-key/--public-key or --kms-key-id".into()),
    };
    Ok(key.with_matdesc(desc))
}

fn keyring(args: &Args) -> BoxResult<Keyring> {
    let desc = matdesc(args.matdesc.as_deref())?;
    let default: DynMasterKey = match (&args.kms_endpoint, &args.kms_key_id) {
        (Some(endpoint), Some(key_id)) => {
            let creds = Credentials::new(&args.access_key_id, &args.access_key_secret);
            let client = KmsClient::builder(creds)
                .with_region(&args.kms_region)
                .with_endpoint(KmsEndpoint::Custom(endpoint.clone()))
                .build()?;
            let flavour = match args.kms_flavour {
                Flavour::Oss2 => KmsFlavour::Oss2,
                Flavour::GoJava => KmsFlavour::GoJava,
            };
            let mut key = KmsMasterKey::new(Arc::new(client), key_id).with_matdesc(desc);
            if let Some(passphrase) = &args.kms_passphrase {
                key = key.with_passphrase(passphrase)?;
            }
            Arc::new(key.with_write_flavour(flavour)?)
        }
        _ => Arc::new(rsa_key(
            args.private_key.as_ref(),
            args.public_key.as_ref(),
            desc,
        )?),
    };
    let mut ring = Keyring::from_arc(default);
    for entry in &args.read_key {
        let (pem, json) = entry
            .split_once(':')
            .ok_or("--read-key is PEM_PATH:MATDESC_JSON")?;
        let key: Arc<dyn MasterKey> = Arc::new(rsa_key(
            Some(&PathBuf::from(pem)),
            None,
            matdesc(Some(json))?,
        )?);
        ring = ring.with_entry(matdesc(Some(json))?, key);
    }
    Ok(ring)
}

fn bucket(args: &Args) -> BoxResult<CryptoBucket> {
    let client = Client::builder()
        .with_endpoint(&args.endpoint)
        .with_region(&args.region)
        .with_bucket(&args.bucket)
        .with_credentials(Credentials::new(
            &args.access_key_id,
            &args.access_key_secret,
        ))
        .build()?;
    let mut options = CryptoOptions::default().with_legacy_v1(args.legacy_v1);
    if let Some(size) = args.part_size {
        options = options.with_part_size(size);
    }
    if let Some(n) = args.concurrency {
        options = options.with_concurrency(n);
    }
    if let Some(dir) = &args.checkpoint_dir {
        options = options.with_checkpoint_dir(dir);
    }
    Ok(CryptoBucket::with_options(client, keyring(args)?, options)?)
}

async fn multipart_put(bucket: &CryptoBucket, args: &Args) -> BoxResult<()> {
    let size = std::fs::metadata(&args.file)?.len();
    let ctx = bucket
        .initiate_multipart_upload(&args.key, size, args.part_size, &PutOptions::default())
        .await?;
    let mut parts = Vec::new();
    for layout in ctx.plan()?.parts() {
        let source = PutSource::FileRange {
            path: args.file.clone(),
            offset: layout.offset(),
            len: layout.len(),
        };
        parts.push(bucket.upload_part(&ctx, layout.number(), source).await?);
    }
    bucket.complete_multipart_upload(&ctx, &parts).await?;
    Ok(())
}

async fn run(args: Args) -> BoxResult<()> {
    let bucket = bucket(&args)?;
    let key = args.key.as_str();
    match args.command {
        Command::Put => drop(
            bucket
                .put_object(
                    key,
                    PutSource::File(args.file.clone()),
                    &PutOptions::default(),
                )
                .await?,
        ),
        Command::Get => drop(
            bucket
                .get_object_to_file(key, &args.file, &GetOptions::default())
                .await?,
        ),
        Command::GetRange => {
            let range = args.range.as_deref().ok_or("get-range needs --range")?;
            let options = GetOptions::default().with_range_text(range)?;
            drop(bucket.get_object_to_file(key, &args.file, &options).await?);
        }
        Command::MultipartPut => multipart_put(&bucket, &args).await?,
        Command::ResumableUpload => {
            let out = bucket
                .resumable_upload(key, &args.file, &ResumableOptions::default())
                .await?;
            println!(
                "uploaded {} parts, resumed {}",
                out.parts_uploaded, out.parts_resumed
            );
        }
        Command::ResumableDownload => {
            let out = bucket
                .resumable_download(key, &args.file, &ResumableOptions::default())
                .await?;
            println!(
                "downloaded {} parts, resumed {}",
                out.parts_downloaded, out.parts_resumed
            );
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bucket_interop: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
