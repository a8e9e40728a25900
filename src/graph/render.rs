//! The text of `history`, `heads`, `branches` and `show`, modelled on Alembic's
//! (`Script.cmd_format` and `Script.log_entry` in `alembic/script/base.py`).
//!
//! A short line: `PARENTS [(DEPS)] -> ID [(LABELS)] [(head)|(effective head)]
//! [(branchpoint)] [(mergepoint)], MESSAGE`, with `<base>` for no parent. The
//! verbose block:
//!
//! ```text
//! Rev: b2c3d4e5f6a7 (head)
//! Parent: a1b2c3d4e5f6
//! Also depends on: c3d4e5f6a7b8
//! Branches into: ...
//! Branch names: analytics
//! Path: versions/0002_add_role.mig
//!
//!     add user role column
//! ```
//!
//! Differences from Alembic: an empty message prints no `, ` and no body; lists
//! are in written / file order instead of Python set order. Every output ends
//! with a newline unless it is empty.

use super::target::{parse, Dir};
use super::RevisionGraph;
use crate::diagnostic::Diagnostic;
use std::fmt::Write as _;

/// What a short line includes (Alembic's `_head_only` flags).
#[derive(Clone, Copy)]
struct LineOpts {
    parents: bool,
    labels: bool,
    tree: bool,
    doc: bool,
}

impl RevisionGraph {
    /// `history [-r FROM:TO] [--verbose]`: newest first. FROM defaults to base and
    /// TO to `heads`; FROM is included (Alembic's `walk_revisions`). `-N` as FROM
    /// counts down from TO; `+N` as TO counts up from FROM.
    pub fn history(&self, range: Option<&str>, verbose: bool) -> Result<String, Diagnostic> {
        let revs = match range {
            None => self.topo.iter().rev().copied().collect(),
            Some(spec) => self.history_range(spec)?,
        };
        let opts = LineOpts {
            parents: true,
            labels: true,
            tree: true,
            doc: true,
        };
        Ok(self.entries(&revs, verbose, opts))
    }

    /// `heads [--verbose]`: the real heads, in file order.
    pub fn heads_text(&self, verbose: bool) -> String {
        let heads: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].is_real_head())
            .collect();
        let opts = LineOpts {
            parents: false,
            labels: true,
            tree: false,
            doc: false,
        };
        self.entries(&heads, verbose, opts)
    }

    /// `branches [--verbose]`: each branch point (newest first) and its children.
    pub fn branches_text(&self, verbose: bool) -> String {
        let mut out = String::new();
        let short = LineOpts {
            parents: false,
            labels: true,
            tree: true,
            doc: false,
        };
        for &i in self.topo.iter().rev() {
            let node = &self.nodes[i];
            if !node.is_branch_point() {
                continue;
            }
            if verbose {
                out.push_str(&self.log_entry(i));
            } else {
                out.push_str(&self.line(i, short));
                out.push('\n');
            }
            let pad = " ".repeat(node.id().len());
            let child_opts = LineOpts {
                doc: verbose,
                ..short
            };
            for &c in &node.children {
                let _ = writeln!(out, "{pad} -> {}", self.line(c, child_opts));
            }
            out.push('\n');
        }
        out
    }

    /// `show REV`: the verbose block of each revision the target names.
    pub fn show(&self, target: &str) -> Result<String, Diagnostic> {
        let resolved = self.resolve_parsed(target, parse(target)?, None)?;
        if resolved.revs.is_empty() {
            return Err(
                Diagnostic::error("E0311", format!("`{target}` names no revision")).with_help(
                    "`base` is the empty database; show a revision id, `head` or `heads`",
                ),
            );
        }
        let revs = self.sorted_topo(&resolved.revs);
        let revs: Vec<usize> = revs.into_iter().rev().collect();
        Ok(self.entries(
            &revs,
            true,
            LineOpts {
                parents: true,
                labels: true,
                tree: true,
                doc: true,
            },
        ))
    }

    fn history_range(&self, spec: &str) -> Result<Vec<usize>, Diagnostic> {
        let Some((from, to)) = super::split_range(spec) else {
            return Err(
                Diagnostic::error("E0317", format!("history range `{spec}` has no `:`"))
                    .with_help("write `FROM:TO`, `FROM:` or `:TO`"),
            );
        };
        let to = if to.trim().is_empty() { "heads" } else { to };
        let from = (!from.trim().is_empty()).then_some(from);
        let (start, target) = self.resolve_pair(from, to, Dir::Up)?;
        let upper = self.ancestor_marks(&target.revs);
        if let Some(&s) = start.iter().find(|&&s| !upper[s]) {
            return Err(Diagnostic::error(
                "E0321",
                format!("revision {} is not an ancestor of `{to}`", self.id(s)),
            )
            .with_help("put the older revision first: `OLDER:NEWER`"));
        }
        let lower = self.ancestor_marks(&start);
        let above = self.descendant_marks(&start, false);
        let mut is_start = vec![false; self.nodes.len()];
        for &s in &start {
            is_start[s] = true;
        }
        let keep =
            |i: usize| upper[i] && (is_start[i] || (!lower[i] && (start.is_empty() || above[i])));
        Ok(self
            .topo
            .iter()
            .rev()
            .copied()
            .filter(|&i| keep(i))
            .collect())
    }

    fn entries(&self, revs: &[usize], verbose: bool, opts: LineOpts) -> String {
        let mut out = String::new();
        for (k, &i) in revs.iter().enumerate() {
            if verbose {
                if k > 0 {
                    out.push('\n');
                }
                out.push_str(&self.log_entry(i));
            } else {
                out.push_str(&self.line(i, opts));
                out.push('\n');
            }
        }
        out
    }

    /// Alembic's `_head_only`.
    fn line(&self, i: usize, o: LineOpts) -> String {
        let n = &self.nodes[i];
        let mut s = String::new();
        if o.parents {
            s.push_str(&self.parents_text(i));
            if !n.deps.is_empty() {
                let _ = write!(s, " ({})", self.names(&n.deps));
            }
            s.push_str(" -> ");
        }
        s.push_str(n.id());
        if o.labels && !n.labels.is_empty() {
            let _ = write!(s, " ({})", n.labels.join(", "));
        }
        if n.is_real_head() {
            s.push_str(" (head)");
        } else if n.is_head() {
            s.push_str(" (effective head)");
        }
        if o.tree {
            s.push_str(&self.tree_marks(i));
        }
        if o.doc && !n.header.message.is_empty() {
            let _ = write!(s, ", {}", first_paragraph(&n.header.message));
        }
        s
    }

    /// Alembic's `log_entry`.
    fn log_entry(&self, i: usize) -> String {
        let n = &self.nodes[i];
        let mut s = format!("Rev: {}", n.id());
        if n.is_head() {
            s.push_str(" (head)");
        }
        s.push_str(&self.tree_marks(i));
        s.push('\n');
        let key = if n.is_merge_point() {
            "Merges"
        } else {
            "Parent"
        };
        let _ = writeln!(s, "{key}: {}", self.parents_text(i));
        if !n.deps.is_empty() {
            let _ = writeln!(s, "Also depends on: {}", self.names(&n.deps));
        }
        if n.is_branch_point() {
            let _ = writeln!(s, "Branches into: {}", self.names(&n.children));
        }
        if !n.labels.is_empty() {
            let _ = writeln!(s, "Branch names: {}", n.labels.join(", "));
        }
        if let Some(p) = &n.path {
            let _ = writeln!(s, "Path: {}", p.display());
        }
        if !n.header.message.is_empty() {
            s.push('\n');
            for line in n.header.message.lines() {
                // blank message lines stay blank (Alembic indents them too)
                match line.trim_end() {
                    "" => s.push('\n'),
                    text => {
                        let _ = writeln!(s, "    {text}");
                    }
                }
            }
        }
        s
    }

    fn parents_text(&self, i: usize) -> String {
        let n = &self.nodes[i];
        if n.parents.is_empty() {
            "<base>".to_string()
        } else {
            self.names(&n.parents)
        }
    }

    fn tree_marks(&self, i: usize) -> String {
        let n = &self.nodes[i];
        let mut s = String::new();
        if n.is_branch_point() {
            s.push_str(" (branchpoint)");
        }
        if n.is_merge_point() {
            s.push_str(" (mergepoint)");
        }
        s
    }
}

/// Alembic's `doc`: the message up to its first blank line, on one line.
fn first_paragraph(message: &str) -> String {
    let para = message.split("\n\n").next().unwrap_or(message);
    para.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}
