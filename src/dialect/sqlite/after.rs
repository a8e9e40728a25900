//! The schema model after an operation: a clone of the model with the operation
//! applied (`Schema::apply`), which gives a rebuild the AFTER state of its table.

use crate::diagnostic::Diagnostic;
use crate::ir::{Dialect, Op};
use crate::model::{Limits, Schema};

/// `schema` with `op` applied, or the model's diagnostics.
pub fn apply(schema: &Schema, op: &Op) -> Result<Schema, Vec<Diagnostic>> {
    let mut next = schema.clone();
    next.apply(op, &Limits::for_dialect(Dialect::Sqlite))?;
    Ok(next)
}
