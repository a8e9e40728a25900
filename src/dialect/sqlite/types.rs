//! Column types on SQLite: the declared type of each language type, read from
//! `dialects/sqlite/types.toml`, and the `CHECK` that stands in for an enum type.

use super::{literal, quote};
use crate::ir::{ColumnType, Dialect};
use crate::model::Schema;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const TYPES_TOML: &str = include_str!("../../../dialects/sqlite/types.toml");

fn table() -> Result<&'static BTreeMap<String, String>, String> {
    static TABLE: OnceLock<Result<BTreeMap<String, String>, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| toml::from_str(TYPES_TOML).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| format!("dialects/sqlite/types.toml is invalid: {e}"))
}

fn entry(key: &str) -> Result<Cow<'static, str>, TypeError> {
    table()
        .map_err(TypeError::Internal)?
        .get(key)
        .map(|t| Cow::Borrowed(t.as_str()))
        .ok_or_else(|| TypeError::Internal(format!("dialects/sqlite/types.toml has no `{key}`")))
}

/// Why a type cannot be declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// `native "..."` without a text for SQLite.
    NoNativeText,
    /// `enum NAME` the model does not know (or in a schema).
    UnknownEnum(String),
    /// A broken invariant (the type table is incomplete).
    Internal(String),
}

/// The declared SQL type of a column.
pub fn declared(ty: &ColumnType, schema: &Schema) -> Result<Cow<'static, str>, TypeError> {
    Ok(match ty {
        ColumnType::SmallInt => entry("smallint")?,
        ColumnType::Integer => entry("integer")?,
        ColumnType::BigInt => entry("bigint")?,
        ColumnType::Boolean => entry("boolean")?,
        ColumnType::String { length: None } => entry("string")?,
        ColumnType::String { length: Some(n) } => entry("string_length")?
            .replace("{length}", &n.to_string())
            .into(),
        ColumnType::Text => entry("text")?,
        ColumnType::Numeric {
            precision: None, ..
        } => entry("numeric")?,
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => entry("numeric_precision")?
            .replace("{precision}", &p.to_string())
            .into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => entry("numeric_precision_scale")?
            .replace("{precision}", &p.to_string())
            .replace("{scale}", &s.to_string())
            .into(),
        ColumnType::Float => entry("float")?,
        ColumnType::Double => entry("double")?,
        ColumnType::Date => entry("date")?,
        ColumnType::Time => entry("time")?,
        ColumnType::Timestamp => entry("timestamp")?,
        ColumnType::TimestampTz => entry("timestamptz")?,
        ColumnType::Interval => entry("interval")?,
        ColumnType::Uuid => entry("uuid")?,
        ColumnType::Json => entry("json")?,
        ColumnType::Jsonb => entry("jsonb")?,
        ColumnType::Binary => entry("binary")?,
        ColumnType::Enum { .. } => {
            let longest = enum_values(ty, schema)?
                .iter()
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(1)
                .max(1);
            entry("enum")?
                .replace("{length}", &longest.to_string())
                .into()
        }
        ColumnType::Native {
            default,
            per_dialect,
        } => per_dialect
            .iter()
            .find(|(d, _)| *d == Dialect::Sqlite)
            .map(|(_, t)| t.clone())
            .or_else(|| default.clone())
            .ok_or(TypeError::NoNativeText)?
            .into(),
    })
}

/// Whether the declared type makes an `INTEGER PRIMARY KEY` rowid alias possible.
pub fn is_integer(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    )
}

/// The values of an enum column's type, from the model.
pub fn enum_values<'s>(ty: &ColumnType, schema: &'s Schema) -> Result<&'s [String], TypeError> {
    let ColumnType::Enum { name, schema: ns } = ty else {
        return Ok(&[]);
    };
    schema
        .enums
        .get(&(ns.clone(), name.clone()))
        .map(|e| e.values.as_slice())
        .ok_or_else(|| TypeError::UnknownEnum(ty.describe()))
}

/// `"status" IN ('active', 'banned')` for an enum column; `None` for other types.
pub fn enum_check(
    column: &str,
    ty: &ColumnType,
    schema: &Schema,
) -> Result<Option<String>, TypeError> {
    if !matches!(ty, ColumnType::Enum { .. }) {
        return Ok(None);
    }
    let values = enum_values(ty, schema)?
        .iter()
        .map(|v| literal::string(v).map_err(TypeError::Internal))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(format!(
        "{} IN ({})",
        quote::ident(column),
        values.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EnumType;

    fn s() -> Schema {
        let mut s = Schema::default();
        s.enums.insert(
            (None, "status".into()),
            EnumType {
                schema: None,
                name: "status".into(),
                values: vec!["active".into(), "it's banned".into()],
            },
        );
        s
    }

    #[test]
    fn every_type_has_a_declaration() {
        let schema = s();
        let all = [
            ColumnType::SmallInt,
            ColumnType::Integer,
            ColumnType::BigInt,
            ColumnType::Boolean,
            ColumnType::String { length: None },
            ColumnType::String { length: Some(9) },
            ColumnType::Text,
            ColumnType::Numeric {
                precision: None,
                scale: None,
            },
            ColumnType::Numeric {
                precision: Some(10),
                scale: None,
            },
            ColumnType::Numeric {
                precision: Some(10),
                scale: Some(2),
            },
            ColumnType::Float,
            ColumnType::Double,
            ColumnType::Date,
            ColumnType::Time,
            ColumnType::Timestamp,
            ColumnType::TimestampTz,
            ColumnType::Interval,
            ColumnType::Uuid,
            ColumnType::Json,
            ColumnType::Jsonb,
            ColumnType::Binary,
            ColumnType::Enum {
                name: "status".into(),
                schema: None,
            },
        ];
        let got: Vec<String> = all
            .iter()
            .map(|t| declared(t, &schema).unwrap().into_owned())
            .collect();
        assert_eq!(
            got.join(" | "),
            "INTEGER | INTEGER | INTEGER | BOOLEAN | VARCHAR | VARCHAR(9) | TEXT | NUMERIC | \
             NUMERIC(10) | NUMERIC(10, 2) | REAL | REAL | DATE | TIME | DATETIME | DATETIME | \
             TEXT | CHAR(32) | JSON | JSON | BLOB | VARCHAR(11)"
        );
    }

    #[test]
    fn native_prefers_the_sqlite_text() {
        let t = ColumnType::Native {
            default: Some("citext".into()),
            per_dialect: vec![(Dialect::Sqlite, "TEXT COLLATE NOCASE".into())],
        };
        assert_eq!(
            declared(&t, &Schema::default()).unwrap(),
            "TEXT COLLATE NOCASE"
        );
        let pg_only = ColumnType::Native {
            default: None,
            per_dialect: vec![(Dialect::Postgresql, "citext".into())],
        };
        assert_eq!(
            declared(&pg_only, &Schema::default()),
            Err(TypeError::NoNativeText)
        );
    }

    #[test]
    fn enum_check_lists_the_values() {
        let t = ColumnType::Enum {
            name: "status".into(),
            schema: None,
        };
        assert_eq!(
            enum_check("st", &t, &s()).unwrap().unwrap(),
            "\"st\" IN ('active', 'it''s banned')"
        );
        assert!(enum_check("st", &t, &Schema::default()).is_err());
    }
}
