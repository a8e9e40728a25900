//! IR → IR passes that every dialect wants before the model and lowering see a revision.

use super::{ConstraintKind, Ident, Op, OpKind, TableConstraint};

/// Move `use_alter` foreign keys out of `create_table` into `AddConstraint` operations
/// at the end of the revision, after every table of the revision exists. This is
/// what breaks foreign-key cycles (Alembic's `use_alter=True`); the schema model
/// then checks the constraint once its target table exists.
pub fn defer_use_alter(ops: Vec<Op>) -> Vec<Op> {
    let mut deferred = Vec::new();
    let mut out: Vec<Op> = ops
        .into_iter()
        .map(|op| split_use_alter(op, &mut deferred))
        .collect();
    out.extend(deferred);
    out
}

fn split_use_alter(mut op: Op, deferred: &mut Vec<Op>) -> Op {
    let OpKind::CreateTable(ct) = &mut op.kind else {
        return op;
    };
    let table = ct.table.clone();
    let (later, now): (Vec<_>, Vec<_>) = std::mem::take(&mut ct.constraints)
        .into_iter()
        .partition(is_use_alter);
    ct.constraints = now;
    let mut later = later;
    for col in &mut ct.columns {
        if col.references.as_ref().is_some_and(|r| r.use_alter) {
            if let Some(references) = col.references.take() {
                later.push(TableConstraint {
                    name: None,
                    span: references.span,
                    kind: ConstraintKind::ForeignKey {
                        columns: vec![Ident::new(col.name.value.clone(), col.name.span)],
                        references,
                    },
                });
            }
        }
    }
    deferred.extend(later.into_iter().map(|constraint| Op {
        span: constraint.span,
        kind: OpKind::AddConstraint {
            table: table.clone(),
            constraint,
        },
    }));
    op
}

fn is_use_alter(c: &TableConstraint) -> bool {
    matches!(&c.kind, ConstraintKind::ForeignKey { references, .. } if references.use_alter)
}
