//! Client-side encrypted OSS objects: the CryptoBucket that apps use.
// TODO(bucket): remove once the facade uses every helper (work in progress).
#![allow(dead_code)]

mod checkpoint;
mod context;
mod crc;
mod error;
mod options;
mod progress;
mod stream;

pub use context::{MultipartContext, WrappedEnvelope};
pub use error::{CheckpointError, Error, IntegrityError, Result};
pub use options::{CryptoOptions, DEFAULT_CONCURRENCY, KmsWriteFlavour};
pub use progress::{Progress, ProgressFn};
pub use stream::ByteStream;
