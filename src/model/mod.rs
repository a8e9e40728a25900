//! The schema model: every schema, table, column, constraint, index and enum type
//! known at a point of the history, built by replaying the IR in graph order.
//!
//! It is a plain value (`Clone`, `PartialEq`): it can be built, cloned and compared,
//! which later work (autogenerate, "no pending changes", lock analysis) relies on.
//! Names are stored as rendered (template variables already bound), unquoted.
//! Every map is an `IndexMap` so iteration order is the order of creation, and
//! anything rendered from the model is deterministic; they hash with
//! [`crate::fxhash`], which the order does not depend on.
//!
//! Unnamed constraints get PostgreSQL's default names (`users_pkey`,
//! `users_email_key`, `orders_user_id_fkey`, `orders_amount_check`), so the same
//! name can be used to drop them on every dialect (see [`naming`]).
//!
//! The model changes only through [`Schema::apply`], which validates an operation
//! against the model first and mutates it only when the operation is valid: on error
//! the model is unchanged. A private name index (which table owns an index name,
//! which tables reference a table) keeps schema-wide checks O(1); code that edits the
//! public fields directly must call [`Schema::reindex`] afterwards.

mod apply;
mod build;
mod deps;
mod errors;
mod fk;
mod literal;
mod lookup;
mod names;
pub mod naming;
mod sqlscan;

pub(crate) use apply::batch_op_error;
pub use deps::ColumnDependants;

use crate::fxhash::FxBuild;
use crate::ir::{ColumnType, Default, Deferrable, Dialect, FkAction, Identity};
use indexmap::{IndexMap, IndexSet};
use std::sync::Arc;

/// What the target database accepts, as far as the model checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest identifier in bytes: PostgreSQL silently truncates longer ones to 63
    /// bytes, so the model refuses them instead. `None`: no limit (SQLite).
    pub max_identifier_len: Option<usize>,
}

impl Limits {
    pub const POSTGRESQL: Limits = Limits {
        max_identifier_len: Some(63),
    };
    pub const SQLITE: Limits = Limits {
        max_identifier_len: None,
    };

    pub fn for_dialect(dialect: Dialect) -> Limits {
        match dialect {
            Dialect::Postgresql => Limits::POSTGRESQL,
            Dialect::Sqlite => Limits::SQLITE,
        }
    }
}

/// A table's key in the model: `(schema, name)`; `schema` is `None` for the default schema.
pub type TableKey = (Option<String>, String);

/// Equality ignores the private name index (it is derived from the rest) and the
/// order of tables, columns, constraints and indexes (`IndexMap` equality).
#[derive(Clone, Default)]
pub struct Schema {
    /// Schemas created by `create_schema` (the default schema is implicit).
    pub schemas: IndexSet<String, FxBuild>,
    /// Tables in creation order (dropping a table moves the last one into its place).
    pub tables: IndexMap<TableKey, Arc<Table>, FxBuild>,
    /// Enum types by `(schema, name)`.
    pub enums: IndexMap<TableKey, EnumType, FxBuild>,
    names: names::NameIndex,
    /// `use_alter` foreign keys whose target table does not exist yet.
    pending_fks: Vec<build::PendingFk>,
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.schemas == other.schemas && self.tables == other.tables && self.enums == other.enums
    }
}

impl Eq for Schema {}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("schemas", &self.schemas)
            .field("tables", &self.tables)
            .field("enums", &self.enums)
            .finish()
    }
}

/// The column, constraint and index maps are shared between copies of a table
/// until one of them changes (`Arc::make_mut` in [`Table::columns_mut`] and its
/// siblings): a table kept as it was before an operation (a SQLite rebuild
/// needs both) costs a copy of what the operation changes, not of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    pub columns: Arc<IndexMap<String, Column, FxBuild>>,
    pub primary_key: Option<PrimaryKey>,
    /// Unique, foreign-key and check constraints, by name, in creation order.
    pub constraints: Arc<IndexMap<String, Constraint, FxBuild>>,
    /// Indexes on this table, by name, in creation order.
    pub indexes: Arc<IndexMap<String, Index, FxBuild>>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    pub default: Option<Default>,
    pub identity: Option<Identity>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    Unique {
        columns: Vec<String>,
    },
    ForeignKey {
        columns: Vec<String>,
        ref_schema: Option<String>,
        ref_table: String,
        ref_columns: Vec<String>,
        on_delete: Option<FkAction>,
        on_update: Option<FkAction>,
        deferrable: Option<Deferrable>,
    },
    Check {
        expr: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub elements: Vec<IndexElement>,
    pub where_clause: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexElement {
    Column { name: String, descending: bool },
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    pub schema: Option<String>,
    pub name: String,
    pub values: Vec<String>,
}
