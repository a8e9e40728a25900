//! Model values back to IR, for derived downgrades that re-create what an upgrade
//! dropped. Every identifier gets the span of the upgrade operation, so errors in
//! the derived downgrade point at the line that caused it.

use crate::ir::{
    self, ColumnDef, CreateIndex, ForeignKeyRef, Ident, Op, OpKind, QualifiedName, SqlText,
    TableConstraint,
};
use crate::model::{Column, Constraint, ConstraintKind, Index, IndexElement, PrimaryKey, Table};
use crate::source::Span;

pub(super) fn ident(s: &str, span: Span) -> Ident {
    Ident::new(s, span)
}

pub(super) fn qualified(schema: Option<&str>, name: &str, span: Span) -> QualifiedName {
    QualifiedName {
        schema: schema.map(|s| ident(s, span)),
        name: ident(name, span),
    }
}

pub(super) fn table_name(t: &Table, span: Span) -> QualifiedName {
    qualified(t.schema.as_deref(), &t.name, span)
}

fn idents(names: &[String], span: Span) -> Vec<Ident> {
    names.iter().map(|n| ident(n, span)).collect()
}

/// A column definition without inline constraints (they come back as table constraints).
pub(super) fn column_def(c: &Column, span: Span) -> ColumnDef {
    ColumnDef {
        name: ident(&c.name, span),
        ty: c.ty.clone(),
        nullable: Some(c.nullable),
        primary_key: false,
        identity: c.identity,
        unique: false,
        default: c.default.clone(),
        references: None,
        check: None,
        comment: c.comment.clone(),
        span,
    }
}

pub(super) fn primary_key(pk: &PrimaryKey, span: Span) -> TableConstraint {
    TableConstraint {
        name: Some(ident(&pk.name, span)),
        kind: ir::ConstraintKind::PrimaryKey {
            columns: idents(&pk.columns, span),
        },
        span,
    }
}

pub(super) fn constraint(c: &Constraint, span: Span) -> TableConstraint {
    let kind = match &c.kind {
        ConstraintKind::Unique { columns } => ir::ConstraintKind::Unique {
            columns: idents(columns, span),
        },
        ConstraintKind::Check { expr } => ir::ConstraintKind::Check {
            expr: SqlText {
                text: expr.clone(),
                span,
            },
        },
        ConstraintKind::ForeignKey {
            columns,
            ref_schema,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
            deferrable,
        } => ir::ConstraintKind::ForeignKey {
            columns: idents(columns, span),
            references: ForeignKeyRef {
                table: qualified(ref_schema.as_deref(), ref_table, span),
                columns: idents(ref_columns, span),
                on_delete: *on_delete,
                on_update: *on_update,
                deferrable: *deferrable,
                use_alter: false,
                span,
            },
        },
    };
    TableConstraint {
        name: Some(ident(&c.name, span)),
        kind,
        span,
    }
}

pub(super) fn create_index(t: &Table, i: &Index, concurrently: bool, span: Span) -> Op {
    let elements = i
        .elements
        .iter()
        .map(|e| match e {
            IndexElement::Column { name, descending } => ir::IndexElement::Column {
                name: ident(name, span),
                descending: *descending,
            },
            IndexElement::Expression(x) => ir::IndexElement::Expression(SqlText {
                text: x.clone(),
                span,
            }),
        })
        .collect();
    let ci = CreateIndex {
        name: ident(&i.name, span),
        table: table_name(t, span),
        unique: i.unique,
        elements,
        where_clause: i.where_clause.as_ref().map(|w| SqlText {
            text: w.clone(),
            span,
        }),
        concurrently,
        if_not_exists: false,
    };
    op(OpKind::CreateIndex(ci), span)
}

/// `create_table` re-creating `t` (columns, primary key, constraints, comment),
/// followed by its indexes.
pub(super) fn recreate_table(t: &Table, span: Span) -> Vec<Op> {
    let mut constraints: Vec<TableConstraint> =
        t.primary_key.iter().map(|p| primary_key(p, span)).collect();
    constraints.extend(t.constraints.values().map(|c| constraint(c, span)));
    let ct = ir::CreateTable {
        table: table_name(t, span),
        columns: t.columns.values().map(|c| column_def(c, span)).collect(),
        constraints,
        comment: t.comment.clone(),
        if_not_exists: false,
    };
    let mut ops = vec![op(OpKind::CreateTable(ct), span)];
    ops.extend(t.indexes.values().map(|i| create_index(t, i, false, span)));
    ops
}

pub(super) fn op(kind: OpKind, span: Span) -> Op {
    Op { kind, span }
}
