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
        if !ci.concurrently {
            return vec![Statement::new(sql)];
        }
        let mut out = vec![Statement::new(sql).non_transactional()];
        if ci.if_not_exists {
            out.push(self.index_valid_check(&ci.table, &ci.name.value));
        }
        out
    }

    /// After `CREATE INDEX CONCURRENTLY IF NOT EXISTS`: stop if the index is one a
    /// failed earlier build left invalid (IF NOT EXISTS does not rebuild it).
    fn index_valid_check(&mut self, table: &QualifiedName, index: &str) -> Statement {
        let quoted = self.generated_name(index);
        let qualified = match &table.schema {
            Some(s) => format!("{}.{quoted}", self.ident(s)),
            None => quoted,
        };
        let index_text = self.string(&qualified);
        let message = self.string(&format!(
            "index {qualified} is invalid: an earlier CREATE INDEX CONCURRENTLY failed, and IF NOT EXISTS kept it"
        ));
        let hint = self.string(&format!(
            "run DROP INDEX CONCURRENTLY {qualified}; then run this script again"
        ));
        let sql = self.dollar_quoted(|cx, tag| {
            cx.render(
                "index_valid_check",
                context! { tag, index_text => &index_text, message => &message, hint => &hint },
            )
        });
        Statement::new(sql)
    }

    /// The schema of the table of the model that has an index `name`.
    fn index_schema(&self, name: &str) -> Option<String> {
        self.before
            .tables
            .values()
            .find(|t| t.indexes.contains_key(name))
            .and_then(|t| t.schema.clone())
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

    /// The index lives in its table's schema: `drop_index ix on app.t` drops
    /// `app.ix`; without `on`, the model says which table has it.
    pub(super) fn drop_index(
        &mut self,
        name: &QualifiedName,
        table: Option<&QualifiedName>,
        concurrently: bool,
        if_exists: bool,
    ) -> Vec<Statement> {
        let schema = match (&name.schema, table) {
            (Some(s), _) => Some(self.ident(s)),
            (None, Some(t)) => t.schema.as_ref().map(|s| self.ident(s)),
            (None, None) => self
                .index_schema(&name.name.value)
                .map(|s| self.generated_name(&s)),
        };
        let index = self.ident(&name.name);
        let name = match schema {
            Some(s) => format!("{s}.{index}"),
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
