//! The version table's rows as the script runs: simulated from the plan's start
//! through each step's changes, so each transaction's guard knows what to expect,
//! and checked against the plan's end.

use super::ScriptContext;
use crate::diagnostic::Diagnostic;
use crate::dialect::Backend;
use crate::plan::VersionChange;
use std::collections::BTreeSet;

/// Alembic's `version_num VARCHAR(32)`.
const MAX_REVISION_LEN: usize = 32;

/// The rows after applying `changes` to `rows`.
pub fn apply(
    rows: &BTreeSet<String>,
    changes: &[VersionChange],
) -> Result<BTreeSet<String>, Diagnostic> {
    let mut rows = rows.clone();
    let missing = |id: &str| Diagnostic::internal(format!("version change on absent row {id}"));
    for change in changes {
        match change {
            VersionChange::Insert(id) => {
                rows.insert(id.clone());
            }
            VersionChange::Delete(id) => {
                if !rows.remove(id) {
                    return Err(missing(id));
                }
            }
            VersionChange::Update { from, to } => {
                if !rows.remove(from) {
                    return Err(missing(from));
                }
                rows.insert(to.clone());
            }
        }
    }
    Ok(rows)
}

/// Every id fits the version column, the version table's names are valid, and
/// the plan's steps lead from its start to its end.
pub fn check(backend: &dyn Backend, cx: ScriptContext) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let plan = cx.plan;
    let ids = plan
        .start
        .iter()
        .chain(&plan.end)
        .chain(plan.steps.iter().map(|s| &s.revision));
    for id in ids.collect::<BTreeSet<_>>() {
        if id.len() > MAX_REVISION_LEN {
            errors.push(
                Diagnostic::error(
                    "E0510",
                    format!("revision id `{id}` is longer than {MAX_REVISION_LEN} characters"),
                )
                .with_help("the version table stores ids in VARCHAR(32), as Alembic does; use a shorter id"),
            );
        }
    }
    let vt = &cx.options.version_table;
    let pk = format!("{}_pkc", vt.name);
    let names = vt.schema.iter().chain([&vt.name, &vt.column, &pk]);
    for name in names {
        let too_long = backend
            .max_identifier_len()
            .is_some_and(|max| name.len() > max);
        if name.is_empty() || name.contains('\0') || too_long {
            errors.push(
                Diagnostic::error(
                    "E0511",
                    format!("invalid version table name `{}`", name.escape_debug()),
                )
                .with_help(
                    "set `version_table` / `version_table_schema` to a short name without NUL",
                ),
            );
        }
    }
    let mut rows: BTreeSet<String> = plan.start.iter().cloned().collect();
    for step in &plan.steps {
        match apply(&rows, &step.version_changes) {
            Ok(next) => rows = next,
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() && rows.into_iter().collect::<Vec<_>>() != plan.end {
        errors.push(Diagnostic::internal(
            "the plan's version changes do not lead to its end",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
