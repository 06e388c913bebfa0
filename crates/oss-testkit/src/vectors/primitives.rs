//! The vectors of single primitives: AES-256-CTR, CRC-64, the KMS header flavours and the
//! multipart ETag.

use serde::Deserialize;

/// A CRC-64 as the vectors write it: decimal and hex text of the same value.
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64Value {
    /// Decimal text.
    pub dec: String,
    /// `0x`-prefixed upper-case hex text.
    pub hex: String,
}

impl Crc64Value {
    /// The value, checked to agree with its hex spelling.
    ///
    /// # Panics
    ///
    /// Panics when the texts are not numbers or disagree.
    pub fn value(&self) -> u64 {
        let dec: u64 = self
            .dec
            .parse()
            .unwrap_or_else(|e| panic!("{:?}: {e}", self.dec));
        let digits = self.hex.trim_start_matches("0x");
        let hex = u64::from_str_radix(digits, 16).unwrap_or_else(|e| panic!("{:?}: {e}", self.hex));
        assert_eq!(dec, hex, "crc64 dec and hex disagree");
        dec
    }
}

/// `aes256ctr.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Aes256CtrVectors {
    /// Key, IV, plaintext and ciphertext.
    pub known_answers: Vec<KnownAnswer>,
    /// The counter block after adding a number of blocks to an IV.
    pub counter_arithmetic: Vec<CounterCase>,
    /// The Java SDK's own counter test case.
    pub java_upstream_case: JavaCounterCase,
}

/// An AES-256-CTR known answer.
#[derive(Clone, Debug, Deserialize)]
pub struct KnownAnswer {
    /// Case id.
    pub id: String,
    /// Key, hex.
    pub key_hex: String,
    /// IV, hex.
    pub iv_hex: String,
    /// Plaintext, hex.
    pub plaintext_hex: String,
    /// Ciphertext, hex.
    pub ciphertext_hex: String,
    /// For the counter-carry case: the IV plus one block, hex.
    pub iv_plus_1_hex: Option<String>,
}

/// An IV advanced by a number of blocks.
#[derive(Clone, Debug, Deserialize)]
pub struct CounterCase {
    /// The IV, hex.
    pub iv_hex: String,
    /// Blocks added.
    pub add_blocks: u64,
    /// The result with 128-bit carry (what every SDK does), hex.
    pub full_128bit_hex: String,
}

/// The Java SDK's counter case: bytes 12..15 of the IV are the start.
#[derive(Clone, Debug, Deserialize)]
pub struct JavaCounterCase {
    /// The IV, hex.
    pub iv_hex: String,
    /// What is added, hex.
    pub delta_hex: String,
    /// The result, hex.
    pub expected_hex: String,
}

/// `crc64.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64Vectors {
    /// CRCs of ASCII strings.
    pub check_values: Vec<Crc64Check>,
    /// CRCs of files of the vectors folder (or described inputs).
    pub files: Vec<Crc64File>,
    /// `combine(crc1, crc2, len2)` cases.
    pub combine: Vec<Crc64Combine>,
    /// A file's part CRCs folded into the whole-file CRC.
    pub multipart_fold: Crc64MultipartFold,
}

/// The CRC of an ASCII string.
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64Check {
    /// The input.
    pub input_ascii: String,
    /// Its CRC.
    pub crc64: Crc64Value,
}

/// The CRC of a file; `file` is absent for inputs only described in words.
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64File {
    /// File name in the vectors folder.
    pub file: Option<String>,
    /// Its size.
    pub size: u64,
    /// Its CRC.
    pub crc64: Crc64Value,
    /// What the input is when it is not a file.
    pub description: Option<String>,
}

/// One CRC combination.
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64Combine {
    /// What the case shows.
    pub comment: String,
    /// First CRC.
    pub crc1: Crc64Value,
    /// Second CRC.
    pub crc2: Crc64Value,
    /// Length of the second input.
    pub len2: u64,
    /// The CRC of both inputs.
    pub combined: Crc64Value,
}

/// Part CRCs of a file.
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64MultipartFold {
    /// File name in the vectors folder.
    pub file: String,
    /// Part size.
    pub part_size: u64,
    /// The parts.
    pub parts: Vec<Crc64Part>,
    /// The whole-file CRC.
    pub combined: Crc64Value,
}

/// One part of [`Crc64MultipartFold`].
#[derive(Clone, Debug, Deserialize)]
pub struct Crc64Part {
    /// 1-based part number.
    pub part_number: u32,
    /// Part size.
    pub size: u64,
    /// Part CRC.
    pub crc64: Crc64Value,
}

/// `kms-envelope.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct KmsEnvelopeVectors {
    /// One blob in both header flavours.
    pub cases: Vec<KmsEnvelopeCase>,
}

/// A KMS blob and its two header spellings.
#[derive(Clone, Debug, Deserialize)]
pub struct KmsEnvelopeCase {
    /// The `CiphertextBlob`.
    pub ciphertext_blob: String,
    /// The Go/Java header (the blob itself).
    pub go_java_flavour_header: String,
    /// What reading the Go/Java header must give.
    pub go_java_expected: KmsFlavourExpected,
    /// The oss2 header (base64 of the blob).
    pub oss2_flavour_header: String,
    /// What reading the oss2 header must give.
    pub oss2_expected: KmsFlavourExpected,
}

/// The detected flavour and the blob to send.
#[derive(Clone, Debug, Deserialize)]
pub struct KmsFlavourExpected {
    /// `oss2` or `go-java`.
    pub detected: String,
    /// The `CiphertextBlob` to send to KMS Decrypt.
    pub ciphertext_blob_to_send: String,
}

/// `multipart-etag.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct MultipartEtagVectors {
    /// The cases.
    pub cases: Vec<MultipartEtagCase>,
}

/// A multipart ETag: from part MD5s, or from a file and its part sizes.
#[derive(Clone, Debug, Deserialize)]
pub struct MultipartEtagCase {
    /// Case id.
    pub id: String,
    /// The parts' MD5s, hex (absent for file cases).
    #[serde(default)]
    pub part_md5_hex: Vec<String>,
    /// File name in the vectors folder.
    pub file: Option<String>,
    /// Part size of a file case.
    pub part_size: Option<u64>,
    /// Part sizes of a file case.
    #[serde(default)]
    pub part_sizes: Vec<u64>,
    /// The ETag, with its quotes.
    pub expected_etag: String,
}
