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
use crate::fxhash::FxBuild;
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

/// A value handed to a template by [`TemplateSet::render_args`]: what the
/// templates read (SQL text, a flag, a list of SQL texts), borrowed, so a
/// substitution writes it without building a minijinja value.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Str(&'a str),
    Bool(bool),
    List(&'a [&'a str]),
    Strings(&'a [String]),
}

impl Arg<'_> {
    /// Jinja's truthiness: a non-empty text or list, `true`.
    fn is_true(self) -> bool {
        match self {
            Arg::Str(s) => !s.is_empty(),
            Arg::Bool(b) => b,
            Arg::List(l) => !l.is_empty(),
            Arg::Strings(l) => !l.is_empty(),
        }
    }

    fn to_value(self) -> Value {
        match self {
            Arg::Str(s) => Value::from(s),
            Arg::Bool(b) => Value::from(b),
            Arg::List(l) => l.iter().copied().map(Value::from).collect(),
            Arg::Strings(l) => l.iter().map(|s| Value::from(s.as_str())).collect(),
        }
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(s)
    }
}

impl From<bool> for Arg<'_> {
    fn from(b: bool) -> Self {
        Arg::Bool(b)
    }
}

impl<'a> From<&'a [&'a str]> for Arg<'a> {
    fn from(l: &'a [&'a str]) -> Self {
        Arg::List(l)
    }
}

impl<'a> From<&'a Vec<&'a str>> for Arg<'a> {
    fn from(l: &'a Vec<&'a str>) -> Self {
        Arg::List(l)
    }
}

impl<'a> From<&'a [String]> for Arg<'a> {
    fn from(l: &'a [String]) -> Self {
        Arg::Strings(l)
    }
}

impl<'a> From<&'a Vec<String>> for Arg<'a> {
    fn from(l: &'a Vec<String>) -> Self {
        Arg::Strings(l)
    }
}

/// `(name, value)` pairs for [`TemplateSet::render_args`], written like
/// `minijinja::context!`: `args! { table => &quoted, if_exists => true, lines => &lines }`.
/// Listing the names in the order the template first reads them makes the
/// lookup cheapest.
macro_rules! args {
    ($($name:ident $(=> $value:expr)?),* $(,)?) => {
        &[$((
            stringify!($name),
            $crate::dialect::templates::Arg::from($crate::dialect::templates::args!(@value $name $(, $value)?)),
        )),*]
    };
    (@value $name:ident) => { $name };
    (@value $name:ident, $value:expr) => { $value };
}
pub(crate) use args;

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
    templates: HashMap<&'static str, Entry, FxBuild>,
}

/// A template's file name in the environment, and its substitutions if it has
/// them (the engine still renders a call they cannot).
enum Entry {
    Engine(&'static str),
    Substitution(Substitutions, &'static str),
}

/// A template whose only tags are `{% if name %}` and `{% endif %}` and whose only
/// expressions are `{{ name }}` and `{{ name|join("...") }}`. Its output depends
/// only on which tested names are true and on the text of each written name, so
/// for each combination of the tested names it is one [`Substitution`], built on
/// first use. Rendering one is then joining strings: the same output without
/// running the template engine, which costs several thousand instructions per
/// statement.
struct Substitutions {
    /// Every name the template reads; a render fetches their values in this order.
    names: Vec<(String, Written)>,
    /// The names `{% if %}` tests (indexes into `names`): bit `i` of a
    /// combination is the truthiness of the `i`-th.
    tested: Vec<usize>,
    /// Names the template writes only inside `{% if name %}` on themselves: a
    /// false value of any kind (none, false) is never written, so it may be one.
    guarded: Vec<bool>,
    /// One per combination of the tested names.
    variants: Box<[OnceLock<Option<Substitution>>]>,
}

/// How a template writes a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// It does not (the name is only tested).
    Not,
    /// `{{ name }}`: a string.
    Text,
    /// `{{ name|join("...") }}`: a list of strings.
    Joined,
}

/// Tested names past this many make too many combinations: the engine renders.
const MAX_TESTED: usize = 10;

/// Templates that read more names than this go to the engine.
const MAX_NAMES: usize = 16;

/// The text minijinja renders around the written names, for one combination of
/// the tested names. The parts come from minijinja's own rendering with marker
/// values, so whitespace, newline handling and join separators are its own.
struct Substitution {
    /// `texts[0] var[0] texts[1] var[1] ... texts[n]`.
    texts: Vec<String>,
    /// Index into the names, and the separator of a joined list.
    vars: Vec<(usize, Option<String>)>,
    /// The length of the texts.
    len: usize,
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
        self.render_with(
            name,
            |subs, env, file| subs.render(env, file, &Value::from_serialize(&ctx)),
            &ctx,
        )
    }

    /// [`render`](Self::render) for a context that is already a value (what
    /// `minijinja::context!` makes): a substitution reads it without converting it.
    pub fn render_value(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.render_with(name, |subs, env, file| subs.render(env, file, &ctx), &ctx)
    }

    /// [`render`](Self::render) with `(name, value)` pairs (see [`args!`]): a
    /// substitution reads them directly; the engine gets them as a map.
    pub fn render_args(&self, name: &str, args: &[(&str, Arg<'_>)]) -> Result<String, Diagnostic> {
        let loaded = self.loaded()?;
        if let Some(Entry::Substitution(subs, file)) = loaded.templates.get(name) {
            if let Some(out) = subs.render_args(&loaded.env, file, args) {
                return Ok(out);
            }
        }
        let ctx: Value = args.iter().map(|&(n, a)| (n, a.to_value())).collect();
        self.render_with(name, |_, _, _| None, &ctx)
    }

    fn render_with(
        &self,
        name: &str,
        substitute: impl FnOnce(&Substitutions, &Environment<'static>, &str) -> Option<String>,
        ctx: impl Serialize,
    ) -> Result<String, Diagnostic> {
        let loaded = self.loaded()?;
        let fail = |e: &dyn std::fmt::Display| {
            Diagnostic::internal(format!("{} template {name}.sql.j2: {e:#}", self.dialect))
        };
        let file = match loaded.templates.get(name) {
            None => return Err(fail(&"no such template")),
            Some(Entry::Engine(file)) => file,
            Some(Entry::Substitution(subs, file)) => match substitute(subs, &loaded.env, file) {
                Some(out) => return Ok(out),
                None => file,
            },
        };
        let tmpl = loaded.env.get_template(file).map_err(|e| fail(&e))?;
        let mut out = tmpl.render(ctx).map_err(|e| fail(&e))?;
        out.truncate(out.trim_end().len());
        Ok(out)
    }
}

/// Marks in the marker values: `\u{E000}` index `\u{E001}` for a text (or a
/// list's first item), `\u{E000}` index `\u{E002}` for a list's second item.
const OPEN: char = '\u{E000}';
const ONE: char = '\u{E001}';
const TWO: char = '\u{E002}';

impl Substitutions {
    /// The substitutions of `source`, if it has only the tags and expressions a
    /// substitution can stand for (each combination is built on first use).
    fn new(source: &str) -> Option<Substitutions> {
        if source.contains([OPEN, ONE, TWO]) {
            return None;
        }
        let mut names: Vec<(String, Written)> = Vec::new();
        let mut tested = Vec::new();
        // The names of the `{% if %}`s around the current position; whether a
        // name was written outside an `{% if %}` on itself.
        let mut enclosing: Vec<usize> = Vec::new();
        let mut unguarded: Vec<usize> = Vec::new();
        let mut index = |name: &str, written: Written| -> Option<usize> {
            match names.iter().position(|(n, _)| n == name) {
                Some(i) if names[i].1 == Written::Not => {
                    names[i].1 = written;
                    Some(i)
                }
                Some(i) if written == Written::Not || names[i].1 == written => Some(i),
                Some(_) => None,
                None => {
                    names.push((name.to_string(), written));
                    Some(names.len() - 1)
                }
            }
        };
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = match after.chars().next() {
                Some('#') => "#}",
                Some('%') => "%}",
                Some('{') => "}}",
                _ => {
                    rest = after;
                    continue;
                }
            };
            let end = after.find(close)?;
            let inner = after[1..end]
                .trim_start_matches(['-', '+'])
                .trim_end_matches(['-', '+'])
                .trim();
            match close {
                "%}" if inner == "endif" => {
                    enclosing.pop()?;
                }
                "%}" => {
                    let name = inner.strip_prefix("if ")?.trim();
                    if !simple(name) {
                        return None;
                    }
                    let i = index(name, Written::Not)?;
                    if !tested.contains(&i) {
                        tested.push(i);
                    }
                    enclosing.push(i);
                }
                "}}" if simple(inner) => {
                    let i = index(inner, Written::Text)?;
                    if !enclosing.contains(&i) {
                        unguarded.push(i);
                    }
                }
                "}}" => {
                    let (name, filter) = inner.split_once('|')?;
                    let arg = filter.trim().strip_prefix("join(")?.strip_suffix(')')?;
                    if !simple(name.trim()) || !string_literal(arg.trim()) {
                        return None;
                    }
                    let i = index(name.trim(), Written::Joined)?;
                    if !enclosing.contains(&i) {
                        unguarded.push(i);
                    }
                }
                _ => {}
            }
            rest = &after[end + close.len()..];
        }
        if !enclosing.is_empty() || tested.len() > MAX_TESTED || names.len() > MAX_NAMES {
            return None;
        }
        let guarded = (0..names.len())
            .map(|i| tested.contains(&i) && !unguarded.contains(&i))
            .collect();
        let variants = (0..1usize << tested.len())
            .map(|_| OnceLock::new())
            .collect();
        Some(Substitutions {
            names,
            tested,
            guarded,
            variants,
        })
    }

    /// The rendering, or `None` when a name is missing or not of the kind the
    /// template uses it as (the template engine then renders it, and reports what
    /// is wrong).
    fn render(&self, env: &Environment<'static>, file: &str, ctx: &Value) -> Option<String> {
        let mut values: [Value; MAX_NAMES] = Default::default();
        for (i, ((name, written), slot)) in self.names.iter().zip(&mut values).enumerate() {
            let value = ctx.get_attr(name).ok()?;
            let fits = match written {
                Written::Not => !value.is_undefined(),
                Written::Text => value.as_str().is_some(),
                Written::Joined => {
                    list(&value).is_some_and(|l| l.iter().all(|v| v.as_str().is_some()))
                }
            };
            // A false value under its own `if` is never written, whatever it is.
            let never_written = || self.guarded[i] && !value.is_undefined() && !value.is_true();
            if !fits && !never_written() {
                return None;
            }
            *slot = value;
        }
        let combination = self
            .tested
            .iter()
            .enumerate()
            .filter(|&(_, &i)| values[i].is_true())
            .fold(0, |acc, (bit, _)| acc | 1 << bit);
        self.variants[combination]
            .get_or_init(|| self.variant(env, file, combination))
            .as_ref()?
            .render(&values)
    }

    /// [`render`](Self::render) with typed arguments: the same checks, without
    /// minijinja values. `None`: the engine renders (a missing name is its error).
    fn render_args(
        &self,
        env: &Environment<'static>,
        file: &str,
        args: &[(&str, Arg<'_>)],
    ) -> Option<String> {
        // Where each name is in `args`.
        let mut at = [0u8; MAX_NAMES];
        for (i, ((name, written), slot)) in self.names.iter().zip(&mut at).enumerate() {
            // Callers list the names in the template's order: try that place first.
            let k = match args.get(i) {
                Some((n, _)) if n == name => i,
                _ => args.iter().position(|(n, _)| n == name)?,
            };
            let arg = args[k].1;
            let fits = matches!(
                (written, arg),
                (Written::Not, _)
                    | (Written::Text, Arg::Str(_))
                    | (Written::Joined, Arg::List(_) | Arg::Strings(_))
            );
            // A false value under its own `if` is never written, whatever it is.
            let never_written = self.guarded[i] && !arg.is_true();
            if !fits && !never_written {
                return None;
            }
            *slot = u8::try_from(k).ok()?;
        }
        let value = |i: usize| args[usize::from(at[i])].1;
        let mut combination = 0;
        for (bit, &i) in self.tested.iter().enumerate() {
            if value(i).is_true() {
                combination |= 1 << bit;
            }
        }
        self.variants[combination]
            .get_or_init(|| self.variant(env, file, combination))
            .as_ref()?
            .render_args(value)
    }

    /// Split minijinja's rendering of `file` with a marker value per written name,
    /// the tested names true or false (an empty text or list) as in `combination`.
    fn variant(
        &self,
        env: &Environment<'static>,
        file: &str,
        combination: usize,
    ) -> Option<Substitution> {
        let ctx: HashMap<&str, Value> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, (name, written))| {
                let truthy = self
                    .tested
                    .iter()
                    .position(|&t| t == i)
                    .is_none_or(|bit| combination & (1 << bit) != 0);
                let value = match (written, truthy) {
                    (Written::Not, _) => Value::from(truthy),
                    (Written::Text, true) => Value::from(format!("{OPEN}{i}{ONE}")),
                    (Written::Text, false) => Value::from(""),
                    (Written::Joined, true) => {
                        Value::from(vec![format!("{OPEN}{i}{ONE}"), format!("{OPEN}{i}{TWO}")])
                    }
                    (Written::Joined, false) => Value::from(Vec::<String>::new()),
                };
                (name.as_str(), value)
            })
            .collect();
        let rendered = env.get_template(file).ok()?.render(&ctx).ok()?;
        let mut texts = Vec::new();
        let mut vars = Vec::new();
        let mut rest = rendered.as_str();
        while let Some(at) = rest.find(OPEN) {
            texts.push(rest[..at].to_string());
            let marker = &rest[at + OPEN.len_utf8()..];
            let end = marker.find(ONE)?;
            let index: usize = marker[..end].parse().ok()?;
            rest = &marker[end + ONE.len_utf8()..];
            match self.names.get(index)?.1 {
                Written::Text => vars.push((index, None)),
                Written::Joined => {
                    let second = format!("{OPEN}{index}{TWO}");
                    let sep = &rest[..rest.find(&second)?];
                    if sep.contains([OPEN, ONE, TWO]) {
                        return None;
                    }
                    vars.push((index, Some(sep.to_string())));
                    rest = &rest[sep.len() + second.len()..];
                }
                Written::Not => return None,
            }
        }
        if rest.contains([ONE, TWO]) {
            return None;
        }
        texts.push(rest.to_string());
        let len = texts.iter().map(String::len).sum();
        Some(Substitution { texts, vars, len })
    }
}

impl Substitution {
    /// The text with `values` (checked by the caller: strings, lists of strings).
    fn render(&self, values: &[Value]) -> Option<String> {
        let mut out = String::with_capacity(
            self.texts.iter().map(String::len).sum::<usize>()
                + values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::len)
                    .sum::<usize>(),
        );
        for (text, (index, sep)) in self.texts.iter().zip(&self.vars) {
            out.push_str(text);
            let value = &values[*index];
            match sep {
                None => out.push_str(value.as_str()?),
                Some(sep) => {
                    for (n, item) in list(value)?.iter().enumerate() {
                        if n > 0 {
                            out.push_str(sep);
                        }
                        out.push_str(item.as_str()?);
                    }
                }
            }
        }
        out.push_str(self.texts.last().map_or("", String::as_str));
        out.truncate(out.trim_end().len());
        Some(out)
    }
}

impl Substitution {
    /// The text with `values` (checked by the caller: texts, lists of texts).
    fn render_args<'a>(&self, value: impl Fn(usize) -> Arg<'a>) -> Option<String> {
        let mut len = self.len;
        for (index, sep) in &self.vars {
            len += match value(*index) {
                Arg::Str(s) => s.len(),
                Arg::List(l) => {
                    l.iter().map(|s| s.len()).sum::<usize>()
                        + sep.as_ref().map_or(0, |s| s.len() * l.len())
                }
                Arg::Strings(l) => {
                    l.iter().map(String::len).sum::<usize>()
                        + sep.as_ref().map_or(0, |s| s.len() * l.len())
                }
                Arg::Bool(_) => 0,
            };
        }
        let mut out = String::with_capacity(len);
        for (text, (index, sep)) in self.texts.iter().zip(&self.vars) {
            out.push_str(text);
            match (value(*index), sep) {
                (Arg::Str(s), None) => out.push_str(s),
                (Arg::List(l), Some(sep)) => join_into(&mut out, l, sep),
                (Arg::Strings(l), Some(sep)) => join_into(&mut out, l, sep),
                _ => return None,
            }
        }
        out.push_str(self.texts.last().map_or("", String::as_str));
        out.truncate(out.trim_end().len());
        Some(out)
    }
}

fn join_into<S: AsRef<str>>(out: &mut String, items: &[S], sep: &str) {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push_str(sep);
        }
        out.push_str(item.as_ref());
    }
}

/// The items of a list value as serialized from a `Vec` (anything else, e.g. a
/// string, which `join` would split into characters, goes to the engine).
fn list(value: &Value) -> Option<&Vec<Value>> {
    value.downcast_object_ref::<Vec<Value>>()
}

/// A name minijinja reads as one variable.
fn simple(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One string literal, `"..."` or `'...'` (its value is whatever minijinja makes
/// of it: the separator is read from a rendering).
fn string_literal(arg: &str) -> bool {
    let Some(quote) = arg.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        return false;
    };
    let mut chars = arg[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            c if c == quote => return chars.next().is_none(),
            _ => {}
        }
    }
    false
}

fn build(files: &'static [(&'static str, &'static str)]) -> Result<Loaded, String> {
    let env = environment(files)?;
    let mut templates = HashMap::default();
    for &(file, source) in files {
        let Some(name) = file.strip_suffix(".sql.j2") else {
            continue;
        };
        let entry = match Substitutions::new(source) {
            Some(subs) => Entry::Substitution(subs, file),
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
    fn tested_names_and_joined_lists_render_as_the_engine_does() {
        static SUB: TemplateSet = TemplateSet::new(
            "test",
            &[(
                "c.sql.j2",
                "{#- a comment -#}\nA {% if flag %}F {% endif %}{{ a }}\n{%- if b %} B {{ b }}{% endif %}\n\
                 {% if items %}\n    {{ items|join(\",\\n    \") }}\n{% endif %}\n{{ items|join('-') }})\n",
            )],
        );
        let loaded = SUB.loaded().unwrap();
        assert!(matches!(
            loaded.templates.get("c"),
            Some(Entry::Substitution(..))
        ));
        let template = loaded.env.get_template("c.sql.j2").unwrap();
        for flag in [
            minijinja::Value::from(true),
            0.into(),
            "".into(),
            "x".into(),
        ] {
            for b in ["", "b\"b"] {
                for items in [vec![], vec!["x"], vec!["x", "y", "z"]] {
                    let ctx = minijinja::context! { flag => flag.clone(), a => "a", b, items };
                    let engine = template.render(&ctx).unwrap();
                    assert_eq!(SUB.render("c", &ctx).unwrap(), engine.trim_end());
                }
            }
        }
        // Values the substitution cannot stand for go to the engine.
        let ctx = minijinja::context! { flag => true, a => 1, b => "", items => vec!["x"] };
        assert_eq!(
            SUB.render("c", &ctx).unwrap(),
            template.render(&ctx).unwrap().trim_end()
        );
        let ctx = minijinja::context! { a => "a", b => "", items => vec!["x"] };
        assert!(SUB.render("c", ctx).is_err());
        // A false value of any kind for a name written only under its own `if`
        // (`b`); written elsewhere too (`a` below), it is the engine's.
        for b in [minijinja::Value::from(()), false.into()] {
            let ctx = minijinja::context! { flag => true, a => "a", b, items => vec!["x"] };
            let engine = template.render(&ctx).unwrap();
            assert_eq!(SUB.render("c", &ctx).unwrap(), engine.trim_end());
        }
        static OUT: TemplateSet =
            TemplateSet::new("test", &[("o.sql.j2", "{% if a %}A{% endif %} {{ a }}")]);
        let ctx = minijinja::context! { a => () };
        assert_eq!(OUT.render("o", &ctx).unwrap(), " None");
    }

    #[test]
    fn typed_arguments_render_as_the_engine_does() {
        static SUB: TemplateSet = TemplateSet::new(
            "test",
            &[
                (
                    "c.sql.j2",
                    "A {% if flag %}F {% endif %}{{ a }}\n{%- if b %} B {{ b }}{% endif %}\n\
                     {% if items %}\n    {{ items|join(\",\\n    \") }}\n{% endif %}\n)\n",
                ),
                (
                    "e.sql.j2",
                    "{% for i in items %}[{{ i }}]{% endfor %} {{ a }}",
                ),
            ],
        );
        let loaded = SUB.loaded().unwrap();
        let template = loaded.env.get_template("c.sql.j2").unwrap();
        for flag in [true, false] {
            for b in ["", "b\"b"] {
                for items in [vec![], vec!["x"], vec!["x", "y", "z"]] {
                    let ctx = minijinja::context! { flag, a => "a", b, items => items.clone() };
                    let engine = template.render(&ctx).unwrap();
                    let typed = SUB.render_args("c", args! { flag, a => "a", b, items => &items });
                    assert_eq!(typed.unwrap(), engine.trim_end());
                    // Any order of the names.
                    let typed = SUB.render_args("c", args! { items => &items, b, a => "a", flag });
                    assert_eq!(typed.unwrap(), engine.trim_end());
                }
            }
        }
        // A flag written as text, or a false value under its own `if`.
        let typed = SUB.render_args(
            "c",
            args! { flag => "", a => true, b => false, items => "" },
        );
        let ctx = minijinja::context! { flag => "", a => true, b => false, items => "" };
        assert_eq!(typed.unwrap(), template.render(&ctx).unwrap().trim_end());
        // A missing name is the engine's error; the engine renders other templates.
        assert!(SUB
            .render_args("c", args! { flag => true, a => "a", b => "" })
            .is_err());
        let lines = vec!["x".to_string(), "y".to_string()];
        assert_eq!(
            SUB.render_args("e", args! { items => &lines, a => "a" })
                .unwrap(),
            "[x][y] a"
        );
    }

    #[test]
    fn other_tags_and_filters_go_to_the_engine() {
        for source in [
            "{% if a %}x{% else %}y{% endif %}",
            "{% if not a %}x{% endif %}",
            "{% for x in a %}{{ x }}{% endfor %}",
            "{{ a|upper }}",
            "{{ a|join(b) }}",
            "{{ a|join(\"x\" ~ b) }}",
            "{{ a ~ b }}",
        ] {
            assert!(Substitutions::new(source).is_none(), "{source}");
        }
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
