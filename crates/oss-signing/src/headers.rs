//! Header canonicalisation shared by OSS V1/V4 and RPC V3.

use crate::pairs::TextPair;

/// Case-insensitive lookup of the first header named `name`.
pub fn find<'a, P: TextPair<'a>>(
    headers: impl IntoIterator<Item = P>,
    name: &str,
) -> Option<&'a str> {
    headers
        .into_iter()
        .map(TextPair::text_pair)
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// Selects the headers for which `keep(lower-case name)` holds, lower-cases their names,
/// trims their values, sorts them by name and joins repeated names with `,` (Go v2 rule).
pub(crate) fn canonical<'a, P: TextPair<'a>>(
    headers: impl IntoIterator<Item = P>,
    keep: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut picked: Vec<(String, &str)> = headers
        .into_iter()
        .map(TextPair::text_pair)
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| keep(n))
        .collect();
    // Stable sort keeps the order of repeated headers.
    picked.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(String, String)> = Vec::with_capacity(picked.len());
    for (name, value) in picked {
        match out.last_mut() {
            Some((last, joined)) if *last == name => {
                joined.push(',');
                joined.push_str(value);
            }
            _ => out.push((name, value.to_owned())),
        }
    }
    out
}

/// Renders canonical headers as `name:value\n` lines.
pub(crate) fn render(canonical: &[(String, String)]) -> String {
    let mut s = String::new();
    for (name, value) in canonical {
        s.push_str(name);
        s.push(':');
        s.push_str(value);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_repeats_and_sorts() {
        let h = [
            ("X-Oss-B", " 2 "),
            ("x-oss-a", "1"),
            ("x-oss-b", "3"),
            ("Other", "x"),
        ];
        let c = canonical(h, |n| n.starts_with("x-oss-"));
        assert_eq!(render(&c), "x-oss-a:1\nx-oss-b:2,3\n");
        assert_eq!(find(h, "OTHER"), Some("x"));
    }
}
