//! The header: `revision`, `revises`, then `message` / `branch_labels` /
//! `depends_on` in any order, each at most once.
//!
//! The grammar accepts header lines in any order (and skips bad ones) so that
//! this module can say precisely what is missing, repeated or out of order.

use super::column::{span_of, string};
use super::errors;
use super::names;
use super::parser::Rule;
use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::ir::{Ident, RevisionHeader};
use crate::source::Span;
use pest::iterators::Pair;

/// Lowers the `header` pair.
pub fn lower(cx: &mut Ctx, pair: Pair<Rule>) -> Option<RevisionHeader> {
    let start = pair.as_span().start();
    let mut h = RevisionHeader {
        id: Ident::new("", cx.span(start, start)),
        parents: Vec::new(),
        message: String::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        span: cx.span(start, start),
    };
    let mut seen: Vec<(Rule, Span)> = Vec::new();
    let mut end = start;
    let mut bad_lines = 0;
    let mut quiet = false;
    for item in pair.into_inner() {
        if item.as_rule() == Rule::bad_header_line {
            bad_lines += 1;
            if !quiet {
                let d = errors::reparse(cx, item.as_span().start(), errors::Context::Header);
                cx.error(d);
            }
            // A misspelt `upgrade {` makes every line of the body a bad header
            // line: report the line that opens a block, not the lines after it.
            quiet |= item.as_str().contains('{');
            continue;
        }
        let Some(line) = item.into_inner().next() else {
            continue;
        };
        end = end.max(super::column::end_of(&line));
        header_line(cx, &mut h, &mut seen, line);
    }
    h.span = cx.span(start, end);
    // A bad line is most likely the missing one: say only what is wrong with it.
    if bad_lines > 0 {
        return None;
    }
    let in_order = check_order(cx, &seen);
    (required_lines(cx, &seen, h.span) && in_order).then_some(h)
}

fn header_line(
    cx: &mut Ctx,
    h: &mut RevisionHeader,
    seen: &mut Vec<(Rule, Span)>,
    line: Pair<Rule>,
) {
    let rule = line.as_rule();
    let span = span_of(cx, &line);
    if !check_duplicate(cx, seen, rule, span) {
        return;
    }
    seen.push((rule, span));
    let mut values = super::column::inner(line).skip(1);
    match rule {
        Rule::revision_line => {
            if let Some(p) = values.next() {
                h.id = rev_id(cx, p);
            }
        }
        Rule::revises_line => {
            h.parents = values
                .filter(|p| p.as_rule() == Rule::rev_id)
                .map(|p| rev_id(cx, p))
                .collect();
        }
        Rule::message_line => {
            if let Some((s, _)) = values.next().and_then(|p| string(cx, p)) {
                h.message = s;
            }
        }
        Rule::branch_labels_line => h.branch_labels = values.map(|p| label(cx, p)).collect(),
        _ => h.depends_on = values.map(|p| rev_id(cx, p)).collect(),
    }
}

fn rev_id(cx: &Ctx, p: Pair<Rule>) -> Ident {
    Ident::new(p.as_str(), cx.span(p.as_span().start(), p.as_span().end()))
}

/// A branch label: a name, but no template (the graph is read without variables).
fn label(cx: &mut Ctx, p: Pair<Rule>) -> Ident {
    let id = names::ident(cx, p);
    if id.value.contains("{{") || id.value.contains("{%") {
        cx.error(
            Diagnostic::error("E0123", "templates are not allowed in the header")
                .with_span(id.span, "template here")
                .with_help("write the label literally; the revision graph is read before variables are known"),
        );
    }
    id
}

fn line_word(rule: Rule) -> &'static str {
    match rule {
        Rule::revision_line => "revision",
        Rule::revises_line => "revises",
        Rule::message_line => "message",
        Rule::branch_labels_line => "branch_labels",
        _ => "depends_on",
    }
}

/// Every line at most once.
fn check_duplicate(cx: &mut Ctx, seen: &[(Rule, Span)], rule: Rule, span: Span) -> bool {
    let word = line_word(rule);
    if let Some((_, prev)) = seen.iter().find(|(r, _)| *r == rule) {
        cx.error(
            Diagnostic::error("E0102", format!("the header has two `{word}` lines"))
                .with_span(span, "second one")
                .with_label(*prev, "first one")
                .with_help(format!("keep one `{word}` line")),
        );
        return false;
    }
    true
}

/// `revision` first, `revises` second, then the others: a line is out of
/// order when a line that must precede it comes later.
fn check_order(cx: &mut Ctx, seen: &[(Rule, Span)]) -> bool {
    let rank = |r: Rule| match r {
        Rule::revision_line => 0,
        Rule::revises_line => 1,
        _ => 2,
    };
    let mut ok = true;
    for (i, (rule, span)) in seen.iter().enumerate() {
        let Some((later, later_span)) = seen[i + 1..].iter().find(|(r, _)| rank(*r) < rank(*rule))
        else {
            continue;
        };
        cx.error(
            Diagnostic::error("E0102", format!("the `{}` line must come after `{}`", line_word(*rule), line_word(*later)))
                .with_span(*span, "out of order")
                .with_label(*later_span, "this line comes first")
                .with_help("the header starts with `revision ID`, then `revises ...`; `message`, `branch_labels` and `depends_on` follow in any order"),
        );
        ok = false;
    }
    ok
}

/// `revision` and `revises` must be there.
fn required_lines(cx: &mut Ctx, seen: &[(Rule, Span)], span: Span) -> bool {
    let mut ok = true;
    for (rule, example) in [
        (Rule::revision_line, "revision a1b2c3d4e5f6"),
        (Rule::revises_line, "revises none"),
    ] {
        if seen.iter().any(|(r, _)| *r == rule) {
            continue;
        }
        let word = line_word(rule);
        cx.error(
            Diagnostic::error("E0101", format!("the header has no `{word}` line"))
                .with_span(span, format!("`{word}` is missing"))
                .with_help(format!(
                    "every revision file starts with `revision ID` then `revises PARENT` (`revises none` for the first revision), e.g. `{example}`"
                )),
        );
        ok = false;
    }
    ok
}
