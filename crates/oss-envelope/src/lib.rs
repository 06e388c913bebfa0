//! No-std AES-256-CTR content cipher and envelope metadata codec for Alibaba Cloud OSS
//! client-side encryption, byte-compatible with the official SDKs.
//!
//! An encrypted OSS object is the AES-256-CTR encryption of its plaintext under a random
//! 32-byte data key and a 16-byte IV; both are wrapped by a master key and stored in
//! `x-oss-meta-client-side-encryption-*` headers (the *envelope*). This crate is the sans-I/O
//! core of that scheme:
//!
//! * [`ContentCipher`]: the keystream, startable at any byte offset and chunking-independent;
//! * [`ContentMaterial`], [`DataKey`], [`Iv`]: key material, generated or unwrapped;
//! * [`Envelope`], [`LegacyEnvelope`] (their shared [`EnvelopeFields`]), [`classify`]: the
//!   header codec (feature `alloc`);
//! * [`ByteRange`], [`RangePlan`], [`ContentRange`]: ranged reads;
//! * [`MultipartPlan`]: multipart layouts.
//!
//! Key wrapping (RSA, KMS) and HTTP are other crates' business.
//!
//! Use this crate if you need the OSS client-side-encryption format without I/O: to encrypt or
//! decrypt bodies yourself, to parse or write envelope headers, or on `no_std` targets. To
//! talk to OSS, use `oss-crypto-bucket`, which builds on it.
//!
//! # Example
//!
//! ```
//! use oss_envelope::{ContentCipher, ContentMaterial, DataKey, Iv};
//!
//! let material = ContentMaterial::new(
//!     DataKey::from_bytes([7; 32]),
//!     Iv::from_bytes([
//!         0x56, 0x49, 0xca, 0x0d, 0x16, 0x94, 0x6d, 0x81, 0, 0, 0, 0, 0xe6, 0x49, 0xd1, 0x94,
//!     ]),
//! );
//! let plaintext = b"client-side encrypted object body".to_vec();
//!
//! // Encrypt the whole object.
//! let mut body = plaintext.clone();
//! ContentCipher::new(&material).apply_keystream(&mut body);
//! assert_ne!(body, plaintext);
//!
//! // Decrypt it whole: the same keystream from offset 0, in any chunking.
//! let mut whole = body.clone();
//! let (a, b) = whole.split_at_mut(7);
//! let mut cipher = ContentCipher::new(&material);
//! cipher.apply_keystream(a);
//! cipher.apply_keystream(b);
//! assert_eq!(whole, plaintext);
//!
//! // Decrypt only bytes 5.. by starting the keystream at offset 5.
//! let mut tail = body[5..].to_vec();
//! ContentCipher::at_offset(&material, 5).apply_keystream(&mut tail);
//! assert_eq!(tail, plaintext[5..]);
//! ```
//!
//! # ⚠️ Security
//!
//! AES-CTR is **unauthenticated**: flipping a ciphertext bit flips the same plaintext bit and
//! nothing in the cipher notices. The OSS format has no authentication tag; integrity comes
//! from outside this crate: the CRC-64 of the ciphertext that OSS reports (checked on every
//! full read and upload) and, when present, the MD5 of the plaintext in
//! `unencrypted-content-md5`. Neither is a MAC: they detect corruption, not a deliberate
//! modification by someone who can rewrite the object. Nothing binds the envelope to the
//! object name.
//!
//! The legacy V1 format is parsed only through the separate [`LegacyEnvelope::from_headers`]
//! entry point, so that reading it is an explicit opt-in of the caller.
//!
//! Data keys, IVs and cipher states are zeroized on drop and print as `{ .. }`.
//!
//! # Crate features
//!
//! * `std` (default): [`ContentMaterial::generate_os`] (OS randomness); implies `alloc`.
//! * `alloc`: the envelope codec ([`Envelope`], [`LegacyEnvelope`], [`Matdesc`], base64).
//! * `aws-lc`: compute the keystream with AWS-LC's assembly AES-256-CTR instead of RustCrypto
//!   `aes` (whose parallel blocks, VAES where the CPU has it, encrypt batches of counter
//!   blocks). Same API, same bytes (the whole test suite runs on both, and a property test
//!   compares the two); implies `std` and needs a C toolchain. RustCrypto stays the `no_std`
//!   default.
//!
//! Without features the crate is `no_std` without an allocator and offers the cipher, key
//! material, header classification, range and multipart planning.
//!
//! # Speed of the RustCrypto cipher
//!
//! Build this crate as one codegen unit in your release profile:
//!
//! ```toml
//! [profile.release.package.oss-envelope]
//! codegen-units = 1
//! ```
//!
//! On a CPU with VAES and AVX-512, `aes` 0.9 encrypts 64 counter blocks per call but loads
//! them through a helper (`hybrid_array`'s `try_from_fn`) that is not `#[inline]`. Split over
//! the default 16 codegen units it is compiled apart from the AES code, without AVX, and called
//! for every 1 KiB. On the benchmark machine (AMD EPYC, AVX-512 and VAES) the keystream then
//! runs at about 0.75x `openssl speed -evp aes-256-ctr`; in one codegen unit it runs at about
//! 1.4x, faster than the `aws-lc` backend (AES-NI). This workspace sets it for its own builds.

#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The crate docs link to items of the `alloc` and `std` features.
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "alloc")]
extern crate alloc;

mod cipher;
mod classify;
#[cfg(feature = "alloc")]
mod envelope;
mod error;
mod material;
mod multipart;
mod range;

#[doc(hidden)]
pub mod __fuzz;
pub mod header;

// The public interface.
pub use crate::cipher::ContentCipher;
pub use crate::classify::{Classification, HeaderPair, classify};
#[cfg(feature = "alloc")]
pub use crate::envelope::{
    CekAlg, Envelope, EnvelopeFields, KmsFlavour, LegacyEnvelope, Matdesc, WrapAlg, WrappedValue,
};
pub use crate::error::{
    Error, HeaderError, HeaderErrorKind, KeyMaterialError, LengthMismatch, MatdescError,
    MatdescErrorKind,
};
pub use crate::material::{ContentMaterial, DATA_KEY_LEN, DataKey, IV_LEN, Iv};
pub use crate::multipart::{
    DEFAULT_PART_SIZE, MAX_DATA_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, MultipartError,
    MultipartPlan, PartLayout, default_part_size,
};
pub use crate::range::{ByteRange, ContentRange, RangeError, RangeField, RangePlan, RangeWindow};

/// Longest envelope header value the codec accepts, in bytes.
///
/// Real values are a few hundred bytes (an RSA-4096 wrap is 684 base64 characters); the cap
/// bounds the work and memory an untrusted response can cause.
pub const MAX_HEADER_VALUE_LEN: usize = 8 * 1024;
