//! The encrypted-object vectors (`v1-*.json`, `v2-*.json`): headers, ciphertext file and the
//! values decryption must give.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Crc64Value, Pairs};

/// The object vectors with a ciphertext file, by id (the file is `<id>.json`).
pub const OBJECT_VECTORS: [&str; 4] = [
    "v2-go-rsa",
    "v2-python-rsa",
    "v1-rsa-oaep-1MiB",
    "v1-kms-1MiB",
];

/// One encrypted object (or, for `v2-envelope-header-only`, only its envelope headers).
#[derive(Clone, Debug, Deserialize)]
pub struct ObjectVector {
    /// The vector's id, its file name without `.json`.
    pub id: String,
    /// The envelope headers as stored with the object.
    pub headers: Pairs,
    /// Headers the upstream metadata lacks but the object had (`v2-go-rsa`'s matdesc).
    #[serde(default)]
    pub optional_headers: Pairs,
    /// The ciphertext file in the vectors folder.
    pub ciphertext_file: Option<String>,
    /// Its size in bytes.
    pub ciphertext_size: Option<u64>,
    /// Its CRC-64.
    pub ciphertext_crc64: Option<Crc64Value>,
    /// What decryption must give.
    pub expected: ObjectExpected,
    /// Counter blocks at chosen plaintext offsets.
    #[serde(default)]
    pub seek_checks: Vec<SeekCheck>,
    /// Header changes that must be refused.
    #[serde(default)]
    pub negative_cases: Vec<V2NegativeCase>,
    /// KMS Decrypt answers by `CiphertextBlob` (V1 KMS only; also holds a `comment` entry).
    #[serde(default)]
    pub kms_decrypt_results: BTreeMap<String, String>,
    /// Upstream plaintext values, for tests only.
    pub test_only: Option<TestOnly>,
}

/// The `expected` block of an object vector.
#[derive(Clone, Debug, Deserialize)]
pub struct ObjectExpected {
    /// The data key, hex.
    pub cek_hex: String,
    /// The V2 IV, hex.
    pub iv_hex: Option<String>,
    /// The V1 initial counter block, hex.
    pub initial_counter_hex: Option<String>,
    /// The V1 start value, as the unwrapped header text.
    pub start_plaintext: Option<String>,
    /// The V1 start value.
    pub start_int: Option<u64>,
    /// Length of the wrapped key, bytes.
    pub wrapped_key_bytes: Option<usize>,
    /// Length of the wrapped IV, bytes.
    pub wrapped_iv_bytes: Option<usize>,
    /// The plaintext file in the vectors folder.
    pub plaintext_file: Option<String>,
    /// The plaintext when it is one byte repeated (V1 vectors).
    pub plaintext: Option<RepeatedPlaintext>,
    /// The plaintext's SHA-256, hex.
    pub plaintext_sha256: Option<String>,
    /// The plaintext's CRC-64.
    pub plaintext_crc64: Option<Crc64Value>,
    /// The material description as a map.
    pub matdesc_parsed: Option<BTreeMap<String, String>>,
    /// The plaintext length header (null: absent).
    pub unencrypted_content_length: Option<u64>,
}

/// A plaintext made of one byte repeated.
#[derive(Clone, Debug, Deserialize)]
pub struct RepeatedPlaintext {
    /// The byte, hex.
    pub repeated_byte_hex: String,
    /// How many times.
    pub length: usize,
}

impl RepeatedPlaintext {
    /// The plaintext bytes.
    ///
    /// # Panics
    ///
    /// Panics when the byte is not one hex byte.
    pub fn bytes(&self) -> Vec<u8> {
        let byte = crate::unhex(&self.repeated_byte_hex);
        assert_eq!(byte.len(), 1, "repeated_byte_hex is one byte");
        vec![byte[0]; self.length]
    }
}

/// The counter block at a plaintext offset.
#[derive(Clone, Debug, Deserialize)]
pub struct SeekCheck {
    /// Plaintext offset.
    pub offset: u64,
    /// Offset rounded down to the block.
    pub aligned_offset: u64,
    /// Bytes of keystream to discard.
    pub discard: u64,
    /// Block index from the IV.
    pub block_index: u64,
    /// The counter block, hex.
    pub counter_hex: String,
}

/// A header change that must make the envelope fail.
#[derive(Clone, Debug, Deserialize)]
pub struct V2NegativeCase {
    /// Headers replaced.
    pub change: Pairs,
    /// What the failure is, in words.
    pub expect: String,
}

/// `test_only` block of `v1-kms-1MiB`: the plaintext KMS answers.
#[derive(Clone, Debug, Deserialize)]
pub struct TestOnly {
    /// The data key as KMS returns it, base64.
    #[serde(rename = "base64-plain-key")]
    pub base64_plain_key: String,
    /// The V1 start value as KMS returns it.
    #[serde(rename = "plain-start")]
    pub plain_start: String,
}
