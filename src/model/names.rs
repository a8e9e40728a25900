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
//!
//! The maps are persistent (`imbl::OrdMap`): the backends clone the schema for
//! every operation to see the state after it, and a clone must not copy the index.
//! Cloning is O(1) and an update copies only the path to the changed entry. They
//! iterate in key order, so nothing depends on the history of insertions.

use super::{ConstraintKind, Schema, Table, TableKey};
use equivalent::{Comparable, Equivalent};
use imbl::OrdMap;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

/// A borrowed [`TableKey`]: hashes and orders like `(Option<String>, String)` so
/// lookups allocate nothing.
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

impl Comparable<TableKey> for KeyRef<'_> {
    fn compare(&self, key: &TableKey) -> Ordering {
        // Same order as `(Option<String>, String)::cmp`.
        (self.0, self.1).cmp(&(key.0.as_deref(), key.1.as_str()))
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
    relations: OrdMap<TableKey, String>,
    /// `(schema, constraint name)` → number of tables using it.
    constraints: OrdMap<TableKey, u32>,
    /// Referenced table → referencing table → number of foreign keys.
    referenced_by: OrdMap<TableKey, OrdMap<TableKey, u32>>,
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

    /// Tables (`target` itself included, if self-referencing) with a foreign key
    /// into `target`, in key order.
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
                self.relations.remove(&k);
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
                    self.referenced_by.remove(&target);
                }
            }
        }
    }

    /// One index created on table `table` of `schema`.
    pub fn add_relation(&mut self, schema: &Option<String>, name: &str, table: &str) {
        self.relations.insert(key(schema, name), table.to_string());
    }

    /// One index of table `table` dropped.
    pub fn remove_relation(&mut self, schema: Option<&str>, name: &str, table: &str) {
        let k = KeyRef(schema, name);
        if self.relations.get(&k).is_some_and(|o| o == table) {
            self.relations.remove(&k);
        }
    }

    /// What one table operation changed, instead of re-indexing the whole table.
    pub fn apply_delta(&mut self, t: &Table, removed: &[Entry], added: &[Entry]) {
        let own = KeyRef(t.schema.as_deref(), &t.name);
        for e in removed {
            match e {
                Entry::Relation(n) => self.remove_relation(t.schema.as_deref(), n, &t.name),
                Entry::Constraint(n) => {
                    decrement(&mut self.constraints, KeyRef(t.schema.as_deref(), n))
                }
                Entry::Fk(target) => {
                    if let Some(m) = self.referenced_by.get_mut(target) {
                        decrement(m, own);
                        if m.is_empty() {
                            self.referenced_by.remove(target);
                        }
                    }
                }
            }
        }
        for e in added {
            match e {
                Entry::Relation(n) => self.add_relation(&t.schema, n, &t.name),
                Entry::Constraint(n) => {
                    *self.constraints.entry(key(&t.schema, n)).or_insert(0) += 1
                }
                Entry::Fk(target) => {
                    *self
                        .referenced_by
                        .entry(target.clone())
                        .or_default()
                        .entry((t.schema.clone(), t.name.clone()))
                        .or_insert(0) += 1
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

/// One fact of the name index a table contributes.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// An index name, or the index behind a primary key or unique constraint.
    Relation(String),
    /// A constraint name (the primary key's included).
    Constraint(String),
    /// A foreign key into this table.
    Fk(TableKey),
}

/// The entries of a primary key.
pub(crate) fn pk_entries(pk: &super::PrimaryKey) -> [Entry; 2] {
    [
        Entry::Relation(pk.name.clone()),
        Entry::Constraint(pk.name.clone()),
    ]
}

/// The entries of a unique, foreign-key or check constraint.
pub(crate) fn constraint_entries(c: &super::Constraint) -> Vec<Entry> {
    let mut out = vec![Entry::Constraint(c.name.clone())];
    match &c.kind {
        ConstraintKind::Unique { .. } => out.push(Entry::Relation(c.name.clone())),
        ConstraintKind::ForeignKey {
            ref_schema,
            ref_table,
            ..
        } => out.push(Entry::Fk((ref_schema.clone(), ref_table.clone()))),
        ConstraintKind::Check { .. } => {}
    }
    out
}

fn decrement(map: &mut OrdMap<TableKey, u32>, k: KeyRef<'_>) {
    if let Some(n) = map.get_mut(&k) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&k);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ref_orders_like_table_key() {
        let keys: Vec<TableKey> = vec![
            (None, "a".into()),
            (None, "b".into()),
            (Some("".into()), "a".into()),
            (Some("s".into()), "a".into()),
            (Some("s".into()), "ab".into()),
            (Some("t".into()), "".into()),
        ];
        for a in &keys {
            for b in &keys {
                assert_eq!(KeyRef::of(a).compare(b), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }
}
