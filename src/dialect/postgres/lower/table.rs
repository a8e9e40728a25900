//! `CREATE TABLE` (columns, named constraints, comments, `use_alter` foreign keys),
//! `DROP TABLE`, `ALTER TABLE ... RENAME TO`, `COMMENT ON TABLE`.

use super::constraint::ConstraintSql;
use super::names::{NamePicker, Shape};
use super::Cx;
use crate::dialect::Statement;
use crate::ir::{
    ColumnDef, ConstraintKind, CreateTable, Ident, Op, QualifiedName, TableConstraint,
};
use minijinja::context;

/// A constraint of a `CREATE TABLE` and whether it waits for the end of the revision.
struct Pending {
    body: ConstraintSql,
    use_alter: bool,
}

impl Cx<'_> {
    pub(super) fn create_table(&mut self, op: &Op, ct: &CreateTable) -> Vec<Statement> {
        let mut picker = self.name_picker(op, &ct.table);
        let table = self.qname(&ct.table);
        let constraints = self.table_constraints(ct, &mut picker);
        let mut items: Vec<String> = ct.columns.iter().map(|c| self.column_sql(c)).collect();
        for c in constraints.iter().filter(|c| !c.use_alter) {
            items.push(self.render_constraint(&c.body));
        }
        let create = self.render(
            "create_table",
            context! { table, if_not_exists => ct.if_not_exists, items },
        );
        let mut out = vec![Statement::new(create)];
        if let Some(comment) = &ct.comment {
            out.push(self.comment_sql("TABLE", &table, Some(comment)));
        }
        for col in &ct.columns {
            if let Some(comment) = &col.comment {
                let target = format!("{table}.{}", self.ident(&col.name));
                out.push(self.comment_sql("COLUMN", &target, Some(comment)));
            }
        }
        for c in constraints.iter().filter(|c| c.use_alter) {
            out.push(self.add_constraint_sql(&table, &c.body).deferred());
        }
        out
    }

    /// Primary key first, then column-level constraints in column order, then the
    /// table-level ones as written.
    fn table_constraints(&mut self, ct: &CreateTable, picker: &mut NamePicker) -> Vec<Pending> {
        let mut out = Vec::new();
        let pk_columns: Vec<Ident> = ct
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect();
        if !pk_columns.is_empty() {
            let name = self.picked(picker, &Shape::PrimaryKey);
            let body = self.primary_key_sql(name, &pk_columns);
            out.push(Pending {
                body,
                use_alter: false,
            });
        }
        let is_pk = |c: &&TableConstraint| matches!(c.kind, ConstraintKind::PrimaryKey { .. });
        for c in ct.constraints.iter().filter(is_pk) {
            out.push(self.written_constraint(c, picker));
        }
        for col in &ct.columns {
            self.column_constraints(col, picker, &mut out);
        }
        for c in ct.constraints.iter().filter(|c| !is_pk(c)) {
            out.push(self.written_constraint(c, picker));
        }
        out
    }

    fn column_constraints(
        &mut self,
        col: &ColumnDef,
        picker: &mut NamePicker,
        out: &mut Vec<Pending>,
    ) {
        let cols = std::slice::from_ref(&col.name);
        if col.unique {
            let name = self.picked(picker, &Shape::Unique(vec![col.name.value.clone()]));
            let body = self.unique_sql(name, cols);
            out.push(Pending {
                body,
                use_alter: false,
            });
        }
        if let Some(fk) = &col.references {
            let name = self.picked(picker, &Shape::ForeignKey(vec![col.name.value.clone()]));
            let body = self.foreign_key_sql(name, cols, fk);
            out.push(Pending {
                body,
                use_alter: fk.use_alter,
            });
        }
        if let Some(check) = &col.check {
            let name = self.picked(picker, &Shape::Check(check.text.clone()));
            let body = self.check_sql(name, &check.text);
            out.push(Pending {
                body,
                use_alter: false,
            });
        }
    }

    fn written_constraint(&mut self, c: &TableConstraint, picker: &mut NamePicker) -> Pending {
        let name = match &c.name {
            Some(n) => Some(self.ident(n)),
            None => self.picked(picker, &Shape::of(&c.kind)),
        };
        let use_alter = matches!(&c.kind, ConstraintKind::ForeignKey { references, .. } if references.use_alter);
        Pending {
            body: self.constraint_sql(name, &c.kind),
            use_alter,
        }
    }

    fn picked(&mut self, picker: &mut NamePicker, shape: &Shape) -> Option<String> {
        let name = picker.pick(shape)?;
        Some(self.generated_name(&name))
    }

    pub(super) fn drop_table(&mut self, table: &QualifiedName) -> Vec<Statement> {
        let table = self.qname(table);
        vec![Statement::new(self.render("drop_table", context! { table })).destructive()]
    }

    pub(super) fn rename_table(
        &mut self,
        table: &QualifiedName,
        new_name: &Ident,
    ) -> Vec<Statement> {
        let table = self.qname(table);
        let new_name = self.ident(new_name);
        vec![Statement::new(
            self.render("rename_table", context! { table, new_name }),
        )]
    }

    pub(super) fn table_comment(
        &mut self,
        table: &QualifiedName,
        comment: Option<&str>,
    ) -> Vec<Statement> {
        let table = self.qname(table);
        vec![self.comment_sql("TABLE", &table, comment)]
    }

    /// `COMMENT ON <object> <target> IS '...' | NULL`.
    pub(super) fn comment_sql(
        &mut self,
        object: &str,
        target: &str,
        comment: Option<&str>,
    ) -> Statement {
        let comment = comment.map(|c| self.string(c));
        Statement::new(self.render("comment", context! { object, target, comment }))
    }
}
