//! `compile revision` and `compile merge`: write a new revision file from the template.

use super::args::{MergeArgs, RevisionArgs};
use super::{CommandResult, Loaded};
use crate::diagnostic::Diagnostic;

pub fn revision(_loaded: Loaded, _args: &RevisionArgs) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}

pub fn merge(_loaded: Loaded, _args: &MergeArgs) -> CommandResult {
    Err(vec![Diagnostic::internal("not yet implemented")].into())
}
