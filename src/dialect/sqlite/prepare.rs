//! `Backend::prepare` for SQLite: consecutive alterations of one table in a
//! revision are wrapped in one `BatchAlterTable`, so they share one rebuild.

use crate::ir::{Op, OpKind, QualifiedName};

/// The table an operation alters, if it is an alteration that may need a rebuild.
pub(super) fn altered_table(op: &Op) -> Option<&QualifiedName> {
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
            // A batch written by the user joins the group as its operations, so
            // batches never nest.
            let ops = ops
                .into_iter()
                .flat_map(|o| match o.kind {
                    OpKind::BatchAlterTable { ops, .. } => ops,
                    _ => vec![o],
                })
                .collect();
            out.push(Op {
                kind: OpKind::BatchAlterTable { table, ops },
                span,
            });
        }
        _ => out.extend(ops),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Execute, Ident, SqlText};
    use crate::source::Span;

    fn name(t: &str) -> QualifiedName {
        QualifiedName {
            schema: None,
            name: Ident::new(t, Span::default()),
        }
    }

    fn drop_col(t: &str, c: &str, at: usize) -> Op {
        Op {
            kind: OpKind::DropColumn {
                table: name(t),
                column: Ident::new(c, Span::default()),
            },
            span: Span::new(Default::default(), at, at + 1),
        }
    }

    fn exec() -> Op {
        Op {
            kind: OpKind::Execute(Execute {
                sql: Some(SqlText {
                    text: "SELECT 1".into(),
                    span: Span::default(),
                }),
                per_dialect: vec![],
                reverse: None,
            }),
            span: Span::default(),
        }
    }

    fn shape(ops: &[Op]) -> Vec<String> {
        ops.iter()
            .map(|o| match &o.kind {
                OpKind::BatchAlterTable { table, ops } => {
                    format!("batch {} x{}", table.name.value, ops.len())
                }
                OpKind::DropColumn { table, .. } => format!("drop {}", table.name.value),
                _ => "other".into(),
            })
            .collect()
    }

    #[test]
    fn groups_consecutive_alterations_of_one_table() {
        let ops = vec![
            drop_col("a", "x", 0),
            drop_col("a", "y", 10),
            drop_col("b", "x", 20),
            exec(),
            drop_col("b", "y", 30),
            drop_col("b", "z", 40),
            drop_col("a", "z", 50),
        ];
        let out = prepare(ops);
        assert_eq!(
            shape(&out),
            vec!["batch a x2", "drop b", "other", "batch b x2", "drop a"]
        );
        assert_eq!((out[0].span.start, out[0].span.end), (0, 11));
    }
}
