//! Client-side encrypted OSS objects: the CryptoBucket that apps use.
// TODO(bucket): remove once the facade uses every helper (work in progress).
#![allow(dead_code)]

mod bucket;
mod checkpoint;
mod context;
mod copy;
mod crc;
mod error;
mod get;
mod multipart;
mod options;
mod progress;
mod put;
mod resumable;
mod rotate;
mod stream;

pub use bucket::{CryptoBucket, ObjectEnvelope};
pub use context::{MultipartContext, WrappedEnvelope};
pub use copy::{CopyOptions, CopyOutput};
pub use error::{CheckpointError, Error, IntegrityError, Result};
pub use get::{GetObjectOutput, GetOptions, HeadObjectOutput};
pub use multipart::{CompleteOutput, UploadedPart};
pub use options::{CryptoOptions, DEFAULT_CONCURRENCY};
pub use progress::{Progress, ProgressFn};
pub use put::{PlainStream, PutObjectOutput, PutOptions, PutSource};
pub use resumable::{DownloadOutput, ResumableOptions, UploadOutput};
pub use rotate::RotateOutput;
pub use stream::ByteStream;

pub use oss_client;
pub use oss_envelope;
pub use oss_envelope::ByteRange;
pub use oss_keywrap;
