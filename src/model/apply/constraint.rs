//! `create_unique_constraint`, `create_foreign_key`, `create_check_constraint`,
//! `create_primary_key` (all [`crate::ir::OpKind::AddConstraint`]) and `drop_constraint`.

use super::super::build::{self, Cx};
use super::super::deps::fks_needing;
use super::super::errors::list_help;
use super::super::lookup::KeySource;
use super::super::names::{constraint_entries, pk_entries};
use super::super::{ConstraintKind, Table};
use super::Effects;
use crate::diagnostic::Diagnostic;
use crate::ir::{Ident, TableConstraint};

pub(super) fn add(
    cx: &Cx,
    t: &mut Table,
    c: &TableConstraint,
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    let p = build::constraint(cx, t, c, &[])?;
    fx.pending.extend(p.commit(t, &mut fx.added));
    Ok(())
}

pub(super) fn drop(
    cx: &Cx,
    t: &mut Table,
    name: &Ident,
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    let is_pk = t.primary_key.as_ref().is_some_and(|p| p.name == name.value);
    let source = match t.constraint(&name.value) {
        _ if is_pk => KeySource::PrimaryKey,
        Some(c) if matches!(c.kind, ConstraintKind::Unique { .. }) => {
            KeySource::Constraint(&name.value)
        }
        Some(_) => {
            if let Some(c) = t.constraints_mut().shift_remove(&name.value) {
                fx.removed.extend(constraint_entries(&c));
            }
            return Ok(());
        }
        None => return Err(vec![unknown_constraint(t, name)]),
    };
    let needing = fks_needing(cx.schema, t, source, &fx.renames);
    if let Some(n) = needing.first() {
        return Err(vec![Diagnostic::error(
            "E0244",
            format!(
                "cannot drop constraint \"{}\": foreign key {} on {} needs it",
                name.value, n.constraint, n.table
            ),
        )
        .with_span(
            name.span,
            "the referenced columns would no longer be unique",
        )
        .with_help(format!(
            "drop the foreign key first: `drop_constraint {} on {}`",
            n.constraint, n.table
        ))]);
    }
    if is_pk {
        // The columns stay NOT NULL, as in PostgreSQL.
        if let Some(pk) = t.primary_key.take() {
            fx.removed.extend(pk_entries(&pk));
        }
    } else if let Some(c) = t.constraints_mut().shift_remove(&name.value) {
        fx.removed.extend(constraint_entries(&c));
    }
    Ok(())
}

fn unknown_constraint(t: &Table, name: &Ident) -> Diagnostic {
    let known: Vec<&str> = t
        .primary_key
        .iter()
        .map(|p| p.name.as_str())
        .chain(t.constraints.keys().map(String::as_str))
        .collect();
    Diagnostic::error(
        "E0204",
        format!(
            "unknown constraint \"{}\" on \"{}\"",
            name.value,
            t.display_name()
        ),
    )
    .with_span(name.span, "no such constraint at this revision")
    .with_help(list_help(
        &format!("constraints of \"{}\"", t.display_name()),
        &known,
        "the table has no constraints",
    ))
}
