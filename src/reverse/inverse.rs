//! The inverse of one operation, given the model just before it.

use super::to_ir::{self, column_def, ident, op};
use crate::diagnostic::Diagnostic;
use crate::ir::{
    self, ColumnChange, Execute, Ident, Op, OpKind, QualifiedName, Reverse, TableConstraint,
};
use crate::model::{Column, Limits, Schema, Table};
use crate::source::Span;

type Inverse = Result<Vec<Op>, Vec<Diagnostic>>;

/// The operations undoing `o`, in the order they run. An operation the model
/// rejects gets an empty inverse here; applying it reports the error.
pub(super) fn inverse(before: &Schema, o: &Op, limits: &Limits) -> Inverse {
    let span = o.span;
    let one = |kind| Ok(vec![op(kind, span)]);
    match &o.kind {
        OpKind::CreateTable(ct) => match table(before, &ct.table) {
            Some(_) if ct.if_not_exists => Ok(vec![]),
            _ => one(OpKind::DropTable {
                table: ct.table.clone(),
            }),
        },
        OpKind::DropTable { table: q } => Ok(table(before, q)
            .map(|t| to_ir::recreate_table(t, span))
            .unwrap_or_default()),
        OpKind::RenameTable { table: q, new_name } => one(OpKind::RenameTable {
            table: QualifiedName {
                schema: q.schema.clone(),
                name: new_name.clone(),
            },
            new_name: q.name.clone(),
        }),
        OpKind::AddColumn { table: q, column } => one(OpKind::DropColumn {
            table: q.clone(),
            column: column.name.clone(),
        }),
        OpKind::DropColumn { table: q, column } => Ok(table(before, q)
            .map(|t| restore_column(t, q, &column.value, span))
            .unwrap_or_default()),
        OpKind::AlterColumn {
            table: q,
            column,
            changes,
        } => Ok(table(before, q)
            .and_then(|t| t.column(&column.value))
            .and_then(|c| invert_alter(q, c, changes, span))
            .into_iter()
            .collect()),
        OpKind::CreateIndex(ci) => create_index(before, ci, span),
        OpKind::DropIndex {
            name,
            table: q,
            concurrently,
            ..
        } => Ok(drop_index(before, name, q.as_ref(), *concurrently, span)),
        OpKind::AddConstraint {
            table: q,
            constraint,
        } => Ok(add_constraint(before, q, constraint, limits, span)),
        OpKind::DropConstraint { table: q, name } => Ok(table(before, q)
            .and_then(|t| restore_constraint(t, q, &name.value, span))
            .into_iter()
            .collect()),
        OpKind::CreateSchema {
            name,
            if_not_exists,
        } => match before.has_schema(&name.value) {
            true if *if_not_exists => Ok(vec![]),
            _ => one(OpKind::DropSchema {
                name: name.clone(),
                if_exists: false,
                cascade: false,
            }),
        },
        OpKind::DropSchema { name, .. } => drop_schema(before, name, span),
        OpKind::CreateEnum { name, .. } => one(OpKind::DropEnum { name: name.clone() }),
        OpKind::DropEnum { name } => Ok(enum_of(before, name)
            .map(|e| {
                op(
                    OpKind::CreateEnum {
                        name: name.clone(),
                        values: e.values.clone(),
                    },
                    span,
                )
            })
            .into_iter()
            .collect()),
        OpKind::AddEnumValue { name, value, .. } => Err(vec![irreversible(
            "E0261",
            format!(
                "cannot derive a downgrade for adding value '{value}' to enum {}",
                name.display()
            ),
            span,
            "PostgreSQL cannot drop a value from an enum type; write a downgrade block \
             (for example re-create the type without the value)",
        )]),
        OpKind::SetTableComment { table: q, .. } => Ok(table(before, q)
            .map(|t| {
                op(
                    OpKind::SetTableComment {
                        table: q.clone(),
                        comment: t.comment.clone(),
                    },
                    span,
                )
            })
            .into_iter()
            .collect()),
        OpKind::Execute(e) => {
            // Undoing the derived `execute` re-runs the original, when it is one text.
            let redo = e.per_dialect.is_empty().then(|| e.sql.clone()).flatten();
            reverse_sql(e.reverse.as_ref(), "execute", redo, span)
        }
        OpKind::Backfill(b) => reverse_sql(b.reverse.as_ref(), "backfill", None, span),
        OpKind::BulkInsert { table: q, .. } => {
            Err(vec![irreversible(
            "E0262",
            format!("cannot derive a downgrade for bulk_insert into {}", q.display()),
            span,
            "the inserted rows may have changed since; write a downgrade block that deletes them",
        )])
        }
        OpKind::BatchAlterTable { .. } => Err(vec![Diagnostic::internal(
            "batch_alter_table inverted as a single operation",
        )]),
    }
}

fn table<'a>(s: &'a Schema, q: &QualifiedName) -> Option<&'a Table> {
    s.table(q.schema.as_ref().map(|i| i.value.as_str()), &q.name.value)
}

fn enum_of<'a>(s: &'a Schema, q: &QualifiedName) -> Option<&'a crate::model::EnumType> {
    s.enum_type(q.schema.as_ref().map(|i| i.value.as_str()), &q.name.value)
}

fn irreversible(code: &'static str, message: String, span: Span, help: &str) -> Diagnostic {
    Diagnostic::error(code, message)
        .with_span(span, "no derived downgrade for this operation")
        .with_help(help.to_string())
}

fn reverse_sql(r: Option<&Reverse>, what: &str, redo: Option<ir::SqlText>, span: Span) -> Inverse {
    match r {
        Some(Reverse::Nothing) => Ok(vec![]),
        Some(Reverse::Sql(sql)) => Ok(vec![op(
            OpKind::Execute(Execute {
                sql: Some(sql.clone()),
                per_dialect: Vec::new(),
                reverse: redo.map(Reverse::Sql),
            }),
            span,
        )]),
        None => Err(vec![irreversible(
            "E0260",
            format!("cannot derive a downgrade for this {what}"),
            span,
            "say `reverse \"SQL\"` or `reverse none`, or write a downgrade block",
        )]),
    }
}

/// `add_column` with the dropped column's definition, then the primary key,
/// constraints and indexes the drop removed with it.
fn restore_column(t: &Table, q: &QualifiedName, column: &str, span: Span) -> Vec<Op> {
    let Some(c) = t.column(column) else {
        return Vec::new();
    };
    let deps = t.column_dependants(column);
    let mut ops = vec![op(
        OpKind::AddColumn {
            table: q.clone(),
            column: column_def(c, span),
        },
        span,
    )];
    let pk = t.primary_key.iter().filter(|_| deps.primary_key);
    let mut constraints: Vec<TableConstraint> = pk.map(|p| to_ir::primary_key(p, span)).collect();
    constraints.extend(
        deps.constraints
            .iter()
            .filter_map(|n| t.constraint(n))
            .map(|c| to_ir::constraint(c, span)),
    );
    constraints.sort_by_key(rank);
    ops.extend(constraints.into_iter().map(|constraint| {
        op(
            OpKind::AddConstraint {
                table: q.clone(),
                constraint,
            },
            span,
        )
    }));
    let indexes = deps.indexes.iter().filter_map(|n| t.indexes.get(n));
    ops.extend(indexes.map(|i| to_ir::create_index(t, i, false, span)));
    ops
}

/// Keys before the foreign keys that may reference them.
fn rank(c: &TableConstraint) -> u8 {
    match c.kind {
        ir::ConstraintKind::PrimaryKey { .. } => 0,
        ir::ConstraintKind::Unique { .. } => 1,
        ir::ConstraintKind::Check { .. } => 2,
        ir::ConstraintKind::ForeignKey { .. } => 3,
    }
}

/// Each change undone using the column as it was just before that change, last
/// change first. `type` inverts without `USING` (see the module doc).
fn invert_alter(
    q: &QualifiedName,
    before: &Column,
    changes: &[ColumnChange],
    span: Span,
) -> Option<Op> {
    let mut cur = before.clone();
    let mut undo = Vec::new();
    for ch in changes {
        let restore_default = || match &cur.default {
            Some(d) => ColumnChange::SetDefault(d.clone()),
            None => ColumnChange::DropDefault,
        };
        let inv = match ch {
            ColumnChange::SetNotNull => cur.nullable.then_some(ColumnChange::DropNotNull),
            ColumnChange::DropNotNull => (!cur.nullable).then_some(ColumnChange::SetNotNull),
            ColumnChange::SetType { .. } => Some(ColumnChange::SetType {
                ty: cur.ty.clone(),
                using: None,
            }),
            ColumnChange::SetDefault(_) | ColumnChange::DropDefault => Some(restore_default()),
            ColumnChange::Rename(_) => Some(ColumnChange::Rename(ident(&cur.name, span))),
            ColumnChange::Comment(_) => Some(ColumnChange::Comment(cur.comment.clone())),
        };
        undo.extend(inv);
        simulate(&mut cur, ch);
    }
    if undo.is_empty() {
        return None;
    }
    undo.reverse();
    Some(op(
        OpKind::AlterColumn {
            table: q.clone(),
            column: Ident::new(cur.name.clone(), span),
            changes: undo,
        },
        span,
    ))
}

/// The column after one (valid) change.
fn simulate(c: &mut Column, ch: &ColumnChange) {
    match ch {
        ColumnChange::SetNotNull => c.nullable = false,
        ColumnChange::DropNotNull => c.nullable = true,
        ColumnChange::SetType { ty, .. } => c.ty = ty.clone(),
        ColumnChange::SetDefault(d) => c.default = Some(d.clone()),
        ColumnChange::DropDefault => c.default = None,
        ColumnChange::Rename(n) => c.name.clone_from(&n.value),
        ColumnChange::Comment(text) => c.comment.clone_from(text),
    }
}

fn create_index(before: &Schema, ci: &ir::CreateIndex, span: Span) -> Inverse {
    let schema = ci.table.schema.as_ref().map(|s| s.value.as_str());
    let exists = before.find_index(schema, &ci.name.value).is_some()
        || before.table(schema, &ci.name.value).is_some();
    if exists && ci.if_not_exists {
        return Ok(vec![]);
    }
    Ok(vec![op(
        OpKind::DropIndex {
            name: QualifiedName {
                schema: ci.table.schema.clone(),
                name: ci.name.clone(),
            },
            table: Some(ci.table.clone()),
            concurrently: ci.concurrently,
            if_exists: false,
        },
        span,
    )])
}

fn drop_index(
    before: &Schema,
    name: &QualifiedName,
    q: Option<&QualifiedName>,
    concurrently: bool,
    span: Span,
) -> Vec<Op> {
    let found = match q {
        Some(q) => table(before, q).and_then(|t| Some((t, t.indexes.get(&name.name.value)?))),
        None => {
            let schema = name.schema.as_ref().map(|s| s.value.as_str());
            before
                .find_index(schema, &name.name.value)
                .and_then(|(k, i)| Some((before.table(k.0.as_deref(), &k.1)?, i)))
        }
    };
    found
        .map(|(t, i)| to_ir::create_index(t, i, concurrently, span))
        .into_iter()
        .collect()
}

/// `drop_constraint`, and for a primary key, `drop not null` on the columns it made NOT NULL.
fn add_constraint(
    before: &Schema,
    q: &QualifiedName,
    c: &TableConstraint,
    limits: &Limits,
    span: Span,
) -> Vec<Op> {
    let Some(name) = before.constraint_name_for(q, c, limits) else {
        return Vec::new();
    };
    let mut ops = vec![op(
        OpKind::DropConstraint {
            table: q.clone(),
            name: ident(&name, span),
        },
        span,
    )];
    if let (ir::ConstraintKind::PrimaryKey { columns }, Some(t)) = (&c.kind, table(before, q)) {
        for col in columns {
            if t.column(&col.value).is_some_and(|c| c.nullable) {
                ops.push(op(
                    OpKind::AlterColumn {
                        table: q.clone(),
                        column: ident(&col.value, span),
                        changes: vec![ColumnChange::DropNotNull],
                    },
                    span,
                ));
            }
        }
    }
    ops
}

fn restore_constraint(t: &Table, q: &QualifiedName, name: &str, span: Span) -> Option<Op> {
    let constraint = match &t.primary_key {
        Some(pk) if pk.name == name => to_ir::primary_key(pk, span),
        _ => to_ir::constraint(t.constraint(name)?, span),
    };
    Some(op(
        OpKind::AddConstraint {
            table: q.clone(),
            constraint,
        },
        span,
    ))
}

fn drop_schema(before: &Schema, name: &Ident, span: Span) -> Inverse {
    if !before.has_schema(&name.value) {
        return Ok(vec![]);
    }
    let inside = Some(name.value.clone());
    let holds =
        before.tables.keys().any(|k| k.0 == inside) || before.enums.keys().any(|k| k.0 == inside);
    if holds {
        return Err(vec![irreversible(
            "E0263",
            format!(
                "cannot derive a downgrade for dropping schema {} with everything in it",
                name.value
            ),
            span,
            "drop its tables and types with their own operations first, or write a downgrade block",
        )]);
    }
    Ok(vec![op(
        OpKind::CreateSchema {
            name: name.clone(),
            if_not_exists: false,
        },
        span,
    )])
}
