//! Derived downgrades: the inverse of a revision's upgrade operations, computed by
//! replaying them on the schema model (codes E0260–E0269).
//!
//! Each operation is inverted using the model just before it (a dropped column comes
//! back with its type, default, nullability, identity, comment, and the indexes and
//! constraints the drop removed), and the inverses run last first. A derived
//! operation carries the span of the upgrade operation it undoes, so a later error
//! points at the upgrade line.
//!
//! Decisions:
//! - `alter_column ... type X using "..."` inverts to the old type *without* `USING`:
//!   the compiler cannot invert an expression. A user who needs one writes the
//!   `downgrade` block.
//! - `execute` / `backfill` invert to their `reverse "SQL"`, to nothing with
//!   `reverse none`, and are an error (E0260) when they say neither.
//! - `add_enum_value` (E0261: PostgreSQL cannot drop an enum value), `bulk_insert`
//!   (E0262: the rows may have changed since) and `drop_schema ... cascade` of a
//!   schema that still held objects (E0263) cannot be inverted.
//! - Adding a primary key makes its columns NOT NULL; its inverse drops the key and
//!   makes the columns that were nullable before nullable again.
//! - `if_not_exists` / `if_exists` operations that did nothing invert to nothing.
//! - `use_alter` foreign keys are created last by the upgrade, so the downgrade
//!   drops them first (which lets it drop tables that reference each other).
//!
//! Every irreversible operation of the revision is reported in one run.

mod inverse;
mod to_ir;
mod use_alter;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Op, OpKind};
use crate::model::{batch_op_error, Limits, Schema};

/// The downgrade of `ops` (one revision's upgrade), given the schema before them.
pub fn derive_downgrade(
    ops: &[Op],
    before: &Schema,
    limits: &Limits,
) -> Result<Vec<Op>, Vec<Diagnostic>> {
    let mut schema = before.clone();
    apply_and_derive(&mut schema, ops, limits)
}

/// Apply `ops` to `schema` and return their derived downgrade, without cloning the
/// schema. On an invalid operation the errors are returned and `schema` holds the
/// state just before it.
pub fn apply_and_derive(
    schema: &mut Schema,
    ops: &[Op],
    limits: &Limits,
) -> Result<Vec<Op>, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let mut inverses: Vec<Vec<Op>> = Vec::with_capacity(ops.len());
    let mut late_fks = Vec::new();
    for op in ops {
        match step(schema, op, limits) {
            Step::Applied(Ok(inv)) => inverses.push(inv),
            Step::Applied(Err(e)) => {
                diags.extend(e);
                inverses.push(Vec::new());
            }
            Step::Failed(e) => {
                diags.extend(e);
                return Err(diags.into_vec());
            }
        }
        late_fks.extend(use_alter::created(schema, op, inverses.len() - 1));
    }
    let first = use_alter::drop_first(schema, &late_fks, &mut inverses);
    diags.finish(
        first
            .into_iter()
            .chain(inverses.into_iter().rev().flatten())
            .collect(),
    )
}

enum Step {
    /// The operation was applied; its inverse, or why there is none.
    Applied(Result<Vec<Op>, Vec<Diagnostic>>),
    /// The operation is invalid: the model's errors.
    Failed(Vec<Diagnostic>),
}

/// Invert one operation against the model, then apply it.
fn step(schema: &mut Schema, op: &Op, limits: &Limits) -> Step {
    if let OpKind::BatchAlterTable { table, ops } = &op.kind {
        return batch(schema, op, table, ops, limits);
    }
    let inv = inverse::inverse(schema, op, limits);
    match schema.apply(op, limits) {
        Ok(()) => Step::Applied(inv),
        Err(e) => Step::Failed(e),
    }
}

/// A batch's inner operations, applied one by one (this schema is a working copy,
/// so the batch's all-or-nothing rule does not matter), inverted into one batch.
fn batch(
    schema: &mut Schema,
    op: &Op,
    table: &crate::ir::QualifiedName,
    ops: &[Op],
    limits: &Limits,
) -> Step {
    let shape: Vec<Diagnostic> = ops
        .iter()
        .filter_map(|o| batch_op_error(table, o))
        .collect();
    if !shape.is_empty() {
        return Step::Failed(shape);
    }
    if schema
        .table(
            table.schema.as_ref().map(|s| s.value.as_str()),
            &table.name.value,
        )
        .is_none()
    {
        // Let the model report the unknown table.
        return match schema.apply(op, limits) {
            Ok(()) => Step::Applied(Ok(Vec::new())),
            Err(e) => Step::Failed(e),
        };
    }
    let mut diags = Diagnostics::new();
    let mut inner: Vec<Vec<Op>> = Vec::new();
    for o in ops {
        match step(schema, o, limits) {
            Step::Applied(Ok(inv)) => inner.push(inv),
            Step::Applied(Err(e)) => diags.extend(e),
            Step::Failed(e) => return Step::Failed(e),
        }
    }
    let ops: Vec<Op> = inner.into_iter().rev().flatten().collect();
    let inv = diags.finish(ops).map(|ops| {
        if ops.is_empty() {
            return Vec::new();
        }
        let kind = OpKind::BatchAlterTable {
            table: table.clone(),
            ops,
        };
        vec![Op {
            kind,
            span: op.span,
        }]
    });
    Step::Applied(inv)
}
