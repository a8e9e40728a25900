//! Literal values and column defaults.
//!
//! Literals keep their exact text where precision matters (integers, decimals,
//! dates): the dialect binds them without ever going through a float.

/// A typed literal, as written in `bulk_insert` rows and `default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// `42`, `-9223372036854775808`: the digits as written (optional leading `-`).
    Integer(String),
    /// `3.14`, `-0.000001`, `1e10`: as written.
    Decimal(String),
    /// `'it''s'`, `"line\nbreak"`, `"""raw"""`: the decoded string.
    String(String),
    /// `date '2024-01-31'`
    Date(String),
    /// `time '13:45:00'`
    Time(String),
    /// `timestamp '2024-01-31 13:45:00'`
    Timestamp(String),
    /// `timestamptz '2024-01-31 13:45:00+02'`
    TimestampTz(String),
    /// `interval '1 day 2 hours'`
    Interval(String),
    /// `uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`
    Uuid(String),
    /// `json '{"a": [1, 2]}'`: the JSON text, validated by the parser.
    Json(String),
    /// `x'DEADBEEF'`: bytes.
    Binary(Vec<u8>),
}

/// A column's server default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Default {
    /// `default 'member'`: a literal bound by the dialect.
    Literal(Literal),
    /// `default sql "now()"`: an SQL expression passed through verbatim.
    Expression(String),
}
