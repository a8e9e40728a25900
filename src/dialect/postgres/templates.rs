//! The PostgreSQL templates (`dialects/postgresql/*.sql.j2`), compiled into the
//! binary and rendered with the shared environment of [`crate::dialect::templates`]
//! (empty, strict about undefined variables, never escaping).

use crate::diagnostic::Diagnostic;
use crate::dialect::templates::{template_files, TemplateSet};
use minijinja::Value;

static TEMPLATES: TemplateSet = TemplateSet::new(
    "PostgreSQL",
    template_files!["postgresql";
        "add_column.sql.j2",
        "add_constraint.sql.j2",
        "add_enum_value.sql.j2",
        "alter_column.sql.j2",
        "backfill.sql.j2",
        "column.sql.j2",
        "comment.sql.j2",
        "constraint.sql.j2",
        "create_enum.sql.j2",
        "create_index.sql.j2",
        "create_schema.sql.j2",
        "create_table.sql.j2",
        "drop_column.sql.j2",
        "drop_constraint.sql.j2",
        "drop_enum.sql.j2",
        "drop_index.sql.j2",
        "drop_schema.sql.j2",
        "drop_table.sql.j2",
        "guard.sql.j2",
        "index_valid_check.sql.j2",
        "insert.sql.j2",
        "insert_row.sql.j2",
        "preamble.sql.j2",
        "rename_column.sql.j2",
        "rename_table.sql.j2",
        "script_lock.sql.j2",
        "version_delete.sql.j2",
        "version_insert.sql.j2",
        "version_table.sql.j2",
        "version_update.sql.j2",
    ],
);

/// Render `dialects/postgresql/<name>.sql.j2` with `ctx` (made with
/// `minijinja::context!`), without trailing whitespace.
pub fn render(name: &str, ctx: Value) -> Result<String, Diagnostic> {
    TEMPLATES.render_value(name, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        assert!(TEMPLATES.env().is_ok(), "{:?}", TEMPLATES.env().err());
    }

    #[test]
    fn undefined_variables_are_errors() {
        assert!(render("drop_table", minijinja::context! {}).is_err());
    }

    #[test]
    fn values_are_not_escaped() {
        let out = render("drop_table", minijinja::context! { table => "\"a<b>&'\"" }).unwrap();
        assert_eq!(out, "DROP TABLE \"a<b>&'\"");
    }

    #[test]
    fn a_table_lists_one_item_a_line() {
        let ctx =
            |items: Vec<&str>| minijinja::context! { table => "t", if_not_exists => false, items };
        let two = render("create_table", ctx(vec!["a int", "b int"])).unwrap();
        assert_eq!(two, "CREATE TABLE t (\n    a int,\n    b int\n)");
        assert_eq!(
            render("create_table", ctx(vec![])).unwrap(),
            "CREATE TABLE t (\n)"
        );
    }
}
