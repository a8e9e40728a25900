//! Building and validating a [`RevisionGraph`] from revision headers.
//!
//! Errors (E0300–E0306) carry the spans of the header parts involved. All of
//! them are collected before giving up. Cycle detection and the topological
//! order share one iterative depth-first search (see the module doc of
//! `graph` for the order it produces).

use super::{Node, RevisionGraph};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Ident, RevisionHeader};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::PathBuf;

/// Words that mean something as a target and so cannot be ids or labels.
const RESERVED: [&str; 3] = ["head", "heads", "base"];

/// How many cycles one build reports at most.
const MAX_CYCLES: usize = 5;

impl RevisionGraph {
    /// Build the graph from headers in file order (no paths: `history --verbose`
    /// and `show` then leave out the `Path:` line).
    pub fn build(headers: Vec<RevisionHeader>) -> Result<RevisionGraph, Vec<Diagnostic>> {
        Self::build_with_paths(headers.into_iter().map(|h| (h, None)).collect())
    }

    /// Build the graph from `(header, path of its file)` pairs in file order.
    /// The order given is the tie-break of the topological order.
    pub fn build_with_paths(
        entries: Vec<(RevisionHeader, Option<PathBuf>)>,
    ) -> Result<RevisionGraph, Vec<Diagnostic>> {
        let mut diags = Diagnostics::new();
        let (nodes, by_id) = index_ids(entries, &mut diags);
        let mut graph = RevisionGraph {
            nodes,
            by_id,
            by_label: HashMap::new(),
            sorted: Vec::new(),
            topo: Vec::new(),
            topo_pos: Vec::new(),
        };
        graph.sort_ids();
        graph.link_edges(&mut diags);
        graph.index_labels(&mut diags);
        graph.sort_topologically(&mut diags);
        if diags.has_errors() {
            return diags.finish(graph);
        }
        graph.propagate_labels();
        diags.finish(graph)
    }

    fn sort_ids(&mut self) {
        let mut sorted: Vec<usize> = (0..self.nodes.len()).collect();
        sorted.sort_by(|&a, &b| self.nodes[a].id().cmp(self.nodes[b].id()));
        self.sorted = sorted;
    }

    fn link_edges(&mut self, diags: &mut Diagnostics) {
        for i in 0..self.nodes.len() {
            let header = &self.nodes[i].header;
            let parents = self.lookup_all(header, &header.parents, "E0301", diags);
            let deps = self.lookup_all(header, &header.depends_on, "E0302", diags);
            let mut downs = parents.clone();
            for &d in &deps {
                if !downs.contains(&d) {
                    downs.push(d);
                }
            }
            for &p in &parents {
                self.nodes[p].children.push(i);
            }
            for &d in &downs {
                self.nodes[d].ups.push(i);
            }
            let node = &mut self.nodes[i];
            node.parents = parents;
            node.deps = deps;
            node.downs = downs;
        }
    }

    /// Resolve referenced ids; an unknown one is an error with `code`, a repeated
    /// one in the same list is E0306.
    fn lookup_all(
        &self,
        header: &RevisionHeader,
        refs: &[Ident],
        code: &'static str,
        diags: &mut Diagnostics,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        for (k, r) in refs.iter().enumerate() {
            if refs[..k].iter().any(|e| e.value == r.value) {
                diags.push(repeated_ref(header, r));
                continue;
            }
            match self.by_id.get(&r.value) {
                Some(&j) => out.push(j),
                None => diags.push(self.unknown_ref(header, r, code)),
            }
        }
        out
    }

    fn unknown_ref(&self, header: &RevisionHeader, r: &Ident, code: &'static str) -> Diagnostic {
        let (what, key) = if code == "E0301" {
            ("parent", "revises")
        } else {
            ("dependency", "depends_on")
        };
        let mut help = format!(
            "fix the id in `{key}`, or add the missing revision file to the versions folder"
        );
        if let Some(near) = self.similar_id(&r.value) {
            help = format!("did you mean `{near}`? {help}");
        }
        Diagnostic::error(
            code,
            format!(
                "revision {} names unknown {what} `{}`",
                header.id.value, r.value
            ),
        )
        .with_span(r.span, format!("no revision `{}` exists", r.value))
        .with_label(header.id.span, "in this revision")
        .with_help(help)
    }

    /// A unique id that starts with `text`, else an id that `text` starts with
    /// (a typo'd suffix). Uses the sorted ids, so it costs O(log N + len).
    fn similar_id(&self, text: &str) -> Option<&str> {
        if text.is_empty() {
            return None;
        }
        let from = self.sorted.partition_point(|&i| self.id(i) < text);
        let mut longer = self.sorted[from..]
            .iter()
            .map(|&i| self.id(i))
            .take_while(|id| id.starts_with(text));
        if let (Some(one), None) = (longer.next(), longer.next()) {
            return Some(one);
        }
        (1..text.len())
            .rev()
            .filter(|&k| text.is_char_boundary(k))
            .find_map(|k| self.by_id.get(&text[..k]).map(|&i| self.id(i)))
    }

    fn index_labels(&mut self, diags: &mut Diagnostics) {
        for i in 0..self.nodes.len() {
            for label in self.nodes[i].header.branch_labels.clone() {
                self.index_label(i, &label, diags);
            }
        }
    }

    fn index_label(&mut self, i: usize, label: &Ident, diags: &mut Diagnostics) {
        if let Some(d) = check_name(label, "branch label") {
            diags.push(d);
            return;
        }
        if let Some(&j) = self.by_id.get(&label.value) {
            diags.push(label_is_id(label, &self.nodes[j].header));
            return;
        }
        match self.by_label.entry(label.value.clone()) {
            Entry::Occupied(e) => {
                let first = &self.nodes[*e.get()].header;
                let other = first
                    .branch_labels
                    .iter()
                    .find(|l| l.value == label.value)
                    .map_or(first.id.span, |l| l.span);
                diags.push(
                    Diagnostic::error(
                        "E0304",
                        format!("branch label `{}` is used twice", label.value),
                    )
                    .with_span(label.span, "used again here")
                    .with_label(other, "first used here")
                    .with_help("a branch label names one branch; rename one of them"),
                );
            }
            Entry::Vacant(v) => {
                v.insert(i);
                self.nodes[i].labels.push(label.value.clone());
            }
        }
    }

    /// Alembic's `_add_branches`: a label marks the labelled revision, every
    /// revision above it (via parents), and the unbranched run of revisions below
    /// it down to the first branch point or merge point.
    fn propagate_labels(&mut self) {
        // Every own label gets a global number, in (file order, label order): the
        // order in which labels are appended to the revisions that inherit them.
        let mut own: Vec<(usize, String)> = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            own.extend(n.labels.iter().map(|l| (i, l.clone())));
        }
        if own.is_empty() {
            return;
        }
        let mut first_of: Vec<Option<u32>> = vec![None; self.nodes.len()];
        for (g, (i, _)) in own.iter().enumerate().rev() {
            first_of[*i] = Some(g as u32);
        }
        let mut inherited = self.labels_from_ancestors(&own, &first_of);
        self.labels_down_first_parent_chains(&own, &mut inherited);
        for (node, mut ids) in self.nodes.iter_mut().zip(inherited) {
            ids.sort_unstable();
            ids.dedup();
            for g in ids {
                add_label(node, &own[g as usize].1);
            }
        }
    }

    /// Labels of every ancestor (through `revises`), one pass in topological order:
    /// a revision inherits its parents' own labels and what they inherited.
    fn labels_from_ancestors(
        &self,
        own: &[(usize, String)],
        first_of: &[Option<u32>],
    ) -> Vec<Vec<u32>> {
        let mut inherited: Vec<Vec<u32>> = vec![Vec::new(); self.nodes.len()];
        for &i in &self.topo {
            let mut set: Vec<u32> = Vec::new();
            for &p in &self.nodes[i].parents {
                set.extend_from_slice(&inherited[p]);
                if let Some(first) = first_of[p] {
                    let count = self.nodes[p].labels.len().min(own.len() - first as usize);
                    set.extend((first..).take(count));
                }
            }
            if self.nodes[i].parents.len() > 1 {
                set.sort_unstable();
                set.dedup();
            }
            inherited[i] = set;
        }
        inherited
    }

    /// A label also names the revisions below it, down the first-parent chain
    /// until a branch point or merge point (Alembic's propagation).
    fn labels_down_first_parent_chains(&self, own: &[(usize, String)], inherited: &mut [Vec<u32>]) {
        for (g, (start, _)) in own.iter().enumerate() {
            let s = &self.nodes[*start];
            let stop_here = s.ups.len() > 1 || s.is_merge_point();
            let mut cur = s.parents.first().copied().filter(|_| !stop_here);
            while let Some(p) = cur {
                let n = &self.nodes[p];
                if n.ups.len() > 1 || n.is_merge_point() {
                    break;
                }
                inherited[p].push(g as u32);
                cur = n.parents.first().copied();
            }
        }
    }

    /// Iterative DFS post-order from the real heads (then from anything left,
    /// which only happens on a cycle). A back edge is a cycle: reported with the
    /// revisions on it.
    fn sort_topologically(&mut self, diags: &mut Diagnostics) {
        let n = self.nodes.len();
        // 0 = unvisited, 1 = on the stack, 2 = done
        let mut state = vec![0u8; n];
        let mut order = Vec::with_capacity(n);
        let mut cycles = 0usize;
        let roots: Vec<usize> = (0..n)
            .filter(|&i| self.nodes[i].is_real_head())
            .chain(0..n)
            .collect();
        for root in roots {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (v, ref mut next)) = stack.last_mut() {
                if let Some(&w) = self.nodes[v].downs.get(*next) {
                    *next += 1;
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => {
                            cycles += 1;
                            if cycles <= MAX_CYCLES {
                                diags.push(self.cycle_error(&stack, w));
                            }
                        }
                        _ => {}
                    }
                } else {
                    state[v] = 2;
                    order.push(v);
                    stack.pop();
                }
            }
        }
        let mut pos = vec![0; n];
        for (k, &i) in order.iter().enumerate() {
            pos[i] = k;
        }
        self.topo = order;
        self.topo_pos = pos;
    }

    /// `stack` runs from a descendant down to `v`; `v` needs `w`, which is on the
    /// stack: the revisions from `w` to `v` form the cycle.
    fn cycle_error(&self, stack: &[(usize, usize)], w: usize) -> Diagnostic {
        let from = stack.iter().position(|&(s, _)| s == w).unwrap_or(0);
        let on_cycle: Vec<usize> = stack[from..].iter().map(|&(s, _)| s).collect();
        let names: Vec<&str> = on_cycle.iter().map(|&i| self.id(i)).collect();
        let first = &self.nodes[w].header;
        let mut d = Diagnostic::error(
            "E0303",
            format!(
                "revisions form a cycle: {} -> {}",
                names.join(" -> "),
                self.id(w)
            ),
        )
        .with_span(first.id.span, "this revision is its own ancestor");
        for &i in on_cycle.iter().skip(1) {
            d = d.with_label(self.nodes[i].header.id.span, "on the cycle");
        }
        d.with_help(
            "each revision must revise (or depend on) older revisions only; \
             fix `revises`/`depends_on` in one of these files",
        )
    }
}

/// Index ids in input order; duplicates (E0300) and bad ids (E0305) are reported
/// and the later copy is dropped.
fn index_ids(
    entries: Vec<(RevisionHeader, Option<PathBuf>)>,
    diags: &mut Diagnostics,
) -> (Vec<Node>, HashMap<String, usize>) {
    let mut nodes: Vec<Node> = Vec::with_capacity(entries.len());
    let mut by_id = HashMap::with_capacity(entries.len());
    for (header, path) in entries {
        if let Some(d) = check_name(&header.id, "revision id") {
            diags.push(d);
            continue;
        }
        if let Some(&j) = by_id.get(&header.id.value) {
            let first: &Node = &nodes[j];
            diags.push(duplicate_id(&header, first));
            continue;
        }
        by_id.insert(header.id.value.clone(), nodes.len());
        nodes.push(Node {
            header,
            path,
            parents: Vec::new(),
            deps: Vec::new(),
            downs: Vec::new(),
            children: Vec::new(),
            ups: Vec::new(),
            labels: Vec::new(),
        });
    }
    (nodes, by_id)
}

fn duplicate_id(header: &RevisionHeader, first: &Node) -> Diagnostic {
    let mut d = Diagnostic::error(
        "E0300",
        format!("revision id `{}` is used by two files", header.id.value),
    )
    .with_span(header.id.span, "used again here")
    .with_label(first.header.id.span, "first used here");
    if let Some(p) = &first.path {
        d = d.with_note(format!("the first is {}", p.display()));
    }
    d.with_help("give one of the revisions a new unique id (and update any `revises` naming it)")
}

/// Ids and labels must not be empty, reserved words, or contain characters that
/// target syntax gives a meaning (`@ + - :` and `,`, whitespace).
fn check_name(name: &Ident, what: &str) -> Option<Diagnostic> {
    let v = name.value.as_str();
    let bad = v
        .chars()
        .find(|c| "@+-:,".contains(*c) || c.is_whitespace());
    let reason = if v.is_empty() {
        "it is empty".to_string()
    } else if RESERVED.contains(&v) {
        format!("`{v}` is a reserved target name")
    } else if let Some(c) = bad {
        format!("it contains `{c}`, which has a meaning in targets")
    } else {
        return None;
    };
    Some(
        Diagnostic::error("E0305", format!("invalid {what} `{v}`: {reason}"))
            .with_span(name.span, format!("invalid {what}"))
            .with_help(format!(
                "use letters, digits and `_` only (not `head`, `heads` or `base`) for a {what}"
            )),
    )
}

fn repeated_ref(header: &RevisionHeader, r: &Ident) -> Diagnostic {
    Diagnostic::error(
        "E0306",
        format!(
            "revision {} names `{}` twice in the same list",
            header.id.value, r.value
        ),
    )
    .with_span(r.span, "named again here")
    .with_help("remove the repeated id")
}

fn label_is_id(label: &Ident, owner: &RevisionHeader) -> Diagnostic {
    Diagnostic::error(
        "E0304",
        format!(
            "branch label `{}` is also the id of a revision",
            label.value
        ),
    )
    .with_span(label.span, "this label")
    .with_label(owner.id.span, "the revision with this id")
    .with_help("targets could not tell them apart; rename the label")
}

fn add_label(node: &mut Node, label: &str) {
    if !node.labels.iter().any(|l| l == label) {
        node.labels.push(label.to_string());
    }
}
