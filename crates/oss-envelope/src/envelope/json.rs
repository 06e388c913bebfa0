//! A tiny JSON writer and a strict parser for flat objects of strings (the matdesc header).
//!
//! The writer produces the project's canonical spelling (spec §8.1): no whitespace, `"` and
//! `\` escaped, short escapes for U+0008/09/0A/0C/0D, `\u00xx` for other control characters,
//! every character above U+007E as lower-case `\uxxxx` (UTF-16 surrogate pairs above U+FFFF),
//! `/` unescaped. The parser accepts any valid JSON spelling of a flat object of strings and
//! refuses everything else, without recursion.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt::Write as _;

use crate::error::{MatdescError, MatdescErrorKind as Kind};

/// Appends `text` as a canonical JSON string literal (quotes included).
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Writes a flat object with keys in the map's (byte-wise sorted) order.
pub(crate) fn write_object(map: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(2 + map.len() * 16);
    out.push('{');
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(&mut out, key);
        out.push(':');
        write_string(&mut out, value);
    }
    out.push('}');
    out
}

/// Parses a JSON object whose values are all strings.
pub(crate) fn parse_object(text: &str) -> Result<BTreeMap<String, String>, MatdescError> {
    let mut parser = Parser { text, pos: 0 };
    let map = parser.object()?;
    parser.skip_whitespace();
    if parser.pos < text.len() {
        return Err(parser.error(Kind::TrailingCharacters));
    }
    Ok(map)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, kind: Kind) -> MatdescError {
        MatdescError::new(kind, self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `expected` after optional whitespace.
    fn expect(&mut self, expected: u8) -> Result<(), MatdescError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b) if b == expected => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.error(Kind::UnexpectedCharacter)),
            None => Err(self.error(Kind::UnexpectedEnd)),
        }
    }

    /// The error for a value position holding something other than a string.
    fn non_string(&self, object_expected: bool) -> MatdescError {
        match self.peek() {
            None => self.error(Kind::UnexpectedEnd),
            Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                self.error(if object_expected {
                    Kind::NotAnObject
                } else {
                    Kind::NonStringValue
                })
            }
            Some(_) => self.error(Kind::UnexpectedCharacter),
        }
    }

    fn object(&mut self) -> Result<BTreeMap<String, String>, MatdescError> {
        self.skip_whitespace();
        if self.peek() != Some(b'{') {
            return Err(self.non_string(true));
        }
        self.pos += 1;
        let mut map = BTreeMap::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(map);
        }
        loop {
            self.skip_whitespace();
            let key_pos = self.pos;
            let key = self.string()?;
            self.expect(b':')?;
            self.skip_whitespace();
            let value = self.string()?;
            if map.insert(key, value).is_some() {
                return Err(MatdescError::new(Kind::DuplicateKey, key_pos));
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(map);
                }
                Some(_) => return Err(self.error(Kind::UnexpectedCharacter)),
                None => return Err(self.error(Kind::UnexpectedEnd)),
            }
        }
    }

    /// Parses a string literal at the current position.
    fn string(&mut self) -> Result<String, MatdescError> {
        if self.peek() != Some(b'"') {
            return Err(self.non_string(false));
        }
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error(Kind::UnexpectedEnd));
            };
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                // All three are ASCII, so the run ends on a character boundary.
                out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            }
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    out.push(self.escape()?);
                    run_start = self.pos;
                }
                0..=0x1f => return Err(self.error(Kind::ControlCharacter)),
                _ => self.pos += 1,
            }
        }
    }

    /// Parses the escape after a backslash.
    fn escape(&mut self) -> Result<char, MatdescError> {
        let Some(byte) = self.peek() else {
            return Err(self.error(Kind::UnexpectedEnd));
        };
        self.pos += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => {
                self.pos -= 1;
                return Err(self.error(Kind::InvalidEscape));
            }
        })
    }

    /// Parses `XXXX` after `\u`, combining a surrogate pair into one character.
    fn unicode_escape(&mut self) -> Result<char, MatdescError> {
        let start = self.pos;
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if self.text.as_bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(MatdescError::new(Kind::LoneSurrogate, start));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(MatdescError::new(Kind::LoneSurrogate, start));
                }
                0x10000 + ((u32::from(first) - 0xd800) << 10) + (u32::from(second) - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(MatdescError::new(Kind::LoneSurrogate, start)),
            _ => u32::from(first),
        };
        char::from_u32(code).ok_or(MatdescError::new(Kind::LoneSurrogate, start))
    }

    fn hex4(&mut self) -> Result<u16, MatdescError> {
        let mut value: u16 = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => return Err(self.error(Kind::InvalidEscape)),
                None => return Err(self.error(Kind::UnexpectedEnd)),
            };
            value = (value << 4) | u16::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }
}
