//! [`Schema::apply`]: one operation, validated against the model, then applied.
//!
//! Every operation is checked completely before anything changes, so an operation
//! with errors leaves the model as it was (a `batch_alter_table` works on a copy of
//! its one table and swaps it in at the end). Operations on one table run on the
//! table taken out of the map ([`Schema::edit_table`]); the schema passed alongside is
//! only read.

mod batch;

pub(crate) use batch::batch_op_error;
mod column;
mod constraint;
mod data;
mod index;
mod pending;
mod schema_ops;
mod table;

use super::build::{qkey, Cx};
use super::errors::unknown_table;
use super::{Limits, Schema, Table};
use crate::diagnostic::Diagnostic;
use crate::ir::{Op, OpKind, QualifiedName};
use std::sync::Arc;

/// What stands in a table's slot while [`Schema::edit_table`] works on the table
/// (one for all: a fresh one cost five allocations per operation).
static PLACEHOLDER: std::sync::LazyLock<Arc<Table>> =
    std::sync::LazyLock::new(|| Arc::new(Table::new(None, "")));

/// Changes one table operation makes outside its table, applied after it.
#[derive(Debug, Default)]
pub(crate) struct Effects {
    /// Column renames `(old, new)` in order: foreign keys of other tables follow them.
    pub renames: Vec<(String, String)>,
    /// `use_alter` foreign keys added to the table that wait for their target.
    pub pending: Vec<super::build::PendingFk>,
    /// Name-index entries the operation removed and added.
    pub removed: Vec<super::names::Entry>,
    pub added: Vec<super::names::Entry>,
}

impl Schema {
    /// Apply one (template-bound) operation. On error the model is unchanged.
    pub fn apply(&mut self, op: &Op, limits: &Limits) -> Result<(), Vec<Diagnostic>> {
        match &op.kind {
            OpKind::CreateTable(ct) => self.create_table(ct, limits, op.span),
            OpKind::DropTable { table } => self.drop_table(table),
            OpKind::RenameTable { table, new_name } => self.rename_table(table, new_name, limits),
            OpKind::CreateSchema {
                name,
                if_not_exists,
            } => self.create_schema(name, *if_not_exists, limits),
            OpKind::DropSchema {
                name,
                if_exists,
                cascade,
            } => self.drop_schema(name, *if_exists, *cascade),
            OpKind::CreateEnum { name, values } => self.create_enum(name, values, limits, op.span),
            OpKind::DropEnum { name } => self.drop_enum(name),
            OpKind::AddEnumValue {
                name,
                value,
                position,
            } => self.add_enum_value(name, value, position.as_ref(), limits, op.span),
            OpKind::DropIndex {
                name,
                table: None,
                if_exists,
                ..
            } => self.drop_index_anywhere(name, *if_exists, limits, op.span),
            OpKind::Execute(_) => Ok(()),
            OpKind::BatchAlterTable { table, ops } => self.batch(table, ops, limits),
            _ => {
                let Some(table) = table_of(op) else {
                    return Err(vec![Diagnostic::internal(
                        "table operation without a table",
                    )]);
                };
                self.edit_table(table, |cx, t, fx| table_op(cx, t, fx, op), limits, op.span)
            }
        }
    }

    /// The table an `add_column` or `add_constraint` edits, as [`Schema::apply`]
    /// leaves it, computed on a copy of that one table without changing the model;
    /// `None` for other operations or when the model refuses. Backends read the
    /// names the model gives unnamed constraints from it.
    pub fn edited_table(&self, op: &Op, limits: &Limits) -> Option<Table> {
        let table = match &op.kind {
            OpKind::AddColumn { table, .. } | OpKind::AddConstraint { table, .. } => table,
            _ => return None,
        };
        // Neither operation removes anything from the table, so checks that look
        // the table up in the schema (where `edit_table` leaves a placeholder) see
        // a subset of the copy: they decide the same.
        let mut t = Table::clone(self.tables.get(&qkey(table))?);
        let cx = Cx {
            schema: self,
            limits,
            span: op.span,
        };
        table_op(&cx, &mut t, &mut Effects::default(), op).ok()?;
        Some(t)
    }

    /// Run `f` on the table `q` taken out of the map, then put it back and apply
    /// its effects (name-index changes, renames followed by other tables' foreign
    /// keys, pending `use_alter` keys).
    fn edit_table(
        &mut self,
        q: &QualifiedName,
        f: impl FnOnce(&Cx, &mut Table, &mut Effects) -> Result<(), Vec<Diagnostic>>,
        limits: &Limits,
        span: crate::source::Span,
    ) -> Result<(), Vec<Diagnostic>> {
        let Some(idx) = self.tables.get_index_of(&qkey(q)) else {
            return Err(vec![unknown_table(self, q)]);
        };
        let Some((_, slot)) = self.tables.get_index_mut(idx) else {
            return Err(vec![Diagnostic::internal("table index out of range")]);
        };
        let mut t = Arc::unwrap_or_clone(std::mem::replace(slot, Arc::clone(&PLACEHOLDER)));
        let mut fx = Effects::default();
        let cx = Cx {
            schema: self,
            limits,
            span,
        };
        let result = f(&cx, &mut t, &mut fx);
        if result.is_ok() {
            self.names.apply_delta(&t, &fx.removed, &fx.added);
        }
        let key = t.key();
        if let Some((_, slot)) = self.tables.get_index_mut(idx) {
            *slot = Arc::new(t);
        }
        if result.is_ok() {
            self.follow_renames(&key, &fx.renames);
            self.pending_fks.extend(fx.pending);
        }
        result
    }

    /// Foreign keys of other tables into `key` follow its column renames.
    fn follow_renames(&mut self, key: &super::TableKey, renames: &[(String, String)]) {
        if renames.is_empty() {
            return;
        }
        let sources: Vec<super::TableKey> = self
            .names
            .referencing(super::names::KeyRef::of(key))
            .filter(|k| *k != key)
            .cloned()
            .collect();
        for source in sources {
            if let Some(t) = self.tables.get_mut(&source).map(Arc::make_mut) {
                column::rename_fk_targets(t, key, renames);
            }
        }
    }
}

/// The table a single-table operation works on.
fn table_of(op: &Op) -> Option<&QualifiedName> {
    match &op.kind {
        OpKind::AddColumn { table, .. }
        | OpKind::DropColumn { table, .. }
        | OpKind::AlterColumn { table, .. }
        | OpKind::AddConstraint { table, .. }
        | OpKind::DropConstraint { table, .. }
        | OpKind::SetTableComment { table, .. }
        | OpKind::BulkInsert { table, .. }
        | OpKind::DropIndex {
            table: Some(table), ..
        } => Some(table),
        OpKind::CreateIndex(ci) => Some(&ci.table),
        OpKind::Backfill(b) => Some(&b.table),
        _ => None,
    }
}

/// One operation on table `t` (taken out of the schema, or a batch's working copy).
fn table_op(cx: &Cx, t: &mut Table, fx: &mut Effects, op: &Op) -> Result<(), Vec<Diagnostic>> {
    match &op.kind {
        OpKind::AddColumn { column, .. } => column::add(cx, t, column, fx),
        OpKind::DropColumn { column, .. } => column::drop(cx, t, column, fx),
        OpKind::AlterColumn {
            column, changes, ..
        } => column::alter(cx, t, column, changes, fx),
        OpKind::CreateIndex(ci) => index::create(cx, t, ci, fx),
        OpKind::DropIndex {
            name, if_exists, ..
        } => index::drop(cx, t, &name.name, *if_exists, fx),
        OpKind::AddConstraint { constraint, .. } => constraint::add(cx, t, constraint, fx),
        OpKind::DropConstraint { name, .. } => constraint::drop(cx, t, name, fx),
        OpKind::SetTableComment { comment, .. } => {
            t.comment = comment.clone();
            Ok(())
        }
        OpKind::BulkInsert { columns, rows, .. } => data::bulk_insert(cx, t, columns, rows),
        OpKind::Backfill(b) => data::backfill(t, b, cx.span),
        OpKind::Execute(_) => Ok(()),
        _ => Err(vec![batch::not_in_batch(op)]),
    }
}
