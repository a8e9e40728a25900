//! The schema model after an operation: a clone of the model with the operation
//! applied (`Schema::apply`), which gives a rebuild the AFTER state of its table.

use crate::diagnostic::Diagnostic;
use crate::ir::Op;
use crate::model::Schema;

/// `schema` with `op` applied, or the model's diagnostics.
pub fn apply(schema: &Schema, op: &Op) -> Result<Schema, Vec<Diagnostic>> {
    let _ = (schema, op);
    Err(vec![Diagnostic::internal(
        "the SQLite backend needs Schema::apply (not merged yet)",
    )])
}
