//! The plan as text, for `upgrade`/`downgrade`/`stamp` without `--sql`.

use crate::graph::RevisionGraph;
use crate::plan::{Command, Direction, Plan, VersionChange};
use std::fmt::Write as _;

pub fn render(plan: &Plan, graph: &RevisionGraph) -> String {
    let mut out = String::new();
    let word = match plan.command {
        Command::Upgrade => "upgrade",
        Command::Downgrade => "downgrade",
        Command::Stamp => "stamp",
    };
    let _ = writeln!(
        out,
        "Plan: {word} from {} to {} ({} step{})",
        rows(&plan.start),
        rows(&plan.end),
        plan.steps.len(),
        if plan.steps.len() == 1 { "" } else { "s" }
    );
    for step in &plan.steps {
        let message = graph
            .header(&step.revision)
            .map(|h| h.message.as_str())
            .unwrap_or("");
        let arrow = match step.direction {
            Direction::Up => "upgrade  ",
            Direction::Down => "downgrade",
        };
        let _ = writeln!(out, "  {arrow} {}  {message}", step.revision);
        for change in &step.version_changes {
            let _ = writeln!(out, "             version table: {}", describe(change));
        }
    }
    out
}

fn rows(ids: &[String]) -> String {
    if ids.is_empty() {
        "base".to_string()
    } else {
        ids.join(", ")
    }
}

fn describe(change: &VersionChange) -> String {
    match change {
        VersionChange::Insert(id) => format!("insert {id}"),
        VersionChange::Delete(id) => format!("delete {id}"),
        VersionChange::Update { from, to } => format!("update {from} -> {to}"),
    }
}
