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

pub mod postgres;
pub mod templates;

use crate::diagnostic::Diagnostic;
use crate::ir::{Dialect, Literal, Op};
use crate::model::{Limits, Schema};
use crate::plan::VersionChange;

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
    /// Run after every other statement of the same revision (a `use_alter` foreign
    /// key: the tables it links may be created later in the revision, or form a
    /// cycle). `crate::script` moves these, keeping their relative order.
    pub deferred: bool,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            transactional: true,
            destructive: false,
            deferred: false,
        }
    }

    /// Move this statement to the end of its revision (see [`Statement::deferred`]).
    pub fn deferred(mut self) -> Self {
        self.deferred = true;
        self
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
pub trait Backend: Sync {
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

    /// Lower one operation and apply it to the model: `schema` is the model before
    /// `op` and, when this returns, after it. The default lowers, then applies
    /// ([`lower_then_apply`]); a backend that computes the model after the
    /// operation anyway may move `schema` itself instead of a copy.
    fn lower_and_apply(
        &self,
        op: &Op,
        schema: &mut Schema,
        limits: &Limits,
    ) -> Result<Vec<Statement>, Vec<Diagnostic>> {
        lower_then_apply(self, op, schema, limits)
    }

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

    // ----- Script-level hooks, used by `crate::script`. -----

    /// Text before the first transaction: session settings, client directives.
    /// Every line complete (statements terminated). Default: nothing.
    fn preamble(&self, settings: &SessionSettings) -> Result<String, Diagnostic> {
        let _ = settings;
        Ok(String::new())
    }

    /// Text after the last transaction: undoes what the preamble switched off.
    /// Every line complete. Default: nothing.
    fn postamble(&self) -> String {
        String::new()
    }

    /// Opens a transaction, terminated: `BEGIN;`.
    fn begin(&self) -> String {
        "BEGIN;".into()
    }

    /// Ends a transaction, terminated: `COMMIT;`.
    fn commit(&self) -> String {
        "COMMIT;".into()
    }

    /// `CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL,
    /// CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`, as Alembic makes it.
    fn create_version_table(&self, vt: &VersionTable) -> Result<Statement, Diagnostic> {
        let col = self.quote_ident(&vt.column);
        Ok(Statement::new(format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    {col} VARCHAR(32) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY ({col})\n)",
            self.quote_qualified(vt.schema.as_deref(), &vt.name),
            self.quote_ident(&format!("{}_pkc", vt.name)),
        )))
    }

    /// One version-table change (`INSERT`, `UPDATE` or `DELETE` of a row).
    fn version_change(
        &self,
        vt: &VersionTable,
        change: &VersionChange,
    ) -> Result<Statement, Diagnostic> {
        let table = self.quote_qualified(vt.schema.as_deref(), &vt.name);
        let col = self.quote_ident(&vt.column);
        let lit = |id: &str| {
            self.literal(&Literal::String(id.to_string()))
                .map_err(Diagnostic::internal)
        };
        let sql = match change {
            VersionChange::Insert(id) => {
                format!("INSERT INTO {table} ({col}) VALUES ({})", lit(id)?)
            }
            VersionChange::Delete(id) => format!("DELETE FROM {table} WHERE {col} = {}", lit(id)?),
            VersionChange::Update { from, to } => format!(
                "UPDATE {table} SET {col} = {} WHERE {col} = {}",
                lit(to)?,
                lit(from)?
            ),
        };
        Ok(Statement::new(sql))
    }

    /// A statement run first in the script's first transaction that makes a second
    /// run of a script for the same version table wait until this one commits
    /// (before the version table may even exist). `None`: no such lock.
    fn script_lock(&self, vt: &VersionTable) -> Result<Option<Statement>, Diagnostic> {
        let _ = vt;
        Ok(None)
    }

    /// A statement that aborts the script unless the version table holds exactly
    /// `expected` (sorted; empty: no row), checked before anything changes. The
    /// table may not exist when `expected` is not empty: the guard must then abort
    /// with a clear message. `None`: the dialect cannot check (the script says so).
    fn guard(
        &self,
        vt: &VersionTable,
        expected: &[String],
    ) -> Result<Option<Statement>, Diagnostic> {
        let _ = (vt, expected);
        Ok(None)
    }

    /// What follows a statement's SQL (trailing whitespace trimmed) in the script:
    /// `;`, or `\n;` when its last line holds a `--` comment that would swallow it.
    fn terminator(&self, stmt: &Statement) -> &'static str {
        let sql = stmt.sql.trim_end();
        let last_line = sql.rsplit('\n').next().unwrap_or(sql);
        if last_line.contains("--") {
            "\n;"
        } else {
            ";"
        }
    }

    /// A statement as it appears in the script, terminated.
    fn terminate(&self, stmt: &Statement) -> String {
        format!("{}{}", stmt.sql.trim_end(), self.terminator(stmt))
    }
}

/// [`Backend::lower_op`] on the model before `op`, then [`Schema::apply`]. The
/// model's errors say more about the input than the backend's, and both often see
/// the same problem: the model's are reported when it has any.
pub fn lower_then_apply<B: Backend + ?Sized>(
    backend: &B,
    op: &Op,
    schema: &mut Schema,
    limits: &Limits,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    let lowered = backend.lower_op(op, schema);
    match (lowered, schema.apply(op, limits)) {
        (_, Err(d)) | (Err(d), Ok(())) => Err(d),
        (Ok(stmts), Ok(())) => Ok(stmts),
    }
}

/// Apply `create_table` `op` to `schema` and lower it with `lower`, given the model
/// before it and the table exactly as the model adds it (built once, not again by
/// the backend). `None` when `op` is no `create_table` or the table exists already:
/// lower, then apply, as any other operation. The model's errors come first, as in
/// [`lower_then_apply`].
pub fn apply_create_table(
    op: &Op,
    schema: &mut Schema,
    limits: &Limits,
    lower: impl FnOnce(&Schema, &crate::model::Table) -> Result<Vec<Statement>, Vec<Diagnostic>>,
) -> Option<Result<Vec<Statement>, Vec<Diagnostic>>> {
    let crate::ir::OpKind::CreateTable(ct) = &op.kind else {
        return None;
    };
    let applied = schema.create_table_lowered(ct, limits, op.span, lower)?;
    Some(applied.and_then(|lowered| lowered))
}

/// Session settings a script sets at its top (from the config).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionSettings {
    /// e.g. `5s`: how long a statement waits for a lock before failing.
    pub lock_timeout: Option<String>,
    /// e.g. `15min`: how long a statement may run.
    pub statement_timeout: Option<String>,
}

pub mod sqlite;
