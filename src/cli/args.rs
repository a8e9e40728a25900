//! The command line, as clap sees it. Every command's `--help` shows an example.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "compile",
    version,
    about = "Compile Alembic-style migrations to one reviewable SQL script (offline).",
    long_about = "Compile Alembic-style migrations, written one revision per file, to one \
reviewable, transactional SQL script for PostgreSQL or SQLite. Offline only: no database is \
contacted.",
    after_help = "Examples:\n  compile upgrade head --sql > migration.sql\n  compile -c examples/shop/migrations.toml history\n  compile downgrade head:base --sql\n\nExit codes: 0 success, 1 input errors (diagnostics on stderr), 2 usage errors."
)]
pub struct Cli {
    /// The config file.
    #[arg(short = 'c', long = "config", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Which database of the config to use ([databases.NAME]).
    #[arg(short = 'n', long = "name", global = true, value_name = "DB")]
    pub name: Option<String>,
    /// A template variable, KEY=VALUE (repeatable); wins over the config's [vars].
    #[arg(short = 'x', global = true, value_name = "KEY=VALUE")]
    pub x: Vec<String>,
    /// Colour in diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project: a config, a versions folder and a revision template.
    #[command(after_help = "Example:\n  compile init shop --dialect postgresql")]
    Init(InitArgs),
    /// Write a new revision file on top of the current head.
    #[command(
        after_help = "Examples:\n  compile revision -m \"add user role column\"\n  compile revision -m \"start reporting\" --head base --branch-label reporting"
    )]
    Revision(RevisionArgs),
    /// Write a merge revision joining two or more heads.
    #[command(after_help = "Example:\n  compile merge -m \"merge heads\" heads")]
    Merge(MergeArgs),
    /// Compile the upgrade to TARGET (from base, or FROM:TO).
    #[command(
        after_help = "Examples:\n  compile upgrade head --sql > migration.sql\n  compile upgrade a1b2c3d4e5f6:head --sql\n  compile upgrade head --sql -x schema=tenant_acme"
    )]
    Upgrade(MigrateArgs),
    /// Compile a downgrade over FROM:TO (offline, the start must be given).
    #[command(
        after_help = "Examples:\n  compile downgrade head:base --sql\n  compile downgrade head:-1 --sql"
    )]
    Downgrade(MigrateArgs),
    /// Compile only the version-table changes that mark the database as at TARGET.
    #[command(after_help = "Example:\n  compile stamp head --sql")]
    Stamp(MigrateArgs),
    /// List revisions, newest first.
    #[command(
        after_help = "Examples:\n  compile history\n  compile history -r base:head --verbose"
    )]
    History(HistoryArgs),
    /// Show the current heads.
    #[command(after_help = "Example:\n  compile heads --verbose")]
    Heads(VerboseArgs),
    /// Show branch points.
    #[command(after_help = "Example:\n  compile branches")]
    Branches(VerboseArgs),
    /// Show one revision.
    #[command(after_help = "Example:\n  compile show head")]
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the project in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The target database.
    #[arg(long, default_value = "postgresql")]
    pub dialect: String,
}

#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// The revision message.
    #[arg(short = 'm', long = "message")]
    pub message: String,
    /// The parent: a revision, `head`, `label@head`, or `base` for a new root.
    #[arg(long)]
    pub head: Option<String>,
    /// A branch label for the new revision.
    #[arg(long = "branch-label")]
    pub branch_label: Option<String>,
    /// A revision the new one depends on (repeatable).
    #[arg(long = "depends-on")]
    pub depends_on: Vec<String>,
    /// Allow a parent that is not a head (starts a new branch).
    #[arg(long)]
    pub splice: bool,
    /// Use this id instead of a fresh random one.
    #[arg(long = "rev-id")]
    pub rev_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merge message.
    #[arg(short = 'm', long = "message")]
    pub message: String,
    /// The revisions to merge (or `heads`).
    #[arg(required = true, num_args = 1..)]
    pub revisions: Vec<String>,
    /// A branch label for the merge revision.
    #[arg(long = "branch-label")]
    pub branch_label: Option<String>,
    /// Use this id instead of a fresh random one.
    #[arg(long = "rev-id")]
    pub rev_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The target: head, heads, base, an id or prefix, label@head, +N/-N, REV+N, or FROM:TO.
    pub target: String,
    /// Write the SQL script to stdout (offline mode, the only mode there is).
    #[arg(long)]
    pub sql: bool,
    /// One transaction per revision instead of one for the whole script.
    #[arg(long = "transaction-per-migration")]
    pub transaction_per_migration: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A range FROM:TO (either side may be left out).
    #[arg(short = 'r', long = "rev-range")]
    pub range: Option<String>,
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct VerboseArgs {
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The revision: an id, a prefix, head, label@head...
    pub rev: String,
}
