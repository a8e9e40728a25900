//! Simulating the version table (`alembic_version`) along a plan.
//!
//! Alembic's rules (`HeadMaintainer.update_to_step` in alembic/runtime/migration.py):
//! The rows are always the *maximal* applied revisions: applied revisions that
//! no applied revision names as a parent or dependency. We track, per revision,
//! how many applied revisions name it; a row is an applied revision with count 0.
//! This is Alembic's rule set, written as the invariant it maintains:
//! - upgrade `r`, none of its down revisions is a row (a root, or branching off
//!   a revision that is no longer a row) → `INSERT r` (`should_create_branch`);
//! - exactly one down revision `p` is a row → `UPDATE p -> r` (`update_version_num`);
//! - several are rows (a merge, or `depends_on` a row) → `DELETE` all but the
//!   last (in `revises` then `depends_on` order), `UPDATE last -> r`
//!   (`should_merge_branches` / `merge_branch_idents`). So a `depends_on` target
//!   keeps no row of its own once something applied depends on it.
//! - downgrade `r` (always a row when its turn comes): the down revisions that
//!   nothing applied names any more become rows again. None → `DELETE r`
//!   (`should_delete_branch`); one `p` → `UPDATE r -> p`; several → `INSERT` all
//!   but the last, `UPDATE r -> last` (`should_unmerge_branches` /
//!   `unmerge_branch_idents`).
//!
//! Where Alembic picks from a Python `set` (merge order, unmerge order) we use
//! the written order, so output is deterministic.

use super::RevisionGraph;
use crate::diagnostic::Diagnostic;
use crate::plan::VersionChange;

/// The applied set while a plan is simulated.
pub(super) struct Rows {
    pub applied: Vec<bool>,
    /// How many applied revisions name this one as parent or dependency.
    pub named_by: Vec<u32>,
}

impl RevisionGraph {
    pub(super) fn rows_at(&self, start: &[usize]) -> Rows {
        let applied = self.ancestor_marks(start);
        let mut named_by = vec![0u32; self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if applied[i] {
                for &d in &n.downs {
                    named_by[d] += 1;
                }
            }
        }
        Rows { applied, named_by }
    }

    /// Upgrade one revision; its down revisions are all applied already.
    pub(super) fn apply(&self, rows: &mut Rows, r: usize) -> Vec<VersionChange> {
        let downs = &self.nodes[r].downs;
        let was_row: Vec<usize> = downs
            .iter()
            .copied()
            .filter(|&d| rows.applied[d] && rows.named_by[d] == 0)
            .collect();
        for &d in downs {
            rows.named_by[d] += 1;
        }
        rows.applied[r] = true;
        let id = |i: usize| self.id(i).to_string();
        match was_row.split_last() {
            None => vec![VersionChange::Insert(id(r))],
            Some((&last, rest)) => {
                let mut out: Vec<VersionChange> =
                    rest.iter().map(|&d| VersionChange::Delete(id(d))).collect();
                out.push(VersionChange::Update {
                    from: id(last),
                    to: id(r),
                });
                out
            }
        }
    }

    /// Downgrade one revision, which must be a row.
    pub(super) fn unapply(
        &self,
        rows: &mut Rows,
        r: usize,
    ) -> Result<Vec<VersionChange>, Diagnostic> {
        if !rows.applied[r] || rows.named_by[r] != 0 {
            return Err(Diagnostic::internal(format!(
                "downgrade of {} while it is not a version row",
                self.id(r)
            )));
        }
        rows.applied[r] = false;
        let mut now_row = Vec::new();
        for &d in &self.nodes[r].downs {
            rows.named_by[d] = rows.named_by[d].saturating_sub(1);
            if rows.named_by[d] == 0 {
                now_row.push(d);
            }
        }
        let id = |i: usize| self.id(i).to_string();
        Ok(match now_row.split_last() {
            None => vec![VersionChange::Delete(id(r))],
            Some((&last, rest)) => {
                let mut out: Vec<VersionChange> =
                    rest.iter().map(|&d| VersionChange::Insert(id(d))).collect();
                out.push(VersionChange::Update {
                    from: id(r),
                    to: id(last),
                });
                out
            }
        })
    }
}
