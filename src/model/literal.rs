//! Whether a literal fits a column type, roughly: the checks PostgreSQL would make
//! when the script runs that are cheap to make at compile time (a string into an
//! integer column, an integer out of range, a string longer than `string(N)`, a
//! value an enum does not have). `native` types accept anything.

use super::EnumType;
use crate::ir::{ColumnType, Literal};

/// `Err(reason)` when the literal cannot be stored in a column of type `ty`.
/// `enum_type` is the enum when `ty` is `enum NAME` and it is known.
pub(crate) fn check_fits(
    lit: &Literal,
    ty: &ColumnType,
    enum_type: Option<&EnumType>,
) -> Result<(), String> {
    use ColumnType as T;
    use Literal as L;
    let ok = match (ty, lit) {
        (_, L::Null) | (T::Native { .. }, _) => true,
        (T::SmallInt, L::Integer(n)) => return int_range(n, i16::MIN.into(), i16::MAX.into(), ty),
        (T::Integer, L::Integer(n)) => return int_range(n, i32::MIN.into(), i32::MAX.into(), ty),
        (T::BigInt, L::Integer(n)) => return int_range(n, i64::MIN.into(), i64::MAX.into(), ty),
        (T::Numeric { .. } | T::Float | T::Double, L::Integer(_) | L::Decimal(_)) => true,
        (T::Boolean, L::Bool(_)) => true,
        (T::String { length }, L::String(s)) => return string_length(s, *length),
        (T::Text, L::String(_)) => true,
        (T::Enum { .. }, L::String(s)) => return enum_value(s, enum_type),
        (T::Date, L::Date(_) | L::String(_)) => true,
        (T::Time, L::Time(_) | L::String(_)) => true,
        (T::Timestamp | T::TimestampTz, L::Timestamp(_) | L::TimestampTz(_) | L::Date(_)) => true,
        (T::Timestamp | T::TimestampTz, L::String(_)) => true,
        (T::Interval, L::Interval(_) | L::String(_)) => true,
        (T::Uuid, L::Uuid(_) | L::String(_)) => true,
        (T::Json | T::Jsonb, L::Json(_) | L::String(_)) => true,
        (T::Binary, L::Binary(_)) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} does not fit a column of type {}",
            describe(lit),
            ty.describe()
        ))
    }
}

fn int_range(digits: &str, min: i128, max: i128, ty: &ColumnType) -> Result<(), String> {
    match digits.parse::<i128>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(format!(
            "{digits} is out of range for type {} ({min} to {max})",
            ty.describe()
        )),
    }
}

fn string_length(s: &str, length: Option<u32>) -> Result<(), String> {
    let chars = s.chars().count();
    match length {
        Some(n) if chars > n as usize => Err(format!(
            "a string of {chars} characters does not fit string({n})"
        )),
        _ => Ok(()),
    }
}

fn enum_value(s: &str, e: Option<&EnumType>) -> Result<(), String> {
    match e {
        Some(e) if !e.values.iter().any(|v| v == s) => Err(format!(
            "'{s}' is not a value of enum {} (values: {})",
            e.name,
            e.values.join(", ")
        )),
        _ => Ok(()),
    }
}

/// How a literal's kind is named in messages.
pub(crate) fn describe(lit: &Literal) -> &'static str {
    match lit {
        Literal::Null => "null",
        Literal::Bool(_) => "a boolean",
        Literal::Integer(_) => "an integer",
        Literal::Decimal(_) => "a decimal number",
        Literal::String(_) => "a string",
        Literal::Date(_) => "a date",
        Literal::Time(_) => "a time",
        Literal::Timestamp(_) => "a timestamp",
        Literal::TimestampTz(_) => "a timestamptz",
        Literal::Interval(_) => "an interval",
        Literal::Uuid(_) => "a uuid",
        Literal::Json(_) => "a json value",
        Literal::Binary(_) => "a binary value",
    }
}
