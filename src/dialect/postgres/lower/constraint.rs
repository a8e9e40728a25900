//! Table constraints: their SQL body (shared by `CREATE TABLE` and
//! `ALTER TABLE ... ADD`), and the add/drop constraint operations.

use super::names::Shape;
use super::{user_sql, Cx};
use crate::dialect::Statement;
use crate::ir::{
    ConstraintKind, Deferrable, ForeignKeyRef, Ident, Op, QualifiedName, TableConstraint,
};
use serde::Serialize;

/// What `constraint.sql.j2` receives; every text is already SQL. The kind is one
/// flag per kind, and the texts only some kinds write are empty for the others:
/// a template that only tests names and writes strings renders by substitution,
/// without the template engine (see `crate::dialect::templates`).
#[derive(Serialize, Default)]
pub(super) struct ConstraintSql {
    pub name: Option<String>,
    pub primary_key: bool,
    pub unique: bool,
    pub check: bool,
    pub foreign_key: bool,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<&'static str>,
    pub on_update: Option<&'static str>,
    pub deferrable: Option<&'static str>,
    pub expr: String,
}

impl Cx<'_> {
    pub(super) fn idents(&mut self, ids: &[Ident]) -> Vec<String> {
        ids.iter().map(|i| self.ident(i)).collect()
    }

    pub(super) fn primary_key_sql(
        &mut self,
        name: Option<String>,
        columns: &[Ident],
    ) -> ConstraintSql {
        ConstraintSql {
            name,
            primary_key: true,
            columns: self.idents(columns),
            ..Default::default()
        }
    }

    pub(super) fn unique_sql(&mut self, name: Option<String>, columns: &[Ident]) -> ConstraintSql {
        ConstraintSql {
            name,
            unique: true,
            columns: self.idents(columns),
            ..Default::default()
        }
    }

    pub(super) fn check_sql(&mut self, name: Option<String>, expr: &str) -> ConstraintSql {
        ConstraintSql {
            name,
            check: true,
            expr: user_sql(expr),
            ..Default::default()
        }
    }

    pub(super) fn foreign_key_sql(
        &mut self,
        name: Option<String>,
        columns: &[Ident],
        fk: &ForeignKeyRef,
    ) -> ConstraintSql {
        ConstraintSql {
            name,
            foreign_key: true,
            columns: self.idents(columns),
            ref_table: self.qname(&fk.table),
            ref_columns: self.idents(&fk.columns),
            on_delete: fk.on_delete.map(|a| a.sql()),
            on_update: fk.on_update.map(|a| a.sql()),
            deferrable: fk.deferrable.map(|d| match d {
                Deferrable::Immediate => "DEFERRABLE INITIALLY IMMEDIATE",
                Deferrable::Deferred => "DEFERRABLE INITIALLY DEFERRED",
            }),
            ..Default::default()
        }
    }

    /// The SQL body of a table-level constraint; `name` is the one to write.
    pub(super) fn constraint_sql(
        &mut self,
        name: Option<String>,
        c: &ConstraintKind,
    ) -> ConstraintSql {
        match c {
            ConstraintKind::PrimaryKey { columns } => self.primary_key_sql(name, columns),
            ConstraintKind::Unique { columns } => self.unique_sql(name, columns),
            ConstraintKind::Check { expr } => self.check_sql(name, &expr.text),
            ConstraintKind::ForeignKey {
                columns,
                references,
            } => self.foreign_key_sql(name, columns, references),
        }
    }

    pub(super) fn render_constraint(&mut self, c: &ConstraintSql) -> String {
        self.render("constraint", minijinja::Value::from_serialize(c))
    }

    /// `ALTER TABLE t ADD CONSTRAINT ...` for a rendered constraint body.
    pub(super) fn add_constraint_sql(&mut self, table: &str, c: &ConstraintSql) -> Statement {
        let constraint = self.render_constraint(c);
        Statement::new(self.render("add_constraint", minijinja::context! { table, constraint }))
    }

    pub(super) fn add_constraint(
        &mut self,
        op: &Op,
        table: &QualifiedName,
        c: &TableConstraint,
    ) -> Vec<Statement> {
        let name = match &c.name {
            Some(n) => Some(self.ident(n)),
            None => self.model_name_after(op, table, &Shape::of(&c.kind)),
        };
        let body = self.constraint_sql(name, &c.kind);
        let table = self.qname(table);
        vec![self.add_constraint_sql(&table, &body)]
    }

    pub(super) fn drop_constraint(
        &mut self,
        table: &QualifiedName,
        name: &Ident,
    ) -> Vec<Statement> {
        let table = self.qname(table);
        let name = self.ident(name);
        let sql = self.render("drop_constraint", minijinja::context! { table, name });
        vec![Statement::new(sql).destructive()]
    }
}
