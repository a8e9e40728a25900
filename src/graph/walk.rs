//! Reachability over the graph: ancestors, descendants, lineage. Each walk is
//! iterative (an explicit stack) and marks nodes in a `Vec<bool>` indexed like
//! `RevisionGraph::nodes`, so it costs O(N + E) and never recurses.

use super::RevisionGraph;

impl RevisionGraph {
    /// `starts` and everything they need (parents and `depends_on`).
    pub(super) fn ancestor_marks(&self, starts: &[usize]) -> Vec<bool> {
        self.reach(starts, |i| &self.nodes[i].downs)
    }

    /// `starts` and their ancestors through parents only.
    pub(super) fn parent_ancestor_marks(&self, starts: &[usize]) -> Vec<bool> {
        self.reach(starts, |i| &self.nodes[i].parents)
    }

    /// `starts` and everything above them: through children only, or through
    /// children and dependents when `with_deps`.
    pub(super) fn descendant_marks(&self, starts: &[usize], with_deps: bool) -> Vec<bool> {
        if with_deps {
            self.reach(starts, |i| &self.nodes[i].ups)
        } else {
            self.reach(starts, |i| &self.nodes[i].children)
        }
    }

    /// Alembic's `_shares_lineage` (without dependencies): `a` is an ancestor or
    /// a descendant of `b`, or `b` itself.
    pub(super) fn shares_lineage(&self, a: usize, b: usize) -> bool {
        let (pa, pb) = (self.topo_pos[a], self.topo_pos[b]);
        if pa <= pb {
            self.parent_ancestor_marks(&[b])[a]
        } else {
            self.parent_ancestor_marks(&[a])[b]
        }
    }

    /// Everything that shares lineage with `b` (see [`Self::shares_lineage`]),
    /// as marks: for filtering many revisions at once.
    pub(super) fn lineage_marks(&self, b: usize) -> Vec<bool> {
        let mut marks = self.descendant_marks(&[b], false);
        let below = self.parent_ancestor_marks(&[b]);
        for (m, x) in marks.iter_mut().zip(below) {
            *m |= x;
        }
        marks
    }

    fn reach<'a>(&'a self, starts: &[usize], next: impl Fn(usize) -> &'a [usize]) -> Vec<bool> {
        let mut marks = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &s in starts {
            if !marks[s] {
                marks[s] = true;
                stack.push(s);
            }
        }
        while let Some(v) = stack.pop() {
            for &w in next(v) {
                if !marks[w] {
                    marks[w] = true;
                    stack.push(w);
                }
            }
        }
        marks
    }

    /// The maximal elements of a set (none of its members is above them).
    pub(super) fn maximal(&self, members: &[usize]) -> Vec<usize> {
        let marks = self.ancestor_marks(members);
        let mut covered = vec![false; self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if marks[i] {
                for &d in &n.downs {
                    covered[d] = true;
                }
            }
        }
        let mut out: Vec<usize> = members.iter().copied().filter(|&m| !covered[m]).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
