//! Decoding of string tokens, numbers, hex bytes and JSON text.
//!
//! The grammar only delimits these tokens; everything that can be wrong inside
//! them (an unknown escape, a NUL, odd hex, bad JSON) is found here and reported
//! with a span pointing into the token. Functions take the token's text and the
//! byte offset where it starts in the file.

use super::Ctx;
use crate::diagnostic::Diagnostic;

/// The three string spellings plus the unterminated fallback of the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    /// `'...'`: `''` is a quote, no other escape.
    Single,
    /// `"..."`: C-style escapes.
    Double,
    /// `"""..."""`: no escapes, may span lines.
    Raw,
    /// A quote with no closing quote on its line.
    Unterminated,
    /// `"""` with no closing `"""` in the rest of the file.
    UnterminatedRaw,
}

/// Decode a string token; `None` after reporting what is wrong with it.
pub fn decode_string(cx: &mut Ctx, kind: StringKind, text: &str, start: usize) -> Option<String> {
    let decoded = match kind {
        StringKind::Single => Some(text[1..text.len() - 1].replace("''", "'")),
        StringKind::Raw => Some(text[3..text.len() - 3].to_string()),
        StringKind::Double => decode_escapes(cx, &text[1..text.len() - 1], start + 1),
        StringKind::Unterminated => {
            let quote = &text[..1];
            cx.error(
                Diagnostic::error("E0105", "unterminated string")
                    .with_span(cx.span(start, start + text.len()), "this string is never closed")
                    .with_help(format!(
                        "close it with {quote} on the same line; a string that spans lines is written \"\"\"like this\"\"\""
                    )),
            );
            None
        }
        StringKind::UnterminatedRaw => {
            cx.error(
                Diagnostic::error("E0105", "unterminated raw string")
                    .with_span(cx.span(start, start + 3), "no closing \"\"\" follows")
                    .with_help("close the raw string with \"\"\""),
            );
            None
        }
    }?;
    // Escapes cannot produce a NUL (`\0` and `\u{0}` are rejected), so a NUL in
    // the decoded text is a NUL character written in the token itself.
    if let Some(i) = text.find('\0') {
        cx.error(nul_error(cx.span(start + i, start + i + 1)));
        return None;
    }
    Some(decoded)
}

fn nul_error(span: crate::source::Span) -> Diagnostic {
    Diagnostic::error("E0106", "a string may not contain a NUL character")
        .with_span(span, "NUL character here")
        .with_help("NUL is never valid in SQL text; remove it (for bytes, use a binary literal like x'00ff')")
}

/// `\" \\ \n \t \r \u{XXXX}`; anything else after a backslash is an error.
fn decode_escapes(cx: &mut Ctx, body: &str, start: usize) -> Option<String> {
    if !body.contains('\\') {
        return Some(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut ok = true;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        let simple = match e {
            '"' => Some('"'),
            '\\' => Some('\\'),
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let esc_start = start + i;
        if e == 'u' {
            match unicode_escape(body, i, &mut chars) {
                Ok(ch) => out.push(ch),
                Err(end) => {
                    cx.error(bad_unicode(cx.span(esc_start, start + end)));
                    ok = false;
                }
            }
            continue;
        }
        let span = cx.span(esc_start, esc_start + 1 + e.len_utf8());
        cx.error(if e == '0' {
            nul_error(span)
        } else {
            Diagnostic::error("E0104", format!("unknown escape `\\{e}` in a string"))
                .with_span(span, "unknown escape")
                .with_help(
                    "escapes are \\\" \\\\ \\n \\t \\r and \\u{XXXX}; for a literal backslash write \\\\, or use a 'single-quoted' or \"\"\"raw\"\"\" string",
                )
        });
        ok = false;
    }
    ok.then_some(out)
}

/// Reads `{XXXX}` after `\u`; on error returns the byte offset where the bad
/// escape ends (for the span).
fn unicode_escape(
    body: &str,
    backslash: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
) -> Result<char, usize> {
    let after_u = backslash + 2;
    if chars.peek().map(|(_, c)| *c) != Some('{') {
        return Err(after_u);
    }
    chars.next();
    let mut digits = String::new();
    for (j, c) in chars.by_ref() {
        if c == '}' {
            let v = u32::from_str_radix(&digits, 16).map_err(|_| j + 1)?;
            let ok = (1..=6).contains(&digits.len()) && v != 0;
            return char::from_u32(v).filter(|_| ok).ok_or(j + 1);
        }
        if !c.is_ascii_hexdigit() || digits.len() >= 6 {
            return Err(j + c.len_utf8());
        }
        digits.push(c);
    }
    Err(body.len())
}

fn bad_unicode(span: crate::source::Span) -> Diagnostic {
    Diagnostic::error("E0104", "invalid unicode escape in a string")
        .with_span(span, "invalid escape")
        .with_help("write \\u{XXXX} with 1 to 6 hex digits naming a character other than NUL, e.g. \\u{1F600}")
}

/// `x'DEADBEEF'` → bytes; the token includes `x'` and `'`.
pub fn decode_hex(cx: &mut Ctx, text: &str, start: usize) -> Option<Vec<u8>> {
    let digits = &text[2..text.len() - 1];
    let bad = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit());
    if let Some((i, c)) = bad {
        let at = start + 2 + i;
        cx.error(
            Diagnostic::error("E0113", format!("`{c}` is not a hex digit"))
                .with_span(cx.span(at, at + c.len_utf8()), "not 0-9, a-f or A-F")
                .with_help("a binary literal is x'…' with two hex digits per byte, e.g. x'00ff10'"),
        );
        return None;
    }
    if digits.len() % 2 == 1 {
        cx.error(
            Diagnostic::error(
                "E0113",
                "a binary literal needs an even number of hex digits",
            )
            .with_span(
                cx.span(start, start + text.len()),
                format!("{} hex digits", digits.len()),
            )
            .with_help("write two hex digits per byte, e.g. x'0f' rather than x'f'"),
        );
        return None;
    }
    let bytes = digits
        .as_bytes()
        .chunks(2)
        .map(|p| (hex_val(p[0]) << 4) | hex_val(p[1]));
    Some(bytes.collect())
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Whether a number token is an integer (no `.` and no exponent).
pub fn is_integer(text: &str) -> bool {
    !text.contains(['.', 'e', 'E'])
}

/// A `uuid '...'` value: 32 hex digits, optionally with the usual dashes
/// (8-4-4-4-12) and braces, as PostgreSQL accepts.
pub fn is_uuid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(s);
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    let dashes_ok = !s.contains('-') || dash_groups(s) == [8, 4, 4, 4, 12];
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && dashes_ok
}

fn dash_groups(s: &str) -> Vec<usize> {
    s.split('-').map(str::len).collect()
}

/// Checks that `s` is one JSON value (RFC 8259). Iterative, so deeply nested
/// input cannot overflow the stack. On error: byte offset and what was expected.
pub fn validate_json(s: &str) -> Result<(), (usize, &'static str)> {
    let b = s.as_bytes();
    let mut p = Json { b, i: 0 };
    // Stack of open containers: b'[' or b'{'.
    let mut stack: Vec<u8> = Vec::new();
    p.ws();
    loop {
        // Expect a value.
        match p.peek() {
            Some(b'[') | Some(b'{') => {
                let open = b[p.i];
                p.i += 1;
                p.ws();
                let close = if open == b'[' { b']' } else { b'}' };
                if p.peek() == Some(close) {
                    p.i += 1;
                } else {
                    stack.push(open);
                    if open == b'{' {
                        p.key()?;
                    }
                    continue;
                }
            }
            _ => p.scalar()?,
        }
        // After a value: close containers or move to the next element.
        loop {
            p.ws();
            let Some(&top) = stack.last() else {
                return if p.i == b.len() {
                    Ok(())
                } else {
                    Err((p.i, "end of the JSON text"))
                };
            };
            let close = if top == b'[' { b']' } else { b'}' };
            match p.peek() {
                Some(b',') => {
                    p.i += 1;
                    p.ws();
                    if top == b'{' {
                        p.key()?;
                    }
                    break;
                }
                Some(c) if c == close => {
                    p.i += 1;
                    stack.pop();
                }
                _ => {
                    return Err((
                        p.i,
                        if top == b'[' {
                            "`,` or `]`"
                        } else {
                            "`,` or `}`"
                        },
                    ))
                }
            }
        }
    }
}

struct Json<'a> {
    b: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    /// `"key" :` then whitespace.
    fn key(&mut self) -> Result<(), (usize, &'static str)> {
        if self.peek() != Some(b'"') {
            return Err((self.i, "a string key"));
        }
        self.string()?;
        self.ws();
        if self.peek() != Some(b':') {
            return Err((self.i, "`:`"));
        }
        self.i += 1;
        self.ws();
        Ok(())
    }
    fn scalar(&mut self) -> Result<(), (usize, &'static str)> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for word in ["true", "false", "null"] {
                    if self.b[self.i..].starts_with(word.as_bytes()) {
                        self.i += word.len();
                        return Ok(());
                    }
                }
                Err((self.i, "a JSON value"))
            }
        }
    }
    fn string(&mut self) -> Result<(), (usize, &'static str)> {
        self.i += 1;
        loop {
            match self.peek() {
                None => return Err((self.i, "a closing `\"`")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => self.escape()?,
                Some(c) if c < 0x20 => return Err((self.i, "an escaped control character")),
                Some(_) => self.i += 1,
            }
        }
    }
    fn escape(&mut self) -> Result<(), (usize, &'static str)> {
        let at = self.i;
        match self.b.get(self.i + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 2,
            Some(b'u')
                if self
                    .b
                    .get(self.i + 2..self.i + 6)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                self.i += 6
            }
            _ => return Err((at, "a valid JSON escape")),
        }
        Ok(())
    }
    fn number(&mut self) -> Result<(), (usize, &'static str)> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err((self.i, "a digit")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.need_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.need_digits()?;
        }
        Ok(())
    }
    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
    }
    fn need_digits(&mut self) -> Result<(), (usize, &'static str)> {
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err((self.i, "a digit"));
        }
        self.digits();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_accepts_valid() {
        for ok in [
            "1",
            "-0.5e+10",
            "\"a\\u00e9\\n\"",
            "[]",
            "{}",
            "[1, [2, {\"a\": null}], true]",
            " {\"a\" : {\"b\" : [ ]}} ",
            "\"\u{1F600}\"",
        ] {
            assert_eq!(validate_json(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn json_rejects_invalid() {
        for bad in [
            "",
            "[",
            "{\"a\"}",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "tru",
            "\"a",
            "[1] 2",
            "{'a': 1}",
            "\"\\x\"",
            "\"a\tb\"",
            "-",
            "{1: 2}",
        ] {
            assert!(validate_json(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn json_deep_nesting_does_not_overflow() {
        let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
        assert_eq!(validate_json(&deep), Ok(()));
        assert!(validate_json(&"[".repeat(1_000_000)).is_err());
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assert!(is_uuid("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}"));
        assert!(is_uuid("a0eebc999c0b4ef8bb6d6bb9bd380a11"));
        assert!(!is_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"));
        assert!(!is_uuid("a0eebc99-9c0b4-ef8-bb6d-6bb9bd380a11"));
        assert!(!is_uuid("g0eebc999c0b4ef8bb6d6bb9bd380a11"));
    }

    #[test]
    fn integers() {
        assert!(is_integer("-9223372036854775808"));
        assert!(!is_integer("1e5"));
        assert!(!is_integer("3.14"));
    }
}
