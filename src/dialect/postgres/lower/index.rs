//! `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS]` and `DROP INDEX`.
//!
//! `CONCURRENTLY` cannot run inside a transaction block: those statements are
//! marked non-transactional and the script runs them between transactions.

use super::{user_sql, Cx};
use crate::dialect::Statement;
use crate::ir::{CreateIndex, IndexElement, QualifiedName};
use minijinja::context;

impl Cx<'_> {
    pub(super) fn create_index(&mut self, ci: &CreateIndex) -> Vec<Statement> {
        let name = self.ident(&ci.name);
        let table = self.qname(&ci.table);
        let elements: Vec<String> = ci.elements.iter().map(|e| self.index_element(e)).collect();
        let where_clause = ci.where_clause.as_ref().map(|w| user_sql(&w.text));
        let sql = self.render(
            "create_index",
            context! {
                unique => ci.unique,
                concurrently => ci.concurrently,
                if_not_exists => ci.if_not_exists,
                name, table, elements,
                where => where_clause,
            },
        );
        let stmt = Statement::new(sql);
        vec![if ci.concurrently {
            stmt.non_transactional()
        } else {
            stmt
        }]
    }

    /// A column (`email`, `created_at DESC`) or an expression, always parenthesized
    /// because PostgreSQL requires it for anything but a plain function call.
    fn index_element(&mut self, e: &IndexElement) -> String {
        match e {
            IndexElement::Column { name, descending } => {
                let name = self.ident(name);
                if *descending {
                    format!("{name} DESC")
                } else {
                    name
                }
            }
            IndexElement::Expression(sql) => format!("({})", user_sql(&sql.text)),
        }
    }

    /// The index lives in its table's schema: `drop_index ix on app.t` drops `app.ix`.
    pub(super) fn drop_index(
        &mut self,
        name: &QualifiedName,
        table: Option<&QualifiedName>,
        concurrently: bool,
        if_exists: bool,
    ) -> Vec<Statement> {
        let schema = name
            .schema
            .as_ref()
            .or(table.and_then(|t| t.schema.as_ref()));
        let index = self.ident(&name.name);
        let name = match schema {
            Some(s) => format!("{}.{index}", self.ident(s)),
            None => index,
        };
        let sql = self.render("drop_index", context! { concurrently, if_exists, name });
        let stmt = Statement::new(sql).destructive();
        vec![if concurrently {
            stmt.non_transactional()
        } else {
            stmt
        }]
    }
}
