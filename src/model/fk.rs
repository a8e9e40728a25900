//! Foreign-key checks: the target table and columns exist, the counts match, the
//! target columns are a primary key or unique (PostgreSQL refuses anything else),
//! and the column types can be compared.

use super::build::{qkey, Cx};
use super::errors::list_help;
use super::names::KeyRef;
use super::{ConstraintKind, Table};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{ColumnType, ForeignKeyRef, Ident};

/// A foreign key as checked: ready, or waiting for its target table.
pub(crate) enum Checked {
    Ready(ConstraintKind),
    /// `use_alter` to a table that does not exist yet: PostgreSQL adds it at the end
    /// of the revision, so the target is checked when it is created
    /// (see [`super::Schema::end_revision`]).
    Deferred(ConstraintKind),
}

/// The model's foreign key, or `None` after pushing errors.
pub(crate) fn foreign_key(
    cx: &Cx,
    t: &Table,
    columns: Vec<String>,
    r: &ForeignKeyRef,
    diags: &mut Diagnostics,
) -> Option<Checked> {
    let missing = qkey(&r.table) != KeyRef(t.schema.as_deref(), &t.name)
        && !cx.schema.tables.contains_key(&qkey(&r.table));
    if missing && r.use_alter {
        let ref_columns = r.columns.iter().map(|c| c.value.clone()).collect();
        return Some(Checked::Deferred(kind(columns, &r.table, ref_columns, r)));
    }
    let target = target_table(cx, t, r, diags)?;
    let ref_columns = check_target(t, &columns, target, r, diags)?;
    let (schema, name) = (target.schema.clone(), target.name.clone());
    let q = crate::ir::QualifiedName {
        schema: schema.map(|s| Ident::new(s, r.span)),
        name: Ident::new(name, r.span),
    };
    Some(Checked::Ready(kind(columns, &q, ref_columns, r)))
}

fn kind(
    columns: Vec<String>,
    target: &crate::ir::QualifiedName,
    ref_columns: Vec<String>,
    r: &ForeignKeyRef,
) -> ConstraintKind {
    ConstraintKind::ForeignKey {
        columns,
        ref_schema: target.schema.as_ref().map(|s| s.value.clone()),
        ref_table: target.name.value.clone(),
        ref_columns,
        on_delete: r.on_delete,
        on_update: r.on_update,
        deferrable: r.deferrable,
    }
}

/// The referenced columns of `target` (its primary key when `r` names none),
/// checked: they exist, match `columns` in number and type, and are a key.
pub(crate) fn check_target(
    t: &Table,
    columns: &[String],
    target: &Table,
    r: &ForeignKeyRef,
    diags: &mut Diagnostics,
) -> Option<Vec<String>> {
    let errors_before = diags.iter().count();
    let ref_columns = target_columns(target, r, diags)?;
    if columns.len() != ref_columns.len() {
        diags.push(
            Diagnostic::error(
                "E0222",
                format!(
                    "the foreign key has {} column(s) but references {} column(s)",
                    columns.len(),
                    ref_columns.len()
                ),
            )
            .with_span(r.span, "column counts differ")
            .with_help("list as many referenced columns as foreign key columns"),
        );
        return None;
    }
    if !target.is_unique_key(&ref_columns) {
        diags.push(not_unique(target, &ref_columns, r));
    }
    check_types(t, columns, target, &ref_columns, r, diags);
    (diags.iter().count() == errors_before).then_some(ref_columns)
}

/// The referenced table: `t` itself for a self-reference, else from the schema.
fn target_table<'a>(
    cx: &Cx<'a>,
    t: &'a Table,
    r: &ForeignKeyRef,
    diags: &mut Diagnostics,
) -> Option<&'a Table> {
    let key = qkey(&r.table);
    if key == KeyRef(t.schema.as_deref(), &t.name) {
        return Some(t);
    }
    let found = cx.schema.tables.get(&key);
    if found.is_none() {
        let known = super::errors::table_list(cx.schema, None, Some(t));
        diags.push(
            Diagnostic::error(
                "E0220",
                format!(
                    "foreign key references unknown table \"{}\"",
                    r.table.display()
                ),
            )
            .with_span(r.table.span(), "no such table at this revision")
            .with_help(list_help(
                "tables known here",
                &known,
                "create the referenced table first",
            )),
        );
    }
    found
}

fn target_columns(
    target: &Table,
    r: &ForeignKeyRef,
    diags: &mut Diagnostics,
) -> Option<Vec<String>> {
    if r.columns.is_empty() {
        // `references users` with no column: the primary key, as in PostgreSQL.
        return match &target.primary_key {
            Some(pk) => Some(pk.columns.clone()),
            None => {
                diags.push(
                    Diagnostic::error(
                        "E0225",
                        format!(
                            "table \"{}\" has no primary key to reference",
                            target.display_name()
                        ),
                    )
                    .with_span(r.span, "no referenced columns given")
                    .with_help("name the referenced columns, e.g. `references users (id)`"),
                );
                None
            }
        };
    }
    let mut out = Vec::with_capacity(r.columns.len());
    for c in &r.columns {
        match target.column(&c.value) {
            Some(col) => out.push(col.name.clone()),
            None => {
                let known: Vec<&str> = target.columns.keys().map(String::as_str).collect();
                diags.push(
                    Diagnostic::error(
                        "E0221",
                        format!(
                            "foreign key references unknown column \"{}\" of \"{}\"",
                            c.value,
                            target.display_name()
                        ),
                    )
                    .with_span(c.span, "no such column")
                    .with_help(list_help(
                        &format!("columns of \"{}\"", target.display_name()),
                        &known,
                        "the table has no columns",
                    )),
                );
            }
        }
    }
    (out.len() == r.columns.len()).then_some(out)
}

fn not_unique(target: &Table, cols: &[String], r: &ForeignKeyRef) -> Diagnostic {
    Diagnostic::error(
        "E0223",
        format!(
            "({}) of \"{}\" is neither its primary key nor unique",
            cols.join(", "),
            target.display_name()
        ),
    )
    .with_span(
        r.span,
        "a foreign key must reference a primary key or unique columns",
    )
    .with_help(format!(
        "add a unique constraint first: `create_unique_constraint NAME on {} ({})`",
        target.display_name(),
        cols.join(", ")
    ))
}

fn check_types(
    t: &Table,
    columns: &[String],
    target: &Table,
    ref_columns: &[String],
    r: &ForeignKeyRef,
    diags: &mut Diagnostics,
) {
    for (c, rc) in columns.iter().zip(ref_columns) {
        let (Some(a), Some(b)) = (t.column(c), target.column(rc)) else {
            continue;
        };
        if !comparable(&a.ty, &b.ty) {
            diags.push(
                Diagnostic::error(
                    "E0224",
                    format!(
                        "foreign key column \"{c}\" ({}) cannot reference \"{rc}\" ({})",
                        a.ty.describe(),
                        b.ty.describe()
                    ),
                )
                .with_span(r.span, "incompatible column types")
                .with_help("give both columns the same type"),
            );
        }
    }
}

/// Types PostgreSQL can compare for a foreign key, roughly.
fn comparable(a: &ColumnType, b: &ColumnType) -> bool {
    use ColumnType as T;
    let family = |t: &ColumnType| match t {
        T::SmallInt | T::Integer | T::BigInt | T::Numeric { .. } | T::Float | T::Double => 1,
        T::String { .. } | T::Text => 2,
        T::Timestamp | T::TimestampTz => 3,
        _ => 0,
    };
    match (a, b) {
        (T::Native { .. }, _) | (_, T::Native { .. }) => true,
        _ if family(a) != 0 => family(a) == family(b),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && enum_same(a, b),
    }
}

fn enum_same(a: &ColumnType, b: &ColumnType) -> bool {
    match (a, b) {
        (ColumnType::Enum { name: x, schema: s }, ColumnType::Enum { name: y, schema: z }) => {
            x == y && s == z
        }
        _ => true,
    }
}

/// E0224 when changing column `column` of `t` to `ty` breaks a foreign key on it
/// or into it (PostgreSQL refuses that `ALTER COLUMN ... TYPE`).
pub(crate) fn check_retype(
    cx: &Cx,
    t: &Table,
    column: &str,
    ty: &ColumnType,
    renames: &[(String, String)],
    span: crate::source::Span,
    diags: &mut Diagnostics,
) {
    let mut pairs: Vec<(String, ColumnType)> = Vec::new();
    for c in t.foreign_keys() {
        if let ConstraintKind::ForeignKey {
            columns,
            ref_schema,
            ref_table,
            ref_columns,
            ..
        } = &c.kind
        {
            let target = if c.references(t.schema.as_deref(), &t.name) {
                Some(t)
            } else {
                cx.schema.table(ref_schema.as_deref(), ref_table)
            };
            for (own, theirs) in columns.iter().zip(ref_columns) {
                if own == column {
                    if let Some(col) = target.and_then(|x| x.column(theirs)) {
                        pairs.push((c.name.clone(), col.ty.clone()));
                    }
                }
            }
        }
    }
    for (source, c) in cx.schema.referencing_fks(t.schema.as_deref(), &t.name) {
        if let ConstraintKind::ForeignKey {
            columns,
            ref_columns,
            ..
        } = &c.kind
        {
            let Some(src) = cx.schema.table(source.0.as_deref(), &source.1) else {
                continue;
            };
            for (theirs, target) in columns.iter().zip(ref_columns) {
                let current =
                    renames.iter().fold(
                        target.clone(),
                        |n, (o, new)| if n == *o { new.clone() } else { n },
                    );
                if current == column {
                    if let Some(col) = src.column(theirs) {
                        pairs.push((c.name.clone(), col.ty.clone()));
                    }
                }
            }
        }
    }
    for c in t
        .foreign_keys()
        .filter(|c| c.references(t.schema.as_deref(), &t.name))
    {
        if let ConstraintKind::ForeignKey {
            columns,
            ref_columns,
            ..
        } = &c.kind
        {
            for (own, target) in columns.iter().zip(ref_columns) {
                if target == column && own != column {
                    if let Some(col) = t.column(own) {
                        pairs.push((c.name.clone(), col.ty.clone()));
                    }
                }
            }
        }
    }
    for (fk, other) in pairs {
        if !comparable(ty, &other) {
            diags.push(
                Diagnostic::error(
                    "E0224",
                    format!(
                        "column \"{column}\" cannot become {}: foreign key {fk} pairs it with a column of type {}",
                        ty.describe(),
                        other.describe()
                    ),
                )
                .with_span(span, "incompatible with a foreign key")
                .with_help(format!("drop foreign key {fk} first, or change both columns")),
            );
        }
    }
}
