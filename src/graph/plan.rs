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
//! The version-table rows each step changes are computed in `rows.rs`.

use super::rows::Rows;
use super::target::{parse, split_range, Dir, Tgt};
use super::RevisionGraph;
use crate::diagnostic::Diagnostic;
use crate::plan::{Command, Direction, Plan, Step, VersionChange};

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

    pub(super) fn step(
        &self,
        r: usize,
        direction: Direction,
        version_changes: Vec<VersionChange>,
    ) -> Step {
        Step {
            revision: self.id(r).to_string(),
            direction,
            version_changes,
        }
    }

    pub(super) fn finish(
        &self,
        command: Command,
        start: &[usize],
        rows: &Rows,
        steps: Vec<Step>,
    ) -> Plan {
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

    pub(super) fn sorted_ids(&self, revs: &[usize]) -> Vec<String> {
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
