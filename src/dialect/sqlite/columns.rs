//! Checks on column definitions as written (`create_table`, `add_column`), so
//! that an error points at the column rather than at the whole operation:
//! `autoincrement` only on a one-column integer primary key (E0554), a `native`
//! type with a text for SQLite (E0555).

use super::{errors, types};
use crate::diagnostic::Diagnostic;
use crate::ir::{ColumnDef, ColumnType, ConstraintKind, CreateTable, Dialect};

/// Problems with the columns of a `create_table`.
pub fn check_create(ct: &CreateTable) -> Vec<Diagnostic> {
    let mut pk: Vec<&str> = ct
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.as_str())
        .collect();
    for c in &ct.constraints {
        if let ConstraintKind::PrimaryKey { columns } = &c.kind {
            pk.extend(columns.iter().map(|i| i.as_str()));
        }
    }
    let table = ct.table.name.as_str();
    ct.columns
        .iter()
        .flat_map(|c| check(table, c, &pk))
        .collect()
}

/// Problems with one column, given the table's primary-key columns.
pub fn check(table: &str, c: &ColumnDef, pk: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let sole_pk = matches!(pk, [only] if *only == c.name.as_str());
    if c.identity.is_some() && !(sole_pk && types::is_integer(&c.ty)) {
        out.push(errors::bad_identity(table, c.name.as_str(), c.span));
    }
    if let ColumnType::Native {
        default: None,
        per_dialect,
    } = &c.ty
    {
        if !per_dialect.iter().any(|(d, _)| *d == Dialect::Sqlite) {
            out.push(errors::bad_type(
                types::TypeError::NoNativeText,
                c.name.as_str(),
                c.span,
            ));
        }
    }
    out
}
