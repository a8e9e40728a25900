//! Command-line targets, resolved with Alembic's rules.
//!
//! | form | meaning |
//! |---|---|
//! | `head` | the single head (error when there are several) |
//! | `heads` | every real head |
//! | `base` | before the first revision (no revision) |
//! | `a1b2c3d4e5f6`, `a1b2` | a full id, or a unique prefix of one |
//! | `analytics` | the revision carrying that branch label |
//! | `analytics@head`, `analytics@heads`, `analytics@base` | restricted to that branch |
//! | `analytics@a1b2` | `a1b2`, checked to be on that branch |
//! | `a1b2+2`, `head-1`, `analytics@head-1` | walk from a revision (up through children, down through parents) |
//! | `+2`, `-1`, `analytics@+1` | walk from the other end of the range (the start of an upgrade/downgrade) |
//!
//! Lookup order for a bare word: exact id, then branch label, then id prefix.
//! Diagnostics have no span (targets come from the command line): E0310–E0317.

use super::RevisionGraph;
use crate::diagnostic::Diagnostic;

/// A resolved target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Full ids in topological order; empty means `base`.
    pub revisions: Vec<String>,
    /// The branch label given as `label@...`, if any.
    pub branch: Option<String>,
}

/// A target in index form.
#[derive(Debug, Clone, Default)]
pub(super) struct Tgt {
    pub revs: Vec<usize>,
    /// The revision carrying the `label@` label, and the label.
    pub branch: Option<(usize, String)>,
}

/// The syntax of one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Parsed<'a> {
    label: Option<&'a str>,
    symbol: Option<&'a str>,
    relative: Option<i64>,
}

impl Parsed<'_> {
    /// `+N` / `-N` / `label@+N`: relative to the other end of the range.
    pub fn is_contextual(&self) -> bool {
        self.relative.is_some() && self.symbol.is_none()
    }
}

/// Split `FROM:TO`; `None` when there is no `:`.
pub fn split_range(text: &str) -> Option<(&str, &str)> {
    text.split_once(':')
}

pub(super) fn parse(text: &str) -> Result<Parsed<'_>, Diagnostic> {
    let text = text.trim();
    let (label, rest) = match text.split_once('@') {
        Some((l, r)) => (Some(l), r),
        None => (None, text),
    };
    if label == Some("") || text.is_empty() || rest.contains('@') || text.contains(':') {
        return Err(malformed(text));
    }
    if let Some((symbol, n)) = split_relative(rest) {
        let n = n.map_err(|_| malformed(text))?;
        let symbol = (!symbol.is_empty()).then_some(symbol);
        return Ok(Parsed {
            label,
            symbol,
            relative: Some(n),
        });
    }
    if rest.is_empty() {
        return Err(malformed(text));
    }
    Ok(Parsed {
        label,
        symbol: Some(rest),
        relative: None,
    })
}

/// `sym+N` / `sym-N` / `+N`: the symbol and the signed step count.
fn split_relative(rest: &str) -> Option<(&str, Result<i64, ()>)> {
    let at = rest.rfind(['+', '-'])?;
    let digits = &rest[at + 1..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: Result<i64, ()> = digits.parse::<i64>().map_err(|_| ());
    let signed = n.map(|n| if rest[at..].starts_with('-') { -n } else { n });
    Some((&rest[..at], signed))
}

fn malformed(text: &str) -> Diagnostic {
    Diagnostic::error("E0316", format!("cannot read target `{text}`")).with_help(
        "a target is `head`, `heads`, `base`, a revision id or prefix, a branch label, \
             `label@head`, `label@REV`, `REV+N`, `REV-N`, `+N` or `-N`",
    )
}

impl RevisionGraph {
    /// Resolve one target that does not depend on a starting point (everything
    /// but `+N`/`-N` without a revision).
    pub fn resolve(&self, target: &str) -> Result<Resolved, Diagnostic> {
        let parsed = parse(target)?;
        let t = self.resolve_parsed(target, parsed, None)?;
        Ok(self.export(&t))
    }

    pub(super) fn export(&self, t: &Tgt) -> Resolved {
        let mut revs = t.revs.clone();
        revs.sort_by_key(|&i| self.topo_pos[i]);
        Resolved {
            revisions: revs.iter().map(|&i| self.id(i).to_string()).collect(),
            branch: t.branch.as_ref().map(|(_, l)| l.clone()),
        }
    }

    /// Resolve a parsed target. `context` is the other end of the range
    /// (`None` when there is none) and the direction contextual steps may go.
    pub(super) fn resolve_parsed(
        &self,
        text: &str,
        p: Parsed<'_>,
        context: Option<(&[usize], Dir)>,
    ) -> Result<Tgt, Diagnostic> {
        let branch = match p.label {
            Some(l) => Some((self.branch_rev(l)?, l.to_string())),
            None => None,
        };
        let bl = branch.as_ref().map(|b| b.0);
        let revs = match (p.symbol, p.relative) {
            (Some(sym), None) => self.resolve_symbol(sym, bl)?,
            (Some(sym), Some(n)) => {
                let start = self.resolve_symbol(sym, bl)?;
                let start = self.single(text, &start)?;
                self.walk_from(text, start, n, bl)?.into_iter().collect()
            }
            (None, Some(n)) => self.resolve_contextual(text, n, bl, context)?,
            (None, None) => return Err(malformed(text)),
        };
        Ok(Tgt { revs, branch })
    }

    fn resolve_contextual(
        &self,
        text: &str,
        n: i64,
        bl: Option<usize>,
        context: Option<(&[usize], Dir)>,
    ) -> Result<Vec<usize>, Diagnostic> {
        let Some((current, dir)) = context else {
            return Err(Diagnostic::error(
                "E0316",
                format!("relative target `{text}` needs a starting point"),
            )
            .with_help("give a range such as `a1b2:+1` or `head:-1`, or write `REV+N` / `REV-N`"));
        };
        if (n > 0) != (dir == Dir::Up) {
            let (want, verb) = match dir {
                Dir::Up => ("+N", "an upgrade"),
                Dir::Down => ("-N", "a downgrade"),
            };
            return Err(Diagnostic::error(
                "E0313",
                format!("relative target `{text}` goes the wrong way for {verb}"),
            )
            .with_help(format!("use `{want}` here")));
        }
        let mut starts: Vec<usize> = current.to_vec();
        if let Some(b) = bl {
            let lineage = self.lineage_marks(b);
            starts.retain(|&c| lineage[c]);
            if starts.is_empty() && dir == Dir::Up {
                starts = self.branch_tips_below(current, b);
            }
        }
        let start = match starts.as_slice() {
            [] => None,
            [one] => Some(*one),
            _ => return Err(self.ambiguous_start(text, &starts)),
        };
        if start.is_none() && dir == Dir::Down {
            return Err(
                Diagnostic::error("E0313", format!("cannot go down `{text}` from base"))
                    .with_help("start the range at a revision, e.g. `head:-1`"),
            );
        }
        Ok(self.walk_from(text, start, n, bl)?.into_iter().collect())
    }

    /// Alembic's backtrack for `label@+N` when no current revision is on the
    /// branch: the newest applied revisions on the branch's line (the tips of
    /// the applied set restricted to the branch's lineage). Empty: start at base.
    fn branch_tips_below(&self, current: &[usize], b: usize) -> Vec<usize> {
        let applied = self.ancestor_marks(current);
        let mut line = self.lineage_marks(b);
        for (l, a) in line.iter_mut().zip(applied) {
            *l &= a;
        }
        let mut covered = vec![false; self.nodes.len()];
        for i in (0..self.nodes.len()).filter(|&i| line[i]) {
            for &d in &self.nodes[i].downs {
                covered[d] = true;
            }
        }
        (0..self.nodes.len())
            .filter(|&i| line[i] && !covered[i])
            .collect()
    }

    fn ambiguous_start(&self, text: &str, starts: &[usize]) -> Diagnostic {
        Diagnostic::error(
            "E0314",
            format!(
                "relative target `{text}` is ambiguous: it starts from several revisions ({})",
                self.names(starts)
            ),
        )
        .with_help("start from one revision, e.g. `REV+1`, or name a branch: `label@+1`")
    }

    /// The revision carrying label `l` (or, like Alembic, a revision named `l`).
    fn branch_rev(&self, l: &str) -> Result<usize, Diagnostic> {
        if let Some(&i) = self.by_label.get(l) {
            return Ok(i);
        }
        self.lookup(l, None).map_err(|_| {
            Diagnostic::error("E0311", format!("no branch label `{l}`"))
                .with_help(self.labels_help())
        })
    }

    fn labels_help(&self) -> String {
        let mut labels: Vec<&str> = self.by_label.keys().map(String::as_str).collect();
        labels.sort_unstable();
        if labels.is_empty() {
            "no revision has `branch_labels`; use a revision id instead".to_string()
        } else {
            format!("branch labels: {}", labels.join(", "))
        }
    }

    fn resolve_symbol(&self, sym: &str, bl: Option<usize>) -> Result<Vec<usize>, Diagnostic> {
        match sym {
            "base" => Ok(Vec::new()),
            "heads" => Ok(self.heads_in(bl, bl.is_some())),
            "head" => {
                let heads = self.heads_in(bl, true);
                if heads.len() > 1 {
                    return Err(self.multiple_heads(bl, &heads));
                }
                Ok(heads)
            }
            _ => Ok(vec![self.lookup(sym, bl)?]),
        }
    }

    /// Heads, in input order: effective heads (`head`, `label@...`) or real heads
    /// (`heads`), restricted to the branch of `bl`.
    fn heads_in(&self, bl: Option<usize>, effective: bool) -> Vec<usize> {
        let lineage = bl.map(|b| self.descendant_marks(&[b], false));
        (0..self.nodes.len())
            .filter(|&i| {
                let n = &self.nodes[i];
                if effective {
                    n.is_head()
                } else {
                    n.is_real_head()
                }
            })
            .filter(|&i| lineage.as_ref().is_none_or(|m| m[i]))
            .collect()
    }

    fn multiple_heads(&self, bl: Option<usize>, heads: &[usize]) -> Diagnostic {
        let what = match bl {
            Some(b) => format!("branch of `{}`", self.id(b)),
            None => "project".to_string(),
        };
        Diagnostic::error(
            "E0310",
            format!(
                "`head` is ambiguous: the {what} has {} heads: {}",
                heads.len(),
                self.names(heads)
            ),
        )
        .with_help(
            "name one (`compile heads` lists them), use `heads` for all of them, \
             or `LABEL@head` for one branch",
        )
    }

    /// Exact id, then label, then unique id prefix (restricted to the branch).
    pub(super) fn lookup(&self, sym: &str, bl: Option<usize>) -> Result<usize, Diagnostic> {
        let found = self
            .by_id
            .get(sym)
            .or_else(|| self.by_label.get(sym))
            .copied();
        let i = match found {
            Some(i) => i,
            None => self.lookup_prefix(sym, bl)?,
        };
        if let Some(b) = bl {
            if !self.shares_lineage(i, b) {
                return Err(Diagnostic::error(
                    "E0315",
                    format!(
                        "revision {} is not on the branch of `{}`",
                        self.id(i),
                        self.id(b)
                    ),
                )
                .with_help("drop the `label@` prefix, or pick a revision on that branch"));
            }
        }
        Ok(i)
    }

    fn lookup_prefix(&self, sym: &str, bl: Option<usize>) -> Result<usize, Diagnostic> {
        let from = self.sorted.partition_point(|&i| self.id(i) < sym);
        let mut hits: Vec<usize> = self.sorted[from..]
            .iter()
            .copied()
            .take_while(|&i| self.id(i).starts_with(sym))
            .collect();
        if let Some(b) = bl {
            if hits.len() > 1 {
                let lineage = self.lineage_marks(b);
                hits.retain(|&i| lineage[i]);
            }
        }
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(Diagnostic::error(
                "E0311",
                format!("no revision or branch label `{sym}`"),
            )
            .with_help(
                "`compile history` lists every revision; a prefix must match the start of an id",
            )),
            many => {
                let shown: Vec<&str> = many.iter().take(5).map(|&i| self.id(i)).collect();
                let more = if many.len() > 5 { ", ..." } else { "" };
                Err(Diagnostic::error(
                    "E0312",
                    format!(
                        "`{sym}` is ambiguous: {} revisions start with it: {}{more}",
                        many.len(),
                        shown.join(", ")
                    ),
                )
                .with_help("type more characters of the id"))
            }
        }
    }

    fn single(&self, text: &str, revs: &[usize]) -> Result<Option<usize>, Diagnostic> {
        match revs {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            _ => Err(self.ambiguous_start(text, revs)),
        }
    }

    /// Alembic's `_walk`: `n` steps up (children, restricted to the branch) or
    /// down (parents; below a root is base). `None` is base.
    fn walk_from(
        &self,
        text: &str,
        start: Option<usize>,
        n: i64,
        bl: Option<usize>,
    ) -> Result<Option<usize>, Diagnostic> {
        let lineage = bl.map(|b| self.lineage_marks(b));
        let mut cur = start;
        for done in 0..n.unsigned_abs() {
            let next: Vec<usize> = match (cur, n > 0) {
                (None, true) => (0..self.nodes.len())
                    .filter(|&i| self.nodes[i].parents.is_empty())
                    .collect(),
                (Some(c), true) => self.nodes[c].children.clone(),
                (Some(c), false) => self.nodes[c].parents.clone(),
                (None, false) => return Err(self.overwalk(text, start, n, done)),
            };
            let next: Vec<usize> = match &lineage {
                Some(m) if n > 0 => next.into_iter().filter(|&i| m[i]).collect(),
                _ => next,
            };
            cur = match next.as_slice() {
                [] if n < 0 => None,
                [] => return Err(self.overwalk(text, start, n, done)),
                [one] => Some(*one),
                many => return Err(self.ambiguous_walk(text, cur, many)),
            };
        }
        Ok(cur)
    }

    fn overwalk(&self, text: &str, start: Option<usize>, n: i64, done: u64) -> Diagnostic {
        let from = start.map_or("base", |s| self.id(s));
        let steps = n.unsigned_abs();
        let why = if n > 0 {
            format!(
                "cannot go {steps} {} up from {from}: only {done} {} above it",
                plural(steps, "step"),
                plural(done, "revision")
            )
        } else {
            format!(
                "cannot go {steps} {} down from {from}: base is {done} {} below it",
                plural(steps, "step"),
                plural(done, "step")
            )
        };
        Diagnostic::error("E0313", format!("`{text}`: {why}"))
            .with_help("use a smaller step count; `compile history` shows the revisions")
    }

    fn ambiguous_walk(&self, text: &str, at: Option<usize>, many: &[usize]) -> Diagnostic {
        let at = at.map_or("base", |a| self.id(a));
        Diagnostic::error(
            "E0314",
            format!(
                "`{text}` is ambiguous: at {at} the history splits into {}",
                self.names(many)
            ),
        )
        .with_help("name the branch (`label@+1`) or the revision to go to")
    }

    pub(super) fn names(&self, revs: &[usize]) -> String {
        revs.iter()
            .map(|&i| self.id(i))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which way contextual steps (`+N` / `-N`) may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Up,
    Down,
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
