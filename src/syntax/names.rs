//! Names: identifiers, dotted names and how many parts each position allows.
//!
//! The grammar accepts any number of dotted parts; this module decides what
//! they mean: a table is `[schema.]table`, a column target is
//! `[schema.]table.column` (or just `column` inside `batch_alter_table`).

use super::parser::Rule;
use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::ir::{Ident, QualifiedName};
use pest::iterators::Pair;

/// A `plain_ident` or `quoted_ident` token.
pub fn ident(cx: &mut Ctx, pair: Pair<Rule>) -> Ident {
    let sp = pair.as_span();
    let span = cx.span(sp.start(), sp.end());
    let text = pair.as_str();
    if pair.as_rule() != Rule::quoted_ident {
        return Ident::new(text, span);
    }
    let value = text[1..text.len() - 1].replace("``", "`");
    if value.is_empty() || value.contains('\0') {
        cx.error(
            Diagnostic::error("E0126", "a quoted name must not be empty or contain a NUL")
                .with_span(span, "invalid name")
                .with_help(
                    "write at least one character between the backticks, e.g. `Order Items`",
                ),
        );
    }
    Ident::new(value, span)
}

/// Span covering all parts (there is always at least one).
fn parts_span(cx: &Ctx, parts: &[Ident]) -> crate::source::Span {
    match (parts.first(), parts.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => cx.span(0, 0),
    }
}

/// `table` or `schema.table`. (pest knows how many parts there are: the parts
/// are collected only for the error.)
pub fn table(cx: &mut Ctx, pair: Pair<Rule>, what: &str) -> Option<QualifiedName> {
    let mut it = pair.into_inner();
    if it.len() > 2 {
        let parts: Vec<Ident> = it.map(|p| ident(cx, p)).collect();
        cx.error(arity_error(cx, &parts, what, "`name` or `schema.name`"));
        return None;
    }
    let first = ident(cx, it.next()?);
    Some(match it.next() {
        Some(second) => QualifiedName {
            schema: Some(first),
            name: ident(cx, second),
        },
        None => QualifiedName {
            schema: None,
            name: first,
        },
    })
}

/// `table.column` or `schema.table.column`; inside a batch also `column`, with
/// the table filled in from the batch (a different table is an error).
pub fn column_target(
    cx: &mut Ctx,
    pair: Pair<Rule>,
    batch: Option<&QualifiedName>,
) -> Option<(QualifiedName, Ident)> {
    let it = pair.into_inner();
    let n = it.len();
    let allowed = if batch.is_some() { 1..=3 } else { 2..=3 };
    if !allowed.contains(&n) {
        let parts: Vec<Ident> = it.map(|p| ident(cx, p)).collect();
        let expected = if batch.is_some() {
            "`column`, `table.column` or `schema.table.column`"
        } else {
            "`table.column` or `schema.table.column`"
        };
        cx.error(arity_error(cx, &parts, "column", expected));
        return None;
    }
    // In order, without a vector: [[schema.]table.]column.
    let (table, column) = {
        let mut ids = it.map(|p| ident(cx, p));
        let schema = if n == 3 { ids.next() } else { None };
        let table = match (n, batch) {
            (1, Some(b)) => b.clone(),
            _ => QualifiedName {
                schema,
                name: ids.next()?,
            },
        };
        (table, ids.next()?)
    };
    same_table(cx, batch, &table).then_some((table, column))
}

/// `on TABLE` of an index or constraint operation: required outside a batch,
/// optional inside one (where it must name the batch's table).
pub fn on_table(
    cx: &mut Ctx,
    pair: Option<Pair<Rule>>,
    batch: Option<&QualifiedName>,
    op_span: crate::source::Span,
    op: &str,
) -> Option<QualifiedName> {
    match (pair, batch) {
        (Some(p), _) => {
            let t = table(cx, p, "table")?;
            same_table(cx, batch, &t).then_some(t)
        }
        (None, Some(b)) => Some(b.clone()),
        (None, None) => {
            cx.error(
                Diagnostic::error("E0118", format!("`{op}` needs the table it applies to"))
                    .with_span(op_span, "no `on TABLE` here")
                    .with_help(format!(
                        "add `on TABLE` after the name, e.g. `{op} NAME on users ...`; it may be left out only inside batch_alter_table"
                    )),
            );
            None
        }
    }
}

/// Inside a batch, every operation must be about the batch's table.
fn same_table(cx: &mut Ctx, batch: Option<&QualifiedName>, table: &QualifiedName) -> bool {
    let Some(b) = batch else { return true };
    if b.display() == table.display() {
        return true;
    }
    cx.error(
        Diagnostic::error(
            "E0117",
            format!("this operation is about `{}`, not the batch's table `{}`", table.display(), b.display()),
        )
        .with_span(table.span(), "a different table")
        .with_label(b.span(), "the batch's table")
        .with_help("move the operation out of batch_alter_table, or leave the table out to use the batch's"),
    );
    false
}

fn arity_error(cx: &Ctx, parts: &[Ident], what: &str, expected: &str) -> Diagnostic {
    Diagnostic::error("E0111", format!("a {what} name here has {} part(s)", parts.len()))
        .with_span(parts_span(cx, parts), format!("expected {expected}"))
        .with_help(format!(
            "write the {what} as {expected}; quote a name that contains a dot with backticks, e.g. `a.b`"
        ))
}
