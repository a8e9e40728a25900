//! Bind: render `{{ var }}` in names and raw SQL of a parsed revision.
//!
//! Rendered: every [`Ident`] (tables, columns, schemas, constraints, indexes),
//! every [`SqlText`] (`execute`, `check`, `where`, `using`, `sql "..."` index
//! elements, `reverse`, `backfill`), `default sql "..."` expressions, `enum`
//! type names and `native` type text. Not rendered: data (literal values,
//! enum values), comments and the revision message — they are stored as written.
//!
//! Only strings containing `{{`, `{%` or `{#` go through minijinja, so binding a
//! revision without templates costs a scan. The environment is empty (no
//! filters, no globals, no auto-escaping) and undefined variables are errors
//! (`UndefinedBehavior::Strict`). Error codes: E0130–E0139.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::*;
use crate::source::Span;
use indexmap::IndexMap;
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use std::collections::BTreeMap;

/// Renders every template in `rev` with `vars` (from `-x KEY=VALUE` and the
/// config's `[vars]`). Returns every error, each pointing at the name or SQL
/// text that uses the bad template.
pub fn bind_revision(
    rev: &Revision,
    vars: &IndexMap<String, String>,
) -> Result<Revision, Vec<Diagnostic>> {
    bind_owned(rev.clone(), vars)
}

/// [`bind_revision`] in place, for a caller that does not keep the unbound
/// revision (a copy of every revision was a tenth of the parse time).
pub fn bind_owned(
    mut out: Revision,
    vars: &IndexMap<String, String>,
) -> Result<Revision, Vec<Diagnostic>> {
    let mut b = Binder::new(vars);
    for op in out.upgrade.iter_mut() {
        walk_op(op, &mut b);
    }
    for op in out.downgrade.iter_mut().flatten() {
        walk_op(op, &mut b);
    }
    b.diags.finish(out)
}

/// Whether text holds template syntax and must be rendered. One pass over the
/// bytes: it runs on every name and SQL text of every revision, and three
/// substring searches cost more than the rest of binding an untemplated name.
pub fn has_template(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'{' && matches!(w[1], b'{' | b'%' | b'#'))
}

struct Binder<'v> {
    env: Environment<'static>,
    vars: &'v IndexMap<String, String>,
    ctx: BTreeMap<&'v str, &'v str>,
    diags: Diagnostics,
}

impl<'v> Binder<'v> {
    fn new(vars: &'v IndexMap<String, String>) -> Self {
        let mut env = Environment::empty();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let ctx = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Binder {
            env,
            vars,
            ctx,
            diags: Diagnostics::new(),
        }
    }

    /// Renders `text` in place; on error reports it at `span` and leaves it.
    fn render(&mut self, text: &mut String, span: Span, what: &str) -> bool {
        if !has_template(text) {
            return true;
        }
        let missing = undefined_names(text, self.vars);
        if !missing.is_empty() {
            self.diags.push(self.undefined(&missing, span));
            return false;
        }
        match self.env.render_str(text, &self.ctx) {
            Ok(s) => {
                *text = s;
                true
            }
            Err(e) if e.kind() == ErrorKind::UndefinedError => {
                self.diags.push(self.undefined(&[], span));
                false
            }
            Err(e) => {
                let detail = e
                    .detail()
                    .map(str::to_string)
                    .unwrap_or_else(|| e.kind().to_string());
                self.diags.push(
                    Diagnostic::error(
                        "E0131",
                        format!("cannot render the template in this {what}: {detail}"),
                    )
                    .with_span(span, "bad template")
                    .with_help(
                        "write variables as {{ name }}; to write `{{` literally use {{ '{{' }}",
                    ),
                );
                false
            }
        }
    }

    fn undefined(&self, names: &[String], span: Span) -> Diagnostic {
        let defined = if self.vars.is_empty() {
            "no variables are defined".to_string()
        } else {
            let names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
            format!("defined variables: {}", names.join(", "))
        };
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let msg = match quoted.len() {
            0 => "undefined template variable".to_string(),
            1 => format!("undefined template variable {}", quoted[0]),
            _ => format!("undefined template variables {}", quoted.join(", ")),
        };
        let name = names.first().map_or("KEY", String::as_str);
        Diagnostic::error("E0130", msg)
            .with_span(span, "used here")
            .with_help(format!(
                "define it with `-x {name}=VALUE` on the command line or in the `[vars]` table of the config; {defined}"
            ))
    }

    fn ident(&mut self, id: &mut Ident) {
        if !has_template(&id.value) || !self.render(&mut id.value, id.span, "name") {
            return;
        }
        if id.value.trim().is_empty() || id.value.contains('\0') {
            self.diags.push(
                Diagnostic::error(
                    "E0132",
                    format!("this name renders to an invalid name {:?}", id.value),
                )
                .with_span(id.span, "renders to an empty name or one containing NUL")
                .with_help("give the variable a non-empty value without NUL characters"),
            );
        }
    }

    fn sql(&mut self, s: &mut SqlText) {
        if self.render(&mut s.text, s.span, "SQL text") && s.text.contains('\0') {
            self.diags.push(
                Diagnostic::error("E0133", "this SQL text renders to text containing NUL")
                    .with_span(s.span, "contains NUL after rendering")
                    .with_help("remove the NUL character from the variable's value"),
            );
        }
    }

    fn text(&mut self, s: &mut String, span: Span) {
        self.render(s, span, "text");
    }
}

/// The variables of `{{ name ...` expressions that are not defined, in order
/// of first use (a precise message before minijinja runs).
fn undefined_names(text: &str, vars: &IndexMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i + 2..];
        let expr = rest.trim_start_matches([' ', '\t', '-']);
        let len = expr
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(expr.len(), |(i, _)| i);
        let name = &expr[..len];
        let is_var = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let known = vars.contains_key(name) || matches!(name, "true" | "false" | "none");
        if is_var && !known && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

fn walk_op(op: &mut Op, b: &mut Binder) {
    let span = op.span;
    match &mut op.kind {
        OpKind::CreateTable(t) => {
            qname(&mut t.table, b);
            for c in &mut t.columns {
                column(c, b);
            }
            for c in &mut t.constraints {
                constraint(c, b);
            }
        }
        OpKind::DropTable { table } => qname(table, b),
        OpKind::RenameTable { table, new_name } => {
            qname(table, b);
            b.ident(new_name);
        }
        OpKind::AddColumn { table, column: c } => {
            qname(table, b);
            column(c, b);
        }
        OpKind::DropColumn { table, column } => {
            qname(table, b);
            b.ident(column);
        }
        OpKind::AlterColumn {
            table,
            column,
            changes,
        } => {
            qname(table, b);
            b.ident(column);
            for ch in changes {
                change(ch, span, b);
            }
        }
        OpKind::CreateIndex(ix) => index(ix, b),
        OpKind::DropIndex { name, table, .. } => {
            qname(name, b);
            if let Some(t) = table {
                qname(t, b);
            }
        }
        OpKind::AddConstraint {
            table,
            constraint: c,
        } => {
            qname(table, b);
            constraint(c, b);
        }
        OpKind::DropConstraint { table, name } => {
            qname(table, b);
            b.ident(name);
        }
        OpKind::CreateSchema { name, .. } | OpKind::DropSchema { name, .. } => b.ident(name),
        OpKind::CreateEnum { name, .. }
        | OpKind::DropEnum { name }
        | OpKind::AddEnumValue { name, .. } => qname(name, b),
        OpKind::SetTableComment { table, .. } => qname(table, b),
        OpKind::Execute(e) => execute(e, b),
        OpKind::BulkInsert { table, columns, .. } => {
            qname(table, b);
            columns.iter_mut().for_each(|c| b.ident(c));
        }
        OpKind::Backfill(bf) => {
            qname(&mut bf.table, b);
            b.sql(&mut bf.set);
            b.sql(&mut bf.where_clause);
            if let Some(k) = &mut bf.key {
                b.ident(k);
            }
            reverse(&mut bf.reverse, b);
        }
        OpKind::BatchAlterTable { table, ops } => {
            qname(table, b);
            for op in ops {
                walk_op(op, b);
            }
        }
    }
}

fn qname(q: &mut QualifiedName, b: &mut Binder) {
    if let Some(s) = &mut q.schema {
        b.ident(s);
    }
    b.ident(&mut q.name);
}

fn column(c: &mut ColumnDef, b: &mut Binder) {
    b.ident(&mut c.name);
    column_type(&mut c.ty, c.span, b);
    if let Some(Default::Expression(e)) = &mut c.default {
        b.text(e, c.span);
    }
    if let Some(r) = &mut c.references {
        fk(r, b);
    }
    if let Some(s) = &mut c.check {
        b.sql(s);
    }
}

fn column_type(ty: &mut ColumnType, span: Span, b: &mut Binder) {
    match ty {
        ColumnType::Enum { name, schema } => {
            b.text(name, span);
            if let Some(s) = schema {
                b.text(s, span);
            }
        }
        ColumnType::Native {
            default,
            per_dialect,
        } => {
            if let Some(d) = default {
                b.text(d, span);
            }
            for (_, t) in per_dialect {
                b.text(t, span);
            }
        }
        _ => {}
    }
}

fn fk(r: &mut ForeignKeyRef, b: &mut Binder) {
    qname(&mut r.table, b);
    r.columns.iter_mut().for_each(|c| b.ident(c));
}

fn constraint(c: &mut TableConstraint, b: &mut Binder) {
    if let Some(n) = &mut c.name {
        b.ident(n);
    }
    match &mut c.kind {
        ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
            columns.iter_mut().for_each(|c| b.ident(c))
        }
        ConstraintKind::ForeignKey {
            columns,
            references,
        } => {
            columns.iter_mut().for_each(|c| b.ident(c));
            fk(references, b);
        }
        ConstraintKind::Check { expr } => b.sql(expr),
    }
}

fn change(ch: &mut ColumnChange, span: Span, b: &mut Binder) {
    match ch {
        ColumnChange::SetType { ty, using } => {
            column_type(ty, span, b);
            if let Some(u) = using {
                b.sql(u);
            }
        }
        ColumnChange::SetDefault(Default::Expression(e)) => b.text(e, span),
        ColumnChange::Rename(n) => b.ident(n),
        _ => {}
    }
}

fn index(ix: &mut CreateIndex, b: &mut Binder) {
    b.ident(&mut ix.name);
    qname(&mut ix.table, b);
    for e in &mut ix.elements {
        match e {
            IndexElement::Column { name, .. } => b.ident(name),
            IndexElement::Expression(s) => b.sql(s),
        }
    }
    if let Some(w) = &mut ix.where_clause {
        b.sql(w);
    }
}

fn execute(e: &mut Execute, b: &mut Binder) {
    if let Some(s) = &mut e.sql {
        b.sql(s);
    }
    for (_, s) in &mut e.per_dialect {
        b.sql(s);
    }
    reverse(&mut e.reverse, b);
}

fn reverse(r: &mut Option<Reverse>, b: &mut Binder) {
    if let Some(Reverse::Sql(s)) = r {
        b.sql(s);
    }
}
