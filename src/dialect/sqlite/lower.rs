//! Lowering of every operation but table alterations (see [`super::alter`]).

use super::rebuild::{Rebuild, Sources};
use super::{after, alter, columns, ddl, errors, literal, names, native, quote, templates};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::dialect::templates::{args, Arg};
use crate::dialect::Statement;
use crate::ir::{
    Backfill, ColumnType, CreateIndex, CreateTable, Dialect, Execute, Ident, IndexElement, Literal,
    Op, OpKind, QualifiedName,
};
use crate::model::{self, Schema, Table};

type Version = (u32, u32, u32);
type Lowered = Result<Vec<Statement>, Vec<Diagnostic>>;

/// Rows per `INSERT ... VALUES` statement of a `bulk_insert` (SQLite's default
/// compound-select limit is 500).
pub const BULK_CHUNK: usize = 500;

pub fn lower(op: &Op, before: &Schema, min_version: Version) -> Lowered {
    match &op.kind {
        OpKind::CreateTable(ct) => create_table(ct, op, before),
        OpKind::DropTable { table } => one("drop_table", args! { table => &q(table) })
            .map(|s| s.into_iter().map(Statement::destructive).collect()),
        OpKind::RenameTable { table, new_name } => one(
            "rename_table",
            args! { table => &q(table), new_name => &quote::ident(new_name.as_str()) },
        ),
        OpKind::AddColumn { table, column } => {
            let problems = add_column_problems(table, column);
            if !problems.is_empty() {
                return Err(problems);
            }
            alter::lower(
                table,
                std::slice::from_ref(op),
                before,
                min_version,
                op.span,
            )
        }
        OpKind::DropColumn { table, .. }
        | OpKind::AlterColumn { table, .. }
        | OpKind::AddConstraint { table, .. }
        | OpKind::DropConstraint { table, .. }
        | OpKind::BatchAlterTable { table, .. } => alter::lower(
            table,
            std::slice::from_ref(op),
            before,
            min_version,
            op.span,
        ),
        OpKind::CreateIndex(_) => index_op(op).unwrap_or_else(|| Ok(Vec::new())),
        OpKind::DropIndex { .. } => index_op(op).unwrap_or_else(|| Ok(Vec::new())),
        OpKind::CreateSchema { name, .. } if names::is_main(name.as_str()) => {
            comment("schema main: SQLite's main database always exists; nothing to create")
        }
        OpKind::CreateSchema { .. } | OpKind::DropSchema { .. } => {
            Err(vec![errors::no_schemas(op.span)])
        }
        OpKind::CreateEnum { name, values } => comment(&format!(
            "enum {} ({}): SQLite has no enum types; columns of this type get a CHECK",
            name.display(),
            values.join(", ")
        )),
        OpKind::DropEnum { name } => comment(&format!(
            "drop enum {}: SQLite has no enum types; nothing to drop",
            name.display()
        )),
        OpKind::AddEnumValue { name, .. } => add_enum_value(name, op, before),
        OpKind::SetTableComment {
            table,
            comment: text,
        } => comment(&match text {
            Some(t) => format!("comment on table {}: {t}", q(table)),
            None => format!("comment on table {} removed", q(table)),
        }),
        OpKind::Execute(ex) => execute(ex),
        OpKind::BulkInsert {
            table,
            columns,
            rows,
        } => bulk_insert(table, columns, rows, op),
        OpKind::Backfill(b) => backfill(b),
    }
}

/// Lower an alteration of one table while applying it to `model` (the driver's:
/// no copy, no second application). `None` for any other operation, and for an
/// alteration with problems of its own, which the driver reports the usual way
/// (the model's errors first).
pub fn alteration_in_place(op: &Op, model: &mut Schema, min_version: Version) -> Option<Lowered> {
    let table = super::prepare::altered_table(op)?;
    if let OpKind::AddColumn { column, .. } = &op.kind {
        if !add_column_problems(table, column).is_empty() {
            return None;
        }
    }
    Some(alter::lower_in_place(
        table,
        std::slice::from_ref(op),
        model,
        min_version,
        op.span,
    ))
}

/// What SQLite cannot do with the column an `add_column` adds.
fn add_column_problems(table: &QualifiedName, column: &crate::ir::ColumnDef) -> Vec<Diagnostic> {
    let pk: Vec<&str> = column
        .primary_key
        .then_some(column.name.as_str())
        .into_iter()
        .collect();
    columns::check(table.name.as_str(), column, &pk)
}

fn q(name: &QualifiedName) -> String {
    quote::ident(name.name.as_str())
}

fn one(template: &str, args: &[(&str, Arg<'_>)]) -> Lowered {
    templates::render(template, args)
        .map(|s| vec![Statement::new(s)])
        .map_err(|d| vec![d])
}

fn comment(text: &str) -> Lowered {
    native::comment(text)
        .map(|s| vec![Statement::new(s)])
        .map_err(|d| vec![d])
}

fn concurrently_note(concurrently: bool) -> Lowered {
    if concurrently {
        comment("CONCURRENTLY ignored: SQLite has no concurrent index builds")
    } else {
        Ok(Vec::new())
    }
}

fn create_table(ct: &CreateTable, op: &Op, before: &Schema) -> Lowered {
    // The model's table, built without copying the model; the copy only when the
    // table exists already (`if_not_exists`) or the model refuses (its errors).
    let created = before.created_table(ct, &crate::model::Limits::SQLITE, op.span);
    let after_model;
    let (table, schema) = match &created {
        Some(t) => (t, before),
        None => {
            after_model = after::apply(before, op)?;
            let table = names::table(&after_model, &ct.table).ok_or_else(|| {
                vec![Diagnostic::internal(
                    "a created table is missing from the model",
                )]
            })?;
            (table, &after_model)
        }
    };
    create_table_from(ct, op, table, schema)
}

/// The statements of `create_table` `ct`, given the table it creates and the
/// model (before or after: enums, all the DDL reads of the rest of the model,
/// are the same).
pub fn create_table_from(ct: &CreateTable, op: &Op, table: &Table, schema: &Schema) -> Lowered {
    let problems = columns::check_create(ct);
    if !problems.is_empty() {
        return Err(problems);
    }
    let sql = ddl::create_table(table, &table.name, schema, ct.if_not_exists, op.span)?;
    let mut out = vec![Statement::new(sql)];
    if let Some(text) = &table.comment {
        out.extend(comment(&format!(
            "comment on table {}: {text}",
            quote::ident(&table.name)
        ))?);
    }
    for col in table.columns.values() {
        if let Some(text) = &col.comment {
            let line = native::column_comment(&table.name, &col.name, Some(text));
            out.push(Statement::new(line.map_err(|d| vec![d])?));
        }
    }
    Ok(out)
}

/// `create_index` / `drop_index` (also inside a batch); `None` for other operations.
pub fn index_op(op: &Op) -> Option<Lowered> {
    match &op.kind {
        OpKind::CreateIndex(ci) => Some(create_index(ci)),
        OpKind::DropIndex {
            name,
            concurrently,
            if_exists,
            ..
        } => Some(concurrently_note(*concurrently).and_then(|mut out| {
            out.extend(one(
                "drop_index",
                args! { if_exists => *if_exists, name => &q(name) },
            )?);
            Ok(out)
        })),
        _ => None,
    }
}

fn create_index(ci: &CreateIndex) -> Lowered {
    let index = model::Index {
        name: ci.name.value.clone(),
        unique: ci.unique,
        elements: ci
            .elements
            .iter()
            .map(|e| match e {
                IndexElement::Column { name, descending } => model::IndexElement::Column {
                    name: name.value.clone(),
                    descending: *descending,
                },
                IndexElement::Expression(x) => model::IndexElement::Expression(x.text.clone()),
            })
            .collect(),
        where_clause: ci.where_clause.as_ref().map(|w| w.text.clone()),
    };
    let mut out = concurrently_note(ci.concurrently)?;
    let sql = ddl::create_index(&index, ci.table.name.as_str(), ci.if_not_exists);
    out.push(Statement::new(sql.map_err(|d| vec![d])?));
    Ok(out)
}

/// Widening an enum widens the CHECK of every column of that type: one rebuild
/// per table that has such a column.
fn add_enum_value(name: &QualifiedName, op: &Op, before: &Schema) -> Lowered {
    let uses = |t: &model::Table| {
        t.columns.values().any(|c| {
            matches!(&c.ty, ColumnType::Enum { name: n, schema: None } if n == name.name.as_str())
        })
    };
    if !before.tables.values().any(|t| uses(t)) {
        // No rebuild, so no model after the operation to build; the model's own
        // checks of the operation run where the caller applies it.
        return unused_enum(name);
    }
    let after_model = after::apply(before, op)?;
    let mut out = Vec::new();
    for (key, table) in before.tables.iter().filter(|(_, t)| uses(t)) {
        let after_table = after_model.tables.get(key).ok_or_else(|| {
            vec![Diagnostic::internal(
                "enum table missing after add_enum_value",
            )]
        })?;
        out.extend(
            Rebuild {
                before: table,
                after_schema: &after_model,
                after: after_table,
                sources: &Sources::new(table),
                reason: format!("change the CHECK of enum {} columns", name.display()),
                destructive: false,
                span: op.span,
            }
            .statements()?,
        );
    }
    if out.is_empty() {
        return unused_enum(name);
    }
    Ok(out)
}

fn unused_enum(name: &QualifiedName) -> Lowered {
    comment(&format!(
        "enum {}: value added; no column uses it yet",
        name.display()
    ))
}

/// The SQLite text wins over the text for every dialect; with neither, a comment.
fn execute(ex: &Execute) -> Lowered {
    let sql = ex
        .per_dialect
        .iter()
        .find(|(d, _)| *d == Dialect::Sqlite)
        .map(|(_, s)| s)
        .or(ex.sql.as_ref());
    match sql {
        Some(s) => Ok(vec![Statement::new(
            s.text.trim_end().trim_end_matches(';').trim_end(),
        )]),
        None => comment("execute: no SQL for sqlite; nothing to run"),
    }
}

fn bulk_insert(
    table: &QualifiedName,
    columns: &[Ident],
    rows: &[Vec<Literal>],
    op: &Op,
) -> Lowered {
    let mut diags = Diagnostics::new();
    let mut out = Vec::new();
    let cols: Vec<&str> = columns.iter().map(Ident::as_str).collect();
    for chunk in rows.chunks(BULK_CHUNK) {
        let mut bound = Vec::new();
        for row in chunk {
            match row.iter().map(literal::bind).collect::<Result<Vec<_>, _>>() {
                Ok(vals) => bound.push(vals.join(", ")),
                Err(why) => diags.push(errors::bad_literal(why, op.span)),
            }
        }
        let (table, columns) = (q(table), quote::ident_list(&cols));
        let args = args! { table => &table, columns => &columns, rows => &bound };
        match templates::render("insert_values", args) {
            Ok(sql) => out.push(Statement::new(sql)),
            Err(d) => diags.push(d),
        }
    }
    diags.finish(out)
}

fn backfill(b: &Backfill) -> Lowered {
    let mut out = comment(&format!(
        "backfill {}: one UPDATE (SQLite has no procedural loop; batch {} ignored)",
        q(&b.table),
        b.batch_size
    ))?;
    out.extend(one(
        "backfill",
        args! { table => &q(&b.table), set => &b.set.text,
        where_clause => &b.where_clause.text },
    )?);
    Ok(out)
}
