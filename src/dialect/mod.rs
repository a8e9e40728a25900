//! Dialect backends: lowering IR operations to SQL statements for one database.
//!
//! A [`Backend`] turns one operation, given the schema model just before it, into
//! [`Statement`]s. Quoting and literal binding happen in Rust, in one module per
//! dialect ([`Backend::quote_ident`], [`Backend::literal`]); the templates in
//! `dialects/<name>/` only decide how statements read. Unsupported operations are
//! diagnostics with the operation's span, never panics.
//!
//! The script-level hooks (transactions, version table, guard) are used by
//! `crate::script`, which assembles the statements of every step into one script.

use crate::diagnostic::Diagnostic;
use crate::ir::{Dialect, Literal, Op};
use crate::model::Schema;

/// One SQL statement of the output script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL, without a trailing `;`.
    pub sql: String,
    /// `false` for statements the database refuses inside a transaction
    /// (`CREATE INDEX CONCURRENTLY`): the script runs them between transactions.
    pub transactional: bool,
    /// Drops and type changes: listed in the script header for the DBA.
    pub destructive: bool,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            transactional: true,
            destructive: false,
        }
    }

    pub fn destructive(mut self) -> Self {
        self.destructive = true;
        self
    }

    pub fn non_transactional(mut self) -> Self {
        self.transactional = false;
        self
    }
}

/// Where the version table lives and what it is called (Alembic's defaults:
/// `alembic_version` with one `version_num VARCHAR(32)` primary-key column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTable {
    pub schema: Option<String>,
    pub name: String,
    pub column: String,
}

impl std::default::Default for VersionTable {
    fn default() -> Self {
        VersionTable {
            schema: None,
            name: "alembic_version".into(),
            column: "version_num".into(),
        }
    }
}

/// A database backend. Capability flags and hooks have defaults; a dialect
/// overrides what differs.
pub trait Backend {
    fn dialect(&self) -> Dialect;

    /// Longest identifier in bytes the database keeps intact (PostgreSQL: 63).
    fn max_identifier_len(&self) -> Option<usize> {
        None
    }

    /// Regroup one revision's operations before lowering. SQLite wraps consecutive
    /// alterations of one table in a `BatchAlterTable` so they share one rebuild.
    fn prepare(&self, ops: Vec<Op>) -> Vec<Op> {
        ops
    }

    /// Lower one operation, given the schema model just before it.
    fn lower_op(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, Vec<Diagnostic>>;

    /// Quote an identifier (only when needed, or always: consistently per dialect).
    fn quote_ident(&self, name: &str) -> String;

    /// `schema.name` quoted, or `name` when there is no schema.
    fn quote_qualified(&self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(s) => format!("{}.{}", self.quote_ident(s), self.quote_ident(name)),
            None => self.quote_ident(name),
        }
    }

    /// Bind a literal as SQL text. `Err` says why it cannot be bound (e.g. a NUL byte).
    fn literal(&self, lit: &Literal) -> Result<String, String>;
}

pub mod sqlite;
