//! The revision graph: revisions indexed by id, their parents (`revises`),
//! `depends_on` edges and branch labels, with Alembic's semantics.
//!
//! Owns:
//! - building and validating the graph ([`RevisionGraph::build`], `build.rs`),
//! - resolving command-line targets (`head`, `label@head`, `a1b2+2`, ranges; `target.rs`),
//! - computing [`crate::plan::Plan`]s for upgrade, downgrade and stamp (`plan.rs`),
//! - the text of `history`, `heads`, `branches` and `show` (`render.rs`).
//!
//! Invariants of a built graph: ids and labels are unique, every parent and
//! `depends_on` names an existing revision, there is no cycle.
//!
//! # Terms (Alembic's)
//! - *down revisions* of `r`: its parents followed by its `depends_on`, deduplicated.
//! - *head* (effective head): no revision names it as a parent. A revision only
//!   named by `depends_on` is still a head ("effective head" in `history`).
//! - *real head*: nothing names it, neither as parent nor in `depends_on`.
//!   `heads` means the real heads; `head` means the single (effective) head.
//! - *base*: a revision with no parent.
//!
//! # Order (the documented tie-break)
//! The topological order is a depth-first post-order: start from the real heads
//! in input (file) order; before a revision, emit its down revisions in the order
//! written (parents in `revises` order, then `depends_on` in order), each with all
//! of its own ancestors first. So a merge `d revises b, c` applies all of `b`'s
//! branch, then all of `c`'s, then `d`: one branch in full, then the next.
//! Every plan uses this order (filtered); downgrades use it reversed, and
//! `history` prints it reversed (newest first). Nothing depends on hash order.
//!
//! # Error codes
//! | code | when |
//! |---|---|
//! | E0300 | two files use the same revision id |
//! | E0301 | `revises` names an unknown revision |
//! | E0302 | `depends_on` names an unknown revision |
//! | E0303 | a cycle through `revises` / `depends_on` (names the revisions on it) |
//! | E0304 | a branch label used twice, or equal to a revision id |
//! | E0305 | an id or label that is empty, `head`/`heads`/`base`, or contains `@ + - : ,` or spaces |
//! | E0306 | the same id twice in one `revises` / `depends_on` list |
//! | E0310 | `head` (or a downgrade target) names several revisions |
//! | E0311 | unknown revision, prefix or branch label; `show base` |
//! | E0312 | ambiguous id prefix (names the candidates) |
//! | E0313 | a relative step out of range, or going the wrong way (`upgrade -1`) |
//! | E0314 | an ambiguous walk (a branch point up, a merge down, several start revisions) |
//! | E0315 | `label@REV` where REV is not on that branch |
//! | E0316 | a target that cannot be read, or a relative target without a starting point |
//! | E0317 | a range is required (offline downgrade, `history -r`) |
//! | E0320 | a downgrade target that is not below the start |
//! | E0321 | a history range whose start is not an ancestor of its end |
//!
//! Build errors carry spans; target errors have none (they come from the
//! command line) but always a help.
//!
//! All traversals are iterative (explicit stacks), so a 100,000-revision chain
//! needs no deep recursion; building is O(N log N), each plan O(N + E).

mod build;
mod plan;
mod render;
mod rows;
mod stamp;
mod target;
mod walk;

pub use target::{split_range, Resolved};

use crate::ir::RevisionHeader;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One revision inside the graph (indices point into `RevisionGraph::nodes`).
#[derive(Debug, Clone)]
struct Node {
    header: RevisionHeader,
    path: Option<PathBuf>,
    parents: Vec<usize>,
    deps: Vec<usize>,
    /// Parents then deps, deduplicated: Alembic's down revisions.
    downs: Vec<usize>,
    /// Revisions naming this one as a parent (Alembic's `nextrev`), input order.
    children: Vec<usize>,
    /// Revisions naming this one as a parent or dependency (`_all_nextrev`).
    ups: Vec<usize>,
    /// Own labels then labels inherited from the branch (Alembic's propagation).
    labels: Vec<String>,
}

impl Node {
    fn id(&self) -> &str {
        &self.header.id.value
    }
    fn is_head(&self) -> bool {
        self.children.is_empty()
    }
    fn is_real_head(&self) -> bool {
        self.ups.is_empty()
    }
    fn is_branch_point(&self) -> bool {
        self.children.len() > 1
    }
    fn is_merge_point(&self) -> bool {
        self.parents.len() > 1
    }
}

/// A validated revision graph. Build it with [`RevisionGraph::build`].
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    /// In input (file) order.
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    by_label: HashMap<String, usize>,
    /// Node indices sorted by id, for prefix lookup.
    sorted: Vec<usize>,
    /// Topological order (ancestors first); see the module doc.
    topo: Vec<usize>,
    /// Position of each node in `topo`.
    topo_pos: Vec<usize>,
}

impl RevisionGraph {
    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The header of a revision by full id.
    pub fn header(&self, id: &str) -> Option<&RevisionHeader> {
        self.by_id.get(id).map(|&i| &self.nodes[i].header)
    }

    /// Where a revision stands in the graph's input (the order of the files it was built from).
    pub fn input_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The file a revision came from, when the graph was built with paths.
    pub fn path(&self, id: &str) -> Option<&Path> {
        self.by_id
            .get(id)
            .and_then(|&i| self.nodes[i].path.as_deref())
    }

    /// Every id, ancestors first, in the documented deterministic order.
    pub fn topological_order(&self) -> Vec<&str> {
        self.topo.iter().map(|&i| self.nodes[i].id()).collect()
    }

    /// Real heads (nothing names them as parent or dependency), in input order.
    /// This is what `heads` means.
    pub fn heads(&self) -> Vec<&str> {
        self.ids_where(Node::is_real_head)
    }

    /// Effective heads (nothing names them as parent), in input order.
    pub fn effective_heads(&self) -> Vec<&str> {
        self.ids_where(Node::is_head)
    }

    /// Revisions without a parent, in input order.
    pub fn bases(&self) -> Vec<&str> {
        self.ids_where(|n| n.parents.is_empty())
    }

    /// Parents (as written in `revises`).
    pub fn parents(&self, id: &str) -> Vec<&str> {
        self.related(id, |n| &n.parents)
    }

    /// Revisions naming `id` as a parent, in input order.
    pub fn children(&self, id: &str) -> Vec<&str> {
        self.related(id, |n| &n.children)
    }

    /// `id` and everything it needs (parents and `depends_on`, transitively),
    /// in topological order.
    pub fn ancestors(&self, id: &str) -> Vec<&str> {
        let Some(&i) = self.by_id.get(id) else {
            return Vec::new();
        };
        let marks = self.ancestor_marks(&[i]);
        self.in_topo(&marks).map(|i| self.nodes[i].id()).collect()
    }

    /// Labels of a revision: its own, then those inherited along its branch.
    pub fn labels(&self, id: &str) -> Vec<&str> {
        self.by_id
            .get(id)
            .map(|&i| self.nodes[i].labels.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn ids_where(&self, keep: impl Fn(&Node) -> bool) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|n| keep(n))
            .map(Node::id)
            .collect()
    }

    fn related(&self, id: &str, f: impl Fn(&Node) -> &Vec<usize>) -> Vec<&str> {
        match self.by_id.get(id) {
            Some(&i) => f(&self.nodes[i])
                .iter()
                .map(|&j| self.nodes[j].id())
                .collect(),
            None => Vec::new(),
        }
    }

    fn id(&self, i: usize) -> &str {
        self.nodes[i].id()
    }

    /// Marked nodes in topological order.
    fn in_topo<'a>(&'a self, marks: &'a [bool]) -> impl Iterator<Item = usize> + 'a {
        self.topo.iter().copied().filter(move |&i| marks[i])
    }
}
