//! `compile init [DIR]`: scaffold a project (config, versions folder, revision template).

use super::args::InitArgs;
use super::{CommandResult, Success};
use crate::config::{DEFAULT_CONFIG, DEFAULT_SCRIPT_TEMPLATE};
use crate::diagnostic::Diagnostic;
use crate::ir::Dialect;
use std::path::Path;

/// The template new revision files are written from (our `script.py.mako`).
pub const SCRIPT_TEMPLATE: &str = include_str!("../../dialects/common/script.mig.j2");

pub fn run(args: &InitArgs) -> CommandResult {
    let Some(dialect) = Dialect::from_name(&args.dialect) else {
        return Err(vec![Diagnostic::error(
            "E0408",
            format!("unknown dialect \"{}\"", args.dialect),
        )
        .with_help("use --dialect postgresql or --dialect sqlite")]
        .into());
    };
    let config_path = args.dir.join(DEFAULT_CONFIG);
    if config_path.exists() {
        return Err(vec![Diagnostic::error(
            "E0416",
            format!("{} already exists", config_path.display()),
        )
        .with_help("init never overwrites a project; pick another folder")]
        .into());
    }
    let written = scaffold(&args.dir, dialect).map_err(|e| {
        vec![Diagnostic::error(
            "E0417",
            format!("cannot create the project in {}: {e}", args.dir.display()),
        )]
    })?;
    Ok(Success {
        stdout: written.iter().map(|p| format!("created {p}\n")).collect(),
        stderr: String::new(),
    })
}

fn scaffold(dir: &Path, dialect: Dialect) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir.join("versions"))?;
    std::fs::write(dir.join(DEFAULT_CONFIG), config_text(dialect))?;
    std::fs::write(dir.join(DEFAULT_SCRIPT_TEMPLATE), SCRIPT_TEMPLATE)?;
    Ok([DEFAULT_CONFIG, "versions/", DEFAULT_SCRIPT_TEMPLATE]
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect())
}

fn config_text(dialect: Dialect) -> String {
    format!(
        r#"# Migration project settings. See README.md, section "Configuration".

# Revision files (*.mig), relative to this file.
versions = "versions"

# The target database: a dialect name, or a URL written as for Alembic
# (only the scheme matters offline): url = "postgresql+asyncpg://user:pass@host/db"
dialect = "{}"
# When this environment variable is set, its URL wins over the two keys above.
url_env = "DATABASE_URL"

# New revision files are named from this template (plus ".mig").
file_template = "{{{{ rev }}}}_{{{{ slug }}}}"

# Alembic's version table, so a database Alembic manages can be handed over as is.
version_table = "alembic_version"
# version_table_schema = "public"

# One transaction for the whole script (false) or one per revision (true).
transaction_per_migration = false

# Session settings put at the top of PostgreSQL scripts.
# lock_timeout = "5s"
# statement_timeout = "15min"

# Defaults for template variables used as {{{{ name }}}} in revision files (-x KEY=VALUE wins).
[vars]
"#,
        dialect.name()
    )
}
