//! The script-level PostgreSQL statements: the preamble, the Alembic-compatible
//! version table, its row changes, and the guard that stops a script run against
//! a database at the wrong revision.

use super::{literal, quote::quote_ident, templates::render};
use crate::diagnostic::Diagnostic;
use crate::dialect::{SessionSettings, Statement, VersionTable};
use crate::plan::VersionChange;
use crate::script::comment_text;
use minijinja::context;

fn lit(s: &str) -> Result<String, Diagnostic> {
    literal::string(s).map_err(|why| {
        Diagnostic::error(
            "E0511",
            format!("cannot write `{}` in the script: {why}", s.escape_debug()),
        )
        .with_help("remove the NUL character from the configuration value")
    })
}

fn table(vt: &VersionTable) -> String {
    match &vt.schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&vt.name)),
        None => quote_ident(&vt.name),
    }
}

/// `\set ON_ERROR_STOP on` (psql), `standard_conforming_strings`, the timeouts.
pub fn preamble(s: &SessionSettings) -> Result<String, Diagnostic> {
    let lock_timeout = s.lock_timeout.as_deref().map(lit).transpose()?;
    let statement_timeout = s.statement_timeout.as_deref().map(lit).transpose()?;
    render(
        "preamble",
        context! { psql => true, lock_timeout, statement_timeout },
    )
}

pub fn create_version_table(vt: &VersionTable) -> Result<Statement, Diagnostic> {
    let sql = render(
        "version_table",
        context! {
            table => table(vt),
            column => quote_ident(&vt.column),
            pk_name => quote_ident(&format!("{}_pkc", vt.name)),
        },
    )?;
    Ok(Statement::new(sql))
}

pub fn version_change(vt: &VersionTable, change: &VersionChange) -> Result<Statement, Diagnostic> {
    let table = table(vt);
    let column = quote_ident(&vt.column);
    let sql = match change {
        VersionChange::Insert(id) => render(
            "version_insert",
            context! { table, column, value => lit(id)? },
        )?,
        VersionChange::Delete(id) => render(
            "version_delete",
            context! { table, column, value => lit(id)? },
        )?,
        VersionChange::Update { from, to } => render(
            "version_update",
            context! { table, column, from => lit(from)?, to => lit(to)? },
        )?,
    };
    Ok(Statement::new(sql))
}

/// A `DO` block: the table must exist (unless nothing is expected) and hold
/// exactly `expected`, else `RAISE` naming both.
pub fn guard(vt: &VersionTable, expected: &[String]) -> Result<Statement, Diagnostic> {
    let display_name = match &vt.schema {
        Some(s) => format!("{s}.{}", vt.name),
        None => vt.name.clone(),
    };
    let joined = expected.join(", ");
    let shown = if expected.is_empty() {
        "(none)".to_string()
    } else {
        joined.clone()
    };
    let ctx = |tag: &str| -> Result<String, Diagnostic> {
        render(
            "guard",
            context! {
                tag,
                table => table(vt),
                column => quote_ident(&vt.column),
                table_text => lit(&table(vt))?,
                expected => lit(&joined)?,
                expected_display => comment_text(&shown),
                missing_message => lit(&format!(
                    "this script starts from revision {shown}, but the version table {display_name} does not exist"
                ))?,
                missing_hint => lit("run the script against the database it was generated for, or generate one from base")?,
                mismatch_message => lit(&format!(
                    "this script expects the version table {display_name} to hold {shown}; it holds "
                ))?,
                mismatch_hint => lit("the database is not at the revision this script starts from; nothing was changed. Generate a script from the database's current revision.")?,
            },
        )
    };
    for n in 0..1000 {
        let tag = if n == 0 {
            "$guard$".to_string()
        } else {
            format!("$guard{n}$")
        };
        let sql = ctx(&tag)?;
        if sql.matches(&tag).count() == 2 {
            return Ok(Statement::new(sql));
        }
    }
    Err(Diagnostic::internal(
        "no free dollar-quote tag for the guard",
    ))
}
