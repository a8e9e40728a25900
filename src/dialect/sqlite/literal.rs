//! Literal binding for SQLite: the one place where a value becomes SQL text.
//!
//! - strings and every text-like value: `'...'` with `'` doubled; every other
//!   character (line breaks, control characters, emoji) is kept as is, since an
//!   SQLite string literal has no escapes; a NUL is refused (SQLite's text ends there).
//!   Control characters other than `\n` and `\t` are the exception: the `sqlite3`
//!   shell drops a `\r` that ends an input line (`"a\r\nb"` would arrive as
//!   `"a\nb"`), and an escape sequence would act on the terminal of whoever reads
//!   the script. Text with one is written as an expression,
//!   `('a' || char(13) || '...')`, valid wherever a literal is used here (defaults
//!   are then parenthesized);
//! - integers: the digits as written, after checking they fit in 64 bits;
//! - decimals: as written (SQLite reads them as REAL, or NUMERIC by column affinity);
//! - booleans: `1` / `0` (SQLite has no boolean storage class);
//! - dates, times, timestamps, intervals, JSON: ISO/plain text;
//! - UUIDs: 32 lower-case hex digits without dashes, as SQLAlchemy's `Uuid`
//!   stores them in the `CHAR(32)` column it creates on SQLite;
//! - binary: `X'hex'`.

use crate::ir::Literal;

/// Bind a literal. `Err` says why it cannot be written.
pub fn bind(lit: &Literal) -> Result<String, String> {
    match lit {
        Literal::Null => Ok("NULL".into()),
        Literal::Bool(b) => Ok(if *b { "1" } else { "0" }.into()),
        Literal::Integer(digits) => integer(digits),
        Literal::Decimal(text) => decimal(text),
        Literal::String(s)
        | Literal::Date(s)
        | Literal::Time(s)
        | Literal::Timestamp(s)
        | Literal::TimestampTz(s)
        | Literal::Interval(s)
        | Literal::Json(s) => string(s),
        Literal::Uuid(s) => uuid(s),
        Literal::Binary(bytes) => Ok(binary(bytes)),
    }
}

/// `'it''s'`. Refuses a NUL; a text with a control character other than a line
/// feed or a tab becomes `('a' || char(13) || 'b')`.
pub fn string(s: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err("a NUL character cannot be stored in SQLite text".into());
    }
    let quoted = |part: &str| format!("'{}'", part.replace('\'', "''"));
    if !s.chars().any(spelled_out) {
        return Ok(quoted(s));
    }
    let mut pieces = Vec::new();
    let mut part = String::new();
    for c in s.chars() {
        if spelled_out(c) {
            pieces.push(quoted(&std::mem::take(&mut part)));
            pieces.push(format!("char({})", c as u32));
        } else {
            part.push(c);
        }
    }
    pieces.push(quoted(&part));
    Ok(format!("({})", pieces.join(" || ")))
}

/// Characters written as `char(N)`: a carriage return (the `sqlite3` shell drops
/// one that ends a line) and every other control character but `\n` and `\t`, so
/// that a script shown in a terminal cannot carry escape sequences.
fn spelled_out(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Whether bound text is an expression rather than a plain literal (see [`string`]).
pub fn is_expression(bound: &str) -> bool {
    bound.starts_with('(')
}

fn integer(digits: &str) -> Result<String, String> {
    match digits.parse::<i64>() {
        Ok(_) => Ok(digits.to_string()),
        Err(_) if is_integer_text(digits) => Err(format!(
            "the integer {digits} does not fit in SQLite's 64-bit INTEGER \
             (-9223372036854775808 to 9223372036854775807)"
        )),
        Err(_) => Err(format!("`{digits}` is not an integer")),
    }
}

fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn decimal(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!("`{text}` is not a decimal number"))
    }
}

fn uuid(text: &str) -> Result<String, String> {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    if hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(format!("'{}'", hex.to_ascii_lowercase()))
    } else {
        Err(format!("`{text}` is not a UUID (32 hex digits)"))
    }
}

fn binary(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2 + 3);
    out.push_str("X'");
    for b in bytes {
        out.push_str(&format!("{b:02X}"));
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_double_quotes_and_keep_everything_else() {
        assert_eq!(bind(&Literal::String("it's".into())).unwrap(), "'it''s'");
        assert_eq!(bind(&Literal::String("''".into())).unwrap(), "''''''");
        assert_eq!(bind(&Literal::String("😀\n\"".into())).unwrap(), "'😀\n\"'");
        assert!(bind(&Literal::String("a\0b".into())).is_err());
        assert_eq!(
            bind(&Literal::String("a\r\n'b".into())).unwrap(),
            "('a' || char(13) || '\n''b')"
        );
        assert_eq!(
            bind(&Literal::String("\r".into())).unwrap(),
            "('' || char(13) || '')"
        );
        assert_eq!(
            bind(&Literal::String("\u{1b}[0m\t".into())).unwrap(),
            "('' || char(27) || '[0m\t')"
        );
    }

    #[test]
    fn integers_are_range_checked() {
        let ok = |s: &str| bind(&Literal::Integer(s.into()));
        assert_eq!(ok("9223372036854775807").unwrap(), "9223372036854775807");
        assert_eq!(ok("-9223372036854775808").unwrap(), "-9223372036854775808");
        assert!(ok("9223372036854775808").unwrap_err().contains("64-bit"));
        assert!(ok("-9223372036854775809").is_err());
        assert!(ok("1; DROP TABLE x").is_err());
    }

    #[test]
    fn other_kinds() {
        assert_eq!(bind(&Literal::Bool(true)).unwrap(), "1");
        assert_eq!(bind(&Literal::Bool(false)).unwrap(), "0");
        assert_eq!(bind(&Literal::Null).unwrap(), "NULL");
        assert_eq!(
            bind(&Literal::Decimal("-1.5e10".into())).unwrap(),
            "-1.5e10"
        );
        assert!(bind(&Literal::Decimal("1)".into())).is_err());
        assert_eq!(
            bind(&Literal::Binary(vec![0, 0xAB, 0xff])).unwrap(),
            "X'00ABFF'"
        );
        assert_eq!(bind(&Literal::Binary(vec![])).unwrap(), "X''");
        assert_eq!(
            bind(&Literal::Uuid(
                "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11".into()
            ))
            .unwrap(),
            "'a0eebc999c0b4ef8bb6d6bb9bd380a11'"
        );
        assert!(bind(&Literal::Uuid("nope".into())).is_err());
        assert_eq!(
            bind(&Literal::Date("2024-01-31".into())).unwrap(),
            "'2024-01-31'"
        );
    }
}
