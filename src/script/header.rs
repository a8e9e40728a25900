//! The header comment: what the script does, for the DBA who reviews it.

use super::layout::StepView;
use super::{comment_text, summary, ScriptInput};
use crate::dialect::Backend;
use crate::plan::Command;
use std::fmt::Write as _;

const SUMMARY_CHARS: usize = 100;

pub fn render(backend: &dyn Backend, input: &ScriptInput, steps: &[StepView]) -> String {
    let opts = input.options;
    let plan = input.plan;
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
    revisions(&mut line, "From:      ", &plan.start, input);
    revisions(&mut line, "To:        ", &plan.end, input);
    let count: usize = steps.iter().map(|s| s.statements.len()).sum();
    line(&format!("Revisions:  {}", steps.len()));
    line(&format!(
        "Statements: {count} (plus the version table and its guard)"
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
        steps,
        "Non-transactional statements (run between transactions)",
        |s| !s.transactional,
    );
    listed(&mut line, steps, "Destructive statements", |s| {
        s.destructive
    });
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

fn revisions(line: &mut impl FnMut(&str), label: &str, ids: &[String], input: &ScriptInput) {
    if ids.is_empty() {
        line(&format!("{label} (base)"));
    }
    for id in ids {
        let message = input
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

fn listed(
    line: &mut impl FnMut(&str),
    steps: &[StepView],
    title: &str,
    pick: impl Fn(&crate::dialect::Statement) -> bool,
) {
    let items: Vec<String> = steps
        .iter()
        .flat_map(|step| {
            step.statements.iter().filter(|s| pick(s)).map(|s| {
                format!(
                    "  {}: {}",
                    comment_text(&step.revision),
                    summary(&s.sql, SUMMARY_CHARS)
                )
            })
        })
        .collect();
    if items.is_empty() {
        line(&format!("{title}: none"));
    } else {
        line(&format!("{title}:"));
        items.iter().for_each(|i| line(i));
    }
}
