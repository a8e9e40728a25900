//! Assembling one script from a plan and the lowered statements of its steps.
//!
//! The script is what a DBA reads and runs (`psql -v ON_ERROR_STOP=1 -f`), so it
//! is deterministic (no timestamps: the same input gives the same bytes) and
//! tells the truth when it stops anywhere:
//!
//! - a header lists project, database, dialect, command, start and end revisions,
//!   the statement count, every non-transactional statement and every destructive
//!   one;
//! - a guard checks the version table holds exactly the plan's start rows before
//!   anything changes (the table is created first when the script starts from base);
//! - everything runs in one transaction, or one per revision with
//!   `transaction_per_migration`, each revision's version-row change inside the
//!   transaction of its last statements;
//! - non-transactional statements (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE ... ADD
//!   VALUE`) run between transactions, so a revision containing one records its
//!   version row only after it.
//!
//! The dialect supplies the SQL of each piece through the script hooks of
//! [`Backend`]; this module decides the order. Error codes E0510–E0519.

mod header;
mod layout;
mod versions;

use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, SessionSettings, Statement, VersionTable};
use crate::plan::Plan;
use indexmap::IndexMap;

/// What the script shows of a revision: its message and parents (for
/// `-- Running upgrade a1b2 -> b2c3`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevisionInfo {
    pub message: String,
    pub parents: Vec<String>,
}

/// Settings of the script, from the config and the command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScriptOptions {
    pub project_name: String,
    /// The named database of the config, when there are several.
    pub database_name: Option<String>,
    pub version_table: VersionTable,
    /// One transaction per revision instead of one for the whole script.
    pub transaction_per_migration: bool,
    /// `lock_timeout`, `statement_timeout`.
    pub session: SessionSettings,
}

/// Everything the script is made of, all at once (see [`ScriptWriter`] to hand
/// the statements over step by step).
#[derive(Debug, Clone)]
pub struct ScriptInput<'a> {
    pub plan: &'a Plan,
    /// The statements of each step of `plan.steps`, in the same order (`stamp`:
    /// empty, or one empty list per step).
    pub statements: Vec<Vec<Statement>>,
    /// Every revision the plan mentions (steps, start and end rows).
    pub revisions: &'a IndexMap<String, RevisionInfo>,
    pub options: &'a ScriptOptions,
}

/// What every part of the script reads: the plan, what it shows of revisions,
/// the settings.
#[derive(Debug, Clone, Copy)]
pub struct ScriptContext<'a> {
    pub plan: &'a Plan,
    /// Every revision the plan mentions (steps, start and end rows).
    pub revisions: &'a IndexMap<String, RevisionInfo>,
    pub options: &'a ScriptOptions,
}

/// Assemble the script.
pub fn assemble(backend: &dyn Backend, input: &ScriptInput) -> Result<String, Vec<Diagnostic>> {
    let cx = ScriptContext {
        plan: input.plan,
        revisions: input.revisions,
        options: input.options,
    };
    if !input.statements.is_empty() && input.statements.len() != cx.plan.steps.len() {
        return Err(vec![Diagnostic::internal(format!(
            "{} lowered steps for {} plan steps",
            input.statements.len(),
            cx.plan.steps.len()
        ))]);
    }
    let mut w = ScriptWriter::start(backend, cx)?;
    for i in 0..cx.plan.steps.len() {
        let statements = input.statements.get(i).map_or(&[][..], Vec::as_slice);
        w.step(statements).map_err(|d| vec![d])?;
    }
    w.finish().map_err(|d| vec![d])
}

/// The script written one plan step at a time: the caller lowers a revision,
/// hands its statements over and drops them, so memory follows the output, not
/// the history. The header (which counts and lists statements of every step) is
/// put in front by [`ScriptWriter::finish`].
pub struct ScriptWriter<'a> {
    backend: &'a dyn Backend,
    cx: ScriptContext<'a>,
    body: layout::Body<'a>,
    notes: header::Notes,
}

impl<'a> ScriptWriter<'a> {
    /// Checks the version table settings and the plan's version rows, and writes
    /// what comes before the first step.
    pub fn start(backend: &'a dyn Backend, cx: ScriptContext<'a>) -> Result<Self, Vec<Diagnostic>> {
        versions::check(backend, cx)?;
        let body = layout::Body::start(backend, cx).map_err(|d| vec![d])?;
        Ok(ScriptWriter {
            backend,
            cx,
            body,
            notes: header::Notes::default(),
        })
    }

    /// Room for about `bytes` of script (a hint: the script grows past it if
    /// needed). Reserving what a long script will need saves copying it as it grows.
    pub fn reserve(&mut self, bytes: usize) {
        self.body.reserve(bytes);
    }

    /// Write the next plan step with its statements.
    pub fn step(&mut self, statements: &[Statement]) -> Result<(), Diagnostic> {
        if let Some(revision) = self.body.next_revision() {
            self.notes.record(revision, statements);
        }
        self.body.step(statements)
    }

    /// The whole script: header, body, postamble. Every plan step must have been written.
    pub fn finish(self) -> Result<String, Diagnostic> {
        let mut out = self.body.finish()?;
        let mut header = header::render(self.backend, self.cx, &self.notes);
        header.push('\n');
        // In place: the body may be most of the memory the run uses.
        out.insert_str(0, &header);
        let post = self.backend.postamble();
        if !post.is_empty() {
            out.push('\n');
            out.push_str(&post);
        }
        Ok(out)
    }
}

/// Text safe inside a `--` comment: control characters (a line break would end
/// the comment and turn the rest into SQL) become spaces.
pub fn comment_text(s: &str) -> String {
    if !has_control(s) {
        return s.to_string();
    }
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text.chars().any(char::is_control)`, by bytes: the control characters are
/// U+0000–U+001F, U+007F and U+0080–U+009F (`C2 80`–`C2 9F` in UTF-8), so text
/// without those bytes (almost all) is passed over without decoding.
pub fn has_control(text: &str) -> bool {
    text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) && text.chars().any(char::is_control)
}

/// The first line of a statement, at most `max` characters, for the header.
fn summary(sql: &str, max: usize) -> String {
    let line = sql
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or("");
    // Replacing a control character keeps the number of characters: cut first.
    match line.char_indices().nth(max) {
        Some((end, _)) => format!("{}...", comment_text(&line[..end])),
        None => comment_text(line),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn has_control_agrees_with_char_is_control() {
        for c in (0..0x300).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(super::has_control(&text), c.is_control(), "{c:?}");
        }
    }
}
