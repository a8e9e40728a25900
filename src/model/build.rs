//! Turning IR pieces (column definitions, table constraints, index definitions) into
//! model values, checking them against the model on the way.
//!
//! Everything here takes the table being built or edited (`t`) separately from the
//! schema: during `create_table` and `batch_alter_table` the table in the schema is
//! absent or stale, and `t` is the truth. Nothing here mutates the schema.

use super::errors::{self, duplicate, list_help, unknown_column};
use super::literal::check_fits;
use super::names::{constraint_entries, pk_entries, relation_names, Entry, KeyRef};
use super::naming::{choose_name, column_addition};
use super::sqlscan::mentioned_columns;
use super::{Column, Constraint, ConstraintKind, Limits, PrimaryKey, Schema, Table};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{self, ColumnType, ForeignKeyRef, Ident, QualifiedName, TableConstraint};
use crate::source::Span;

/// What checks need besides the table: the schema, the dialect limits and the
/// span of the operation (for errors about the operation as a whole).
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub schema: &'a Schema,
    pub limits: &'a Limits,
    pub span: Span,
}

pub(crate) fn qkey(q: &QualifiedName) -> KeyRef<'_> {
    KeyRef(q.schema.as_ref().map(|s| s.value.as_str()), &q.name.value)
}

/// E0230 when a new name is longer than the dialect allows.
pub(crate) fn check_len(cx: &Cx, ident: &Ident, what: &str, diags: &mut Diagnostics) {
    if let Some(max) = cx.limits.max_identifier_len {
        if ident.value.len() > max {
            diags.push(errors::too_long(ident, what, max));
        }
    }
}

/// Whether `name` is taken in the relation namespace of `t`'s schema (tables,
/// indexes, the indexes behind primary keys and unique constraints).
pub(crate) fn relation_taken(cx: &Cx, t: &Table, name: &str) -> bool {
    let schema = t.schema.as_deref();
    name == t.name
        || cx.schema.tables.contains_key(&KeyRef(schema, name))
        || cx
            .schema
            .names
            .relation_owner(schema, name)
            .is_some_and(|owner| owner != t.name)
        || relation_names(t).any(|r| r == name)
}

/// Whether a constraint anywhere in `t`'s schema uses `name` (PostgreSQL avoids
/// those when it picks a default name).
fn constraint_name_used(cx: &Cx, t: &Table, name: &str) -> bool {
    let schema = t.schema.as_deref();
    let mut uses = cx.schema.names.constraint_uses(schema, name);
    // In a batch the table's old names are still indexed; `t` is the truth for it.
    if let Some(old) = cx.schema.table(schema, &t.name) {
        if old.has_constraint_named(name) {
            uses = uses.saturating_sub(1);
        }
    }
    uses > 0 || t.has_constraint_named(name)
}

/// E0205 when `ty` names an enum the model does not know.
pub(crate) fn check_type(cx: &Cx, ty: &ColumnType, span: Span, diags: &mut Diagnostics) {
    if let ColumnType::Enum { name, schema } = ty {
        if cx.schema.enum_type(schema.as_deref(), name).is_none() {
            let what = match schema {
                Some(s) => format!("{s}.{name}"),
                None => name.clone(),
            };
            diags.push(unknown_enum(cx.schema, &what, span));
        }
    }
}

pub(crate) fn unknown_enum(schema: &Schema, what: &str, span: Span) -> Diagnostic {
    let known: Vec<String> = schema.enums.values().map(|e| e.name.clone()).collect();
    Diagnostic::error("E0205", format!("unknown enum type \"{what}\""))
        .with_span(span, "no such enum type at this revision")
        .with_help(list_help(
            "enum types known here",
            &known,
            "create it first with `create_enum NAME ('a', 'b')`",
        ))
}

pub(crate) fn is_integer(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    )
}

/// A column from its definition; inline constraints are left to [`inline_constraints`].
pub(crate) fn column(cx: &Cx, def: &ir::ColumnDef, diags: &mut Diagnostics) -> Column {
    check_len(cx, &def.name, "column", diags);
    check_type(cx, &def.ty, def.span, diags);
    let name = &def.name.value;
    if def.identity.is_some() && !is_integer(&def.ty) {
        diags.push(identity_type(name, &def.ty, def.span));
    }
    if def.nullable == Some(true) && def.primary_key {
        diags.push(nullable_pk(name, def.span));
    }
    if def.nullable == Some(true) && def.identity.is_some() {
        diags.push(nullable_identity(name, def.span));
    }
    if let Some(d) = &def.default {
        if def.identity.is_some() {
            diags.push(identity_default(name, def.span));
        }
        check_default(cx, d, &def.ty, def.span, diags);
    }
    Column {
        name: name.clone(),
        ty: def.ty.clone(),
        nullable: def.nullable.unwrap_or(true) && !def.primary_key && def.identity.is_none(),
        default: def.default.clone(),
        identity: def.identity,
        comment: def.comment.clone(),
    }
}

/// E0253 when a literal default does not fit the column type.
pub(crate) fn check_default(
    cx: &Cx,
    d: &ir::Default,
    ty: &ColumnType,
    span: Span,
    diags: &mut Diagnostics,
) {
    if let ir::Default::Literal(lit) = d {
        let e = match ty {
            ColumnType::Enum { name, schema } => cx.schema.enum_type(schema.as_deref(), name),
            _ => None,
        };
        if let Err(why) = check_fits(lit, ty, e) {
            diags.push(
                Diagnostic::error("E0253", format!("the default does not fit: {why}"))
                    .with_span(span, "default of the wrong type")
                    .with_help("give a default of the column's type, or `default sql \"EXPR\"`"),
            );
        }
    }
}

pub(crate) fn identity_type(column: &str, ty: &ColumnType, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0251",
        format!(
            "column \"{column}\" is {} but autoincrement/identity needs an integer type",
            ty.describe()
        ),
    )
    .with_span(span, "identity on a non-integer column")
    .with_help("use smallint, integer or bigint, or drop `autoincrement` / `identity`")
}

pub(crate) fn nullable_pk(column: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0250",
        format!("primary key column \"{column}\" cannot be nullable"),
    )
    .with_span(span, "nullable primary key column")
    .with_help("primary key columns are always NOT NULL; leave the column NOT NULL or drop the primary key first")
}

pub(crate) fn nullable_identity(column: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0252",
        format!("identity column \"{column}\" cannot be nullable"),
    )
    .with_span(span, "nullable identity column")
    .with_help("identity columns are always NOT NULL; leave the column NOT NULL")
}

pub(crate) fn identity_default(column: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0252",
        format!("identity column \"{column}\" cannot have a default"),
    )
    .with_span(span, "default on an identity column")
    .with_help("the identity generates the value; remove the default")
}

/// The table constraints a column's shorthands stand for (`primary_key`, `unique`,
/// `references`, `check` on the column), unnamed, in that order.
pub(crate) fn inline_constraints(def: &ir::ColumnDef) -> Vec<TableConstraint> {
    let cols = || vec![def.name.clone()];
    let mut out = Vec::new();
    let mut push = |kind, span| {
        out.push(TableConstraint {
            name: None,
            kind,
            span,
        })
    };
    if def.primary_key {
        push(ir::ConstraintKind::PrimaryKey { columns: cols() }, def.span);
    }
    if def.unique {
        push(ir::ConstraintKind::Unique { columns: cols() }, def.span);
    }
    if let Some(c) = &def.check {
        push(ir::ConstraintKind::Check { expr: c.clone() }, c.span);
    }
    if let Some(r) = &def.references {
        let kind = ir::ConstraintKind::ForeignKey {
            columns: cols(),
            references: r.clone(),
        };
        push(kind, r.span);
    }
    out
}

/// Rank used to add constraints in PostgreSQL's order: primary key, unique, check,
/// foreign keys last (they may reference the keys just made).
pub(crate) fn constraint_rank(c: &TableConstraint) -> u8 {
    match c.kind {
        ir::ConstraintKind::PrimaryKey { .. } => 0,
        ir::ConstraintKind::Unique { .. } => 1,
        ir::ConstraintKind::Check { .. } => 2,
        ir::ConstraintKind::ForeignKey { .. } => 3,
    }
}

/// A checked constraint ready to be added to a table.
pub(crate) enum Prepared {
    PrimaryKey(PrimaryKey),
    Other(Constraint),
    /// A `use_alter` foreign key whose target table does not exist yet.
    Deferred(Constraint, ForeignKeyRef),
}

/// A `use_alter` foreign key waiting for its target table (in the same revision).
#[derive(Debug, Clone)]
pub(crate) struct PendingFk {
    pub table: super::TableKey,
    pub constraint: String,
    pub r: ForeignKeyRef,
}

impl Prepared {
    /// Add to the table; a primary key makes its columns NOT NULL (as PostgreSQL does).
    /// A deferred foreign key comes back to be registered as pending.
    pub fn commit(self, t: &mut Table, added: &mut Vec<Entry>) -> Option<PendingFk> {
        match &self {
            Prepared::PrimaryKey(pk) => added.extend(pk_entries(pk)),
            Prepared::Other(c) | Prepared::Deferred(c, _) => added.extend(constraint_entries(c)),
        }
        self.add_to(t)
    }

    /// As [`Prepared::commit`], for a table not in the name index yet (it is
    /// indexed whole when added to the schema).
    pub fn add_to(self, t: &mut Table) -> Option<PendingFk> {
        match self {
            Prepared::PrimaryKey(pk) => {
                for c in &pk.columns {
                    if let Some(col) = t.columns_mut().get_mut(c) {
                        col.nullable = false;
                    }
                }
                t.primary_key = Some(pk);
            }
            Prepared::Other(c) => {
                t.constraints_mut().insert(c.name.clone(), c);
            }
            Prepared::Deferred(c, r) => {
                let pending = PendingFk {
                    table: t.key(),
                    constraint: c.name.clone(),
                    r,
                };
                t.constraints_mut().insert(c.name.clone(), c);
                return Some(pending);
            }
        }
        None
    }
}

/// Check a constraint against table `t` and name it. `reserved`: explicit names
/// of the same statement that a default name must avoid.
pub(crate) fn constraint(
    cx: &Cx,
    t: &Table,
    c: &TableConstraint,
    reserved: &[&str],
) -> Result<Prepared, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let kind = constraint_kind(cx, t, &c.kind, c.span, &mut diags);
    let name = match &c.name {
        Some(n) => {
            check_explicit_name(cx, t, n, &c.kind, &mut diags);
            n.value.clone()
        }
        None => default_name(cx, t, &c.kind, reserved),
    };
    let prepared = match kind {
        None => None,
        Some(ConstraintKindOrPk::Pk(columns)) => {
            Some(Prepared::PrimaryKey(PrimaryKey { name, columns }))
        }
        Some(ConstraintKindOrPk::Other(kind)) => Some(Prepared::Other(Constraint { name, kind })),
        Some(ConstraintKindOrPk::Deferred(kind, r)) => {
            Some(Prepared::Deferred(Constraint { name, kind }, r))
        }
    };
    match (diags.has_errors(), prepared) {
        (false, Some(p)) => Ok(p),
        (false, None) => Err(vec![Diagnostic::internal(
            "constraint check failed without an error",
        )]),
        (true, _) => Err(diags.into_vec()),
    }
}

fn check_explicit_name(
    cx: &Cx,
    t: &Table,
    n: &Ident,
    kind: &ir::ConstraintKind,
    diags: &mut Diagnostics,
) {
    check_len(cx, n, "constraint", diags);
    if t.has_constraint_named(&n.value) {
        diags.push(
            duplicate("E0213", "constraint", &n.value, n.span).with_help(format!(
                "table \"{}\" already has a constraint of that name; choose another name",
                t.display_name()
            )),
        );
    } else if is_index_backed(kind) && relation_taken(cx, t, &n.value) {
        diags.push(duplicate("E0212", "relation", &n.value, n.span).with_help(
            "a primary key or unique constraint is backed by an index of the same name, \
                 and an index or table of that name exists in the schema; choose another name",
        ));
    }
}

fn is_index_backed(kind: &ir::ConstraintKind) -> bool {
    matches!(
        kind,
        ir::ConstraintKind::PrimaryKey { .. } | ir::ConstraintKind::Unique { .. }
    )
}

/// PostgreSQL's default name (see [`super::naming`]).
pub(crate) fn default_name(
    cx: &Cx,
    t: &Table,
    kind: &ir::ConstraintKind,
    reserved: &[&str],
) -> String {
    let names = |cols: &[Ident]| {
        column_addition(&cols.iter().map(|c| c.value.as_str()).collect::<Vec<_>>())
    };
    let (addition, label) = match kind {
        ir::ConstraintKind::PrimaryKey { .. } => (None, "pkey"),
        ir::ConstraintKind::Unique { columns } => (Some(names(columns)), "key"),
        ir::ConstraintKind::ForeignKey { columns, .. } => (Some(names(columns)), "fkey"),
        ir::ConstraintKind::Check { expr } => {
            let cols = mentioned_columns(&expr.text, t.columns.keys().map(String::as_str));
            let only = match cols.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            };
            (only, "check")
        }
    };
    let relation = is_index_backed(kind);
    choose_name(&t.name, addition.as_deref(), label, |n| {
        reserved.contains(&n)
            || constraint_name_used(cx, t, n)
            || (relation && relation_taken(cx, t, n))
    })
}

enum ConstraintKindOrPk {
    Pk(Vec<String>),
    Other(ConstraintKind),
    Deferred(ConstraintKind, ForeignKeyRef),
}

fn constraint_kind(
    cx: &Cx,
    t: &Table,
    kind: &ir::ConstraintKind,
    span: Span,
    diags: &mut Diagnostics,
) -> Option<ConstraintKindOrPk> {
    match kind {
        ir::ConstraintKind::PrimaryKey { columns } => {
            if let Some(pk) = &t.primary_key {
                diags.push(
                    Diagnostic::error(
                        "E0217",
                        format!("table \"{}\" already has a primary key", t.display_name()),
                    )
                    .with_span(span, "a second primary key")
                    .with_help(format!(
                        "drop the existing one first: `drop_constraint {} on {}`",
                        pk.name,
                        t.display_name()
                    )),
                );
            }
            let cols = column_list(t, columns, diags);
            Some(ConstraintKindOrPk::Pk(cols))
        }
        ir::ConstraintKind::Unique { columns } => {
            let columns = column_list(t, columns, diags);
            Some(ConstraintKindOrPk::Other(ConstraintKind::Unique {
                columns,
            }))
        }
        ir::ConstraintKind::Check { expr } => {
            Some(ConstraintKindOrPk::Other(ConstraintKind::Check {
                expr: expr.text.clone(),
            }))
        }
        ir::ConstraintKind::ForeignKey {
            columns,
            references,
        } => {
            let cols = column_list(t, columns, diags);
            if cols.len() != columns.len() {
                return None;
            }
            super::fk::foreign_key(cx, t, cols, references, diags).map(|c| match c {
                super::fk::Checked::Ready(k) => ConstraintKindOrPk::Other(k),
                super::fk::Checked::Deferred(k) => {
                    ConstraintKindOrPk::Deferred(k, references.clone())
                }
            })
        }
    }
}

/// The named columns of `t`: E0202 for unknown ones, E0218 for repeats.
pub(crate) fn column_list(t: &Table, columns: &[Ident], diags: &mut Diagnostics) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(columns.len());
    for c in columns {
        if t.column(&c.value).is_none() {
            diags.push(unknown_column(t, c));
        } else if out.contains(&c.value) {
            diags.push(
                Diagnostic::error("E0218", format!("column \"{}\" is listed twice", c.value))
                    .with_span(c.span, "listed again here")
                    .with_help("list each column once"),
            );
        } else {
            out.push(c.value.clone());
        }
    }
    out
}

/// `schema.name` key of a qualified name, owned.
pub(crate) fn owned_key(q: &QualifiedName) -> super::TableKey {
    (
        q.schema.as_ref().map(|s| s.value.clone()),
        q.name.value.clone(),
    )
}

impl Schema {
    /// The name `constraint` gets when added to `table` now: its own name, or the
    /// default PostgreSQL would choose. `None` when the table does not exist.
    pub fn constraint_name_for(
        &self,
        table: &QualifiedName,
        constraint: &TableConstraint,
        limits: &Limits,
    ) -> Option<String> {
        if let Some(n) = &constraint.name {
            return Some(n.value.clone());
        }
        let t = self.tables.get(&qkey(table))?;
        let cx = Cx {
            schema: self,
            limits,
            span: constraint.span,
        };
        Some(default_name(&cx, t, &constraint.kind, &[]))
    }
}
