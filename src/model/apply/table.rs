//! `create_table`, `drop_table`, `rename_table`.

use super::super::build::{self, check_len, owned_key, qkey, relation_taken, Cx, PendingFk};
use super::super::errors::{duplicate, list_help, unknown_table};
use super::super::names::KeyRef;
use super::super::{ConstraintKind, Limits, Schema, Table, TableKey};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{CreateTable, Ident, QualifiedName, TableConstraint};
use crate::source::Span;
use std::sync::Arc;

impl Schema {
    pub(super) fn create_table(
        &mut self,
        ct: &CreateTable,
        limits: &Limits,
        span: Span,
    ) -> Result<(), Vec<Diagnostic>> {
        if self.tables.contains_key(&qkey(&ct.table)) {
            if ct.if_not_exists {
                return Ok(());
            }
            return Err(vec![table_exists(&ct.table.name)]);
        }
        self.create_new_table(ct, limits, span, |_, _| ())
    }

    /// Apply `create_table` `ct` for a table that does not exist yet, calling
    /// `lower` with the model before it and the table exactly as it is added:
    /// a backend lowers from the table the model builds anyway instead of
    /// building it once more ([`Schema::created_table`]). `None` when the table
    /// exists (use [`Schema::apply`]); on error the model is unchanged and
    /// `lower` is not called.
    pub fn create_table_lowered<R>(
        &mut self,
        ct: &CreateTable,
        limits: &Limits,
        span: Span,
        lower: impl FnOnce(&Schema, &Table) -> R,
    ) -> Option<Result<R, Vec<Diagnostic>>> {
        if self.tables.contains_key(&qkey(&ct.table)) {
            return None;
        }
        Some(self.create_new_table(ct, limits, span, lower))
    }

    fn create_new_table<R>(
        &mut self,
        ct: &CreateTable,
        limits: &Limits,
        span: Span,
        lower: impl FnOnce(&Schema, &Table) -> R,
    ) -> Result<R, Vec<Diagnostic>> {
        let cx = Cx {
            schema: self,
            limits,
            span,
        };
        let (table, pending) = new_table(&cx, ct)?;
        let resolved = self.resolve_pending(&table)?;
        let lowered = lower(self, &table);
        self.names.add_table(&table);
        self.tables.insert(table.key(), Arc::new(table));
        self.finish_pending(resolved);
        self.pending_fks.extend(pending);
        Ok(lowered)
    }

    /// The table `ct` would create, exactly as [`Schema::apply`] adds it, without
    /// changing the model; `None` when the table exists or `ct` is refused. Backends
    /// read the names the model gives unnamed constraints from it, at the cost of
    /// building one table instead of copying the model.
    pub fn created_table(&self, ct: &CreateTable, limits: &Limits, span: Span) -> Option<Table> {
        if self.tables.contains_key(&qkey(&ct.table)) {
            return None;
        }
        let cx = Cx {
            schema: self,
            limits,
            span,
        };
        new_table(&cx, ct).ok().map(|(table, _)| table)
    }

    pub(super) fn drop_table(&mut self, q: &QualifiedName) -> Result<(), Vec<Diagnostic>> {
        let Some(t) = self.tables.get(&qkey(q)) else {
            return Err(vec![unknown_table(self, q)]);
        };
        let refs = self.referencing_fks(t.schema.as_deref(), &t.name);
        if !refs.is_empty() {
            return Err(vec![referenced(t, &refs, q)]);
        }
        if let Some(t) = self.tables.swap_remove(&qkey(q)) {
            self.names.remove_table(&t);
        }
        Ok(())
    }

    pub(super) fn rename_table(
        &mut self,
        q: &QualifiedName,
        new_name: &Ident,
        limits: &Limits,
    ) -> Result<(), Vec<Diagnostic>> {
        let Some(t) = self.tables.get(&qkey(q)) else {
            return Err(vec![unknown_table(self, q)]);
        };
        let mut diags = Diagnostics::new();
        let cx = Cx {
            schema: self,
            limits,
            span: new_name.span,
        };
        check_len(&cx, new_name, "table", &mut diags);
        if relation_taken(&cx, t, &new_name.value) || self.type_taken(&t.schema, &new_name.value) {
            diags.push(
                duplicate("E0210", "table", &new_name.value, new_name.span).with_help(
                    "a table, index or type of that name exists in the schema; choose another name",
                ),
            );
        }
        diags.finish(())?;
        let old = t.key();
        let new = (old.0.clone(), new_name.value.clone());
        self.rekey_table(&old, new);
        Ok(())
    }

    /// Move a table to a new key, keeping its place, and point foreign keys at it.
    fn rekey_table(&mut self, old: &TableKey, new: TableKey) {
        let referencing: Vec<TableKey> = self
            .names
            .referencing(KeyRef::of(old))
            .filter(|k| *k != old)
            .cloned()
            .collect();
        let Some((idx, _, t)) = self.tables.swap_remove_full(old) else {
            return;
        };
        let mut t = Arc::unwrap_or_clone(t);
        // Same schema, same constraint names: only relation owners and foreign
        // keys change in the name index.
        self.names.remove_fks(&t);
        self.names.move_relations(&t, &new.1);
        t.name = new.1.clone();
        retarget_fks(&mut t, old, &new);
        self.names.add_fks(&t);
        let (last, _) = self.tables.insert_full(new.clone(), Arc::new(t));
        self.tables.swap_indices(idx, last);
        for source in referencing {
            if let Some(src) = self.tables.get_mut(&source).map(Arc::make_mut) {
                self.names.remove_fks(src);
                retarget_fks(src, old, &new);
                self.names.add_fks(src);
            }
        }
    }

    /// Whether an enum type of `schema` has this name (tables are types too).
    pub(crate) fn type_taken(&self, schema: &Option<String>, name: &str) -> bool {
        self.enums.contains_key(&KeyRef(schema.as_deref(), name))
    }
}

fn retarget_fks(t: &mut Table, old: &TableKey, new: &TableKey) {
    for c in t.constraints_mut().values_mut() {
        if let ConstraintKind::ForeignKey {
            ref_schema,
            ref_table,
            ..
        } = &mut c.kind
        {
            if *ref_schema == old.0 && *ref_table == old.1 {
                ref_schema.clone_from(&new.0);
                ref_table.clone_from(&new.1);
            }
        }
    }
}

fn table_exists(name: &Ident) -> Diagnostic {
    duplicate("E0210", "table", &name.value, name.span).with_help(
        "a table, index or type of that name exists in the schema; choose another name \
         (or `create_table if_not_exists` to skip an existing table)",
    )
}

fn referenced(
    t: &Table,
    refs: &[(TableKey, &super::super::Constraint)],
    q: &QualifiedName,
) -> Diagnostic {
    let list: Vec<String> = refs
        .iter()
        .map(|(k, c)| format!("{} on {}", c.name, display_key(k)))
        .collect();
    Diagnostic::error(
        "E0241",
        format!(
            "cannot drop table \"{}\": other tables' foreign keys reference it",
            t.display_name()
        ),
    )
    .with_span(q.span(), "still referenced")
    .with_help(list_help(
        "drop these foreign keys first (`drop_constraint NAME on TABLE`)",
        &list,
        "",
    ))
}

pub(crate) fn display_key(k: &TableKey) -> String {
    match &k.0 {
        Some(s) => format!("{s}.{}", k.1),
        None => k.1.clone(),
    }
}

/// Build a new table from `create_table`, checking everything; also the
/// `use_alter` foreign keys of it that wait for a table created later.
fn new_table(cx: &Cx, ct: &CreateTable) -> Result<(Table, Vec<PendingFk>), Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let (schema, name) = owned_key(&ct.table);
    check_len(cx, &ct.table.name, "table", &mut diags);
    let mut t = Table::new(schema, name);
    t.comment.clone_from(&ct.comment);
    let relation = cx.schema.names.relation_owner(t.schema.as_deref(), &t.name);
    if relation.is_some() || cx.schema.type_taken(&t.schema, &t.name) {
        diags.push(table_exists(&ct.table.name));
    }
    add_columns(cx, &mut t, ct, &mut diags);
    let constraints = all_constraints(ct, &mut diags);
    let reserved: Vec<&str> = constraints
        .iter()
        .filter_map(|c| c.name.as_ref().map(|n| n.value.as_str()))
        .collect();
    let mut pending = Vec::new();
    for c in &constraints {
        match build::constraint(cx, &t, c, &reserved) {
            Ok(p) => pending.extend(p.add_to(&mut t)),
            Err(e) => diags.extend(e),
        }
    }
    diags.finish((t, pending))
}

fn add_columns(cx: &Cx, t: &mut Table, ct: &CreateTable, diags: &mut Diagnostics) {
    for def in &ct.columns {
        let col = build::column(cx, def, diags);
        if t.columns.contains_key(&col.name) {
            diags.push(
                duplicate("E0211", "column", &col.name, def.name.span)
                    .with_help("each column of a table needs its own name"),
            );
            continue;
        }
        t.columns_mut().insert(col.name.clone(), col);
    }
    // A column listed as `null` in a table-level primary key.
    for c in &ct.constraints {
        if let crate::ir::ConstraintKind::PrimaryKey { columns } = &c.kind {
            for col in columns {
                let def = ct.columns.iter().find(|d| d.name.value == col.value);
                if def.is_some_and(|d| d.nullable == Some(true)) {
                    diags.push(build::nullable_pk(&col.value, col.span));
                }
            }
        }
    }
}

/// Inline constraints (in column order) then table constraints, in PostgreSQL's
/// order of creation; E0217 for more than one primary key.
fn all_constraints(ct: &CreateTable, diags: &mut Diagnostics) -> Vec<TableConstraint> {
    let mut all: Vec<TableConstraint> = ct
        .columns
        .iter()
        .flat_map(build::inline_constraints)
        .collect();
    all.extend(ct.constraints.iter().cloned());
    all.sort_by_key(build::constraint_rank);
    let pks: Vec<&TableConstraint> = all
        .iter()
        .filter(|c| matches!(c.kind, crate::ir::ConstraintKind::PrimaryKey { .. }))
        .collect();
    if let Some(second) = pks.get(1) {
        diags.push(
            Diagnostic::error("E0217", "multiple primary keys for one table")
                .with_span(second.span, "a second primary key")
                .with_help("declare a composite key once: `primary_key (a, b)`"),
        );
        let keep = pks.first().map(|c| c.span);
        all.retain(|c| {
            !matches!(c.kind, crate::ir::ConstraintKind::PrimaryKey { .. }) || Some(c.span) == keep
        });
    }
    all
}
