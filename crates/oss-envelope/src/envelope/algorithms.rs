//! The content-cipher and key-wrapping algorithm names of the envelope.

use core::fmt;

/// The content cipher named by `cek-alg`. Only AES-256-CTR exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CekAlg {
    /// `AES/CTR/NoPadding`. (V1 objects say `AES/GCM/NoPadding`, a mislabel for the same
    /// CTR cipher; it is read as this value.)
    AesCtrNoPadding,
}

impl CekAlg {
    /// The V2 header value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AesCtrNoPadding => "AES/CTR/NoPadding",
        }
    }

    /// Parses a V2 value, which must be exactly `AES/CTR/NoPadding` (spec §2).
    #[must_use]
    pub fn from_v2(value: &str) -> Option<Self> {
        (value == "AES/CTR/NoPadding").then_some(Self::AesCtrNoPadding)
    }

    /// Parses a V1 value: `AES/GCM/NoPadding` (the V1 mislabel) or `AES/CTR/NoPadding`.
    #[must_use]
    pub fn from_v1(value: &str) -> Option<Self> {
        matches!(value, "AES/GCM/NoPadding" | "AES/CTR/NoPadding").then_some(Self::AesCtrNoPadding)
    }
}

impl fmt::Display for CekAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The key-wrapping algorithm named by `wrap-alg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WrapAlg {
    /// `RSA/NONE/PKCS1Padding`: RSA with PKCS#1 v1.5 padding (written and read).
    RsaPkcs1,
    /// `RSA/NONE/OAEPWithSHA-1AndMGF1Padding`: RSA-OAEP with SHA-1 (read only; all V1 RSA).
    RsaOaepSha1,
    /// `KMS/ALICLOUD`: Alibaba Cloud KMS (written and read; V1 `kms`).
    KmsAliCloud,
}

impl WrapAlg {
    /// The V2 header value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RsaPkcs1 => "RSA/NONE/PKCS1Padding",
            Self::RsaOaepSha1 => "RSA/NONE/OAEPWithSHA-1AndMGF1Padding",
            Self::KmsAliCloud => "KMS/ALICLOUD",
        }
    }

    /// Parses a V2 value, ASCII-case-insensitively; unknown names give `None`.
    #[must_use]
    pub fn from_v2(value: &str) -> Option<Self> {
        [Self::RsaPkcs1, Self::RsaOaepSha1, Self::KmsAliCloud]
            .into_iter()
            .find(|alg| alg.as_str().eq_ignore_ascii_case(value))
    }

    /// Parses a non-empty V1 value: `kms` (any case) is KMS, anything else RSA-OAEP (spec §9).
    #[must_use]
    pub fn from_v1(value: &str) -> Self {
        if value.eq_ignore_ascii_case("kms") {
            Self::KmsAliCloud
        } else {
            Self::RsaOaepSha1
        }
    }
}

impl fmt::Display for WrapAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
