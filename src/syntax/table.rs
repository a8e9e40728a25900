//! `create_table` bodies: columns, table constraints and the table comment,
//! plus the column lists and foreign-key targets other operations share.

use super::column::{self, column_def, inner, span_of, sql, string};
use super::errors::{self, Context};
use super::lower::{is_name, Kids};
use super::names;
use super::parser::Rule;
use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::ir::{ConstraintKind, CreateTable, ForeignKeyRef, Ident, TableConstraint};
use crate::source::Span;
use pest::iterators::Pair;

/// `create_table [if_not_exists] NAME { ITEM... }`.
pub fn create_table(cx: &mut Ctx, k: &Kids) -> Option<CreateTable> {
    let table = names::table(cx, k.first(Rule::dotted)?, "table");
    let mut t = CreateTable {
        table: table.clone()?,
        // At most one column per item: sized once instead of grown.
        columns: Vec::with_capacity(k.len()),
        constraints: Vec::new(),
        comment: None,
        if_not_exists: k.has(Rule::IF_NOT_EXISTS),
    };
    let mut ok = true;
    let mut comment_span: Option<Span> = None;
    for item in k.rest_after(Rule::dotted) {
        match item.as_rule() {
            Rule::bad_table_item => {
                let d = errors::reparse(cx, item.as_span().start(), Context::TableItem);
                cx.error(d);
                ok = false;
            }
            Rule::table_item => {
                let Some(body) = inner(item).next() else {
                    continue;
                };
                ok &= table_item(cx, &mut t, &mut comment_span, body);
            }
            _ => {}
        }
    }
    ok.then_some(t)
}

fn table_item(
    cx: &mut Ctx,
    t: &mut CreateTable,
    comment_span: &mut Option<Span>,
    body: Pair<Rule>,
) -> bool {
    let span = span_of(cx, &body);
    let rule = body.as_rule();
    if rule == Rule::column_def {
        // The children in order (name, type, options) without collecting
        // them: most items are columns.
        let mut kids = inner(body);
        let Some(name) = kids.find(|p| is_name(p.as_rule())) else {
            return false;
        };
        let name = names::ident(cx, name);
        let Some(ty) = kids.find(|p| p.as_rule() == Rule::column_type) else {
            return false;
        };
        match column_def(cx, name, ty, kids, span.end) {
            Some(c) => t.columns.push(c),
            None => return false,
        }
        return true;
    }
    let k = Kids::new(body);
    match rule {
        Rule::table_comment => {
            if let Some(prev) = comment_span {
                cx.error(
                    Diagnostic::error("E0109", "the table comment is given twice")
                        .with_span(span, "second comment")
                        .with_label(*prev, "first comment")
                        .with_help("keep one `comment \"...\"` line"),
                );
                return false;
            }
            *comment_span = Some(span);
            match k.strings().next().and_then(|s| string(cx, s)) {
                Some((s, _)) => t.comment = Some(s),
                None => return false,
            }
        }
        _ => match table_constraint(cx, rule, &k, span) {
            Some(c) => t.constraints.push(c),
            None => return false,
        },
    }
    true
}

/// `primary_key [NAME] (a, b)`, `unique ...`, `foreign_key ...`, `check [NAME] "..."`.
fn table_constraint(cx: &mut Ctx, rule: Rule, k: &Kids, span: Span) -> Option<TableConstraint> {
    // The optional name comes right after the keyword.
    let name = k
        .rest_after(keyword_of(rule))
        .next()
        .filter(|p| is_name(p.as_rule()))
        .map(|p| names::ident(cx, p));
    let mut lists = k.all(Rule::column_list);
    let kind = match rule {
        Rule::tc_primary_key => ConstraintKind::PrimaryKey {
            columns: column_list(cx, lists.next()?),
        },
        Rule::tc_unique => ConstraintKind::Unique {
            columns: column_list(cx, lists.next()?),
        },
        Rule::tc_check => ConstraintKind::Check {
            expr: sql(cx, k.strings().next()?)?,
        },
        _ => {
            let columns = column_list(cx, lists.next()?);
            let ref_cols = column_list(cx, lists.next()?);
            let target = k.after(Rule::REFERENCES)?;
            let references = fk_ref(cx, target, ref_cols, span, k.rest_after(Rule::REFERENCES))?;
            ConstraintKind::ForeignKey {
                columns,
                references,
            }
        }
    };
    Some(TableConstraint { name, kind, span })
}

fn keyword_of(rule: Rule) -> Rule {
    match rule {
        Rule::tc_primary_key => Rule::PRIMARY_KEY,
        Rule::tc_unique => Rule::UNIQUE,
        Rule::tc_check => Rule::CHECK,
        _ => Rule::FOREIGN_KEY,
    }
}

/// `(a, b)` → names.
pub fn column_list(cx: &mut Ctx, pair: Pair<Rule>) -> Vec<Ident> {
    inner(pair).map(|p| names::ident(cx, p)).collect()
}

/// `references TABLE (cols) CLAUSE...` of a table-level foreign key; `rest`
/// holds what follows `references` (the target, the list, then the clauses).
pub fn fk_ref<'a>(
    cx: &mut Ctx,
    target: Pair<'a, Rule>,
    columns: Vec<Ident>,
    span: Span,
    rest: impl Iterator<Item = Pair<'a, Rule>>,
) -> Option<ForeignKeyRef> {
    let table = names::table(cx, target, "table")?;
    let mut r = ForeignKeyRef {
        table,
        columns,
        on_delete: None,
        on_update: None,
        deferrable: None,
        use_alter: false,
        span,
    };
    let clauses = rest.filter(|p| {
        matches!(
            p.as_rule(),
            Rule::fk_on_delete | Rule::fk_on_update | Rule::fk_deferrable | Rule::USE_ALTER
        )
    });
    column::fk_clauses(cx, &mut r, clauses).then_some(r)
}
