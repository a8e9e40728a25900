//! The model's private name index: schema-wide facts that would otherwise need a
//! scan of every table.
//!
//! - which table owns a relation name (an index, or the index behind a primary key
//!   or unique constraint): PostgreSQL keeps them in one namespace per schema;
//! - how many tables use a constraint name in a schema (PostgreSQL picks default
//!   constraint names that no constraint in the schema uses);
//! - which tables have foreign keys into a table (drops, renames, SQLite rebuilds).
//!
//! It is derived from the tables: [`NameIndex::add_table`] / [`NameIndex::remove_table`]
//! are called around every change of a table's key, constraints or indexes.

use super::{ConstraintKind, Schema, Table, TableKey};
use indexmap::{Equivalent, IndexMap};
use std::hash::{Hash, Hasher};

/// A borrowed [`TableKey`]: hashes like `(Option<String>, String)` so lookups allocate nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRef<'a>(pub Option<&'a str>, pub &'a str);

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Same sequence of writes as `(Option<String>, String)::hash`.
        (self.0, self.1).hash(state);
    }
}

impl Equivalent<TableKey> for KeyRef<'_> {
    fn equivalent(&self, key: &TableKey) -> bool {
        key.0.as_deref() == self.0 && key.1 == self.1
    }
}

impl<'a> KeyRef<'a> {
    pub fn of(key: &'a TableKey) -> Self {
        KeyRef(key.0.as_deref(), &key.1)
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    /// `(schema, relation name)` → name of the table owning it.
    relations: IndexMap<TableKey, String>,
    /// `(schema, constraint name)` → number of tables using it.
    constraints: IndexMap<TableKey, u32>,
    /// Referenced table → referencing table → number of foreign keys.
    referenced_by: IndexMap<TableKey, IndexMap<TableKey, u32>>,
}

fn key(schema: &Option<String>, name: &str) -> TableKey {
    (schema.clone(), name.to_string())
}

impl NameIndex {
    pub fn relation_owner(&self, schema: Option<&str>, name: &str) -> Option<&str> {
        self.relations
            .get(&KeyRef(schema, name))
            .map(String::as_str)
    }

    pub fn constraint_uses(&self, schema: Option<&str>, name: &str) -> u32 {
        self.constraints
            .get(&KeyRef(schema, name))
            .copied()
            .unwrap_or(0)
    }

    /// Tables (other than `target` itself included, if self-referencing) with a
    /// foreign key into `target`.
    pub fn referencing(&self, target: KeyRef<'_>) -> impl Iterator<Item = &TableKey> {
        self.referenced_by
            .get(&target)
            .into_iter()
            .flat_map(|m| m.keys())
    }

    pub fn add_table(&mut self, t: &Table) {
        let own = (t.schema.clone(), t.name.clone());
        for rel in relation_names(t) {
            self.relations.insert(key(&t.schema, rel), t.name.clone());
        }
        for c in constraint_names(t) {
            *self.constraints.entry(key(&t.schema, c)).or_insert(0) += 1;
        }
        for target in fk_targets(t) {
            *self
                .referenced_by
                .entry(target)
                .or_default()
                .entry(own.clone())
                .or_insert(0) += 1;
        }
    }

    pub fn remove_table(&mut self, t: &Table) {
        for rel in relation_names(t) {
            let k = KeyRef(t.schema.as_deref(), rel);
            if self.relations.get(&k).is_some_and(|o| *o == t.name) {
                self.relations.swap_remove(&k);
            }
        }
        for c in constraint_names(t) {
            decrement(&mut self.constraints, KeyRef(t.schema.as_deref(), c));
        }
        let own = KeyRef(t.schema.as_deref(), &t.name);
        for target in fk_targets(t) {
            if let Some(m) = self.referenced_by.get_mut(&target) {
                decrement(m, own);
                if m.is_empty() {
                    self.referenced_by.swap_remove(&target);
                }
            }
        }
    }

    pub fn rebuild(schema: &Schema) -> NameIndex {
        let mut n = NameIndex::default();
        for t in schema.tables.values() {
            n.add_table(t);
        }
        n
    }
}

fn decrement(map: &mut IndexMap<TableKey, u32>, k: KeyRef<'_>) {
    if let Some(n) = map.get_mut(&k) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.swap_remove(&k);
        }
    }
}

/// Names in the relation namespace a table owns besides its own name.
pub(crate) fn relation_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().map(|p| p.name.as_str());
    let uniques = t
        .constraints
        .values()
        .filter(|c| matches!(c.kind, ConstraintKind::Unique { .. }))
        .map(|c| c.name.as_str());
    let indexes = t.indexes.keys().map(String::as_str);
    pk.chain(uniques).chain(indexes)
}

fn constraint_names(t: &Table) -> impl Iterator<Item = &str> {
    let pk = t.primary_key.iter().map(|p| p.name.as_str());
    pk.chain(t.constraints.keys().map(String::as_str))
}

fn fk_targets(t: &Table) -> impl Iterator<Item = TableKey> + '_ {
    t.constraints.values().filter_map(|c| match &c.kind {
        ConstraintKind::ForeignKey {
            ref_schema,
            ref_table,
            ..
        } => Some((ref_schema.clone(), ref_table.clone())),
        _ => None,
    })
}
