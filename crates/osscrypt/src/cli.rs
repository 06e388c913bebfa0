//! The command line: clap types only, no behaviour.

use core::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::batch::BatchArgs;
use crate::net::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, Timeout, Timeouts};
use crate::size::parse_size;
pub(crate) use crate::uri::ObjectUri;
use crate::uri::parse_uri;

const EXIT_CODES: &str = "\
Exit codes: 0 ok, 1 other error, 2 usage error, 3 not found, 4 key error (master key) or auth
error (AccessKey refused or request denied, by OSS or KMS),
5 integrity error (CRC-64/MD5/length mismatch, malformed envelope, a response whose envelope or
ETag contradicts the HEAD it was planned from, a server answer the request does not allow, an
unencrypted object with --require-encrypted), 130/143 stopped by SIGINT/SIGTERM, 141 stdout
closed early (`osscrypt get ... | head -c 10`: nothing is printed, as for a process killed by
SIGPIPE).

Configuration is read from flags, then the environment (OSS_ENDPOINT, OSS_REGION,
OSS_KMS_ENDPOINT, ...), then the profile file ($XDG_CONFIG_HOME/osscrypt/config.toml). An
endpoint is required (exit 2 without one), except for `serve` and `demo`; `--local` or
OSS_ENDPOINT=local runs the commands against an embedded devserver whose data lives in
$XDG_DATA_HOME/osscrypt/devserver.

Credentials, first that applies: --access-key-id/--access-key-secret/--session-token;
OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET/OSS_SESSION_TOKEN; the keys of the profile file;
ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/ALIBABA_CLOUD_SECURITY_TOKEN; RRSA
(ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE); a
profile of ~/.aliyun/config.json (AK, StsToken, RamRoleArn, EcsRamRole, OIDC; see --profile,
ALIBABA_CLOUD_PROFILE, ALIBABA_CLOUD_CONFIG_FILE); the ECS instance RAM role. Temporary
credentials are renewed before they expire. STS and the metadata service can be moved with
ALIBABA_CLOUD_STS_ENDPOINT and ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT.";

/// Client-side encryption for Alibaba Cloud OSS objects, compatible with the official SDKs.
#[derive(Debug, Parser)]
#[command(name = "osscrypt", version, after_help = EXIT_CODES)]
pub(crate) struct Cli {
    /// Connection and output options.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// OSS endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`, or `local` for the
    /// embedded devserver [env: OSS_ENDPOINT].
    #[arg(long, global = true)]
    pub(crate) endpoint: Option<String>,
    /// Run against an embedded devserver on 127.0.0.1 (same as `OSS_ENDPOINT=local`); its
    /// objects live in the data directory, not in OSS.
    #[arg(long, global = true, conflicts_with = "endpoint")]
    pub(crate) local: bool,
    /// Region id for V4 signing, e.g. `cn-hangzhou` [env: OSS_REGION].
    #[arg(long, global = true)]
    pub(crate) region: Option<String>,
    /// Access key id [env: OSS_ACCESS_KEY_ID]; without one, the Alibaba Cloud credential
    /// chain (see below).
    #[arg(long, global = true)]
    pub(crate) access_key_id: Option<String>,
    /// Access key secret; prefer the environment [env: OSS_ACCESS_KEY_SECRET].
    #[arg(long, global = true)]
    pub(crate) access_key_secret: Option<String>,
    /// STS security token [env: OSS_SESSION_TOKEN].
    #[arg(long, global = true)]
    pub(crate) session_token: Option<String>,
    /// KMS endpoint (defaults to the region's public KMS endpoint) [env: OSS_KMS_ENDPOINT].
    #[arg(long, global = true)]
    pub(crate) kms_endpoint: Option<String>,
    /// STS endpoint of the credential chain (RamRoleArn, RRSA/OIDC), e.g.
    /// `https://sts-vpc.cn-hangzhou.aliyuncs.com` [env: ALIBABA_CLOUD_STS_ENDPOINT; profile
    /// key: sts_endpoint] (default `https://sts.aliyuncs.com`).
    #[arg(long, global = true)]
    pub(crate) sts_endpoint: Option<String>,
    /// ECS metadata service of the credential chain (the instance RAM role)
    /// [env: ALIBABA_CLOUD_ECS_METADATA_SERVICE_ENDPOINT; profile key: metadata_endpoint]
    /// (default `http://100.100.100.200`).
    #[arg(long, global = true)]
    pub(crate) metadata_endpoint: Option<String>,
    /// Profile: table `[NAME]` of the profile file, or, when that file has none, profile NAME
    /// of ~/.aliyun/config.json for the credentials [env: OSSCRYPT_PROFILE] (default
    /// `default`).
    #[arg(long, global = true)]
    pub(crate) profile: Option<String>,
    /// Profile file [env: OSSCRYPT_CONFIG] (default `$XDG_CONFIG_HOME/osscrypt/config.toml`).
    #[arg(long, global = true)]
    pub(crate) config: Option<PathBuf>,
    /// Address buckets path-style (`http://host:port/bucket/key`), for OSS-compatible servers
    /// such as the oss-emulator; IP-literal and `localhost` endpoints use it anyway
    /// [env: OSS_PATH_STYLE; profile key: path_style].
    #[arg(long, global = true)]
    pub(crate) path_style: bool,
    /// Data directory of the embedded devserver [env: OSSCRYPT_DATA_DIR].
    #[arg(long, global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// No progress bars and no informational lines (errors are still printed).
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
    /// More diagnostics on stderr: `-v` info, `-vv` debug (requests, retries), `-vvv` trace.
    /// `RUST_LOG` (tracing filter syntax) overrides it. Secrets are never logged.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    /// Time to establish a connection (TCP and TLS), e.g. `10s` or `500ms`.
    #[arg(long, global = true, default_value_t = Timeout(DEFAULT_CONNECT_TIMEOUT))]
    pub(crate) connect_timeout: Timeout,
    /// Time a response may stay silent (before its headers or between bytes) before the
    /// request fails (and is retried, up to 3 attempts), e.g. `20s`.
    #[arg(long, global = true, default_value_t = Timeout(DEFAULT_READ_TIMEOUT))]
    pub(crate) read_timeout: Timeout,
}

impl GlobalArgs {
    /// The request timeouts.
    pub(crate) const fn timeouts(&self) -> Timeouts {
        Timeouts {
            connect: self.connect_timeout.0,
            read: self.read_timeout.0,
        }
    }
}

/// Master keys: what encrypts new objects and what may decrypt existing ones.
#[derive(Debug, Args, Default, Clone)]
pub(crate) struct KeyArgs {
    /// RSA public key (PEM) that wraps new data keys.
    #[arg(long)]
    pub(crate) rsa_public: Option<PathBuf>,
    /// RSA private key (PEM) that unwraps data keys (and wraps, with its public half).
    #[arg(long)]
    pub(crate) rsa_private: Option<PathBuf>,
    /// KMS key id, alias or ARN that wraps new data keys.
    #[arg(long)]
    pub(crate) kms_key_id: Option<String>,
    /// Passphrase of the KMS keys (`--kms-key-id`, `MATDESC@kms:` entries), sent as the KMS
    /// EncryptionContext `{"x-passphrase":"…"}` exactly as oss2's
    /// `AliKMSProvider(passphrase=…)` does: objects written with one need the same to be read.
    /// Prefer the environment: a flag is visible in the process list.
    #[arg(
        long,
        env = "OSSCRYPT_KMS_PASSPHRASE",
        hide_env_values = true,
        value_name = "PASSPHRASE"
    )]
    pub(crate) kms_passphrase: Option<crate::keys::Passphrase>,
    /// KMS EncryptionContext entries of the KMS keys, `KEY=VALUE` (`k=v,k2=v2`) or a JSON
    /// object (repeatable, merged, sent with the passphrase's `x-passphrase` as one object).
    /// KMS binds the data key to it; the object does not record it, so reading needs the same
    /// entries (oss2 and the Go/Java SDKs send no other context).
    #[arg(long = "kms-context", value_name = "KEY=VALUE")]
    pub(crate) kms_context: Vec<String>,
    /// Material description of the master key, `k=v,k2=v2` or a JSON object.
    #[arg(long)]
    pub(crate) matdesc: Option<String>,
    /// Extra key for reading objects by their material description: `MATDESC@PRIVATE.pem` or
    /// `MATDESC@kms:KEY_ID` (repeatable). Split at the last `@`, so the matdesc may contain
    /// `@` (`owner=ops@example.com@ops.pem`) but the key path may not.
    #[arg(long = "matdesc-key", value_name = "MATDESC@KEY")]
    pub(crate) matdesc_keys: Vec<String>,
}

/// Multipart and resumable transfer settings.
#[derive(Debug, Args, Clone)]
pub(crate) struct TransferArgs {
    /// Resume an interrupted transfer from its checkpoint (and keep one while running).
    #[arg(long)]
    pub(crate) resumable: bool,
    /// Parts in flight at once (multipart and resumable transfers).
    #[arg(long, default_value_t = 4)]
    pub(crate) parallel: usize,
    /// Part size, e.g. `8MiB` (multiple of 16, at least 100KiB; default 8MiB, enlarged to
    /// stay within 10000 parts).
    #[arg(long, value_parser = parse_size)]
    pub(crate) part_size: Option<u64>,
    /// Directory for checkpoint files (default: the system temp directory).
    #[arg(long)]
    pub(crate) checkpoint_dir: Option<PathBuf>,
}

/// The subcommands: those that talk to OSS and those that do not.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    // (Plain comments: clap would read doc comments on flattened variants as help text.)
    #[command(flatten)]
    Remote(RemoteCommand),
    #[command(flatten)]
    Local(LocalCommand),
}

/// The commands that talk to OSS, through a connection to the configured endpoint (or the
/// embedded devserver in local mode).
#[derive(Debug, Subcommand)]
pub(crate) enum RemoteCommand {
    /// Encrypt and upload a file (or stdin, `-`).
    Put(PutArgs),
    /// Download and decrypt an object to a file (or stdout, `-`).
    Get(GetArgs),
    /// Show an object's size, ETag and whether it is client-side encrypted.
    Head(HeadArgs),
    /// Show an object's envelope (wrap algorithm, matdesc, sizes) in readable form.
    Inspect(HeadArgs),
    /// Copy an object within OSS, keeping its envelope.
    Cp(CpArgs),
    /// Copy only what is new or changed between a local directory and a prefix (either
    /// way); `--delete` also removes what the source lacks.
    Sync(crate::batch::args::SyncArgs),
    /// Delete objects (`-r`: everything under prefixes).
    Rm(RmArgs),
    /// List objects under a bucket and prefix, one level (`-r`: everything below).
    Ls(LsArgs),
    /// Re-wrap an object's data key under a new master key (the data is not re-encrypted);
    /// `--prefix`: every object under a prefix.
    Rotate(RotateArgs),
    /// Report what is and is not encrypted under a prefix (V2, V1, plaintext, unwrappable,
    /// malformed, no MD5; `--deep` verifies downloads).
    Audit(crate::batch::args::AuditArgs),
    /// Encrypt plaintext objects under a prefix in place, keeping their metadata.
    Migrate(crate::batch::args::MigrateArgs),
    /// Create a bucket.
    Mb(crate::batch::args::MbArgs),
    /// Delete an empty bucket (`--force`: empty it first).
    Rb(crate::batch::args::RbArgs),
    /// Unfinished multipart uploads: `ls` and `abort` (they are billed until then).
    Uploads(crate::batch::args::UploadsArgs),
}

/// The commands that need no endpoint: local files, or a devserver of their own.
#[derive(Debug, Subcommand)]
pub(crate) enum LocalCommand {
    /// Write a new RSA key pair (PEM).
    Keygen(KeygenArgs),
    /// Encrypt a local file offline; the envelope goes to `<out>.meta.json`.
    Encrypt(OfflineArgs),
    /// Decrypt a local file offline using its `.meta.json` envelope.
    Decrypt(OfflineArgs),
    /// Run the OSS + KMS devserver in the foreground.
    Serve(ServeArgs),
    /// End-to-end demonstration against an embedded devserver.
    Demo(DemoArgs),
}

/// `put`.
#[derive(Debug, Args)]
#[command(after_help = PUT_HELP)]
pub(crate) struct PutArgs {
    /// Local file, or `-` for stdin.
    pub(crate) source: PathBuf,
    /// Destination, `oss://bucket/key`.
    #[arg(value_parser = parse_uri)]
    pub(crate) dest: ObjectUri,
    /// Upload an already encrypted file as is, with the envelope from its sidecar JSON.
    #[arg(long)]
    pub(crate) raw_with_meta: bool,
    /// Sidecar file for `--raw-with-meta` (default `<source>.meta.json`).
    #[arg(long, requires = "raw_with_meta")]
    pub(crate) meta: Option<PathBuf>,
    /// Store the MD5 of the plaintext (`unencrypted-content-md5`).
    #[arg(long)]
    pub(crate) md5: bool,
    /// Uploads larger than this go as a parallel multipart upload (`--parallel` parts of
    /// `--part-size` in flight), smaller ones as one PutObject (OSS refuses those over 5GiB).
    #[arg(long, default_value = "64MiB", value_parser = parse_size)]
    pub(crate) multipart_threshold: u64,
    /// Directory of the ciphertext spool of `put -` when stdin is longer than
    /// `--parallel` x `--part-size` (default: the system temp directory).
    #[arg(long)]
    pub(crate) spool_dir: Option<PathBuf>,
    /// Master keys.
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
    /// Transfer settings.
    #[command(flatten)]
    pub(crate) transfer: TransferArgs,
}

const PUT_HELP: &str = "\
A file up to --multipart-threshold (64MiB) is sent as one PutObject, a larger one as a parallel
multipart upload. `put -` reads stdin in memory bounded by --parallel x --part-size (32MiB by
default): stdin that ends within that is one PutObject; longer stdin is encrypted as it is read
into a spool file that holds ciphertext only (mode 0600, in --spool-dir, removed when the
command ends, also on errors and SIGINT/SIGTERM), then uploaded from there. The spool needs
free disk space for the whole input: an encrypted multipart upload must state the data size
when it starts, and a single PutObject is limited to 5GiB.";

/// `get`.
#[derive(Debug, Args)]
pub(crate) struct GetArgs {
    /// Source, `oss://bucket/key`.
    #[arg(value_parser = parse_uri)]
    pub(crate) source: ObjectUri,
    /// Local file, directory, or `-` for stdout (the default). A regular file is replaced
    /// only after the checks (a symbolic link is kept, its target replaced); a device, a FIFO
    /// or `/dev/stdout` is streamed into, like stdout, even with `--resumable`.
    #[arg(default_value = "-")]
    pub(crate) dest: PathBuf,
    /// Only these bytes: `START-END`, `START-` or `-SUFFIX_LEN` (optionally `bytes=`...).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) range: Option<String>,
    /// Fail with exit code 5 instead of returning an object that has no client-side
    /// encryption envelope as stored (without it such objects are returned with a notice).
    #[arg(long)]
    pub(crate) require_encrypted: bool,
    /// Master keys.
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
    /// Transfer settings.
    #[command(flatten)]
    pub(crate) transfer: TransferArgs,
}

/// `head` and `inspect`.
#[derive(Debug, Args)]
pub(crate) struct HeadArgs {
    /// The object, `oss://bucket/key`.
    #[arg(value_parser = parse_uri)]
    pub(crate) object: ObjectUri,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `cp`.
#[derive(Debug, Args)]
#[command(after_help = crate::batch::args::CP_HELP)]
pub(crate) struct CpArgs {
    /// Sources: one `oss://bucket/key` (server-side copy), local files, or with `-r` one
    /// local directory or one `oss://bucket/prefix/`.
    #[arg(required = true, num_args = 1..)]
    pub(crate) sources: Vec<String>,
    /// Destination: `oss://bucket/key`, `oss://bucket/prefix/` or a local directory.
    pub(crate) dest: String,
    /// Copy a directory tree or everything under a prefix.
    #[arg(long, short)]
    pub(crate) recursive: bool,
    /// Store the MD5 of the plaintext of uploads (`unencrypted-content-md5`).
    #[arg(long)]
    pub(crate) md5: bool,
    /// Files moved at once, and the shard of a download.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// Master keys (uploads and downloads; a server-side copy needs none).
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
}

impl CpArgs {
    /// The buckets named by the sources and destination.
    pub(crate) fn buckets(&self) -> Vec<&str> {
        self.sources
            .iter()
            .chain([&self.dest])
            .filter_map(|s| s.strip_prefix("oss://"))
            .map(|rest| rest.split('/').next().unwrap_or(rest))
            .collect()
    }
}

/// `rm`.
#[derive(Debug, Args)]
pub(crate) struct RmArgs {
    /// Objects, `oss://bucket/key` (one or more); with `-r`, prefixes.
    #[arg(required = true, value_parser = parse_uri)]
    pub(crate) objects: Vec<ObjectUri>,
    /// Delete every object whose key starts with each given prefix (`oss://bucket/` for the
    /// whole bucket). No confirmation is asked.
    #[arg(long, short)]
    pub(crate) recursive: bool,
    /// Parallelism and sharding of `-r`.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

/// `ls`.
#[derive(Debug, Args)]
pub(crate) struct LsArgs {
    /// `oss://bucket` or `oss://bucket/prefix`; `oss://` alone lists the buckets (name,
    /// region, creation time).
    #[arg(value_parser = parse_ls_uri)]
    pub(crate) prefix: ObjectUri,
    /// Everything under the prefix, not only its first level (`PRE` lines for the
    /// "directories" of that level); streamed page by page.
    #[arg(long, short)]
    pub(crate) recursive: bool,
    /// Print JSON instead of text (an array of objects, `{"prefix": ...}` for directories).
    #[arg(long)]
    pub(crate) json: bool,
    /// Sizes in exact bytes instead of KiB/MiB/GiB.
    #[arg(long, short)]
    pub(crate) bytes: bool,
    /// Long listing: add the client-side encryption of each object (`v2 rsa`, `v2 kms`,
    /// `v1 rsa`, `plain`). The listing does not carry it, so this costs one HeadObject per
    /// object, `--jobs` at a time.
    #[arg(long, short)]
    pub(crate) long: bool,
    /// HeadObject requests in flight with `-l`.
    #[arg(long, default_value_t = crate::batch::DEFAULT_JOBS, requires = "long", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(crate) jobs: u16,
}

impl LsArgs {
    /// Whether this is `ls oss://`, the bucket listing (its `prefix` names no bucket).
    pub(crate) fn lists_buckets(&self) -> bool {
        self.prefix.bucket.is_empty()
    }
}

/// `oss://` (the service: no bucket) or what [`parse_uri`] accepts.
fn parse_ls_uri(text: &str) -> Result<ObjectUri, String> {
    if text == "oss://" {
        return Ok(ObjectUri {
            bucket: String::new(),
            key: String::new(),
        });
    }
    parse_uri(text)
}

/// `rotate`.
#[derive(Debug, Args)]
#[command(after_help = ROTATE_PREFIX_HELP)]
pub(crate) struct RotateArgs {
    /// The object, `oss://bucket/key`; with `--prefix`, a prefix (`oss://bucket/` for all).
    #[arg(value_parser = parse_uri)]
    pub(crate) object: ObjectUri,
    /// Rotate every object under the prefix (parallel, resumable by running it again).
    #[arg(long)]
    pub(crate) prefix: bool,
    /// JSON-lines journal of `--prefix`: one line per object with its outcome (appended).
    #[arg(long, requires = "prefix", default_value = "osscrypt-rotate.jsonl")]
    pub(crate) journal: PathBuf,
    /// Parallelism and sharding of `--prefix`.
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// Current master keys (to unwrap).
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
    /// New RSA private key (PEM); the rotation checks that the new envelope unwraps with it.
    #[arg(long)]
    pub(crate) new_rsa_private: Option<PathBuf>,
    /// New RSA public key (PEM), checked against --new-rsa-private when both are given.
    /// Alone, it rotates to a key whose private half is offline: the data key unwrapped with
    /// the current key is rewrapped with it, and the rewritten object must carry exactly that
    /// envelope and the unchanged ciphertext (that the private half unwraps it cannot be
    /// checked without it).
    #[arg(long, conflicts_with = "prefix")]
    pub(crate) new_rsa_public: Option<PathBuf>,
    /// New KMS key id.
    #[arg(long, conflicts_with_all = ["new_rsa_private", "new_rsa_public"])]
    pub(crate) new_kms_key_id: Option<String>,
    /// Passphrase (EncryptionContext) of the new KMS key, like --kms-passphrase.
    #[arg(
        long,
        env = "OSSCRYPT_NEW_KMS_PASSPHRASE",
        hide_env_values = true,
        requires = "new_kms_key_id",
        value_name = "PASSPHRASE"
    )]
    pub(crate) new_kms_passphrase: Option<crate::keys::Passphrase>,
    /// EncryptionContext entries of the new KMS key, like --kms-context.
    #[arg(
        long = "new-kms-context",
        requires = "new_kms_key_id",
        value_name = "KEY=VALUE"
    )]
    pub(crate) new_kms_context: Vec<String>,
    /// Material description of the new master key.
    #[arg(long)]
    pub(crate) new_matdesc: Option<String>,
    /// Do not read the rotated object back: neither its envelope nor its ciphertext is
    /// checked after the upload, nor is it checked that the new key unwraps the new envelope
    /// (the copied parts' CRC is still checked before the upload is completed).
    #[arg(long, conflicts_with = "prefix")]
    pub(crate) no_verify: bool,
}

const ROTATE_PREFIX_HELP: &str = "\
With --prefix, every object under the prefix is rotated, --jobs at a time. Objects that the new
key already unwraps are skipped, plaintext objects too, so an interrupted run is resumed by
running the same command again. Each object's outcome (rotated, already_rotated,
not_encrypted, failed) is appended to the --journal as a JSON line (no keys, wrapped or not).
Exit code 1 if any object failed.

Cost: OSS refuses CopyObject changes to the envelope headers, so each object's ciphertext is
downloaded and uploaded again through this process (streamed, never written to local disk,
never decrypted). Egress is the total stored size of the rotated objects: run it inside the
bucket's region (internal endpoint) to avoid internet egress charges.";

/// `keygen`.
#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// Private key output (PKCS#8 PEM, mode 0600).
    #[arg(long, default_value = "osscrypt-private.pem")]
    pub(crate) private: PathBuf,
    /// Public key output (SubjectPublicKeyInfo PEM).
    #[arg(long, default_value = "osscrypt-public.pem")]
    pub(crate) public: PathBuf,
    /// Modulus size in bits (1024 to 4096; use 1024 for tests only).
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u16).range(1024..=4096))]
    pub(crate) bits: u16,
    /// Replace existing files.
    #[arg(long)]
    pub(crate) force: bool,
}

/// `encrypt` and `decrypt`.
#[derive(Debug, Args)]
pub(crate) struct OfflineArgs {
    /// Input file, or `-` for stdin.
    pub(crate) input: PathBuf,
    /// Output file (`-` for stdout is allowed only with `--meta`). For `decrypt`, a device,
    /// a FIFO or `/dev/stdout` is streamed into; a regular file is replaced after the check.
    pub(crate) output: PathBuf,
    /// Sidecar envelope file (default: `<output>.meta.json` for encrypt, `<input>.meta.json`
    /// for decrypt).
    #[arg(long)]
    pub(crate) meta: Option<PathBuf>,
    /// Master keys.
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
}

/// `serve`.
// Parsed but unused in a build without the devserver, which refuses the command.
#[cfg_attr(not(feature = "embedded-devserver"), allow(dead_code))]
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// OSS listen address (loopback; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub(crate) listen: SocketAddr,
    /// KMS listen address.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub(crate) kms_listen: SocketAddr,
    /// Keep objects in memory only (default: the persistent data directory).
    #[arg(long)]
    pub(crate) in_memory: bool,
    /// Allow listen addresses off this machine (well-known credentials, plain HTTP).
    #[arg(long)]
    pub(crate) allow_non_loopback: bool,
    /// Bucket to create at start (repeatable).
    #[arg(long = "bucket")]
    pub(crate) buckets: Vec<String>,
}

/// `demo`.
// Parsed but unused in a build without the devserver, which refuses the command.
#[cfg_attr(not(feature = "embedded-devserver"), allow(dead_code))]
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Size of the generated file, e.g. `256MiB` or `8MiB`.
    #[arg(long, default_value = "256MiB", value_parser = parse_size)]
    pub(crate) size: u64,
    /// Parts in flight at once.
    #[arg(long, default_value_t = 4)]
    pub(crate) parallel: usize,
    /// RSA modulus size of the generated key pairs.
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u16).range(1024..=4096))]
    pub(crate) bits: u16,
}
