//! The SQLite statement templates (`dialects/sqlite/*.sql.j2`), compiled into the
//! binary and rendered with the shared environment of [`crate::dialect::templates`]
//! (empty, strict about undefined variables, never escaping): every value a
//! template sees was quoted or bound in Rust ([`super::quote`], [`super::literal`]).

use crate::diagnostic::Diagnostic;
use crate::dialect::templates::{template_files, Arg, TemplateSet};

static TEMPLATES: TemplateSet = TemplateSet::new(
    "SQLite",
    template_files!["sqlite";
        "add_column.sql.j2",
        "assert_create.sql.j2",
        "assert_drop.sql.j2",
        "assert_insert.sql.j2",
        "backfill.sql.j2",
        "carry_sequence.sql.j2",
        "clear_sequence.sql.j2",
        "column.sql.j2",
        "comment.sql.j2",
        "constraint.sql.j2",
        "copy_rows.sql.j2",
        "create_index.sql.j2",
        "create_table.sql.j2",
        "drop_column.sql.j2",
        "drop_index.sql.j2",
        "drop_table.sql.j2",
        "insert_values.sql.j2",
        "pragma.sql.j2",
        "rename_column.sql.j2",
        "rename_table.sql.j2",
    ],
);

/// Render `dialects/sqlite/<name>.sql.j2` with `args` (made with
/// [`args!`](crate::dialect::templates::args)), without trailing whitespace.
pub fn render(name: &str, args: &[(&str, Arg<'_>)]) -> Result<String, Diagnostic> {
    TEMPLATES.render_args(name, args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::templates::args;

    #[test]
    fn every_template_compiles() {
        assert!(TEMPLATES.env().is_ok(), "{:?}", TEMPLATES.env().err());
    }

    #[test]
    fn undefined_variables_are_errors() {
        let err = render("drop_table", args! {}).unwrap_err();
        assert_eq!(err.code, "E9999");
    }

    #[test]
    fn nothing_is_escaped() {
        let sql = render("drop_table", args! { table => "\"a<b>&'\"" }).unwrap();
        assert_eq!(sql, "DROP TABLE \"a<b>&'\"");
    }

    #[test]
    fn a_table_lists_one_line_a_line() {
        let render_lines = |lines: &[&str]| {
            render(
                "create_table",
                args! { if_not_exists => false, table => "t", lines => lines },
            )
        };
        let two = render_lines(&["a", "b"]).unwrap();
        assert_eq!(two, "CREATE TABLE t (\n    a,\n    b\n)");
        assert_eq!(render_lines(&[]).unwrap(), "CREATE TABLE t (\n)");
    }

    #[test]
    fn rows_one_a_line() {
        let render_rows = |rows: &[&str]| {
            render(
                "insert_values",
                args! { table => "t", columns => "a, b", rows => rows },
            )
            .unwrap()
        };
        assert_eq!(
            render_rows(&["1, 2", "3, 4"]),
            "INSERT INTO t (a, b) VALUES\n    (1, 2),\n    (3, 4)"
        );
        assert_eq!(
            render_rows(&["1, 2"]),
            "INSERT INTO t (a, b) VALUES\n    (1, 2)"
        );
        assert_eq!(render_rows(&[]), "INSERT INTO t (a, b) VALUES");
    }
}
