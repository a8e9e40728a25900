//! `create_index`, `drop_index`.

use super::super::build::{check_len, relation_taken, Cx};
use super::super::deps::fks_needing;
use super::super::errors::{duplicate, list_help, unknown_column};
use super::super::lookup::KeySource;
use super::super::names::Entry;
use super::super::{Index, IndexElement, Limits, Schema, Table};
use super::Effects;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{self, CreateIndex, Ident, QualifiedName};
use crate::source::Span;

pub(super) fn create(
    cx: &Cx,
    t: &mut Table,
    ci: &CreateIndex,
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    if relation_taken(cx, t, &ci.name.value) {
        if ci.if_not_exists {
            return Ok(());
        }
        diags.push(
            duplicate("E0212", "index", &ci.name.value, ci.name.span).with_help(
                "index names are shared by every table of a schema (with tables and the \
                 indexes behind primary keys and unique constraints); choose another name",
            ),
        );
    }
    check_len(cx, &ci.name, "index", &mut diags);
    let elements = ci
        .elements
        .iter()
        .map(|e| element(t, e, &mut diags))
        .collect();
    diags.finish(())?;
    let index = Index {
        name: ci.name.value.clone(),
        unique: ci.unique,
        elements,
        where_clause: ci.where_clause.as_ref().map(|w| w.text.clone()),
    };
    fx.added.push(Entry::Relation(index.name.clone()));
    t.indexes_mut().insert(index.name.clone(), index);
    Ok(())
}

fn element(t: &Table, e: &ir::IndexElement, diags: &mut Diagnostics) -> IndexElement {
    match e {
        ir::IndexElement::Column { name, descending } => {
            if t.column(&name.value).is_none() {
                diags.push(unknown_column(t, name));
            }
            IndexElement::Column {
                name: name.value.clone(),
                descending: *descending,
            }
        }
        ir::IndexElement::Expression(x) => IndexElement::Expression(x.text.clone()),
    }
}

pub(super) fn drop(
    cx: &Cx,
    t: &mut Table,
    name: &Ident,
    if_exists: bool,
    fx: &mut Effects,
) -> Result<(), Vec<Diagnostic>> {
    if !t.indexes.contains_key(&name.value) {
        if if_exists {
            return Ok(());
        }
        let known: Vec<&str> = t.indexes.keys().map(String::as_str).collect();
        return Err(vec![unknown_index(&name.value, name.span).with_help(list_help(
            &format!("indexes of \"{}\"", t.display_name()),
            &known,
            "the table has no indexes (a primary key or unique constraint is dropped with `drop_constraint`)",
        ))]);
    }
    let needing = fks_needing(cx.schema, t, KeySource::Index(&name.value), &fx.renames);
    if let Some(n) = needing.first() {
        return Err(vec![Diagnostic::error(
            "E0244",
            format!(
                "cannot drop index \"{}\": foreign key {} on {} needs it",
                name.value, n.constraint, n.table
            ),
        )
        .with_span(
            name.span,
            "the referenced columns would no longer be unique",
        )
        .with_help(
            "drop the foreign key first, or create another unique constraint on the same columns",
        )]);
    }
    t.indexes_mut().shift_remove(&name.value);
    fx.removed.push(Entry::Relation(name.value.clone()));
    Ok(())
}

fn unknown_index(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0203", format!("unknown index \"{name}\""))
        .with_span(span, "no such index at this revision")
}

impl Schema {
    /// `drop_index NAME` without `on TABLE`: find the table by the index name.
    pub(super) fn drop_index_anywhere(
        &mut self,
        name: &QualifiedName,
        if_exists: bool,
        limits: &Limits,
        span: Span,
    ) -> Result<(), Vec<Diagnostic>> {
        let schema = name.schema.as_ref().map(|s| s.value.as_str());
        let Some((key, _)) = self.find_index(schema, &name.name.value) else {
            if if_exists {
                return Ok(());
            }
            return Err(vec![self.unknown_index_anywhere(name)]);
        };
        let table = QualifiedName {
            schema: key.0.map(|s| Ident::new(s, name.span())),
            name: Ident::new(key.1, name.span()),
        };
        self.edit_table(
            &table,
            |cx, t, fx| drop(cx, t, &name.name, if_exists, fx),
            limits,
            span,
        )
    }

    fn unknown_index_anywhere(&self, name: &QualifiedName) -> Diagnostic {
        let schema = name.schema.as_ref().map(|s| s.value.clone());
        let known: Vec<&str> = self
            .tables
            .values()
            .filter(|t| t.schema == schema)
            .flat_map(|t| t.indexes.keys().map(String::as_str))
            .collect();
        unknown_index(&name.display(), name.span()).with_help(list_help(
            "indexes known here",
            &known,
            "no index exists at this point of the history",
        ))
    }
}
