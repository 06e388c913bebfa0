//! `(name, value)` inputs of any string-like shape.

/// A `(name, value)` pair of text borrowed for `'a`, as headers and query parameters are
/// given to this crate.
///
/// Implemented for pairs of references (`(&str, &str)`, `(&String, &String)`,
/// `(&HeaderName, &str)`, a `HashMap<String, String>` entry) and for references to pairs
/// (`&(String, String)`, `&(&str, &str)`), so `&Vec<(String, String)>`, `&[(&str, &str)]`,
/// `map.iter()` and `[("name", "value")]` can all be passed where pairs are expected.
pub trait TextPair<'a> {
    /// The name and the value.
    fn text_pair(self) -> (&'a str, &'a str);
}

impl<'a, K, V> TextPair<'a> for (&'a K, &'a V)
where
    K: AsRef<str> + ?Sized,
    V: AsRef<str> + ?Sized,
{
    fn text_pair(self) -> (&'a str, &'a str) {
        (self.0.as_ref(), self.1.as_ref())
    }
}

impl<'a, K: AsRef<str>, V: AsRef<str>> TextPair<'a> for &'a (K, V) {
    fn text_pair(self) -> (&'a str, &'a str) {
        (self.0.as_ref(), self.1.as_ref())
    }
}

/// Collects pairs of any [`TextPair`] shape as `(&str, &str)`.
pub(crate) fn collect<'a, P: TextPair<'a>>(
    pairs: impl IntoIterator<Item = P>,
) -> Vec<(&'a str, &'a str)> {
    pairs.into_iter().map(TextPair::text_pair).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn every_shape_reads_the_same() {
        let owned = vec![("a".to_owned(), "1".to_owned())];
        let borrowed = [("a", "1")];
        let map = BTreeMap::from([("a".to_owned(), "1".to_owned())]);
        let expected = vec![("a", "1")];
        assert_eq!(collect(&owned), expected);
        assert_eq!(collect(borrowed.as_slice()), expected);
        assert_eq!(collect(borrowed), expected);
        assert_eq!(collect(&map), expected);
        assert_eq!(collect(owned.iter().map(|(n, v)| (n, v))), expected);
    }
}
