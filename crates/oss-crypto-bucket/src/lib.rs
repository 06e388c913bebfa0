//! Client-side encryption for Alibaba Cloud OSS: the [`CryptoBucket`] that apps use,
//! byte-compatible with the official SDKs (oss2's `CryptoBucket` is the reference) and
//! following the project decisions of `shared/spec/envelope-format.md` §13.
//!
//! A [`CryptoBucket`] is an [`oss_client::Client`] plus an [`oss_keywrap::Keyring`] plus
//! [`CryptoOptions`]. Every object written gets a fresh AES-256-CTR data key and IV, wrapped by
//! the keyring's default master key (RSA or KMS) into the V2 envelope headers; reads choose the
//! master key by the object's material description.
//!
//! * **Objects**: [`CryptoBucket::put_object`] from bytes, a stream or a file
//!   ([`PutSource`]); [`CryptoBucket::get_object`] whole or ranged (`a-b`, `a-`, `-N`) as a
//!   stream; [`CryptoBucket::get_object_to_file`] through a temp file renamed after the checks;
//!   [`CryptoBucket::head_object`]. Objects without an envelope are returned as stored
//!   ([`ObjectEnvelope::Plain`]).
//! * **Multipart**: [`CryptoBucket::initiate_multipart_upload`] returns a serializable
//!   [`MultipartContext`] (wrapped material only); [`CryptoBucket::upload_part`] encrypts at the
//!   part's counter and enforces exact lengths; complete, abort, list parts, and
//!   [`CryptoBucket::resume_multipart_upload`] from ListParts' `ClientEncryption*` values.
//! * **Uploads of any size**: [`CryptoBucket::upload_file`] switches from one PutObject to a
//!   parallel multipart upload above [`UploadOptions::multipart_threshold`] (64 MiB by
//!   default); [`CryptoBucket::upload_stream`] uploads a stream of unknown length (stdin) in
//!   memory bounded by concurrency × part size, through a ciphertext-only spool file (mode
//!   0600, removed afterwards) when it is longer than that (see the `upload` module).
//! * **Resumable transfers**: [`CryptoBucket::resumable_upload`] and
//!   [`CryptoBucket::resumable_download`], parallel and checkpointed.
//! * **Copy and rotation**: [`CryptoBucket::copy_object`] keeps the envelope;
//!   [`CryptoBucket::rotate_master_key`] rewraps without re-encrypting.
//! * **Batch work** over a prefix ([`batch`]): a listing streamed page by page, a stable split
//!   into shards, [`batch::rotate_prefix`], a resumable parallel rotation, and
//!   [`batch::audit_prefix`], a report of what is and is not encrypted, and
//!   [`batch::migrate_prefix`], which encrypts plaintext objects in place.
//! * **Errors** are typed for branching: [`Error::InvalidInput`] with an [`InputError`] (part
//!   size or length, file range, Content-MD5, headers), [`Error::Refused`] with a [`Refusal`]
//!   (operations that would break an envelope, an object without one to rotate, a key outside
//!   the download directory), [`Error::UnexpectedResponse`] with a [`ResponseError`] (a
//!   missing header, a wrong status), [`Error::SourceChanged`], [`Error::NotAFile`],
//!   [`Error::Integrity`], [`Error::Client`] (whose [`oss_client::Error`] tells a refused
//!   AccessKey from a denied request), [`Error::KeyWrap`].
//!
//! Use this crate if your application stores objects in OSS that must be encrypted before they
//! leave the process, and must stay readable by (and able to read objects of) the official
//! SDKs' client-side encryption. For unencrypted objects use [`oss_client`] directly; for the
//! format without I/O, [`oss_envelope`].
//!
//! # Example
//!
//! A round trip against the local `oss-devserver` (real HTTP on 127.0.0.1, signature checks)
//! with a freshly generated RSA master key:
//!
//! ```
//! use oss_crypto_bucket::oss_client::{Client, Credentials, GetOptions as RawGet};
//! use oss_crypto_bucket::oss_keywrap::Keyring;
//! use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
//! use oss_crypto_bucket::{CryptoBucket, CryptoOptions, GetOptions, PutOptions};
//! use oss_devserver::{DevServer, DevServerConfig};
//!
//! # fn rsa_key() -> RsaPrivateKey {
//! #     let key = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 2048).expect("keygen");
//! #     RsaPrivateKey::from_rsa(key).expect("supported size")
//! # }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = DevServer::start(DevServerConfig::default().with_buckets(["demo"])).await?;
//! let dev = server.credentials();
//! let client = Client::builder()
//!     .with_endpoint(server.oss_url())
//!     .with_region(server.region())
//!     .with_bucket("demo")
//!     .with_credentials(Credentials::new(dev.access_key_id(), dev.access_key_secret()))
//!     .build()?;
//! let options = CryptoOptions::default().with_compute_md5(true);
//! let keyring = Keyring::new(RsaMasterKey::new(rsa_key()));
//! let bucket = CryptoBucket::with_options(client.clone(), keyring, options)?;
//!
//! let plaintext = b"a secret report, encrypted before upload".to_vec();
//! bucket.put_object("report.txt", plaintext.clone().into(), &PutOptions::default()).await?;
//! let read = bucket.get_object("report.txt", &GetOptions::default()).await?;
//! assert!(read.is_encrypted());
//! assert_eq!(read.bytes().await?, plaintext);
//! let range = GetOptions::default().with_range_text("2-7")?;
//! assert_eq!(&bucket.get_object("report.txt", &range).await?.bytes().await?[..], b"secret");
//!
//! // What OSS stores: ciphertext of the same length, plus the envelope headers.
//! let (meta, stored) = client.get_object_bytes("report.txt", &RawGet::default()).await?;
//! assert_eq!(stored.len(), plaintext.len());
//! assert_ne!(&stored[..], &plaintext[..]);
//! assert!(meta.header("x-oss-meta-client-side-encryption-key").is_some());
//!
//! // Another master key cannot read it.
//! let stranger = CryptoBucket::new(client, Keyring::new(RsaMasterKey::new(rsa_key())));
//! assert!(stranger.get_object("report.txt", &GetOptions::default()).await.is_err());
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! With Alibaba Cloud and a PEM key file:
//!
//! ```no_run
//! # async fn demo() -> oss_crypto_bucket::Result<()> {
//! use oss_crypto_bucket::oss_client::{Client, Credentials};
//! use oss_crypto_bucket::oss_keywrap::Keyring;
//! use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
//! use oss_crypto_bucket::{CryptoBucket, CryptoOptions, GetOptions, PutOptions};
//!
//! let client = Client::builder()
//!     .with_endpoint("http://127.0.0.1:9000")
//!     .with_region("cn-hangzhou")
//!     .with_bucket("demo")
//!     .with_credentials(Credentials::new("id", "secret"))
//!     .build()?;
//! let pem = std::fs::read_to_string("private.pem")?;
//! let key = RsaPrivateKey::from_pem(&pem).map_err(oss_crypto_bucket::oss_keywrap::Error::from)?;
//! let keyring = Keyring::new(RsaMasterKey::new(key));
//! let bucket = CryptoBucket::with_options(client, keyring, CryptoOptions::default())?;
//! bucket.put_object("a.txt", b"hello".to_vec().into(), &PutOptions::default()).await?;
//! let range = GetOptions::default().with_range_text("1-3")?;
//! let part = bucket.get_object("a.txt", &range).await?.bytes().await?;
//! assert_eq!(&part[..], b"ell");
//! # Ok(())
//! # }
//! ```
//!
//! # ⚠️ Security
//!
//! * AES-CTR is **unauthenticated**. Integrity comes from the CRC-64 of the ciphertext
//!   (checked on every upload and part, every full read, and combined over the parts of a
//!   resumable download) and from `unencrypted-content-md5` when present (checked on full
//!   reads; written when the caller passes [`PutOptions::with_content_md5`] or turns on
//!   [`CryptoOptions::with_compute_md5`], off by default). Both detect corruption, not a
//!   deliberate rewrite by someone who can write to the bucket; nothing binds the envelope to
//!   the object name.
//! * **What cannot be detected.** A byte flipped in transit under a *recomputed* CRC-64
//!   header, on an object without `unencrypted-content-md5`, decrypts to plaintext with that
//!   byte flipped and nothing can notice it: CTR has no tag. Ranged reads carry no CRC of
//!   their own, so a corrupted range is not detected either. Turn on
//!   [`CryptoOptions::with_compute_md5`] when whole reads must catch this. The
//!   hostile-server tests (`tests/it/hostile.rs`) assert both cases as undetectable.
//! * **One envelope per read.** A read planned from a HEAD (resumable download, its single-GET
//!   case, rotation and copy sources) or from a checkpoint pins that response's envelope
//!   headers and ETag: every GET is sent with `If-Match` and its own envelope headers and ETag
//!   must be the same, or the read stops with [`IntegrityError::Envelope`] (naming envelope
//!   present vs absent, another wrapped key, another data size, or the header that differs)
//!   or [`IntegrityError::ETag`] before any of its bytes is decrypted, written or uploaded. A
//!   proxy that strips `x-oss-meta-*` from one kind of answer, or a server that ignores
//!   `If-Match`, therefore cannot make a download write ciphertext as plaintext. A resumable
//!   download's checkpoint records the envelope; one made under another envelope is discarded
//!   (reported in [`DownloadOutput::discarded_checkpoint`]) only after a GET confirmed the
//!   HEAD, so a lying HEAD cannot make it lose its parts.
//! * **Plain objects are flagged.** A single GET takes the envelope from its own response, and
//!   an object without one is returned as stored with [`ObjectEnvelope::Plain`] (check
//!   [`GetObjectOutput::is_encrypted`]); [`CryptoOptions::with_require_encrypted`] makes that
//!   an [`IntegrityError::NotEncrypted`] error instead. [`CryptoBucket::envelope_of`] is the
//!   same classification for headers fetched elsewhere (audits, migrations).
//! * A read stream never hands out its last chunk before its checks passed: a clean end of
//!   stream means a verified read. Files are written to a temp file and renamed only after the
//!   checks, so a good file is never replaced by a bad one; temp files are created with mode
//!   0600 ([`create_private_file`]), so plaintext is never readable by others. Only regular
//!   files (and new paths) take that route: a device node, a FIFO or `/dev/stdout` is
//!   streamed into, never replaced ([`Destination`]).
//! * Ranged reads take the keystream position from the server's `Content-Range` and refuse
//!   any answer that does not match the request (a 200 for a range, a wrong start or end):
//!   bytes are never decrypted at a guessed offset.
//! * Only the V2 format is ever written. Objects in the deprecated V1 format (oss2 2.10 and
//!   earlier: OAEP-wrapped key, a small counter start instead of a random IV, a mislabelled
//!   `AES/GCM` algorithm for what is CTR without a tag) are read only after an explicit
//!   [`CryptoOptions::with_legacy_v1`]; otherwise reading one is an error that says how to
//!   enable it. An incomplete or malformed envelope is an error, never a reason to return
//!   ciphertext as plaintext.
//! * Data keys live only in memory (zeroized on drop); multipart contexts and checkpoint files
//!   hold wrapped material only. `Debug` output never shows keys or credentials.
//! * The KMS write flavour is chosen on the KMS master key
//!   (`oss_keywrap::kms::KmsMasterKey::with_write_flavour`).
//!
//! # Crate features
//!
//! * `aws-lc` (default): AES-256-CTR from AWS-LC's assembly (through `oss-envelope/aws-lc`),
//!   for throughput; AWS-LC is already built for rustls. Disable default features to use the
//!   pure-Rust RustCrypto cipher instead. Both produce the same bytes.
//! * `kms` (default): KMS master keys in the re-exported [`oss_keywrap`] (its `kms` feature).
//!   The bucket itself speaks HTTP through `oss-client` either way.

#![forbid(unsafe_code)]

pub mod batch;
mod bucket;
mod checkpoint;
mod context;
mod copy;
mod destination;
mod error;
mod get;
mod multipart;
mod options;
mod pin;
mod private_file;
mod progress;
mod put;
mod resumable;
mod rotate;
mod stream;
mod upload;

pub use bucket::{CryptoBucket, ObjectEnvelope};
pub use context::{MultipartContext, WrappedEnvelope};
pub use copy::{CopyOptions, CopyOutput};
pub use destination::{Destination, destination, open_stream};
pub use error::{
    CheckpointError, EnvelopeMismatch, Error, InputError, IntegrityError, ReadKind, Refusal,
    ResponseError, Result,
};
pub use get::{GetObjectOutput, GetOptions, HeadObjectOutput};
pub use multipart::{CompleteOutput, UploadedPart};
pub use options::{CryptoOptions, DEFAULT_CONCURRENCY};
pub use private_file::create_private_file;
pub use progress::{Progress, ProgressFn};
pub use put::{PlainStream, PutObjectOutput, PutOptions, PutSource};
pub use resumable::{DownloadOutput, ResumableOptions, UploadOutput};
pub use rotate::{RotateOptions, RotateOutput, RotationCheck};
pub use stream::ByteStream;
pub use upload::{DEFAULT_MULTIPART_THRESHOLD, UploadOptions, UploadSummary};

pub use oss_client;
pub use oss_envelope;
pub use oss_envelope::ByteRange;
pub use oss_keywrap;
