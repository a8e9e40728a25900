//! The schema model after an operation: `Schema::apply` with SQLite's limits.
//! [`advance`] moves a model forward in place (the driver's, when an alteration
//! is lowered with `lower_and_apply`, or a working copy); [`apply`] gives a fresh
//! copy, for a caller that only holds the model before the operation.

use crate::diagnostic::Diagnostic;
use crate::ir::{Dialect, Op};
use crate::model::{Limits, Schema};

/// `schema` with `op` applied, or the model's diagnostics.
pub fn apply(schema: &Schema, op: &Op) -> Result<Schema, Vec<Diagnostic>> {
    let mut next = schema.clone();
    advance(&mut next, op)?;
    Ok(next)
}

/// Apply `op` to `schema` in place (on error it is unchanged).
pub fn advance(schema: &mut Schema, op: &Op) -> Result<(), Vec<Diagnostic>> {
    schema.apply(op, &Limits::for_dialect(Dialect::Sqlite))
}
