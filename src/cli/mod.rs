//! The `compile` command: argument parsing, dispatch, output and exit codes.
//!
//! Exit codes are a contract: 0 success, 1 input errors (diagnostics on stderr),
//! 2 usage errors. Commands build their whole output in memory; stdout is written
//! only when the command succeeded, so a failed compilation never leaves half a
//! script behind. Only `main` exits.

mod args;
mod init;
mod new_revision;

pub use args::Cli;

use crate::config::{self, Config, DEFAULT_CONFIG};
use crate::diagnostic::{render, Color, Diagnostic};
use crate::source::SourceMap;
use args::{ColorChoice, Command};
use clap::Parser;
use std::ffi::OsString;
use std::path::PathBuf;

/// What a run produced. `stdout` is empty unless `code == 0`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// The outside world a run may look at, injected so tests are hermetic.
pub struct Env<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// Whether stderr is a terminal (colour in `auto` mode).
    pub stderr_is_terminal: bool,
}

/// What a command returns on success: text for stdout and notes for stderr.
#[derive(Debug, Default)]
pub struct Success {
    pub stdout: String,
    pub stderr: String,
}

/// A failed command: diagnostics plus the sources they point into.
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Failure {
            diagnostics,
            sources: SourceMap::new(),
        }
    }
}

pub type CommandResult = Result<Success, Failure>;

/// Run the command line `args` (including the program name).
pub fn run<I, T>(args: I, env: &Env) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            return if code == 0 {
                Outcome {
                    code,
                    stdout: text,
                    stderr: String::new(),
                }
            } else {
                Outcome {
                    code,
                    stdout: String::new(),
                    stderr: text,
                }
            };
        }
    };
    let color = match cli.color {
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
        ColorChoice::Auto if env.stderr_is_terminal && (env.var)("NO_COLOR").is_none() => {
            Color::Always
        }
        ColorChoice::Auto => Color::Never,
    };
    match dispatch(&cli, env) {
        Ok(s) => Outcome {
            code: 0,
            stdout: s.stdout,
            stderr: s.stderr,
        },
        Err(f) => Outcome {
            code: 1,
            stdout: String::new(),
            stderr: render(&f.diagnostics, &f.sources, color),
        },
    }
}

fn dispatch(cli: &Cli, env: &Env) -> CommandResult {
    match &cli.command {
        Command::Init(a) => init::run(a),
        Command::Revision(a) => new_revision::revision(load_config(cli, env)?, a),
        Command::Merge(a) => new_revision::merge(load_config(cli, env)?, a),
        Command::Upgrade(a) => crate::driver::migrate(
            load_config(cli, env)?,
            crate::plan::Command::Upgrade,
            a.into(),
        ),
        Command::Downgrade(a) => crate::driver::migrate(
            load_config(cli, env)?,
            crate::plan::Command::Downgrade,
            a.into(),
        ),
        Command::Stamp(a) => crate::driver::migrate(
            load_config(cli, env)?,
            crate::plan::Command::Stamp,
            a.into(),
        ),
        Command::History(a) => {
            crate::driver::history(load_config(cli, env)?, a.range.as_deref(), a.verbose)
        }
        Command::Heads(a) => crate::driver::heads(load_config(cli, env)?, a.verbose),
        Command::Branches(a) => crate::driver::branches(load_config(cli, env)?, a.verbose),
        Command::Show(a) => crate::driver::show(load_config(cli, env)?, &a.rev),
    }
}

/// The loaded config and the sources it was read into (the config file is one).
pub struct Loaded {
    pub config: Config,
    pub sources: SourceMap,
}

fn load_config(cli: &Cli, env: &Env) -> Result<Loaded, Failure> {
    let mut overrides = Vec::new();
    let mut errors = Vec::new();
    for x in &cli.x {
        match config::parse_x_arg(x) {
            Ok(pair) => overrides.push(pair),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let path = cli
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    let mut sources = SourceMap::new();
    match config::load(
        &path,
        cli.name.as_deref(),
        &overrides,
        env.var,
        &mut sources,
    ) {
        Ok(config) => Ok(Loaded { config, sources }),
        Err(diagnostics) => Err(Failure {
            diagnostics,
            sources,
        }),
    }
}

impl From<&args::MigrateArgs> for crate::driver::MigrateRequest {
    fn from(a: &args::MigrateArgs) -> Self {
        crate::driver::MigrateRequest {
            target: a.target.clone(),
            sql: a.sql,
            transaction_per_migration: a.transaction_per_migration,
        }
    }
}
