//! Envelope header names (lower case, as OSS returns user metadata).
//!
//! Readers match them ASCII-case-insensitively.

/// V2: base64 of the wrapped data key.
pub const KEY: &str = "x-oss-meta-client-side-encryption-key";
/// V2: base64 of the wrapped IV.
pub const START: &str = "x-oss-meta-client-side-encryption-start";
/// V2: content cipher, always `AES/CTR/NoPadding`.
pub const CEK_ALG: &str = "x-oss-meta-client-side-encryption-cek-alg";
/// V2: key-wrapping algorithm.
pub const WRAP_ALG: &str = "x-oss-meta-client-side-encryption-wrap-alg";
/// V2: material description (JSON object of strings), only when non-empty.
pub const MATDESC: &str = "x-oss-meta-client-side-encryption-matdesc";
/// V2: plaintext length, decimal.
pub const UNENCRYPTED_CONTENT_LENGTH: &str =
    "x-oss-meta-client-side-encryption-unencrypted-content-length";
/// V2: base64 of the MD5 of the whole plaintext.
pub const UNENCRYPTED_CONTENT_MD5: &str =
    "x-oss-meta-client-side-encryption-unencrypted-content-md5";
/// V2 multipart: total plaintext size, decimal.
pub const DATA_SIZE: &str = "x-oss-meta-client-side-encryption-data-size";
/// V2 multipart: part size, decimal, multiple of 16.
pub const PART_SIZE: &str = "x-oss-meta-client-side-encryption-part-size";
/// Never written by any SDK; readers ignore it (spec §2).
pub const MAGIC_NUMBER_HMAC: &str = "x-oss-meta-client-side-encryption-magic-number-hmac";

/// V1 (legacy): wrapped data key; its presence marks a V1 object.
pub const V1_KEY: &str = "x-oss-meta-oss-crypto-key";
/// V1 (legacy): wrapped decimal start value.
pub const V1_START: &str = "x-oss-meta-oss-crypto-start";
/// V1 (legacy): content cipher label (`AES/GCM/NoPadding`, a mislabel for CTR).
pub const V1_CEK_ALG: &str = "x-oss-meta-oss-cek-alg";
/// V1 (legacy): `rsa` or `kms`.
pub const V1_WRAP_ALG: &str = "x-oss-meta-oss-wrap-alg";
/// V1 (legacy): material description.
pub const V1_MATDESC: &str = "x-oss-meta-oss-crypto-matdesc";
/// V1 (legacy): plaintext length.
pub const V1_UNENCRYPTED_CONTENT_LENGTH: &str = "x-oss-meta-unencrypted-content-length";
/// V1 (legacy): base64 MD5 of the plaintext.
pub const V1_UNENCRYPTED_CONTENT_MD5: &str = "x-oss-meta-unencrypted-content-md5";

/// The V2 headers whose presence marks an object as V2 (spec §2.1).
pub const V2_MARKERS: [&str; 4] = [KEY, START, CEK_ALG, WRAP_ALG];

/// Every header name a V2 envelope may carry, in the order [`Envelope::to_headers`] writes
/// them. Copying an encrypted object with metadata `REPLACE` must carry all present ones over.
///
/// [`Envelope::to_headers`]: crate::Envelope::to_headers
pub const V2_ALL: [&str; 9] = [
    KEY,
    START,
    CEK_ALG,
    WRAP_ALG,
    MATDESC,
    UNENCRYPTED_CONTENT_LENGTH,
    UNENCRYPTED_CONTENT_MD5,
    DATA_SIZE,
    PART_SIZE,
];

/// Whether `name` is one of the V2 or V1 envelope headers (case-insensitively).
#[must_use]
pub fn is_envelope_header(name: &str) -> bool {
    V2_ALL
        .iter()
        .chain(&V1_ALL)
        .any(|known| known.eq_ignore_ascii_case(name))
}

/// Every header name a V1 envelope may carry.
pub const V1_ALL: [&str; 7] = [
    V1_KEY,
    V1_START,
    V1_CEK_ALG,
    V1_WRAP_ALG,
    V1_MATDESC,
    V1_UNENCRYPTED_CONTENT_LENGTH,
    V1_UNENCRYPTED_CONTENT_MD5,
];
