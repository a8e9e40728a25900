//! The SQLite statement templates (`dialects/sqlite/*.sql.j2`), compiled once into
//! a minijinja environment that starts EMPTY (no filters, no globals), fails on any
//! undefined variable, and never escapes: every value a template sees was quoted or
//! bound in Rust ([`super::quote`], [`super::literal`]) before it gets there.

use crate::diagnostic::Diagnostic;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::sync::OnceLock;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../dialects/sqlite/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
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
];

fn env() -> Result<&'static Environment<'static>, Diagnostic> {
    static ENV: OnceLock<Result<Environment<'static>, String>> = OnceLock::new();
    ENV.get_or_init(build)
        .as_ref()
        .map_err(|e| Diagnostic::internal(format!("SQLite templates: {e}")))
}

fn build() -> Result<Environment<'static>, String> {
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).map_err(|e| e.to_string())?;
    }
    Ok(env)
}

/// Render `dialects/sqlite/<name>.sql.j2` with `ctx` (made with `minijinja::context!`).
/// The result has no trailing line break.
pub fn render(name: &str, ctx: Value) -> Result<String, Diagnostic> {
    let env = env()?;
    let file = format!("{name}.sql.j2");
    let tmpl = env
        .get_template(&file)
        .map_err(|e| Diagnostic::internal(format!("SQLite template {file}: {e}")))?;
    tmpl.render(ctx)
        .map(|s| s.trim_end().to_string())
        .map_err(|e| Diagnostic::internal(format!("SQLite template {file}: {e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn every_template_compiles() {
        assert!(env().is_ok());
    }

    #[test]
    fn undefined_variables_are_errors() {
        let err = render("drop_table", context! {}).unwrap_err();
        assert_eq!(err.code, "E9999");
    }

    #[test]
    fn nothing_is_escaped() {
        let sql = render("drop_table", context! { table => "\"a<b>&'\"" }).unwrap();
        assert_eq!(sql, "DROP TABLE \"a<b>&'\"");
    }
}
