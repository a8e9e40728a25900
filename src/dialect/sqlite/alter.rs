//! Alterations of one table (`add_column`, `drop_column`, `alter_column`,
//! constraints, `batch_alter_table`): native statements where SQLite has them,
//! one rebuild for each run of alterations where it has not.
//!
//! A column rename is always its own native step (`RENAME COLUMN`), even inside a
//! batch: SQLite then rewrites the `REFERENCES` of other tables, which a rebuild of
//! this table alone could not do. So is every operation of a batch that is not a
//! schema alteration (`execute`, `bulk_insert`, `backfill`, comments): it runs
//! where it is written, between the rebuilds. The other alterations between two
//! such steps form a run; a run is native when every alteration in it is,
//! otherwise one rebuild.

use super::rebuild::{Rebuild, Sources};
use super::{after, errors, names, native};
use crate::diagnostic::Diagnostic;
use crate::dialect::Statement;
use crate::ir::{ColumnChange, Op, OpKind, QualifiedName};
use crate::model::Schema;
use crate::source::Span;

type Version = (u32, u32, u32);

/// Lower alterations of `table`, given the model before the first. One working
/// copy of the model is made and moved forward operation by operation.
pub fn lower(
    table: &QualifiedName,
    ops: &[Op],
    before: &Schema,
    min_version: Version,
    span: Span,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    let mut model = before.clone();
    lower_in_place(table, ops, &mut model, min_version, span)
}

/// As [`lower`], moving `model` itself past the operations instead of a copy
/// (the driver's model: it is not applied again). On error the model may stand
/// after some of the operations; the driver stops at the end of the revision.
pub fn lower_in_place(
    table: &QualifiedName,
    ops: &[Op],
    model: &mut Schema,
    min_version: Version,
    span: Span,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    let ops = split_renames(flatten(ops));
    let mut out = Vec::new();
    for run in runs(&ops) {
        let stmts = match run {
            [op] if !is_alteration(op) => {
                let stmts = super::lower::lower(op, model, min_version)?;
                after::advance(model, op)?;
                stmts
            }
            _ => lower_run(table, run, model, min_version, span)?,
        };
        out.extend(stmts);
    }
    Ok(out)
}

fn flatten(ops: &[Op]) -> Vec<Op> {
    ops.iter()
        .flat_map(|op| match &op.kind {
            OpKind::BatchAlterTable { ops, .. } => flatten(ops),
            _ => vec![op.clone()],
        })
        .collect()
}

/// `alter_column a type text, rename to b, set not null` → three operations, so
/// that the rename stands alone.
fn split_renames(ops: Vec<Op>) -> Vec<Op> {
    let mut out = Vec::new();
    for op in ops {
        let OpKind::AlterColumn {
            table,
            column,
            changes,
        } = &op.kind
        else {
            out.push(op);
            continue;
        };
        let mut name = column.clone();
        let mut pending: Vec<ColumnChange> = Vec::new();
        let emit = |name: &crate::ir::Ident, changes: Vec<ColumnChange>, out: &mut Vec<Op>| {
            if !changes.is_empty() {
                out.push(Op {
                    kind: OpKind::AlterColumn {
                        table: table.clone(),
                        column: name.clone(),
                        changes,
                    },
                    span: op.span,
                });
            }
        };
        for change in changes {
            if let ColumnChange::Rename(new) = change {
                emit(&name, std::mem::take(&mut pending), &mut out);
                emit(&name, vec![change.clone()], &mut out);
                name = new.clone();
            } else {
                pending.push(change.clone());
            }
        }
        emit(&name, pending, &mut out);
    }
    out
}

fn is_rename(op: &Op) -> bool {
    matches!(&op.kind, OpKind::AlterColumn { changes, .. }
        if matches!(changes.as_slice(), [ColumnChange::Rename(_)]))
}

/// An operation a rebuild can fold in: it changes only the table's shape.
fn is_alteration(op: &Op) -> bool {
    matches!(
        op.kind,
        OpKind::AddColumn { .. }
            | OpKind::DropColumn { .. }
            | OpKind::AlterColumn { .. }
            | OpKind::AddConstraint { .. }
            | OpKind::DropConstraint { .. }
            | OpKind::CreateIndex(_)
            | OpKind::DropIndex { .. }
    )
}

/// Runs of alterations, split at renames and at every other operation (each of
/// those is a run of its own).
fn runs(ops: &[Op]) -> Vec<&[Op]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, op) in ops.iter().enumerate() {
        if is_rename(op) || !is_alteration(op) {
            if start < i {
                out.push(&ops[start..i]);
            }
            out.push(&ops[i..=i]);
            start = i + 1;
        }
    }
    if start < ops.len() {
        out.push(&ops[start..]);
    }
    out
}

/// The statements of one run; `model` (the working copy) moves past it.
fn lower_run(
    table: &QualifiedName,
    run: &[Op],
    model: &mut Schema,
    min_version: Version,
    span: Span,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    // The table before the run, for a rebuild: shared, since the model's tables
    // are copied on write.
    let before = names::shared_table(model, table.name.as_str());
    let applied = match try_native(run, model, min_version)? {
        Native::Done(stmts) => return Ok(stmts),
        Native::Refused { applied } => applied,
    };
    let before =
        before.ok_or_else(|| vec![errors::unknown_table(&table.display(), table.span())])?;
    let mut sources = Sources::new(&before);
    for (i, op) in run.iter().enumerate() {
        if i >= applied {
            after::advance(model, op)?;
        }
        sources
            .follow(op)
            .map_err(|e| vec![errors::bad_literal(e, op.span)])?;
    }
    let after_model = &*model;
    let after_table = names::table(after_model, table).ok_or_else(|| {
        vec![Diagnostic::internal(
            "a rebuilt table vanished from the model",
        )]
    })?;
    let mut stmts = notes(run)?;
    let rebuilt = Rebuild {
        before: &before,
        after_schema: after_model,
        after: after_table,
        sources: &sources,
        reason: run.iter().map(describe).collect::<Vec<_>>().join("; "),
        destructive: run.iter().any(is_destructive),
        span: run_span(run, span),
    }
    .statements()?;
    if stmts.is_empty() {
        return Ok(rebuilt);
    }
    stmts.extend(rebuilt);
    Ok(stmts)
}

/// What [`try_native`] made of a run.
enum Native {
    /// Every operation natively; the model is past the run.
    Done(Vec<Statement>),
    /// One needs a rebuild; the model is past the first `applied` operations.
    Refused { applied: usize },
}

/// Every operation of the run natively, moving `model` along, or where it stopped.
fn try_native(
    run: &[Op],
    model: &mut Schema,
    min_version: Version,
) -> Result<Native, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for (i, op) in run.iter().enumerate() {
        let prev = native::reads_before(op).and_then(|t| names::shared_table(model, t));
        after::advance(model, op)?;
        match native::alteration(op, prev.as_deref(), model, min_version) {
            Some(stmts) => out.extend(stmts?),
            None => return Ok(Native::Refused { applied: i + 1 }),
        }
    }
    Ok(Native::Done(out))
}

/// Comment lines before a rebuild: column comments (SQLite keeps none), and
/// `type ... using "..."`, PostgreSQL's conversion (Alembic's `postgresql_using`),
/// which SQLite does not use.
fn notes(run: &[Op]) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for op in run {
        let OpKind::AlterColumn {
            column, changes, ..
        } = &op.kind
        else {
            continue;
        };
        for change in changes {
            let line = match change {
                ColumnChange::SetType { using: Some(u), .. } => native::comment(&format!(
                    "{}: using \"{}\" is for PostgreSQL; SQLite converts by the new type's affinity",
                    column.value, u.text
                )),
                ColumnChange::Comment(text) => {
                    native::column_comment(&table_name(op), &column.value, text.as_deref())
                }
                _ => continue,
            };
            out.push(Statement::new(line.map_err(|d| vec![d])?));
        }
    }
    Ok(out)
}

fn table_name(op: &Op) -> String {
    match &op.kind {
        OpKind::AlterColumn { table, .. } => table.name.value.clone(),
        _ => String::new(),
    }
}

fn run_span(run: &[Op], fallback: Span) -> Span {
    match (run.first(), run.last()) {
        (Some(a), Some(b)) if a.span.source == b.span.source => a.span.to(b.span),
        (Some(a), _) => a.span,
        _ => fallback,
    }
}

fn is_destructive(op: &Op) -> bool {
    match &op.kind {
        OpKind::DropColumn { .. } => true,
        OpKind::AlterColumn { changes, .. } => changes
            .iter()
            .any(|c| matches!(c, ColumnChange::SetType { .. })),
        _ => false,
    }
}

/// What the operation asks, for the rebuild's comment line.
fn describe(op: &Op) -> String {
    match &op.kind {
        OpKind::AddColumn { column, .. } => format!("add column {}", column.name.value),
        OpKind::DropColumn { column, .. } => format!("drop column {}", column.value),
        OpKind::AlterColumn {
            column, changes, ..
        } => {
            let what: Vec<&str> = changes.iter().map(change_word).collect();
            format!("alter column {} ({})", column.value, what.join(", "))
        }
        OpKind::AddConstraint { constraint, .. } => match &constraint.name {
            Some(n) => format!("add constraint {}", n.value),
            None => "add a constraint".into(),
        },
        OpKind::DropConstraint { name, .. } => format!("drop constraint {}", name.value),
        OpKind::CreateIndex(ci) => format!("create index {}", ci.name.value),
        OpKind::DropIndex { name, .. } => format!("drop index {}", name.name.value),
        OpKind::AddEnumValue { name, value, .. } => {
            format!("widen the CHECK of enum {} to '{value}'", name.display())
        }
        _ => "alter the table".into(),
    }
}

fn change_word(c: &ColumnChange) -> &'static str {
    match c {
        ColumnChange::SetNotNull => "set not null",
        ColumnChange::DropNotNull => "drop not null",
        ColumnChange::SetType { .. } => "type",
        ColumnChange::SetDefault(_) => "set default",
        ColumnChange::DropDefault => "drop default",
        ColumnChange::Rename(_) => "rename",
        ColumnChange::Comment(_) => "comment",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ident;

    fn alter(col: &str, changes: Vec<ColumnChange>) -> Op {
        let s = Span::default();
        Op {
            kind: OpKind::AlterColumn {
                table: QualifiedName {
                    schema: None,
                    name: Ident::new("t", s),
                },
                column: Ident::new(col, s),
                changes,
            },
            span: s,
        }
    }

    #[test]
    fn renames_stand_alone() {
        let s = Span::default();
        let op = alter(
            "a",
            vec![
                ColumnChange::SetNotNull,
                ColumnChange::Rename(Ident::new("b", s)),
                ColumnChange::DropDefault,
            ],
        );
        let ops = split_renames(vec![op]);
        assert_eq!(ops.len(), 3);
        assert!(is_rename(&ops[1]));
        let OpKind::AlterColumn { column, .. } = &ops[2].kind else {
            panic!()
        };
        assert_eq!(column.as_str(), "b");
        let r = runs(&ops);
        assert_eq!(r.iter().map(|r| r.len()).collect::<Vec<_>>(), vec![1, 1, 1]);
    }
}
