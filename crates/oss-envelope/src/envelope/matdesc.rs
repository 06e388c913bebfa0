//! The material description: a flat map of strings naming the master key (spec §8).

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use super::json;
use crate::error::MatdescError;

/// A material description, compared as a map and never as header text.
///
/// The canonical header spelling ([`Matdesc::to_json`], also its `Display`) is compact JSON
/// with keys sorted by code point and every non-ASCII character escaped; reading accepts any
/// JSON spelling of the same map (oss2 writes `{"k": "v"}` with spaces, Go and Java escape
/// other characters), so two spellings of one map compare equal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Matdesc(BTreeMap<String, String>);

impl Matdesc {
    /// The empty description.
    #[must_use]
    pub const fn new() -> Self {
        Self(BTreeMap::new())
    }

    /// Parses a header value: a JSON object whose values are all strings.
    ///
    /// An empty (or all-whitespace) value gives the empty description, like an absent header.
    ///
    /// # Errors
    ///
    /// [`MatdescError`] when the text is not valid JSON, not an object, has a non-string
    /// value or a duplicate key.
    pub fn from_json(text: &str) -> Result<Self, MatdescError> {
        if text.trim_ascii().is_empty() {
            return Ok(Self::new());
        }
        json::parse_object(text).map(Self)
    }

    /// The canonical JSON spelling (spec §8.1). The empty map gives `{}`, which is never
    /// written as a header.
    #[must_use]
    pub fn to_json(&self) -> String {
        json::write_object(&self.0)
    }

    /// Adds or replaces an entry, returning the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Option<String> {
        self.0.insert(key.into(), value.into())
    }

    /// The value for `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Whether the description has no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The underlying map.
    #[must_use]
    pub const fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

impl From<BTreeMap<String, String>> for Matdesc {
    fn from(map: BTreeMap<String, String>) -> Self {
        Self(map)
    }
}

impl From<Matdesc> for BTreeMap<String, String> {
    fn from(matdesc: Matdesc) -> Self {
        matdesc.0
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Matdesc {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl fmt::Display for Matdesc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}
