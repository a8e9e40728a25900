//! Dependencies between objects of the model: what goes away with a column, and
//! which foreign keys need a key that is about to be dropped.
//!
//! Policy (PostgreSQL's): dropping a column also drops the primary key, constraints
//! and indexes *of the same table* that involve it (a check or index expression
//! involves a column when it mentions it). A foreign key of another table (or of the
//! same table, through other columns) that references the column is not dropped
//! silently: PostgreSQL would need `CASCADE`, the model reports an error.

use super::lookup::KeySource;
use super::sqlscan::mentions;
use super::{ConstraintKind, IndexElement, Schema, Table};

/// What dropping a column of a table removes with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnDependants {
    /// The primary key includes the column.
    pub primary_key: bool,
    /// Unique, foreign-key and check constraints of the table involving the column.
    pub constraints: Vec<String>,
    /// Indexes of the table involving the column.
    pub indexes: Vec<String>,
}

impl Table {
    /// The primary key, constraints and indexes that dropping `column` drops too.
    pub fn column_dependants(&self, column: &str) -> ColumnDependants {
        let primary_key = self
            .primary_key
            .as_ref()
            .is_some_and(|p| p.columns.iter().any(|c| c == column));
        let constraints = self
            .constraints
            .values()
            .filter(|c| match &c.kind {
                ConstraintKind::Unique { columns } | ConstraintKind::ForeignKey { columns, .. } => {
                    columns.iter().any(|c| c == column)
                }
                ConstraintKind::Check { expr } => mentions(expr, column),
            })
            .map(|c| c.name.clone())
            .collect();
        let indexes = self
            .indexes
            .values()
            .filter(|i| index_involves(i, column))
            .map(|i| i.name.clone())
            .collect();
        ColumnDependants {
            primary_key,
            constraints,
            indexes,
        }
    }
}

fn index_involves(i: &super::Index, column: &str) -> bool {
    i.where_clause
        .as_deref()
        .is_some_and(|w| mentions(w, column))
        || i.elements.iter().any(|e| match e {
            IndexElement::Column { name, .. } => name == column,
            IndexElement::Expression(x) => mentions(x, column),
        })
}

/// A foreign key that would be left without the key it relies on.
pub(crate) struct NeededBy {
    /// `schema.table` of the foreign key's table, for messages.
    pub table: String,
    pub constraint: String,
}

/// Foreign keys (of other tables, and self-references of `t`) into `t` whose
/// referenced columns are no longer a key of `t` once `removed` is dropped.
/// `renames` maps other tables' (older) column names to `t`'s current ones.
pub(crate) fn fks_needing(
    schema: &Schema,
    t: &Table,
    removed: KeySource<'_>,
    renames: &[(String, String)],
) -> Vec<NeededBy> {
    let mut out = Vec::new();
    for (fk_table, c) in fks_into(schema, t) {
        if let ConstraintKind::ForeignKey { ref_columns, .. } = &c.kind {
            let cols = current_names(
                ref_columns,
                renames,
                fk_table.name == t.name && fk_table.schema == t.schema,
            );
            if !t.is_unique_key_except(&cols, Some(removed)) {
                out.push(NeededBy {
                    table: fk_table.display_name(),
                    constraint: c.name.clone(),
                });
            }
        }
    }
    out
}

/// Foreign keys that reference column `column` of `t`, other than those `t` drops
/// with the column (its own foreign keys on that column).
pub(crate) fn fks_on_column(
    schema: &Schema,
    t: &Table,
    column: &str,
    renames: &[(String, String)],
) -> Vec<NeededBy> {
    let mut out = Vec::new();
    for (fk_table, c) in fks_into(schema, t) {
        let ConstraintKind::ForeignKey {
            columns,
            ref_columns,
            ..
        } = &c.kind
        else {
            continue;
        };
        let own = fk_table.name == t.name && fk_table.schema == t.schema;
        if own && columns.iter().any(|c| c == column) {
            continue;
        }
        if current_names(ref_columns, renames, own)
            .iter()
            .any(|c| c == column)
        {
            out.push(NeededBy {
                table: fk_table.display_name(),
                constraint: c.name.clone(),
            });
        }
    }
    out
}

/// Foreign keys into `t`: `t`'s self-references first, then other tables'.
fn fks_into<'a>(
    schema: &'a Schema,
    t: &'a Table,
) -> impl Iterator<Item = (&'a Table, &'a super::Constraint)> {
    let own = t
        .foreign_keys()
        .filter(|c| c.references(t.schema.as_deref(), &t.name))
        .map(move |c| (t, c));
    let others = schema
        .referencing_fks(t.schema.as_deref(), &t.name)
        .into_iter()
        .filter_map(move |(k, c)| Some((schema.tables.get(&k)?, c)));
    own.chain(others)
}

/// Other tables store `t`'s column names as they were before this batch's renames.
fn current_names(cols: &[String], renames: &[(String, String)], own: bool) -> Vec<String> {
    cols.iter()
        .map(|c| {
            if own {
                return c.clone();
            }
            renames.iter().fold(
                c.clone(),
                |name, (old, new)| {
                    if name == *old {
                        new.clone()
                    } else {
                        name
                    }
                },
            )
        })
        .collect()
}
