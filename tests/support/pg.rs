//! A throwaway PostgreSQL database per test, on the server `scripts/test` starts.
//!
//! `scripts/test` exports PGHOST/PGPORT/PGUSER; without PGHOST every test using
//! this module fails with a message saying so (never a silent pass or skip).
//! [`PgDb::new`] creates a database with a unique name; dropping the value drops
//! the database. Scripts run through `psql -X -v ON_ERROR_STOP=1 -f -` exactly as
//! a DBA would run them.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// Separators for query output: unit and record separators, which test values
/// avoid (compare binary or control-character values through `encode(..., 'hex')`).
const FIELD_SEP: char = '\u{1f}';
const RECORD_SEP: char = '\u{1e}';
/// How psql prints NULL in query results.
pub const NULL: &str = "<NULL>";

/// The result of running a script.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

pub struct PgDb {
    pub name: String,
}

fn require_server() {
    if std::env::var_os("PGHOST").is_none() {
        panic!(
            "PGHOST is not set: the PostgreSQL tests need a server. Run them with `scripts/test` \
             (it starts a throwaway PostgreSQL 15 cluster), or export PGHOST/PGPORT/PGUSER."
        );
    }
}

fn psql(db: &str, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new("psql")
        .args(["-X", "-d", db])
        .args(args)
        .env("PGOPTIONS", "--client-min-messages=warning")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    let mut input = child.stdin.take().expect("psql stdin");
    input.write_all(stdin.as_bytes()).expect("write to psql");
    drop(input);
    let out = child.wait_with_output().expect("wait for psql");
    Run {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("migc_t{}_{n}_{nanos}", std::process::id())
}

impl PgDb {
    /// A fresh, empty database.
    pub fn new() -> PgDb {
        require_server();
        let name = unique_name();
        let run = psql(
            "postgres",
            &[
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                &format!("CREATE DATABASE {name}"),
            ],
            "",
        );
        assert!(run.success, "CREATE DATABASE {name} failed: {}", run.stderr);
        PgDb { name }
    }

    /// Run a script as a DBA would: `psql -X -v ON_ERROR_STOP=1 -f -`.
    pub fn run_script(&self, sql: &str) -> Run {
        psql(&self.name, &["-v", "ON_ERROR_STOP=1", "-f", "-"], sql)
    }

    /// Run SQL that must succeed.
    pub fn exec(&self, sql: &str) {
        let run = self.run_script(sql);
        assert!(
            run.success,
            "SQL failed:\n{sql}\n--- stderr:\n{}",
            run.stderr
        );
    }

    /// Rows of a query, each a list of text values (`NULL` for SQL NULL).
    pub fn query(&self, sql: &str) -> Vec<Vec<String>> {
        let field = FIELD_SEP.to_string();
        let record = RECORD_SEP.to_string();
        let null = format!("null={NULL}");
        let run = psql(
            &self.name,
            &[
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-F",
                &field,
                "-R",
                &record,
                "-P",
                &null,
                "-f",
                "-",
            ],
            sql,
        );
        assert!(
            run.success,
            "query failed:\n{sql}\n--- stderr:\n{}",
            run.stderr
        );
        let text = run.stdout.strip_suffix('\n').unwrap_or(&run.stdout);
        if text.is_empty() {
            return Vec::new();
        }
        text.split(RECORD_SEP)
            .map(|r| r.split(FIELD_SEP).map(str::to_string).collect())
            .collect()
    }

    /// One value of a one-row, one-column query.
    pub fn value(&self, sql: &str) -> String {
        let rows = self.query(sql);
        assert_eq!(rows.len(), 1, "expected one row from {sql}, got {rows:?}");
        rows[0][0].clone()
    }

    /// The version table's rows, sorted (empty when it does not exist).
    pub fn versions(&self) -> Vec<String> {
        let exists = self.value("SELECT to_regclass('alembic_version') IS NOT NULL");
        if exists != "t" {
            return Vec::new();
        }
        self.query("SELECT version_num FROM alembic_version ORDER BY 1")
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
    }

    /// `pg_dump --schema-only --no-owner`, normalized: comments, `SET`s, the
    /// version table and blank lines removed, so two dumps compare by content.
    pub fn dump_schema(&self) -> String {
        require_server();
        let out = Command::new("pg_dump")
            .args([
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "-d",
                &self.name,
            ])
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        normalize_dump(&String::from_utf8_lossy(&out.stdout))
    }
}

/// Drop what varies between two dumps of the same schema: comments, settings,
/// psql `\restrict` keys (random), blank lines, and the version table.
pub fn normalize_dump(dump: &str) -> String {
    let kept: Vec<&str> = dump
        .lines()
        .filter(|l| {
            let t = l.trim();
            !(t.is_empty()
                || t.starts_with("--")
                || t.starts_with("\\restrict")
                || t.starts_with("\\unrestrict")
                || t.starts_with("SET ")
                || t.starts_with("SELECT pg_catalog.set_config"))
        })
        .collect();
    kept.join("\n")
        .split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains("alembic_version"))
        .map(|s| format!("{};", s.trim_end_matches(';')))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let _ = psql(
            "postgres",
            &[
                "-c",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ],
            "",
        );
    }
}
