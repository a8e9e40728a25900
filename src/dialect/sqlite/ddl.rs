//! SQL for model objects: a table's `CREATE TABLE` with every constraint inline,
//! its column definitions, and its indexes. Used both when a table is created and
//! when it is rebuilt, so a rebuilt table reads exactly like a new one.
//!
//! Primary key: a one-column INTEGER key with `autoincrement` is written on the
//! column (`"id" INTEGER CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT`), the
//! only form SQLite accepts; every other key is a table constraint. An INTEGER
//! one-column key is the rowid either way.

use super::{errors, literal, memo, quote, templates, types};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::dialect::templates::{args, Arg};
use crate::ir::{ColumnType, Default, Deferrable};
use crate::model::{Column, Constraint, ConstraintKind, Index, IndexElement, Schema, Table};
use crate::source::Span;

/// `CREATE TABLE name (...)` for `table`, created under `name` (its own name, or the
/// temporary name of a rebuild). `schema` is the model the table belongs to (for enums).
pub fn create_table(
    table: &Table,
    name: &str,
    schema: &Schema,
    if_not_exists: bool,
    span: Span,
) -> Result<String, Vec<Diagnostic>> {
    /// Where a line is: remembered in the table's lines, or rendered apart.
    enum Line {
        Column(usize),
        Constraint(usize),
        Own(String),
    }
    let mut diags = Diagnostics::new();
    let mut places = Vec::with_capacity(table.columns.len() + table.constraints.len() + 1);
    let inline_pk = inline_pk_column(table);
    let pk_name = table.primary_key.as_ref().map(|pk| pk.name.as_str());
    // The table's remembered lines, looked up once for all of them, and the
    // statement written from them in place (no copy of a line).
    let sql = memo::table_lines(&table.name, |memo| {
        for (i, col) in table.columns.values().enumerate() {
            let is_pk = inline_pk == Some(col.name.as_str());
            let render = || render_column(table, col, schema, is_pk, Vec::new(), span);
            let line = if remembered_column(col) {
                memo.column_at(i, col, is_pk, pk_name, render)
                    .map(Line::Column)
            } else {
                render().map(Line::Own)
            };
            match line {
                Ok(line) => places.push(line),
                Err(d) => diags.push(d),
            }
        }
        if let Some(pk) = &table.primary_key {
            if inline_pk.is_none() {
                let name = quote::ident(&pk.name);
                let columns = quote::ident_list(&pk.columns);
                let line = ConstraintArgs {
                    primary_key: true,
                    ..ConstraintArgs::new(&name, &columns)
                }
                .render();
                match line {
                    Ok(line) => places.push(Line::Own(line)),
                    Err(d) => diags.push(d),
                }
            }
        }
        for (i, c) in table.constraints.values().enumerate() {
            match memo.constraint_at(i, c, || constraint_def(c)) {
                Ok(at) => places.push(Line::Constraint(at)),
                Err(d) => diags.push(d),
            }
        }
        let lines: Vec<&str> = places
            .iter()
            .map(|p| match p {
                Line::Column(at) => memo.column_text(*at),
                Line::Constraint(at) => memo.constraint_text(*at),
                Line::Own(line) => line.as_str(),
            })
            .collect();
        templates::render(
            "create_table",
            args! { if_not_exists, table => &quote::ident(name), lines => &lines },
        )
    })
    .unwrap_or_else(|d| {
        diags.push(d);
        String::new()
    });
    diags.finish(sql)
}

/// The column that carries the primary key inline: the one-column key of an
/// autoincrement column.
fn inline_pk_column(table: &Table) -> Option<&str> {
    let pk = table.primary_key.as_ref()?;
    match pk.columns.as_slice() {
        [only] if table.columns.get(only)?.identity.is_some() => Some(only),
        _ => None,
    }
}

/// One column definition, e.g. `"email" VARCHAR(255) NOT NULL DEFAULT 'x'`, followed by
/// `extra` column constraints (already rendered).
pub fn column_def_with(
    table: &Table,
    col: &Column,
    schema: &Schema,
    extra: Vec<String>,
    span: Span,
) -> Result<String, Diagnostic> {
    let inline_pk = inline_pk_column(table) == Some(col.name.as_str());
    // Extra constraints are not part of the column: not remembered by column.
    if !remembered_column(col) || !extra.is_empty() {
        return render_column(table, col, schema, inline_pk, extra, span);
    }
    let pk_name = table.primary_key.as_ref().map(|pk| pk.name.as_str());
    memo::column_line(&table.name, col, inline_pk, pk_name, || {
        render_column(table, col, schema, inline_pk, extra, span)
    })
}

/// Whether a column's line may be remembered: an enum column's text depends on
/// the schema, so it is not.
fn remembered_column(col: &Column) -> bool {
    !matches!(col.ty, ColumnType::Enum { .. })
}

fn render_column(
    table: &Table,
    col: &Column,
    schema: &Schema,
    inline_pk: bool,
    extra: Vec<String>,
    span: Span,
) -> Result<String, Diagnostic> {
    let ty = types::declared(&col.ty, schema).map_err(|e| errors::bad_type(e, &col.name, span))?;
    let check = types::enum_check(&col.name, &col.ty, schema)
        .map_err(|e| errors::bad_type(e, &col.name, span))?;
    if col.identity.is_some() && !(inline_pk && types::is_integer(&col.ty)) {
        return Err(errors::bad_identity(&table.name, &col.name, span));
    }
    let pk_name = table
        .primary_key
        .as_ref()
        .map(|pk| quote::ident(&pk.name))
        .unwrap_or_default();
    let name = quote::ident(&col.name);
    let default = default_sql(col.default.as_ref()).map_err(|e| errors::bad_literal(e, span))?;
    let check = check.unwrap_or_default();
    templates::render(
        "column",
        args! {
            name => &name, type => &*ty, primary_key => inline_pk, pk_name => &pk_name,
            autoincrement => inline_pk, not_null => !col.nullable, default => &default,
            check => &check, extra => &extra,
        },
    )
}

/// `DEFAULT` text: a bound literal, or the expression in parentheses (SQLite
/// requires them around any default that is not a literal; a text literal with a
/// `\r` is already such an expression). Empty: no default.
pub fn default_sql(default: Option<&Default>) -> Result<String, String> {
    match default {
        None => Ok(String::new()),
        Some(Default::Literal(lit)) => literal::bind(lit),
        Some(Default::Expression(e)) => Ok(format!("({e})")),
    }
}

/// One table constraint, e.g. `CONSTRAINT "uq" UNIQUE ("email")`.
pub fn constraint_def(c: &Constraint) -> Result<String, Diagnostic> {
    render_constraint(c, "foreign_key")
}

/// The constraint written on its one column (`ALTER TABLE ... ADD COLUMN` accepts
/// only column constraints): a CHECK, or a one-column foreign key. `None` for
/// anything else.
pub fn column_constraint(c: &Constraint, column: &str) -> Option<Result<String, Diagnostic>> {
    match &c.kind {
        ConstraintKind::Check { .. } => Some(render_constraint(c, "foreign_key")),
        ConstraintKind::ForeignKey { columns, .. } if matches!(columns.as_slice(), [only] if only == column) => {
            Some(render_constraint(c, "column_references"))
        }
        _ => None,
    }
}

/// What `constraint.sql.j2` reads: every name, empty or false when unused, so
/// the template's substitution renders every kind.
struct ConstraintArgs<'a> {
    name: &'a str,
    primary_key: bool,
    columns: &'a str,
    unique: bool,
    check: bool,
    expr: &'a str,
    foreign_key: bool,
    references: bool,
    ref_table: &'a str,
    ref_columns: &'a str,
    on_delete: &'a str,
    on_update: &'a str,
    deferrable: &'a str,
}

impl<'a> ConstraintArgs<'a> {
    fn new(name: &'a str, columns: &'a str) -> Self {
        ConstraintArgs {
            name,
            primary_key: false,
            columns,
            unique: false,
            check: false,
            expr: "",
            foreign_key: false,
            references: false,
            ref_table: "",
            ref_columns: "",
            on_delete: "",
            on_update: "",
            deferrable: "",
        }
    }

    fn render(&self) -> Result<String, Diagnostic> {
        let a = self;
        templates::render(
            "constraint",
            &[
                ("name", Arg::Str(a.name)),
                ("primary_key", Arg::Bool(a.primary_key)),
                ("columns", Arg::Str(a.columns)),
                ("unique", Arg::Bool(a.unique)),
                ("check", Arg::Bool(a.check)),
                ("expr", Arg::Str(a.expr)),
                ("foreign_key", Arg::Bool(a.foreign_key)),
                ("references", Arg::Bool(a.references)),
                ("ref_table", Arg::Str(a.ref_table)),
                ("ref_columns", Arg::Str(a.ref_columns)),
                ("on_delete", Arg::Str(a.on_delete)),
                ("on_update", Arg::Str(a.on_update)),
                ("deferrable", Arg::Str(a.deferrable)),
            ],
        )
    }
}

fn render_constraint(c: &Constraint, fk_kind: &str) -> Result<String, Diagnostic> {
    let name = quote::ident(&c.name);
    match &c.kind {
        ConstraintKind::Unique { columns } => {
            let columns = quote::ident_list(columns);
            ConstraintArgs {
                unique: true,
                ..ConstraintArgs::new(&name, &columns)
            }
            .render()
        }
        ConstraintKind::Check { expr } => ConstraintArgs {
            check: true,
            expr,
            ..ConstraintArgs::new(&name, "")
        }
        .render(),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
            deferrable,
            ..
        } => {
            let columns = quote::ident_list(columns);
            let ref_table = quote::ident(ref_table);
            let ref_columns = quote::ident_list(ref_columns);
            let on_delete = on_delete.map(|a| a.sql()).unwrap_or_default();
            let on_update = on_update.map(|a| a.sql()).unwrap_or_default();
            let deferrable = deferrable.map(deferrable_sql).unwrap_or_default();
            ConstraintArgs {
                foreign_key: fk_kind == "foreign_key",
                references: true,
                ref_table: &ref_table,
                ref_columns: &ref_columns,
                on_delete,
                on_update,
                deferrable,
                ..ConstraintArgs::new(&name, &columns)
            }
            .render()
        }
    }
}

fn deferrable_sql(d: Deferrable) -> &'static str {
    match d {
        Deferrable::Immediate => "DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::Deferred => "DEFERRABLE INITIALLY DEFERRED",
    }
}

/// `CREATE [UNIQUE] INDEX name ON table (...) [WHERE ...]`.
pub fn create_index(index: &Index, table: &str, if_not_exists: bool) -> Result<String, Diagnostic> {
    let elements = index
        .elements
        .iter()
        .map(|e| match e {
            IndexElement::Column {
                name,
                descending: true,
            } => format!("{} DESC", quote::ident(name)),
            IndexElement::Column { name, .. } => quote::ident(name),
            IndexElement::Expression(expr) => format!("({expr})"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let name = quote::ident(&index.name);
    let table = quote::ident(table);
    let where_clause = index.where_clause.as_deref().unwrap_or_default();
    templates::render(
        "create_index",
        args! {
            unique => index.unique, if_not_exists, name => &name, table => &table,
            elements => &elements, where_clause,
        },
    )
}
