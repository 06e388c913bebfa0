//! Deciding whether an object is client-side encrypted, and in which format (spec §2.1).

use crate::header;

/// The encryption format an object's user metadata declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Classification {
    /// No envelope headers: the body is returned as stored.
    Plain,
    /// At least one of the V2 key, start, cek-alg and wrap-alg headers is present (parse with
    /// `Envelope::from_headers`, which then requires all four).
    V2,
    /// `x-oss-meta-oss-crypto-key` is present: deprecated V1, readable only when the caller
    /// enabled legacy decryption (`LegacyEnvelope::from_headers`).
    V1,
}

/// Classifies an object by its response headers; names match case-insensitively.
///
/// The V1 test comes first (as in oss2); then any one of the four main V2 headers, even when
/// empty, makes the object V2. `matdesc`, `unencrypted-*`, `data-size` and `part-size` never
/// decide. Values are not inspected.
pub fn classify<I, N, V>(headers: I) -> Classification
where
    I: IntoIterator<Item = (N, V)>,
    N: AsRef<str>,
{
    let mut result = Classification::Plain;
    for (name, _) in headers {
        let name = name.as_ref();
        if name.eq_ignore_ascii_case(header::V1_KEY) {
            return Classification::V1;
        }
        if header::V2_MARKERS
            .iter()
            .any(|marker| marker.eq_ignore_ascii_case(name))
        {
            result = Classification::V2;
        }
    }
    result
}
