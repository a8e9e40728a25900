//! The names of constraints the user did not name.
//!
//! The schema model gives every unnamed constraint PostgreSQL's default name; the
//! script writes that name explicitly, so the database always agrees with the
//! model (a later `drop_constraint` by that name works). The name is found by
//! building the table a `create_table` adds or an `add_column` / `add_constraint`
//! edits ([`Schema::created_table`], [`Schema::edited_table`]; anything else is
//! applied to a copy of the model) and matching the constraint by
//! its shape (kind and columns, or check expression). Without a model answer the
//! constraint is written unnamed and PostgreSQL picks the same default.

use super::Cx;
use crate::ir::{ConstraintKind, Op, QualifiedName};
use crate::model::{self, Limits, Schema, Table, TableKey};
use std::collections::BTreeSet;

/// What identifies an unnamed constraint in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Shape {
    PrimaryKey,
    Unique(Vec<String>),
    ForeignKey(Vec<String>),
    Check(String),
}

impl Shape {
    pub fn of(kind: &ConstraintKind) -> Shape {
        let cols = |c: &[crate::ir::Ident]| c.iter().map(|i| i.value.clone()).collect();
        match kind {
            ConstraintKind::PrimaryKey { .. } => Shape::PrimaryKey,
            ConstraintKind::Unique { columns } => Shape::Unique(cols(columns)),
            ConstraintKind::ForeignKey { columns, .. } => Shape::ForeignKey(cols(columns)),
            ConstraintKind::Check { expr } => Shape::Check(expr.text.clone()),
        }
    }

    fn matches(&self, c: &model::ConstraintKind) -> bool {
        match (self, c) {
            (Shape::Unique(a), model::ConstraintKind::Unique { columns }) => a == columns,
            (Shape::ForeignKey(a), model::ConstraintKind::ForeignKey { columns, .. }) => {
                a == columns
            }
            (Shape::Check(a), model::ConstraintKind::Check { expr }) => a == expr,
            _ => false,
        }
    }
}

/// Picks model names for the unnamed constraints of one table, each name once.
/// The model after the operation is computed on the first unnamed constraint only
/// (a copy of the whole model: not worth it when everything is named).
pub(super) struct NamePicker<'s, 'o> {
    before: &'s Schema,
    op: &'o Op,
    key: TableKey,
    /// `None` until computed; then the table after `op`, if the model has it.
    after: Option<Option<Table>>,
    used: BTreeSet<String>,
}

impl NamePicker<'_, '_> {
    pub fn pick(&mut self, shape: &Shape) -> Option<String> {
        if self.after.is_none() {
            self.after = Some(self.table_after());
        }
        let table = self.after.as_ref().and_then(Option::as_ref)?;
        let found = match shape {
            Shape::PrimaryKey => table.primary_key.as_ref().map(|pk| pk.name.clone()),
            _ => table
                .constraints
                .values()
                .find(|c| shape.matches(&c.kind) && !self.used.contains(&c.name))
                .map(|c| c.name.clone()),
        }?;
        self.used.insert(found.clone());
        Some(found)
    }

    /// The table after `op`, if the model can apply it (it has checked the
    /// operation already; if it refuses here, the driver reports why).
    fn table_after(&self) -> Option<Table> {
        let built = match &self.op.kind {
            crate::ir::OpKind::CreateTable(ct) => {
                self.before
                    .created_table(ct, &Limits::POSTGRESQL, self.op.span)
            }
            _ => self.before.edited_table(self.op, &Limits::POSTGRESQL),
        };
        if built.is_some() {
            return built;
        }
        let mut after = self.before.clone();
        after.apply(self.op, &Limits::POSTGRESQL).ok()?;
        after
            .tables
            .swap_remove(&self.key)
            .map(std::sync::Arc::unwrap_or_clone)
    }
}

impl<'s> Cx<'s> {
    pub(super) fn name_picker<'o>(&self, op: &'o Op, table: &QualifiedName) -> NamePicker<'s, 'o> {
        let key = (
            table.schema.as_ref().map(|s| s.value.clone()),
            table.name.value.clone(),
        );
        // Constraints the table had before are not the ones `op` adds.
        let used = self
            .table(table)
            .map(|t| t.constraints.keys().cloned().collect())
            .unwrap_or_default();
        // A table the model has built for this `create_table` already: a copy
        // shares its maps.
        let after = match (&op.kind, self.created) {
            (crate::ir::OpKind::CreateTable(_), Some(t)) => Some(Some(t.clone())),
            _ => None,
        };
        NamePicker {
            before: self.before,
            op,
            key,
            after,
            used,
        }
    }

    /// The quoted model name of one unnamed constraint added by `op`.
    pub(super) fn model_name_after(
        &mut self,
        op: &Op,
        table: &QualifiedName,
        shape: &Shape,
    ) -> Option<String> {
        let name = self.name_picker(op, table).pick(shape)?;
        Some(self.generated_name(&name))
    }
}
