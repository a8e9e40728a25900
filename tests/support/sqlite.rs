//! Running SQL scripts on real SQLite: the `sqlite3` CLI of the machine
//! (`sqlite3 -bail db < script`) and the SQLite bundled with rusqlite
//! (`execute_batch`), plus helpers to read back the schema and rows.
#![allow(dead_code)]

use rusqlite::types::Value;
use rusqlite::Connection;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Which SQLite runs a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The `sqlite3` command-line shell, with `-bail`.
    Cli,
    /// rusqlite's bundled SQLite, `execute_batch`.
    Bundled,
}

/// The engines to test with: the CLI only when `sqlite3` is on the PATH.
pub fn engines() -> Vec<Engine> {
    let mut out = vec![Engine::Bundled];
    if cli_available() {
        out.push(Engine::Cli);
    }
    out
}

pub fn cli_available() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Run `script` on the database file `db`. `Err` holds the engine's error text.
pub fn run(engine: Engine, db: &Path, script: &str) -> Result<(), String> {
    match engine {
        Engine::Cli => run_cli(db, script),
        Engine::Bundled => run_bundled(db, script),
    }
}

fn run_cli(db: &Path, script: &str) -> Result<(), String> {
    let mut child = Command::new("sqlite3")
        .arg("-bail")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(script.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && stderr.is_empty() {
        Ok(())
    } else {
        Err(stderr)
    }
}

fn run_bundled(db: &Path, script: &str) -> Result<(), String> {
    let conn = Connection::open(db).map_err(|e| e.to_string())?;
    // On error the connection is dropped, which rolls back the open transaction,
    // as the CLI does when it bails out.
    conn.execute_batch(script).map_err(|e| e.to_string())
}

/// Open a connection (bundled SQLite) for setting up and reading back.
pub fn open(db: &Path) -> Connection {
    Connection::open(db).expect("open test database")
}

/// `sqlite_master` as text: one `type name tbl_name: sql` line per object, sorted.
pub fn schema_dump(db: &Path) -> String {
    let conn = open(db);
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master \
             ORDER BY type, name",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} {} {}: {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?
            ))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("\n")
}

/// Every row of a query, as SQLite values.
pub fn rows(db: &Path, sql: &str) -> Vec<Vec<Value>> {
    let conn = open(db);
    let mut stmt = conn.prepare(sql).expect("prepare");
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// One scalar.
pub fn scalar(db: &Path, sql: &str) -> Value {
    rows(db, sql)
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .unwrap_or(Value::Null)
}

/// `PRAGMA integrity_check` says `ok` and `PRAGMA foreign_key_check` finds nothing.
pub fn assert_healthy(db: &Path) {
    assert_eq!(
        scalar(db, "PRAGMA integrity_check"),
        Value::Text("ok".into())
    );
    assert!(
        rows(db, "PRAGMA foreign_key_check").is_empty(),
        "foreign key violations"
    );
}

/// A script around `statements` the way the compiler's script assembly runs them:
/// foreign keys off outside the transaction, each statement ended with `;`.
pub fn transaction_script(statements: &[String]) -> String {
    let mut s = String::from("PRAGMA foreign_keys = OFF;\nBEGIN;\n");
    for st in statements {
        s.push_str(st);
        s.push_str(";\n");
    }
    s.push_str("COMMIT;\nPRAGMA foreign_keys = ON;\n");
    s
}
