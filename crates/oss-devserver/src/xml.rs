//! XML: a small writer for responses and the parser for CompleteMultipartUpload bodies.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Builds an XML document with the OSS declaration and no namespace.
#[derive(Debug)]
pub(crate) struct XmlWriter {
    buf: String,
}

impl XmlWriter {
    pub(crate) fn new() -> Self {
        Self {
            buf: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        }
    }

    pub(crate) fn open(&mut self, tag: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push('>');
    }

    pub(crate) fn close(&mut self, tag: &str) {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
    }

    /// `<tag>escaped text</tag>`.
    pub(crate) fn elem(&mut self, tag: &str, text: &str) {
        self.open(tag);
        escape_into(&mut self.buf, text);
        self.close(tag);
    }

    /// An element whose text is a number or another value with a `Display`.
    pub(crate) fn num(&mut self, tag: &str, value: impl core::fmt::Display) {
        self.elem(tag, &value.to_string());
    }

    pub(crate) fn finish(self) -> String {
        self.buf
    }
}

fn escape_into(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            '\'' => buf.push_str("&apos;"),
            c => buf.push(c),
        }
    }
}

/// One `<Part>` of a CompleteMultipartUpload body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompletePart {
    pub(crate) number: u32,
    /// As sent (quotes and case are normalised by the caller).
    pub(crate) etag: String,
}

/// Parses `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>…</CompleteMultipartUpload>`.
/// Returns `None` when the body is not well-formed or does not match that shape.
pub(crate) fn parse_complete(body: &[u8]) -> Option<Vec<CompletePart>> {
    let mut parts = Vec::new();
    let (mut number, mut etag) = (None, None);
    walk(body, "CompleteMultipartUpload", |depth, name, text| {
        match (depth, name) {
            (2, "PartNumber") => number = Some(text.trim().parse().ok()?),
            (2, "ETag") => etag = Some(text.to_owned()),
            (1, "Part") => parts.push(CompletePart {
                number: number.take()?,
                etag: etag.take()?,
            }),
            _ => {}
        }
        Some(())
    })?;
    Some(parts)
}

/// Parses `<Delete><Quiet>true|false</Quiet><Object><Key>k</Key></Object>…</Delete>` into
/// (quiet, keys).
pub(crate) fn parse_delete(body: &[u8]) -> Option<(bool, Vec<String>)> {
    let mut quiet = false;
    let mut keys = Vec::new();
    let mut key = None;
    walk(body, "Delete", |depth, name, text| {
        match (depth, name) {
            (1, "Quiet") => quiet = text.trim().eq_ignore_ascii_case("true"),
            (2, "Key") => key = Some(text.to_owned()),
            (1, "Object") => keys.push(key.take()?),
            _ => {}
        }
        Some(())
    })?;
    Some((quiet, keys))
}

/// Walks a document whose root is `root`, calling `on_end(depth after the element, name, text)`
/// at every closing tag (`text` is the element's own decoded text). `None` when the document is
/// not well-formed, has another root, or `on_end` refuses it.
fn walk(
    body: &[u8],
    root: &str,
    mut on_end: impl FnMut(usize, &str, &str) -> Option<()>,
) -> Option<()> {
    let text = core::str::from_utf8(body).ok()?;
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut seen_root = false;
    let mut content = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                if path.is_empty() {
                    if seen_root || name != root {
                        return None;
                    }
                    seen_root = true;
                }
                path.push(name);
                content.clear();
            }
            Event::End(_) => {
                let name = path.pop()?;
                on_end(path.len(), &name, &content)?;
                content.clear();
            }
            Event::Text(t) => content.push_str(&t),
            Event::GeneralRef(r) => content.push(resolve_entity(&r)?),
            Event::Empty(e) if path.is_empty() && !seen_root => {
                return (e.name().as_ref() == root).then_some(());
            }
            Event::Eof => return (seen_root && path.is_empty()).then_some(()),
            _ => {}
        }
    }
}

fn resolve_entity(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    Some(match &**r {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_escapes() {
        let mut w = XmlWriter::new();
        w.elem("Key", "a<b>&\"c'");
        assert!(
            w.finish()
                .ends_with("<Key>a&lt;b&gt;&amp;&quot;c&apos;</Key>")
        );
    }

    #[test]
    fn parses_complete_body() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
            <CompleteMultipartUpload>
              <Part><PartNumber>1</PartNumber><ETag>"4DE8075FB607DF4D13FBC480EA488EFA"</ETag></Part>
              <Part><ETag>&quot;AF94&quot;</ETag><PartNumber> 2 </PartNumber></Part>
            </CompleteMultipartUpload>"#;
        let parts = parse_complete(body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].number, 1);
        assert_eq!(parts[0].etag, "\"4DE8075FB607DF4D13FBC480EA488EFA\"");
        assert_eq!(
            parts[1],
            CompletePart {
                number: 2,
                etag: "\"AF94\"".into()
            }
        );
    }

    #[test]
    fn parses_delete_body() {
        let body = b"<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c</Key></Object></Delete>";
        assert_eq!(
            parse_delete(body),
            Some((true, vec!["a&b".to_owned(), "c".to_owned()]))
        );
        assert_eq!(parse_delete(b"<Delete><Object></Object></Delete>"), None);
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            &b"<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>"[..],
            b"<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
            b"<Other/>",
            b"<CompleteMultipartUpload><Part>",
            b"not xml",
        ] {
            assert_eq!(parse_complete(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
