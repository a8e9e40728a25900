//! Operations on data: `execute` (raw SQL, verbatim), `bulk_insert` (multi-row
//! `INSERT`s) and `backfill` (a `DO` block updating in batches).

use super::{raw, user_sql, Cx};
use crate::diagnostic::Diagnostic;
use crate::dialect::Statement;
use crate::ir::{Backfill, Dialect, Execute, Ident, Literal, QualifiedName};
use minijinja::context;

/// Rows per `INSERT` statement: large enough to be fast, small enough that one
/// failing row is easy to find in the script.
pub const INSERT_CHUNK_ROWS: usize = 500;

impl Cx<'_> {
    /// The `postgresql` variant wins over the generic SQL; with neither there is
    /// nothing to run on PostgreSQL.
    pub(super) fn execute(&mut self, ex: &Execute) -> Vec<Statement> {
        let sql = ex
            .per_dialect
            .iter()
            .find(|(d, _)| *d == Dialect::Postgresql)
            .map(|(_, s)| s)
            .or(ex.sql.as_ref());
        let Some(sql) = sql else { return Vec::new() };
        // The script adds the terminator itself.
        let text = sql.text.trim_end().trim_end_matches(';').trim_end();
        if text.trim().is_empty() {
            return Vec::new();
        }
        let stmt = Statement::new(text);
        vec![if raw::needs_no_transaction(text) {
            stmt.non_transactional()
        } else {
            stmt
        }]
    }

    pub(super) fn bulk_insert(
        &mut self,
        table: &QualifiedName,
        columns: &[Ident],
        rows: &[Vec<Literal>],
    ) -> Vec<Statement> {
        let types: Vec<_> = columns
            .iter()
            .map(|c| self.column_type(table, &c.value))
            .collect();
        let qtable = self.qname(table);
        let qcolumns = self.idents(columns);
        for (i, row) in rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.len() != columns.len())
        {
            self.diags.push(
                Diagnostic::error(
                    "E0504",
                    format!(
                        "row {} has {} values for {} columns",
                        i + 1,
                        row.len(),
                        columns.len()
                    ),
                )
                .with_span(self.span, "in this bulk_insert")
                .with_help("give every row one value per listed column"),
            );
        }
        let mut out = Vec::new();
        for chunk in rows.chunks(INSERT_CHUNK_ROWS) {
            // A row is a template of its own: `insert.sql.j2` then only joins
            // texts, and both render by substitution, without the template engine
            // (a `{% for %}` over the rows would need it).
            let rows: Vec<String> = chunk
                .iter()
                .map(|row| {
                    let values: Vec<String> = row
                        .iter()
                        .zip(&types)
                        .map(|(lit, ty)| self.lit(lit, ty.as_ref()))
                        .collect();
                    self.render("insert_row", context! { values })
                })
                .collect();
            let sql = self.render(
                "insert",
                context! { table => &qtable, columns => &qcolumns, rows },
            );
            out.push(Statement::new(sql));
        }
        out
    }

    pub(super) fn backfill(&mut self, bf: &Backfill) -> Vec<Statement> {
        let key = self.backfill_key(bf);
        if bf.batch_size == 0 {
            self.diags.push(
                Diagnostic::error("E0505", "backfill batch size must be at least 1")
                    .with_span(self.span, "batch 0")
                    .with_help("write e.g. `batch 5000`"),
            );
        }
        let table = self.qname(&bf.table);
        let display = bf.table.display();
        let runaway_message = self.string(&format!(
            "backfill of {display} updated more rows than matched its WHERE when it started"
        ));
        let runaway_hint = self.string(
            "the SET must make the WHERE false for every row it updates, or the loop never ends",
        );
        let (Some(key), batch) = (key, bf.batch_size) else {
            return Vec::new();
        };
        let render = |cx: &mut Self, tag: &str| {
            cx.render(
                "backfill",
                context! {
                    tag, table => &table, key => &key, batch,
                    set => user_sql(&bf.set.text), where => user_sql(&bf.where_clause.text),
                    runaway_message => &runaway_message, runaway_hint => &runaway_hint,
                },
            )
        };
        let sql = self.dollar_quoted(render);
        vec![Statement::new(sql)]
    }

    /// Render a dollar-quoted block with the first tag (`$mig$`, `$mig1$`, ...)
    /// that occurs nowhere inside it but at its two ends.
    pub(super) fn dollar_quoted(
        &mut self,
        mut render: impl FnMut(&mut Self, &str) -> String,
    ) -> String {
        for n in 0..1000 {
            let tag = if n == 0 {
                "$mig$".to_string()
            } else {
                format!("$mig{n}$")
            };
            let sql = render(self, &tag);
            if sql.matches(&tag).count() == 2 {
                return sql;
            }
        }
        self.diags.push(Diagnostic::internal(
            "no free dollar-quote tag for a DO block",
        ));
        String::new()
    }

    /// The `key` written, else the table's single-column primary key.
    fn backfill_key(&mut self, bf: &Backfill) -> Option<String> {
        if let Some(key) = &bf.key {
            return Some(self.ident(key));
        }
        let pk = self
            .table(&bf.table)
            .and_then(|t| t.primary_key.as_ref())
            .filter(|pk| pk.columns.len() == 1)
            .and_then(|pk| pk.columns.first().cloned());
        match pk {
            Some(col) => Some(self.generated_name(&col)),
            None => {
                self.diags.push(
                    Diagnostic::error(
                        "E0503",
                        format!("backfill of {} needs a key column", bf.table.display()),
                    )
                    .with_span(self.span, "no `key` and no single-column primary key")
                    .with_help("add `key COLUMN` naming a unique, non-null column"),
                );
                None
            }
        }
    }
}
