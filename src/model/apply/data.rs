//! `bulk_insert` and `backfill`: they change rows, not the schema, but are checked
//! against it (columns exist, literals fit, `not null` columns get a value).

use super::super::build::{column_list, Cx};
use super::super::literal::check_fits;
use super::super::{Column, Table};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{Backfill, ColumnType, Ident, Literal};
use crate::source::Span;

/// More errors than this in one `bulk_insert` are summarised.
const MAX_ROW_ERRORS: usize = 10;

pub(super) fn bulk_insert(
    cx: &Cx,
    t: &Table,
    columns: &[Ident],
    rows: &[Vec<Literal>],
) -> Result<(), Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let names = column_list(t, columns, &mut diags);
    if diags.has_errors() {
        return Err(diags.into_vec());
    }
    missing_required(t, &names, cx.span, &mut diags);
    let cols: Vec<&Column> = names.iter().filter_map(|n| t.column(n)).collect();
    let mut row_errors = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        check_row(cx, &cols, i + 1, row, &mut row_errors);
    }
    let extra = row_errors.len().saturating_sub(MAX_ROW_ERRORS);
    row_errors.truncate(MAX_ROW_ERRORS);
    if extra > 0 {
        if let Some(last) = row_errors.pop() {
            row_errors.push(last.with_note(format!("{extra} more errors in this bulk_insert")));
        }
    }
    diags.extend(row_errors);
    diags.finish(())
}

/// E0255 for a `not null` column without default or identity left out of the list.
fn missing_required(t: &Table, names: &[String], span: Span, diags: &mut Diagnostics) {
    for c in t.columns.values() {
        if !c.nullable && c.default.is_none() && c.identity.is_none() && !names.contains(&c.name) {
            diags.push(
                Diagnostic::error(
                    "E0255",
                    format!(
                        "column \"{}\" of \"{}\" is not null and has no default",
                        c.name,
                        t.display_name()
                    ),
                )
                .with_span(span, "this insert gives it no value")
                .with_help(format!("add \"{}\" to the column list", c.name)),
            );
        }
    }
}

fn check_row(cx: &Cx, cols: &[&Column], n: usize, row: &[Literal], out: &mut Vec<Diagnostic>) {
    if row.len() != cols.len() {
        out.push(
            Diagnostic::error(
                "E0254",
                format!(
                    "row {n} has {} values but {} columns are listed",
                    row.len(),
                    cols.len()
                ),
            )
            .with_span(cx.span, format!("row {n}"))
            .with_help("give one value per listed column"),
        );
        return;
    }
    for (col, lit) in cols.iter().zip(row) {
        if let Err(why) = fits(cx, col, lit) {
            out.push(
                Diagnostic::error(
                    if matches!(lit, Literal::Null) {
                        "E0255"
                    } else {
                        "E0253"
                    },
                    format!("row {n}, column \"{}\": {why}", col.name),
                )
                .with_span(cx.span, format!("row {n}"))
                .with_help(format!(
                    "give a value of type {} for \"{}\"",
                    col.ty.describe(),
                    col.name
                )),
            );
        }
    }
}

fn fits(cx: &Cx, col: &Column, lit: &Literal) -> Result<(), String> {
    if matches!(lit, Literal::Null) && !col.nullable {
        return Err("null in a not null column".into());
    }
    let e = match &col.ty {
        ColumnType::Enum { name, schema } => cx.schema.enum_type(schema.as_deref(), name),
        _ => None,
    };
    check_fits(lit, &col.ty, e)
}

pub(super) fn backfill(t: &Table, b: &Backfill, span: Span) -> Result<(), Vec<Diagnostic>> {
    match &b.key {
        Some(k) if t.column(&k.value).is_none() => {
            Err(vec![super::super::errors::unknown_column(t, k)])
        }
        Some(_) => Ok(()),
        None => match &t.primary_key {
            Some(pk) if pk.columns.len() == 1 => Ok(()),
            _ => Err(vec![Diagnostic::error(
                "E0256",
                format!(
                    "backfill of \"{}\" needs a key column: the table has no single-column primary key",
                    t.display_name()
                ),
            )
            .with_span(span, "no key to batch by")
            .with_help("say which column picks a batch: `... batch 5000 key COLUMN`")]),
        },
    }
}
