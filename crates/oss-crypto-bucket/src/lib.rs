//! Client-side encrypted OSS objects: the CryptoBucket that apps use.
// TODO(bucket): remove once the facade uses every helper (work in progress).
#![allow(dead_code)]

mod checkpoint;
mod context;
mod error;
mod options;
mod progress;

pub use context::{MultipartContext, WrappedEnvelope};
pub use error::{CheckpointError, Error, IntegrityError, Result};
pub use options::{
    CryptoOptions, DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, KmsWriteFlavour, MAX_PARTS,
    MIN_PART_SIZE,
};
pub use progress::{Progress, ProgressFn};
