//! The minijinja environment every dialect renders its statement templates
//! (`dialects/<name>/*.sql.j2`) with.
//!
//! The templates are compiled into the binary ([`template_files!`]) and loaded
//! once, on first use, into an environment that starts EMPTY (no filters, tests
//! or globals), fails on any undefined variable and never auto-escapes: every
//! value a template receives is SQL text already quoted or bound in Rust, so a
//! template cannot quote anything wrongly. Blocks are trimmed (`trim_blocks`,
//! `lstrip_blocks`) so templates can be laid out for reading.

use crate::diagnostic::Diagnostic;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use std::sync::OnceLock;

/// `(name, source)` pairs of the files `dialects/<dir>/<name>`, read at compile
/// time: `template_files!["sqlite"; "drop_table.sql.j2", ...]`.
macro_rules! template_files {
    ($dir:literal; $($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/dialects/", $dir, "/", $name)),
        )),*]
    };
}
pub(crate) use template_files;

/// One dialect's templates and, once built, their environment.
pub struct TemplateSet {
    /// The dialect's name, for internal-error messages.
    dialect: &'static str,
    files: &'static [(&'static str, &'static str)],
    env: OnceLock<Result<Environment<'static>, String>>,
}

impl TemplateSet {
    pub const fn new(
        dialect: &'static str,
        files: &'static [(&'static str, &'static str)],
    ) -> TemplateSet {
        TemplateSet {
            dialect,
            files,
            env: OnceLock::new(),
        }
    }

    /// The environment; an internal error when a template does not compile.
    pub fn env(&self) -> Result<&Environment<'static>, Diagnostic> {
        self.env
            .get_or_init(|| build(self.files))
            .as_ref()
            .map_err(|e| Diagnostic::internal(format!("{} templates: {e}", self.dialect)))
    }

    /// Render `<name>.sql.j2` with `ctx`, without trailing whitespace.
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, Diagnostic> {
        let file = format!("{name}.sql.j2");
        let fail = |e: &dyn std::fmt::Display| {
            Diagnostic::internal(format!("{} template {file}: {e:#}", self.dialect))
        };
        let tmpl = self.env()?.get_template(&file).map_err(|e| fail(&e))?;
        let out = tmpl.render(ctx).map_err(|e| fail(&e))?;
        Ok(out.trim_end().to_string())
    }
}

fn build(files: &'static [(&'static str, &'static str)]) -> Result<Environment<'static>, String> {
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (name, source) in files {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e}"))?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    static SET: TemplateSet = TemplateSet::new(
        "test",
        &[
            ("t.sql.j2", "DROP TABLE {{ table }}\n\n"),
            ("bad.sql.j2", "{% if %}"),
        ],
    );

    #[test]
    fn a_template_that_does_not_compile_is_an_internal_error() {
        let err = SET
            .render("t", minijinja::context! { table => "x" })
            .unwrap_err();
        assert_eq!(err.code, "E9999");
        assert!(err.message.contains("bad.sql.j2"), "{}", err.message);
    }

    #[test]
    fn renders_without_escaping_or_trailing_newlines() {
        static OK: TemplateSet = TemplateSet::new("test", &[("t.sql.j2", "DROP {{ t }}\n\n")]);
        let out = OK
            .render("t", minijinja::context! { t => "\"a<b>&'\"" })
            .unwrap();
        assert_eq!(out, "DROP \"a<b>&'\"");
        assert!(OK.render("t", minijinja::context! {}).is_err());
        assert!(OK.render("missing", minijinja::context! {}).is_err());
    }
}
