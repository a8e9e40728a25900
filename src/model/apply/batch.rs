//! `batch_alter_table`: the inner operations run in order on a copy of the table,
//! which replaces the table only when every one of them is valid.

use super::super::build::{qkey, Cx};
use super::super::errors::unknown_table;
use super::super::{Limits, Schema};
use super::{table_of, table_op, Effects};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Op, OpKind, QualifiedName};

impl Schema {
    pub(super) fn batch(
        &mut self,
        q: &QualifiedName,
        ops: &[Op],
        limits: &Limits,
    ) -> Result<(), Vec<Diagnostic>> {
        let Some(old) = self.tables.get(&qkey(q)) else {
            return Err(vec![unknown_table(self, q)]);
        };
        let mut work = old.clone();
        let mut fx = Effects::default();
        let mut diags = Diagnostics::new();
        for op in ops {
            if let Some(d) = batch_op_error(q, op) {
                diags.push(d);
                continue;
            }
            let cx = Cx {
                schema: self,
                limits,
                span: op.span,
            };
            if let Err(e) = table_op(&cx, &mut work, &mut fx, op) {
                diags.extend(e);
            }
        }
        diags.finish(())?;
        let key = work.key();
        if let Some(slot) = self.tables.get_mut(&qkey(q)) {
            let old = std::mem::replace(slot, work);
            self.names.remove_table(&old);
        }
        if let Some(t) = self.tables.get(&qkey(q)) {
            self.names.add_table(t);
        }
        self.follow_renames(&key, &fx.renames);
        self.pending_fks.extend(fx.pending);
        Ok(())
    }
}

/// E0257 for an operation on another table inside the block, or one a batch
/// cannot hold.
pub(crate) fn batch_op_error(q: &QualifiedName, op: &Op) -> Option<Diagnostic> {
    let inner = match (&op.kind, table_of(op)) {
        (OpKind::DropIndex { table: None, .. }, _) => return None,
        (OpKind::Execute(_), _) => return None,
        (_, Some(t)) => t,
        (_, None) => return Some(not_in_batch(op)),
    };
    (qkey(inner) != qkey(q)).then(|| {
        Diagnostic::error(
            "E0257",
            format!(
                "operation on \"{}\" inside batch_alter_table {}",
                inner.display(),
                q.display()
            ),
        )
        .with_span(inner.span(), "another table")
        .with_help("a batch alters one table; move this operation out of the block")
    })
}

/// E0257 for an operation a batch cannot hold.
pub(crate) fn not_in_batch(op: &Op) -> Diagnostic {
    Diagnostic::error(
        "E0257",
        "this operation cannot be used inside batch_alter_table",
    )
    .with_span(op.span, "not a table alteration")
    .with_help(
        "a batch holds add/drop/alter_column, indexes, constraints, comments and data \
         operations on its table; move this operation out of the block",
    )
}
