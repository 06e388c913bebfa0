//! How each envelope version spells its headers and algorithm names.

use super::{CekAlg, WrapAlg};
use crate::header as h;

/// The header names of one envelope version, one named slot per value, and the readers of
/// its algorithm labels. Parsing looks values up by these names, so the order of
/// [`h::V2_ALL`] or [`h::V1_ALL`] decides nothing but which headers are collected.
pub(super) struct Version {
    pub(super) key: &'static str,
    pub(super) start: &'static str,
    pub(super) cek_alg: &'static str,
    pub(super) wrap_alg: &'static str,
    pub(super) matdesc: &'static str,
    pub(super) unencrypted_content_length: &'static str,
    pub(super) unencrypted_content_md5: &'static str,
    /// Every header the version may carry; other headers are ignored.
    pub(super) all: &'static [&'static str],
    pub(super) read_cek_alg: fn(&str) -> Option<CekAlg>,
    pub(super) read_wrap_alg: fn(&str) -> Option<WrapAlg>,
}

/// The V2 envelope (spec §2). Its multipart sizes are V2-only and read by [`super::Envelope`].
pub(super) const V2: Version = Version {
    key: h::KEY,
    start: h::START,
    cek_alg: h::CEK_ALG,
    wrap_alg: h::WRAP_ALG,
    matdesc: h::MATDESC,
    unencrypted_content_length: h::UNENCRYPTED_CONTENT_LENGTH,
    unencrypted_content_md5: h::UNENCRYPTED_CONTENT_MD5,
    all: &h::V2_ALL,
    read_cek_alg: CekAlg::from_v2,
    read_wrap_alg: WrapAlg::from_v2,
};

/// The legacy V1 envelope (spec §9): any non-empty `wrap-alg` is readable.
pub(super) const V1: Version = Version {
    key: h::V1_KEY,
    start: h::V1_START,
    cek_alg: h::V1_CEK_ALG,
    wrap_alg: h::V1_WRAP_ALG,
    matdesc: h::V1_MATDESC,
    unencrypted_content_length: h::V1_UNENCRYPTED_CONTENT_LENGTH,
    unencrypted_content_md5: h::V1_UNENCRYPTED_CONTENT_MD5,
    all: &h::V1_ALL,
    read_cek_alg: CekAlg::from_v1,
    read_wrap_alg: |text| Some(WrapAlg::from_v1(text)),
};
