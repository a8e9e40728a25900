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
//! The maps are hash maps looked up by [`KeyRef`], so a lookup allocates nothing
//! and compares one key. Cloning a schema copies them, but it copies the table map
//! (one `Arc` per table) as well, so a clone stays linear in the schema's size; the
//! backends no longer clone the schema for every operation. Nothing reads the maps
//! in an order that matters: [`NameIndex::referencing`] lists tables in the order
//! their first foreign key was indexed, and its callers sort or do not care.

use super::{ConstraintKind, Schema, Table, TableKey};
use crate::fxhash::FxBuild;
use equivalent::Equivalent;
use indexmap::IndexMap;
use std::hash::{Hash, Hasher};

/// A borrowed [`TableKey`]: hashes like `(Option<String>, String)` so lookups
/// allocate nothing.
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
    relations: Map<String>,
    /// `(schema, constraint name)` → number of tables using it.
    constraints: Map<u32>,
    /// Referenced table → referencing table → number of foreign keys.
    referenced_by: Map<Map<u32>>,
}

type Map<V> = IndexMap<TableKey, V, FxBuild>;

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
    /// into `target`, in no particular order.
    pub fn referencing(&self, target: KeyRef<'_>) -> impl Iterator<Item = &TableKey> {
        self.referenced_by
            .get(&target)
            .into_iter()
            .flat_map(|m| m.keys())
    }

    /// Every table some foreign key points at, in no particular order.
    pub fn referenced_tables(&self) -> impl Iterator<Item = &TableKey> {
        self.referenced_by.keys()
    }

    pub fn add_table(&mut self, t: &Table) {
        let schema = t.schema.as_deref();
        for rel in relation_names(t) {
            self.add_relation(&t.schema, rel, &t.name);
        }
        for c in constraint_names(t) {
            increment(&mut self.constraints, KeyRef(schema, c));
        }
        let own = KeyRef(schema, &t.name);
        for target in fk_targets(t) {
            self.add_fk(target, own);
        }
    }

    pub fn remove_table(&mut self, t: &Table) {
        let schema = t.schema.as_deref();
        for rel in relation_names(t) {
            self.remove_relation(schema, rel, &t.name);
        }
        for c in constraint_names(t) {
            decrement(&mut self.constraints, KeyRef(schema, c));
        }
        let own = KeyRef(schema, &t.name);
        for target in fk_targets(t) {
            self.remove_fk(target, own);
        }
    }

    /// Only `t`'s foreign keys, around a change that touches nothing else the
    /// index holds (a target or the table renamed within its schema).
    pub fn remove_fks(&mut self, t: &Table) {
        let own = KeyRef(t.schema.as_deref(), &t.name);
        for target in fk_targets(t) {
            self.remove_fk(target, own);
        }
    }

    pub fn add_fks(&mut self, t: &Table) {
        let own = KeyRef(t.schema.as_deref(), &t.name);
        for target in fk_targets(t) {
            self.add_fk(target, own);
        }
    }

    /// `t`'s relation names now belong to `new_name`, its name after a rename
    /// (its constraint names stay counted: the schema does not change).
    pub fn move_relations(&mut self, t: &Table, new_name: &str) {
        for rel in relation_names(t) {
            self.add_relation(&t.schema, rel, new_name);
        }
    }

    fn add_fk(&mut self, target: KeyRef<'_>, source: KeyRef<'_>) {
        match self.referenced_by.get_mut(&target) {
            Some(m) => increment(m, source),
            None => {
                let mut m = Map::with_capacity_and_hasher(1, FxBuild::default());
                m.insert(owned(source), 1);
                self.referenced_by.insert(owned(target), m);
            }
        }
    }

    fn remove_fk(&mut self, target: KeyRef<'_>, source: KeyRef<'_>) {
        if let Some(m) = self.referenced_by.get_mut(&target) {
            decrement(m, source);
            if m.is_empty() {
                self.referenced_by.swap_remove(&target);
            }
        }
    }

    /// One index created on table `table` of `schema`.
    pub fn add_relation(&mut self, schema: &Option<String>, name: &str, table: &str) {
        match self.relations.get_mut(&KeyRef(schema.as_deref(), name)) {
            Some(owner) => table.clone_into(owner),
            None => {
                self.relations
                    .insert((schema.clone(), name.to_string()), table.to_string());
            }
        }
    }

    /// One index of table `table` dropped.
    pub fn remove_relation(&mut self, schema: Option<&str>, name: &str, table: &str) {
        let k = KeyRef(schema, name);
        if self.relations.get(&k).is_some_and(|o| o == table) {
            self.relations.swap_remove(&k);
        }
    }

    /// What one table operation changed, instead of re-indexing the whole table.
    pub fn apply_delta(&mut self, t: &Table, removed: &[Entry], added: &[Entry]) {
        let schema = t.schema.as_deref();
        let own = KeyRef(schema, &t.name);
        for e in removed {
            match e {
                Entry::Relation(n) => self.remove_relation(schema, n, &t.name),
                Entry::Constraint(n) => decrement(&mut self.constraints, KeyRef(schema, n)),
                Entry::Fk(target) => self.remove_fk(KeyRef::of(target), own),
            }
        }
        for e in added {
            match e {
                Entry::Relation(n) => self.add_relation(&t.schema, n, &t.name),
                Entry::Constraint(n) => increment(&mut self.constraints, KeyRef(schema, n)),
                Entry::Fk(target) => self.add_fk(KeyRef::of(target), own),
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

fn owned(k: KeyRef<'_>) -> TableKey {
    (k.0.map(str::to_string), k.1.to_string())
}

/// One more use of `k`; the key is allocated only when it is new.
fn increment(map: &mut Map<u32>, k: KeyRef<'_>) {
    match map.get_mut(&k) {
        Some(n) => *n += 1,
        None => {
            map.insert(owned(k), 1);
        }
    }
}

fn decrement(map: &mut Map<u32>, k: KeyRef<'_>) {
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

fn fk_targets(t: &Table) -> impl Iterator<Item = KeyRef<'_>> {
    t.constraints.values().filter_map(|c| match &c.kind {
        ConstraintKind::ForeignKey {
            ref_schema,
            ref_table,
            ..
        } => Some(KeyRef(ref_schema.as_deref(), ref_table)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ref_hashes_like_table_key() {
        use std::hash::BuildHasher;
        let keys: Vec<TableKey> = vec![
            (None, "a".into()),
            (Some("".into()), "a".into()),
            (Some("s".into()), "ab".into()),
            (Some("schema_name".into()), "a_longer_table_name".into()),
        ];
        let sip = std::collections::hash_map::RandomState::new();
        for k in &keys {
            assert_eq!(
                FxBuild::default().hash_one(KeyRef::of(k)),
                FxBuild::default().hash_one(k)
            );
            assert_eq!(sip.hash_one(KeyRef::of(k)), sip.hash_one(k));
        }
    }
}
