//! Column types as PostgreSQL spells them.
//!
//! The portable types map one to one (`string(50)` → `VARCHAR(50)`, `float` →
//! `REAL`, `binary` → `BYTEA`); an enum is the type's quoted, qualified name; a
//! native type is passed through verbatim (its `postgresql` variant first).

use super::quote::quote_ident;
use crate::ir::{ColumnType, Dialect};

/// The SQL of a column type, or why it has none on PostgreSQL.
pub fn type_sql(ty: &ColumnType) -> Result<String, String> {
    let fixed = match ty {
        ColumnType::SmallInt => "SMALLINT",
        ColumnType::Integer => "INTEGER",
        ColumnType::BigInt => "BIGINT",
        ColumnType::Boolean => "BOOLEAN",
        ColumnType::Text => "TEXT",
        ColumnType::Float => "REAL",
        ColumnType::Double => "DOUBLE PRECISION",
        ColumnType::Date => "DATE",
        ColumnType::Time => "TIME WITHOUT TIME ZONE",
        ColumnType::Timestamp => "TIMESTAMP WITHOUT TIME ZONE",
        ColumnType::TimestampTz => "TIMESTAMP WITH TIME ZONE",
        ColumnType::Interval => "INTERVAL",
        ColumnType::Uuid => "UUID",
        ColumnType::Json => "JSON",
        ColumnType::Jsonb => "JSONB",
        ColumnType::Binary => "BYTEA",
        ColumnType::String { length } => return Ok(varchar(*length)),
        ColumnType::Numeric { precision, scale } => return Ok(numeric(*precision, *scale)),
        ColumnType::Enum { name, schema } => return Ok(enum_name(schema.as_deref(), name)),
        ColumnType::Native {
            default,
            per_dialect,
        } => return native(default.as_deref(), per_dialect),
    };
    Ok(fixed.to_string())
}

fn varchar(length: Option<u32>) -> String {
    match length {
        Some(n) => format!("VARCHAR({n})"),
        None => "VARCHAR".into(),
    }
}

fn numeric(precision: Option<u32>, scale: Option<u32>) -> String {
    match (precision, scale) {
        (Some(p), Some(s)) => format!("NUMERIC({p}, {s})"),
        (Some(p), None) => format!("NUMERIC({p})"),
        _ => "NUMERIC".into(),
    }
}

fn enum_name(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(name)),
        None => quote_ident(name),
    }
}

fn native(default: Option<&str>, per_dialect: &[(Dialect, String)]) -> Result<String, String> {
    per_dialect
        .iter()
        .find(|(d, _)| *d == Dialect::Postgresql)
        .map(|(_, t)| t.as_str())
        .or(default)
        .map(str::to_string)
        .ok_or_else(|| "this native type has no `postgresql` variant and no default".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_types() {
        let t = |ty: ColumnType| type_sql(&ty).unwrap();
        assert_eq!(t(ColumnType::String { length: Some(50) }), "VARCHAR(50)");
        assert_eq!(
            t(ColumnType::Numeric {
                precision: Some(10),
                scale: Some(2)
            }),
            "NUMERIC(10, 2)"
        );
        assert_eq!(
            t(ColumnType::Enum {
                name: "Status".into(),
                schema: Some("app".into())
            }),
            "app.\"Status\""
        );
        assert_eq!(
            t(ColumnType::Enum {
                name: "time".into(),
                schema: None
            }),
            "\"time\""
        );
    }

    #[test]
    fn native_types_prefer_the_postgresql_variant() {
        let n = |default: Option<&str>, pd: Vec<(Dialect, String)>| {
            type_sql(&ColumnType::Native {
                default: default.map(Into::into),
                per_dialect: pd,
            })
        };
        assert_eq!(n(Some("citext"), vec![]).unwrap(), "citext");
        assert_eq!(
            n(
                Some("x"),
                vec![
                    (Dialect::Sqlite, "TEXT".into()),
                    (Dialect::Postgresql, "citext".into())
                ]
            )
            .unwrap(),
            "citext"
        );
        assert!(n(None, vec![(Dialect::Sqlite, "TEXT".into())]).is_err());
    }
}
