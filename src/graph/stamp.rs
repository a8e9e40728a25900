//! `stamp`: move the version-table rows to a target without running anything
//! (Alembic `ScriptDirectory._stamp_revs` + `StampStep`).

use super::target::{parse, Tgt};
use super::RevisionGraph;
use crate::diagnostic::Diagnostic;
use crate::plan::{Command, Direction, Plan, Step, VersionChange};

impl RevisionGraph {
    /// Stamp: move the rows from `from` (`None`: empty table) to `to` without
    /// running anything (Alembic `_stamp_revs`). For each target, the rows on its
    /// line (its ancestors or descendants) are replaced by it: none → `INSERT`,
    /// one → `UPDATE`, several → `DELETE` all but the last, `UPDATE` the last.
    /// `base` (or `label@base`) deletes every row (on that branch).
    ///
    /// The plan has no revision steps: when anything changes, `steps` holds one
    /// pseudo-step whose `revision` is the first target (or `base`) and whose
    /// `version_changes` are all the changes; `direction` is `Down` when the
    /// stamp only moves down (to base, or to ancestors of the start), else `Up`.
    pub fn plan_stamp(&self, from: Option<&str>, to: &str) -> Result<Plan, Diagnostic> {
        let start = match from {
            Some(f) => self.resolve_parsed(f, parse(f)?, None)?.revs,
            None => Vec::new(),
        };
        let start = self.maximal(&start);
        let target = self.resolve_parsed(to, parse(to)?, None)?;
        let mut rows = start.clone();
        let mut changes = Vec::new();
        if target.revs.is_empty() {
            self.stamp_base(&target, &mut rows, &mut changes);
        }
        self.stamp_targets(&self.sorted_topo(&target.revs), &mut rows, &mut changes);
        let below = self.ancestor_marks(&start);
        let down = target.revs.iter().all(|&x| below[x]);
        let direction = if down { Direction::Down } else { Direction::Up };
        let name = match target.revs.first() {
            Some(&x) => self.id(x).to_string(),
            None => "base".to_string(),
        };
        let steps = if changes.is_empty() {
            Vec::new()
        } else {
            vec![Step {
                revision: name,
                direction,
                version_changes: changes,
            }]
        };
        Ok(Plan {
            command: Command::Stamp,
            start: self.sorted_ids(&start),
            end: self.sorted_ids(&rows),
            steps,
        })
    }

    fn stamp_base(&self, target: &Tgt, rows: &mut Vec<usize>, changes: &mut Vec<VersionChange>) {
        let lineage = target.branch.as_ref().map(|(b, _)| self.lineage_marks(*b));
        let (gone, kept): (Vec<usize>, Vec<usize>) = rows
            .iter()
            .partition(|&&r| lineage.as_ref().is_none_or(|m| m[r]));
        changes.extend(
            gone.iter()
                .map(|&r| VersionChange::Delete(self.id(r).into())),
        );
        *rows = kept;
    }

    /// Replace the rows on each target's line by the target. Targets of one
    /// spec (`heads`, `label@heads`, one id) never lie on each other's line.
    /// Costs O(N) per row that moves, not per target.
    fn stamp_targets(
        &self,
        targets: &[usize],
        rows: &mut Vec<usize>,
        changes: &mut Vec<VersionChange>,
    ) {
        let below = self.ancestor_marks(targets);
        let above = self.descendant_marks(targets, true);
        let (moving, kept): (Vec<usize>, Vec<usize>) =
            rows.iter().partition(|&&r| below[r] || above[r]);
        // per moving row: what shares its line (ancestors or descendants, with deps)
        let lines: Vec<(usize, Vec<bool>, Vec<bool>)> = moving
            .iter()
            .map(|&r| {
                let down = self.ancestor_marks(&[r]);
                let up = self.descendant_marks(&[r], true);
                (r, down, up)
            })
            .collect();
        let mut used = vec![false; lines.len()];
        *rows = kept;
        for &x in targets {
            let line: Vec<usize> = (0..lines.len())
                .filter(|&k| !used[k] && (lines[k].1[x] || lines[k].2[x]))
                .collect();
            for &k in &line {
                used[k] = true;
            }
            let line: Vec<usize> = line.iter().map(|&k| lines[k].0).collect();
            rows.push(x);
            self.stamp_changes(x, &line, changes);
        }
    }

    fn stamp_changes(&self, x: usize, line: &[usize], changes: &mut Vec<VersionChange>) {
        let id = |i: usize| self.id(i).to_string();
        match line.split_last() {
            None => changes.push(VersionChange::Insert(id(x))),
            Some((&last, [])) if last == x => {}
            Some((&last, rest)) => {
                changes.extend(rest.iter().map(|&r| VersionChange::Delete(id(r))));
                changes.push(VersionChange::Update {
                    from: id(last),
                    to: id(x),
                });
            }
        }
    }
}
