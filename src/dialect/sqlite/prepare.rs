//! `Backend::prepare` for SQLite: consecutive alterations of one table in a
//! revision are wrapped in one `BatchAlterTable`, so they share one rebuild.

use crate::ir::{Op, OpKind, QualifiedName};

/// The table an operation alters, if it is an alteration that may need a rebuild.
fn altered_table(op: &Op) -> Option<&QualifiedName> {
    match &op.kind {
        OpKind::AddColumn { table, .. }
        | OpKind::DropColumn { table, .. }
        | OpKind::AlterColumn { table, .. }
        | OpKind::AddConstraint { table, .. }
        | OpKind::DropConstraint { table, .. }
        | OpKind::BatchAlterTable { table, .. } => Some(table),
        _ => None,
    }
}

fn same(a: &QualifiedName, b: &QualifiedName) -> bool {
    a.name.value == b.name.value
        && a.schema.as_ref().map(|s| &s.value) == b.schema.as_ref().map(|s| &s.value)
}

/// Group runs of two or more alterations of the same table.
pub fn prepare(ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    let mut run: Vec<Op> = Vec::new();
    for op in ops {
        let joins = match (run.first().and_then(altered_table), altered_table(&op)) {
            (Some(a), Some(b)) => same(a, b),
            _ => false,
        };
        if !joins {
            flush(&mut run, &mut out);
        }
        if altered_table(&op).is_some() {
            run.push(op);
        } else {
            out.push(op);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn flush(run: &mut Vec<Op>, out: &mut Vec<Op>) {
    let ops = std::mem::take(run);
    match (ops.len(), ops.first()) {
        (n, Some(first)) if n >= 2 => {
            let table = altered_table(first).cloned();
            let span = ops
                .iter()
                .filter(|o| o.span.source == first.span.source)
                .fold(first.span, |s, o| s.to(o.span));
            let Some(table) = table else {
                out.extend(ops);
                return;
            };
            out.push(Op {
                kind: OpKind::BatchAlterTable { table, ops },
                span,
            });
        }
        _ => out.extend(ops),
    }
}
