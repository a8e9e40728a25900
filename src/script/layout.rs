//! The body of the script: preamble, transactions, guards, each revision's
//! statements and version-row changes, non-transactional statements between
//! transactions. Written one step at a time ([`Body::step`]), so a caller can
//! drop each revision's statements as soon as they are written.

use super::{comment_text, versions, ScriptContext};
use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, Statement};
use crate::plan::Direction;
use std::collections::BTreeSet;

/// The body so far, and where the script stands: the next plan step, the version
/// rows before it, whether a transaction is open.
pub struct Body<'a> {
    backend: &'a dyn Backend,
    cx: ScriptContext<'a>,
    out: String,
    in_tx: bool,
    next: usize,
    rows: BTreeSet<String>,
}

impl<'a> Body<'a> {
    /// Preamble, the first transaction, the lock, the version table (from base)
    /// and the guard on the plan's start rows.
    pub fn start(backend: &'a dyn Backend, cx: ScriptContext<'a>) -> Result<Self, Diagnostic> {
        let mut w = Body {
            backend,
            cx,
            out: String::new(),
            in_tx: false,
            next: 0,
            rows: cx.plan.start.iter().cloned().collect(),
        };
        let preamble = backend.preamble(&cx.options.session)?;
        if !preamble.trim().is_empty() {
            w.block(&preamble);
        }
        let vt = &cx.options.version_table;
        w.begin();
        if let Some(lock) = backend.script_lock(vt)? {
            w.statement(&lock);
        }
        if cx.plan.start.is_empty() {
            let create = backend.create_version_table(vt)?;
            w.statement(&create);
        }
        let start: Vec<String> = w.rows.iter().cloned().collect();
        w.guard(&start)?;
        Ok(w)
    }

    /// The revision of the next step, if any is left.
    pub fn next_revision(&self) -> Option<&'a str> {
        let plan = self.cx.plan;
        plan.steps.get(self.next).map(|s| s.revision.as_str())
    }

    /// Room for `bytes` more of output, so a long script grows without copies
    /// (untouched capacity costs no memory).
    pub fn reserve(&mut self, bytes: usize) {
        self.out.reserve(bytes);
    }

    /// Write the next plan step with its lowered statements.
    pub fn step(&mut self, statements: &[Statement]) -> Result<(), Diagnostic> {
        let plan = self.cx.plan;
        let i = self.next;
        let step = plan.steps.get(i).ok_or_else(|| {
            Diagnostic::internal(format!(
                "more lowered steps than the {} of the plan",
                plan.steps.len()
            ))
        })?;
        self.next += 1;
        let per_revision = self.cx.options.transaction_per_migration;
        if per_revision && i > 0 {
            self.begin();
            let rows: Vec<String> = self.rows.iter().cloned().collect();
            self.guard(&rows)?;
        }
        self.heading(i);
        // Deferred statements (`use_alter` foreign keys) last, each group in order.
        let (now, deferred): (Vec<&Statement>, Vec<&Statement>) =
            statements.iter().partition(|s| !s.deferred);
        for s in now.into_iter().chain(deferred) {
            self.write(&step.revision, s);
        }
        let vt = &self.cx.options.version_table;
        for change in &step.version_changes {
            self.begin();
            let sql = self.backend.version_change(vt, change)?;
            self.statement(&sql);
        }
        self.rows = versions::apply(&self.rows, &step.version_changes)?;
        if per_revision {
            self.commit();
        }
        Ok(())
    }

    /// Close the last transaction; the body's text.
    pub fn finish(mut self) -> Result<String, Diagnostic> {
        if self.next != self.cx.plan.steps.len() {
            return Err(Diagnostic::internal(format!(
                "{} lowered steps for {} plan steps",
                self.next,
                self.cx.plan.steps.len()
            )));
        }
        self.commit();
        Ok(self.out)
    }

    /// `-- Running upgrade a1b2 -> b2c3` and the revision's message.
    fn heading(&mut self, i: usize) {
        let plan = self.cx.plan;
        let step = &plan.steps[i];
        let info = self.cx.revisions.get(&step.revision);
        let parents = info.map(|r| r.parents.join(", ")).unwrap_or_default();
        let verb = match (plan.command, step.direction) {
            (crate::plan::Command::Stamp, _) => "stamp",
            (_, Direction::Up) => "upgrade",
            (_, Direction::Down) => "downgrade",
        };
        let title = match step.direction {
            Direction::Up => format!("{verb} {parents} -> {}", step.revision),
            Direction::Down => format!("{verb} {} -> {parents}", step.revision)
                .trim_end()
                .to_string(),
        };
        let mut heading = format!("-- Running {}", comment_text(&title));
        let message = info.map(|r| r.message.as_str()).unwrap_or("");
        if !message.is_empty() {
            heading.push_str(&format!("\n-- {}", comment_text(message)));
        }
        self.block(&heading);
    }

    fn write(&mut self, revision: &str, s: &Statement) {
        if s.transactional {
            self.begin();
            self.statement(s);
        } else if !self.in_tx {
            // Right after another non-transactional statement: already outside.
            self.statement(s);
        } else {
            self.commit();
            let note = format!(
                "-- Non-transactional ({}): runs outside a transaction; the statements\n-- before it are committed, the version table still shows the previous revision.\n{}",
                comment_text(revision),
                self.backend.terminate(s)
            );
            self.block(&note);
        }
    }

    fn block(&mut self, text: &str) {
        self.out.push_str(text.trim_end());
        self.out.push_str("\n\n");
    }

    fn statement(&mut self, s: &Statement) {
        let sql = s.sql.trim_end();
        self.out.push_str(sql);
        self.out.push_str(self.backend.terminator(s));
        self.out.push_str("\n\n");
    }

    fn begin(&mut self) {
        if !self.in_tx {
            let sql = self.backend.begin();
            self.block(&sql);
            self.in_tx = true;
        }
    }

    fn commit(&mut self) {
        if self.in_tx {
            let sql = self.backend.commit();
            self.block(&sql);
            self.in_tx = false;
        }
    }

    fn guard(&mut self, rows: &[String]) -> Result<(), Diagnostic> {
        match self.backend.guard(&self.cx.options.version_table, rows)? {
            Some(g) => self.statement(&g),
            None => self.block("-- (this dialect cannot check the version table before running)"),
        }
        Ok(())
    }
}
