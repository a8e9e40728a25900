//! Columns: types, column options, foreign-key clauses, literals and defaults.

use super::literal::{self, StringKind};
use super::names;
use super::parser::Rule;
use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::ir::{
    ColumnDef, ColumnType, Default, Deferrable, Dialect, FkAction, ForeignKeyRef, Ident, Identity,
    Literal, SqlText,
};
use crate::source::Span;
use pest::iterators::Pair;
use pest::Token;

/// The type words of the language, for "unknown type" help.
pub const TYPE_NAMES: &str = "smallint, integer, bigint, boolean, string, string(N), text, numeric, numeric(P), numeric(P, S), float, double, date, time, timestamp, timestamptz, interval, uuid, json, jsonb, binary, enum NAME, native \"TYPE\"";

/// Span of a pair, up to its last token (pest may have skipped trailing
/// whitespace into it).
pub fn span_of(cx: &Ctx, pair: &Pair<Rule>) -> Span {
    let start = pair.as_span().start();
    cx.span(start, end_of(pair))
}

/// End of the last token inside `pair`: the innermost last descendant, whose
/// end is the last of the `End` tokens that close `pair`'s tail. Read from the
/// token stream backwards because `into_inner` counts every child of each
/// level (this runs for every operation and item).
pub fn end_of(pair: &Pair<Rule>) -> usize {
    let mut end = pair.as_span().end();
    for token in pair.clone().tokens().rev() {
        match token {
            Token::End { pos, .. } => end = pos.pos(),
            Token::Start { .. } => break,
        }
    }
    end
}

/// Whether a rule is punctuation, which the lowering skips.
pub fn is_punct(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::LBRACE | Rule::RBRACE | Rule::LPAREN | Rule::RPAREN | Rule::COMMA
    )
}

/// The children of a pair, without punctuation.
pub fn inner<'a>(pair: Pair<'a, Rule>) -> impl Iterator<Item = Pair<'a, Rule>> {
    pair.into_inner().filter(|p| !is_punct(p.as_rule()))
}

/// A string token decoded, with its span.
pub fn string(cx: &mut Ctx, pair: Pair<Rule>) -> Option<(String, Span)> {
    let kind = match pair.as_rule() {
        Rule::sq_string => StringKind::Single,
        Rule::dq_string => StringKind::Double,
        Rule::raw_string => StringKind::Raw,
        Rule::bad_string => StringKind::Unterminated,
        Rule::bad_raw_string => StringKind::UnterminatedRaw,
        _ => return None,
    };
    let sp = pair.as_span();
    let s = literal::decode_string(cx, kind, pair.as_str(), sp.start())?;
    Some((s, cx.span(sp.start(), sp.end())))
}

/// A string token as raw SQL text.
pub fn sql(cx: &mut Ctx, pair: Pair<Rule>) -> Option<SqlText> {
    string(cx, pair).map(|(text, span)| SqlText { text, span })
}

/// `column_type` → [`ColumnType`].
pub fn column_type(cx: &mut Ctx, pair: Pair<Rule>) -> Option<ColumnType> {
    let t = pair.into_inner().next()?;
    match t.as_rule() {
        Rule::enum_type => {
            let dotted = t.into_inner().find(|p| p.as_rule() == Rule::dotted)?;
            let q = names::table(cx, dotted, "type")?;
            Some(ColumnType::Enum {
                name: q.name.value,
                schema: q.schema.map(|s| s.value),
            })
        }
        Rule::native_type => native_type(cx, t),
        Rule::timestamp_tz_long => Some(ColumnType::TimestampTz),
        Rule::simple_type => simple_type(cx, t),
        _ => None,
    }
}

fn native_type(cx: &mut Ctx, pair: Pair<Rule>) -> Option<ColumnType> {
    let body = inner(pair).nth(1)?;
    if body.as_rule() == Rule::dialect_map {
        let per_dialect = dialect_map(cx, body)?
            .into_iter()
            .map(|(d, s)| (d, s.text))
            .collect();
        return Some(ColumnType::Native {
            default: None,
            per_dialect,
        });
    }
    let (s, _) = string(cx, body)?;
    Some(ColumnType::Native {
        default: Some(s),
        per_dialect: Vec::new(),
    })
}

/// `{ postgresql "..." sqlite "..." }`: each dialect once, at least one.
pub fn dialect_map(cx: &mut Ctx, pair: Pair<Rule>) -> Option<Vec<(Dialect, SqlText)>> {
    let span = span_of(cx, &pair);
    let mut out: Vec<(Dialect, SqlText)> = Vec::new();
    let mut ok = true;
    for entry in inner(pair) {
        let mut it = entry.into_inner();
        let (Some(name), Some(text)) = (it.next(), it.next()) else {
            continue;
        };
        let name = names::ident(cx, name);
        let text = sql(cx, text);
        let Some(dialect) = Dialect::from_name(&name.value) else {
            cx.error(
                Diagnostic::error("E0115", format!("unknown dialect `{}`", name.value))
                    .with_span(name.span, "not a dialect")
                    .with_help("the dialects are `postgresql` and `sqlite`"),
            );
            ok = false;
            continue;
        };
        if let Some((_, prev)) = out.iter().find(|(d, _)| *d == dialect) {
            cx.error(
                Diagnostic::error("E0115", format!("`{}` is given twice", dialect.name()))
                    .with_span(name.span, "given again here")
                    .with_label(prev.span, "first given here")
                    .with_help("give each dialect once"),
            );
            ok = false;
            continue;
        }
        match text {
            Some(t) => out.push((dialect, t)),
            None => ok = false,
        }
    }
    if ok && out.is_empty() {
        cx.error(
            Diagnostic::error("E0125", "no dialect is given")
                .with_span(span, "empty")
                .with_help("write at least one entry, e.g. { postgresql \"...\" sqlite \"...\" }"),
        );
        return None;
    }
    ok.then_some(out)
}

fn simple_type(cx: &mut Ctx, pair: Pair<Rule>) -> Option<ColumnType> {
    let mut it = inner(pair);
    let name = it.next()?;
    let args: Vec<Pair<Rule>> = it.flat_map(inner).collect();
    let word = name.as_str();
    let name_span = cx.span(name.as_span().start(), name.as_span().end());
    let Some(max_args) = max_type_args(word) else {
        cx.error(unknown_type(word, name_span));
        return None;
    };
    if args.len() > max_args {
        let first = args
            .first()
            .map(|a| a.as_span().start())
            .unwrap_or(name_span.end);
        let last = args
            .last()
            .map(|a| a.as_span().end())
            .unwrap_or(name_span.end);
        let allowed = match max_args {
            0 => format!("`{word}` takes no arguments"),
            1 => format!("`{word}` takes at most one argument"),
            _ => format!("`{word}` takes at most {max_args} arguments"),
        };
        cx.error(
            Diagnostic::error("E0108", allowed.clone())
                .with_span(cx.span(first, last), "too many arguments")
                .with_help(format!("the types are: {TYPE_NAMES}")),
        );
        return None;
    }
    let mut nums = Vec::new();
    for a in &args {
        nums.push(type_arg(cx, a.clone())?);
    }
    check_type_args(cx, word, &nums, &args)?;
    Some(build_type(word, &nums))
}

/// A `string(N)` / `numeric(P, S)` argument: 1 to 2^31-1 (scale may be 0).
fn type_arg(cx: &mut Ctx, pair: Pair<Rule>) -> Option<u32> {
    let sp = pair.as_span();
    match pair.as_str().parse::<u32>() {
        Ok(n) if n <= i32::MAX as u32 => Some(n),
        _ => {
            cx.error(
                Diagnostic::error("E0119", "type argument out of range")
                    .with_span(cx.span(sp.start(), sp.end()), "too large")
                    .with_help("lengths and precisions are at most 2147483647"),
            );
            None
        }
    }
}

/// A length or precision is at least 1; a scale is at most the precision.
fn check_type_args(cx: &mut Ctx, word: &str, nums: &[u32], args: &[Pair<Rule>]) -> Option<()> {
    let bad = match nums {
        [0, ..] => Some((
            0,
            format!(
                "the {} must be at least 1",
                if word == "string" {
                    "length"
                } else {
                    "precision"
                }
            ),
        )),
        [p, s] if s > p => Some((
            1,
            format!("the scale ({s}) cannot exceed the precision ({p})"),
        )),
        _ => None,
    };
    let Some((i, msg)) = bad else { return Some(()) };
    let sp = args.get(i).map(|a| a.as_span());
    let span = sp.map_or(cx.span(0, 0), |sp| cx.span(sp.start(), sp.end()));
    cx.error(
        Diagnostic::error("E0119", format!("invalid `{word}` argument: {msg}"))
            .with_span(span, "invalid")
            .with_help(
                "write string(N) with N ≥ 1, numeric(P) or numeric(P, S) with 1 ≤ P and S ≤ P",
            ),
    );
    None
}

fn max_type_args(word: &str) -> Option<usize> {
    Some(match word {
        "string" => 1,
        "numeric" => 2,
        "smallint" | "integer" | "bigint" | "boolean" | "text" | "float" | "double" | "date"
        | "time" | "timestamp" | "timestamptz" | "interval" | "uuid" | "json" | "jsonb"
        | "binary" => 0,
        _ => return None,
    })
}

fn build_type(word: &str, nums: &[u32]) -> ColumnType {
    match word {
        "smallint" => ColumnType::SmallInt,
        "integer" => ColumnType::Integer,
        "bigint" => ColumnType::BigInt,
        "boolean" => ColumnType::Boolean,
        "string" => ColumnType::String {
            length: nums.first().copied(),
        },
        "text" => ColumnType::Text,
        "numeric" => ColumnType::Numeric {
            precision: nums.first().copied(),
            scale: nums.get(1).copied(),
        },
        "float" => ColumnType::Float,
        "double" => ColumnType::Double,
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "timestamp" => ColumnType::Timestamp,
        "timestamptz" => ColumnType::TimestampTz,
        "interval" => ColumnType::Interval,
        "uuid" => ColumnType::Uuid,
        "json" => ColumnType::Json,
        "jsonb" => ColumnType::Jsonb,
        _ => ColumnType::Binary,
    }
}

fn unknown_type(word: &str, span: Span) -> Diagnostic {
    let alias = match word {
        "int" | "int4" | "serial" => Some("integer"),
        "int2" => Some("smallint"),
        "int8" | "bigserial" => Some("bigint"),
        "bool" => Some("boolean"),
        "varchar" | "char" | "character" => Some("string(N)"),
        "decimal" => Some("numeric(P, S)"),
        "real" | "float4" => Some("float"),
        "float8" => Some("double"),
        "bytea" | "blob" => Some("binary"),
        "datetime" => Some("timestamp"),
        _ => None,
    };
    // The first word of a column option (`not` of `not null`).
    let is_option = super::errors::OPTION_WORDS
        .iter()
        .any(|o| o.split(' ').next() == Some(word));
    if is_option {
        return Diagnostic::error("E0107", format!("expected a column type, found the option `{word}`"))
            .with_span(span, "the type is missing before this option")
            .with_help(format!("write the type after the column name, e.g. `email text {word} ...`; the types are: {TYPE_NAMES}"));
    }
    let d = Diagnostic::error("E0107", format!("unknown column type `{word}`"))
        .with_span(span, "not a type of the language");
    match alias {
        Some(a) => d.with_help(format!("write `{a}`; the types are: {TYPE_NAMES}")),
        None => d.with_help(format!(
            "the types are: {TYPE_NAMES}; for any other database type write native \"TYPE\""
        )),
    }
}

/// A literal pair (`literal`) → [`Literal`].
pub fn literal(cx: &mut Ctx, pair: Pair<Rule>) -> Option<Literal> {
    let t = pair.into_inner().next()?;
    let sp = t.as_span();
    Some(match t.as_rule() {
        Rule::NULL => Literal::Null,
        Rule::TRUE => Literal::Bool(true),
        Rule::FALSE => Literal::Bool(false),
        Rule::number if literal::is_integer(t.as_str()) => Literal::Integer(t.as_str().to_string()),
        Rule::number => Literal::Decimal(t.as_str().to_string()),
        Rule::hex_bytes => Literal::Binary(literal::decode_hex(cx, t.as_str(), sp.start())?),
        Rule::typed_literal => typed_literal(cx, t)?,
        _ => Literal::String(string(cx, t)?.0),
    })
}

fn typed_literal(cx: &mut Ctx, pair: Pair<Rule>) -> Option<Literal> {
    let mut it = pair.into_inner();
    let (kw, s) = (it.next()?, it.next()?);
    let (value, span) = string(cx, s)?;
    Some(match kw.as_rule() {
        Rule::DATE => Literal::Date(value),
        Rule::TIME => Literal::Time(value),
        Rule::TIMESTAMP => Literal::Timestamp(value),
        Rule::TIMESTAMPTZ => Literal::TimestampTz(value),
        Rule::INTERVAL => Literal::Interval(value),
        Rule::UUID if literal::is_uuid(&value) => Literal::Uuid(value),
        Rule::UUID => {
            cx.error(
                Diagnostic::error("E0128", format!("`{value}` is not a UUID"))
                    .with_span(span, "not a UUID")
                    .with_help("write 32 hex digits, usually as 8-4-4-4-12, e.g. uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
            );
            return None;
        }
        _ => json_literal(cx, value, span)?,
    })
}

fn json_literal(cx: &mut Ctx, value: String, span: Span) -> Option<Literal> {
    match literal::validate_json(&value) {
        Ok(()) => Some(Literal::Json(value)),
        Err((at, expected)) => {
            cx.error(
                Diagnostic::error("E0114", format!("invalid JSON: expected {expected} at byte {at} of the value"))
                    .with_span(span, format!("expected {expected} at byte {at}"))
                    .with_help("write one JSON value (RFC 8259): double-quoted keys and strings, no trailing commas"),
            );
            None
        }
    }
}

/// `default_sql` or `literal` → [`Default`].
pub fn default_value(cx: &mut Ctx, pair: Pair<Rule>) -> Option<Default> {
    if pair.as_rule() == Rule::default_sql {
        let s = pair.into_inner().nth(1)?;
        return Some(Default::Expression(string(cx, s)?.0));
    }
    Some(Default::Literal(literal(cx, pair)?))
}

/// A column with its name, type and options (`create_table` body, `add_column`).
pub fn column_def<'a>(
    cx: &mut Ctx,
    name: Ident,
    ty: Pair<'a, Rule>,
    options: impl Iterator<Item = Pair<'a, Rule>>,
    end: usize,
) -> Option<ColumnDef> {
    let span = cx.span(name.span.start, end);
    let ty = column_type(cx, ty);
    let mut col = ColumnDef {
        name,
        ty: ColumnType::Text,
        nullable: None,
        primary_key: false,
        identity: None,
        unique: false,
        default: None,
        references: None,
        check: None,
        comment: None,
        span,
    };
    let mut seen = Seen::default();
    let mut ok = true;
    for opt in options {
        ok &= column_option(cx, &mut col, &mut seen, opt);
    }
    col.ty = ty?;
    ok.then_some(col)
}

/// Applies one option; false after reporting an error.
fn column_option(cx: &mut Ctx, col: &mut ColumnDef, seen: &mut Seen, opt: Pair<Rule>) -> bool {
    let span = span_of(cx, &opt);
    let (group, word) = option_group(opt.as_rule());
    if let Some((_, prev)) = seen.as_slice().iter().find(|(g, _)| *g == group) {
        let prev = *prev;
        cx.error(conflicting_option(cx, word, group, span, prev));
        return false;
    }
    seen.push((group, span));
    let rule = opt.as_rule();
    let mut it = opt.into_inner();
    match rule {
        Rule::opt_not_null => col.nullable = Some(false),
        Rule::opt_null => col.nullable = Some(true),
        Rule::opt_primary_key => col.primary_key = true,
        Rule::opt_autoincrement => col.identity = Some(Identity::ByDefault),
        Rule::opt_identity if it.nth(1).is_some() => col.identity = Some(Identity::Always),
        Rule::opt_identity => col.identity = Some(Identity::ByDefault),
        Rule::opt_unique => col.unique = true,
        Rule::opt_default => match it.nth(1).and_then(|v| default_value(cx, v)) {
            Some(d) => col.default = Some(d),
            None => return false,
        },
        Rule::opt_references => match references_option(cx, span, it) {
            Some(r) => col.references = Some(r),
            None => return false,
        },
        Rule::opt_check => match it.nth(1).and_then(|s| sql(cx, s)) {
            Some(s) => col.check = Some(s),
            None => return false,
        },
        _ => match it.nth(1).and_then(|s| string(cx, s)) {
            Some((s, _)) => col.comment = Some(s),
            None => return false,
        },
    }
    check_pk_null(cx, col, seen.as_slice())
}

/// The option groups a column has set, with where (a group is pushed once,
/// and there are eight: no allocation per column).
#[derive(Default)]
struct Seen {
    items: [(&'static str, Span); 8],
    len: usize,
}

impl Seen {
    fn push(&mut self, item: (&'static str, Span)) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = item;
            self.len += 1;
        }
    }
    fn as_slice(&self) -> &[(&'static str, Span)] {
        &self.items[..self.len]
    }
}

/// `primary_key` with an explicit `null` is a contradiction PostgreSQL rejects.
fn check_pk_null(cx: &mut Ctx, col: &ColumnDef, seen: &[(&'static str, Span)]) -> bool {
    if !(col.primary_key && col.nullable == Some(true)) {
        return true;
    }
    let find = |g: &str| seen.iter().find(|(s, _)| *s == g).map(|(_, sp)| *sp);
    let (Some(pk), Some(null)) = (find("primary key"), find("nullability")) else {
        return true;
    };
    let (later, earlier) = if pk.start > null.start {
        (pk, null)
    } else {
        (null, pk)
    };
    cx.error(
        Diagnostic::error("E0110", "a primary key column cannot be `null`")
            .with_span(later, "contradicts the other option")
            .with_label(earlier, "here")
            .with_help("remove `null`: primary key columns are always NOT NULL"),
    );
    false
}

/// Options that may not be combined share a group; the word is for messages.
fn option_group(rule: Rule) -> (&'static str, &'static str) {
    match rule {
        Rule::opt_not_null => ("nullability", "not null"),
        Rule::opt_null => ("nullability", "null"),
        Rule::opt_primary_key => ("primary key", "primary_key"),
        Rule::opt_autoincrement => ("identity", "autoincrement"),
        Rule::opt_identity => ("identity", "identity"),
        Rule::opt_unique => ("unique", "unique"),
        Rule::opt_default => ("default", "default"),
        Rule::opt_references => ("references", "references"),
        Rule::opt_check => ("check", "check"),
        _ => ("comment", "comment"),
    }
}

fn conflicting_option(cx: &Ctx, word: &str, group: &str, span: Span, prev: Span) -> Diagnostic {
    let prev_text = cx.text.get(prev.start..prev.end).unwrap_or("");
    let first_word = prev_text.split_whitespace().next().unwrap_or("");
    let dup = first_word == word.split(' ').next().unwrap_or("");
    let (msg, help) = if dup {
        (
            format!("`{word}` is given twice"),
            "give each column option once".to_string(),
        )
    } else {
        (
            format!("`{word}` contradicts `{}`", short(prev_text)),
            format!("a column has one {group} setting; keep only the one you mean"),
        )
    };
    Diagnostic::error(if dup { "E0109" } else { "E0110" }, msg)
        .with_span(span, "here")
        .with_label(prev, "first given here")
        .with_help(help)
}

/// First few words of an option, for messages.
fn short(text: &str) -> String {
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `references [schema.]table.column CLAUSE...` on a column.
fn references_option<'a>(
    cx: &mut Ctx,
    span: Span,
    mut it: impl Iterator<Item = Pair<'a, Rule>>,
) -> Option<ForeignKeyRef> {
    it.next(); // REFERENCES
    let target = it.next()?;
    let (table, column) = names::column_target(cx, target, None)?;
    let mut r = ForeignKeyRef {
        table,
        columns: vec![column],
        on_delete: None,
        on_update: None,
        deferrable: None,
        use_alter: false,
        span,
    };
    fk_clauses(cx, &mut r, it).then_some(r)
}

/// `on delete`, `on update`, `deferrable`, `use_alter`: each at most once.
pub fn fk_clauses<'a>(
    cx: &mut Ctx,
    r: &mut ForeignKeyRef,
    clauses: impl Iterator<Item = Pair<'a, Rule>>,
) -> bool {
    let mut seen: Vec<(Rule, Span)> = Vec::new();
    let mut ok = true;
    for c in clauses {
        let span = span_of(cx, &c);
        let rule = c.as_rule();
        if let Some((_, prev)) = seen.iter().find(|(r, _)| *r == rule) {
            cx.error(
                Diagnostic::error("E0121", format!("`{}` is given twice", short(c.as_str())))
                    .with_span(span, "given again here")
                    .with_label(*prev, "first given here")
                    .with_help("give each foreign key clause once"),
            );
            ok = false;
            continue;
        }
        seen.push((rule, span));
        match rule {
            Rule::fk_on_delete => r.on_delete = c.into_inner().last().map(fk_action),
            Rule::fk_on_update => r.on_update = c.into_inner().last().map(fk_action),
            Rule::fk_deferrable => r.deferrable = Some(deferrable(c)),
            _ => r.use_alter = true,
        }
    }
    ok
}

fn fk_action(pair: Pair<Rule>) -> FkAction {
    let rules: Vec<Rule> = pair.into_inner().map(|p| p.as_rule()).collect();
    match rules.as_slice() {
        [Rule::CASCADE] => FkAction::Cascade,
        [Rule::SET, Rule::NULL] => FkAction::SetNull,
        [Rule::SET, Rule::DEFAULT] => FkAction::SetDefault,
        [Rule::RESTRICT] => FkAction::Restrict,
        _ => FkAction::NoAction,
    }
}

fn deferrable(pair: Pair<Rule>) -> Deferrable {
    if pair.into_inner().any(|p| p.as_rule() == Rule::DEFERRED) {
        Deferrable::Deferred
    } else {
        Deferrable::Immediate
    }
}
