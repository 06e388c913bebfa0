//! Deciding whether an object is client-side encrypted, and in which format (spec §2.1).

use crate::header;

/// One response header: a `(name, value)` pair of anything string-like, or a reference to one.
///
/// Implemented for `(K, V)` with `K, V: AsRef<str>` (so `(&str, &str)`, `(String, String)`,
/// ...) and for references to such pairs, so `&Vec<(String, String)>` can be passed directly.
pub trait HeaderPair {
    /// The header name.
    fn name(&self) -> &str;
    /// The header value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> HeaderPair for (K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }

    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<T: HeaderPair + ?Sized> HeaderPair for &T {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn value(&self) -> &str {
        (**self).value()
    }
}

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
pub fn classify<I>(headers: I) -> Classification
where
    I: IntoIterator<Item: HeaderPair>,
{
    let mut result = Classification::Plain;
    for pair in headers {
        let name = pair.name();
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
