//! The portable column types and the dialect names used in the IR.

/// A target dialect, as named in the config and in `execute { postgresql "..." }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Postgresql,
    Sqlite,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Sqlite => "sqlite",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        match name {
            "postgresql" | "postgres" => Some(Dialect::Postgresql),
            "sqlite" => Some(Dialect::Sqlite),
            _ => None,
        }
    }
}

/// A column type of the language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// `smallint`
    SmallInt,
    /// `integer`
    Integer,
    /// `bigint`
    BigInt,
    /// `boolean`
    Boolean,
    /// `string(255)` (VARCHAR(255)) or `string` (VARCHAR without a length).
    String { length: Option<u32> },
    /// `text`
    Text,
    /// `numeric(10, 2)`, `numeric(10)` or `numeric`.
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    /// `float` (REAL, 4 bytes on PostgreSQL)
    Float,
    /// `double` (DOUBLE PRECISION)
    Double,
    /// `date`
    Date,
    /// `time`
    Time,
    /// `timestamp` (without time zone)
    Timestamp,
    /// `timestamptz` / `timestamp with time zone`
    TimestampTz,
    /// `interval`
    Interval,
    /// `uuid`
    Uuid,
    /// `json`
    Json,
    /// `jsonb`
    Jsonb,
    /// `binary` (BYTEA / BLOB)
    Binary,
    /// `enum user_status`: a type created by `create_enum`. On SQLite: TEXT plus a CHECK
    /// listing the values the model knows.
    Enum {
        name: String,
        schema: Option<String>,
    },
    /// `native "citext"` or `native { postgresql "citext" sqlite "TEXT" }`: passed through.
    Native {
        default: Option<String>,
        per_dialect: Vec<(Dialect, String)>,
    },
}

impl ColumnType {
    /// How the type is written in the language (for messages and derived files).
    pub fn describe(&self) -> String {
        match self {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "integer".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Boolean => "boolean".into(),
            ColumnType::String { length: Some(n) } => format!("string({n})"),
            ColumnType::String { length: None } => "string".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Numeric {
                precision: Some(p),
                scale: Some(s),
            } => format!("numeric({p}, {s})"),
            ColumnType::Numeric {
                precision: Some(p),
                scale: None,
            } => format!("numeric({p})"),
            ColumnType::Numeric { .. } => "numeric".into(),
            ColumnType::Float => "float".into(),
            ColumnType::Double => "double".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time => "time".into(),
            ColumnType::Timestamp => "timestamp".into(),
            ColumnType::TimestampTz => "timestamptz".into(),
            ColumnType::Interval => "interval".into(),
            ColumnType::Uuid => "uuid".into(),
            ColumnType::Json => "json".into(),
            ColumnType::Jsonb => "jsonb".into(),
            ColumnType::Binary => "binary".into(),
            ColumnType::Enum { name, schema } => match schema {
                Some(s) => format!("enum {s}.{name}"),
                None => format!("enum {name}"),
            },
            ColumnType::Native {
                default,
                per_dialect,
            } => match (default, per_dialect.first()) {
                (Some(d), _) => format!("native {d:?}"),
                (None, Some((dialect, t))) => format!("native {{ {} {t:?} }}", dialect.name()),
                (None, None) => "native".into(),
            },
        }
    }
}
