//! The SQLite backend.
//!
//! What SQLite's `ALTER TABLE` can do is done natively ([`native`]); everything
//! else rebuilds the table from the schema model ([`rebuild`], following
//! sqlite.org's "Making Other Kinds Of Table Schema Changes"). Identifiers are
//! always quoted ([`quote`]); literals are bound in one place ([`literal`]);
//! statements read as the templates in `dialects/sqlite/` say ([`templates`]).
//! Errors are E0550–E0599 ([`errors`]); `docs/sqlite.md` is the user's guide.
//!
//! A script that may rebuild tables must switch foreign-key enforcement off
//! BEFORE its transaction: the preamble does ([`script_hooks`]).

mod after;
mod alter;
mod columns;
pub mod ddl;
mod errors;
pub mod literal;
mod lower;
mod memo;
mod names;
pub mod native;
mod prepare;
pub mod quote;
pub mod rebuild;
mod script_hooks;
pub mod templates;
pub mod types;

use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, SessionSettings, Statement, VersionTable};
use crate::ir::{Dialect, Literal, Op, OpKind};
use crate::model::{Limits, Schema};

pub use lower::BULK_CHUNK;

/// The SQLite backend. `min_version` decides which native statements may be used
/// (`DROP COLUMN` needs 3.35.0; older targets get a rebuild).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sqlite {
    pub min_version: (u32, u32, u32),
}

impl Default for Sqlite {
    fn default() -> Self {
        Sqlite {
            min_version: (3, 35, 0),
        }
    }
}

impl Backend for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn prepare(&self, ops: Vec<Op>) -> Vec<Op> {
        prepare::prepare(ops)
    }

    fn lower_op(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, Vec<Diagnostic>> {
        let problems = names::check(op);
        if !problems.is_empty() {
            return Err(problems);
        }
        lower::lower(op, before, self.min_version)
    }

    /// Alterations move the driver's model themselves (a rebuild needs the model
    /// after them anyway); everything else is lowered, then applied.
    fn lower_and_apply(
        &self,
        op: &Op,
        schema: &mut Schema,
        limits: &Limits,
    ) -> Result<Vec<Statement>, Vec<Diagnostic>> {
        if names::check(op).is_empty() {
            if let Some(lowered) = lower::alteration_in_place(op, schema, self.min_version) {
                return lowered;
            }
            if let OpKind::CreateTable(ct) = &op.kind {
                let created =
                    |before: &Schema, table: &_| lower::create_table_from(ct, op, table, before);
                if let Some(lowered) =
                    crate::dialect::apply_create_table(op, schema, limits, created)
                {
                    return lowered;
                }
            }
        }
        crate::dialect::lower_then_apply(self, op, schema, limits)
    }

    fn quote_ident(&self, name: &str) -> String {
        quote::ident(name)
    }

    fn literal(&self, lit: &Literal) -> Result<String, String> {
        literal::bind(lit)
    }

    fn preamble(&self, settings: &SessionSettings) -> Result<String, Diagnostic> {
        script_hooks::preamble(settings)
    }

    fn postamble(&self) -> String {
        script_hooks::postamble()
    }

    fn begin(&self) -> String {
        script_hooks::begin()
    }

    fn terminator(&self, stmt: &Statement) -> &'static str {
        script_hooks::terminator(stmt)
    }

    fn guard(
        &self,
        vt: &VersionTable,
        expected: &[String],
    ) -> Result<Option<Statement>, Diagnostic> {
        script_hooks::guard(vt, expected)
    }
}
