//! Alibaba Cloud RPC (POP) signatures used by KMS: V1 HMAC-SHA1 (kms-api.md §4) and V3
//! `ACS3-HMAC-SHA256` (§5). Both use [`percent_encode`] (§3).

pub mod v1;
pub mod v3;

pub use crate::encode::{form_decode, percent_encode};
