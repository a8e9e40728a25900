//! Read access to the model for the backends and the rest of the compiler.

use super::names::{KeyRef, NameIndex};
use super::{Column, Constraint, ConstraintKind, EnumType, Index, Schema, Table, TableKey};
use crate::fxhash::FxBuild;
use indexmap::IndexMap;
use std::sync::Arc;

impl Schema {
    /// The table `schema.name` (`schema` `None`: the default schema).
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        self.tables.get(&KeyRef(schema, name)).map(|t| &**t)
    }

    /// Mutable access for callers that edit a table by hand. Changing its
    /// constraints or indexes this way requires [`Schema::reindex`] afterwards.
    pub fn table_mut(&mut self, schema: Option<&str>, name: &str) -> Option<&mut Table> {
        self.tables
            .get_mut(&KeyRef(schema, name))
            .map(Arc::make_mut)
    }

    /// The enum type `schema.name`.
    pub fn enum_type(&self, schema: Option<&str>, name: &str) -> Option<&EnumType> {
        self.enums.get(&KeyRef(schema, name))
    }

    /// Whether `create_schema` made this schema (the default schema is not listed).
    pub fn has_schema(&self, name: &str) -> bool {
        self.schemas.contains(name)
    }

    /// The index named `name` in `schema` and the key of its table. Index names are
    /// unique per schema (PostgreSQL), so the table is not needed to find one.
    pub fn find_index(&self, schema: Option<&str>, name: &str) -> Option<(TableKey, &Index)> {
        let hinted = self.names.relation_owner(schema, name).and_then(|owner| {
            let t = self.table(schema, owner)?;
            Some((t.key(), t.indexes.get(name)?))
        });
        hinted.or_else(|| {
            // The index may be missing from the name index if fields were edited by hand.
            self.tables
                .values()
                .filter(|t| t.schema.as_deref() == schema)
                .find_map(|t| Some((t.key(), t.indexes.get(name)?)))
        })
    }

    /// Foreign keys of *other* tables that reference `schema.table`, in table order
    /// (a self-reference is part of the table itself and not listed).
    pub fn referencing_fks(
        &self,
        schema: Option<&str>,
        table: &str,
    ) -> Vec<(TableKey, &Constraint)> {
        let target = KeyRef(schema, table);
        let mut out = Vec::new();
        for source in self.names.referencing(target) {
            if KeyRef::of(source) == target {
                continue;
            }
            let Some(t) = self.tables.get(source) else {
                continue;
            };
            for c in t.foreign_keys() {
                if c.references(schema, table) {
                    out.push((source.clone(), c));
                }
            }
        }
        out.sort_by_key(|(k, _)| self.tables.get_index_of(k));
        out
    }

    /// Tables with a foreign key into a table named `table` in any schema, the
    /// name compared ignoring ASCII case (as SQLite resolves `REFERENCES`), in
    /// table order; `table` itself included if it references itself. Looked up in
    /// the name index (one key per referenced table), not by reading every table.
    pub fn tables_referencing_ignore_case(&self, table: &str) -> Vec<&Table> {
        let mut found: Vec<usize> = self
            .names
            .referenced_tables()
            .filter(|target| target.1.eq_ignore_ascii_case(table))
            .flat_map(|target| self.names.referencing(KeyRef::of(target)))
            .filter_map(|source| self.tables.get_index_of(source))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter_map(|i| self.tables.get_index(i).map(|(_, t)| &**t))
            .collect()
    }

    /// Rebuild the private name index after editing the public fields directly.
    pub fn reindex(&mut self) {
        self.names = NameIndex::rebuild(self);
    }
}

impl Table {
    /// An empty table.
    pub fn new(schema: Option<String>, name: impl Into<String>) -> Table {
        Table {
            schema,
            name: name.into(),
            columns: Default::default(),
            primary_key: None,
            constraints: Default::default(),
            indexes: Default::default(),
            comment: None,
        }
    }

    /// The columns, to change (copied first if another copy of the table shares them).
    pub fn columns_mut(&mut self) -> &mut IndexMap<String, Column, FxBuild> {
        Arc::make_mut(&mut self.columns)
    }

    /// The constraints, to change (see [`Table::columns_mut`]).
    pub fn constraints_mut(&mut self) -> &mut IndexMap<String, Constraint, FxBuild> {
        Arc::make_mut(&mut self.constraints)
    }

    /// The indexes, to change (see [`Table::columns_mut`]).
    pub fn indexes_mut(&mut self) -> &mut IndexMap<String, Index, FxBuild> {
        Arc::make_mut(&mut self.indexes)
    }

    pub fn key(&self) -> TableKey {
        (self.schema.clone(), self.name.clone())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.get(name)
    }

    /// A unique, foreign-key or check constraint (not the primary key).
    pub fn constraint(&self, name: &str) -> Option<&Constraint> {
        self.constraints.get(name)
    }

    /// Whether a constraint of the table, the primary key included, has this name.
    pub fn has_constraint_named(&self, name: &str) -> bool {
        self.constraints.contains_key(name)
            || self.primary_key.as_ref().is_some_and(|p| p.name == name)
    }

    pub fn foreign_keys(&self) -> impl Iterator<Item = &Constraint> {
        self.constraints
            .values()
            .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
    }

    /// Whether `columns` (in any order) are the primary key, a unique constraint or
    /// a full unique index on plain columns: what a foreign key may reference.
    pub fn is_unique_key<S: AsRef<str>>(&self, columns: &[S]) -> bool {
        self.is_unique_key_except(columns, None)
    }

    /// [`Table::is_unique_key`], ignoring one key (the one about to be dropped).
    pub(crate) fn is_unique_key_except<S: AsRef<str>>(
        &self,
        columns: &[S],
        skip: Option<KeySource<'_>>,
    ) -> bool {
        let same = |other: &[String]| same_set(other, columns);
        let pk = self
            .primary_key
            .as_ref()
            .is_some_and(|p| skip != Some(KeySource::PrimaryKey) && same(&p.columns));
        let unique = self.constraints.values().any(|c| match &c.kind {
            ConstraintKind::Unique { columns } => {
                skip != Some(KeySource::Constraint(&c.name)) && same(columns)
            }
            _ => false,
        });
        let index = self.indexes.values().any(|i| {
            skip != Some(KeySource::Index(&i.name))
                && i.unique
                && i.where_clause.is_none()
                && i.column_names().is_some_and(|c| same(&c))
        });
        pk || unique || index
    }
}

/// A key a foreign key can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeySource<'a> {
    PrimaryKey,
    Constraint(&'a str),
    Index(&'a str),
}

impl Constraint {
    /// Whether this is a foreign key into `schema.table`.
    pub fn references(&self, schema: Option<&str>, table: &str) -> bool {
        matches!(&self.kind, ConstraintKind::ForeignKey { ref_schema, ref_table, .. }
            if ref_schema.as_deref() == schema && ref_table == table)
    }

    /// The columns of this table the constraint is on (none for a check).
    pub fn columns(&self) -> &[String] {
        match &self.kind {
            ConstraintKind::Unique { columns } | ConstraintKind::ForeignKey { columns, .. } => {
                columns
            }
            ConstraintKind::Check { .. } => &[],
        }
    }
}

impl Index {
    /// The column names when every element is a plain column.
    pub fn column_names(&self) -> Option<Vec<String>> {
        self.elements
            .iter()
            .map(|e| match e {
                super::IndexElement::Column { name, .. } => Some(name.clone()),
                super::IndexElement::Expression(_) => None,
            })
            .collect()
    }
}

fn same_set<S: AsRef<str>>(a: &[String], b: &[S]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| b.iter().any(|y| y.as_ref() == x))
        && b.iter().all(|y| a.iter().any(|x| x == y.as_ref()))
}
