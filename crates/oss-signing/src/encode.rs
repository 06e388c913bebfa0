//! Percent-encoding shared by every scheme (kms-api.md §3, oss-api.md §4.3).

use crate::error::ParseError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything except the RFC 3986 unreserved set `A-Z a-z 0-9 - _ . ~` is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Like [`RFC3986`] but keeps `/` (OSS V4 canonical URI, V2-SDK object paths).
const RFC3986_PATH: &AsciiSet = &RFC3986.remove(b'/');

/// Encodes UTF-8 text keeping only the unreserved set; upper-case hex (`' '` → `%20`,
/// `'/'` → `%2F`, `'*'` → `%2A`, `'~'` stays).
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, RFC3986).to_string()
}

/// Like [`percent_encode`] but keeps `/`: the OSS V4 canonical URI and object paths.
pub fn percent_encode_path(text: &str) -> String {
    utf8_percent_encode(text, RFC3986_PATH).to_string()
}

/// Decodes `%XX` escapes (`+` stays a plus); a `%` not followed by two hex digits stays as is.
///
/// # Errors
///
/// [`ParseError::NotUtf8`] when the decoded bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Result<String, ParseError> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| ParseError::NotUtf8)
}

/// Decodes with form rules (`+` is a space), as KMS servers must (kms-api.md §4.3).
///
/// # Errors
///
/// [`ParseError::NotUtf8`] when the decoded bytes are not UTF-8.
pub fn form_decode(text: &str) -> Result<String, ParseError> {
    percent_decode(&text.replace('+', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3986_examples() {
        assert_eq!(percent_encode(" *~/+=&:ä"), "%20%2A~%2F%2B%3D%26%3A%C3%A4");
        assert_eq!(
            percent_encode_path("1234+-/123/1.txt"),
            "1234%2B-/123/1.txt"
        );
        assert_eq!(percent_decode("a%2Bb+c").as_deref(), Ok("a+b+c"));
        assert_eq!(form_decode("a%2Bb+c").as_deref(), Ok("a+b c"));
        assert_eq!(percent_decode("%FF"), Err(ParseError::NotUtf8));
    }
}
