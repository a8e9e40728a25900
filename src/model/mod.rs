//! The schema model: every schema, table, column, constraint, index and enum type
//! known at a point of the history, built by replaying the IR in graph order.
//!
//! It is a plain value (`Clone`, `PartialEq`): it can be built, cloned and compared,
//! which later work (autogenerate, "no pending changes", lock analysis) relies on.
//! Names are stored as rendered (template variables already bound), unquoted.
//! Every map is an `IndexMap` so iteration order is the order of creation, and
//! anything rendered from the model is deterministic.
//!
//! Unnamed constraints get PostgreSQL's default names (`users_pkey`,
//! `users_email_key`, `orders_user_id_fkey`, `orders_amount_check`), so the same
//! name can be used to drop them on every dialect.

use crate::ir::{ColumnType, Default, Deferrable, FkAction, Identity};
use indexmap::{IndexMap, IndexSet};

/// A table's key in the model: `(schema, name)`; `schema` is `None` for the default schema.
pub type TableKey = (Option<String>, String);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// Schemas created by `create_schema` (the default schema is implicit).
    pub schemas: IndexSet<String>,
    pub tables: IndexMap<TableKey, Table>,
    /// Enum types by `(schema, name)`.
    pub enums: IndexMap<TableKey, EnumType>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    pub columns: IndexMap<String, Column>,
    pub primary_key: Option<PrimaryKey>,
    /// Unique, foreign-key and check constraints, by name, in creation order.
    pub constraints: IndexMap<String, Constraint>,
    /// Indexes on this table, by name, in creation order.
    pub indexes: IndexMap<String, Index>,
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
