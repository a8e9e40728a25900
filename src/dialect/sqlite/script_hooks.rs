//! The script-level hooks for SQLite (`Backend::preamble`, `begin`, `guard`).
//!
//! - preamble: `PRAGMA foreign_keys = OFF` before the first transaction (inside one
//!   it is a no-op), so that a rebuild's `DROP TABLE` does not cascade; and
//!   `lock_timeout` as `PRAGMA busy_timeout` (how long to wait for another
//!   connection's lock). SQLite has no statement timeout: a comment says so.
//! - begin: `BEGIN IMMEDIATE`, which takes the write lock at once, so no other
//!   writer can slip in between the guard's check and the first change.
//! - guard: the version table must hold exactly the expected rows, checked with a
//!   CHECK constraint on a temporary table (SQLite has no `RAISE` outside
//!   triggers); a missing table fails with `no such table`.

use super::{literal, quote, rebuild};
use crate::diagnostic::Diagnostic;
use crate::dialect::{SessionSettings, Statement, VersionTable};

/// After the last `COMMIT`: foreign-key enforcement back on for the connection
/// (a no-op for a fresh `sqlite3` process, but the script may run on a pooled one).
pub fn postamble() -> String {
    "-- Foreign-key enforcement back on (it was switched off before the first BEGIN).\nPRAGMA foreign_keys = ON;\n".into()
}

pub fn preamble(settings: &SessionSettings) -> Result<String, Diagnostic> {
    let mut lines = vec![
        "-- Foreign-key enforcement is switched off for the whole script: SQLite ignores".into(),
        "-- the pragma inside a transaction, and a table rebuild must not cascade.".into(),
        "PRAGMA foreign_keys = OFF;".to_string(),
        "-- RENAME TABLE / RENAME COLUMN rewrite references in other tables (3.26+ behaviour)."
            .into(),
        "PRAGMA legacy_alter_table = OFF;".into(),
    ];
    if let Some(t) = &settings.lock_timeout {
        let ms = duration_ms(t).ok_or_else(|| bad_duration("lock_timeout", t))?;
        lines.push(format!("PRAGMA busy_timeout = {ms};"));
    }
    if let Some(t) = &settings.statement_timeout {
        lines.push(format!(
            "-- statement_timeout = {}: SQLite has no statement timeout; not set.",
            quote::comment_text(t)
        ));
    }
    Ok(lines.join("\n"))
}

fn bad_duration(what: &str, value: &str) -> Diagnostic {
    Diagnostic::error("E0560", format!("{what} = {value:?} is not a duration")).with_help(
        "write it as PostgreSQL does: 500ms, 5s, 2min, 1h (a bare number is milliseconds)",
    )
}

/// `5s` → 5000, `500ms` → 500, `2min` → 120000, `1h`, `250` (milliseconds).
pub fn duration_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let factor = match unit.trim() {
        "" | "ms" => 1,
        "s" => 1000,
        "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// A statement with its `;`; a statement that is only `--` comment lines (the
/// notes this backend writes) is written as it is, without an empty statement.
pub fn terminator(stmt: &Statement) -> &'static str {
    let sql = stmt.sql.trim_end();
    // Called for every statement of the script: the lines are only split when
    // the first one is a comment (a statement whose first line is not cannot be
    // all comments).
    let may_be_comments = sql.is_empty() || sql.trim_start().starts_with("--");
    if may_be_comments && sql.lines().all(|l| l.trim_start().starts_with("--")) {
        return "";
    }
    let last_line = sql.rsplit('\n').next().unwrap_or(sql);
    if last_line.contains("--") {
        "\n;"
    } else {
        ";"
    }
}

pub fn begin() -> String {
    "BEGIN IMMEDIATE;".into()
}

/// Abort unless the version table holds exactly `expected`.
pub fn guard(vt: &VersionTable, expected: &[String]) -> Result<Option<Statement>, Diagnostic> {
    let table = quote::ident(&vt.name);
    let col = quote::ident(&vt.column);
    let lits = expected
        .iter()
        .map(|e| literal::string(e).map_err(Diagnostic::internal))
        .collect::<Result<Vec<_>, _>>()?;
    let query = if lits.is_empty() {
        format!("SELECT count(*) FROM {table}")
    } else {
        let wanted: Vec<String> = lits.iter().map(|l| format!("SELECT {l} AS v")).collect();
        format!(
            "SELECT (SELECT count(*) FROM {table} WHERE {col} NOT IN ({list})) + \
             (SELECT count(*) FROM ({wanted}) WHERE v NOT IN (SELECT {col} FROM {table}))",
            list = lits.join(", "),
            wanted = wanted.join(" UNION ALL "),
        )
    };
    let rows = if expected.is_empty() {
        "no row".to_string()
    } else {
        expected.join(", ")
    };
    let message = format!(
        "{} must hold exactly: {rows}; the database is not at the revision this script starts from",
        vt.name
    );
    let parts = rebuild::assertion(&message, &query)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Statement::new(parts.join(";\n"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminators() {
        let t = |sql: &str| terminator(&Statement::new(sql));
        assert_eq!(t("SELECT 1"), ";");
        assert_eq!(t("-- a\n  -- b\n"), "");
        assert_eq!(t(""), "");
        assert_eq!(t("-- a\nSELECT 1"), ";");
        assert_eq!(t("SELECT 1 -- x"), "\n;");
        assert_eq!(t("SELECT 1\nFROM t -"), ";");
        assert_eq!(t("SELECT '-' || '-x'"), ";");
        assert_eq!(t("SELECT '-é-'"), ";");
        assert_eq!(t("SELECT 1 -x-- y"), "\n;");
        assert_eq!(t("SELECT --\n1"), ";");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ms("5s"), Some(5000));
        assert_eq!(duration_ms("500ms"), Some(500));
        assert_eq!(duration_ms("2min"), Some(120_000));
        assert_eq!(duration_ms("250"), Some(250));
        assert_eq!(duration_ms("5 s"), Some(5000));
        assert_eq!(duration_ms("fast"), None);
        assert_eq!(duration_ms("99999999999999999999h"), None);
    }
}
