//! Binding literal values as PostgreSQL SQL text: the only place that does it.
//!
//! Strings are `'...'` with `'` doubled and nothing else changed: backslashes stay
//! literal because the script sets `standard_conforming_strings = on` at its top
//! (and it is PostgreSQL's default). A NUL character cannot be stored in a
//! PostgreSQL text value, so it is an error, never silently dropped. Numbers are
//! written exactly as the user wrote them (after checking they are numbers), so no
//! precision is lost. Typed values use the SQL typed-literal syntax (`DATE '...'`)
//! or a cast (`'...'::uuid`); JSON is cast to the column's own type when known
//! (`json` or `jsonb`). Binary is `'\x<hex>'::bytea`: with standard-conforming
//! strings the text is the four characters `\x41`, which bytea input reads as hex.
//! Nothing here doubles `%`: no output of this module passes through a format string.

use crate::ir::{ColumnType, Literal};

/// `'text'` with quotes doubled; `Err` for a NUL character.
pub fn string(s: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err("PostgreSQL text cannot contain a NUL character (\\0)".into());
    }
    Ok(format!("'{}'", s.replace('\'', "''")))
}

/// Bind `lit` for PostgreSQL; `target` is the type of the column it goes into,
/// when known (it picks `json` or `jsonb` for JSON values).
pub fn bind(lit: &Literal, target: Option<&ColumnType>) -> Result<String, String> {
    match lit {
        Literal::Null => Ok("NULL".into()),
        Literal::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.into()),
        Literal::Integer(digits) => integer(digits),
        Literal::Decimal(text) => decimal(text),
        Literal::String(s) => string(s),
        Literal::Date(s) => Ok(format!("DATE {}", string(s)?)),
        Literal::Time(s) => Ok(format!("TIME {}", string(s)?)),
        Literal::Timestamp(s) => Ok(format!("TIMESTAMP {}", string(s)?)),
        Literal::TimestampTz(s) => Ok(format!("TIMESTAMP WITH TIME ZONE {}", string(s)?)),
        Literal::Interval(s) => Ok(format!("INTERVAL {}", string(s)?)),
        Literal::Uuid(s) => Ok(format!("{}::uuid", string(s)?)),
        Literal::Json(s) => Ok(format!("{}::{}", string(s)?, json_type(target))),
        Literal::Binary(bytes) => Ok(format!("'\\x{}'::bytea", hex(bytes))),
    }
}

fn json_type(target: Option<&ColumnType>) -> &'static str {
    match target {
        Some(ColumnType::Jsonb) => "jsonb",
        _ => "json",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `-?[0-9]+`, written back unchanged.
fn integer(text: &str) -> Result<String, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text.to_string())
    } else {
        Err(format!("`{text}` is not an integer"))
    }
}

/// `-?digits[.digits][e[+-]digits]` (either side of the point may be empty, not
/// both), written back unchanged: PostgreSQL reads it as an exact `numeric`.
fn decimal(text: &str) -> Result<String, String> {
    let bad = || format!("`{text}` is not a decimal number");
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return Err(bad());
    }
    if let Some(exp) = exponent {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp.is_empty() || !all_digits(exp) {
            return Err(bad());
        }
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_double_quotes_and_keep_everything_else() {
        assert_eq!(string("it's").unwrap(), "'it''s'");
        assert_eq!(string("''").unwrap(), "''''''");
        assert_eq!(string(r"a\b\\c\'").unwrap(), r"'a\b\\c\'''");
        assert_eq!(string("$$ $mig$ %s %%").unwrap(), "'$$ $mig$ %s %%'");
        assert_eq!(string("😀 é").unwrap(), "'😀 é'");
        assert_eq!(string("\"x\"").unwrap(), "'\"x\"'");
    }

    #[test]
    fn every_control_character_but_nul_passes_through_unchanged() {
        for c in (1u8..0x20).chain([0x7f]) {
            let s = format!("a{}b", c as char);
            assert_eq!(string(&s).unwrap(), format!("'{s}'"));
        }
        assert!(string("a\0b").is_err());
        assert!(bind(&Literal::Json("\"\0\"".into()), None).is_err());
    }

    #[test]
    fn numbers_are_written_as_given() {
        let i = |s: &str| bind(&Literal::Integer(s.into()), None);
        let d = |s: &str| bind(&Literal::Decimal(s.into()), None);
        assert_eq!(i("-9223372036854775808").unwrap(), "-9223372036854775808");
        assert_eq!(
            d("3.14159265358979323846264338327950288").unwrap(),
            "3.14159265358979323846264338327950288"
        );
        assert_eq!(d("-0.000001").unwrap(), "-0.000001");
        assert_eq!(d("1e-9").unwrap(), "1e-9");
        assert_eq!(d(".5").unwrap(), ".5");
        for bad in ["", "-", "1;", "1 OR 1=1", "0x10", "1e", "."] {
            assert!(i(bad).is_err(), "{bad}");
            assert!(d(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn typed_values() {
        let b = |l: Literal| bind(&l, None).unwrap();
        assert_eq!(b(Literal::Null), "NULL");
        assert_eq!(b(Literal::Bool(true)), "TRUE");
        assert_eq!(b(Literal::Date("2024-01-31".into())), "DATE '2024-01-31'");
        assert_eq!(b(Literal::Time("13:45:00".into())), "TIME '13:45:00'");
        assert_eq!(
            b(Literal::TimestampTz("2024-01-31 13:45:00+02".into())),
            "TIMESTAMP WITH TIME ZONE '2024-01-31 13:45:00+02'"
        );
        assert_eq!(b(Literal::Interval("1 day".into())), "INTERVAL '1 day'");
        assert_eq!(b(Literal::Uuid("a0ee".into())), "'a0ee'::uuid");
        assert_eq!(
            b(Literal::Binary(vec![0, 0x41, 0xff])),
            r"'\x0041ff'::bytea"
        );
        assert_eq!(b(Literal::Binary(vec![])), r"'\x'::bytea");
        assert_eq!(
            b(Literal::Json(r#"{"a": "it's"}"#.into())),
            r#"'{"a": "it''s"}'::json"#
        );
        assert_eq!(
            bind(&Literal::Json("[]".into()), Some(&ColumnType::Jsonb)).unwrap(),
            "'[]'::jsonb"
        );
    }
}
