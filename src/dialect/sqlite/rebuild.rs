//! Table rebuild: how SQLite makes every change its `ALTER TABLE` cannot.
//!
//! This follows sqlite.org's `ALTER TABLE` page, section "Making Other Kinds Of
//! Table Schema Changes" (the 12 steps), with the table's new shape taken from the
//! schema model, never from reflection:
//!
//! 1. foreign-key enforcement is switched off OUTSIDE the transaction
//!    (`PRAGMA foreign_keys` is a no-op inside one): the script's preamble does it
//!    ([`super::script_hooks`]). Without that, `DROP TABLE` below would run an
//!    implicit `DELETE` and fire every `ON DELETE CASCADE` pointing at the table;
//! 2. a guard stops the script if the table has indexes or triggers the model does
//!    not know (made by `execute`): the rebuild would silently drop them;
//! 3. the new table is created under a temporary name from the model's AFTER state;
//! 4. rows are copied with `INSERT INTO new (cols) SELECT ... FROM old`; a column
//!    that became NOT NULL with a default gets `COALESCE(col, default)`, a new
//!    column gets its default, a changed type is converted by the new column's
//!    type affinity (lossless: a value that does not convert is kept as is,
//!    where `CAST` would silently turn `'abc'` into `0`). `type ... using "..."` is
//!    PostgreSQL's (Alembic's `postgresql_using`): SQLite ignores it, with a comment;
//! 5. an AUTOINCREMENT table keeps its `sqlite_sequence` high-water mark;
//! 6. the old table is dropped and the new one renamed to the old name. The order
//!    matters: renaming the OLD table away first would make SQLite (3.26+) rewrite
//!    every other table's `REFERENCES old` to the temporary name, and then drop it —
//!    the classic way to lose foreign keys. Create-copy-drop-rename leaves other
//!    tables' `REFERENCES users` untouched, and they point at the new table once it
//!    has the name. `legacy_alter_table` is on for the rename alone, so SQLite does
//!    not re-check views that mention the (for a moment missing) table;
//! 7. the table's indexes are recreated from the model (UNIQUE constraints are
//!    inline, so they come back with the table);
//! 8. `pragma_foreign_key_check` over the table and every table referencing it
//!    must be empty, or a CHECK constraint on a temporary table fails and the
//!    script stops (`sqlite3 -bail`), leaving the database as it was.

use super::{ddl, quote, templates};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::dialect::templates::args;
use crate::dialect::Statement;
use crate::fxhash::FxBuild;
use crate::ir::{ColumnChange, Op, OpKind};
use crate::model::{Column, Schema, Table};
use crate::source::Span;
use indexmap::IndexMap;
use std::collections::HashMap;
use std::sync::Arc;

type FxHashMap<K, V> = HashMap<K, V, FxBuild>;

/// Where a column of the rebuilt table takes its values from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The old table's column of this name.
    Column(String),
    /// An SQL expression over the old table's columns, or the default an added
    /// column had when it was added (existing rows get it, as on PostgreSQL, even
    /// if a later change in the same rebuild drops or changes that default).
    Expr(String),
    /// Nothing: the column is new, added without a default (NULL, or the default
    /// the table has after the rebuild).
    Default,
}

/// The source of each column, by its current name, as the operations of one
/// rebuild are replayed. Only what the operations change is kept: a column of
/// the table before the rebuild comes from itself unless it was dropped,
/// renamed away or replaced (most rebuilds change one or two columns).
#[derive(Debug, Clone)]
pub struct Sources {
    /// The table's columns before the rebuild (the model's map, shared).
    before: Arc<IndexMap<String, Column, FxBuild>>,
    /// Columns whose source is not the same-named column before, by current name.
    changed: FxHashMap<String, Source>,
    /// Columns of `before` that are gone under their name (dropped, renamed away).
    gone: Vec<String>,
}

/// Where a column of the rebuilt table takes its values from ([`Sources::get`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceOf<'a> {
    /// The old table's column of this name.
    Column(&'a str),
    /// An SQL expression (see [`Source::Expr`]).
    Expr(&'a str),
    /// Nothing (see [`Source::Default`]).
    Default,
}

impl Sources {
    /// Every column of `before` comes from itself.
    pub fn new(before: &Table) -> Self {
        Sources {
            before: Arc::clone(&before.columns),
            changed: FxHashMap::default(),
            gone: Vec::new(),
        }
    }

    /// Follow one operation of the rebuild (renames, additions, drops). `Err`: an
    /// added column's default cannot be written.
    pub fn follow(&mut self, op: &Op) -> Result<(), String> {
        match &op.kind {
            OpKind::AddColumn { column, .. } => {
                let default = ddl::default_sql(column.default.as_ref())?;
                let source = match default.as_str() {
                    "" | "NULL" => Source::Default,
                    _ => Source::Expr(default),
                };
                self.insert(&column.name.value, source);
            }
            OpKind::DropColumn { column, .. } => {
                self.remove(column.as_str());
            }
            OpKind::AlterColumn {
                column, changes, ..
            } => self.alter(column.as_str(), changes),
            OpKind::BatchAlterTable { ops, .. } => {
                for o in ops {
                    self.follow(o)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn alter(&mut self, column: &str, changes: &[ColumnChange]) {
        let mut name = column.to_string();
        for change in changes {
            if let ColumnChange::Rename(new) = change {
                if let Some(src) = self.remove(&name) {
                    self.insert(&new.value, src);
                }
                name = new.value.clone();
            }
        }
    }

    fn insert(&mut self, name: &str, source: Source) {
        self.gone.retain(|g| g != name);
        self.changed.insert(name.to_string(), source);
    }

    /// The source of `name`, which is gone under that name afterwards.
    fn remove(&mut self, name: &str) -> Option<Source> {
        let changed = self.changed.remove(name);
        if !self.unchanged(name) {
            return changed;
        }
        self.gone.push(name.to_string());
        changed.or_else(|| Some(Source::Column(name.to_string())))
    }

    /// Whether `name` is a column of the table before that is still there under
    /// that name (its source, unless changed, is itself).
    fn unchanged(&self, name: &str) -> bool {
        self.before.contains_key(name) && !self.gone.iter().any(|g| g == name)
    }

    pub fn get<'s>(&'s self, column: &'s str) -> SourceOf<'s> {
        match self.changed.get(column) {
            Some(Source::Column(c)) => SourceOf::Column(c),
            Some(Source::Expr(e)) => SourceOf::Expr(e),
            Some(Source::Default) => SourceOf::Default,
            None if self.unchanged(column) => SourceOf::Column(column),
            None => SourceOf::Default,
        }
    }
}

/// One rebuild of one table.
pub struct Rebuild<'a> {
    /// The table as it is in the database now.
    pub before: &'a Table,
    /// The model after the changes (the table under the same key, plus enums and
    /// the tables that reference it).
    pub after_schema: &'a Schema,
    pub after: &'a Table,
    pub sources: &'a Sources,
    /// Why SQLite needs a rebuild, for the comment line (e.g. "change the type of amount").
    pub reason: String,
    /// Marks the copy as destructive (dropped columns, type changes).
    pub destructive: bool,
    pub span: Span,
}

const CHECK_TABLE: &str = "_migc_check";

impl Rebuild<'_> {
    /// The statements, in order (all inside the script's transaction).
    pub fn statements(&self) -> Result<Vec<Statement>, Vec<Diagnostic>> {
        let mut diags = Diagnostics::new();
        // The comment, two guards of three statements, the table, the copy, the
        // sequence, drop, rename and pragmas, then the indexes.
        let mut out = Vec::with_capacity(16 + self.after.indexes.len());
        let name = self.before.name.as_str();
        let tmp = self.temporary_name();
        let mut push = |r: Result<String, Diagnostic>, destructive: bool| match r {
            Ok(sql) if destructive => out.push(Statement::new(sql).destructive()),
            Ok(sql) => out.push(Statement::new(sql)),
            Err(d) => diags.push(d),
        };
        push(self.comment(), false);
        for s in self.unknown_objects_guard() {
            push(s, false);
        }
        match ddl::create_table(self.after, &tmp, self.after_schema, false, self.span) {
            Ok(sql) => push(Ok(sql), false),
            Err(ds) => ds.into_iter().for_each(|d| push(Err(d), false)),
        }
        // The copy is where data can be lost (the columns it leaves out): the
        // script header lists it.
        push(self.copy_rows(&tmp), self.destructive);
        if self.keeps_autoincrement() {
            let (new_name, old_name) = (lit(&tmp), lit(name));
            push(
                templates::render("clear_sequence", args! { name => &new_name }),
                false,
            );
            push(
                templates::render(
                    "carry_sequence",
                    args! { new_name => &new_name, old_name => &old_name },
                ),
                false,
            );
        }
        let quoted = quote::ident(name);
        push(
            templates::render("drop_table", args! { table => &quoted }),
            false,
        );
        push(pragma("legacy_alter_table", "ON"), false);
        push(
            templates::render(
                "rename_table",
                args! { table => &quote::ident(&tmp), new_name => &quoted },
            ),
            false,
        );
        push(pragma("legacy_alter_table", "OFF"), false);
        for index in self.after.indexes.values() {
            push(ddl::create_index(index, name, false), false);
        }
        for s in self.foreign_key_guard() {
            push(s, false);
        }
        diags.finish(out)
    }

    fn comment(&self) -> Result<String, Diagnostic> {
        let text = format!(
            "rebuild {}: SQLite cannot {} in place (sqlite.org/lang_altertable.html, \
             \"Making Other Kinds Of Table Schema Changes\")",
            quote::ident(&self.before.name),
            quote::comment_text(&self.reason)
        );
        templates::render("comment", args! { text => &text })
    }

    /// `_migc_tmp_users`, or with a number when the model already has that name.
    fn temporary_name(&self) -> String {
        let base = ["_migc_tmp_", &self.before.name].concat();
        // SQLite's names are case-insensitive, so is the model's name index not:
        // every table is compared.
        let taken = |n: &str| {
            self.after_schema
                .tables
                .keys()
                .any(|(_, t)| t.eq_ignore_ascii_case(n))
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}_{i}"))
            .find(|n| !taken(n))
            .unwrap_or(base)
    }

    fn copy_rows(&self, tmp: &str) -> Result<String, Diagnostic> {
        // Both lists written as they are built (no list of names or of
        // expressions joined afterwards).
        let mut columns = String::new();
        let mut sources = String::new();
        for col in self.after.columns.values() {
            let expr = match self.sources.get(&col.name) {
                SourceOf::Default => continue,
                SourceOf::Expr(e) if e.starts_with('(') => e.to_string(),
                SourceOf::Expr(e) => format!("({e})"),
                SourceOf::Column(src) => self.column_source(src, col)?,
            };
            if !columns.is_empty() {
                columns.push_str(", ");
                sources.push_str(", ");
            }
            quote::push_ident(&mut columns, &col.name);
            sources.push_str(&expr);
        }
        templates::render(
            "copy_rows",
            args! {
                new_table => &quote::ident(tmp),
                columns => &columns,
                sources => &sources,
                old_table => &quote::ident(&self.before.name),
            },
        )
    }

    /// `"src"`, or `COALESCE("src", default)` when a nullable column became NOT NULL
    /// and has a default to put in its NULLs.
    fn column_source(&self, src: &str, col: &crate::model::Column) -> Result<String, Diagnostic> {
        let was_nullable = self.before.columns.get(src).is_none_or(|c| c.nullable);
        let default = ddl::default_sql(col.default.as_ref())
            .map_err(|e| super::errors::bad_literal(e, self.span))?;
        if was_nullable && !col.nullable && !default.is_empty() {
            Ok(format!("COALESCE({}, {default})", quote::ident(src)))
        } else {
            Ok(quote::ident(src))
        }
    }

    fn keeps_autoincrement(&self) -> bool {
        let has = |t: &Table| t.columns.values().any(|c| c.identity.is_some());
        has(self.before) && has(self.after)
    }

    /// Stop if the database has indexes or triggers on the table that the model
    /// does not know: dropping the table would drop them with it.
    fn unknown_objects_guard(&self) -> Vec<Result<String, Diagnostic>> {
        let name = &self.before.name;
        let mut query = String::with_capacity(256 + 2 * name.len());
        query.push_str("SELECT count(*) FROM sqlite_master WHERE tbl_name = ");
        push_lit(&mut query, name);
        query.push_str(
            " COLLATE NOCASE AND type IN ('index', 'trigger') AND name NOT LIKE \
             'sqlite_autoindex_%' AND name COLLATE NOCASE NOT IN (",
        );
        for (i, index) in self.before.indexes.keys().enumerate() {
            if i > 0 {
                query.push_str(", ");
            }
            push_lit(&mut query, index);
        }
        query.push(')');
        let message = [
            name,
            " has indexes or triggers the migrations do not know; rebuilding it would drop them",
        ]
        .concat();
        assertion(&message, &query)
    }

    /// Stop if the rebuilt table, or a table referencing it, now has rows whose
    /// foreign keys point nowhere.
    fn foreign_key_guard(&self) -> Vec<Result<String, Diagnostic>> {
        let name = self.before.name.as_str();
        // SQLite matches `REFERENCES` ignoring case, and so does this lookup.
        let mut tables = vec![name];
        for t in self.after_schema.tables_referencing_ignore_case(name) {
            if !tables.iter().any(|n| n.eq_ignore_ascii_case(&t.name)) {
                tables.push(&t.name);
            }
        }
        let mut query = String::with_capacity(32 + tables.len() * 64);
        query.push_str("SELECT count(*) FROM (");
        for (i, t) in tables.iter().enumerate() {
            if i > 0 {
                query.push_str(" UNION ALL ");
            }
            query.push_str("SELECT 1 FROM pragma_foreign_key_check(");
            push_lit(&mut query, t);
            query.push(')');
        }
        query.push(')');
        let message = [
            "foreign key violations after rebuilding ",
            name,
            "; see PRAGMA foreign_key_check",
        ]
        .concat();
        assertion(&message, &query)
    }
}

/// Three statements that fail (a CHECK constraint named `message`) unless `count_query`
/// returns 0.
pub fn assertion(message: &str, count_query: &str) -> Vec<Result<String, Diagnostic>> {
    let table = quote::ident(CHECK_TABLE);
    let message = quote::ident(&quote::comment_text(message));
    vec![
        templates::render(
            "assert_create",
            args! { table => &table, message => &message },
        ),
        templates::render(
            "assert_insert",
            args! { table => &table, count_query => count_query },
        ),
        templates::render("assert_drop", args! { table => &table }),
    ]
}

/// `PRAGMA name = value`.
fn pragma(name: &str, value: &str) -> Result<String, Diagnostic> {
    templates::render("pragma", args! { name => name, value => value })
}

/// A string literal of a name; names never hold a NUL (checked when lowering).
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_lit(&mut out, s);
    out
}

fn push_lit(out: &mut String, s: &str) {
    out.push('\'');
    for (i, part) in s.split('\'').enumerate() {
        if i > 0 {
            out.push_str("''");
        }
        out.push_str(part);
    }
    out.push('\'');
}
