//! Lowering one IR operation to PostgreSQL statements, given the schema model
//! just before it.
//!
//! [`Cx`] is the one way names, literals and types reach SQL here: it quotes or
//! binds them, and collects a diagnostic (with the operation's span) for anything
//! PostgreSQL cannot hold, so every problem of an operation is reported at once.
//! The submodules are grouped by what the operations act on.

mod column;
mod constraint;
mod data;
mod index;
mod names;
mod objects;
mod table;

use super::{literal, quote, raw, templates, types};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::dialect::Statement;
use crate::ir::{ColumnType, Ident, Literal, Op, OpKind, QualifiedName};
use crate::model::{Limits, Schema, Table};
use crate::source::Span;
use minijinja::Value;

/// SQL written by the user (an expression, a condition), embedded in generated
/// SQL. When its last line holds a `--` comment, a line break ends it, so the
/// comment cannot swallow what the template writes after it.
pub(super) fn user_sql(text: &str) -> String {
    let last_line = text.rsplit('\n').next().unwrap_or(text);
    if last_line.contains("--") {
        format!("{text}\n")
    } else {
        text.to_string()
    }
}

/// Lower `op`, the model being `before` just before it.
pub fn lower(op: &Op, before: &Schema) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    lower_with(op, before, None)
}

/// Lower `create_table` `op` given the table the model adds for it (the names
/// of its unnamed constraints are read from it: no second build).
pub fn lower_created(
    op: &Op,
    before: &Schema,
    created: &Table,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    lower_with(op, before, Some(created))
}

fn lower_with(
    op: &Op,
    before: &Schema,
    created: Option<&Table>,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    let mut cx = Cx {
        before,
        created,
        diags: Diagnostics::new(),
        span: op.span,
    };
    let statements = cx.op(op);
    cx.diags.finish(statements)
}

pub(super) struct Cx<'a> {
    pub before: &'a Schema,
    /// The table a `create_table` adds, when the model has built it already.
    pub created: Option<&'a Table>,
    pub diags: Diagnostics,
    /// The span of the operation being lowered, for errors without a finer one.
    pub span: Span,
}

impl Cx<'_> {
    fn op(&mut self, op: &Op) -> Vec<Statement> {
        let outer = std::mem::replace(&mut self.span, op.span);
        let out = self.dispatch(op);
        self.span = outer;
        out
    }

    fn dispatch(&mut self, op: &Op) -> Vec<Statement> {
        match &op.kind {
            OpKind::CreateTable(ct) => self.create_table(op, ct),
            OpKind::DropTable { table } => self.drop_table(table),
            OpKind::RenameTable { table, new_name } => self.rename_table(table, new_name),
            OpKind::AddColumn { table, column } => self.add_column(op, table, column),
            OpKind::DropColumn { table, column } => self.drop_column(table, column),
            OpKind::AlterColumn {
                table,
                column,
                changes,
            } => self.alter_column(table, column, changes),
            OpKind::CreateIndex(ci) => self.create_index(ci),
            OpKind::DropIndex {
                name,
                table,
                concurrently,
                if_exists,
            } => self.drop_index(name, table.as_ref(), *concurrently, *if_exists),
            OpKind::AddConstraint { table, constraint } => {
                self.add_constraint(op, table, constraint)
            }
            OpKind::DropConstraint { table, name } => self.drop_constraint(table, name),
            OpKind::CreateSchema {
                name,
                if_not_exists,
            } => self.create_schema(name, *if_not_exists),
            OpKind::DropSchema {
                name,
                if_exists,
                cascade,
            } => self.drop_schema(name, *if_exists, *cascade),
            OpKind::CreateEnum { name, values } => self.create_enum(name, values),
            OpKind::DropEnum { name } => self.drop_enum(name),
            OpKind::AddEnumValue {
                name,
                value,
                position,
            } => self.add_enum_value(name, value, position.as_ref()),
            OpKind::SetTableComment { table, comment } => {
                self.table_comment(table, comment.as_deref())
            }
            OpKind::Execute(ex) => self.execute(ex),
            OpKind::BulkInsert {
                table,
                columns,
                rows,
            } => self.bulk_insert(table, columns, rows),
            OpKind::Backfill(bf) => self.backfill(bf),
            OpKind::BatchAlterTable { ops, .. } => self.batch(ops),
        }
    }

    /// A batch's operations in order; each sees the model after the ones before it.
    fn batch(&mut self, ops: &[Op]) -> Vec<Statement> {
        let mut model = self.before.clone();
        let mut out = Vec::new();
        for op in ops {
            let mut inner = Cx {
                before: &model,
                created: None,
                diags: Diagnostics::new(),
                span: op.span,
            };
            out.extend(inner.op(op));
            let diags = inner.diags;
            self.diags.extend(diags.into_vec());
            // The model has checked the batch already; if it refuses an op here
            // the driver reports it, and later ops see the model without it.
            let _ = model.apply(op, &Limits::POSTGRESQL);
        }
        out
    }

    // ----- names, literals, types -----

    /// Quote `name`, reporting it if PostgreSQL cannot hold it.
    pub fn name(&mut self, name: &str, span: Span) -> String {
        if let Err(why) = quote::check_ident(name) {
            self.diags.push(
                Diagnostic::error("E0500", format!("invalid PostgreSQL name: {why}"))
                    .with_span(span, "this name")
                    .with_help("use a name of at most 63 bytes, without NUL characters"),
            );
        }
        quote::quote_ident(name)
    }

    pub fn ident(&mut self, id: &Ident) -> String {
        self.name(&id.value, id.span)
    }

    pub fn qname(&mut self, q: &QualifiedName) -> String {
        let name = self.ident(&q.name);
        match &q.schema {
            Some(s) => format!("{}.{name}", self.ident(s)),
            None => name,
        }
    }

    /// A name the compiler made up (not written by the user), checked the same way.
    pub fn generated_name(&mut self, name: &str) -> String {
        self.name(name, self.span)
    }

    pub fn lit(&mut self, lit: &Literal, target: Option<&ColumnType>) -> String {
        literal::bind(lit, target).unwrap_or_else(|why| {
            self.literal_error(why);
            "NULL".into()
        })
    }

    pub fn string(&mut self, s: &str) -> String {
        literal::string(s).unwrap_or_else(|why| {
            self.literal_error(why);
            "NULL".into()
        })
    }

    fn literal_error(&mut self, why: String) {
        self.diags.push(
            Diagnostic::error(
                "E0501",
                format!("cannot write this value for PostgreSQL: {why}"),
            )
            .with_span(self.span, "in this operation")
            .with_help("remove the character or store the value as binary (x'...')"),
        );
    }

    pub fn ty(&mut self, ty: &ColumnType, span: Span) -> String {
        types::type_sql(ty).unwrap_or_else(|why| {
            self.diags.push(
                Diagnostic::error("E0502", format!("no PostgreSQL type: {why}"))
                    .with_span(span, "this column's type")
                    .with_help("add a variant: native { postgresql \"TYPE\" ... }"),
            );
            "UNKNOWN".into()
        })
    }

    pub fn render(&mut self, template: &str, ctx: Value) -> String {
        templates::render(template, ctx).unwrap_or_else(|d| {
            self.diags.push(d);
            String::new()
        })
    }

    // ----- the model -----

    pub fn table(&self, q: &QualifiedName) -> Option<&Table> {
        let key = (
            q.schema.as_ref().map(|s| s.value.clone()),
            q.name.value.clone(),
        );
        self.before.tables.get(&key).map(|t| &**t)
    }

    pub fn column_type(&self, table: &QualifiedName, column: &str) -> Option<ColumnType> {
        let t = self.table(table)?;
        t.columns.get(column).map(|c| c.ty.clone())
    }
}
