//! Plans for `upgrade`, `downgrade` and `stamp`, with Alembic's version-table rules.
//!
//! # Which revisions run
//! - upgrade `FROM:TO` (Alembic `_collect_upgrade_revisions`, `implicit_base=True`):
//!   every ancestor of TO (parents and `depends_on`, TO included) that is not an
//!   ancestor of FROM; in topological order.
//! - downgrade `FROM:TO` (Alembic `_collect_downgrade_revisions`): the revisions
//!   above TO's children (or above the bases for `base`), through parents and
//!   dependents, that are applied at FROM; in reverse topological order. A
//!   `label@` target only drops that branch.
//! - stamp: no revision runs; only rows change (see [`RevisionGraph::plan_stamp`]).
//!
//! # Version-table rows (Alembic `HeadMaintainer.update_to_step`)
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

use super::target::{parse, split_range, Dir, Tgt};
use super::RevisionGraph;
use crate::diagnostic::Diagnostic;
use crate::plan::{Command, Direction, Plan, Step, VersionChange};

/// The applied set while a plan is simulated.
struct Rows {
    applied: Vec<bool>,
    /// How many applied revisions name this one as parent or dependency.
    named_by: Vec<u32>,
}

impl RevisionGraph {
    /// Plan from a command-line spec: `TO` or `FROM:TO` (required for downgrade,
    /// like Alembic's offline mode). An empty FROM (`:head`) means base.
    pub fn plan(&self, command: Command, spec: &str) -> Result<Plan, Diagnostic> {
        let (from, to) = match split_range(spec) {
            Some((f, t)) => ((!f.trim().is_empty()).then_some(f), t),
            None => (None, spec),
        };
        match command {
            Command::Upgrade => self.plan_upgrade(from, to),
            Command::Stamp => self.plan_stamp(from, to),
            Command::Downgrade => match from {
                Some(f) => self.plan_downgrade(f, to),
                None => Err(Diagnostic::error(
                    "E0317",
                    format!("offline downgrade needs a range, got `{spec}`"),
                )
                .with_help("say where the database starts: `head:base`, `head:-1`, `b2c3:a1b2`")),
            },
        }
    }

    /// Upgrade from `from` (`None`: an empty database) to `to`.
    pub fn plan_upgrade(&self, from: Option<&str>, to: &str) -> Result<Plan, Diagnostic> {
        let (start, target) = self.resolve_pair(from, to, Dir::Up)?;
        let mut rows = self.rows_at(&start);
        let need = self.ancestor_marks(&target.revs);
        let mut steps = Vec::new();
        for &r in &self.topo {
            if need[r] && !rows.applied[r] {
                let changes = self.apply(&mut rows, r);
                steps.push(self.step(r, Direction::Up, changes));
            }
        }
        Ok(self.finish(Command::Upgrade, &start, &rows, steps))
    }

    /// Downgrade from `from` to `to` (Alembic's offline `downgrade FROM:TO`).
    pub fn plan_downgrade(&self, from: &str, to: &str) -> Result<Plan, Diagnostic> {
        let (start, target) = self.resolve_pair(Some(from), to, Dir::Down)?;
        let mut rows = self.rows_at(&start);
        let drop = self.revisions_to_drop(&start, &target, &rows.applied, to)?;
        let mut steps = Vec::new();
        for &r in self.topo.iter().rev() {
            if drop[r] {
                let changes = self.unapply(&mut rows, r)?;
                steps.push(self.step(r, Direction::Down, changes));
            }
        }
        Ok(self.finish(Command::Downgrade, &start, &rows, steps))
    }

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

    /// Resolve FROM and TO; a contextual target (`+N`, `-N`) is relative to the
    /// other end. Returns the start rows (maximal) and the target.
    pub(super) fn resolve_pair(
        &self,
        from: Option<&str>,
        to: &str,
        dir: Dir,
    ) -> Result<(Vec<usize>, Tgt), Diagnostic> {
        let pt = parse(to)?;
        let pf = from.map(parse).transpose()?;
        let back = match dir {
            Dir::Up => Dir::Down,
            Dir::Down => Dir::Up,
        };
        let (start, target) = match (from, pf) {
            (Some(f), Some(pf)) if pf.is_contextual() => {
                if pt.is_contextual() {
                    return Err(Diagnostic::error(
                        "E0316",
                        format!("both ends of `{f}:{to}` are relative"),
                    )
                    .with_help("name a revision at one end, e.g. `head:-1`"));
                }
                let t = self.resolve_parsed(to, pt, None)?;
                let s = self.resolve_parsed(f, pf, Some((&t.revs, back)))?;
                (s.revs, t)
            }
            (Some(f), Some(pf)) => {
                let s = self.resolve_parsed(f, pf, None)?.revs;
                let t = self.resolve_parsed(to, pt, Some((&s, dir)))?;
                (s, t)
            }
            _ => (Vec::new(), self.resolve_parsed(to, pt, Some((&[], dir)))?),
        };
        Ok((self.maximal(&start), target))
    }

    /// Alembic's downgrade selection; errors when TO is not below FROM.
    fn revisions_to_drop(
        &self,
        start: &[usize],
        target: &Tgt,
        applied: &[bool],
        to: &str,
    ) -> Result<Vec<bool>, Diagnostic> {
        if target.revs.len() > 1 {
            return Err(Diagnostic::error(
                "E0310",
                format!(
                    "downgrade target `{to}` names several revisions: {}",
                    self.names(&target.revs)
                ),
            )
            .with_help("downgrade to one revision, or to `base` / `label@base`"));
        }
        let mut roots: Vec<usize> = match target.revs.first() {
            None => (0..self.nodes.len())
                .filter(|&i| self.nodes[i].parents.is_empty())
                .collect(),
            Some(&t) => self.nodes[t].children.clone(),
        };
        if let Some((b, label)) = &target.branch {
            if roots.len() > 1 || target.revs.is_empty() {
                let branch = self.parent_ancestor_marks(&[*b]);
                roots.retain(|&r| branch[r]);
                if roots.is_empty() && !target.revs.is_empty() {
                    return Err(self
                        .not_below(to, start)
                        .with_note(format!("no revision of branch `{label}` is above it")));
                }
            }
        }
        let mut drop = self.descendant_marks(&roots, true);
        for (d, a) in drop.iter_mut().zip(applied) {
            *d &= *a;
        }
        // Alembic raises "nothing to drop" unless the target is a current row;
        // we only refuse a target that is not applied at all: an applied one
        // with nothing above it is a valid, empty downgrade.
        if let Some(&t) = target.revs.first() {
            if !drop.iter().any(|&d| d) && !applied[t] {
                return Err(self.not_below(to, start));
            }
        }
        Ok(drop)
    }

    fn not_below(&self, to: &str, start: &[usize]) -> Diagnostic {
        let from = if start.is_empty() {
            "base".to_string()
        } else {
            self.names(start)
        };
        Diagnostic::error(
            "E0320",
            format!("downgrade target `{to}` is not below the start ({from})"),
        )
        .with_help("a downgrade goes to an ancestor of where it starts; use `upgrade` to go up")
    }

    fn rows_at(&self, start: &[usize]) -> Rows {
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
    fn apply(&self, rows: &mut Rows, r: usize) -> Vec<VersionChange> {
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
    fn unapply(&self, rows: &mut Rows, r: usize) -> Result<Vec<VersionChange>, Diagnostic> {
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

    fn step(&self, r: usize, direction: Direction, version_changes: Vec<VersionChange>) -> Step {
        Step {
            revision: self.id(r).to_string(),
            direction,
            version_changes,
        }
    }

    fn finish(&self, command: Command, start: &[usize], rows: &Rows, steps: Vec<Step>) -> Plan {
        let end: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| rows.applied[i] && rows.named_by[i] == 0)
            .collect();
        Plan {
            command,
            start: self.sorted_ids(start),
            end: self.sorted_ids(&end),
            steps,
        }
    }

    fn sorted_ids(&self, revs: &[usize]) -> Vec<String> {
        let mut ids: Vec<String> = revs.iter().map(|&i| self.id(i).to_string()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub(super) fn sorted_topo(&self, revs: &[usize]) -> Vec<usize> {
        let mut out = revs.to_vec();
        out.sort_by_key(|&i| self.topo_pos[i]);
        out
    }
}
