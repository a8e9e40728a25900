//! Pairs → IR: the file, its blocks and every operation except the body of
//! `create_table` (in [`super::table`]).
//!
//! Each function lowers one grammar rule. A function returns `None` after it
//! has reported why; the caller keeps going so that every error is collected.

use super::column::{self, column_def, inner, span_of, sql, string};
use super::errors::{self, Context};
use super::names;
use super::parser::Rule;
use super::table;
use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::ir::*;
use crate::source::Span;
use pest::iterators::{Pair, Pairs};

/// The children of an operation pair (punctuation removed), with lookups by rule.
pub struct Kids<'a> {
    v: Vec<Pair<'a, Rule>>,
}

impl<'a> Kids<'a> {
    /// Children of `p`; the `fk_head` of a table-level foreign key is
    /// flattened so that its parts read like those of `create_foreign_key`.
    pub fn new(p: Pair<'a, Rule>) -> Self {
        // Sized once from pest's child count (a few punctuation pairs too
        // many) instead of growing by reallocation.
        let children = p.into_inner();
        let mut v = Vec::with_capacity(children.len());
        for c in children.filter(|c| !column::is_punct(c.as_rule())) {
            if c.as_rule() == Rule::fk_head {
                v.extend(inner(c));
            } else {
                v.push(c);
            }
        }
        Kids { v }
    }
    pub fn len(&self) -> usize {
        self.v.len()
    }
    pub fn first(&self, r: Rule) -> Option<Pair<'a, Rule>> {
        self.v.iter().find(|p| p.as_rule() == r).cloned()
    }
    pub fn all(&self, r: Rule) -> impl Iterator<Item = Pair<'a, Rule>> + '_ {
        self.v.iter().filter(move |p| p.as_rule() == r).cloned()
    }
    pub fn has(&self, r: Rule) -> bool {
        self.v.iter().any(|p| p.as_rule() == r)
    }
    /// The pair right after the first `r` (e.g. the table after `ON`).
    pub fn after(&self, r: Rule) -> Option<Pair<'a, Rule>> {
        let i = self.v.iter().position(|p| p.as_rule() == r)?;
        self.v.get(i + 1).cloned()
    }
    /// The first plain or quoted identifier.
    pub fn name(&self) -> Option<Pair<'a, Rule>> {
        self.v.iter().find(|p| is_name(p.as_rule())).cloned()
    }
    /// String tokens, in order.
    pub fn strings(&self) -> impl Iterator<Item = Pair<'a, Rule>> + '_ {
        self.v.iter().filter(|p| is_string(p.as_rule())).cloned()
    }
    /// Pairs after the first `r`, to the end.
    pub fn rest_after(&self, r: Rule) -> impl Iterator<Item = Pair<'a, Rule>> + '_ {
        let i = self
            .v
            .iter()
            .position(|p| p.as_rule() == r)
            .map_or(self.v.len(), |i| i + 1);
        self.v[i..].iter().cloned()
    }
}

pub fn is_name(r: Rule) -> bool {
    matches!(r, Rule::plain_ident | Rule::quoted_ident)
}

pub fn is_string(r: Rule) -> bool {
    matches!(
        r,
        Rule::sq_string
            | Rule::dq_string
            | Rule::raw_string
            | Rule::bad_string
            | Rule::bad_raw_string
    )
}

/// The `file` rule → a revision; or the `file_after_header` rule, with the
/// header the scanner read.
pub fn file(
    cx: &mut Ctx,
    mut pairs: Pairs<Rule>,
    scanned: Option<RevisionHeader>,
) -> Option<Revision> {
    let file = pairs.next()?;
    let mut header = scanned;
    let mut upgrade: Option<(Vec<Op>, Span)> = None;
    let mut downgrade: Option<(Vec<Op>, Span)> = None;
    let mut had_junk = false;
    for p in file.into_inner() {
        let span = keyword_span(cx, &p);
        match p.as_rule() {
            Rule::header => {
                had_junk = p
                    .clone()
                    .into_inner()
                    .any(|i| i.as_rule() == Rule::bad_header_line);
                header = super::header::lower(cx, p);
            }
            Rule::upgrade_block => {
                let ops = block(cx, p);
                if !second_block(cx, "upgrade", upgrade.as_ref().map(|u| u.1), span) {
                    if let Some((_, d)) = &downgrade {
                        cx.error(block_order(*d, span));
                    }
                    upgrade = Some((ops, span));
                }
            }
            Rule::downgrade_block => {
                let ops = block(cx, p);
                if !second_block(cx, "downgrade", downgrade.as_ref().map(|d| d.1), span) {
                    downgrade = Some((ops, span));
                }
            }
            Rule::bad_top => {
                had_junk = true;
                let d = errors::reparse(cx, p.as_span().start(), Context::Top);
                cx.error(d);
            }
            _ => {}
        }
    }
    let upgrade = upgrade.map(|u| u.0);
    let downgrade = downgrade.map(|d| d.0);
    if upgrade.is_none() && !had_junk {
        let end = cx.text.len();
        cx.error(
            Diagnostic::error("E0103", "the file has no `upgrade` block")
                .with_span(cx.span(end, end), "expected `upgrade { ... }` before here")
                .with_help("after the header write `upgrade { OPERATIONS }`; `downgrade { ... }` may follow"),
        );
    }
    Some(Revision {
        header: header?,
        upgrade: upgrade?,
        downgrade,
    })
}

/// Span of a block's keyword.
fn keyword_span(cx: &Ctx, p: &Pair<Rule>) -> Span {
    match p.clone().into_inner().next() {
        Some(k) => span_of(cx, &k),
        None => span_of(cx, p),
    }
}

/// Reports a repeated block; true when `prev` exists.
fn second_block(cx: &mut Ctx, word: &str, prev: Option<Span>, span: Span) -> bool {
    let Some(prev) = prev else { return false };
    cx.error(
        Diagnostic::error("E0103", format!("the file has two `{word}` blocks"))
            .with_span(span, "second block")
            .with_label(prev, "first block")
            .with_help(format!(
                "put every operation of the {word} in one `{word} {{ ... }}` block"
            )),
    );
    true
}

fn block_order(downgrade: Span, upgrade: Span) -> Diagnostic {
    Diagnostic::error(
        "E0103",
        "the `downgrade` block comes before the `upgrade` block",
    )
    .with_span(upgrade, "`upgrade` should come first")
    .with_label(downgrade, "`downgrade` is here")
    .with_help("write `upgrade { ... }` first, then `downgrade { ... }`")
}

/// `upgrade { ... }` / `downgrade { ... }`.
fn block(cx: &mut Ctx, pair: Pair<Rule>) -> Vec<Op> {
    // Sized from pest's child count (the keyword and braces too many): an `Op`
    // is large, and growing the vector copied every one of them again.
    let children = pair.into_inner();
    let mut ops = Vec::with_capacity(children.len());
    for p in children.filter(|c| !column::is_punct(c.as_rule())).skip(1) {
        match p.as_rule() {
            Rule::statement => ops.extend(statement(cx, p, None)),
            Rule::bad_statement => {
                let d = errors::reparse(cx, p.as_span().start(), Context::Statement);
                cx.error(d);
            }
            _ => {}
        }
    }
    ops
}

/// A `statement` / `batch_statement` (operation + end marker) → an op.
fn statement(cx: &mut Ctx, pair: Pair<Rule>, batch: Option<&QualifiedName>) -> Option<Op> {
    let op = pair.into_inner().next()?;
    let span = span_of(cx, &op);
    if let Some(b) = batch {
        if !allowed_in_batch(op.as_rule()) {
            cx.error(not_in_batch(cx, &op, b));
            return None;
        }
    }
    let kind = op_kind(cx, op, span, batch)?;
    Some(Op { kind, span })
}

fn op_kind(
    cx: &mut Ctx,
    op: Pair<Rule>,
    span: Span,
    batch: Option<&QualifiedName>,
) -> Option<OpKind> {
    let rule = op.as_rule();
    let k = Kids::new(op);
    let b = batch;
    match rule {
        Rule::create_table => table::create_table(cx, &k).map(OpKind::CreateTable),
        Rule::drop_table => Some(OpKind::DropTable {
            table: tbl(cx, &k)?,
        }),
        Rule::rename_table => rename_table(cx, &k),
        Rule::add_column => add_column(cx, &k, b),
        Rule::drop_column => {
            let (table, column) = names::column_target(cx, k.first(Rule::dotted)?, b)?;
            Some(OpKind::DropColumn { table, column })
        }
        Rule::alter_column => alter_column(cx, &k, b),
        Rule::create_index => create_index(cx, &k, span, b),
        Rule::drop_index => drop_index(cx, &k, b),
        Rule::create_unique_constraint
        | Rule::create_foreign_key
        | Rule::create_check_constraint
        | Rule::create_primary_key => add_constraint(cx, rule, &k, span, b),
        Rule::drop_constraint => {
            let name = names::ident(cx, k.name()?);
            let table = names::on_table(cx, k.after(Rule::ON), b, span, "drop_constraint")?;
            Some(OpKind::DropConstraint { table, name })
        }
        Rule::create_schema => Some(OpKind::CreateSchema {
            name: names::ident(cx, k.name()?),
            if_not_exists: k.has(Rule::IF_NOT_EXISTS),
        }),
        Rule::drop_schema => Some(OpKind::DropSchema {
            name: names::ident(cx, k.name()?),
            if_exists: k.has(Rule::IF_EXISTS),
            cascade: k.has(Rule::CASCADE),
        }),
        Rule::create_enum => create_enum(cx, &k),
        Rule::drop_enum => Some(OpKind::DropEnum {
            name: enum_name(cx, &k)?,
        }),
        Rule::add_enum_value => add_enum_value(cx, &k),
        Rule::comment_on_table => Some(OpKind::SetTableComment {
            table: tbl(cx, &k)?,
            comment: match k.strings().next() {
                Some(s) => Some(string(cx, s)?.0),
                None => None,
            },
        }),
        Rule::execute => execute(cx, &k).map(OpKind::Execute),
        Rule::bulk_insert => bulk_insert(cx, &k),
        Rule::backfill => backfill(cx, &k).map(OpKind::Backfill),
        Rule::batch_alter_table => batch_alter_table(cx, &k),
        _ => {
            cx.error(
                Diagnostic::internal(format!("unexpected rule {rule:?} as an operation"))
                    .with_span(span, "here"),
            );
            None
        }
    }
}

/// The operation's table (its first dotted name).
fn tbl(cx: &mut Ctx, k: &Kids) -> Option<QualifiedName> {
    names::table(cx, k.first(Rule::dotted)?, "table")
}

fn enum_name(cx: &mut Ctx, k: &Kids) -> Option<QualifiedName> {
    names::table(cx, k.first(Rule::dotted)?, "type")
}

fn rename_table(cx: &mut Ctx, k: &Kids) -> Option<OpKind> {
    let table = tbl(cx, k)?;
    let new_name = names::ident(cx, k.name()?);
    Some(OpKind::RenameTable { table, new_name })
}

fn add_column(cx: &mut Ctx, k: &Kids, b: Option<&QualifiedName>) -> Option<OpKind> {
    let target = names::column_target(cx, k.first(Rule::dotted)?, b);
    let ty = k.first(Rule::column_type)?;
    let end = k.v.last().map(column::end_of).unwrap_or(0);
    let (table, name) = target?;
    let column = column_def(cx, name, ty, k.rest_after(Rule::column_type), end)?;
    Some(OpKind::AddColumn { table, column })
}

fn alter_column(cx: &mut Ctx, k: &Kids, b: Option<&QualifiedName>) -> Option<OpKind> {
    let target = names::column_target(cx, k.first(Rule::dotted)?, b);
    let mut changes = Vec::new();
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    let mut ok = true;
    for ch in k.rest_after(Rule::dotted) {
        let span = span_of(cx, &ch);
        let group = change_group(ch.as_rule());
        if let Some((_, prev)) = seen.iter().find(|(g, _)| *g == group) {
            cx.error(
                Diagnostic::error(
                    "E0122",
                    format!("this `alter_column` changes the {group} twice"),
                )
                .with_span(span, "second change")
                .with_label(*prev, "first change")
                .with_help(format!("keep one change of the {group} per alter_column")),
            );
            ok = false;
            continue;
        }
        seen.push((group, span));
        match column_change(cx, ch) {
            Some(c) => changes.push(c),
            None => ok = false,
        }
    }
    let (table, column) = target?;
    ok.then_some(OpKind::AlterColumn {
        table,
        column,
        changes,
    })
}

fn change_group(r: Rule) -> &'static str {
    match r {
        Rule::ch_set_not_null | Rule::ch_drop_not_null => "nullability",
        Rule::ch_set_default | Rule::ch_drop_default => "default",
        Rule::ch_type => "type",
        Rule::ch_rename => "name",
        _ => "comment",
    }
}

fn column_change(cx: &mut Ctx, ch: Pair<Rule>) -> Option<ColumnChange> {
    let rule = ch.as_rule();
    let k = Kids::new(ch);
    Some(match rule {
        Rule::ch_set_not_null => ColumnChange::SetNotNull,
        Rule::ch_drop_not_null => ColumnChange::DropNotNull,
        Rule::ch_drop_default => ColumnChange::DropDefault,
        Rule::ch_set_default => {
            ColumnChange::SetDefault(column::default_value(cx, k.after(Rule::DEFAULT)?)?)
        }
        Rule::ch_type => {
            let ty = column::column_type(cx, k.first(Rule::column_type)?);
            let using = match k.strings().next() {
                Some(s) => Some(sql(cx, s)?),
                None => None,
            };
            ColumnChange::SetType { ty: ty?, using }
        }
        Rule::ch_rename => ColumnChange::Rename(names::ident(cx, k.name()?)),
        _ => ColumnChange::Comment(match k.strings().next() {
            Some(s) => Some(string(cx, s)?.0),
            None => None,
        }),
    })
}

fn create_index(cx: &mut Ctx, k: &Kids, span: Span, b: Option<&QualifiedName>) -> Option<OpKind> {
    let flags_ok = unique_flags(
        cx,
        k,
        &[Rule::UNIQUE, Rule::CONCURRENTLY, Rule::IF_NOT_EXISTS],
    );
    let name = names::ident(cx, k.name()?);
    let table = names::on_table(cx, k.after(Rule::ON), b, span, "create_index");
    let mut elements = Vec::new();
    for e in k.all(Rule::index_element) {
        elements.extend(index_element(cx, e));
    }
    let where_clause = match k.after(Rule::WHERE) {
        Some(s) => Some(sql(cx, s)?),
        None => None,
    };
    let count = k.all(Rule::index_element).count();
    (flags_ok && elements.len() == count).then_some(())?;
    Some(OpKind::CreateIndex(CreateIndex {
        name,
        table: table?,
        unique: k.has(Rule::UNIQUE),
        elements,
        where_clause,
        concurrently: k.has(Rule::CONCURRENTLY),
        if_not_exists: k.has(Rule::IF_NOT_EXISTS),
    }))
}

fn index_element(cx: &mut Ctx, e: Pair<Rule>) -> Option<IndexElement> {
    let k = Kids::new(e);
    if k.has(Rule::SQL) {
        return Some(IndexElement::Expression(sql(cx, k.strings().next()?)?));
    }
    Some(IndexElement::Column {
        name: names::ident(cx, k.name()?),
        descending: k.has(Rule::DESC),
    })
}

/// Flags like `unique concurrently` may each be written once.
fn unique_flags(cx: &mut Ctx, k: &Kids, flags: &[Rule]) -> bool {
    let mut ok = true;
    for f in flags {
        let all: Vec<Pair<Rule>> = k.all(*f).collect();
        if let [first, second, ..] = all.as_slice() {
            cx.error(
                Diagnostic::error("E0121", format!("`{}` is given twice", second.as_str()))
                    .with_span(span_of(cx, second), "given again here")
                    .with_label(span_of(cx, first), "first given here")
                    .with_help("write each flag once"),
            );
            ok = false;
        }
    }
    ok
}

fn drop_index(cx: &mut Ctx, k: &Kids, b: Option<&QualifiedName>) -> Option<OpKind> {
    let flags_ok = unique_flags(cx, k, &[Rule::CONCURRENTLY, Rule::IF_EXISTS]);
    let mut dotted = k.all(Rule::dotted);
    let name = names::table(cx, dotted.next()?, "index");
    let table = match (dotted.next(), b) {
        (Some(t), _) => Some(names::on_table(
            cx,
            Some(t),
            b,
            Span::default(),
            "drop_index",
        )?),
        (None, Some(b)) => Some(b.clone()),
        (None, None) => None,
    };
    flags_ok.then_some(())?;
    Some(OpKind::DropIndex {
        name: name?,
        table,
        concurrently: k.has(Rule::CONCURRENTLY),
        if_exists: k.has(Rule::IF_EXISTS),
    })
}

fn add_constraint(
    cx: &mut Ctx,
    rule: Rule,
    k: &Kids,
    span: Span,
    b: Option<&QualifiedName>,
) -> Option<OpKind> {
    let word = op_word(rule);
    let name = names::ident(cx, k.name()?);
    let table = names::on_table(cx, k.after(Rule::ON), b, span, word);
    let mut lists = k.all(Rule::column_list);
    let kind = match rule {
        Rule::create_unique_constraint => ConstraintKind::Unique {
            columns: table::column_list(cx, lists.next()?),
        },
        Rule::create_primary_key => ConstraintKind::PrimaryKey {
            columns: table::column_list(cx, lists.next()?),
        },
        Rule::create_check_constraint => ConstraintKind::Check {
            expr: sql(cx, k.strings().next()?)?,
        },
        _ => {
            let columns = table::column_list(cx, lists.next()?);
            let ref_cols = table::column_list(cx, lists.next()?);
            let references = table::fk_ref(
                cx,
                k.after(Rule::REFERENCES)?,
                ref_cols,
                span,
                k.rest_after(Rule::REFERENCES),
            )?;
            ConstraintKind::ForeignKey {
                columns,
                references,
            }
        }
    };
    Some(OpKind::AddConstraint {
        table: table?,
        constraint: TableConstraint {
            name: Some(name),
            kind,
            span,
        },
    })
}

fn create_enum(cx: &mut Ctx, k: &Kids) -> Option<OpKind> {
    let name = enum_name(cx, k);
    let mut values: Vec<(String, Span)> = Vec::new();
    let mut ok = true;
    for s in k.strings() {
        let Some((v, span)) = string(cx, s) else {
            ok = false;
            continue;
        };
        if let Some((_, prev)) = values.iter().find(|(p, _)| *p == v) {
            cx.error(
                Diagnostic::error("E0124", format!("the enum value '{v}' is listed twice"))
                    .with_span(span, "listed again here")
                    .with_label(*prev, "first listed here")
                    .with_help("list each value once"),
            );
            ok = false;
            continue;
        }
        values.push((v, span));
    }
    ok.then_some(())?;
    Some(OpKind::CreateEnum {
        name: name?,
        values: values.into_iter().map(|(v, _)| v).collect(),
    })
}

fn add_enum_value(cx: &mut Ctx, k: &Kids) -> Option<OpKind> {
    let name = enum_name(cx, k);
    let value = string(cx, k.strings().next()?);
    let position = match k.first(Rule::enum_position) {
        Some(p) => {
            let pk = Kids::new(p);
            let (other, _) = string(cx, pk.strings().next()?)?;
            Some(if pk.has(Rule::BEFORE) {
                EnumValuePosition::Before(other)
            } else {
                EnumValuePosition::After(other)
            })
        }
        None => None,
    };
    Some(OpKind::AddEnumValue {
        name: name?,
        value: value?.0,
        position,
    })
}

fn reverse(cx: &mut Ctx, k: &Kids) -> Option<Option<Reverse>> {
    let Some(r) = k.first(Rule::reverse) else {
        return Some(None);
    };
    let text = Kids::new(r).strings().next();
    match text {
        Some(s) => Some(Some(Reverse::Sql(sql(cx, s)?))),
        None => Some(Some(Reverse::Nothing)),
    }
}

fn execute(cx: &mut Ctx, k: &Kids) -> Option<Execute> {
    let body = match k.first(Rule::dialect_map) {
        Some(m) => column::dialect_map(cx, m).map(|d| (None, d)),
        None => sql(cx, k.strings().next()?).map(|s| (Some(s), Vec::new())),
    };
    let reverse = reverse(cx, k);
    let (sql, per_dialect) = body?;
    Some(Execute {
        sql,
        per_dialect,
        reverse: reverse?,
    })
}

fn bulk_insert(cx: &mut Ctx, k: &Kids) -> Option<OpKind> {
    let table = tbl(cx, k);
    let columns = table::column_list(cx, k.first(Rule::column_list)?);
    let mut rows = Vec::new();
    let mut ok = true;
    for row in k.all(Rule::row) {
        let span = span_of(cx, &row);
        let values: Vec<Pair<Rule>> = inner(row).collect();
        if values.len() != columns.len() {
            cx.error(
                Diagnostic::error(
                    "E0112",
                    format!(
                        "this row has {} value(s) but {} column(s) are listed",
                        values.len(),
                        columns.len()
                    ),
                )
                .with_span(span, format!("expected {} value(s)", columns.len()))
                .with_help("give one value per listed column, in the same order (null for none)"),
            );
            ok = false;
            continue;
        }
        let lits: Vec<Option<Literal>> =
            values.into_iter().map(|v| column::literal(cx, v)).collect();
        match lits.into_iter().collect::<Option<Vec<_>>>() {
            Some(r) => rows.push(r),
            None => ok = false,
        }
    }
    ok.then_some(())?;
    Some(OpKind::BulkInsert {
        table: table?,
        columns,
        rows,
    })
}

fn backfill(cx: &mut Ctx, k: &Kids) -> Option<Backfill> {
    let table = tbl(cx, k);
    let mut strings = k.strings();
    let set = sql(cx, strings.next()?);
    let where_clause = sql(cx, strings.next()?);
    let batch_size = batch_size(cx, k.first(Rule::uint)?);
    let key = k.after(Rule::KEY).map(|p| names::ident(cx, p));
    let reverse = reverse(cx, k);
    Some(Backfill {
        table: table?,
        set: set?,
        where_clause: where_clause?,
        batch_size: batch_size?,
        key,
        reverse: reverse?,
    })
}

fn batch_size(cx: &mut Ctx, p: Pair<Rule>) -> Option<u64> {
    let sp = p.as_span();
    match p.as_str().parse::<u64>() {
        Ok(n) if n >= 1 => Some(n),
        r => {
            let why = if r.is_ok() {
                "must be at least 1"
            } else {
                "too large"
            };
            cx.error(
                Diagnostic::error("E0120", format!("batch size {why}"))
                    .with_span(cx.span(sp.start(), sp.end()), why)
                    .with_help("give the number of rows updated per chunk, e.g. `batch 5000`"),
            );
            None
        }
    }
}

fn batch_alter_table(cx: &mut Ctx, k: &Kids) -> Option<OpKind> {
    let table = tbl(cx, k);
    let mut ops = Vec::new();
    for p in k.rest_after(Rule::dotted) {
        match p.as_rule() {
            Rule::batch_statement => {
                if let Some(t) = &table {
                    ops.extend(statement(cx, p, Some(t)));
                }
            }
            Rule::bad_statement => {
                let d = errors::reparse(cx, p.as_span().start(), Context::BatchStatement);
                cx.error(d);
            }
            _ => {}
        }
    }
    Some(OpKind::BatchAlterTable { table: table?, ops })
}

fn allowed_in_batch(r: Rule) -> bool {
    matches!(
        r,
        Rule::add_column
            | Rule::drop_column
            | Rule::alter_column
            | Rule::create_index
            | Rule::drop_index
            | Rule::create_unique_constraint
            | Rule::create_foreign_key
            | Rule::create_check_constraint
            | Rule::create_primary_key
            | Rule::drop_constraint
    )
}

fn not_in_batch(cx: &Ctx, op: &Pair<Rule>, b: &QualifiedName) -> Diagnostic {
    let word = op_word(op.as_rule());
    let kw = op.clone().into_inner().next();
    let span = kw
        .map(|k| span_of(cx, &k))
        .unwrap_or_else(|| span_of(cx, op));
    Diagnostic::error("E0116", format!("`{word}` cannot be used inside batch_alter_table"))
        .with_span(span, "not allowed in a batch")
        .with_label(b.span(), "the batch")
        .with_help("a batch holds add_column, drop_column, alter_column, create_index, drop_index, create_*_constraint, create_foreign_key, create_primary_key and drop_constraint; move this operation out of the block")
}

/// The keyword of an operation rule, for messages.
pub fn op_word(r: Rule) -> &'static str {
    match r {
        Rule::create_table => "create_table",
        Rule::drop_table => "drop_table",
        Rule::rename_table => "rename_table",
        Rule::add_column => "add_column",
        Rule::drop_column => "drop_column",
        Rule::alter_column => "alter_column",
        Rule::create_index => "create_index",
        Rule::drop_index => "drop_index",
        Rule::create_unique_constraint => "create_unique_constraint",
        Rule::create_foreign_key => "create_foreign_key",
        Rule::create_check_constraint => "create_check_constraint",
        Rule::create_primary_key => "create_primary_key",
        Rule::drop_constraint => "drop_constraint",
        Rule::create_schema => "create_schema",
        Rule::drop_schema => "drop_schema",
        Rule::create_enum => "create_enum",
        Rule::drop_enum => "drop_enum",
        Rule::add_enum_value => "add_enum_value",
        Rule::comment_on_table => "comment_on_table",
        Rule::execute => "execute",
        Rule::bulk_insert => "bulk_insert",
        Rule::backfill => "backfill",
        _ => "batch_alter_table",
    }
}
