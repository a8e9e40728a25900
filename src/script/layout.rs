//! The body of the script: preamble, transactions, guards, each revision's
//! statements and version-row changes, non-transactional statements between
//! transactions.

use super::{comment_text, versions, ScriptInput};
use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, Statement};
use crate::plan::{Direction, VersionChange};
use std::collections::BTreeSet;

/// One step of the plan, ready to write.
pub struct StepView {
    pub revision: String,
    /// `upgrade a1b2 -> b2c3`, `downgrade b2c3 -> a1b2`, `stamp  -> a1b2`.
    pub title: String,
    pub message: String,
    /// Deferred statements (`use_alter` foreign keys) moved last.
    pub statements: Vec<Statement>,
    pub version_changes: Vec<VersionChange>,
    /// The version rows before this step (sorted).
    pub rows_before: Vec<String>,
}

/// Pair each plan step with its statements and what the script shows of it.
pub fn steps(input: &ScriptInput) -> Result<Vec<StepView>, Vec<Diagnostic>> {
    let plan = input.plan;
    if !input.statements.is_empty() && input.statements.len() != plan.steps.len() {
        return Err(vec![Diagnostic::internal(format!(
            "{} lowered steps for {} plan steps",
            input.statements.len(),
            plan.steps.len()
        ))]);
    }
    let mut rows: BTreeSet<String> = plan.start.iter().cloned().collect();
    let mut out = Vec::with_capacity(plan.steps.len());
    for (i, step) in plan.steps.iter().enumerate() {
        let info = input
            .revisions
            .get(&step.revision)
            .cloned()
            .unwrap_or_default();
        let parents = info.parents.join(", ");
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
        let mut statements = input.statements.get(i).cloned().unwrap_or_default();
        // Stable: keeps the relative order of both groups.
        statements.sort_by_key(|s| s.deferred);
        let rows_before: Vec<String> = rows.iter().cloned().collect();
        rows = versions::apply(&rows, &step.version_changes).map_err(|d| vec![d])?;
        out.push(StepView {
            revision: step.revision.clone(),
            title,
            message: info.message,
            statements,
            version_changes: step.version_changes.clone(),
            rows_before,
        });
    }
    Ok(out)
}

/// Writes blocks separated by blank lines and tracks whether a transaction is open.
struct Writer<'a> {
    backend: &'a dyn Backend,
    out: &'a mut String,
    in_tx: bool,
}

impl Writer<'_> {
    fn block(&mut self, text: &str) {
        self.out.push_str(text.trim_end());
        self.out.push_str("\n\n");
    }

    fn statement(&mut self, s: &Statement) {
        let text = self.backend.terminate(s);
        self.block(&text);
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

    fn guard(&mut self, input: &ScriptInput, rows: &[String]) -> Result<(), Diagnostic> {
        match self.backend.guard(&input.options.version_table, rows)? {
            Some(g) => self.statement(&g),
            None => self.block("-- (this dialect cannot check the version table before running)"),
        }
        Ok(())
    }
}

pub fn body(
    backend: &dyn Backend,
    input: &ScriptInput,
    steps: &[StepView],
    out: &mut String,
) -> Result<(), Diagnostic> {
    let mut w = Writer {
        backend,
        out,
        in_tx: false,
    };
    let preamble = backend.preamble(&input.options.session)?;
    if !preamble.trim().is_empty() {
        w.block(&preamble);
    }
    let vt = &input.options.version_table;
    w.begin();
    if input.plan.start.is_empty() {
        let create = backend.create_version_table(vt)?;
        w.statement(&create);
    }
    w.guard(input, &input.plan.start)?;
    let per_revision = input.options.transaction_per_migration;
    for (i, step) in steps.iter().enumerate() {
        if per_revision && i > 0 {
            w.begin();
            w.guard(input, &step.rows_before)?;
        }
        write_step(&mut w, step)?;
        for change in &step.version_changes {
            w.begin();
            let sql = backend.version_change(vt, change)?;
            w.statement(&sql);
        }
        if per_revision {
            w.commit();
        }
    }
    w.commit();
    Ok(())
}

fn write_step(w: &mut Writer, step: &StepView) -> Result<(), Diagnostic> {
    let mut heading = format!("-- Running {}", comment_text(&step.title));
    if !step.message.is_empty() {
        heading.push_str(&format!("\n-- {}", comment_text(&step.message)));
    }
    w.block(&heading);
    for s in &step.statements {
        if s.transactional {
            w.begin();
        } else {
            w.commit();
            let note = format!(
                "-- Non-transactional ({}): runs outside a transaction; the statements\n-- above are committed, the version table still shows the previous revision.\n{}",
                comment_text(&step.revision),
                w.backend.terminate(s)
            );
            w.block(&note);
            continue;
        }
        w.statement(s);
    }
    Ok(())
}
