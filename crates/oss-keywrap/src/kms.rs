//! Alibaba Cloud KMS master keys.

mod error;

pub use error::KmsError;
