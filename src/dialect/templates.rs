//! The minijinja environment every dialect renders its statement templates
//! (`dialects/<name>/*.sql.j2`) with.
//!
//! The templates are compiled into the binary ([`template_files!`]) and loaded
//! once, on first use, into an environment that starts EMPTY (no tests or
//! globals; one filter, `join`, for lists of already-quoted SQL: a template
//! `import` of a macro per render cost more than the rest of the statement),
//! fails on any undefined variable and never auto-escapes: every
//! value a template receives is SQL text already quoted or bound in Rust, so a
//! template cannot quote anything wrongly. Blocks are trimmed (`trim_blocks`,
//! `lstrip_blocks`) so templates can be laid out for reading.

use crate::diagnostic::Diagnostic;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::collections::HashMap;
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
    env: OnceLock<Result<Loaded, String>>,
}

/// The environment, and the templates that only substitute variables, split at
/// their variables (see [`Substitution`]).
struct Loaded {
    env: Environment<'static>,
    /// Template by the name callers use (`drop_table` for `drop_table.sql.j2`).
    templates: HashMap<&'static str, Entry>,
}

/// A template's file name in the environment, and its substitution if it is one
/// (the engine still renders a call the substitution cannot).
enum Entry {
    Engine(&'static str),
    Substitution(Substitution, &'static str),
}

/// A template without tags, comments or expressions (only `{{ name }}`), as the
/// text minijinja renders around its variables. Rendering one is then joining
/// strings: the same output without running the template engine, which costs
/// several thousand instructions per statement. The parts come from minijinja's
/// own rendering with marker values, so whitespace and newline handling is its own.
struct Substitution {
    /// `texts[0] var[0] texts[1] var[1] ... texts[n]`.
    texts: Vec<String>,
    vars: Vec<String>,
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
        self.loaded().map(|l| &l.env)
    }

    fn loaded(&self) -> Result<&Loaded, Diagnostic> {
        self.env
            .get_or_init(|| build(self.files))
            .as_ref()
            .map_err(|e| Diagnostic::internal(format!("{} templates: {e}", self.dialect)))
    }

    /// Render `<name>.sql.j2` with `ctx`, without trailing whitespace.
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, Diagnostic> {
        let loaded = self.loaded()?;
        let fail = |e: &dyn std::fmt::Display| {
            Diagnostic::internal(format!("{} template {name}.sql.j2: {e:#}", self.dialect))
        };
        let file = match loaded.templates.get(name) {
            None => return Err(fail(&"no such template")),
            Some(Entry::Engine(file)) => file,
            Some(Entry::Substitution(sub, file)) => {
                match sub.render(&Value::from_serialize(&ctx)) {
                    Some(out) => return Ok(out),
                    None => file,
                }
            }
        };
        let tmpl = loaded.env.get_template(file).map_err(|e| fail(&e))?;
        let mut out = tmpl.render(ctx).map_err(|e| fail(&e))?;
        out.truncate(out.trim_end().len());
        Ok(out)
    }
}

impl Substitution {
    /// The variables of `source` if it is only text and `{{ name }}`s.
    fn variables(source: &str) -> Option<Vec<String>> {
        if source.contains("{%") || source.contains("{#") {
            return None;
        }
        let mut vars = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let close = after.find("}}")?;
            let name = after[..close].trim();
            let simple = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !simple {
                return None;
            }
            vars.push(name.to_string());
            rest = &after[close + 2..];
        }
        Some(vars)
    }

    /// Split minijinja's rendering of `name` with a marker per variable.
    fn build(env: &Environment<'static>, name: &str, source: &str) -> Option<Substitution> {
        let mut names = Substitution::variables(source)?;
        names.sort();
        names.dedup();
        let ctx: HashMap<&str, String> = names
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), format!("\u{E000}{i}\u{E001}")))
            .collect();
        let rendered = env.get_template(name).ok()?.render(&ctx).ok()?;
        let mut texts = Vec::new();
        let mut vars = Vec::new();
        let mut rest = rendered.as_str();
        while let Some(at) = rest.find('\u{E000}') {
            texts.push(rest[..at].to_string());
            let marker = &rest[at + '\u{E000}'.len_utf8()..];
            let end = marker.find('\u{E001}')?;
            let index: usize = marker[..end].parse().ok()?;
            vars.push(names.get(index)?.clone());
            rest = &marker[end + '\u{E001}'.len_utf8()..];
        }
        texts.push(rest.to_string());
        Some(Substitution { texts, vars })
    }

    /// The rendering, or `None` when a variable is missing or not a string (the
    /// template engine then renders it, and reports what is wrong).
    fn render(&self, ctx: &Value) -> Option<String> {
        let values: Vec<Value> = self
            .vars
            .iter()
            .map(|v| ctx.get_attr(v).ok().filter(|x| x.as_str().is_some()))
            .collect::<Option<_>>()?;
        let len = self.texts.iter().map(String::len).sum::<usize>()
            + values
                .iter()
                .filter_map(Value::as_str)
                .map(str::len)
                .sum::<usize>();
        let mut out = String::with_capacity(len);
        for (text, value) in self.texts.iter().zip(&values) {
            out.push_str(text);
            out.push_str(value.as_str().unwrap_or_default());
        }
        out.push_str(self.texts.last().map_or("", String::as_str));
        out.truncate(out.trim_end().len());
        Some(out)
    }
}

fn build(files: &'static [(&'static str, &'static str)]) -> Result<Loaded, String> {
    let env = environment(files)?;
    let mut templates = HashMap::new();
    for &(file, source) in files {
        let Some(name) = file.strip_suffix(".sql.j2") else {
            continue;
        };
        let entry = match Substitution::build(&env, file, source) {
            Some(sub) => Entry::Substitution(sub, file),
            None => Entry::Engine(file),
        };
        templates.insert(name, entry);
    }
    Ok(Loaded { env, templates })
}

fn environment(
    files: &'static [(&'static str, &'static str)],
) -> Result<Environment<'static>, String> {
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("join", minijinja::filters::join);
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
    fn a_substitution_renders_as_the_engine_does() {
        static SUB: TemplateSet = TemplateSet::new(
            "test",
            &[(
                "s.sql.j2",
                "  ALTER {{ t }}\n  RENAME {{t}} TO {{ n }}  \n\n",
            )],
        );
        let ctx = minijinja::context! { t => "\"a\"", n => "b" };
        let loaded = SUB.loaded().unwrap();
        assert!(matches!(
            loaded.templates.get("s"),
            Some(Entry::Substitution(..))
        ));
        let engine = loaded
            .env
            .get_template("s.sql.j2")
            .unwrap()
            .render(&ctx)
            .unwrap();
        assert_eq!(SUB.render("s", &ctx).unwrap(), engine.trim_end());
        // A missing variable is still the engine's error.
        assert!(SUB.render("s", minijinja::context! { t => "x" }).is_err());
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
