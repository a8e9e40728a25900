//! `add_column`, `drop_column`, `alter_column`, and how a column rename spreads.

use super::super::build::{self, check_default, check_len, check_type, is_integer, Cx};
use super::super::deps::fks_on_column;
use super::super::errors::{duplicate, list_help, unknown_column};
use super::super::fk::check_retype;
use super::super::names::{constraint_entries, pk_entries, Entry};
use super::super::sqlscan::rename_column;
use super::super::{Column, ConstraintKind, IndexElement, Table, TableKey};
use super::Effects;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{ColumnChange, ColumnDef, Ident};

pub(super) fn add(
    cx: &Cx,
    t: &mut Table,
    def: &ColumnDef,
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    if t.columns.contains_key(&def.name.value) {
        return Err(vec![column_exists(t, &def.name)]);
    }
    let mut diags = Diagnostics::new();
    let col = build::column(cx, def, &mut diags);
    if diags.has_errors() {
        return Err(diags.into_vec());
    }
    // The inline constraints are checked against the table with the new column,
    // which is taken out again if they fail.
    t.columns_mut().insert(col.name.clone(), col);
    let mut prepared = Vec::new();
    for c in build::inline_constraints(def) {
        match build::constraint(cx, t, &c, &[]) {
            Ok(p) => prepared.push(p),
            Err(e) => diags.extend(e),
        }
    }
    if diags.has_errors() {
        t.columns_mut().pop();
        return Err(diags.into_vec());
    }
    for p in prepared {
        fx.pending.extend(p.commit(t, &mut fx.added));
    }
    Ok(())
}

fn column_exists(t: &Table, name: &Ident) -> Diagnostic {
    duplicate("E0211", "column", &name.value, name.span).with_help(format!(
        "table \"{}\" already has a column \"{}\"; choose another name",
        t.display_name(),
        name.value
    ))
}

pub(super) fn drop(
    cx: &Cx,
    t: &mut Table,
    column: &Ident,
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    if t.column(&column.value).is_none() {
        return Err(vec![unknown_column(t, column)]);
    }
    let users = fks_on_column(cx.schema, t, &column.value, &fx.renames);
    if !users.is_empty() {
        let list: Vec<String> = users
            .iter()
            .map(|u| format!("{} on {}", u.constraint, u.table))
            .collect();
        return Err(vec![Diagnostic::error(
            "E0240",
            format!(
                "cannot drop column \"{}\" of \"{}\": foreign keys reference it",
                column.value,
                t.display_name()
            ),
        )
        .with_span(column.span, "still referenced")
        .with_help(list_help(
            "drop these foreign keys first (`drop_constraint NAME on TABLE`)",
            &list,
            "",
        ))]);
    }
    let deps = t.column_dependants(&column.value);
    if deps.primary_key {
        if let Some(pk) = t.primary_key.take() {
            fx.removed.extend(pk_entries(&pk));
        }
    }
    for c in &deps.constraints {
        if let Some(c) = t.constraints_mut().shift_remove(c) {
            fx.removed.extend(constraint_entries(&c));
        }
    }
    for i in &deps.indexes {
        t.indexes_mut().shift_remove(i);
        fx.removed.push(Entry::Relation(i.clone()));
    }
    t.columns_mut().shift_remove(&column.value);
    Ok(())
}

pub(super) fn alter(
    cx: &Cx,
    t: &mut Table,
    column: &Ident,
    changes: &[ColumnChange],
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    let Some(orig) = t.column(&column.value) else {
        return Err(vec![unknown_column(t, column)]);
    };
    let mut diags = Diagnostics::new();
    let mut c = orig.clone();
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|p| p.columns.contains(&orig.name));
    for ch in changes {
        change(cx, t, &mut c, in_pk, ch, column, &mut diags);
        if let ColumnChange::SetType { ty, .. } = ch {
            // Foreign keys follow the column under its original name.
            check_retype(cx, t, &orig.name, ty, &fx.renames, column.span, &mut diags);
        }
    }
    diags.finish(())?;
    let old = orig.name.clone();
    if c.name != old {
        rename_in_table(t, &old, &c.name);
        fx.renames.push((old, c.name.clone()));
    }
    if let Some(slot) = t.columns_mut().get_mut(&c.name) {
        *slot = c;
    }
    Ok(())
}

/// Check one change against the column as the earlier changes left it, and make it.
fn change(
    cx: &Cx,
    t: &Table,
    c: &mut Column,
    in_pk: bool,
    ch: &ColumnChange,
    at: &Ident,
    diags: &mut Diagnostics,
) {
    let span = at.span;
    match ch {
        ColumnChange::SetNotNull => c.nullable = false,
        ColumnChange::DropNotNull if in_pk => diags.push(build::nullable_pk(&c.name, span)),
        ColumnChange::DropNotNull if c.identity.is_some() => {
            diags.push(build::nullable_identity(&c.name, span))
        }
        ColumnChange::DropNotNull => c.nullable = true,
        ColumnChange::SetType { ty, .. } => {
            check_type(cx, ty, span, diags);
            if c.identity.is_some() && !is_integer(ty) {
                diags.push(build::identity_type(&c.name, ty, span));
            }
            if let Some(d) = &c.default {
                check_default(cx, d, ty, span, diags);
            }
            c.ty = ty.clone();
        }
        ColumnChange::SetDefault(d) => {
            if c.identity.is_some() {
                diags.push(build::identity_default(&c.name, span));
            }
            check_default(cx, d, &c.ty, span, diags);
            c.default = Some(d.clone());
        }
        ColumnChange::DropDefault => c.default = None,
        ColumnChange::Rename(new) => {
            check_len(cx, new, "column", diags);
            if t.columns.contains_key(&new.value) {
                diags.push(column_exists(t, new));
            }
            c.name.clone_from(&new.value);
        }
        ColumnChange::Comment(text) => c.comment.clone_from(text),
    }
}

/// Rename column `old` to `new` everywhere in its table: the column (keeping its
/// place), the primary key, constraints (check expressions too), self-referencing
/// foreign keys and indexes (expressions and `WHERE` too).
pub(crate) fn rename_in_table(t: &mut Table, old: &str, new: &str) {
    if let Some((idx, _, col)) = t.columns_mut().shift_remove_full(old) {
        t.columns_mut().shift_insert(idx, new.to_string(), col);
    }
    let rename = |names: &mut Vec<String>| {
        for n in names.iter_mut().filter(|n| *n == old) {
            *n = new.to_string();
        }
    };
    if let Some(pk) = &mut t.primary_key {
        rename(&mut pk.columns);
    }
    let own: TableKey = t.key();
    for c in t.constraints_mut().values_mut() {
        match &mut c.kind {
            ConstraintKind::Unique { columns } => rename(columns),
            ConstraintKind::ForeignKey {
                columns,
                ref_schema,
                ref_table,
                ref_columns,
                ..
            } => {
                rename(columns);
                if *ref_schema == own.0 && *ref_table == own.1 {
                    rename(ref_columns);
                }
            }
            ConstraintKind::Check { expr } => *expr = rename_column(expr, old, new),
        }
    }
    for i in t.indexes_mut().values_mut() {
        for e in &mut i.elements {
            match e {
                IndexElement::Column { name, .. } if name == old => *name = new.to_string(),
                IndexElement::Column { .. } => {}
                IndexElement::Expression(x) => *x = rename_column(x, old, new),
            }
        }
        if let Some(w) = &mut i.where_clause {
            *w = rename_column(w, old, new);
        }
    }
}

/// Foreign keys of `t` into table `target` follow `target`'s column renames.
pub(super) fn rename_fk_targets(t: &mut Table, target: &TableKey, renames: &[(String, String)]) {
    for c in t.constraints_mut().values_mut() {
        if let ConstraintKind::ForeignKey {
            ref_schema,
            ref_table,
            ref_columns,
            ..
        } = &mut c.kind
        {
            if *ref_schema != target.0 || *ref_table != target.1 {
                continue;
            }
            for (old, new) in renames {
                for n in ref_columns.iter_mut().filter(|n| *n == old) {
                    n.clone_from(new);
                }
            }
        }
    }
}
