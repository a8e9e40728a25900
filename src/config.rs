//! The project configuration: a TOML file (`migrations.toml` by default, `-c FILE`).
//!
//! ```toml
//! versions = "versions"                  # folder of revision files, relative to this file
//! url = "postgresql+asyncpg://u:p@db/app" # or: dialect = "postgresql"
//! url_env = "APP_DATABASE_URL"            # this variable, when set, overrides `url`
//! file_template = "{{ rev }}_{{ slug }}"  # new revision file names (+ ".mig")
//! version_table = "alembic_version"
//!
//! [vars]                                  # defaults for template variables (-x wins)
//! schema = "public"
//!
//! [databases.analytics]                   # a second database, picked with --name analytics;
//! versions = "analytics/versions"         # its keys override the top-level ones
//! url = "sqlite:///analytics.db"
//! ```
//!
//! Only the URL's scheme matters offline: it names the dialect
//! (`postgresql`, `postgresql+asyncpg`, `postgres`, `sqlite`, `sqlite+aiosqlite`).

use crate::diagnostic::Diagnostic;
use crate::ir::Dialect;
use crate::source::{SourceId, SourceMap, Span};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_CONFIG: &str = "migrations.toml";
pub const DEFAULT_FILE_TEMPLATE: &str = "{{ rev }}_{{ slug }}";
pub const DEFAULT_SCRIPT_TEMPLATE: &str = "script.mig.j2";

/// The settings of one database, as written (every key optional, so that a
/// `[databases.NAME]` table can override the top level key by key).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub project: Option<String>,
    pub versions: Option<String>,
    pub dialect: Option<String>,
    pub url: Option<String>,
    pub url_env: Option<String>,
    pub file_template: Option<String>,
    pub script_template: Option<String>,
    pub version_table: Option<String>,
    pub version_table_schema: Option<String>,
    pub transaction_per_migration: Option<bool>,
    pub lock_timeout: Option<String>,
    pub statement_timeout: Option<String>,
    pub sqlite_min_version: Option<String>,
    pub format_sql: Option<bool>,
    #[serde(default)]
    pub vars: IndexMap<String, String>,
    /// Top level only: which of `databases` to use when `--name` is not given.
    pub default_database: Option<String>,
    /// Top level only: named databases, picked with `--name`.
    #[serde(default)]
    pub databases: IndexMap<String, RawSettings>,
}

/// The whole file: the top-level settings are the defaults of every database.
type RawConfig = RawSettings;

/// The resolved settings for one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file, as given.
    pub path: PathBuf,
    /// `--name`, or the default database's name.
    pub database: Option<String>,
    pub project: String,
    pub versions_dir: PathBuf,
    pub dialect: Dialect,
    pub file_template: String,
    pub script_template: PathBuf,
    pub version_table: String,
    pub version_table_schema: Option<String>,
    pub transaction_per_migration: bool,
    pub lock_timeout: Option<String>,
    pub statement_timeout: Option<String>,
    pub sqlite_min_version: (u32, u32, u32),
    pub format_sql: bool,
    /// `[vars]` with `-x KEY=VALUE` applied on top.
    pub vars: IndexMap<String, String>,
}

/// Load and resolve the config file. `name` is `--name`; `overrides` are the `-x` pairs;
/// `env` looks up environment variables (injected so tests stay hermetic).
pub fn load(
    path: &Path,
    name: Option<&str>,
    overrides: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
    sources: &mut SourceMap,
) -> Result<Config, Vec<Diagnostic>> {
    let text = read_config_text(path)?;
    let id = sources.add(path, text);
    let raw: RawConfig =
        toml::from_str(&sources.get(id).text).map_err(|e| vec![toml_error(&e, id, sources)])?;
    let whole = Span::new(id, 0, 0);
    if let Some((db, _)) = raw
        .databases
        .iter()
        .find(|(_, d)| !d.databases.is_empty() || d.default_database.is_some())
    {
        return Err(vec![Diagnostic::error(
            "E0403",
            format!("invalid config: [databases.{db}] cannot itself hold `databases` or `default_database`"),
        )
        .with_span(whole, "in this config")]);
    }
    let settings = select_database(&raw, name, whole)?;
    let text = &sources.get(id).text;
    let at = |key: &str| key_span(text, key).map_or(whole, |(s, e)| Span::new(id, s, e));
    resolve(path, name_of(&raw, name), settings, overrides, env, &at)
}

fn read_config_text(path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        let d = Diagnostic::error(
            "E0401",
            format!("cannot read the config file {}: {e}", path.display()),
        );
        vec![if e.kind() == std::io::ErrorKind::NotFound {
            d.with_help(format!(
                "run `compile init` to create a project, or pass the config with `-c FILE` (default: {DEFAULT_CONFIG})"
            ))
        } else {
            d
        }]
    })?;
    String::from_utf8(bytes).map_err(|e| {
        vec![Diagnostic::error(
            "E0402",
            format!(
                "the config file {} is not valid UTF-8 (first bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
        .with_help("save the file as UTF-8")]
    })
}

fn toml_error(e: &toml::de::Error, id: SourceId, sources: &SourceMap) -> Diagnostic {
    let len = sources.get(id).text.len();
    let span = e
        .span()
        .map(|r| Span::new(id, r.start.min(len), r.end.min(len)))
        .unwrap_or(Span::new(id, 0, 0));
    let msg = e.message().trim().to_string();
    Diagnostic::error("E0403", format!("invalid config: {msg}"))
        .with_span(span, "here")
        .with_help("see the config reference in README.md (section \"Configuration\")")
}

fn name_of<'a>(raw: &'a RawConfig, name: Option<&'a str>) -> Option<&'a str> {
    name.or(raw.default_database.as_deref())
}

fn select_database(
    raw: &RawConfig,
    name: Option<&str>,
    whole: Span,
) -> Result<RawSettings, Vec<Diagnostic>> {
    let names = || {
        raw.databases
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(name) = name_of(raw, name) else {
        if raw.databases.is_empty() || raw.versions.is_some() {
            return Ok(raw.clone());
        }
        return Err(vec![Diagnostic::error(
            "E0404",
            "this config describes several databases; say which one",
        )
        .with_span(whole, "in this config")
        .with_help(format!("pass --name with one of: {}", names()))]);
    };
    let Some(db) = raw.databases.get(name) else {
        return Err(vec![Diagnostic::error(
            "E0405",
            format!("no database named \"{name}\" in the config"),
        )
        .with_span(whole, "in this config")
        .with_help(if raw.databases.is_empty() {
            "add a [databases.NAME] table, or drop --name".to_string()
        } else {
            format!("databases defined: {}", names())
        })]);
    };
    Ok(merge(raw, db))
}

fn merge(top: &RawSettings, db: &RawSettings) -> RawSettings {
    let mut vars = top.vars.clone();
    vars.extend(db.vars.clone());
    RawSettings {
        project: db.project.clone().or(top.project.clone()),
        versions: db.versions.clone().or(top.versions.clone()),
        dialect: db.dialect.clone().or(top.dialect.clone()),
        url: db.url.clone().or(top.url.clone()),
        url_env: db.url_env.clone().or(top.url_env.clone()),
        file_template: db.file_template.clone().or(top.file_template.clone()),
        script_template: db.script_template.clone().or(top.script_template.clone()),
        version_table: db.version_table.clone().or(top.version_table.clone()),
        version_table_schema: db
            .version_table_schema
            .clone()
            .or(top.version_table_schema.clone()),
        transaction_per_migration: db
            .transaction_per_migration
            .or(top.transaction_per_migration),
        lock_timeout: db.lock_timeout.clone().or(top.lock_timeout.clone()),
        statement_timeout: db
            .statement_timeout
            .clone()
            .or(top.statement_timeout.clone()),
        sqlite_min_version: db
            .sqlite_min_version
            .clone()
            .or(top.sqlite_min_version.clone()),
        format_sql: db.format_sql.or(top.format_sql),
        vars,
        default_database: None,
        databases: IndexMap::new(),
    }
}

fn resolve(
    path: &Path,
    database: Option<&str>,
    s: RawSettings,
    overrides: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
    at: &dyn Fn(&str) -> Span,
) -> Result<Config, Vec<Diagnostic>> {
    let base = path.parent().unwrap_or(Path::new(""));
    let mut errors = Vec::new();
    let dialect = match resolve_dialect(&s, env) {
        Ok(d) => Some(d),
        Err((d, key)) => {
            errors.push(d.with_span(at(key), "in this config"));
            None
        }
    };
    let versions = s.versions.clone().unwrap_or_else(|| "versions".into());
    let versions_dir = base.join(&versions);
    if !versions_dir.is_dir() {
        errors.push(
            Diagnostic::error(
                "E0406",
                format!(
                    "the versions folder {} does not exist",
                    versions_dir.display()
                ),
            )
            .with_span(at("versions"), "configured here")
            .with_help("create it, fix `versions = ...` in the config, or run `compile init`"),
        );
    }
    let sqlite_min_version =
        match parse_version(s.sqlite_min_version.as_deref().unwrap_or("3.35.0")) {
            Some(v) => v,
            None => {
                errors.push(
                    Diagnostic::error("E0407", "sqlite_min_version must look like 3.35 or 3.35.0")
                        .with_span(at("sqlite_min_version"), "in this config"),
                );
                (3, 35, 0)
            }
        };
    let (Some(dialect), true) = (dialect, errors.is_empty()) else {
        return Err(errors);
    };
    let mut vars = s.vars.clone();
    vars.extend(overrides.iter().cloned());
    Ok(Config {
        path: path.to_path_buf(),
        database: database.map(str::to_string),
        project: s.project.clone().unwrap_or_else(|| project_name(path)),
        versions_dir,
        dialect,
        file_template: s
            .file_template
            .clone()
            .unwrap_or_else(|| DEFAULT_FILE_TEMPLATE.into()),
        script_template: base.join(
            s.script_template
                .clone()
                .unwrap_or_else(|| DEFAULT_SCRIPT_TEMPLATE.into()),
        ),
        version_table: s
            .version_table
            .clone()
            .unwrap_or_else(|| "alembic_version".into()),
        version_table_schema: s.version_table_schema.clone(),
        transaction_per_migration: s.transaction_per_migration.unwrap_or(false),
        lock_timeout: s.lock_timeout.clone(),
        statement_timeout: s.statement_timeout.clone(),
        sqlite_min_version,
        format_sql: s.format_sql.unwrap_or(false),
        vars,
    })
}

fn project_name(path: &Path) -> String {
    let dir = path
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    dir.and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "migrations".into())
}

/// The dialect from `url_env` (when that variable is set), else `url`, else `dialect`.
fn resolve_dialect(
    s: &RawSettings,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Dialect, (Diagnostic, &'static str)> {
    let from_env = s
        .url_env
        .as_deref()
        .and_then(|var| env(var).map(|u| (var, u)));
    if let Some((var, url)) = from_env {
        return dialect_of_url(&url).map_err(|d| {
            let note = format!("the URL came from the environment variable {var}");
            (d.with_note(note), "url_env")
        });
    }
    if let Some(url) = &s.url {
        return dialect_of_url(url).map_err(|d| (d, "url"));
    }
    match &s.dialect {
        Some(name) => Dialect::from_name(name).ok_or_else(|| {
            let d = Diagnostic::error("E0408", format!("unknown dialect \"{name}\""))
                .with_help("use dialect = \"postgresql\" or dialect = \"sqlite\"");
            (d, "dialect")
        }),
        None => Err((
            Diagnostic::error("E0409", "no target database is configured")
                .with_help("set `dialect = \"postgresql\"` (or \"sqlite\"), or a database `url`"),
            "",
        )),
    }
}

/// Byte range of the value of the first `key = value` line, for pointing at it.
/// (The typed config keeps no spans; a key is on one line in every config we write.)
fn key_span(text: &str, key: &str) -> Option<(usize, usize)> {
    if key.is_empty() {
        return None;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let start = offset + (line.len() - trimmed.len());
                let end = offset + line.trim_end().len();
                return Some((start, end));
            }
        }
        offset += line.len();
    }
    None
}

/// `postgresql+asyncpg://u:p@host/db` → PostgreSQL. Only the scheme is read.
pub fn dialect_of_url(url: &str) -> Result<Dialect, Diagnostic> {
    let Some((scheme, _)) = url.split_once(':') else {
        return Err(Diagnostic::error("E0410", format!("\"{}\" is not a database URL", redact(url)))
            .with_help("write it as Alembic does, e.g. postgresql+asyncpg://user:pass@host/db or sqlite:///./app.db"));
    };
    let backend = scheme.split('+').next().unwrap_or(scheme);
    Dialect::from_name(backend).ok_or_else(|| {
        Diagnostic::error(
            "E0411",
            format!("unsupported database URL scheme \"{scheme}\""),
        )
        .with_help("supported: postgresql[+driver]://... and sqlite[+driver]:///...")
    })
}

/// Hide a password in a URL shown in a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut parts = v.trim().split('.').map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next()??;
    let patch = parts.next().unwrap_or(Some(0))?;
    parts.next().is_none().then_some((major, minor, patch))
}

/// Parse one `-x KEY=VALUE`.
pub fn parse_x_arg(arg: &str) -> Result<(String, String), Diagnostic> {
    match arg.split_once('=') {
        Some((k, v)) if is_var_name(k) => Ok((k.to_string(), v.to_string())),
        _ => Err(
            Diagnostic::error("E0412", format!("malformed -x argument \"{arg}\""))
                .with_help("write -x KEY=VALUE, where KEY is a name like schema or tenant_id"),
        ),
    }
}

fn is_var_name(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_name_dialects() {
        assert_eq!(
            dialect_of_url("postgresql+asyncpg://u:p@h/db").unwrap(),
            Dialect::Postgresql
        );
        assert_eq!(
            dialect_of_url("postgres://h/db").unwrap(),
            Dialect::Postgresql
        );
        assert_eq!(
            dialect_of_url("sqlite+aiosqlite:///./app.db").unwrap(),
            Dialect::Sqlite
        );
        assert_eq!(dialect_of_url("mysql://h/db").unwrap_err().code, "E0411");
        assert_eq!(dialect_of_url("nonsense").unwrap_err().code, "E0410");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgresql://u:secret@h/db"),
            "postgresql://u:***@h/db"
        );
    }

    #[test]
    fn x_args() {
        assert_eq!(parse_x_arg("schema=tenant_acme").unwrap().1, "tenant_acme");
        assert_eq!(parse_x_arg("a=b=c").unwrap().1, "b=c");
        assert!(parse_x_arg("novalue").is_err());
        assert!(parse_x_arg("=x").is_err());
    }

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("3.35"), Some((3, 35, 0)));
        assert_eq!(parse_version("3.40.1"), Some((3, 40, 1)));
        assert_eq!(parse_version("3"), None);
    }
}
