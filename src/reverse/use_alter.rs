//! `use_alter` foreign keys in derived downgrades: the upgrade adds them after every
//! table of the revision exists, so the downgrade drops them before anything else.
//! Otherwise dropping two tables that reference each other would fail whichever
//! goes first.

use super::to_ir::{ident, op};
use crate::ir::{self, ForeignKeyRef, Ident, Op, OpKind, QualifiedName};
use crate::model::{ConstraintKind, Schema};
use crate::source::Span;

/// A `use_alter` foreign key an upgrade operation created.
pub(super) struct LateFk {
    table: QualifiedName,
    name: String,
    span: Span,
    /// The inverse group of the operation that created it.
    group: usize,
    /// `create_foreign_key ... use_alter`: its own inverse is the early drop.
    standalone: bool,
}

/// The `use_alter` foreign keys `o` created, named as the model (just after `o`) has them.
pub(super) fn created(after: &Schema, o: &Op, group: usize) -> Vec<LateFk> {
    let (table, wanted, standalone) = match &o.kind {
        OpKind::CreateTable(ct) => {
            let inline = ct.columns.iter().filter_map(|c| {
                let r = c.references.as_ref()?;
                Some((None, vec![c.name.value.clone()], r))
            });
            let mut all: Vec<_> = inline.collect();
            all.extend(ct.constraints.iter().filter_map(table_fk));
            (&ct.table, all, false)
        }
        OpKind::AddColumn { table, column } => {
            let fk = column
                .references
                .as_ref()
                .map(|r| (None, vec![column.name.value.clone()], r));
            (table, fk.into_iter().collect(), false)
        }
        OpKind::AddConstraint { table, constraint } => {
            (table, table_fk(constraint).into_iter().collect(), true)
        }
        _ => return Vec::new(),
    };
    wanted
        .into_iter()
        .filter(|(_, _, r)| r.use_alter)
        .filter_map(|(name, columns, r)| {
            let name = name
                .map(|n: &Ident| n.value.clone())
                .or_else(|| find(after, table, &columns, r))?;
            Some(LateFk {
                table: table.clone(),
                name,
                span: o.span,
                group,
                standalone,
            })
        })
        .collect()
}

type Wanted<'a> = (Option<&'a Ident>, Vec<String>, &'a ForeignKeyRef);

fn table_fk(c: &ir::TableConstraint) -> Option<Wanted<'_>> {
    match &c.kind {
        ir::ConstraintKind::ForeignKey {
            columns,
            references,
        } => Some((
            c.name.as_ref(),
            columns.iter().map(|i| i.value.clone()).collect(),
            references,
        )),
        _ => None,
    }
}

/// The name of the foreign key on `columns` to `r`'s table in the model.
fn find(
    s: &Schema,
    table: &QualifiedName,
    columns: &[String],
    r: &ForeignKeyRef,
) -> Option<String> {
    let t = s.table(
        table.schema.as_ref().map(|i| i.value.as_str()),
        &table.name.value,
    )?;
    let schema = r.table.schema.as_ref().map(|i| i.value.as_str());
    t.foreign_keys()
        .find(|c| {
            c.references(schema, &r.table.name.value)
                && matches!(&c.kind, ConstraintKind::ForeignKey { columns: cs, .. } if cs == columns)
        })
        .map(|c| c.name.clone())
}

/// `drop_constraint` for each late foreign key still there after the upgrade; a
/// standalone `create_foreign_key ... use_alter` then needs no inverse of its own.
pub(super) fn drop_first(after: &Schema, late: &[LateFk], inverses: &mut [Vec<Op>]) -> Vec<Op> {
    let mut first = Vec::new();
    for l in late.iter().rev() {
        let exists = after
            .table(
                l.table.schema.as_ref().map(|i| i.value.as_str()),
                &l.table.name.value,
            )
            .is_some_and(|t| t.constraint(&l.name).is_some());
        if !exists {
            continue;
        }
        if l.standalone {
            if let Some(g) = inverses.get_mut(l.group) {
                g.clear();
            }
        }
        first.push(op(
            OpKind::DropConstraint {
                table: l.table.clone(),
                name: ident(&l.name, l.span),
            },
            l.span,
        ));
    }
    first
}
