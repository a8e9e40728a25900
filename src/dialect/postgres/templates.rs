//! The PostgreSQL templates (`dialects/postgresql/*.sql.j2`), compiled into the binary
//! and loaded once into a minijinja environment.
//!
//! The environment starts empty (no filters, tests or globals), fails on undefined
//! variables and never auto-escapes: every value a template receives is SQL text
//! already quoted or bound in Rust, so a template cannot quote anything wrongly.

use crate::diagnostic::Diagnostic;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use std::sync::OnceLock;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../dialects/postgresql/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "_macros.sql.j2",
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
    "insert.sql.j2",
    "preamble.sql.j2",
    "rename_column.sql.j2",
    "rename_table.sql.j2",
    "version_delete.sql.j2",
    "version_insert.sql.j2",
    "version_table.sql.j2",
    "version_update.sql.j2",
];

fn build() -> Result<Environment<'static>, String> {
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e}"))?;
    }
    Ok(env)
}

fn env() -> &'static Result<Environment<'static>, String> {
    static ENV: OnceLock<Result<Environment<'static>, String>> = OnceLock::new();
    ENV.get_or_init(build)
}

/// Render `dialects/postgresql/<name>.sql.j2` with `ctx`, without a trailing newline.
pub fn render(name: &str, ctx: impl Serialize) -> Result<String, Diagnostic> {
    let env = env().as_ref().map_err(Diagnostic::internal)?;
    let file = format!("{name}.sql.j2");
    let tmpl = env
        .get_template(&file)
        .map_err(|e| Diagnostic::internal(format!("template {file}: {e}")))?;
    let out = tmpl
        .render(ctx)
        .map_err(|e| Diagnostic::internal(format!("template {file}: {e:#}")))?;
    Ok(out.trim_end_matches('\n').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        assert!(env().is_ok(), "{:?}", env().as_ref().err());
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
}
