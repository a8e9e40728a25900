//! The header comment: what the script does, for the DBA who reviews it.

use super::{comment_text, summary, ScriptContext};
use crate::dialect::{Backend, Statement};
use crate::plan::Command;
use std::fmt::Write as _;

const SUMMARY_CHARS: usize = 100;

/// What the header says about the statements, gathered step by step while the
/// body is written (the statements themselves are not kept).
#[derive(Debug, Default)]
pub struct Notes {
    statements: usize,
    non_transactional: Vec<String>,
    destructive: Vec<String>,
}

impl Notes {
    pub fn record(&mut self, revision: &str, statements: &[Statement]) {
        self.statements += statements.len();
        for s in statements {
            let line = || {
                format!(
                    "  {}: {}",
                    comment_text(revision),
                    summary(&s.sql, SUMMARY_CHARS)
                )
            };
            if !s.transactional {
                self.non_transactional.push(line());
            }
            if s.destructive {
                self.destructive.push(line());
            }
        }
    }
}

pub fn render(backend: &dyn Backend, cx: ScriptContext, notes: &Notes) -> String {
    let opts = cx.options;
    let plan = cx.plan;
    let mut h = String::new();
    let mut line = |s: &str| {
        let _ = writeln!(h, "{}", format!("-- {s}").trim_end());
    };
    line(&format!(
        "Migration script for {}",
        comment_text(&opts.project_name)
    ));
    line(&format!("Run with:   {}", run_with(backend)));
    line("");
    if let Some(db) = &opts.database_name {
        line(&format!("Database:   {}", comment_text(db)));
    }
    line(&format!("Dialect:    {}", backend.dialect().name()));
    line(&format!("Command:    {}", command_name(plan.command)));
    revisions(&mut line, "From:      ", &plan.start, cx);
    revisions(&mut line, "To:        ", &plan.end, cx);
    line(&format!("Revisions:  {}", plan.steps.len()));
    line(&format!(
        "Statements: {} (plus the version table and its guard)",
        notes.statements
    ));
    line(&format!(
        "Transactions: {}",
        if opts.transaction_per_migration {
            "one per revision"
        } else {
            "one for the whole script"
        }
    ));
    line("");
    listed(
        &mut line,
        "Non-transactional statements (run between transactions)",
        &notes.non_transactional,
    );
    listed(&mut line, "Destructive statements", &notes.destructive);
    h.trim_end().to_string() + "\n"
}

fn run_with(backend: &dyn Backend) -> &'static str {
    match backend.dialect() {
        crate::ir::Dialect::Postgresql => "psql -v ON_ERROR_STOP=1 -f <this file>",
        crate::ir::Dialect::Sqlite => "sqlite3 -bail <database> < <this file>",
    }
}

fn command_name(c: Command) -> &'static str {
    match c {
        Command::Upgrade => "upgrade",
        Command::Downgrade => "downgrade",
        Command::Stamp => "stamp",
    }
}

fn revisions(line: &mut impl FnMut(&str), label: &str, ids: &[String], cx: ScriptContext) {
    if ids.is_empty() {
        line(&format!("{label} (base)"));
    }
    for id in ids {
        let message = cx
            .revisions
            .get(id)
            .map(|r| r.message.as_str())
            .unwrap_or("");
        let text = if message.is_empty() {
            id.clone()
        } else {
            format!("{id} ({message})")
        };
        line(&format!("{label} {}", comment_text(&text)));
    }
}

fn listed(line: &mut impl FnMut(&str), title: &str, items: &[String]) {
    if items.is_empty() {
        line(&format!("{title}: none"));
    } else {
        line(&format!("{title}:"));
        items.iter().for_each(|i| line(i));
    }
}
