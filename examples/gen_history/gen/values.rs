//! Literals in the migration language: row values (distinct for distinct kinds,
//! with awkward strings), defaults, and the SQL that fills NULLs before `set not null`.

use super::model::Kind;
use super::rng::Rng;

/// A literal of `kind` derived from the distinct number `seq`.
pub fn value(kind: Kind, seq: u64, rng: &mut Rng) -> String {
    match kind {
        Kind::Int | Kind::BigInt => seq.to_string(),
        Kind::Str(_) | Kind::Text => awkward(seq, rng),
        Kind::Numeric => format!("{}.{:02}", seq % 100_000, seq % 100),
        Kind::Bool => seq.is_multiple_of(2).to_string(),
        Kind::Date => format!(
            "date '20{:02}-{:02}-{:02}'",
            seq % 30,
            1 + seq % 12,
            1 + seq % 28
        ),
        Kind::Ts => format!(
            "timestamptz '2024-{:02}-{:02} {:02}:{:02}:00+02'",
            1 + seq % 12,
            1 + seq % 28,
            seq % 24,
            seq % 60
        ),
        Kind::Uuid => format!(
            "uuid '{:08x}-0000-4000-8000-{:012x}'",
            seq % 0xFFFF_FFFF,
            seq
        ),
        Kind::Json => format!("json '{{\"n\": {seq}, \"tags\": [\"a\", \"b\"]}}'"),
    }
}

/// A non-empty string literal under 80 characters, unique through `seq`, full of
/// what breaks naive quoting: quotes, backslashes, `%`, `$$`, escapes, emoji,
/// comment markers.
fn awkward(seq: u64, rng: &mut Rng) -> String {
    match rng.below(9) {
        0 => format!("\"it's a \\\"quoted\\\" word #{seq}\""),
        1 => format!("'O''Brien''s order {seq}'"),
        2 => format!("\"C:\\\\temp\\\\{seq}\\\\ 100% off\""),
        3 => format!("\"dollar $$ quoted $$ {seq} $tag$\""),
        4 => format!("\"line one\\nline two\\ttab\\r\\n{seq}\""),
        5 => format!("\"emoji \\u{{1F600}} 🎉 naïve café {seq}\""),
        6 => format!("\"\"\"raw {seq} \"quotes\" and \\back\\slashes\"\"\""),
        7 => format!("\"-- not a comment {seq} /* nor this */; DROP TABLE x;\""),
        _ => format!("'plain value {seq}'"),
    }
}

/// A `default ...` clause for `kind`, if the kind has one. `in_create` allows SQL
/// expression defaults (SQLite refuses them in `ADD COLUMN`).
pub fn default_clause(kind: Kind, in_create: bool) -> Option<String> {
    let lit = match kind {
        Kind::Int | Kind::BigInt | Kind::Numeric => "0",
        Kind::Str(_) | Kind::Text => "'none'",
        Kind::Bool => "false",
        Kind::Date => "date '2000-01-01'",
        Kind::Ts if in_create => return Some("default sql \"CURRENT_TIMESTAMP\"".into()),
        Kind::Ts => "timestamptz '2000-01-01 00:00:00+00'",
        Kind::Uuid | Kind::Json => return None,
    };
    Some(format!("default {lit}"))
}

/// An SQL expression giving each row a value of `kind` (distinct per row where the
/// kind promises distinct values), used to fill NULLs; `None` when there is no
/// portable one.
pub fn fill_expr(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Int | Kind::BigInt => Some("id"),
        Kind::Str(_) | Kind::Text => Some("'fill-' || id"),
        Kind::Numeric => Some("0"),
        Kind::Bool => Some("false"),
        Kind::Date => Some("'2000-01-01'"),
        Kind::Ts => Some("CURRENT_TIMESTAMP"),
        Kind::Uuid | Kind::Json => None,
    }
}

/// The raw SQL check expression for a column, if its kind gets one. Every generated
/// value satisfies it.
pub fn check_expr(kind: Kind, col: &str) -> Option<String> {
    if kind.is_number() {
        Some(format!("{col} >= 0"))
    } else if kind.is_text() {
        Some(format!("length({col}) > 0"))
    } else {
        None
    }
}
