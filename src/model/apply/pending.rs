//! `use_alter` foreign keys to a table created later in the same revision.
//!
//! PostgreSQL adds them after every table of the revision exists, so the model
//! accepts one whose target is missing, checks it when the target is created, and
//! reports any still missing at [`Schema::end_revision`].

use super::super::build::PendingFk;
use super::super::fk::check_target;
use super::super::names::KeyRef;
use super::super::{ConstraintKind, Schema, Table};
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::sync::Arc;

/// A pending foreign key checked against its new target: its referenced columns.
pub(super) struct Resolved {
    index: usize,
    ref_columns: Vec<String>,
}

impl Schema {
    /// Check the pending foreign keys that target `target` (about to be created).
    pub(super) fn resolve_pending(&self, target: &Table) -> Result<Vec<Resolved>, Vec<Diagnostic>> {
        let mut diags = Diagnostics::new();
        let mut out = Vec::new();
        for (index, p) in self.pending_fks.iter().enumerate() {
            let target_key = super::super::build::qkey(&p.r.table);
            if target_key != KeyRef(target.schema.as_deref(), &target.name) {
                continue;
            }
            let Some((owner, columns)) = self.pending_owner(p) else {
                continue;
            };
            if let Some(ref_columns) = check_target(owner, &columns, target, &p.r, &mut diags) {
                out.push(Resolved { index, ref_columns });
            }
        }
        diags.finish(out)
    }

    /// The table holding a pending foreign key and the key's columns, if both still exist.
    fn pending_owner(&self, p: &PendingFk) -> Option<(&Table, Vec<String>)> {
        let owner = self.tables.get(&p.table)?;
        let c = owner.constraint(&p.constraint)?;
        Some((owner, c.columns().to_vec()))
    }

    /// Fill in the referenced columns of the resolved keys and forget them.
    pub(super) fn finish_pending(&mut self, resolved: Vec<Resolved>) {
        for r in resolved.iter().rev() {
            if r.index >= self.pending_fks.len() {
                continue;
            }
            let p = self.pending_fks.remove(r.index);
            let c = self
                .tables
                .get_mut(&p.table)
                .map(Arc::make_mut)
                .and_then(|t| t.constraints_mut().get_mut(&p.constraint));
            if let Some(ConstraintKind::ForeignKey { ref_columns, .. }) = c.map(|c| &mut c.kind) {
                ref_columns.clone_from(&r.ref_columns);
            }
        }
    }

    /// Call at the end of each revision: `use_alter` foreign keys whose target table
    /// was never created are errors (E0220). The pending list is cleared.
    pub fn end_revision(&mut self) -> Result<(), Vec<Diagnostic>> {
        let pending = std::mem::take(&mut self.pending_fks);
        let mut diags = Diagnostics::new();
        for p in pending {
            if self.pending_owner(&p).is_none() {
                continue;
            }
            diags.push(
                Diagnostic::error(
                    "E0220",
                    format!(
                        "foreign key {} references table \"{}\", which this revision never creates",
                        p.constraint,
                        p.r.table.display()
                    ),
                )
                .with_span(p.r.table.span(), "no such table by the end of the revision")
                .with_help(
                    "a `use_alter` foreign key may reference a table created later in the same \
                     revision; create the table, or fix the name",
                ),
            );
        }
        diags.finish(())
    }
}
