//! Checks on the names an operation uses: SQLite has no schemas but `main` (the
//! main database, which every unqualified name means), so any other schema is
//! E0550; a name cannot hold a NUL (E0557). Also the model lookups that treat
//! `main.users` and `users` as the same table.

use super::{errors, quote};
use crate::diagnostic::Diagnostic;
use crate::ir::{ColumnType, ConstraintKind, Ident, Op, OpKind, QualifiedName, TableConstraint};
use crate::model::{Schema, Table};
use std::sync::Arc;

/// Every problem with the names `op` uses.
pub fn check(op: &Op) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut q = |name: &QualifiedName| {
        if name.schema.as_ref().is_some_and(|s| !is_main(s.as_str())) {
            out.push(errors::schema_qualified(&name.display(), name.span()));
        }
        if let Err(why) = quote::check_ident(name.name.as_str()) {
            out.push(errors::bad_name(why, name.name.span));
        }
        if is_reserved(name.name.as_str()) {
            out.push(errors::reserved_name(name.name.as_str(), name.name.span));
        }
    };
    visit(op, &mut q);
    let mut idents = Vec::new();
    idents_of(op, &mut idents);
    for id in idents {
        if let Err(why) = quote::check_ident(id.as_str()) {
            out.push(errors::bad_name(why, id.span));
        }
    }
    let new_object = match &op.kind {
        OpKind::RenameTable { new_name, .. } => Some(new_name),
        OpKind::CreateIndex(ci) => Some(&ci.name),
        _ => None,
    };
    if let Some(n) = new_object.filter(|n| is_reserved(n.as_str())) {
        out.push(errors::reserved_name(n.as_str(), n.span));
    }
    out
}

fn visit(op: &Op, f: &mut impl FnMut(&QualifiedName)) {
    match &op.kind {
        OpKind::CreateTable(ct) => {
            f(&ct.table);
            for c in &ct.columns {
                column_refs(c.references.as_ref().map(|r| &r.table), &c.ty, op, f);
            }
            ct.constraints.iter().for_each(|c| constraint_refs(c, f));
        }
        OpKind::AddColumn { table, column } => {
            f(table);
            column_refs(
                column.references.as_ref().map(|r| &r.table),
                &column.ty,
                op,
                f,
            );
        }
        OpKind::AlterColumn { table, changes, .. } => {
            f(table);
            for ch in changes {
                if let crate::ir::ColumnChange::SetType { ty, .. } = ch {
                    column_refs(None, ty, op, f);
                }
            }
        }
        OpKind::AddConstraint { table, constraint } => {
            f(table);
            constraint_refs(constraint, f);
        }
        OpKind::DropTable { table }
        | OpKind::RenameTable { table, .. }
        | OpKind::DropColumn { table, .. }
        | OpKind::DropConstraint { table, .. }
        | OpKind::SetTableComment { table, .. }
        | OpKind::BulkInsert { table, .. } => f(table),
        OpKind::Backfill(b) => f(&b.table),
        OpKind::CreateIndex(ci) => f(&ci.table),
        OpKind::DropIndex { name, table, .. } => {
            f(name);
            if let Some(t) = table {
                f(t);
            }
        }
        OpKind::CreateEnum { name, .. }
        | OpKind::DropEnum { name }
        | OpKind::AddEnumValue { name, .. } => f(name),
        OpKind::BatchAlterTable { table, ops } => {
            f(table);
            ops.iter().for_each(|o| visit(o, f));
        }
        OpKind::CreateSchema { .. } | OpKind::DropSchema { .. } | OpKind::Execute(_) => {}
    }
}

fn column_refs(
    references: Option<&QualifiedName>,
    ty: &ColumnType,
    op: &Op,
    f: &mut impl FnMut(&QualifiedName),
) {
    if let Some(r) = references {
        f(r);
    }
    if let ColumnType::Enum {
        name,
        schema: Some(s),
    } = ty
    {
        if is_main(s) {
            return;
        }
        // The type has no span of its own: point at the operation.
        f(&QualifiedName {
            schema: Some(Ident::new(s.clone(), op.span)),
            name: Ident::new(name.clone(), op.span),
        });
    }
}

fn constraint_refs(c: &TableConstraint, f: &mut impl FnMut(&QualifiedName)) {
    if let ConstraintKind::ForeignKey { references, .. } = &c.kind {
        f(&references.table);
    }
}

/// SQLite refuses tables and indexes whose name starts with `sqlite_`
/// ("object name reserved for internal use").
pub fn is_reserved(name: &str) -> bool {
    name.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
}

/// `main`: SQLite's name for the main database, the one schema it has.
pub fn is_main(schema: &str) -> bool {
    schema.eq_ignore_ascii_case("main")
}

/// The model's table for a (possibly `main.`-qualified) name.
pub fn table<'s>(schema: &'s Schema, name: &QualifiedName) -> Option<&'s Table> {
    table_by_name(schema, name.name.as_str())
}

/// The model's table called `name` in the default schema or `main`.
pub fn table_by_name<'s>(schema: &'s Schema, name: &str) -> Option<&'s Table> {
    find(schema, name).map(|t| &**t)
}

/// [`table_by_name`], shared: the table as it is now, kept while a working copy
/// of the model moves on (an `Arc` clone, not a copy of the table).
pub fn shared_table(schema: &Schema, name: &str) -> Option<Arc<Table>> {
    find(schema, name).cloned()
}

/// The first table, in creation order, called `name` in the default schema or
/// `main`. The keys are read, not the tables: they sit in the map's entries,
/// where a table is one more pointer away.
fn find<'s>(schema: &'s Schema, name: &str) -> Option<&'s Arc<Table>> {
    schema
        .tables
        .iter()
        .find(|((s, n), _)| n == name && s.as_deref().is_none_or(is_main))
        .map(|(_, t)| t)
}

/// Column and constraint names an operation introduces.
fn idents_of<'o>(op: &'o Op, out: &mut Vec<&'o Ident>) {
    match &op.kind {
        OpKind::CreateTable(ct) => out.extend(ct.columns.iter().map(|c| &c.name)),
        OpKind::AddColumn { column, .. } => out.push(&column.name),
        OpKind::RenameTable { new_name, .. } => out.push(new_name),
        OpKind::CreateIndex(ci) => out.push(&ci.name),
        OpKind::AddConstraint { constraint, .. } => out.extend(constraint.name.as_ref()),
        OpKind::AlterColumn { changes, .. } => {
            for ch in changes {
                if let crate::ir::ColumnChange::Rename(n) = ch {
                    out.push(n);
                }
            }
        }
        OpKind::BatchAlterTable { ops, .. } => ops.iter().for_each(|o| idents_of(o, out)),
        _ => {}
    }
}
