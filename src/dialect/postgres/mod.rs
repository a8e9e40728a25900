//! The PostgreSQL backend.
//!
//! - [`quote`]: identifier quoting (the only place), reserved words from
//!   `dialects/postgresql/reserved_words.txt`;
//! - [`literal`]: literal binding (the only place);
//! - [`types`]: column types;
//! - [`templates`]: the `dialects/postgresql/*.sql.j2` templates;
//! - `lower`: one IR operation → statements;
//! - `raw`: which raw SQL must run outside a transaction;
//! - `script_sql`: the script-level statements (preamble, version table, guard).
//!
//! Error codes E0500–E0549.

pub mod literal;
mod lower;
pub mod quote;
mod raw;
mod script_sql;
pub mod templates;
pub mod types;

use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, SessionSettings, Statement, VersionTable};
use crate::ir::{Dialect, Literal, Op};
use crate::model::{Limits, Schema};
use crate::plan::VersionChange;

/// PostgreSQL (tested against 15; nothing used is newer than 12).
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgresql
    }

    fn max_identifier_len(&self) -> Option<usize> {
        Some(quote::MAX_IDENT_BYTES)
    }

    fn lower_op(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, Vec<Diagnostic>> {
        lower::lower(op, before)
    }

    /// A new table is lowered from the table the model adds (built once).
    fn lower_and_apply(
        &self,
        op: &Op,
        schema: &mut Schema,
        limits: &Limits,
    ) -> Result<Vec<Statement>, Vec<Diagnostic>> {
        let created = |before: &Schema, table: &_| lower::lower_created(op, before, table);
        crate::dialect::apply_create_table(op, schema, limits, created)
            .unwrap_or_else(|| crate::dialect::lower_then_apply(self, op, schema, limits))
    }

    fn quote_ident(&self, name: &str) -> String {
        quote::quote_ident(name)
    }

    fn literal(&self, lit: &Literal) -> Result<String, String> {
        literal::bind(lit, None)
    }

    fn preamble(&self, settings: &SessionSettings) -> Result<String, Diagnostic> {
        script_sql::preamble(settings)
    }

    fn create_version_table(&self, vt: &VersionTable) -> Result<Statement, Diagnostic> {
        script_sql::create_version_table(vt)
    }

    fn version_change(
        &self,
        vt: &VersionTable,
        change: &VersionChange,
    ) -> Result<Statement, Diagnostic> {
        script_sql::version_change(vt, change)
    }

    fn script_lock(&self, vt: &VersionTable) -> Result<Option<Statement>, Diagnostic> {
        script_sql::script_lock(vt).map(Some)
    }

    fn guard(
        &self,
        vt: &VersionTable,
        expected: &[String],
    ) -> Result<Option<Statement>, Diagnostic> {
        script_sql::guard(vt, expected).map(Some)
    }
}
