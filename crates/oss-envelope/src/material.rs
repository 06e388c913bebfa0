//! Content key material: the 32-byte data key (CEK), the 16-byte IV, and their generation.
//!
//! Both are secrets (the IV is wrapped by the master key like the CEK): they are zeroized on
//! drop and their `Debug` output never shows the bytes.

use core::fmt;

use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::KeyMaterialError;

/// Length of a data key in bytes (AES-256).
pub const DATA_KEY_LEN: usize = 32;
/// Length of an IV (initial counter block) in bytes.
pub const IV_LEN: usize = 16;

/// The 32-byte AES-256 content encryption key (CEK) of one object.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; DATA_KEY_LEN]);

impl DataKey {
    /// Wraps 32 key bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; DATA_KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Copies a key from a slice, for example the output of an unwrap.
    ///
    /// # Errors
    ///
    /// [`KeyMaterialError::DataKeyLength`] when `bytes` is not exactly 32 bytes long.
    pub fn try_from_slice(bytes: &[u8]) -> Result<Self, KeyMaterialError> {
        <[u8; DATA_KEY_LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| KeyMaterialError::DataKeyLength {
                actual: bytes.len(),
            })
    }

    /// The key bytes (for wrapping them with a master key).
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey { .. }")
    }
}

/// The 16-byte initial counter block of an object's AES-256-CTR stream.
///
/// For V2 objects this is the random IV; for legacy V1 objects it is the decimal start value
/// as a 128-bit big-endian number ([`Iv::from_v1_start`]).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Iv([u8; IV_LEN]);

impl Iv {
    /// Wraps 16 counter-block bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; IV_LEN]) -> Self {
        Self(bytes)
    }

    /// Copies an IV from a slice, for example the output of an unwrap.
    ///
    /// # Errors
    ///
    /// [`KeyMaterialError::IvLength`] when `bytes` is not exactly 16 bytes long.
    pub fn try_from_slice(bytes: &[u8]) -> Result<Self, KeyMaterialError> {
        <[u8; IV_LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| KeyMaterialError::IvLength {
                actual: bytes.len(),
            })
    }

    /// Builds the initial counter block of a legacy V1 object from its unwrapped start value.
    ///
    /// `start` must be 1 to 39 ASCII digits (no sign, no whitespace) with a value below 2^128;
    /// the counter block is that value as a 128-bit big-endian integer (spec §9).
    ///
    /// # Errors
    ///
    /// [`KeyMaterialError::InvalidV1Start`] for anything else.
    pub fn from_v1_start(start: &[u8]) -> Result<Self, KeyMaterialError> {
        if start.is_empty() || start.len() > 39 {
            return Err(KeyMaterialError::InvalidV1Start);
        }
        let mut value: u128 = 0;
        for &byte in start {
            let digit = match byte {
                b'0'..=b'9' => u128::from(byte - b'0'),
                _ => return Err(KeyMaterialError::InvalidV1Start),
            };
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .ok_or(KeyMaterialError::InvalidV1Start)?;
        }
        Ok(Self(value.to_be_bytes()))
    }

    /// The counter-block bytes (for wrapping them with a master key).
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; IV_LEN] {
        &self.0
    }

    /// The counter block `blocks` blocks after this one: `(IV + blocks) mod 2^128`, big-endian.
    #[must_use]
    pub fn wrapping_add_blocks(&self, blocks: u128) -> Self {
        Self(
            u128::from_be_bytes(self.0)
                .wrapping_add(blocks)
                .to_be_bytes(),
        )
    }

    /// Whether bytes 8..11 are zero, the layout every writer produces (spec §3.2).
    ///
    /// Readers must not reject other IVs; this is informational.
    #[must_use]
    pub fn is_writer_conformant(&self) -> bool {
        self.0[8..12] == [0; 4]
    }
}

impl fmt::Debug for Iv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iv { .. }")
    }
}

/// The content key material of one object: data key and initial counter block.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ContentMaterial {
    data_key: DataKey,
    iv: Iv,
}

impl ContentMaterial {
    /// Combines an unwrapped data key and IV.
    #[must_use]
    pub const fn new(data_key: DataKey, iv: Iv) -> Self {
        Self { data_key, iv }
    }

    /// Draws a fresh data key and IV from `rng` (spec §3.1, §3.2).
    ///
    /// The IV gets 12 random bytes with bytes 8..11 set to zero, so that the low 64-bit half of
    /// the counter cannot carry for any object size OSS allows.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut material = Self::new(DataKey([0; DATA_KEY_LEN]), Iv([0; IV_LEN]));
        rng.fill_bytes(&mut material.data_key.0);
        rng.fill_bytes(&mut material.iv.0);
        material.iv.0[8..12].fill(0);
        material
    }

    /// Draws a fresh data key and IV from the operating system's random number generator.
    ///
    /// # Errors
    ///
    /// [`Error::RandomnessUnavailable`](crate::Error::RandomnessUnavailable) when the OS
    /// generator fails.
    #[cfg(feature = "std")]
    pub fn generate_os() -> Result<Self, crate::Error> {
        use rand_core::TryRng;

        let mut material = Self::new(DataKey([0; DATA_KEY_LEN]), Iv([0; IV_LEN]));
        let mut rng = getrandom::SysRng;
        rng.try_fill_bytes(&mut material.data_key.0)
            .and_then(|()| rng.try_fill_bytes(&mut material.iv.0))
            .map_err(|_| crate::Error::RandomnessUnavailable)?;
        material.iv.0[8..12].fill(0);
        Ok(material)
    }

    /// The data key.
    #[must_use]
    pub const fn data_key(&self) -> &DataKey {
        &self.data_key
    }

    /// The initial counter block.
    #[must_use]
    pub const fn iv(&self) -> &Iv {
        &self.iv
    }
}

impl fmt::Debug for ContentMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContentMaterial { .. }")
    }
}
