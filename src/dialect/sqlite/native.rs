//! Which alterations SQLite's own `ALTER TABLE` can make (sqlite.org/lang_altertable.html),
//! and their statements. Anything refused here is done by a rebuild.
//!
//! - `ADD COLUMN`: not PRIMARY KEY or UNIQUE, no autoincrement, no expression
//!   default (SQLite refuses `(expr)` and `CURRENT_*` defaults), NOT NULL only with
//!   a non-NULL default, a REFERENCES column only with a NULL default;
//! - `DROP COLUMN` (3.35+): not in the primary key, a UNIQUE or foreign-key
//!   constraint, an index (columns, expressions or WHERE), a CHECK, or another
//!   table's foreign key. Expressions are matched by name, conservatively: a
//!   mention anywhere means a rebuild;
//! - `RENAME COLUMN` (3.25+): always; SQLite rewrites indexes, triggers, views and
//!   other tables' `REFERENCES` to follow it;
//! - a comment change: only a comment line (SQLite has no COMMENT).

use super::{ddl, literal, quote, templates};
use crate::diagnostic::Diagnostic;
use crate::dialect::templates::args;
use crate::dialect::Statement;
use crate::ir::{ColumnChange, ColumnDef, Default, Literal, Op, OpKind};
use crate::model::{ConstraintKind, IndexElement, Schema, Table};

type Version = (u32, u32, u32);

/// The native statements for `op` (one alteration of one table), or `None` when
/// SQLite needs a rebuild. `before` is the table before the operation (looked up
/// by [`reads_before`]'s name), `after` the model after it.
pub fn alteration(
    op: &Op,
    before: Option<&Table>,
    after: &Schema,
    min_version: Version,
) -> Option<Result<Vec<Statement>, Vec<Diagnostic>>> {
    match &op.kind {
        OpKind::AddColumn { table, column } if can_add(column) => Some(add_column(
            table.name.as_str(),
            column.name.as_str(),
            before?,
            after,
            op,
        ))?,
        OpKind::DropColumn { column, .. } if min_version >= (3, 35, 0) => {
            let t = before?;
            can_drop(t, column.as_str(), after).then(|| drop_column(t, column.as_str()))
        }
        OpKind::CreateIndex(_) | OpKind::DropIndex { .. } => super::lower::index_op(op),
        OpKind::AlterColumn {
            table,
            column,
            changes,
        } => alter_in_place(table.name.as_str(), column.as_str(), changes, min_version),
        _ => None,
    }
}

/// The table whose state before `op` [`alteration`] reads, if it reads one.
pub fn reads_before(op: &Op) -> Option<&str> {
    match &op.kind {
        OpKind::AddColumn { table, .. } | OpKind::DropColumn { table, .. } => {
            Some(table.name.as_str())
        }
        _ => None,
    }
}

fn find<'s>(schema: &'s Schema, table: &str) -> Option<&'s Table> {
    super::names::table_by_name(schema, table)
}

fn can_add(c: &ColumnDef) -> bool {
    let default_null = matches!(c.default, None | Some(Default::Literal(Literal::Null)));
    let expr_default = match &c.default {
        Some(Default::Expression(_)) => true,
        Some(Default::Literal(l)) => literal::bind(l).is_ok_and(|s| literal::is_expression(&s)),
        None => false,
    };
    let not_null_without_default = c.nullable == Some(false) && default_null;
    let refused = c.primary_key
        || c.unique
        || c.identity.is_some()
        || expr_default
        || not_null_without_default;
    !refused && (c.references.is_none() || default_null)
}

fn add_column(
    table: &str,
    column: &str,
    old: &Table,
    after: &Schema,
    op: &Op,
) -> Option<Result<Vec<Statement>, Vec<Diagnostic>>> {
    let new = find(after, table)?;
    let col = new.columns.get(column)?;
    if new.primary_key != old.primary_key || new.indexes.len() != old.indexes.len() {
        return None;
    }
    let mut extra = Vec::new();
    for c in new
        .constraints
        .values()
        .filter(|c| !old.constraints.contains_key(&c.name))
    {
        match ddl::column_constraint(c, column)? {
            Ok(sql) => extra.push(sql),
            Err(d) => return Some(Err(vec![d])),
        }
    }
    let sql = ddl::column_def_with(new, col, after, extra, op.span).and_then(|def| {
        templates::render(
            "add_column",
            args! { table => &quote::ident(table), column => &def },
        )
    });
    Some(sql.map(|s| vec![Statement::new(s)]).map_err(|d| vec![d]))
}

/// `t` is the table before the drop; `after`, the model after it, has the other
/// tables (a drop changes no other table).
fn can_drop(t: &Table, column: &str, after: &Schema) -> bool {
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == column));
    let in_constraint = t.constraints.values().any(|c| match &c.kind {
        ConstraintKind::Unique { columns } | ConstraintKind::ForeignKey { columns, .. } => {
            columns.iter().any(|c| c == column)
        }
        ConstraintKind::Check { expr } => mentions(expr, column),
    });
    let in_index = t.indexes.values().any(|i| {
        i.where_clause
            .as_deref()
            .is_some_and(|w| mentions(w, column))
            || i.elements.iter().any(|e| match e {
                IndexElement::Column { name, .. } => name == column,
                IndexElement::Expression(x) => mentions(x, column),
            })
    });
    // The tables whose foreign keys may point at `t` (by its name in any case:
    // a superset of those the test below keeps), from the model's index.
    let others = after
        .tables_referencing_ignore_case(&t.name)
        .into_iter()
        .filter(|o| !(o.schema == t.schema && o.name == t.name));
    let referenced = std::iter::once(t).chain(others).any(|other| {
        other.constraints.values().any(|c| {
            matches!(&c.kind, ConstraintKind::ForeignKey { ref_table, ref_columns, .. }
                if ref_table == &t.name && ref_columns.iter().any(|r| r == column))
        })
    });
    !(in_pk || in_constraint || in_index || referenced)
}

/// Whether SQL text mentions `name` as a word (case-insensitive). Conservative:
/// a mention inside a string literal counts too.
pub fn mentions(sql: &str, name: &str) -> bool {
    let hay = sql.to_lowercase();
    let needle = name.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    hay.match_indices(&needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

fn drop_column(t: &Table, column: &str) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    templates::render(
        "drop_column",
        args! { table => &quote::ident(&t.name), column => &quote::ident(column) },
    )
    .map(|s| vec![Statement::new(s).destructive()])
    .map_err(|d| vec![d])
}

/// Renames and comment changes; `None` if any other change is asked.
fn alter_in_place(
    table: &str,
    column: &str,
    changes: &[ColumnChange],
    min_version: Version,
) -> Option<Result<Vec<Statement>, Vec<Diagnostic>>> {
    let mut name = column.to_string();
    let mut out = Vec::new();
    for change in changes {
        let sql = match change {
            ColumnChange::Rename(new) if min_version >= (3, 25, 0) => {
                let sql = templates::render(
                    "rename_column",
                    args! { table => &quote::ident(table), column => &quote::ident(&name),
                    new_name => &quote::ident(new.as_str()) },
                );
                name = new.value.clone();
                sql
            }
            ColumnChange::Comment(text) => column_comment(table, &name, text.as_deref()),
            _ => return None,
        };
        out.push(sql.map(Statement::new));
    }
    Some(
        out.into_iter()
            .collect::<Result<_, _>>()
            .map_err(|d| vec![d]),
    )
}

/// `-- comment on column "users"."email": ...` (SQLite keeps no comments).
pub fn column_comment(table: &str, column: &str, text: Option<&str>) -> Result<String, Diagnostic> {
    let target = format!("{}.{}", quote::ident(table), quote::ident(column));
    comment(&match text {
        Some(t) => format!("comment on column {target}: {t}"),
        None => format!("comment on column {target} removed"),
    })
}

/// A `-- ...` line; control characters in `text` are escaped so it stays one line.
pub fn comment(text: &str) -> Result<String, Diagnostic> {
    templates::render("comment", args! { text => &quote::comment_text(text) })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("amount > 0", "amount"));
        assert!(mentions("\"Amount\" > 0", "amount"));
        assert!(!mentions("amounts > 0", "amount"));
        assert!(!mentions("total_amount > 0", "amount"));
        assert!(mentions("lower(email)", "email"));
    }
}
