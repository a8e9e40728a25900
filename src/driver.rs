//! The driver: runs the pipeline stages for one command.
//!
//! read (project) → parse (syntax) → bind (template) → graph → plan →
//! replay + lower (model, reverse, dialect) → assemble (script).

use crate::cli::{CommandResult, Loaded};
use crate::diagnostic::Diagnostic;
use crate::plan::Command;

/// What `upgrade`, `downgrade` and `stamp` were asked.
#[derive(Debug, Clone)]
pub struct MigrateRequest {
    pub target: String,
    pub sql: bool,
    pub transaction_per_migration: bool,
}

pub fn migrate(_loaded: Loaded, _command: Command, _req: MigrateRequest) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}

pub fn history(_loaded: Loaded, _range: Option<&str>, _verbose: bool) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}

pub fn heads(_loaded: Loaded, _verbose: bool) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}

pub fn branches(_loaded: Loaded, _verbose: bool) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}

pub fn show(_loaded: Loaded, _rev: &str) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}
